import type { Server as HttpServer } from "node:http";
import { Server, type Socket } from "socket.io";
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents } from "./contract";
import { ackOf } from "./ack";
import { createAdapter } from "@socket.io/redis-adapter";
import { createClient } from "redis";
import type { Services } from "../services";
import type { Viewer } from "../auth/scope";
import { registerExamEvents } from "./exam-events";
import { createProctorHub, registerProctorEvents, type ProctorHub } from "./proctor-events";
import { registerResultsEvents } from "./results-events";
import { crossSiteReason, sitePolicy } from "../http/origin";
import { clientAddress } from "../http/client-address";

/**
 * Socket.IO on the same HTTP server as the web app. The handshake runs the same
 * session check as HTTP (design.md, convention 5); with REDIS_URL set, rooms are
 * shared across processes through the Redis adapter (docs/realtime-protocol.md).
 */
/** Events about the connection itself; with EXAM_EVENTS and PROCTORING_EVENTS, every event the server listens to. */
export const SESSION_EVENTS = ["session:whoami"] as const;

export interface SocketData {
  viewer: Viewer;
  /** The client's address at the handshake, by the same rule as HTTP (TRUST_PROXY). */
  address: string;
  /** The session this screen joined (`exam:join`) or the exam of the attempt it started or synced. */
  examId?: number;
  /** The attempt this screen started (`exam:start`) or synced (`exam:sync`), after its ownership was checked. */
  attemptId?: number;
  deviceId?: string;
  /** The question on screen (`exam:focus`), for the proctor's presence view. */
  current?: number | null;
}

/** The typed Socket.IO server and socket of this application (server/realtime/contract.ts). */
export type AppServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface Realtime {
  io: AppServer;
  /** Disconnects every socket of a user (after logout everywhere or a password change). */
  disconnectUser(userId: string): Promise<void>;
  /** Tells an attempt's open screens that its deadline or status changed. */
  notifyAttempt(attemptId: number, event: "exam:closed", payload: { by: "server" | "proctor" }): void;
  proctors: ProctorHub;
  close(): Promise<void>;
}

export async function createRealtime(http: HttpServer, services: Services): Promise<Realtime> {
  const policy = sitePolicy(services.config);
  const io: AppServer = new Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>(http, {
    path: "/socket.io",
    serveClient: false,
    perMessageDeflate: false, // stack.md: deflate costs memory per connection for tiny messages
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000 },
    // A page on another site could open a socket with the trainee's cookie and answer
    // for them: the handshake passes the same origin check as HTTP (server/http/origin.ts).
    // Every engine.io request (polling GETs and POSTs, the WebSocket upgrade) comes here.
    allowRequest: (req, cb) => {
      const reason = crossSiteReason(req, policy);
      if (reason)
        services.logger.warn(
          { origin: req.headers.origin, secFetchSite: req.headers["sec-fetch-site"], reason },
          "cross-site socket handshake refused",
        );
      cb(reason ? "cross_site" : null, !reason);
    },
  });
  let redisClients: { quit(): Promise<unknown> }[] = [];
  if (services.config.REDIS_URL) {
    const pub = createClient({ url: services.config.REDIS_URL });
    const sub = pub.duplicate();
    pub.on("error", (e) => services.logger.error({ err: e }, "redis pub error"));
    sub.on("error", (e) => services.logger.error({ err: e }, "redis sub error"));
    await Promise.all([pub.connect(), sub.connect()]);
    io.adapter(createAdapter(pub, sub, { key: services.config.REDIS_PREFIX }));
    redisClients = [pub, sub];
    services.logger.info("socket.io uses the Redis adapter");
  }

  // eslint-disable-next-line @typescript-eslint/no-misused-promises -- the body catches every error and answers through next().
  io.use(async (socket, next) => {
    try {
      const found = await services.auth.viewerFromCookie(socket.handshake.headers.cookie);
      if (!found) return next(new Error("unauthorized"));
      if (found.viewer.mustChangePassword) return next(new Error("password_change_required"));
      socket.data.viewer = found.viewer;
      socket.data.address = clientAddress(socket.request, policy.trust);
      next();
    } catch (e) {
      services.logger.error({ err: e }, "socket handshake failed");
      next(new Error("server_error"));
    }
  });

  const proctors = createProctorHub(io, services);
  services.live.emit = (room, event, ...payload) => io.to(room).emit(event, ...payload);
  services.live.roster = (examId, personIds) => proctors.queueRows(examId, personIds);
  services.live.notify = (notices) => proctors.notify(notices);
  const results = registerResultsEvents(io, services);

  io.on("connection", (socket) => {
    const viewer = socket.data.viewer;
    void socket.join(`user:${viewer.userId}`);
    // `session:whoami` lets a client confirm who the server thinks it is.
    socket.on("session:whoami", (_payload: unknown, cb) => {
      ackOf(cb)({ ok: true, userId: viewer.userId, username: viewer.username, roles: viewer.roles.map((r) => r.role) });
    });
    registerExamEvents(socket, services, proctors);
    registerProctorEvents(socket, services, proctors);
    results.register(socket);
  });

  return {
    io,
    async disconnectUser(userId) {
      io.in(`user:${userId}`).disconnectSockets(true);
    },
    notifyAttempt(attemptId, event, payload) {
      io.to(`attempt:${attemptId}`).emit(event, { attemptId, ...payload });
    },
    proctors,
    async close() {
      results.stop();
      proctors.stop();
      services.live.emit = () => {};
      services.live.roster = () => {};
      services.live.notify = () => {};
      await new Promise<void>((resolve) => {
        void io.close(() => resolve());
      });
      await Promise.all(redisClients.map((c) => c.quit().catch(() => undefined)));
    },
  };
}
