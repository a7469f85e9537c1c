import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manualClock } from "../../server/clock";
import { seedDemo } from "../../server/seed/demo";
import { testDatabase, testServices, TEST_DB, type TestDatabase } from "./harness";
import type { Services } from "../../server/services";
import { createAccount } from "../../server/accounts/service";
import { pruneThrottle } from "../../server/auth/throttle";

describe(`accounts and sessions (${TEST_DB})`, () => {
  let t: TestDatabase;
  let s: Services;
  const clock = manualClock("2026-03-05T08:00:00+07:00");
  beforeAll(async () => {
    t = await testDatabase();
    await seedDemo(t.db);
    s = await testServices(t, clock);
  });
  afterAll(() => t.destroy());

  it("logs in with the right password and reads the session back from the cookie", async () => {
    const r = await s.auth.login({ username: " HocVien ", password: "demo12345", ip: "10.0.0.1" });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.viewer.roles.map((g) => g.role)).toEqual(["trainee"]);
    expect(r.viewer.roles[0]!.orgName).toBe("Chi bộ Trường THPT Tân Lập");
    const back = await s.auth.viewerFromCookie(r.cookie.split(";")[0]);
    expect(back?.viewer.username).toBe("hocvien");
  });

  it("refuses a wrong password and an unknown user with the same message", async () => {
    const a = await s.auth.login({ username: "giamthi", password: "sai-mat-khau", ip: "10.0.0.2" });
    const b = await s.auth.login({ username: "khong-co-ai", password: "sai-mat-khau", ip: "10.0.0.2" });
    expect(a).toEqual({ ok: false, error: "Tên đăng nhập hoặc mật khẩu không đúng." });
    expect(b).toEqual({ ok: false, error: "Tên đăng nhập hoặc mật khẩu không đúng." });
  });

  it("locks an account after five failures, even for the right password, until the lock expires", async () => {
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await s.auth.login({ username: "giangvien", password: `wrong${i}`, ip: `10.1.0.${i}` }));
    expect(results[3]).toMatchObject({ ok: false, error: expect.stringContaining("Còn 1 lần thử") });
    expect(results[4]).toMatchObject({ ok: false, locked: true, error: expect.stringContaining("15 phút") });
    const right = await s.auth.login({ username: "giangvien", password: "demo12345", ip: "10.1.0.9" });
    expect(right).toMatchObject({ ok: false, locked: true });
    clock.advance(16 * 60_000);
    expect((await s.auth.login({ username: "giangvien", password: "demo12345", ip: "10.1.0.9" })).ok).toBe(true);
  });

  it("throttles one address that tries many accounts", async () => {
    for (let i = 0; i < 100; i++) await s.auth.login({ username: `user${i}`, password: "x", ip: "203.0.113.7" });
    const r = await s.auth.login({ username: "bithu", password: "demo12345", ip: "203.0.113.7" });
    expect(r).toMatchObject({ ok: false, locked: true });
    expect((await s.auth.login({ username: "bithu", password: "demo12345", ip: "203.0.113.8" })).ok).toBe(true);
  });

  it("keeps sessions across a restart (a new service instance on the same database)", async () => {
    const r = await s.auth.login({ username: "bantochuc", password: "demo12345", ip: "10.0.0.3" });
    if (!r.ok) throw new Error(r.error);
    const restarted = await testServices(t, clock);
    expect((await restarted.auth.viewerFromCookie(r.cookie))?.viewer.username).toBe("bantochuc");
  });

  it("logs out everywhere and audits it", async () => {
    const one = await s.auth.login({ username: "bantuyengiao", password: "demo12345", ip: "10.0.0.4" });
    const two = await s.auth.login({ username: "bantuyengiao", password: "demo12345", ip: "10.0.0.5" });
    if (!one.ok || !two.ok) throw new Error("login failed");
    await s.auth.logoutEverywhere(one.viewer.userId);
    expect(await s.auth.viewerFromCookie(one.cookie)).toBeNull();
    expect(await s.auth.viewerFromCookie(two.cookie)).toBeNull();
    const entry = await t.db.selectFrom("audit_log").selectAll().where("action", "=", "auth.logout_everywhere").executeTakeFirst();
    expect(entry?.entity_id).toBe(one.viewer.userId);
  });

  it("forces a first-login password change and checks the new password", async () => {
    const unit = await t.db.selectFrom("org_unit").select("id").where("name", "=", "Chi bộ thôn Đông Hòa").executeTakeFirstOrThrow();
    await createAccount(t.db, {
      username: "hv260099",
      password: "abcd2345",
      displayName: "Lò Văn Sáng",
      mustChangePassword: true,
      roles: [{ role: "trainee", orgUnitId: unit.id }],
    });
    const r = await s.auth.login({ username: "hv260099", password: "abcd2345", ip: "10.0.0.6" });
    if (!r.ok) throw new Error(r.error);
    expect(r.viewer.mustChangePassword).toBe(true);
    expect(await s.auth.changePassword(r.viewer, "nhầm", "matkhaumoi1")).toEqual({
      ok: false,
      field: "current",
      error: "Mật khẩu hiện tại không đúng.",
    });
    expect(await s.auth.changePassword(r.viewer, "abcd2345", "ngan")).toMatchObject({ ok: false, field: "next" });
    expect(await s.auth.changePassword(r.viewer, "abcd2345", "hv260099")).toMatchObject({ ok: false, field: "next" });
    const ok = await s.auth.changePassword(r.viewer, "abcd2345", "Sáng-2026-an-toàn");
    expect(ok.ok).toBe(true);
    // The old session (with the initial password) is gone; the new one is not flagged.
    expect(await s.auth.viewerFromCookie(r.cookie)).toBeNull();
    if (ok.ok) expect((await s.auth.viewerFromCookie(ok.cookie))?.viewer.mustChangePassword).toBe(false);
    expect((await s.auth.login({ username: "hv260099", password: "Sáng-2026-an-toàn", ip: "10.0.0.6" })).ok).toBe(true);
  });

  it("refuses a disabled account", async () => {
    await t.db.updateTable("user_account").set({ disabled: true }).where("username", "=", "canbo.binhminh").execute();
    expect(await s.auth.login({ username: "canbo.binhminh", password: "demo12345", ip: "10.0.0.7" })).toMatchObject({
      ok: false,
      error: expect.stringContaining("bị khóa"),
    });
  });

  // ——— sessions hashed at rest (decision 031)

  /** The token in a Set-Cookie (or Cookie) header, and the key it must be stored under, computed here independently of the server. */
  const tokenOf = (cookie: string) => /bd_session=([^;]*)/.exec(cookie)![1]!;
  const sha256 = (token: string) => createHash("sha256").update(token).digest("hex");

  it("stores the session under the SHA-256 of its cookie token, never the token itself", async () => {
    const r = await s.auth.login({ username: "hocvien", password: "demo12345", ip: "10.2.0.1" });
    if (!r.ok) throw new Error(r.error);
    const token = tokenOf(r.cookie);
    expect(token.length).toBeGreaterThanOrEqual(20);
    const rows = await t.db.selectFrom("user_session").selectAll().execute();
    expect(rows.map((row) => row.id)).toContain(sha256(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    // The session still reads back from the unchanged cookie.
    expect((await s.auth.viewerFromCookie(`bd_session=${token}`))?.viewer.username).toBe("hocvien");
  });

  it("refuses to store a raw token: the key must be a 64-digit hex hash", async () => {
    const user = await t.db.selectFrom("user_account").select("id").where("username", "=", "hocvien").executeTakeFirstOrThrow();
    const insertRaw = t.db
      .insertInto("user_session")
      .values({ id: "abcdefghijklmnopqrstuvwxyz234567abcdefgh", user_id: user.id, expires_at: new Date(Date.now() + 86_400_000) })
      .execute();
    await expect(insertRaw).rejects.toThrow(/user_session_id_is_hash/);
  });

  it("logs out: the hashed row goes and the cookie opens nothing", async () => {
    const r = await s.auth.login({ username: "hocvien", password: "demo12345", ip: "10.2.0.2" });
    if (!r.ok) throw new Error(r.error);
    const key = sha256(tokenOf(r.cookie));
    const blank = await s.auth.logout(r.viewer.sessionId);
    expect(blank).toContain("bd_session=;");
    expect(await t.db.selectFrom("user_session").select("id").where("id", "=", key).executeTakeFirst()).toBeUndefined();
    expect(await s.auth.viewerFromCookie(r.cookie)).toBeNull();
  });

  it("extends a session past half its life under its key, and ends an expired one", async () => {
    const r = await s.auth.login({ username: "hocvien", password: "demo12345", ip: "10.2.0.3" });
    if (!r.ok) throw new Error(r.error);
    const token = tokenOf(r.cookie);
    const key = sha256(token);
    const expiresAt = async () =>
      (await t.db.selectFrom("user_session").select("expires_at").where("id", "=", key).executeTakeFirst())?.expires_at;
    // Lucia's clock is the real one: ten days left of thirty is past half its life.
    await t.db
      .updateTable("user_session")
      .set({ expires_at: new Date(Date.now() + 10 * 86_400_000) })
      .where("id", "=", key)
      .execute();
    const back = await s.auth.viewerFromCookie(`bd_session=${token}`);
    expect(back?.viewer.username).toBe("hocvien");
    expect(back?.refreshCookie && tokenOf(back.refreshCookie)).toBe(token); // the same cookie, a later expiry
    expect(new Date((await expiresAt())!).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    await t.db
      .updateTable("user_session")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("id", "=", key)
      .execute();
    expect(await s.auth.viewerFromCookie(`bd_session=${token}`)).toBeNull();
    expect(await expiresAt()).toBeUndefined(); // lucia deleted the expired row by its key
  });

  it("prunes failure counters a day old whose lock has expired", async () => {
    expect((await t.db.selectFrom("login_throttle").select("key").execute()).length).toBeGreaterThan(0);
    clock.advance(25 * 3600_000);
    await pruneThrottle(t.db, clock.now());
    expect(await t.db.selectFrom("login_throttle").select("key").execute()).toEqual([]);
  });
});
