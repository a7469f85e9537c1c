import { describe, expect, it } from "vitest";
import { studySecondsRemaining, studyTimeMessage } from "../../server/curricula/study-time";
import { programmeManifestSchema } from "../../server/curricula/schema";

describe("minimum study time per lesson", () => {
  const opened = new Date("2026-03-09T08:00:00+07:00");
  const at = (s: number) => new Date(opened.getTime() + s * 1000);
  it("counts from the first opening and says how long remains", () => {
    expect(studySecondsRemaining(opened, at(1), 10)).toBe(599);
    expect(studyTimeMessage(opened, at(1), 10)).toBe(
      "Chưa thể đánh dấu đã học xong: mỗi bài cần học ít nhất 10 phút kể từ lần đầu mở bài. Còn khoảng 10 phút nữa.",
    );
    expect(studyTimeMessage(opened, at(570), 10)).toMatch(/Còn 30 giây nữa\.$/);
    expect(studyTimeMessage(opened, at(600), 10)).toBeNull();
    expect(studyTimeMessage(null, at(0), 10)).toMatch(/Còn khoảng 10 phút nữa/);
    expect(studyTimeMessage(opened, at(0), 0)).toBeNull();
  });
  it("is programme data with a default of 10 minutes", () => {
    const base = {
      code: "x",
      name: "X",
      guideline: { number: "1", date: "2020-01-01", issuer: "Y" },
      targetGroup: "Z",
      assessment: "essay",
      assessmentLabel: "E",
      totalPeriods: 5,
      periodsPerSession: 5,
    };
    expect(programmeManifestSchema.parse(base).minStudyMinutes).toBe(10);
    expect(programmeManifestSchema.parse({ ...base, minStudyMinutes: 20 }).minStudyMinutes).toBe(20);
    expect(programmeManifestSchema.safeParse({ ...base, minStudyMinutes: -1 }).success).toBe(false);
  });
});
