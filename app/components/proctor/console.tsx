// Over 500 lines (608, 485 before the reformat of decision 034): the console's roster, actions and alerts panels
// are to become components of their own, as the exam runner did (issue #17).
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import {
  alertsFor,
  answeredAfter,
  applyPatch,
  EVENT_LABELS,
  filterAndSort,
  type RosterEvent,
  type RosterFilter,
  type RosterRow,
  type RosterSnapshot,
  type RosterSort,
} from "../../../server/proctoring/roster";
import { compareVietnameseNames } from "../../../server/rules/vietnamese-names";
import { formatTime } from "~/lib/format";
import { listen, useOnConnect, useSocket, type AppClientSocket } from "~/lib/realtime/use-socket";
import type { ProctorAction } from "../../../server/realtime/contract";

type Snapshot = RosterSnapshot & { canAct: boolean };
type ActionInput = Record<string, unknown> & { type: string };

const STATUS: Record<RosterRow["status"], { label: string; tone: string }> = {
  absent: { label: "Vắng", tone: "muted" },
  ready: { label: "Chưa vào", tone: "muted" },
  waiting: { label: "Có mặt, chờ", tone: "wait" },
  in_progress: { label: "Đang làm", tone: "ok" },
  paused: { label: "Tạm dừng", tone: "warn" },
  locked: { label: "Bị khóa", tone: "err" },
  submitted: { label: "Đã nộp", tone: "done" },
};

const FILTERS: { value: RosterFilter; label: string }[] = [
  { value: "all", label: "Tất cả" },
  { value: "alerts", label: "Cần chú ý" },
  { value: "absent", label: "Chưa làm bài" },
  { value: "sitting", label: "Đang làm" },
  { value: "submitted", label: "Đã nộp" },
];

const SORTS: { value: RosterSort; label: string }[] = [
  { value: "name", label: "Tên" },
  { value: "status", label: "Trạng thái" },
  { value: "answered", label: "Số câu đã làm" },
  { value: "integrity", label: "Số sự kiện" },
];

/** The server renders this console too: the shared formatter prints the same time in the browser (no hydration mismatch). */
const clock = (iso: string) => formatTime(iso);

function left(deadline: string | null, now: number) {
  if (!deadline) return "—";
  const s = Math.max(0, Math.floor((Date.parse(deadline) - now) / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/**
 * The proctor's room board: a snapshot on (re)join, then ordered updates (rows carry
 * revisions; answers and focus changes are set operations), so the board stays right
 * through reconnects and across server processes. Actions are acknowledged by the
 * server after they are stored; each needs a reason where the incident report asks one.
 */
export function ProctorConsole({ initial }: { initial: Snapshot }) {
  const [snap, setSnap] = useState<Snapshot>(initial);
  const [rows, setRows] = useState<RosterRow[]>(initial.rows);
  const [events, setEvents] = useState<RosterEvent[]>(initial.events);
  const [filter, setFilter] = useState<RosterFilter>("all");
  const [sort, setSort] = useState<RosterSort>("name");
  const [selected, setSelected] = useState<number | null>(null);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const offset = useMemo(() => Date.parse(initial.serverNow) - Date.now(), [initial.serverNow]);
  const [now, setNow] = useState(() => Date.now() + offset);
  const seenEvents = useRef(new Set(initial.events.map((e) => e.id)));
  const examId = initial.examId;

  const { socket, connected: online } = useSocket();
  const [joined, setJoined] = useState(false);
  const connected = online && joined;
  // On every (re)connection: join the session's room and take a fresh snapshot.
  const join = useCallback(
    (s: AppClientSocket) => {
      setJoined(false);
      s.emit("proctor:join", { examId }, (r) => {
        if (!r.ok) return setNotice({ ok: false, text: r.message });
        const snapshot = r.snapshot;
        setSnap(snapshot);
        // Keep any row that is already newer than the snapshot (an update raced it).
        setRows((prev) =>
          snapshot.rows.map((row) => {
            const mine = prev.find((p) => p.personId === row.personId);
            return mine && mine.rev > row.rev ? mine : row;
          }),
        );
        setEvents(snapshot.events);
        seenEvents.current = new Set(snapshot.events.map((e) => e.id));
        setJoined(true);
      });
    },
    [examId],
  );
  useOnConnect(socket, join);

  useEffect(() => {
    if (!socket) return;
    const offs = [
      listen(socket, "proctor:rows", (p) => {
        if (p.examId !== examId) return;
        setRows((prev) => p.rows.reduce((acc, row) => applyPatch(acc, row), prev));
      }),
      listen(socket, "proctor:answer", (p) => {
        if (p.examId !== examId) return;
        setRows((prev) =>
          prev.map((r) =>
            r.personId === p.personId
              ? { ...r, answered: answeredAfter(r.answered, p.position, p.hasAnswer), lastActivity: p.at, current: p.position }
              : r,
          ),
        );
      }),
      listen(socket, "proctor:focus", (p) => {
        if (p.examId !== examId) return;
        setRows((prev) => prev.map((r) => (r.personId === p.personId ? { ...r, current: p.position, lastActivity: p.at } : r)));
      }),
      listen(socket, "proctor:event", (p) => {
        if (p.examId !== examId) return;
        if (seenEvents.current.has(p.event.id)) return;
        seenEvents.current.add(p.event.id);
        setEvents((prev) => [...prev, p.event].slice(-300));
        // Integrity signals update the trainee's row from the event itself (no extra read).
        const e = p.event;
        if (e.source === "trainee" && e.personId !== null)
          setRows((prev) =>
            prev.map((r) =>
              r.personId === e.personId
                ? {
                    ...r,
                    integrityCount: r.integrityCount + 1,
                    lastIntegrity: { kind: e.kind, at: e.at },
                    takeoverPending: r.takeoverPending || e.kind === "second_device",
                  }
                : r,
            ),
          );
      }),
      listen(socket, "proctor:session", () => {
        socket.emit("proctor:join", { examId }, (r) => {
          if (r.ok) setSnap(r.snapshot);
        });
      }),
    ];
    return () => {
      for (const off of offs) off();
      // Leave the room; the connection itself is shared with the rest of the page.
      if (socket.connected) socket.emit("proctor:leave", { examId });
    };
  }, [socket, examId]);

  useEffect(() => {
    const tick = window.setInterval(() => setNow(Date.now() + offset), 1000);
    return () => window.clearInterval(tick);
  }, [offset]);

  const act = useCallback(
    async (action: ActionInput): Promise<boolean> => {
      if (!socket?.connected) {
        setNotice({ ok: false, text: "Mất kết nối tới máy chủ; thao tác chưa được thực hiện." });
        return false;
      }
      try {
        // The forms build the action; the server's schema is the judge of its shape.
        const r = await socket.timeout(10_000).emitWithAck("proctor:action", { examId, action: action as ProctorAction });
        setNotice({ ok: r.ok, text: r.ok ? (r.message ?? "Đã thực hiện.") : r.message });
        return r.ok;
      } catch {
        setNotice({ ok: false, text: "Máy chủ chưa trả lời; hãy kiểm tra lại trạng thái trước khi thử lại." });
        return false;
      }
    },
    [socket, examId],
  );

  const alerts = useMemo(() => alertsFor(rows, new Date(now)), [rows, now]);
  const shown = useMemo(() => filterAndSort(rows, filter, sort, alerts, compareVietnameseNames), [rows, filter, sort, alerts]);
  const counts = {
    present: rows.filter((r) => r.connected).length,
    sitting: rows.filter((r) => r.status === "in_progress" || r.status === "paused" || r.status === "locked").length,
    submitted: rows.filter((r) => r.status === "submitted").length,
  };
  const person = rows.find((r) => r.personId === selected) ?? null;
  const ended = !!snap.endedAt;

  return (
    <div className="proctor">
      <header className="proctor-head">
        <div>
          <h1 style={{ margin: 0 }}>{snap.title}</h1>
          <p className="muted" style={{ margin: 0 }}>
            {snap.className}
          </p>
        </div>
        <p className="proctor-state" role="status">
          <span className={connected ? "conn conn--on" : "conn conn--off"}>{connected ? "Trực tiếp" : "Đang kết nối lại…"}</span>{" "}
          {ended ? (
            <span className="badge">Đã kết thúc</span>
          ) : snap.pausedAt ? (
            <span className="badge badge--err">Cả phòng tạm dừng</span>
          ) : snap.startedAt || !snap.gate ? (
            <span className="badge badge--ok">Đang thi</span>
          ) : (
            <span className="badge">Chờ bắt đầu</span>
          )}
        </p>
      </header>

      <dl className="proctor-counts">
        <div>
          <dt>Danh sách</dt>
          <dd>{rows.length}</dd>
        </div>
        <div>
          <dt>Đang kết nối</dt>
          <dd data-testid="count-present">{counts.present}</dd>
        </div>
        <div>
          <dt>Đang làm</dt>
          <dd>{counts.sitting}</dd>
        </div>
        <div>
          <dt>Đã nộp</dt>
          <dd data-testid="count-submitted">{counts.submitted}</dd>
        </div>
        <div>
          <dt>Cảnh báo</dt>
          <dd>{alerts.length}</dd>
        </div>
      </dl>

      {notice ? (
        <p className={notice.ok ? "notice-ok" : "form-error"} role={notice.ok ? "status" : "alert"} data-testid="proctor-notice">
          {notice.text}
        </p>
      ) : null}

      {snap.canAct && !ended ? <RoomActions snap={snap} act={act} /> : null}

      {alerts.length ? (
        <section className="card proctor-alerts" aria-labelledby="alerts-title">
          <h2 id="alerts-title">Cần chú ý</h2>
          <ul aria-live="polite">
            {alerts.slice(0, 12).map((a) => (
              <li key={`${a.personId}-${a.kind}`}>
                <button type="button" className="link-button" onClick={() => setSelected(a.personId)}>
                  {a.text}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <div className="proctor-tools">
        <label>
          Lọc{" "}
          <select value={filter} onChange={(e) => setFilter(e.target.value as RosterFilter)}>
            {FILTERS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Sắp xếp{" "}
          <select value={sort} onChange={(e) => setSort(e.target.value as RosterSort)}>
            {SORTS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
        <a className="button button--secondary" href={`/giam-thi/${examId}/bien-ban.pdf`} target="_blank" rel="noreferrer">
          In biên bản
        </a>
      </div>

      <div className="proctor-main">
        <ol className="roster" aria-label="Học viên trong phòng thi">
          {shown.map((r) => {
            const st = STATUS[r.status];
            return (
              <li key={r.personId}>
                <button
                  type="button"
                  className={`roster-card roster-card--${st.tone}${selected === r.personId ? " is-selected" : ""}`}
                  onClick={() => setSelected(r.personId)}
                  aria-label={`${r.name}, ${st.label}${r.connected ? ", đang kết nối" : ""}, đã trả lời ${r.answered.length} trên ${r.total}`}
                  data-testid={`roster-${r.personId}`}
                >
                  <span className="roster-name">
                    <span className={r.connected ? "dot dot--on" : "dot"} aria-hidden="true" /> {r.name}
                  </span>
                  <span className="roster-unit">{r.unit}</span>
                  <span className="roster-facts">
                    <span className={`chip chip--${st.tone}`}>{st.label}</span>
                    {r.attemptId ? (
                      <span data-testid={`answered-${r.personId}`}>
                        {r.answered.length}/{r.total} câu
                      </span>
                    ) : null}
                    {r.current && (r.status === "in_progress" || r.status === "paused") ? <span>đang ở câu {r.current}</span> : null}
                    {r.status === "in_progress" ? <span data-testid={`left-${r.personId}`}>còn {left(r.deadline, now)}</span> : null}
                    {r.status === "submitted" && r.score !== null ? <span>điểm {r.score}</span> : null}
                    {r.integrityCount ? <span className="chip chip--err">⚠ {r.integrityCount}</span> : null}
                    {r.takeoverPending ? <span className="chip chip--warn">Xin đổi thiết bị</span> : null}
                  </span>
                </button>
              </li>
            );
          })}
        </ol>

        <aside className="proctor-side">
          {person ? (
            <PersonPanel
              row={person}
              canAct={snap.canAct && !ended}
              act={act}
              events={events.filter((e) => e.personId === person.personId)}
              onClose={() => setSelected(null)}
            />
          ) : null}
          <section className="card" aria-labelledby="events-title">
            <h2 id="events-title">Diễn biến</h2>
            <ol className="events" data-testid="events">
              {[...events]
                .reverse()
                .slice(0, 60)
                .map((e) => (
                  <li key={e.id} className={`event event--${e.source}`}>
                    <time>{clock(e.at)}</time> <strong>{e.name ?? "Cả phòng"}</strong>: {EVENT_LABELS[e.kind] ?? e.kind}
                    {e.reason ? <span className="muted"> — {e.reason}</span> : null}
                    {e.actor && e.source === "proctor" ? <span className="muted"> ({e.actor})</span> : null}
                  </li>
                ))}
            </ol>
          </section>
        </aside>
      </div>
    </div>
  );
}

function RoomActions({ snap, act }: { snap: Snapshot; act: (a: ActionInput) => Promise<boolean> }) {
  const [reason, setReason] = useState("");
  const [message, setMessage] = useState("");
  const needsReason = (type: string) => {
    if (!reason.trim()) {
      document.getElementById("room-reason")?.focus();
      return false;
    }
    return type !== "";
  };
  return (
    <section className="card proctor-room" aria-labelledby="room-title">
      <h2 id="room-title">Cả phòng</h2>
      <div className="actions">
        {snap.gate && !snap.startedAt ? (
          <button type="button" className="button" onClick={() => void act({ type: "start_all" })}>
            Cho cả phòng bắt đầu
          </button>
        ) : null}
        {snap.pausedAt ? (
          <button type="button" className="button" onClick={() => void act({ type: "resume", reason: reason || undefined })}>
            Tiếp tục cả phòng
          </button>
        ) : (
          <button
            type="button"
            className="button button--secondary"
            onClick={() => needsReason("pause") && void act({ type: "pause", reason }).then((ok) => ok && setReason(""))}
          >
            Tạm dừng cả phòng
          </button>
        )}
        <button
          type="button"
          className="button button--secondary"
          onClick={() =>
            needsReason("end") &&
            window.confirm("Kết thúc ca thi? Các bài còn mở sẽ được thu.") &&
            void act({ type: "end_session", reason })
          }
        >
          Kết thúc ca thi
        </button>
      </div>
      <div className="field">
        <label htmlFor="room-reason">Lý do (ghi vào biên bản)</label>
        <input
          id="room-reason"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={500}
          placeholder="Ví dụ: mất điện phòng thi"
        />
      </div>
      <form
        className="field"
        onSubmit={(e) => {
          e.preventDefault();
          if (message.trim()) void act({ type: "message", text: message }).then((ok) => ok && setMessage(""));
        }}
      >
        <label htmlFor="room-message">Nhắc cả phòng</label>
        <div className="actions">
          <input id="room-message" value={message} onChange={(e) => setMessage(e.target.value)} maxLength={300} style={{ flex: 1 }} />
          <button type="submit" className="button button--secondary">
            Gửi
          </button>
        </div>
      </form>
    </section>
  );
}

function PersonPanel({
  row,
  canAct,
  act,
  events,
  onClose,
}: {
  row: RosterRow;
  canAct: boolean;
  act: (a: ActionInput) => Promise<boolean>;
  events: RosterEvent[];
  onClose: () => void;
}) {
  const [reason, setReason] = useState("");
  const [minutes, setMinutes] = useState(5);
  const [text, setText] = useState("");
  const [problem, setProblem] = useState("");
  useEffect(() => {
    setReason("");
    setText("");
    setProblem("");
  }, [row.personId]);
  const withReason = (a: ActionInput) => {
    if (!reason.trim()) {
      setProblem("Hãy ghi lý do trước khi thao tác.");
      document.getElementById("person-reason")?.focus();
      return;
    }
    setProblem("");
    void act({ ...a, reason }).then((ok) => ok && setReason(""));
  };
  const sitting = row.status === "in_progress" || row.status === "paused" || row.status === "locked";
  return (
    <section className="card person-panel" aria-labelledby="person-title" data-testid="person-panel">
      <div className="actions" style={{ justifyContent: "space-between" }}>
        <h2 id="person-title" style={{ margin: 0 }}>
          {row.name}
        </h2>
        <button type="button" className="link-button" onClick={onClose}>
          Đóng
        </button>
      </div>
      <p className="muted">
        {row.unit} · {STATUS[row.status].label}
        {row.attemptId ? ` · ${row.answered.length}/${row.total} câu` : ""}
      </p>
      {canAct ? (
        <>
          <div className="field">
            <label htmlFor="person-reason">Lý do (bắt buộc, ghi vào biên bản)</label>
            <input
              id="person-reason"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              maxLength={500}
              aria-invalid={problem ? true : undefined}
            />
            {problem ? <p className="error">{problem}</p> : null}
          </div>
          <div className="actions">
            {row.status === "waiting" || row.status === "ready" || row.status === "absent" ? (
              <button
                type="button"
                className="button"
                onClick={() => void act({ type: "admit", personId: row.personId, reason: reason || undefined })}
              >
                Cho vào thi
              </button>
            ) : null}
            {sitting ? (
              <>
                <label className="inline-field">
                  <span className="sr-only">Số phút cộng thêm</span>
                  <input
                    type="number"
                    min={1}
                    max={240}
                    value={minutes}
                    onChange={(e) => setMinutes(Number(e.target.value) || 1)}
                    style={{ width: "4.5rem" }}
                  />
                </label>
                <button
                  type="button"
                  className="button button--secondary"
                  onClick={() => withReason({ type: "add_time", personId: row.personId, minutes })}
                >
                  Cộng {minutes} phút
                </button>
                {row.status === "paused" ? (
                  <button
                    type="button"
                    className="button button--secondary"
                    onClick={() => void act({ type: "resume", attemptId: row.attemptId })}
                  >
                    Tiếp tục
                  </button>
                ) : (
                  <button
                    type="button"
                    className="button button--secondary"
                    onClick={() => withReason({ type: "pause", attemptId: row.attemptId })}
                  >
                    Tạm dừng
                  </button>
                )}
                {row.status === "locked" ? (
                  <button
                    type="button"
                    className="button button--secondary"
                    onClick={() => void act({ type: "unlock", attemptId: row.attemptId })}
                  >
                    Mở khóa
                  </button>
                ) : (
                  <button
                    type="button"
                    className="button button--secondary"
                    onClick={() => withReason({ type: "lock", attemptId: row.attemptId })}
                  >
                    Khóa bài
                  </button>
                )}
                <button
                  type="button"
                  className="button button--secondary"
                  onClick={() =>
                    window.confirm(`Thu bài của ${row.name}?`) && withReason({ type: "force_submit", attemptId: row.attemptId })
                  }
                >
                  Thu bài
                </button>
              </>
            ) : null}
            {row.takeoverPending ? (
              <button type="button" className="button" onClick={() => withReason({ type: "approve_takeover", attemptId: row.attemptId })}>
                Cho chuyển sang thiết bị mới
              </button>
            ) : null}
            {row.status === "submitted" ? (
              <button
                type="button"
                className="button button--secondary"
                onClick={() => withReason({ type: "reopen", attemptId: row.attemptId, minutes })}
              >
                Mở lại bài ({minutes} phút)
              </button>
            ) : null}
          </div>
          {sitting ? (
            <form
              className="field"
              onSubmit={(e) => {
                e.preventDefault();
                if (text.trim()) void act({ type: "message", attemptId: row.attemptId, text }).then((ok) => ok && setText(""));
              }}
            >
              <label htmlFor="person-message">Nhắc nhở riêng</label>
              <div className="actions">
                <input id="person-message" value={text} onChange={(e) => setText(e.target.value)} maxLength={300} style={{ flex: 1 }} />
                <button type="submit" className="button button--secondary">
                  Gửi
                </button>
              </div>
            </form>
          ) : null}
        </>
      ) : null}
      {events.length ? (
        <ol className="events">
          {[...events].reverse().map((e) => (
            <li key={e.id}>
              <time>{clock(e.at)}</time> {EVENT_LABELS[e.kind] ?? e.kind}
              {e.reason ? <span className="muted"> — {e.reason}</span> : null}
            </li>
          ))}
        </ol>
      ) : (
        <p className="muted">Chưa có sự kiện nào.</p>
      )}
    </section>
  );
}
