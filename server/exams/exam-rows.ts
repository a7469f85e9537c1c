import type { Database } from "../db";
import { NotFound } from "../errors";
import type { BlueprintCell } from "./blueprint";
import type { GradingPolicy } from "./scoring";

/** One exam's row with its JSON columns read as their types. */
export async function loadExam(db: Database, examId: number) {
  const e = await db.selectFrom("exam").selectAll().where("id", "=", examId).executeTakeFirst();
  if (!e) throw new NotFound("Không có bài kiểm tra này.");
  return { ...e, blueprint: e.blueprint as unknown as BlueprintCell[], policy: e.policy as unknown as GradingPolicy };
}

export type ExamRow = Awaited<ReturnType<typeof loadExam>>;

/**
 * A synchronised start reads the same exam row thousands of times in seconds; a
 * two-second memo keeps that off the database (the proctor's start gate and other
 * changes are seen within two seconds).
 */
export function createExamRows(db: Database) {
  const examMemo = new Map<number, { at: number; row: Promise<ExamRow> }>();

  function examRow(examId: number): Promise<ExamRow> {
    const hit = examMemo.get(examId);
    const t = Date.now();
    if (hit && t - hit.at < 2_000) return hit.row;
    const row = loadExam(db, examId);
    row.catch(() => examMemo.delete(examId));
    if (examMemo.size > 1000) examMemo.clear();
    examMemo.set(examId, { at: t, row });
    return row;
  }

  return {
    /** The exam's row, at most two seconds old. */
    examRow,
    /** The exam's row read afresh (and memoised again). */
    freshExamRow(examId: number): Promise<ExamRow> {
      examMemo.delete(examId);
      return examRow(examId);
    },
    /** Drops the memo after a change to the row, so this process sees it at once. */
    forget(examId: number) {
      examMemo.delete(examId);
    },
  };
}

export type ExamRows = ReturnType<typeof createExamRows>;
