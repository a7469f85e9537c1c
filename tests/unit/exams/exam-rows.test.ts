import { describe, expect, it } from "vitest";
import { manualClock } from "../../../server/clock";
import { createExamRows, EXAM_ROW_TTL_MS, type ExamRow } from "../../../server/exams/exam-rows";

/** The exam-row memo of a synchronised start: its age is read on the injected clock. */
function counting(fail = new Set<number>()) {
  const calls: number[] = [];
  const load = async (id: number) => {
    calls.push(id);
    await Promise.resolve();
    if (fail.has(id)) throw new Error("connection lost");
    return { id, title: `Bài ${id} / ${calls.length}` } as unknown as ExamRow;
  };
  return { calls, load };
}

describe("exam row memo", () => {
  it("reads a row once while it is fresh and again once the clock passes its age", async () => {
    const clock = manualClock();
    const { calls, load } = counting();
    const rows = createExamRows(load, clock);
    const [a, b] = await Promise.all([rows.examRow(7), rows.examRow(7)]);
    expect(a).toBe(b);
    clock.advance(EXAM_ROW_TTL_MS - 1);
    expect(await rows.examRow(7)).toBe(a);
    expect(calls).toEqual([7]);
    clock.advance(2);
    const c = await rows.examRow(7);
    expect(c).not.toBe(a);
    expect(calls).toEqual([7, 7]);
  });

  it("reads afresh on demand and after a change is forgotten", async () => {
    const { calls, load } = counting();
    const rows = createExamRows(load, manualClock());
    await rows.examRow(1);
    await rows.freshExamRow(1);
    await rows.examRow(1);
    rows.forget(1);
    await rows.examRow(1);
    expect(calls).toEqual([1, 1, 1]);
  });

  it("does not keep a failed read", async () => {
    const fail = new Set([3]);
    const { calls, load } = counting(fail);
    const rows = createExamRows(load, manualClock());
    await expect(rows.examRow(3)).rejects.toThrow("connection lost");
    fail.clear();
    expect((await rows.examRow(3)).id).toBe(3);
    expect(calls).toEqual([3, 3]);
  });

  it("stays within its bound", async () => {
    const { calls, load } = counting();
    const rows = createExamRows(load, manualClock(), { max: 2 });
    await rows.examRow(1);
    await rows.examRow(2);
    await rows.examRow(3);
    await rows.examRow(2);
    await rows.examRow(1);
    expect(calls).toEqual([1, 2, 3, 1]);
  });
});
