import { describe, expect, it } from "vitest";
import { afterFailure, minutesLocked, ACCOUNT_POLICY } from "../../server/auth/throttle";
import { canReach, grantsOver, hasRole, scopeRoots, type RoleGrant } from "../../server/auth/scope";
import { generatePassword, hashPassword, passwordProblem, verifyPassword } from "../../server/auth/password";
import { navFor } from "../../app/lib/navigation";

const grant = (role: RoleGrant["role"], orgPath: string, readOnly = false): RoleGrant => ({
  role,
  orgPath,
  orgUnitId: 0,
  orgName: "",
  readOnly,
});

describe("login throttling", () => {
  const t0 = new Date("2026-03-05T01:00:00Z");
  const at = (min: number) => new Date(t0.getTime() + min * 60_000);

  it("locks after the fifth failure within the window, for the lock time", () => {
    let s = null;
    for (let i = 0; i < 4; i++) s = afterFailure(s, at(i), ACCOUNT_POLICY);
    expect(minutesLocked(s, at(4))).toBe(0);
    s = afterFailure(s, at(4), ACCOUNT_POLICY);
    expect(minutesLocked(s, at(4))).toBe(15);
    expect(minutesLocked(s, at(18.5))).toBe(1);
    expect(minutesLocked(s, at(19))).toBe(0);
  });

  it("starts a new window when failures are spread out", () => {
    let s = null;
    for (let i = 0; i < 10; i++) s = afterFailure(s, at(i * 16), ACCOUNT_POLICY);
    expect(s!.failures).toBe(1);
    expect(minutesLocked(s, at(144))).toBe(0);
  });
});

describe("role scope", () => {
  const viewer = { roles: [grant("centre_admin", "/1/2/"), grant("committee", "/1/", true)] };

  it("reaches a unit's subtree and nothing beside it", () => {
    expect(canReach(viewer, ["centre_admin"], "/1/2/7/")).toBe(true);
    expect(canReach(viewer, ["centre_admin"], "/1/3/")).toBe(false);
    expect(canReach(viewer, ["centre_admin"], "/1/22/")).toBe(false); // "/1/2" must not match "/1/22"
    expect(canReach(viewer, ["committee"], "/1/3/")).toBe(true);
  });

  it("does not let a read-only grant write", () => {
    expect(canReach(viewer, ["committee"], "/1/3/", { write: true })).toBe(false);
    expect(grantsOver(viewer, ["committee", "centre_admin"], "/1/2/5/", { write: true }).map((g) => g.role)).toEqual(["centre_admin"]);
  });

  it("gives admin every role, and merges nested scope roots", () => {
    const admin = { roles: [grant("admin", "/1/")] };
    expect(hasRole(admin, ["trainee"])).toBe(true);
    expect(canReach(admin, ["centre_admin"], "/1/9/9/")).toBe(true);
    expect(
      scopeRoots({ roles: [grant("committee", "/1/2/"), grant("committee", "/1/"), grant("committee", "/5/")] }, ["committee"]),
    ).toEqual(["/1/", "/5/"]);
    expect(hasRole({ roles: [grant("trainee", "/1/")] }, ["committee"])).toBe(false);
  });

  it("shows each role its own menu", () => {
    expect(navFor(["trainee"]).map((i) => i.to)).toEqual([
      "/",
      "/hoc-tap",
      "/thi",
      "/diem-danh",
      "/chung-chi",
      "/khao-sat",
      "/ho-so",
      "/doi-mat-khau",
    ]);
    expect(navFor(["centre_admin"]).map((i) => i.to)).toContain("/tai-khoan/nhap");
    expect(navFor(["committee"]).map((i) => i.to)).not.toContain("/tai-khoan/nhap");
  });
});

describe("passwords", () => {
  it("generates readable initial passwords without look-alike characters", () => {
    const all = Array.from({ length: 200 }, () => generatePassword()).join("");
    expect(all).toMatch(/^[a-z2-9]+$/);
    expect(all).not.toMatch(/[01oil]/);
    expect(new Set(Array.from({ length: 50 }, () => generatePassword())).size).toBe(50);
  });

  it("hashes with argon2id and verifies NFC and NFD input alike", async () => {
    const h = await hashPassword("Mật-khẩu-2026");
    expect(h.startsWith("$argon2id$")).toBe(true);
    expect(await verifyPassword(h, "Mật-khẩu-2026".normalize("NFD"))).toBe(true);
    expect(await verifyPassword(h, "mật-khẩu-2026")).toBe(false);
    expect(await verifyPassword("not a hash", "x")).toBe(false);
  });

  it("explains why a new password is refused", () => {
    expect(passwordProblem("ngan", "hv1")).toMatch(/ít nhất 8/);
    expect(passwordProblem("HV260001", "hv260001")).toMatch(/trùng với tên đăng nhập/);
    expect(passwordProblem("12345678", "hv1")).toMatch(/dễ đoán/);
    expect(passwordProblem("aaaaaaaaaa", "hv1")).toMatch(/dễ đoán/);
    expect(passwordProblem("Tân-Lập-2026", "hv1")).toBeNull();
  });
});
