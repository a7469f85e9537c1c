import { useCallback, useEffect, useRef, useState } from "react";
import { listen, useOnConnect, useSocket, type AppClientSocket } from "~/lib/realtime/use-socket";
import type { IntegrityKind } from "../../../server/realtime/contract";

/**
 * The trainee's side of live proctoring (docs/realtime-protocol.md, "Proctor events"):
 * presence in the session's room, the question on screen, integrity signals (recorded
 * for the proctor, never failing anyone automatically) and the proctor's actions
 * shown at once (pause, lock, message, device takeover, reopen, end of session).
 */
export type { IntegrityKind };

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

export function useProctoring(socket: AppClientSocket | null, opts: Options) {
  const ready = socket !== null;
  const [state, setState] = useState<ProctorState>({
    paused: !!opts.initiallyPaused,
    locked: !!opts.initiallyLocked,
    takenOver: false,
    ended: false,
    messages: [],
  });
  const { examId, attemptId } = opts;
  const onDeadline = useRef(opts.onDeadline);
  onDeadline.current = opts.onDeadline;

  const report = useCallback(
    (kind: IntegrityKind, details?: Record<string, string | number | boolean>) => {
      if (socket?.connected) socket.emit("exam:integrity", { examId, attemptId, kind, at: new Date().toISOString(), details }, () => {});
    },
    [socket, examId, attemptId],
  );

  // Presence in the session's room, on every (re)connection.
  const join = useCallback((s: AppClientSocket) => s.emit("exam:join", { examId }, () => {}), [examId]);
  useOnConnect(socket, join);

  useEffect(() => {
    if (!socket) return;
    const mine = (p: { attemptId?: number }) => p.attemptId === undefined || p.attemptId === attemptId;
    const offs = [
      listen(socket, "exam:paused", (p) => mine(p) && setState((s) => ({ ...s, paused: true }))),
      listen(socket, "exam:resumed", (p) => {
        if (!mine(p)) return;
        setState((s) => ({ ...s, paused: false }));
        onDeadline.current(p.deadline, p.serverNow);
      }),
      listen(socket, "exam:locked", (p) => mine(p) && setState((s) => ({ ...s, locked: true }))),
      listen(socket, "exam:unlocked", (p) => mine(p) && setState((s) => ({ ...s, locked: false }))),
      listen(
        socket,
        "exam:message",
        (p) => mine(p) && setState((s) => ({ ...s, messages: [...s.messages, { text: p.text, at: p.at }].slice(-5) })),
      ),
      // Only screens of the old device are in the attempt's room when a takeover is
      // approved (the new device joins at its start), and the new device's id is never
      // sent (decision 018): whoever hears this stops answering.
      listen(socket, "exam:taken_over", (p) => mine(p) && setState((s) => ({ ...s, takenOver: true }))),
      listen(socket, "exam:reopened", (p) => {
        if (!mine(p)) return;
        setState((s) => ({ ...s, locked: false, paused: false }));
        onDeadline.current(p.deadline, p.serverNow);
      }),
      listen(socket, "exam:session_ended", () => setState((s) => ({ ...s, ended: true }))),
    ];
    return () => {
      for (const off of offs) off();
    };
  }, [socket, attemptId]);

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
      if (socket?.connected) socket.emit("exam:focus", { examId, attemptId, position });
    },
    [socket, examId, attemptId],
  );

  const dismissMessage = useCallback(() => setState((s) => ({ ...s, messages: s.messages.slice(1) })), []);
  return { ...state, reportFocus, dismissMessage };
}

/**
 * The waiting room before a proctor-gated start: the trainee is shown as present,
 * and the page starts by itself when the proctor starts the room or admits them.
 */
export function useWaitingRoom(examId: number, enabled: boolean, onStart: () => void) {
  const start = useRef(onStart);
  start.current = onStart;
  const { socket, connected } = useSocket(enabled);
  const [joined, setJoined] = useState(false);
  const join = useCallback((s: AppClientSocket) => s.emit("exam:join", { examId }, (r) => setJoined(r.ok)), [examId]);
  useOnConnect(socket, join);
  useEffect(() => {
    if (!socket) return;
    const go = (p: { examId: number }) => {
      if (p.examId === examId) start.current();
    };
    const offs = [listen(socket, "exam:started", go), listen(socket, "exam:takeover_approved", go)];
    return () => {
      for (const off of offs) off();
    };
  }, [socket, examId]);
  const present = enabled && connected && joined;
  return { present };
}
