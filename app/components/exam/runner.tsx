import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Link, useBlocker, type BlockerFunction } from "@remix-run/react";
import { ConfirmDialog } from "./confirm-dialog";
import { useProctoring } from "./proctoring-client";
import { examCommand, isTypingTarget, SHORTCUTS } from "./keys";
import { DEVICE, isAnswered, useAnswerQueue } from "./use-answer-queue";
import { useExamConnection } from "./use-exam-connection";
import { useSocket } from "~/lib/realtime/use-socket";
import { QuestionView } from "./question-view";
import { QuestionGrid, QuestionNav } from "./exam-navigation";
import { ExamDone } from "./exam-done";
import type { Paper, PaperItem, SubmitReply } from "../../../server/realtime/contract";

export type { Paper, PaperItem };

const THRESHOLDS = [600, 300, 60];

/** Where this attempt was last shown (issue #14: a reload resumes at that question). */
const placeKey = (attemptId: number) => `exam-at-${attemptId}`;

function readPlace(attemptId: number, count: number): number {
  try {
    const n = Number(window.localStorage.getItem(placeKey(attemptId)));
    return Number.isInteger(n) && n >= 0 && n < count ? n : 0;
  } catch {
    return 0; // storage refused (private mode): start at the first question
  }
}

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
export function ExamRunner({
  paper,
  onFinished,
  deviceId = null,
  deviceToken,
}: {
  paper: Paper;
  onFinished: () => void;
  deviceId?: string | null;
  deviceToken: string;
}) {
  const { attemptId } = paper;
  const maxChars = paper.essayMaxChars ?? 8000;
  const hasEssays = paper.items.some((i) => i.type === "essay");
  const [politeNote, setPoliteNote] = useState("");
  // The runner is drawn in the browser only (it waits for the device token), so storage is there.
  const [index, setIndex] = useState(() => readPlace(attemptId, paper.items.length));
  const [deadline, setDeadline] = useState(paper.deadline ? new Date(paper.deadline).getTime() : null);
  const offset = useMemo(() => new Date(paper.serverNow).getTime() - Date.now(), [paper.serverNow]);
  const [now, setNow] = useState(() => Date.now() + offset);
  const [announcement, setAnnouncement] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState("");
  const [receipt, setReceipt] = useState<string | null>(paper.receipt);
  const announced = useRef(new Set<number>());
  const blockedRef = useRef(false);
  const receiptRef = useRef(receipt);
  receiptRef.current = receipt;

  const onDeadline = useCallback((iso: string, announce: boolean) => {
    setDeadline(new Date(iso).getTime());
    if (announce) setAnnouncement("Thời gian làm bài đã được điều chỉnh.");
  }, []);
  // The page's one connection (app/lib/realtime/use-socket.ts): answers, sync and proctoring share it.
  const { socket } = useSocket();
  const queue = useAnswerQueue({ paper, socket, deviceToken, isBlocked: () => !!receiptRef.current || blockedRef.current });
  const { answers, itemError, closed, deviceRefused, refuseDevice, record, flush, flushEssays } = queue;
  const { online } = useExamConnection({ socket, attemptId, flush, onFinished, onDeadline });

  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now() + offset), 1000);
    return () => window.clearInterval(id);
  }, [offset]);

  // Live proctoring: the proctor's pause, lock, messages and device takeover.
  const proctor = useProctoring(socket, {
    examId: paper.examId ?? 0,
    attemptId,
    deviceId,
    initiallyPaused: paper.paused,
    initiallyLocked: paper.locked,
    onDeadline: (d) => {
      setDeadline(new Date(d).getTime());
      setAnnouncement("Thời gian làm bài đã được điều chỉnh.");
    },
  });
  const replaced = proctor.takenOver || deviceRefused === "device_replaced";
  const blocked = proctor.paused || proctor.locked || replaced || deviceRefused !== null;
  blockedRef.current = blocked;
  // While paused the clock stands still on screen, as it does on the server.
  const [frozenAt, setFrozenAt] = useState<number | null>(null);
  useEffect(() => setFrozenAt(proctor.paused ? Date.now() + offset : null), [proctor.paused, offset]);
  const { reportFocus } = proctor;
  useEffect(() => {
    try {
      if (!receipt) window.localStorage.setItem(placeKey(attemptId), String(index));
    } catch {
      // storage refused: a reload starts at the first question, nothing else is lost
    }
  }, [attemptId, index, receipt]);
  const resumedAt = useRef(index);
  useEffect(() => {
    // The start button sat low on the page before; the paper begins at the top.
    window.scrollTo(0, 0);
    if (resumedAt.current > 0) setPoliteNote(`Làm tiếp từ câu ${paper.items[resumedAt.current]!.position}/${paper.items.length}.`);
  }, [paper.items]);
  useEffect(() => {
    const it = paper.items[index];
    if (it) reportFocus(it.position);
  }, [index, paper.items, reportFocus]);

  const secondsLeft = deadline ? Math.max(0, Math.floor((deadline - (frozenAt ?? now)) / 1000)) : null;
  useEffect(() => {
    if (secondsLeft === null) return;
    for (const t of THRESHOLDS)
      if (secondsLeft <= t && secondsLeft > t - 5 && !announced.current.has(t)) {
        announced.current.add(t);
        setAnnouncement(`Còn ${t / 60} phút.`);
      }
    if (secondsLeft === 0 && !announced.current.has(0) && !blockedRef.current) {
      announced.current.add(0);
      setAnnouncement("Đã hết giờ. Bài làm đang được nộp.");
      void flush().then(() => submit(true));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [secondsLeft]);

  const answer = (position: number, option: number, type: PaperItem["type"]) => queue.choose(position, option, type);

  function go(next: number) {
    const target = Math.min(paper.items.length - 1, Math.max(0, next));
    if (target === index) return;
    void flushEssays();
    setIndex(target);
    // The next question starts at its top, not wherever the previous one's buttons were.
    window.scrollTo(0, 0);
    setPoliteNote(`Câu ${paper.items[target]!.position}/${paper.items.length}.`);
  }

  // Leaving asks first (the "Thoát" link, the browser's back button, any link): leaving
  // does not submit, and the time keeps running. Nothing to ask once the paper is handed in.
  const shouldBlock = useCallback<BlockerFunction>(
    ({ currentLocation, nextLocation }) => !receipt && currentLocation.pathname !== nextLocation.pathname,
    [receipt],
  );
  const leaving = useBlocker(shouldBlock);
  const dialogOpen = confirming || leaving.state === "blocked";
  // A proctor's pause or lock takes the screen: a pending question is withdrawn.
  useEffect(() => {
    if (!blocked) return;
    setConfirming(false);
    if (leaving.state === "blocked") leaving.reset();
  }, [blocked, leaving]);

  // Keyboard answering (keys.ts); never while typing an essay, nor behind a dialog.
  useEffect(() => {
    const onKey = (ev: KeyboardEvent) => {
      if (receipt || dialogOpen) return;
      if (ev.key === "Escape" && isTypingTarget(ev.target)) {
        (ev.target as HTMLElement).blur();
        return;
      }
      if (isTypingTarget(ev.target)) return;
      const it = paper.items[index]!;
      const cmd = examCommand(ev, it.options.length);
      if (!cmd) return;
      ev.preventDefault();
      const st = answers[it.position]!;
      if (cmd.kind === "next") go(index + 1);
      else if (cmd.kind === "prev") go(index - 1);
      else if (cmd.kind === "flag") {
        void record(it.position, st.chosen, !st.flagged);
        setPoliteNote(st.flagged ? `Đã bỏ đánh dấu câu ${it.position}.` : `Đã đánh dấu câu ${it.position} để xem lại.`);
      } else if (!closed) {
        const picked = it.type === "multiple" && st.chosen.includes(cmd.option);
        void answer(it.position, cmd.option, it.type);
        setPoliteNote(`${picked ? "Đã bỏ chọn" : "Đã chọn"} phương án ${String.fromCharCode(65 + cmd.option)}.`);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  async function submit(auto = false) {
    if (!auto) {
      setSubmitting(true);
      setSubmitError("");
    }
    await flushEssays();
    await flush();
    let r: SubmitReply | null = null;
    try {
      r = socket?.connected ? await socket.timeout(8000).emitWithAck("exam:submit", { attemptId, deviceToken }) : null;
    } catch {
      r = null;
    }
    if (!r) {
      try {
        r = await (
          await fetch(`/api/thi/${attemptId}`, {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ type: "submit", deviceToken }),
          })
        ).json();
      } catch {
        r = null;
      }
    }
    setSubmitting(false);
    if (r && !r.ok && DEVICE.has(r.error)) {
      refuseDevice(r.error);
      setConfirming(false);
    } else if (r?.ok && r.receipt) {
      setReceipt(r.receipt);
      setConfirming(false);
      localStorage.removeItem(`exam-seq-${attemptId}`);
      localStorage.removeItem(placeKey(attemptId));
      // The page then shows the receipt with the score and the way to the review, as the policy allows.
      onFinished();
    } else if (!auto) {
      const message = (r && !r.ok ? r.message : null) ?? "Chưa nộp được bài: mất kết nối. Bài làm vẫn được giữ; hãy thử lại khi có mạng.";
      setAnnouncement(message);
      setSubmitError(message);
    }
  }

  if (receipt) return <ExamDone receipt={receipt} hasEssays={hasEssays} />;

  const item = paper.items[index]!;
  const state = answers[item.position]!;
  const answered = Object.values(answers).filter(isAnswered).length;
  const unsaved = Object.values(answers).filter((a) => a.state === "unsaved" || a.state === "saving" || a.state === "editing").length;
  // One line in the bar says whether the answers are safe; the connection matters only when lost.
  const all = Object.values(answers);
  const barState: [string, "ok" | "busy" | "err"] = !online
    ? [unsaved ? "Chưa lưu — mất kết nối" : "Mất kết nối", "err"]
    : all.some((a) => a.state === "unsaved")
      ? ["Chưa lưu — đang gửi lại", "err"]
      : unsaved
        ? ["Đang lưu…", "busy"]
        : all.some((a) => a.state === "saved")
          ? ["✓ Đã lưu", "ok"]
          : ["Đã kết nối", "ok"];

  return (
    <div className="exam">
      {blocked ? (
        <div className="exam-overlay" role="alertdialog" aria-modal="true" aria-labelledby="overlay-title" data-testid="exam-overlay">
          <section className="card">
            <h2 id="overlay-title" style={{ marginTop: 0 }}>
              {replaced
                ? "Bài làm đã chuyển sang thiết bị khác"
                : deviceRefused
                  ? "Bài làm đang mở trên thiết bị khác"
                  : proctor.locked
                    ? "Bài làm đang bị khóa"
                    : "Giám thị tạm dừng bài thi"}
            </h2>
            <p>
              {replaced
                ? "Giám thị đã cho làm tiếp trên thiết bị khác. Màn hình này không còn trả lời hay nộp bài được; câu trả lời chưa lưu trên máy này không được gửi. Nếu bạn cần làm tiếp trên thiết bị này, hãy báo giám thị."
                : deviceRefused
                  ? "Thiết bị này chưa được nhận bài làm nên câu trả lời không được lưu. Hãy báo giám thị để chuyển bài sang thiết bị này, rồi tải lại trang."
                  : proctor.locked
                    ? "Giám thị đã khóa bài làm của bạn. Câu trả lời đã lưu được giữ nguyên; hãy làm theo hướng dẫn của giám thị."
                    : "Thời gian làm bài đang dừng và không bị trừ. Câu trả lời đã lưu được giữ nguyên; hãy chờ giám thị cho tiếp tục."}
            </p>
          </section>
        </div>
      ) : null}
      {proctor.messages[0] ? (
        <section className="card exam-message" role="alert">
          <p style={{ margin: 0 }}>
            <strong>Giám thị nhắc:</strong> {proctor.messages[0].text}
          </p>
          <button type="button" className="button button--secondary" onClick={proctor.dismissMessage}>
            Đã hiểu
          </button>
        </section>
      ) : null}
      <div className="exam-bar" role="region" aria-label="Thời gian và trạng thái">
        <div className="exam-bar__row">
          <span
            className={`exam-timer${secondsLeft !== null && secondsLeft <= 300 ? " exam-timer--low" : ""}`}
            role="timer"
            aria-label="Thời gian còn lại"
          >
            Còn {secondsLeft === null ? "--:--" : formatClock(secondsLeft)}
          </span>
          {/* The question's own heading says this to a screen reader. */}
          <span className="exam-bar__place" aria-hidden="true" data-testid="bar-place">
            Câu {item.position}/{paper.items.length}
          </span>
          <Link to="/thi" className="button button--secondary exam-exit">
            Thoát
          </Link>
        </div>
        <div className="exam-bar__row exam-bar__row--small">
          <span>
            Đã trả lời {answered}/{paper.items.length}
          </span>
          <span className={`conn conn--${barState[1]}`} role="status" data-testid="bar-state">
            {barState[0]}
          </span>
        </div>
      </div>
      <p className="sr-only" aria-live="assertive">
        {announcement}
      </p>
      <p className="sr-only" aria-live="polite">
        {politeNote}
      </p>
      {closed ? (
        <p className="form-error" role="alert">
          {closed}
        </p>
      ) : null}

      <QuestionView
        item={item}
        count={paper.items.length}
        state={state}
        error={itemError[item.position]}
        disabled={!!closed}
        maxChars={maxChars}
        onChoose={(i) => void answer(item.position, i, item.type)}
        onType={(text) => queue.type(item.position, text)}
        onLeaveEssay={() => queue.leaveEssay(item.position)}
      />

      <QuestionNav
        index={index}
        count={paper.items.length}
        flagged={state.flagged}
        onGo={go}
        onFlag={() => void record(item.position, state.chosen, !state.flagged)}
      />

      <QuestionGrid items={paper.items} answers={answers} index={index} onGo={go} />

      <details className="card">
        <summary>Phím tắt</summary>
        <dl className="shortcuts" data-testid="shortcuts">
          {SHORTCUTS.map(([k, what]) => (
            <div key={k}>
              <dt style={{ display: "inline", fontWeight: 700 }}>{k}</dt>: <dd style={{ display: "inline", margin: 0 }}>{what}</dd>
            </div>
          ))}
        </dl>
      </details>

      <p>
        <button type="button" className="button" onClick={() => setConfirming(true)} disabled={!!closed}>
          Nộp bài
        </button>
      </p>

      <ConfirmDialog
        open={confirming}
        title="Nộp bài?"
        confirmLabel={submitting ? "Đang nộp…" : "Nộp bài"}
        cancelLabel="Làm tiếp"
        busy={submitting}
        onConfirm={() => void submit()}
        onCancel={() => {
          setConfirming(false);
          setSubmitError("");
        }}
        testId="submit-dialog"
      >
        <p>
          Bạn đã trả lời {answered}/{paper.items.length} câu.
          {paper.items.length - answered ? ` Còn ${paper.items.length - answered} câu chưa trả lời.` : ""}
          {unsaved ? ` ${unsaved} câu chưa lưu lên máy chủ; hệ thống sẽ gửi trước khi nộp.` : ""}
        </p>
        <p>Đã nộp thì không sửa được nữa.</p>
        {submitError ? <p className="form-error">{submitError}</p> : null}
      </ConfirmDialog>
      <ConfirmDialog
        open={leaving.state === "blocked"}
        title="Thoát khỏi bài làm?"
        confirmLabel="Thoát"
        cancelLabel="Ở lại làm bài"
        onConfirm={() => leaving.proceed?.()}
        onCancel={() => leaving.reset?.()}
        testId="leave-dialog"
      >
        <p>Bài làm chưa được nộp. Các câu trả lời đã lưu được giữ nguyên và bạn có thể vào làm tiếp, nhưng thời gian làm bài vẫn tính.</p>
        {unsaved ? <p className="form-error">{unsaved} câu chưa lưu lên máy chủ. Nên chờ dòng “✓ Đã lưu” rồi hãy thoát.</p> : null}
      </ConfirmDialog>
    </div>
  );
}
