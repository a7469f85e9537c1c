import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { chartBand, countedAttempt, hasResult, isGood } from "../../../server/rules/figures";
import { formatNumber, formatPercent, formatScore, formatShare } from "../../../server/rules/numbers";
import { formatVnDateTime } from "../../../server/rules/dates";
import { countResults } from "../../../server/classes/official-documents";

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : /\.tsx?$/.test(p) ? [p] : [];
  });
}

describe("figure definitions (issue 20)", () => {
  it("counts the best final attempt, the earlier on a tie; first and last by number", () => {
    const a = [
      { attemptNo: 1, score: 4 },
      { attemptNo: 2, score: 8 },
      { attemptNo: 3, score: 8 },
      { attemptNo: 4, score: null },
    ];
    expect(countedAttempt(a)).toBe(a[1]);
    expect(countedAttempt(a, "first")).toBe(a[0]);
    expect(countedAttempt(a, "last")).toBe(a[2]);
    expect(countedAttempt([{ attemptNo: 1, score: null }])).toBeNull();
  });

  it("has one chart band per trainee: a withheld or failed trainee is Không đạt, never khá", () => {
    expect(chartBand({ band: "kha", passed: false })).toBe("khong_dat");
    expect(isGood({ band: "kha", passed: false })).toBe(false);
    expect(chartBand({ band: "gioi", passed: true })).toBe("gioi");
    expect(chartBand({ band: "custom", passed: true })).toBe("trung_binh");
    expect(hasResult({ outcome: "pending", score: null, band: null, passed: false })).toBe(false);
    expect(hasResult({ outcome: "restudy", score: null, band: null, passed: false })).toBe(true);
    // A row written without an outcome (an import) has a result when it has a score.
    expect(hasResult({ outcome: "pending", score: 4, band: "khong_dat", passed: false })).toBe(true);
  });

  it("the class report's shares are of the trainees with a result; a withheld trainee is not khá", () => {
    const line = (outcome: "passed" | "withheld" | "pending" | "resit", bandLabel: string | null) => ({
      fullName: "X",
      birthDate: null,
      unitName: "U",
      score: 8,
      bandLabel,
      outcome,
      failReason: null,
      certificateNumber: null,
      absentPeriods: 0,
    });
    const k = countResults(
      [line("passed", "Khá"), line("withheld", "Khá"), line("pending", null), line("resit", "Không đạt")],
      ["Giỏi", "Khá", "Trung bình", "Không đạt"],
    );
    expect(k).toMatchObject({ total: 4, assessed: 3, passed: 1, good: 1, withheld: 1, pending: 1 });
    expect(k.byBand.reduce((s, b) => s + b.count, 0)).toBe(1);
  });
});

describe("Vietnamese number format (issue 20, point 6)", () => {
  it("writes a decimal comma everywhere", () => {
    expect(formatNumber(7.25)).toBe("7,25");
    expect(formatNumber(7)).toBe("7");
    expect(formatNumber(null)).toBe("—");
    expect(formatScore(7)).toBe("7,0");
    expect(formatScore(8.45)).toBe("8,5");
    expect(formatPercent(0.9137)).toBe("91,4%");
    expect(formatPercent(1)).toBe("100%");
    expect(formatPercent(null)).toBe("—");
    expect(formatShare(1, 3)).toBe("33,3%");
    expect(formatShare(0, 0)).toBe("0%");
    expect(formatVnDateTime(new Date("2026-12-07T09:05:00Z"))).toBe("07/12/2026 16:05");
  });

  it("has one formatting helper: no page or module writes its own decimal comma", () => {
    const offenders = [...sources("app"), ...sources("server")]
      .filter((f) => !f.endsWith(path.join("rules", "numbers.ts")))
      .flatMap((f) =>
        readFileSync(f, "utf8")
          .split("\n")
          .map((line, i) => ({ f, i: i + 1, line }))
          .filter(({ line }) => /\.replace\(\s*["'`]\.["'`]\s*,\s*["'`],["'`]\s*\)|\.replace\(\/\\\.\/g?,\s*["'`],["'`]\)/.test(line)),
      )
      .map(({ f, i }) => `${f}:${i}`);
    expect(offenders).toEqual([]);
  });
});
