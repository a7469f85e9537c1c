import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, newNonce } from "../../server/http/csp";

const directives = (policy: string) => new Map(policy.split("; ").map((d) => [d.split(" ")[0]!, d.split(" ").slice(1).join(" ")]));

describe("Content-Security-Policy (decision 016)", () => {
  it("allows scripts from this site and the request's nonce only, and nothing to embed or frame the page", () => {
    const d = directives(contentSecurityPolicy({ nonce: "abc123", host: "hoc.example.vn:3000", dev: false }));
    expect(d.get("script-src")).toBe("'self' 'nonce-abc123'");
    expect(d.get("default-src")).toBe("'self'");
    expect(d.get("object-src")).toBe("'none'");
    expect(d.get("base-uri")).toBe("'self'");
    expect(d.get("frame-ancestors")).toBe("'none'");
    expect(d.get("form-action")).toBe("'self'");
    expect(d.get("connect-src")).toBe("'self' ws://hoc.example.vn:3000 wss://hoc.example.vn:3000");
    expect(d.get("style-src")).toBe("'self'");
    expect(d.get("style-src-attr")).toBe("'unsafe-inline'"); // React's style={…} props; <style> elements stay refused
    expect(d.get("img-src")).toBe("'self' data: blob:");
    expect([...d.values()].join(" ")).not.toMatch(/unsafe-eval/);
  });

  it("never copies a forged Host into the policy", () => {
    const policy = contentSecurityPolicy({ nonce: "n", host: "x.vn; script-src *", dev: false });
    expect(policy).not.toContain("x.vn");
    expect(directives(policy).get("connect-src")).toBe("'self'");
  });

  it("relaxes only styles and the HMR socket in development", () => {
    const prod = directives(contentSecurityPolicy({ nonce: "n", dev: false }));
    const dev = directives(contentSecurityPolicy({ nonce: "n", dev: true }));
    const changed = [...dev.keys()].filter((k) => dev.get(k) !== prod.get(k));
    expect(changed).toEqual(["style-src", "connect-src"]);
    expect(dev.get("script-src")).toBe(prod.get("script-src"));
  });

  it("makes a fresh nonce of at least 128 bits per call", () => {
    const a = newNonce();
    expect(Buffer.from(a, "base64").length).toBeGreaterThanOrEqual(16);
    expect(newNonce()).not.toBe(a);
  });
});
