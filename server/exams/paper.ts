import { randomBytes } from "node:crypto";
import { attemptMediaPrefix, mediaOfVersions, renderStemHtml, scopeStemHtml, stemText } from "../questions/media";
import { MEDIA_PLACEHOLDER } from "../questions/formats/html";
import type { Database } from "../db";
import { EXAM_USES, PRACTICE_USES } from "../questions/use";
import { drawPaper, poolForKind, type Candidate } from "./blueprint";
import { secondsLeft } from "./timing";
import { ESSAY_MAX_CHARS } from "./protocol";
import { createVersionCache } from "./version-cache";
import type { ExamRow } from "./exam-rows";
import type { AttemptRow, ExamContext } from "./context";

/** Papers: what a paper may draw, drawing and storing one, and the trainee's view of it. */

/** Approved candidates of the bank that an exam of this kind may draw (poolForKind). */
export async function pool(db: Database, bankId: number, kind: "official" | "practice"): Promise<Candidate[]> {
  const rows = await db
    .selectFrom("question as q")
    .innerJoin("question_version as v", "v.id", "q.approved_version_id")
    .select(["v.id", "q.lesson_position", "v.level", "v.options", "v.type", "v.use"])
    .where("q.bank_id", "=", bankId)
    .where("q.status", "=", "approved")
    // Filtered by use here too, so the blueprint check counts only what can be drawn.
    .where("v.use", "in", kind === "practice" ? [...PRACTICE_USES] : [...EXAM_USES])
    .where("v.type", "in", ["single", "multiple", "true_false", "essay"])
    .where("q.lesson_position", "is not", null)
    .where("v.level", "is not", null)
    .execute();
  return poolForKind(
    rows.map((r) => ({
      versionId: r.id,
      lesson: r.lesson_position!,
      level: r.level!,
      optionCount: r.options.length,
      essay: r.type === "essay",
      use: r.use,
    })),
    kind,
  );
}

/** Draws and stores one paper (attempt in status "ready"); pins the question versions. */
export async function createPaper(trx: Database, exam: ExamRow, personId: number, attemptNo: number, candidates: Candidate[]) {
  const seed = randomBytes(12).toString("hex");
  const items = drawPaper(exam.blueprint, candidates, seed, {
    shuffleQuestions: exam.shuffle_questions,
    shuffleOptions: exam.shuffle_options,
  });
  const attempt = await trx
    .insertInto("attempt")
    .values({ exam_id: exam.id, person_id: personId, attempt_no: attemptNo, seed })
    .onConflict((oc) => oc.columns(["exam_id", "person_id", "attempt_no"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!attempt) return null; // another process drew it first
  await trx
    .insertInto("attempt_item")
    .values(
      items.map((i) => ({
        attempt_id: attempt.id,
        position: i.position,
        question_version_id: i.versionId,
        option_order: JSON.stringify(i.optionOrder),
        points: i.points,
      })),
    )
    .execute();
  await trx
    .updateTable("question_version")
    .set({ used: true })
    .where(
      "id",
      "in",
      items.map((i) => i.versionId),
    )
    .where("used", "=", false)
    .execute();
  return attempt.id;
}

/** What a paper shows of each pinned question version, kept in memory (version-cache.ts). */
export function createPaperVersions(db: Database) {
  return createVersionCache(async (ids) => {
    const rows = await db
      .selectFrom("question_version")
      .select(["id", "type", "stem", "stem_format", "options"])
      .where("id", "in", ids)
      .execute();
    // HTML stems are sanitised again and rendered once per version, images addressed
    // through a placeholder that each paper replaces with its own scope (questions/media.ts).
    const media = await mediaOfVersions(
      db,
      rows.filter((v) => v.stem_format === "html").map((v) => v.id),
    );
    return new Map(
      rows.map((v) => [
        v.id,
        {
          type: v.type,
          stem: stemText(v.stem, v.stem_format),
          stemFormat: v.stem_format,
          stemHtml: renderStemHtml(v.stem, v.stem_format, media.get(v.id) ?? new Map(), MEDIA_PLACEHOLDER),
          options: v.options.map((o) => o.text),
        },
      ]),
    );
  });
}

/** The trainee's view of the paper: texts and options in display order, never the key. */
export async function paperView(ctx: ExamContext, a: AttemptRow, exam: ExamRow) {
  const items = await ctx.db
    .selectFrom("attempt_item")
    .select(["position", "question_version_id", "option_order", "chosen", "text_answer", "flagged", "seq"])
    .where("attempt_id", "=", a.id)
    .orderBy("position")
    .execute();
  const versions = await ctx.versionViews(items.map((i) => i.question_version_id));
  const now = ctx.clock.now();
  return {
    attemptId: a.id,
    examId: exam.id,
    title: exam.title,
    status: a.status,
    deadline: a.deadline_at ? new Date(a.deadline_at).toISOString() : null,
    serverNow: now.toISOString(),
    // While a proctor pauses the attempt the clock stands still at the pause.
    secondsLeft: a.deadline_at ? secondsLeft(new Date(a.deadline_at), a.paused_at ? new Date(a.paused_at) : now) : null,
    paused: !!a.paused_at,
    locked: !!a.locked_at,
    receipt: a.status === "submitted" || a.status === "awaiting_grading" ? a.receipt : null,
    essayMaxChars: ESSAY_MAX_CHARS,
    items: items.map((i) => {
      const order = i.option_order;
      const v = versions.get(i.question_version_id)!;
      const chosen = i.chosen ?? [];
      return {
        position: i.position,
        type: v.type,
        stem: v.stem,
        stemFormat: v.stemFormat,
        stemHtml: v.stemHtml ? scopeStemHtml(v.stemHtml, attemptMediaPrefix(a.id)) : null,
        options: order.map((stored) => v.options[stored]!),
        chosen: chosen.map((stored) => order.indexOf(stored)).filter((d) => d >= 0),
        // The trainee's own essay text; never a key, a rubric or a model answer.
        text: v.type === "essay" ? (i.text_answer ?? "") : undefined,
        flagged: i.flagged,
        seq: i.seq,
      };
    }),
  };
}
