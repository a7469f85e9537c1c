import { Socket } from "node:net";
import { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { loadConfig, ConfigError } from "../../server/config";
import { clientAddress, compileTrustProxy, parseTrustProxy } from "../../server/http/client-address";
import { crossSiteReason, ownOrigin, sitePolicy } from "../../server/http/origin";
import { createLucia, secureSessionCookie } from "../../server/auth/lucia";
import type { Database } from "../../server/db";

/** A request as Node hands it to Express, from `peer`, with these headers. */
function request(peer: string, headers: Record<string, string>): IncomingMessage {
  const socket = new Socket();
  Object.defineProperty(socket, "remoteAddress", { value: peer });
  const req = new IncomingMessage(socket);
  req.headers = headers;
  req.method = "POST";
  return req;
}

describe("TRUST_PROXY (issue 13, item 7)", () => {
  it("trusts no proxy by default", () => {
    expect(loadConfig({}).TRUST_PROXY).toEqual([]);
    const trust = compileTrustProxy(loadConfig({}).TRUST_PROXY);
    expect(clientAddress(request("192.168.1.20", { "x-forwarded-for": "10.9.9.9" }), trust)).toBe("192.168.1.20");
    expect(clientAddress(request("127.0.0.1", { "x-forwarded-for": "10.9.9.9" }), trust)).toBe("127.0.0.1");
  });

  it("believes X-Forwarded-For only from the named proxies, right-most untrusted address first", () => {
    const trust = compileTrustProxy(loadConfig({ TRUST_PROXY: "loopback, 10.0.0.5" }).TRUST_PROXY);
    expect(clientAddress(request("127.0.0.1", { "x-forwarded-for": "203.0.113.9" }), trust)).toBe("203.0.113.9");
    // A client that prepends its own forged entry gets the address the proxy saw.
    expect(clientAddress(request("10.0.0.5", { "x-forwarded-for": "1.2.3.4, 203.0.113.9" }), trust)).toBe("203.0.113.9");
    // A LAN neighbour that is not the proxy cannot forge anything.
    expect(clientAddress(request("192.168.1.20", { "x-forwarded-for": "1.2.3.4" }), trust)).toBe("192.168.1.20");
  });

  it("refuses hop counts, `true` and garbage with a Vietnamese message", () => {
    for (const bad of ["1", "true", "proxy.example", "10.0.0.0/99"]) {
      expect(parseTrustProxy(bad).ok).toBe(false);
      expect(() => loadConfig({ TRUST_PROXY: bad })).toThrow(ConfigError);
    }
    expect(() => loadConfig({ TRUST_PROXY: "1" })).toThrow(/TRUST_PROXY.*địa chỉ IP/);
    expect(parseTrustProxy("none")).toEqual({ ok: true, list: [] });
  });
});

describe("this site's origin (issue 13, item 6)", () => {
  const none = sitePolicy(loadConfig({}));

  it("is the request's own scheme and Host; default ports compare equal", () => {
    expect(crossSiteReason(request("127.0.0.1", { host: "boiduong.vn", origin: "http://boiduong.vn" }), none)).toBeNull();
    expect(crossSiteReason(request("127.0.0.1", { host: "boiduong.vn:80", origin: "http://boiduong.vn" }), none)).toBeNull();
    expect(crossSiteReason(request("127.0.0.1", { host: "boiduong.vn", origin: "http://evil.example" }), none)).toBe("origin");
    expect(crossSiteReason(request("127.0.0.1", { host: "boiduong.vn", origin: "https://boiduong.vn.evil.example" }), none)).toBe("origin");
    expect(crossSiteReason(request("127.0.0.1", { host: "boiduong.vn", origin: "null" }), none)).toBe("origin");
    expect(crossSiteReason(request("127.0.0.1", { host: "boiduong.vn", "sec-fetch-site": "cross-site" }), none)).toBe("sec-fetch-site");
    // Neither header: not a browser, so no victim's cookie to abuse.
    expect(crossSiteReason(request("127.0.0.1", { host: "boiduong.vn" }), none)).toBeNull();
  });

  it("takes X-Forwarded-Proto/Host only from a trusted proxy; PUBLIC_URL and ALLOWED_ORIGINS are accepted too", () => {
    const behindTls = {
      host: "127.0.0.1:3000",
      "x-forwarded-proto": "https",
      "x-forwarded-host": "boiduong.vn",
      origin: "https://boiduong.vn",
    };
    expect(crossSiteReason(request("127.0.0.1", behindTls), none)).toBe("origin");
    const trusted = sitePolicy(loadConfig({ TRUST_PROXY: "loopback" }));
    expect(ownOrigin(request("127.0.0.1", behindTls), trusted.trust)).toBe("https://boiduong.vn");
    expect(crossSiteReason(request("127.0.0.1", behindTls), trusted)).toBeNull();
    // The same headers from an untrusted peer are ignored.
    expect(crossSiteReason(request("192.168.1.20", behindTls), trusted)).toBe("origin");
    const published = sitePolicy(loadConfig({ PUBLIC_URL: "https://boiduong.vn/", ALLOWED_ORIGINS: "https://thi.boiduong.vn" }));
    expect(crossSiteReason(request("127.0.0.1", behindTls), published)).toBeNull();
    expect(crossSiteReason(request("127.0.0.1", { ...behindTls, origin: "https://thi.boiduong.vn" }), published)).toBeNull();
    expect(() => loadConfig({ ALLOWED_ORIGINS: "https://a.vn/path" })).toThrow(/ALLOWED_ORIGINS/);
  });
});

describe("session cookie attributes", () => {
  const cookie = (env: Record<string, string>) =>
    createLucia(null as unknown as Database, { secureCookies: secureSessionCookie(loadConfig(env)) })
      .createSessionCookie("abc")
      .serialize();

  it("is HttpOnly and SameSite=Lax always", () => {
    const c = cookie({});
    expect(c).toMatch(/HttpOnly/i);
    expect(c).toMatch(/SameSite=Lax/i);
    expect(c).not.toMatch(/Secure/i);
  });

  it("is Secure with SECURE_COOKIES=1 or an https PUBLIC_URL", () => {
    expect(cookie({ SECURE_COOKIES: "1" })).toMatch(/Secure/i);
    expect(cookie({ PUBLIC_URL: "https://boiduong.vn" })).toMatch(/Secure/i);
    expect(cookie({ PUBLIC_URL: "http://192.168.1.10:3000" })).not.toMatch(/Secure/i);
  });
});
