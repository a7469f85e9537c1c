import { LRUCache } from "lru-cache";
import type { Database } from "../db";
import type { Clock } from "../clock";
import { NotFound } from "../errors";

/** One exam's row (its JSON columns are typed by the schema). */
export async function loadExam(db: Database, examId: number) {
  const e = await db.selectFrom("exam").selectAll().where("id", "=", examId).executeTakeFirst();
  if (!e) throw new NotFound("Không có bài kiểm tra này.");
  return e;
}

export type ExamRow = Awaited<ReturnType<typeof loadExam>>;

/** How long a memoised exam row is used: the proctor's start gate and other changes are seen within this. */
export const EXAM_ROW_TTL_MS = 2_000;

/**
 * A synchronised start reads the same exam row thousands of times in seconds; a
 * two-second memo keeps that off the database (the proctor's start gate and other
 * changes are seen within two seconds). Concurrent reads of one exam share one query;
 * a failed read is not kept. The age is measured on the injected clock
 * (docs/decisions/029-cache-library.md), so tests move time instead of sleeping.
 */
export function createExamRows(load: (examId: number) => Promise<ExamRow>, clock: Clock, opts: { max?: number } = {}) {
  const memo = new LRUCache<number, Promise<ExamRow>>({
    max: opts.max ?? 1000,
    ttl: EXAM_ROW_TTL_MS,
    // Read the clock on every check (the default caches it for a millisecond of real time).
    ttlResolution: 0,
    perf: { now: () => clock.now().getTime() },
  });

  function examRow(examId: number): Promise<ExamRow> {
    const hit = memo.get(examId);
    if (hit) return hit;
    const row = load(examId);
    memo.set(examId, row);
    row.catch(() => memo.peek(examId) === row && memo.delete(examId));
    return row;
  }

  return {
    /** The exam's row, at most two seconds old. */
    examRow,
    /** The exam's row read afresh (and memoised again). */
    freshExamRow(examId: number): Promise<ExamRow> {
      memo.delete(examId);
      return examRow(examId);
    },
    /** Drops the memo after a change to the row, so this process sees it at once. */
    forget(examId: number) {
      memo.delete(examId);
    },
  };
}

export type ExamRows = ReturnType<typeof createExamRows>;
