import type { IncomingMessage } from "node:http";
import proxyaddr from "proxy-addr";

/**
 * The client's address, for HTTP (Express's `req.ip`) and for Socket.IO (the exam's
 * IP-change signal) alike: one rule, so the login throttle and the proctor see the same
 * address for the same person.
 *
 * `X-Forwarded-For` is believed only from the proxies named in TRUST_PROXY (default:
 * none). Trusting every private address, as before, let anyone on a commune hall's LAN
 * write their own `X-Forwarded-For`, dodge the per-address login throttle and fake IP
 * changes during an exam (issue 13, item 7).
 */
export type TrustProxy = (addr: string, hop: number) => boolean;

/** The accepted keywords besides IP addresses and CIDR ranges (proxy-addr's names). */
const NAMED = new Set(["loopback", "linklocal", "uniquelocal"]);

/**
 * Parses TRUST_PROXY: empty, `none` or `false` → trust no proxy; otherwise a comma list
 * of `loopback`, `linklocal`, `uniquelocal`, IP addresses and CIDR ranges. Hop counts
 * and `true` (trust everyone) are refused: either believes any client's header.
 * Returns the list, or a Vietnamese message saying what is wrong.
 */
export function parseTrustProxy(value: string | undefined): { ok: true; list: string[] } | { ok: false; message: string } {
  const v = (value ?? "").trim().toLowerCase();
  if (v === "" || v === "none" || v === "false" || v === "0") return { ok: true, list: [] };
  const list = v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const item of list) {
    if (NAMED.has(item)) continue;
    if (/^\d+$/.test(item) || item === "true") {
      return {
        ok: false,
        message: `“${item}” không được dùng: hãy ghi địa chỉ IP hoặc dải CIDR của proxy (ví dụ 127.0.0.1 hoặc 10.0.0.0/8), hoặc loopback / uniquelocal`,
      };
    }
    try {
      proxyaddr.compile(item);
    } catch {
      return { ok: false, message: `“${item}” không phải địa chỉ IP, dải CIDR hay một trong loopback, linklocal, uniquelocal` };
    }
  }
  return { ok: true, list };
}

/** A trust function for Express's "trust proxy" and for `clientAddress`. */
export function compileTrustProxy(list: string[]): TrustProxy {
  if (list.length === 0) return () => false;
  return proxyaddr.compile(list);
}

/**
 * The address of the client that sent `req`: the socket's peer, or, when that peer is a
 * trusted proxy, the right-most untrusted address of `X-Forwarded-For`.
 */
export function clientAddress(req: IncomingMessage, trust: TrustProxy): string {
  return proxyaddr(req, trust) ?? "unknown";
}
