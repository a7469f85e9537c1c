import { useCallback, useEffect, useRef, useState, type MutableRefObject } from "react";
import { io, type Socket } from "socket.io-client";

/**
 * The trainee's side of live proctoring (docs/realtime-protocol.md, "Proctor events"):
 * presence in the session's room, the question on screen, integrity signals (recorded
 * for the proctor, never failing anyone automatically) and the proctor's actions
 * shown at once (pause, lock, message, device takeover, reopen, end of session).
 */
export type IntegrityKind = "page_hidden" | "window_blur" | "fullscreen_exit" | "copy" | "paste" | "second_tab";

export interface ProctorState {
  paused: boolean;
  locked: boolean;
  takenOver: boolean;
  ended: boolean;
  messages: { text: string; at: string }[];
}

interface Options {
  examId: number;
  attemptId: number;
  deviceId: string | null;
  /** A new deadline pushed by the server (resume, reopen). */
  onDeadline: (deadlineIso: string, serverNowIso?: string) => void;
  initiallyPaused?: boolean;
  initiallyLocked?: boolean;
}

export function useProctoring(socketRef: MutableRefObject<Socket | null>, ready: boolean, opts: Options) {
  const [state, setState] = useState<ProctorState>({ paused: !!opts.initiallyPaused, locked: !!opts.initiallyLocked, takenOver: false, ended: false, messages: [] });
  const { examId, attemptId } = opts;
  const onDeadline = useRef(opts.onDeadline);
  onDeadline.current = opts.onDeadline;

  const report = useCallback(
    (kind: IntegrityKind, details?: Record<string, string | number | boolean>) => {
      const socket = socketRef.current;
      if (socket?.connected) socket.emit("exam:integrity", { examId, attemptId, kind, at: new Date().toISOString(), details });
    },
    [socketRef, examId, attemptId],
  );

  useEffect(() => {
    const socket = socketRef.current;
    if (!ready || !socket) return;
    const join = () => socket.emit("exam:join", { examId });
    if (socket.connected) join();
    socket.on("connect", join);
    const mine = (p: { attemptId?: number }) => p.attemptId === undefined || p.attemptId === attemptId;
    const on = <T extends object>(event: string, fn: (p: T) => void) => {
      const handler = (p: T) => mine(p as { attemptId?: number }) && fn(p);
      socket.on(event, handler);
      return () => socket.off(event, handler);
    };
    const offs = [
      on("exam:paused", () => setState((s) => ({ ...s, paused: true }))),
      on<{ deadline: string; serverNow: string }>("exam:resumed", (p) => {
        setState((s) => ({ ...s, paused: false }));
        onDeadline.current(p.deadline, p.serverNow);
      }),
      on("exam:locked", () => setState((s) => ({ ...s, locked: true }))),
      on("exam:unlocked", () => setState((s) => ({ ...s, locked: false }))),
      on<{ text: string; at: string }>("exam:message", (p) => setState((s) => ({ ...s, messages: [...s.messages, { text: p.text, at: p.at }].slice(-5) }))),
      // Only screens of the old device are in the attempt's room when a takeover is
      // approved (the new device joins at its start), and the new device's id is never
      // sent (decision 018): whoever hears this stops answering.
      on("exam:taken_over", () => setState((s) => ({ ...s, takenOver: true }))),
      on<{ deadline: string; serverNow: string }>("exam:reopened", (p) => {
        setState((s) => ({ ...s, locked: false, paused: false }));
        onDeadline.current(p.deadline, p.serverNow);
      }),
      on("exam:session_ended", () => setState((s) => ({ ...s, ended: true }))),
    ];
    return () => {
      socket.off("connect", join);
      for (const off of offs) off();
    };
  }, [ready, socketRef, examId, attemptId]);

  // Integrity signals. Blur fires with every tab switch too; only a blur while the
  // page stays visible (another window on top) is reported as such.
  useEffect(() => {
    if (!ready) return;
    let wasFullscreen = !!document.fullscreenElement;
    const onVisibility = () => {
      if (document.visibilityState === "hidden") report("page_hidden");
    };
    const onBlur = () => {
      window.setTimeout(() => {
        if (document.visibilityState === "visible" && !document.hasFocus()) report("window_blur");
      }, 300);
    };
    const onFullscreen = () => {
      if (wasFullscreen && !document.fullscreenElement) report("fullscreen_exit");
      wasFullscreen = !!document.fullscreenElement;
    };
    const onCopy = () => report("copy");
    const onPaste = () => report("paste");
    document.addEventListener("visibilitychange", onVisibility);
    window.addEventListener("blur", onBlur);
    document.addEventListener("fullscreenchange", onFullscreen);
    document.addEventListener("copy", onCopy);
    document.addEventListener("paste", onPaste);
    // A second tab of the same attempt answers the first one's hello.
    let channel: BroadcastChannel | null = null;
    if (typeof BroadcastChannel !== "undefined") {
      channel = new BroadcastChannel(`exam-attempt-${attemptId}`);
      channel.onmessage = (e: MessageEvent<string>) => {
        if (e.data === "hello") channel?.postMessage("here");
        report("second_tab");
      };
      channel.postMessage("hello");
    }
    return () => {
      document.removeEventListener("visibilitychange", onVisibility);
      window.removeEventListener("blur", onBlur);
      document.removeEventListener("fullscreenchange", onFullscreen);
      document.removeEventListener("copy", onCopy);
      document.removeEventListener("paste", onPaste);
      channel?.close();
    };
  }, [ready, report, attemptId]);

  const reportFocus = useCallback(
    (position: number) => {
      const socket = socketRef.current;
      if (socket?.connected) socket.emit("exam:focus", { examId, attemptId, position });
    },
    [socketRef, examId, attemptId],
  );

  const dismissMessage = useCallback(() => setState((s) => ({ ...s, messages: s.messages.slice(1) })), []);
  return { ...state, reportFocus, dismissMessage };
}

/**
 * The waiting room before a proctor-gated start: the trainee is shown as present,
 * and the page starts by itself when the proctor starts the room or admits them.
 */
export function useWaitingRoom(examId: number, enabled: boolean, onStart: () => void) {
  const [present, setPresent] = useState(false);
  const start = useRef(onStart);
  start.current = onStart;
  useEffect(() => {
    if (!enabled) return;
    const socket = io({ transports: ["websocket", "polling"], reconnectionDelayMax: 5000 });
    socket.on("connect", () => socket.emit("exam:join", { examId }, (r: { ok: boolean }) => setPresent(r.ok)));
    socket.on("disconnect", () => setPresent(false));
    const go = (p: { examId: number }) => {
      if (p.examId === examId) start.current();
    };
    socket.on("exam:started", go);
    socket.on("exam:takeover_approved", go);
    return () => {
      socket.close();
    };
  }, [examId, enabled]);
  return { present };
}
