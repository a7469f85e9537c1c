import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Link, useBlocker, type BlockerFunction } from "@remix-run/react";
import { io, type Socket } from "socket.io-client";
import { ConfirmDialog } from "./confirm-dialog";
import { useProctoring } from "./proctoring-client";
import { Journal, type JournalEntry } from "./journal";
import { examCommand, isTypingTarget, SHORTCUTS } from "./keys";
import { noteLateAnswers } from "./device";
import { StemContent } from "../question-stem";

/** A journal entry may carry an essay's text (the journal stores entries whole). */
type Entry = JournalEntry & { text?: string };

export interface PaperItem {
  position: number;
  type: "single" | "multiple" | "true_false" | "essay";
  stem: string;
  /** Server-sanitised HTML of an imported HTML stem (with its images); absent for plain stems. */
  stemHtml?: string | null;
  options: string[];
  chosen: number[];
  /** An essay's text as last saved; absent on objective items. */
  text?: string;
  flagged: boolean;
  seq: number;
}

export interface Paper {
  attemptId: number;
  examId?: number;
  /** Set by a proctor (live proctoring): time stands still / answers are refused. */
  paused?: boolean;
  locked?: boolean;
  title: string;
  status: string;
  deadline: string | null;
  serverNow: string;
  receipt: string | null;
  essayMaxChars?: number;
  items: PaperItem[];
}

type SaveState = "saved" | "saving" | "unsaved" | "empty" | "editing";
type Ack = { ok: true; seq: number; position: number } | { ok: false; error: string; message: string };

const TERMINAL = new Set(["not_in_progress", "deadline_passed", "not_found", "forbidden"]);
/** This screen's device no longer holds the attempt (decision 018): stop sending, keep the journal, say why. */
const DEVICE = new Set(["device_conflict", "device_replaced"]);
/** How long typing pauses before an essay draft is saved. */
const ESSAY_SAVE_DELAY_MS = 1500;
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
export function ExamRunner({ paper, onFinished, deviceId = null, deviceToken }: { paper: Paper; onFinished: () => void; deviceId?: string | null; deviceToken: string }) {
  const { attemptId } = paper;
  // Set when the server refuses this device (device_conflict / device_replaced).
  const [deviceRefused, setDeviceRefused] = useState<string | null>(null);
  const deviceRefusedRef = useRef<string | null>(null);
  const lateCount = useRef(0);
  const [answers, setAnswers] = useState<Record<number, { chosen: number[]; text: string; flagged: boolean; state: SaveState }>>(() =>
    Object.fromEntries(paper.items.map((i) => [i.position, { chosen: i.chosen, text: i.text ?? "", flagged: i.flagged, state: i.seq > 0 ? "saved" : "empty" }])),
  );
  const maxChars = paper.essayMaxChars ?? 8000;
  const hasEssays = paper.items.some((i) => i.type === "essay");
  const [politeNote, setPoliteNote] = useState("");
  const [itemError, setItemError] = useState<Record<number, string>>({});
  const essayTimers = useRef<Record<number, number>>({});
  // The runner is drawn in the browser only (it waits for the device token), so storage is there.
  const [index, setIndex] = useState(() => readPlace(attemptId, paper.items.length));
  const [deadline, setDeadline] = useState(paper.deadline ? new Date(paper.deadline).getTime() : null);
  const offset = useMemo(() => new Date(paper.serverNow).getTime() - Date.now(), [paper.serverNow]);
  const [now, setNow] = useState(() => Date.now() + offset);
  const [online, setOnline] = useState(true);
  const [announcement, setAnnouncement] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState("");
  const [closed, setClosed] = useState<string | null>(null);
  const [receipt, setReceipt] = useState<string | null>(paper.receipt);
  const socketRef = useRef<Socket | null>(null);
  const [socketReady, setSocketReady] = useState(false);
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
    async (entry: Entry): Promise<void> => {
      if (deviceRefusedRef.current) return; // kept in the journal: nothing this device sends is stored
      const e = { ...entry, deviceToken };
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
      if (r && !r.ok && DEVICE.has(r.error)) {
        deviceRefusedRef.current = r.error;
        setDeviceRefused(r.error);
        setAnswers((a) => ({ ...a, [e.position]: { ...a[e.position]!, state: "unsaved" } }));
        return;
      }
      if (r && !r.ok && (r.error === "too_long" || r.error === "bad_request")) {
        // Can never be stored as it is: keep it on screen, stop retrying, say what to do.
        await journal.ack(e.position, e.seq);
        setItemError((m) => ({ ...m, [e.position]: r.message }));
        setAnswers((a) => ({ ...a, [e.position]: { ...a[e.position]!, state: "unsaved" } }));
        return;
      }
      if (r?.ok) {
        setItemError((m) => (m[e.position] ? { ...m, [e.position]: "" } : m));
        await journal.ack(e.position, r.seq);
        if ((latestSeq.current[e.position] ?? 0) <= r.seq) setAnswers((a) => ({ ...a, [e.position]: { ...a[e.position]!, state: "saved" } }));
      } else if (r && TERMINAL.has(r.error)) {
        // Can never be stored (time is up or the attempt was submitted): stop retrying it.
        await journal.ack(e.position, e.seq);
        if (r.error === "deadline_passed") noteLateAnswers(attemptId, ++lateCount.current);
        setClosed(r.message);
        setAnswers((a) => ({ ...a, [e.position]: { ...a[e.position]!, state: "unsaved" } }));
      } else {
        setAnswers((a) => ({ ...a, [e.position]: { ...a[e.position]!, state: "unsaved" } }));
      }
    },
    [attemptId, journal, deviceToken],
  );

  const flush = useCallback(async () => {
    for (const e of ((await journal.pending()) as Entry[]).sort((a, b) => a.seq - b.seq)) {
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
        for (const e of pending as Entry[]) next[e.position] = { chosen: e.chosen, text: e.text ?? next[e.position]?.text ?? "", flagged: e.flagged, state: "unsaved" };
        return next;
      });
      void flush();
    });
  }, [journal, flush]);

  useEffect(() => {
    const socket = io({ transports: ["websocket", "polling"], reconnectionDelayMax: 5000 });
    socketRef.current = socket;
    setSocketReady(true);
    socket.on("connect", () => {
      setOnline(true);
      socket.emit("exam:sync", { attemptId }, (r: { ok: boolean; deadline?: string; serverNow?: string; status?: string }) => {
        if (r.ok && r.deadline) setDeadline(new Date(r.deadline).getTime());
        if (r.ok && (r.status === "submitted" || r.status === "awaiting_grading")) onFinished();
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

  // Live proctoring: the proctor's pause, lock, messages and device takeover.
  const proctor = useProctoring(socketRef, socketReady, {
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
  const blockedRef = useRef(blocked);
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
  }, [index, paper.items, reportFocus, socketReady]);

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

  async function answer(position: number, option: number, type: PaperItem["type"]) {
    if (closed || receipt || blockedRef.current) return;
    const prev = answers[position]!;
    const chosen = type === "multiple" ? (prev.chosen.includes(option) ? prev.chosen.filter((c) => c !== option) : [...prev.chosen, option].sort()) : [option];
    await record(position, chosen, prev.flagged);
  }

  async function record(position: number, chosen: number[], flagged: boolean, text?: string) {
    const item = paper.items.find((i) => i.position === position)!;
    // An essay always travels with its latest text, so a flag change cannot lose a draft.
    const essayText = item.type === "essay" ? (text ?? answers[position]!.text) : undefined;
    const e: Entry = { attemptId, position, chosen, flagged, seq: nextSeq(), ...(essayText !== undefined ? { text: essayText } : {}) };
    latestSeq.current[position] = e.seq;
    setAnswers((a) => ({ ...a, [position]: { chosen, text: essayText ?? a[position]!.text, flagged, state: "saving" } }));
    await journal.put(e);
    await send(e);
  }

  /** Typing in an essay: shown at once, saved (journal, then server) when typing pauses or the box is left. */
  function type(position: number, text: string) {
    if (closed || receipt || blockedRef.current) return;
    setAnswers((a) => ({ ...a, [position]: { ...a[position]!, text, state: "editing" } }));
    window.clearTimeout(essayTimers.current[position]);
    essayTimers.current[position] = window.setTimeout(() => void saveEssay(position, text), ESSAY_SAVE_DELAY_MS);
  }

  async function saveEssay(position: number, text: string) {
    window.clearTimeout(essayTimers.current[position]);
    delete essayTimers.current[position];
    await record(position, [], answers[position]!.flagged, text);
  }

  /** Saves an essay draft still waiting for its typing pause (before moving or submitting). */
  async function flushEssays() {
    for (const [pos, timer] of Object.entries(essayTimers.current)) {
      window.clearTimeout(timer);
      const position = Number(pos);
      delete essayTimers.current[position];
      await record(position, [], answers[position]!.flagged, answers[position]!.text);
    }
  }

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
  const shouldBlock = useCallback<BlockerFunction>(({ currentLocation, nextLocation }) => !receipt && currentLocation.pathname !== nextLocation.pathname, [receipt]);
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
    let r: { ok: boolean; receipt?: string; error?: string; message?: string } | null = null;
    try {
      r = socketRef.current?.connected ? await socketRef.current.timeout(8000).emitWithAck("exam:submit", { attemptId, deviceToken }) : null;
    } catch {
      r = null;
    }
    if (!r) {
      try {
        r = await (await fetch(`/api/thi/${attemptId}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ type: "submit", deviceToken }) })).json();
      } catch {
        r = null;
      }
    }
    setSubmitting(false);
    if (r && !r.ok && r.error && DEVICE.has(r.error)) {
      deviceRefusedRef.current = r.error;
      setDeviceRefused(r.error);
      setConfirming(false);
    } else if (r?.ok && r.receipt) {
      setReceipt(r.receipt);
      setConfirming(false);
      localStorage.removeItem(`exam-seq-${attemptId}`);
      localStorage.removeItem(placeKey(attemptId));
      // The page then shows the receipt with the score and the way to the review, as the policy allows.
      onFinished();
    } else if (!auto) {
      const message = r?.message ?? "Chưa nộp được bài: mất kết nối. Bài làm vẫn được giữ; hãy thử lại khi có mạng.";
      setAnnouncement(message);
      setSubmitError(message);
    }
  }

  // After handing in, the receipt's heading takes the focus the closed dialog had.
  const doneHeading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (receipt) doneHeading.current?.focus();
  }, [receipt]);

  if (receipt) {
    return (
      <section className="card exam-done" aria-labelledby="done-title">
        <h2 id="done-title" ref={doneHeading} tabIndex={-1}>
          Đã nộp bài
        </h2>
        <p>Mã biên nhận bài làm của bạn:</p>
        <p className="receipt" data-testid="receipt">
          {receipt}
        </p>
        <p>Hãy ghi lại mã này. Bất kỳ ai cũng có thể kiểm tra bài đã nộp tại trang Kiểm tra biên nhận.</p>
        {hasEssays ? <p>Bài có câu tự luận: điểm sẽ có sau khi giảng viên chấm xong.</p> : null}
        <p className="actions">
          <a className="button" href="/thi">
            Về danh sách bài kiểm tra
          </a>
          <a href={`/bien-nhan?ma=${encodeURIComponent(receipt)}`}>Kiểm tra biên nhận</a>
        </p>
      </section>
    );
  }

  const item = paper.items[index]!;
  const state = answers[item.position]!;
  const isAnswered = (a: { chosen: number[]; text: string }) => a.chosen.length > 0 || a.text.trim().length > 0;
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
              {replaced ? "Bài làm đã chuyển sang thiết bị khác" : deviceRefused ? "Bài làm đang mở trên thiết bị khác" : proctor.locked ? "Bài làm đang bị khóa" : "Giám thị tạm dừng bài thi"}
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
          <span className={`exam-timer${secondsLeft !== null && secondsLeft <= 300 ? " exam-timer--low" : ""}`} role="timer" aria-label="Thời gian còn lại">
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

      <section className="card exam-question" aria-labelledby={`q-${item.position}`}>
        {/* The bar shows the number; the heading names the question for screen readers and the outline. */}
        <h2 id={`q-${item.position}`} className="sr-only">
          Câu {item.position}/{paper.items.length}
          {state.flagged ? " ⚑ đánh dấu xem lại" : null}
        </h2>
        {state.flagged ? (
          <p className="exam-flag-note" aria-hidden="true">
            ⚑ Đã đánh dấu để xem lại
          </p>
        ) : null}
        {item.type === "essay" ? (
          <div className="field">
            <div className="exam-stem" id={`stem-${item.position}`}>
              <StemContent stem={item.stem} html={item.stemHtml} />
            </div>
            <label htmlFor={`essay-${item.position}`}>Bài làm tự luận</label>
            <textarea
              id={`essay-${item.position}`}
              aria-describedby={`stem-${item.position} count-${item.position}`}
              rows={10}
              maxLength={maxChars}
              value={state.text}
              disabled={!!closed}
              onChange={(e) => type(item.position, e.target.value)}
              onBlur={() => (essayTimers.current[item.position] !== undefined ? void saveEssay(item.position, state.text) : undefined)}
              style={{ width: "100%", fontSize: "1.05rem", lineHeight: 1.5 }}
            />
            <p className="hint" id={`count-${item.position}`}>
              {state.text.length.toLocaleString("vi-VN")}/{maxChars.toLocaleString("vi-VN")} ký tự · tự lưu khi bạn ngừng gõ · Esc để rời ô viết
            </p>
            {itemError[item.position] ? (
              <p className="form-error" role="alert">
                {itemError[item.position]}
              </p>
            ) : null}
          </div>
        ) : (
        <fieldset>
          <legend className="exam-stem">
            <StemContent stem={item.stem} html={item.stemHtml} />
          </legend>
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
        )}
        <p className={`save-state save-state--${state.state}`} role="status" data-testid="save-state">
          {{ saved: "✓ Đã lưu", saving: "Đang lưu…", unsaved: "Chưa lưu — sẽ tự gửi lại khi có mạng", empty: "Chưa trả lời", editing: "Đang soạn — sẽ tự lưu khi bạn ngừng gõ" }[state.state]}
        </p>
      </section>

      <nav className="exam-nav" aria-label="Chuyển câu">
        <button type="button" className="button button--secondary" onClick={() => go(index - 1)} disabled={index === 0} aria-keyshortcuts="K ArrowLeft">
          ← Câu trước
        </button>
        <button type="button" className="button" onClick={() => go(index + 1)} disabled={index === paper.items.length - 1} aria-keyshortcuts="J ArrowRight">
          Câu sau →
        </button>
        <button type="button" className="button button--secondary exam-nav__flag" onClick={() => void record(item.position, state.chosen, !state.flagged)} aria-pressed={state.flagged} aria-keyshortcuts="F">
          ⚑ {state.flagged ? "Bỏ đánh dấu" : "Đánh dấu"}
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
                  className={`qbtn${isAnswered(a) ? " qbtn--answered" : ""}${a.flagged ? " qbtn--flagged" : ""}${a.state === "unsaved" ? " qbtn--unsaved" : ""}${i === index ? " qbtn--current" : ""}`}
                  onClick={() => go(i)}
                  aria-label={`Câu ${it.position}${it.type === "essay" ? " (tự luận)" : ""}${isAnswered(a) ? ", đã trả lời" : ", chưa trả lời"}${a.flagged ? ", đánh dấu" : ""}${a.state === "unsaved" ? ", chưa lưu" : ""}`}
                  aria-current={i === index ? "true" : undefined}
                >
                  {it.position}
                </button>
              </li>
            );
          })}
        </ol>
      </details>

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
