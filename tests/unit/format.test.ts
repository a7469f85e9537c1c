import { describe, expect, it } from "vitest";
import { formatCount, formatDateTime, formatTime, vnToday } from "../../app/lib/format";

describe("page formatting (deterministic on server and browser)", () => {
  it("prints an instant in Vietnam's time, time then date", () => {
    expect(formatDateTime("2026-12-07T12:05:00Z")).toBe("19:05 07/12/2026");
    // Past midnight in Vietnam while it is still the previous day in UTC.
    expect(formatDateTime(new Date("2026-12-31T17:30:00Z"))).toBe("00:30 01/01/2027");
    expect(formatDateTime(null)).toBe("");
    expect(formatDateTime("not a date")).toBe("");
  });

  it("agrees with the vi-VN locale format the pages printed before", () => {
    const at = new Date("2026-03-05T01:02:00Z");
    const locale = at.toLocaleString("vi-VN", { timeZone: "Asia/Ho_Chi_Minh", hour: "2-digit", minute: "2-digit", day: "2-digit", month: "2-digit", year: "numeric" });
    expect(formatDateTime(at)).toBe(locale);
  });

  it("prints times of day and counts without the machine's locale", () => {
    expect(formatTime("2026-12-07T23:59:09Z")).toBe("06:59:09");
    expect(formatCount(4000)).toBe("4.000");
    expect(formatCount(1234567)).toBe("1.234.567");
    expect(formatCount(12)).toBe("12");
  });

  it("gives today's day in Vietnam", () => {
    expect(vnToday(new Date("2026-12-07T18:00:00Z"))).toBe("2026-12-08");
  });
});
