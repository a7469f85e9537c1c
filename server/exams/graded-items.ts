import type { Database } from "../db";
import type { QuestionType, StoredOption } from "../db/schema";
import type { GradedItem, gradeAttempt } from "./scoring";

/**
 * Reading a paper as the grader sees it, shared by submission, essay grading, key
 * corrections and results. Each takes the database or the transaction first: inside a
 * transaction pass the `trx` (stack.md, trap 11).
 */

/** The corrected keys of one exam: the latest correction per pinned version. */
export async function corrections(trx: Database, examId: number): Promise<Map<number, StoredOption[]>> {
  const rows = await trx
    .selectFrom("key_correction")
    .select(["question_version_id", "options"])
    .where("exam_id", "=", examId)
    .orderBy("id")
    .execute();
  return new Map(rows.map((r) => [r.question_version_id, r.options]));
}

export type PaperItem = GradedItem & { position: number; versionId: number; text: string | null };

/** Loads an attempt's items as the grader sees them: the exam's corrected keys, essay grades. */
export async function gradedItems(trx: Database, attemptIds: number[], keys: Map<number, StoredOption[]>) {
  if (!attemptIds.length) return new Map<number, PaperItem[]>();
  const rows = await trx
    .selectFrom("attempt_item as i")
    .innerJoin("question_version as v", "v.id", "i.question_version_id")
    .select([
      "i.attempt_id",
      "i.position",
      "i.points",
      "i.chosen",
      "i.text_answer",
      "i.essay_score",
      "i.question_version_id",
      "v.type",
      "v.options",
    ])
    .where("i.attempt_id", "in", attemptIds)
    .orderBy("i.attempt_id")
    .orderBy("i.position")
    .execute();
  const out = new Map<number, PaperItem[]>();
  for (const r of rows) {
    const list = out.get(r.attempt_id) ?? [];
    list.push({
      position: r.position,
      versionId: r.question_version_id,
      type: r.type as QuestionType,
      options: keys.get(r.question_version_id) ?? r.options,
      points: Number(r.points),
      chosen: r.chosen ?? [],
      essayPoints: r.essay_score === null ? null : Number(r.essay_score),
      text: r.text_answer,
    });
    out.set(r.attempt_id, list);
  }
  return out;
}

/** The stored figures of a graded paper; an essay awaiting grading leaves score, band and pass empty. */
export function figures(g: ReturnType<typeof gradeAttempt>) {
  return g.pending
    ? { earned: g.earned, max_points: g.max, score: null, band: null, passed: null }
    : { earned: g.earned, max_points: g.max, score: g.score, band: g.band, passed: g.passed };
}
