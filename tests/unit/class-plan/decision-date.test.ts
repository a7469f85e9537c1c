import { describe, expect, it } from "vitest";
import { DECISION_DATE_RULE, decisionDateProblem, defaultDecisionDate } from "../../../server/classes/decision-date";

describe("date of the decision to open a class", () => {
  it("is today before the class starts, else a week (policy) before the start", () => {
    expect(DECISION_DATE_RULE.daysBeforeStart).toBe(7);
    expect(defaultDecisionDate("2026-02-10", "2026-03-09")).toBe("2026-02-10");
    expect(defaultDecisionDate("2026-03-09", "2026-03-09")).toBe("2026-03-02");
    expect(defaultDecisionDate("2026-11-20", "2026-03-09")).toBe("2026-03-02");
    expect(defaultDecisionDate("2026-11-20", "2026-03-03", { daysBeforeStart: 5 })).toBe("2026-02-26");
    expect(defaultDecisionDate("2026-11-20", null)).toBe("2026-11-20");
  });

  it("refuses a date after the start, in the future, or a year too early", () => {
    expect(decisionDateProblem("2026-03-02", "2026-03-09", "2026-11-20")).toBeNull();
    expect(decisionDateProblem("2026-03-09", "2026-03-09", "2026-11-20")).toBeNull();
    expect(decisionDateProblem("2026-03-10", "2026-03-09", "2026-11-20")).toMatch(/sau ngày khai giảng 09\/03\/2026/);
    expect(decisionDateProblem("2026-02-11", "2026-03-09", "2026-02-10")).toMatch(/chưa đến/);
    expect(decisionDateProblem("2025-01-01", "2026-03-09", "2026-11-20")).toMatch(/quá một năm/);
  });
});
