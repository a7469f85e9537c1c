import { describe, expect, it } from "vitest";
import { againstTargets, groupTotals, quarterLabel, totals, type ClassFigures } from "../../../server/dashboards/figures";

const row = (o: Partial<ClassFigures>): ClassFigures => ({
  class_id: 1,
  centre_id: 1,
  programme_code: "hd61",
  year: 2026,
  quarter: 1,
  ends_on: "2026-03-13",
  enrolled: 0,
  assessed: 0,
  scored: 0,
  passed: 0,
  xuat_sac: 0,
  gioi: 0,
  kha: 0,
  trung_binh: 0,
  khong_dat: 0,
  score_sum: 0,
  certificates: 0,
  ...o,
});

describe("dashboard figures", () => {
  const rows = [
    row({
      class_id: 1,
      enrolled: 100,
      assessed: 98,
      scored: 97,
      passed: 97,
      gioi: 30,
      kha: 50,
      trung_binh: 17,
      khong_dat: 1,
      score_sum: 776,
    }),
    row({
      class_id: 2,
      centre_id: 2,
      quarter: 3,
      ends_on: "2026-08-20",
      enrolled: 50,
      assessed: 50,
      scored: 50,
      passed: 50,
      xuat_sac: 5,
      gioi: 20,
      kha: 20,
      trung_binh: 5,
      score_sum: 420,
    }),
    row({ class_id: 3, quarter: 4, ends_on: "2026-12-04", enrolled: 80 }),
  ];
  it("adds up classes, rates and the mean score by hand", () => {
    const t = totals(rows, "2026-11-22");
    expect(t).toMatchObject({ classes: 3, held: 2, enrolled: 230, assessed: 148, passed: 147 });
    expect(t.passRate).toBe(0.993); // 147/148
    expect(t.goodShare).toBe(0.845); // (30+50+5+20+20)/148 = 125/148
    expect(t.meanScore).toBe(8.14); // 1196/147 = 8.136
  });
  it("returns null rates when nobody was assessed", () => {
    expect(totals([rows[2]!], "2026-11-22")).toMatchObject({ passRate: null, goodShare: null, meanScore: null, held: 0 });
  });
  it("compares with the targets: 100 % pass, more than 80 % khá/giỏi", () => {
    const t = totals(rows, "2026-11-22");
    expect(againstTargets(t, { classesPlanned: 2, passTarget: 100, goodTarget: 80 })).toEqual({
      classes: { actual: 2, planned: 2, met: true },
      pass: { actual: 99.3, target: 100, met: false },
      good: { actual: 84.5, target: 80, met: true },
    });
    // Exactly 80 % is not "more than 80 %".
    const eighty = totals([row({ assessed: 10, passed: 10, kha: 8, trung_binh: 2 })], "2026-11-22");
    expect(againstTargets(eighty, { classesPlanned: null, passTarget: 100, goodTarget: 80 }).good.met).toBe(false);
    expect(againstTargets(eighty, { classesPlanned: null, passTarget: 100, goodTarget: 80 }).pass.met).toBe(true);
  });
  it("groups by any key and labels quarters in Roman numerals", () => {
    expect(groupTotals(rows, (r) => r.centre_id, "2026-11-22").map((g) => [g.key, g.totals.classes])).toEqual([
      [1, 2],
      [2, 1],
    ]);
    expect(quarterLabel(2026, 4)).toBe("Quý IV/2026");
  });
});
