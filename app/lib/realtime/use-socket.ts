import { useEffect, useState } from "react";
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../../../server/realtime/contract";

/**
 * The page's one Socket.IO connection, typed by the realtime contract
 * (server/realtime/contract.ts, decision 033). Every component that needs the server's
 * events (the exam runner, its proctoring, the waiting room, the proctor's console,
 * live results) shares it: a page holds one connection however many parts listen,
 * and the last part to let go closes it.
 */
export type AppClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let shared: { socket: AppClientSocket; users: number } | null = null;

function acquire(): AppClientSocket {
  // WebSocket first, long polling where a network blocks it; reconnects back off up to 5 s.
  shared ??= { socket: io({ transports: ["websocket", "polling"], reconnectionDelayMax: 5000 }), users: 0 };
  shared.users += 1;
  return shared.socket;
}

function release(socket: AppClientSocket) {
  if (!shared || shared.socket !== socket) return;
  shared.users -= 1;
  if (shared.users > 0) return;
  socket.close();
  shared = null;
}

/**
 * The shared connection while `enabled` (null during the server render and while
 * disabled), and whether it is connected now.
 */
export function useSocket(enabled = true): { socket: AppClientSocket | null; connected: boolean } {
  const [socket, setSocket] = useState<AppClientSocket | null>(null);
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    if (!enabled) return;
    const s = acquire();
    setSocket(s);
    setConnected(s.connected);
    const up = () => setConnected(true);
    const down = () => setConnected(false);
    s.on("connect", up);
    s.on("disconnect", down);
    return () => {
      s.off("connect", up);
      s.off("disconnect", down);
      setSocket(null);
      setConnected(false);
      release(s);
    };
  }, [enabled]);
  return { socket, connected };
}

/**
 * Runs `onConnect` now if the shared connection is already up (another part of the page
 * opened it) and again after every reconnection: joining rooms and syncing belong there.
 */
export function useOnConnect(socket: AppClientSocket | null, onConnect: (socket: AppClientSocket) => void) {
  useEffect(() => {
    if (!socket) return;
    const run = () => onConnect(socket);
    if (socket.connected) run();
    socket.on("connect", run);
    return () => {
      socket.off("connect", run);
    };
  }, [socket, onConnect]);
}

/** Listens to one server event, typed by the contract; returns the function that stops listening. */
export function listen<E extends keyof ServerToClientEvents>(
  socket: AppClientSocket,
  event: E,
  handler: ServerToClientEvents[E],
): () => void {
  // Socket.IO's listener types need the event's own signature; `E` is one key of the map.
  socket.on(event, handler as never);
  return () => {
    socket.off(event, handler as never);
  };
}
