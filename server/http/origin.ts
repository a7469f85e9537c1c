import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import type { NextFunction, Request, Response } from "express";
import type { Config } from "../config";
import { compileTrustProxy, type TrustProxy } from "./client-address";

/**
 * Cross-site request refusal (issue 13, item 6). A page on another site can make the
 * trainee's browser POST to us with the trainee's cookie (a form, or `fetch` with a
 * `text/plain` body, which needs no preflight): answer or submit an exam, print call-up
 * letters (which regenerates passwords), log out everywhere. SameSite=Lax stops most of
 * that in current browsers, but not from a sibling subdomain, not in older browsers,
 * and not for the Socket.IO handshake. So every state-changing request (any method but
 * GET/HEAD/OPTIONS) and every socket handshake is checked here, before Remix or
 * Socket.IO see it:
 *
 * - `Origin` present and not this site's origin → refused;
 * - `Sec-Fetch-Site: cross-site` → refused (a browser says the page is another site's);
 * - neither header → allowed. Every browser that can carry our cookie sends `Origin` on
 *   a POST (and `Sec-Fetch-Site` on everything): a request without both comes from a
 *   program (the CLI, curl, a test, a monitoring probe) that has no victim's cookie to
 *   abuse; refusing it would protect nothing and break those clients.
 *
 * "This site's origin" is the origin the request itself was addressed to — scheme and
 * `Host` (the scheme from the TLS socket, or `X-Forwarded-Proto` / `X-Forwarded-Host`
 * when the peer is a proxy trusted by TRUST_PROXY) — plus PUBLIC_URL and ALLOWED_ORIGINS
 * for deployments whose proxy rewrites those headers.
 */
export interface SitePolicy {
  trust: TrustProxy;
  /** Origins allowed besides the request's own (PUBLIC_URL, ALLOWED_ORIGINS). */
  extra: ReadonlySet<string>;
}

export function sitePolicy(config: Pick<Config, "TRUST_PROXY" | "PUBLIC_URL" | "ALLOWED_ORIGINS">): SitePolicy {
  const extra = new Set<string>(config.ALLOWED_ORIGINS ?? []);
  if (config.PUBLIC_URL) extra.add(new URL(config.PUBLIC_URL).origin);
  return { trust: compileTrustProxy(config.TRUST_PROXY ?? []), extra };
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isSafeMethod(method: string | undefined): boolean {
  return SAFE_METHODS.has((method ?? "GET").toUpperCase());
}

function first(h: string | string[] | undefined): string | undefined {
  const v = Array.isArray(h) ? h[0] : h;
  return v?.split(",")[0]?.trim() || undefined;
}

function normalise(origin: string): string | null {
  try {
    const u = new URL(origin);
    return /^https?:$/.test(u.protocol) ? u.origin : null;
  } catch {
    return null;
  }
}

/** The origin this request was addressed to (scheme and host), or null without a Host. */
export function ownOrigin(req: IncomingMessage, trust: TrustProxy): string | null {
  const peer = req.socket?.remoteAddress;
  const viaTrustedProxy = peer !== undefined && trust(peer, 0);
  let scheme = (req.socket as TLSSocket | undefined)?.encrypted ? "https" : "http";
  let host = first(req.headers.host);
  if (viaTrustedProxy) {
    const proto = first(req.headers["x-forwarded-proto"])?.toLowerCase();
    if (proto === "https" || proto === "http") scheme = proto;
    host = first(req.headers["x-forwarded-host"]) ?? host;
  }
  return host ? normalise(`${scheme}://${host}`) : null;
}

/** Why a request must be refused as cross-site, or null if it may pass. */
export function crossSiteReason(req: IncomingMessage, policy: SitePolicy): "origin" | "sec-fetch-site" | null {
  const site = first(req.headers["sec-fetch-site"])?.toLowerCase();
  if (site === "cross-site") return "sec-fetch-site";
  const origin = first(req.headers.origin);
  if (origin === undefined) return null;
  const o = normalise(origin); // "null" (sandboxed frames, privacy redirects) is never ours
  if (o === null) return "origin";
  if (o === ownOrigin(req, policy.trust) || policy.extra.has(o)) return null;
  return "origin";
}

export const CROSS_SITE_MESSAGE =
  "Yêu cầu bị từ chối vì được gửi từ một trang web khác. Hãy mở Bồi Dưỡng trực tiếp (gõ địa chỉ hoặc dùng dấu trang), đăng nhập rồi thao tác lại.";

function page(message: string): string {
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Yêu cầu bị từ chối — Bồi Dưỡng</title></head><body><main style="max-width:40rem;margin:3rem auto;font-family:system-ui,sans-serif;line-height:1.5"><h1>Yêu cầu bị từ chối</h1><p>${message}</p><p><a href="/">Về trang chủ Bồi Dưỡng</a></p></main></body></html>`;
}

/**
 * Express middleware: 403 for a cross-site state-changing request — the documented JSON
 * error shape under /api/ (docs/realtime-protocol.md), a Vietnamese page elsewhere.
 */
export function refuseCrossSite(policy: SitePolicy, warn: (info: Record<string, unknown>, msg: string) => void) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (isSafeMethod(req.method)) return next();
    const reason = crossSiteReason(req, policy);
    if (!reason) return next();
    // Logged: a deployment behind a proxy that hides the public origin shows up here first.
    warn(
      {
        method: req.method,
        path: req.path,
        origin: req.headers.origin,
        secFetchSite: req.headers["sec-fetch-site"],
        own: ownOrigin(req, policy.trust),
        reason,
      },
      "cross-site request refused",
    );
    res.status(403).set("Cache-Control", "no-store");
    if (req.path.startsWith("/api/")) res.json({ ok: false, error: "forbidden", message: CROSS_SITE_MESSAGE });
    else res.type("text/html; charset=utf-8").send(page(CROSS_SITE_MESSAGE));
  };
}
