import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { COURSE_SURVEY } from "../../../server/surveys/defaults";
import { releaseCount, validateAnswers } from "../../../server/surveys/rules";
import { decodeAnswers, encodeAnswers, seal, sealedSize, shuffle, unseal } from "../../../server/surveys/seal";
import { loadConfig } from "../../../server/config";

const questions = COURSE_SURVEY.questions;
const answersOf = (input: Record<string, string>) => validateAnswers(questions, input).answers;
const full = { nd1: "5", nd2: "4", gv1: "5", gv2: "4", tc1: "3", tc2: "4", vc1: "2", tg: "1", y1: "Bài giảng rất hay", y2: "" };

describe("sealed survey answers (decision 017)", () => {
  const key = randomBytes(32);

  it("round-trips every kind of answer, comments with Vietnamese text included", () => {
    const answers = answersOf({ ...full, y2: "Đề nghị thêm giờ thảo luận — “nhóm”\n😀".repeat(3) });
    expect(decodeAnswers(questions, encodeAnswers(questions, answers))).toEqual(answers);
    expect(unseal([key], 7, questions, seal([key], 7, questions, answers))).toEqual(answers);
  });

  it("has one size per survey, whatever was written, up to the longest comment allowed", () => {
    const short = seal([key], 7, questions, answersOf({ ...full, y1: "" }));
    const longest = seal([key], 7, questions, answersOf({ ...full, y1: "ệ".repeat(2000), y2: "😀".repeat(1000) }));
    expect(short.length).toBe(sealedSize(questions));
    expect(longest.length).toBe(sealedSize(questions));
  });

  it("opens only with a configured key and only for its own survey", () => {
    const blob = seal([key], 7, questions, answersOf(full));
    expect(() => unseal([randomBytes(32)], 7, questions, blob)).toThrow(/SURVEY_SEAL_KEY/);
    expect(() => unseal([key], 8, questions, blob)).toThrow(/SURVEY_SEAL_KEY/); // moved to another survey
    expect(unseal([randomBytes(32), key], 7, questions, blob)).toEqual(answersOf(full)); // an older key after rotation
    const tampered = Buffer.from(blob);
    tampered[tampered.length - 1]! ^= 1;
    expect(() => unseal([key], 7, questions, tampered)).toThrow();
  });

  it("never seals the same answers to the same bytes", () => {
    const a = answersOf(full);
    expect(seal([key], 7, questions, a).equals(seal([key], 7, questions, a))).toBe(false);
  });

  it("shuffles into a permutation", () => {
    const items = [...Array(50).keys()];
    const out = shuffle(items);
    expect([...out].sort((x, y) => x - y)).toEqual(items);
    expect(out).not.toEqual(items);
    expect(items).toEqual([...Array(50).keys()]); // the input is left alone
  });

  it("releases only groups of at least the minimum, and keeps a full group back while open", () => {
    const cases: [pending: number, min: number, closed: boolean, release: number][] = [
      [0, 5, false, 0],
      [4, 5, false, 0],
      [5, 5, false, 0],
      [9, 5, false, 0],
      [10, 5, false, 5],
      [13, 5, false, 8],
      [4, 5, true, 0], // the whole survey stayed below the minimum: stays sealed
      [5, 5, true, 5],
      [9, 5, true, 9],
      [2, 3, true, 0],
      [6, 3, false, 3],
    ];
    for (const [pending, min, closed, release] of cases)
      expect(releaseCount(pending, min, closed), `${pending}/${min}/${closed}`).toBe(release);
  });

  it("refuses a malformed SURVEY_SEAL_KEY at boot with a Vietnamese message", () => {
    expect(() => loadConfig({ SURVEY_SEAL_KEY: "ngắn" })).toThrow(/SURVEY_SEAL_KEY phải là một hoặc nhiều khóa 32 byte/);
    expect(
      loadConfig({ SURVEY_SEAL_KEY: `${key.toString("base64")}, ${randomBytes(32).toString("base64")}` }).SURVEY_SEAL_KEY,
    ).toBeTruthy();
  });
});
