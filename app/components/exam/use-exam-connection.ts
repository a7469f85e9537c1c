import { useCallback, useEffect, useRef, useState } from "react";
import { listen, useOnConnect, type AppClientSocket } from "~/lib/realtime/use-socket";

/**
 * The exam screen's side of the page's one connection (useSocket): on every (re)connection it
 * syncs the attempt (deadline, a submission made elsewhere) and replays the journal;
 * it follows deadline changes and the server's closing, and retries unsent answers
 * every few seconds and when the browser comes back online.
 */
export function useExamConnection(opts: {
  socket: AppClientSocket | null;
  attemptId: number;
  flush: () => Promise<void>;
  onFinished: () => void;
  onDeadline: (deadlineIso: string, announce: boolean) => void;
}) {
  const { socket, attemptId, flush, onFinished } = opts;
  // Shown as connected until a connection is lost (the first connection is a moment away).
  const [lost, setLost] = useState(false);
  useEffect(() => {
    if (!socket) return;
    const down = () => setLost(true);
    const up = () => setLost(false);
    socket.on("disconnect", down);
    socket.on("connect", up);
    return () => {
      socket.off("disconnect", down);
      socket.off("connect", up);
    };
  }, [socket]);
  const onDeadline = useRef(opts.onDeadline);
  onDeadline.current = opts.onDeadline;

  const sync = useCallback(
    (s: AppClientSocket) => {
      s.emit("exam:sync", { attemptId }, (r) => {
        if (r.ok && r.deadline) onDeadline.current(r.deadline, false);
        if (r.ok && (r.status === "submitted" || r.status === "awaiting_grading")) onFinished();
      });
      void flush();
    },
    [attemptId, flush, onFinished],
  );
  useOnConnect(socket, sync);

  useEffect(() => {
    if (!socket) return;
    const offs = [
      listen(socket, "exam:deadline", (p) => onDeadline.current(p.deadline, true)),
      listen(socket, "exam:closed", () => onFinished()),
    ];
    return () => {
      for (const off of offs) off();
    };
  }, [socket, onFinished]);

  useEffect(() => {
    const retry = window.setInterval(() => void flush(), 5000);
    const onOnline = () => void flush();
    window.addEventListener("online", onOnline);
    return () => {
      window.clearInterval(retry);
      window.removeEventListener("online", onOnline);
    };
  }, [flush]);

  return { socket, online: !lost };
}
