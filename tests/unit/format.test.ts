import { describe, expect, it } from "vitest";
import { formatCount, formatDateTime, formatNumber, formatPercent, formatScore, formatTime, vnToday } from "../../app/lib/format";

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
    const locale = at.toLocaleString("vi-VN", {
      timeZone: "Asia/Ho_Chi_Minh",
      hour: "2-digit",
      minute: "2-digit",
      day: "2-digit",
      month: "2-digit",
      year: "numeric",
    });
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

  it("prints decimals with a comma through Intl vi-VN, rounded as a person rounds (issue 17, item 4)", () => {
    expect(formatNumber(8.5)).toBe("8,5");
    expect(formatNumber(7.25)).toBe("7,25");
    expect(formatNumber(7.35, 1)).toBe("7,4"); // 7.35 is 7.3499… in binary; the page shows 7,4
    expect(formatNumber(0.1 + 0.2)).toBe("0,3");
    expect(formatNumber(-0.004)).toBe("0"); // never "-0"
    expect(formatNumber(10)).toBe("10");
    expect(formatNumber(null)).toBe("—");
    expect(formatNumber("8.5")).toBe("8,5");
    // Decimal figures keep no thousands separator, as the pages and documents printed them.
    expect(formatNumber(1234.5)).toBe("1234,5");
    expect(formatScore(7)).toBe("7,0");
    expect(formatScore(8.45)).toBe("8,5");
    expect(formatPercent(0.9137)).toBe("91,4%");
    expect(formatCount(-1234)).toBe("-1.234");
    expect(formatCount(-0.5)).toBe("0");
  });
});
