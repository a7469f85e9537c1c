import { describe, expect, it } from "vitest";
import { bandFor, classify, formatScore } from "../../../server/classes/classification";
import { DEFAULT_RECORDS_POLICY, resolvePolicy } from "../../../server/classes/records-policy";

const P = DEFAULT_RECORDS_POLICY;
const base = { score: 8, attempts: 1, pendingGrading: false, maySit: true, seriousBreach: false };

describe("classification", () => {
  it("bands at the policy's boundaries", () => {
    expect(bandFor(9, P).label).toBe("Giỏi");
    expect(bandFor(8.9, P).label).toBe("Khá");
    expect(bandFor(7, P).label).toBe("Khá");
    expect(bandFor(5, P).label).toBe("Trung bình");
    expect(bandFor(4.9, P).label).toBe("Không đạt");
  });

  it("passes with the band", () => {
    expect(classify(base, P)).toEqual({ score: 8, band: "kha", bandLabel: "Khá", passed: true, outcome: "passed", failReason: null });
    expect(classify({ ...base, score: 5 }, P)).toMatchObject({ passed: true, bandLabel: "Trung bình" });
  });

  it("too many absences: may not sit, re-study, whatever the score", () => {
    const c = classify({ ...base, score: 10, maySit: false }, P);
    expect(c).toMatchObject({ passed: false, outcome: "restudy", band: null });
    expect(c.failReason).toBe("Vắng quá 20% số tiết của chương trình: không đủ điều kiện kiểm tra, học lại với lớp sau.");
  });

  it("a failed first attempt gets a re-sit, a failed re-sit re-study", () => {
    const first = classify({ ...base, score: 4.5 }, P);
    expect(first).toMatchObject({ passed: false, outcome: "resit", bandLabel: "Không đạt" });
    expect(first.failReason).toBe("Điểm 4,5 dưới mức đạt (5,0): được kiểm tra lại.");
    expect(classify({ ...base, score: 4.5, attempts: 2 }, P)).toMatchObject({ outcome: "restudy" });
    expect(classify({ ...base, score: 4.5 }, { ...P, maxResits: 0 })).toMatchObject({ outcome: "restudy" });
    // The best score counts: a passed re-sit passes.
    expect(classify({ ...base, score: 6, attempts: 2 }, P)).toMatchObject({ passed: true, outcome: "passed" });
  });

  it("a serious breach withholds the certificate unless the policy says otherwise", () => {
    expect(classify({ ...base, seriousBreach: true }, P)).toMatchObject({ passed: false, outcome: "withheld", bandLabel: "Khá" });
    expect(classify({ ...base, seriousBreach: true }, { ...P, seriousBreachWithholds: false })).toMatchObject({ passed: true });
  });

  it("no score yet: pending with the reason", () => {
    expect(classify({ ...base, score: null, attempts: 0 }, P)).toMatchObject({
      outcome: "pending",
      failReason: "Chưa làm bài kiểm tra cuối khóa.",
    });
    expect(classify({ ...base, score: null, pendingGrading: true }, P)).toMatchObject({
      outcome: "pending",
      failReason: "Bài làm đang chờ chấm.",
    });
  });

  it("formats scores with a decimal comma and resolves stored policies", () => {
    expect(formatScore(7)).toBe("7,0");
    expect(formatScore(8.25)).toBe("8,3");
    expect(resolvePolicy({ maxAbsentShare: 0.1 }).maxAbsentShare).toBe(0.1);
    expect(resolvePolicy({ maxAbsentShare: 7 })).toEqual(DEFAULT_RECORDS_POLICY);
    expect(resolvePolicy(null)).toEqual(DEFAULT_RECORDS_POLICY);
  });
});
