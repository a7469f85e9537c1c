import { describe, expect, it } from "vitest";
import {
  CLASS_QR_MAX_AGE_SECONDS,
  classQrCode,
  classQrPath,
  parseTraineeQr,
  summariseAttendance,
  traineeAttendanceQrPayload,
  verifyClassQr,
} from "../../../server/classes/attendance";
import { DEFAULT_RECORDS_POLICY } from "../../../server/classes/records-policy";
import type { AttendanceStatus } from "../../../server/db/schema-class-records";

// HD 61: 10 buổi of 5 tiết = 50 periods; 20 % = 10 periods = two whole sessions.
const sessions = Array.from({ length: 10 }, (_, i) => ({ id: i + 1, periods: 5 }));
const marks = (m: Record<number, AttendanceStatus>) => new Map(Object.entries(m).map(([k, v]) => [Number(k), v]));

describe("attendance threshold", () => {
  it("allows exactly 20 % of periods absent, refuses more", () => {
    const two = summariseAttendance(sessions, marks({ 1: "vang_khong_phep", 2: "vang_co_phep" }), 50, DEFAULT_RECORDS_POLICY);
    expect(two).toMatchObject({ absentPeriods: 10, unexcused: 1, excused: 1, maySit: true });
    expect(two.absentShare).toBeCloseTo(0.2);
    const three = summariseAttendance(
      sessions,
      marks({ 1: "vang_khong_phep", 2: "vang_co_phep", 3: "vang_khong_phep" }),
      50,
      DEFAULT_RECORDS_POLICY,
    );
    expect(three).toMatchObject({ absentPeriods: 15, maySit: false });
  });

  it("counts late as present by default and as periods when the policy says so", () => {
    const late = marks({ 1: "di_muon", 2: "di_muon", 3: "vang_khong_phep", 4: "vang_khong_phep" });
    expect(summariseAttendance(sessions, late, 50, DEFAULT_RECORDS_POLICY)).toMatchObject({ late: 2, absentPeriods: 10, maySit: true });
    expect(summariseAttendance(sessions, late, 50, { ...DEFAULT_RECORDS_POLICY, latePeriods: 1 })).toMatchObject({
      absentPeriods: 12,
      maySit: false,
    });
  });

  it("excused absences do not count when the policy excludes them", () => {
    const m = marks({ 1: "vang_co_phep", 2: "vang_co_phep", 3: "vang_co_phep" });
    expect(summariseAttendance(sessions, m, 50, DEFAULT_RECORDS_POLICY).maySit).toBe(false);
    expect(summariseAttendance(sessions, m, 50, { ...DEFAULT_RECORDS_POLICY, excusedCounts: false })).toMatchObject({
      absentPeriods: 0,
      maySit: true,
    });
  });

  it("an unmarked session is not an absence, and counts as unmarked only once held", () => {
    const s = summariseAttendance(sessions, marks({ 1: "co_mat" }), 50, DEFAULT_RECORDS_POLICY, new Set([1, 2, 3]));
    expect(s).toMatchObject({ present: 1, unmarked: 2, absentPeriods: 0, maySit: true });
  });

  it("a stricter threshold is data", () => {
    expect(
      summariseAttendance(sessions, marks({ 1: "vang_khong_phep" }), 50, { ...DEFAULT_RECORDS_POLICY, maxAbsentShare: 0.05 }).maySit,
    ).toBe(false);
  });
});

describe("rotating class QR", () => {
  const secret = "test-secret";
  const t0 = new Date("2026-03-09T01:00:05Z");

  it("accepts a fresh code of its session", () => {
    const c = classQrCode(secret, 7, t0);
    expect(c.t % 20).toBe(0);
    expect(c.refreshIn).toBe(15);
    expect(verifyClassQr(secret, 7, { s: 7, t: c.t, h: c.h }, t0)).toEqual({ ok: true });
    expect(classQrPath(c)).toBe(`/diem-danh/quet?s=7&t=${c.t}&h=${c.h}`);
  });

  it("refuses it after about a minute, for another session, forged or with another secret", () => {
    const c = classQrCode(secret, 7, t0);
    const later = new Date(c.t * 1000 + (CLASS_QR_MAX_AGE_SECONDS + 1) * 1000);
    expect(CLASS_QR_MAX_AGE_SECONDS).toBeLessThan(60);
    const expired = verifyClassQr(secret, 7, { s: 7, t: c.t, h: c.h }, later);
    expect(expired).toMatchObject({ ok: false, code: "expired" });
    expect(!expired.ok && expired.message).toContain("hết hạn");
    expect(verifyClassQr(secret, 8, { s: 7, t: c.t, h: c.h }, t0)).toMatchObject({ ok: false, code: "other_session" });
    expect(verifyClassQr(secret, 8, { s: 8, t: c.t, h: c.h }, t0)).toMatchObject({ ok: false, code: "invalid" });
    expect(verifyClassQr(secret, 7, { s: 7, t: c.t + 20, h: c.h }, t0)).toMatchObject({ ok: false, code: "invalid" });
    expect(verifyClassQr("other", 7, { s: 7, t: c.t, h: c.h }, t0)).toMatchObject({ ok: false, code: "invalid" });
  });

  it("refuses a code dated in the future (a clock trick)", () => {
    const c = classQrCode(secret, 7, new Date(t0.getTime() + 120_000));
    expect(verifyClassQr(secret, 7, { s: 7, t: c.t, h: c.h }, t0)).toMatchObject({ ok: false, code: "future" });
  });
});

describe("trainee personal QR", () => {
  it("round-trips and rejects a made-up or altered code", () => {
    const p = traineeAttendanceQrPayload(42, "s");
    expect(p).toMatch(/^BDHV1\.42\.[A-Za-z0-9_-]{12}$/);
    expect(parseTraineeQr(p, "s")).toBe(42);
    expect(parseTraineeQr(p.replace(".42.", ".43."), "s")).toBeNull();
    expect(parseTraineeQr(p, "other")).toBeNull();
    expect(parseTraineeQr("hello", "s")).toBeNull();
  });
});
