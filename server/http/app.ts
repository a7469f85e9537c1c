import path from "node:path";
import express, { type Request, type Response } from "express";
import compression from "compression";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import { sql } from "kysely";
import type { Services } from "../services";
import type { Viewer } from "../auth/scope";
import { contentSecurityPolicy, newNonce } from "./csp";
import { httpStatus, SERVER_ERROR_MESSAGE } from "../exams/protocol";
import { refuseCrossSite, sitePolicy } from "./origin";
import { clientAddress } from "./client-address";

/** What every Remix loader and action receives as `context` (app/context.ts). */
export type LoadContext = {
  services: Services;
  viewer: Viewer | null;
  clientIp: string;
  /** This request's CSP nonce and the policy carrying it; app/entry.server.tsx sends both (decision 016). */
  csp: { nonce: string; policy: string };
};

export async function createHttpApp(services: Services, opts: { root: string; dev: boolean; buildDir?: string }) {
  const app = express();
  app.disable("x-powered-by");
  const policy = sitePolicy(services.config);
  // Only the proxies named in TRUST_PROXY (default none) may set X-Forwarded-For: the
  // same rule gives Socket.IO its client address (server/http/client-address.ts).
  app.set("trust proxy", policy.trust);
  // Lesson pages are ~90 KB of HTML; gzip makes them ~5× smaller on trainees' phones.
  app.use(compression());
  // Before anything that changes state, for every route (server/http/origin.ts).
  app.use(refuseCrossSite(policy, (info, msg) => services.logger.warn(info, msg)));

  // eslint-disable-next-line @typescript-eslint/no-misused-promises -- the handler catches every error itself
  app.get("/healthz", async (_req, res) => {
    try {
      await sql`select 1`.execute(services.db);
      res.json({ ok: true, database: services.dbKind });
    } catch (e) {
      services.logger.error({ err: e }, "health check failed");
      res.status(503).json({ ok: false, error: "database unreachable" });
    }
  });

  let build: () => Promise<ServerBuild>;
  let closeVite = async () => {};
  if (opts.dev) {
    const vite = await import("vite");
    const server = await vite.createServer({ root: opts.root, server: { middlewareMode: true } });
    app.use(server.middlewares);
    build = () => server.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
    closeVite = () => server.close();
  } else {
    const buildDir = path.resolve(opts.root, opts.buildDir ?? process.env.BUILD_DIR ?? "build");
    const client = path.join(buildDir, "client");
    app.use("/assets", express.static(path.join(client, "assets"), { immutable: true, maxAge: "1y" }));
    app.use(express.static(client, { maxAge: "1h" }));
    const serverBuild = (await import(path.join(buildDir, "server/index.js"))) as ServerBuild;
    build = async () => serverBuild;
  }

  // The session is checked once per request here and handed to Remix, so loaders
  // never parse cookies themselves; a session past half its life is extended.
  // eslint-disable-next-line @typescript-eslint/no-misused-promises -- errors go to next(e), Express 4 never sees a rejection
  app.use(async (req: Request, res: Response, next) => {
    try {
      const found = await services.auth.viewerFromCookie(req.headers.cookie);
      res.locals.viewer = found?.viewer ?? null;
      if (found?.refreshCookie) res.append("Set-Cookie", found.refreshCookie);
      next();
    } catch (e) {
      next(e);
    }
  });

  app.all(
    "*",
    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- Remix's handler catches and calls next(error)
    createRequestHandler({
      build,
      mode: opts.dev ? "development" : "production",
      getLoadContext: (req, res): LoadContext => {
        const nonce = newNonce();
        return {
          services,
          viewer: res.locals.viewer ?? null,
          clientIp: clientAddress(req, policy.trust),
          csp: { nonce, policy: contentSecurityPolicy({ nonce, host: req.headers.host, dev: opts.dev }) },
        };
      },
    }),
  );

  app.use((err: unknown, req: Request, res: Response, _next: unknown) => {
    // The exam's HTTP fallback answers in its protocol even when the failure came before
    // the route (the session lookup with the database down): JSON, 503, retry.
    const exam = /^\/api\/thi\/(\d{1,10})(?:\/|$)/.exec(req.path);
    services.logger.error({ err, ...(exam ? { attemptId: Number(exam[1]), event: "http" } : {}) }, "request failed");
    if (res.headersSent) return;
    if (req.path.startsWith("/api/thi/"))
      res.status(httpStatus("server_error")).json({ ok: false, error: "server_error", message: SERVER_ERROR_MESSAGE });
    else res.status(500).type("text/plain; charset=utf-8").send("Lỗi máy chủ. Vui lòng thử lại sau ít phút.");
  });

  return { app, closeVite };
}
