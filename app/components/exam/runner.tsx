import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { io, type Socket } from "socket.io-client";
import { Journal, type JournalEntry } from "./journal";

export interface PaperItem {
  position: number;
  type: "single" | "multiple" | "true_false" | "essay";
  stem: string;
  options: string[];
  chosen: number[];
  flagged: boolean;
  seq: number;
}

export interface Paper {
  attemptId: number;
  title: string;
  status: string;
  deadline: string | null;
  serverNow: string;
  receipt: string | null;
  items: PaperItem[];
}

type SaveState = "saved" | "saving" | "unsaved" | "empty";
type Ack = { ok: true; seq: number; position: number } | { ok: false; error: string; message: string };

const TERMINAL = new Set(["not_in_progress", "deadline_passed", "not_found", "forbidden"]);
const THRESHOLDS = [600, 300, 60];

function formatClock(s: number) {
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return `${h ? `${h}:` : ""}${String(m).padStart(h ? 2 : 1, "0")}:${String(sec).padStart(2, "0")}`;
}

/**
 * The trainee's exam screen: one question per screen, answers saved over Socket.IO
 * (HTTP fallback), a journal in IndexedDB replayed on reconnect, and a timer from the
 * server's clock that announces thresholds, not every second.
 */
export function ExamRunner({ paper, onFinished }: { paper: Paper; onFinished: () => void }) {
  const { attemptId } = paper;
  const [answers, setAnswers] = useState<Record<number, { chosen: number[]; flagged: boolean; state: SaveState }>>(() =>
    Object.fromEntries(paper.items.map((i) => [i.position, { chosen: i.chosen, flagged: i.flagged, state: i.seq > 0 ? "saved" : "empty" }])),
  );
  const [index, setIndex] = useState(0);
  const [deadline, setDeadline] = useState(paper.deadline ? new Date(paper.deadline).getTime() : null);
  const offset = useMemo(() => new Date(paper.serverNow).getTime() - Date.now(), [paper.serverNow]);
  const [now, setNow] = useState(() => Date.now() + offset);
  const [online, setOnline] = useState(true);
  const [announcement, setAnnouncement] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [closed, setClosed] = useState<string | null>(null);
  const [receipt, setReceipt] = useState<string | null>(paper.receipt);
  const socketRef = useRef<Socket | null>(null);
  const journal = useMemo(() => new Journal(attemptId), [attemptId]);
  const seqRef = useRef(0);
  const latestSeq = useRef<Record<number, number>>({});
  const announced = useRef(new Set<number>());

  useEffect(() => {
    const stored = Number(localStorage.getItem(`exam-seq-${attemptId}`) ?? 0);
    seqRef.current = Math.max(stored, ...paper.items.map((i) => i.seq), 0);
  }, [attemptId, paper.items]);

  const nextSeq = () => {
    seqRef.current += 1;
    localStorage.setItem(`exam-seq-${attemptId}`, String(seqRef.current));
    return seqRef.current;
  };

  const send = useCallback(
    async (e: JournalEntry): Promise<void> => {
      let r: Ack | null = null;
      const socket = socketRef.current;
      if (socket?.connected) {
        try {
          r = (await socket.timeout(5000).emitWithAck("exam:answer", e)) as Ack;
        } catch {
          r = null;
        }
      }
      if (!r) {
        try {
          const res = await fetch(`/api/thi/${attemptId}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ type: "answer", ...e }) });
          r = (await res.json()) as Ack;
        } catch {
          r = null;
        }
      }
      if (r?.ok) {
        await journal.ack(e.position, r.seq);
        if ((latestSeq.current[e.position] ?? 0) <= r.seq) setAnswers((a) => ({ ...a, [e.position]: { ...a[e.position]!, state: "saved" } }));
      } else if (r && TERMINAL.has(r.error)) {
        // Can never be stored (time is up or the attempt was submitted): stop retrying it.
        await journal.ack(e.position, e.seq);
        setClosed(r.message);
        setAnswers((a) => ({ ...a, [e.position]: { ...a[e.position]!, state: "unsaved" } }));
      } else {
        setAnswers((a) => ({ ...a, [e.position]: { ...a[e.position]!, state: "unsaved" } }));
      }
    },
    [attemptId, journal],
  );

  const flush = useCallback(async () => {
    for (const e of (await journal.pending()).sort((a, b) => a.seq - b.seq)) {
      latestSeq.current[e.position] = Math.max(latestSeq.current[e.position] ?? 0, e.seq);
      await send(e);
    }
  }, [journal, send]);

  // Restore unsent answers from the journal (they are newer than the server's copy).
  useEffect(() => {
    void journal.pending().then((pending) => {
      if (!pending.length) return;
      setAnswers((a) => {
        const next = { ...a };
        for (const e of pending) next[e.position] = { chosen: e.chosen, flagged: e.flagged, state: "unsaved" };
        return next;
      });
      void flush();
    });
  }, [journal, flush]);

  useEffect(() => {
    const socket = io({ transports: ["websocket", "polling"], reconnectionDelayMax: 5000 });
    socketRef.current = socket;
    socket.on("connect", () => {
      setOnline(true);
      socket.emit("exam:sync", { attemptId }, (r: { ok: boolean; deadline?: string; serverNow?: string; status?: string }) => {
        if (r.ok && r.deadline) setDeadline(new Date(r.deadline).getTime());
        if (r.ok && r.status === "submitted") onFinished();
      });
      void flush();
    });
    socket.on("disconnect", () => setOnline(false));
    socket.on("exam:deadline", (p: { deadline: string }) => {
      setDeadline(new Date(p.deadline).getTime());
      setAnnouncement("Thời gian làm bài đã được điều chỉnh.");
    });
    socket.on("exam:closed", () => onFinished());
    const retry = window.setInterval(() => void flush(), 5000);
    const onOnline = () => void flush();
    window.addEventListener("online", onOnline);
    return () => {
      window.clearInterval(retry);
      window.removeEventListener("online", onOnline);
      socket.close();
    };
  }, [attemptId, flush, onFinished]);

  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now() + offset), 1000);
    return () => window.clearInterval(id);
  }, [offset]);

  const secondsLeft = deadline ? Math.max(0, Math.floor((deadline - now) / 1000)) : null;
  useEffect(() => {
    if (secondsLeft === null) return;
    for (const t of THRESHOLDS)
      if (secondsLeft <= t && secondsLeft > t - 5 && !announced.current.has(t)) {
        announced.current.add(t);
        setAnnouncement(`Còn ${t / 60} phút.`);
      }
    if (secondsLeft === 0 && !announced.current.has(0)) {
      announced.current.add(0);
      setAnnouncement("Đã hết giờ. Bài làm đang được nộp.");
      void flush().then(() => submit(true));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [secondsLeft]);

  async function answer(position: number, option: number, type: PaperItem["type"]) {
    if (closed || receipt) return;
    const prev = answers[position]!;
    const chosen = type === "multiple" ? (prev.chosen.includes(option) ? prev.chosen.filter((c) => c !== option) : [...prev.chosen, option].sort()) : [option];
    await record(position, chosen, prev.flagged);
  }

  async function record(position: number, chosen: number[], flagged: boolean) {
    const e: JournalEntry = { attemptId, position, chosen, flagged, seq: nextSeq() };
    latestSeq.current[position] = e.seq;
    setAnswers((a) => ({ ...a, [position]: { chosen, flagged, state: "saving" } }));
    await journal.put(e);
    await send(e);
  }

  async function submit(auto = false) {
    await flush();
    let r: { ok: boolean; receipt?: string; message?: string } | null = null;
    try {
      r = socketRef.current?.connected ? await socketRef.current.timeout(8000).emitWithAck("exam:submit", { attemptId }) : null;
    } catch {
      r = null;
    }
    if (!r) {
      try {
        r = await (await fetch(`/api/thi/${attemptId}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ type: "submit" }) })).json();
      } catch {
        r = null;
      }
    }
    if (r?.ok && r.receipt) {
      setReceipt(r.receipt);
      setConfirming(false);
      localStorage.removeItem(`exam-seq-${attemptId}`);
    } else if (!auto) setAnnouncement(r?.message ?? "Chưa nộp được bài: mất kết nối. Bài làm vẫn được giữ; hãy thử lại khi có mạng.");
  }

  if (receipt) {
    return (
      <section className="card exam-done" aria-labelledby="done-title">
        <h2 id="done-title">Đã nộp bài</h2>
        <p>Mã biên nhận bài làm của bạn:</p>
        <p className="receipt" data-testid="receipt">
          {receipt}
        </p>
        <p>Hãy ghi lại mã này. Bất kỳ ai cũng có thể kiểm tra bài đã nộp tại trang Kiểm tra biên nhận.</p>
        <p>
          <a href={`/bien-nhan?ma=${encodeURIComponent(receipt)}`}>Kiểm tra biên nhận</a> · <a href="/thi">Về danh sách bài kiểm tra</a>
        </p>
      </section>
    );
  }

  const item = paper.items[index]!;
  const state = answers[item.position]!;
  const answered = Object.values(answers).filter((a) => a.chosen.length > 0).length;
  const unsaved = Object.values(answers).filter((a) => a.state === "unsaved" || a.state === "saving").length;

  return (
    <div className="exam">
      <div className="exam-bar" role="region" aria-label="Thời gian và trạng thái">
        <span className={`exam-timer${secondsLeft !== null && secondsLeft <= 300 ? " exam-timer--low" : ""}`} role="timer" aria-label="Thời gian còn lại">
          Còn {secondsLeft === null ? "--:--" : formatClock(secondsLeft)}
        </span>
        <span className={online ? "conn conn--on" : "conn conn--off"} role="status">
          {online ? "Đã kết nối" : "Mất kết nối — câu trả lời được giữ trên máy"}
        </span>
        <span>
          Đã trả lời {answered}/{paper.items.length}
        </span>
      </div>
      <p className="sr-only" aria-live="assertive">
        {announcement}
      </p>
      {closed ? (
        <p className="form-error" role="alert">
          {closed}
        </p>
      ) : null}

      <section className="card exam-question" aria-labelledby={`q-${item.position}`}>
        <h2 id={`q-${item.position}`} className="exam-qnum">
          Câu {item.position}/{paper.items.length}
          {state.flagged ? <span className="badge"> ⚑ đánh dấu xem lại</span> : null}
        </h2>
        <fieldset>
          <legend className="exam-stem">{item.stem}</legend>
          {item.type === "multiple" ? <p className="hint">Chọn tất cả phương án đúng.</p> : null}
          {item.options.map((o, i) => (
            <label key={i} className={`choice exam-choice${state.chosen.includes(i) ? " is-chosen" : ""}`}>
              <input
                type={item.type === "multiple" ? "checkbox" : "radio"}
                name={`q${item.position}`}
                checked={state.chosen.includes(i)}
                onChange={() => void answer(item.position, i, item.type)}
                disabled={!!closed}
              />
              <span>
                <strong>{String.fromCharCode(65 + i)}.</strong> {o}
              </span>
            </label>
          ))}
        </fieldset>
        <p className={`save-state save-state--${state.state}`} role="status" data-testid="save-state">
          {{ saved: "✓ Đã lưu", saving: "Đang lưu…", unsaved: "Chưa lưu — sẽ tự gửi lại khi có mạng", empty: "Chưa trả lời" }[state.state]}
        </p>
      </section>

      <nav className="exam-nav" aria-label="Chuyển câu">
        <button type="button" className="button button--secondary" onClick={() => setIndex((i) => Math.max(0, i - 1))} disabled={index === 0}>
          ← Câu trước
        </button>
        <button type="button" className="button button--secondary" onClick={() => void record(item.position, state.chosen, !state.flagged)} aria-pressed={state.flagged}>
          ⚑ {state.flagged ? "Bỏ đánh dấu" : "Đánh dấu"}
        </button>
        <button type="button" className="button" onClick={() => setIndex((i) => Math.min(paper.items.length - 1, i + 1))} disabled={index === paper.items.length - 1}>
          Câu sau →
        </button>
      </nav>

      <details className="card" open>
        <summary>Danh sách câu</summary>
        <ol className="exam-grid">
          {paper.items.map((it, i) => {
            const a = answers[it.position]!;
            return (
              <li key={it.position}>
                <button
                  type="button"
                  className={`qbtn${a.chosen.length ? " qbtn--answered" : ""}${a.flagged ? " qbtn--flagged" : ""}${a.state === "unsaved" ? " qbtn--unsaved" : ""}${i === index ? " qbtn--current" : ""}`}
                  onClick={() => setIndex(i)}
                  aria-label={`Câu ${it.position}${a.chosen.length ? ", đã trả lời" : ", chưa trả lời"}${a.flagged ? ", đánh dấu" : ""}${a.state === "unsaved" ? ", chưa lưu" : ""}`}
                  aria-current={i === index ? "true" : undefined}
                >
                  {it.position}
                </button>
              </li>
            );
          })}
        </ol>
      </details>

      {confirming ? (
        <section className="card" role="alertdialog" aria-labelledby="confirm-title">
          <h2 id="confirm-title">Nộp bài?</h2>
          <p>
            Bạn đã trả lời {answered}/{paper.items.length} câu.
            {paper.items.length - answered ? ` Còn ${paper.items.length - answered} câu chưa trả lời.` : ""}
            {unsaved ? ` ${unsaved} câu chưa lưu lên máy chủ; hệ thống sẽ gửi trước khi nộp.` : ""}
          </p>
          <div className="actions">
            <button type="button" className="button" onClick={() => void submit()}>
              Nộp bài
            </button>
            <button type="button" className="button button--secondary" onClick={() => setConfirming(false)}>
              Làm tiếp
            </button>
          </div>
        </section>
      ) : (
        <p>
          <button type="button" className="button" onClick={() => setConfirming(true)} disabled={!!closed}>
            Nộp bài
          </button>
        </p>
      )}
    </div>
  );
}
