import { stemText } from "./media";
import { createHash, randomBytes } from "node:crypto";
import type { Database } from "../db";
import type { Clock } from "../clock";
import type { QuestionLevel, QuestionType, QuestionUse, StoredOption } from "../db/schema";
import { AppError, Forbidden, NotFound } from "../errors";
import type { Viewer } from "../auth/scope";
import { correctIndexes, scoreAnswer } from "./grading";
import { readSeedBanks } from "./seed-files";
import { seededRandom, shuffle } from "../rules/random";
import { PRACTICE_USES } from "./use";

export interface QuestionContent {
  type: QuestionType;
  level: QuestionLevel | null;
  stem: string;
  stemFormat?: "plain" | "html";
  options: StoredOption[];
  explanation: string | null;
  source: string | null;
  tags?: string[];
  /** Where the version may be drawn; absent means "both". */
  use?: QuestionUse;
}

/** How many items a self-check draws: 5 unless asked, never more than 20. */
export function selfCheckSize(count: number): number {
  return Number.isInteger(count) && count > 0 ? Math.min(20, count) : 5;
}

export function questionHash(q: QuestionContent): string {
  return createHash("sha256")
    .update(
      JSON.stringify([
        q.type,
        q.level,
        q.stem,
        q.stemFormat ?? "plain",
        q.options.map((o) => [o.text, o.fraction, o.feedback ?? ""]),
        q.explanation ?? "",
        q.source ?? "",
        q.tags ?? [],
        ...(q.use && q.use !== "both" ? [q.use] : []),
      ]),
    )
    .digest("hex");
}

export /** The stored row of one question version. */
function versionRow(questionId: number, versionNo: number, content: QuestionContent, images: unknown[], actor: string | null, at: Date) {
  return {
    question_id: questionId,
    version_no: versionNo,
    type: content.type,
    level: content.level,
    stem: content.stem,
    stem_format: content.stemFormat ?? "plain",
    options: JSON.stringify(content.options),
    explanation: content.explanation,
    source: content.source,
    tags: JSON.stringify(content.tags ?? []),
    images: JSON.stringify(images),
    content_hash: questionHash(content),
    use: content.use ?? "both",
    created_by: actor,
    created_at: at,
  };
}

export function createQuestionService(deps: {
  db: Database;
  clock: Clock;
  canStudy: (viewer: Viewer, programme: string) => Promise<boolean>;
}) {
  const { db, clock } = deps;

  async function lessonBank(lessonId: number) {
    if (!Number.isInteger(lessonId) || lessonId < 1 || lessonId > 2_147_483_647) throw new NotFound("Không có bài học này.");
    const lesson = await db.selectFrom("lesson").select(["programme_code", "position"]).where("id", "=", lessonId).executeTakeFirst();
    if (!lesson) throw new NotFound("Không có bài học này.");
    const bank = await db
      .selectFrom("question_bank")
      .select(["id"])
      .where("programme_code", "=", lesson.programme_code)
      .orderBy("id")
      .executeTakeFirst();
    return { lesson, bankId: bank?.id ?? null };
  }

  /** No self-check while the trainee sits an exam: the lesson page must not become a crib sheet. */
  async function refuseDuringExam(viewer: Viewer) {
    if (viewer.personId === null) return;
    const sitting = await db
      .selectFrom("attempt")
      .select("id")
      .where("person_id", "=", viewer.personId)
      .where("status", "=", "in_progress")
      .limit(1)
      .executeTakeFirst();
    if (sitting) throw new AppError("Bạn đang làm một bài kiểm tra. Hãy nộp bài kiểm tra trước rồi mới tự kiểm tra bài học.", 409);
  }

  return {
    /**
     * Loads content/question-banks: one bank per programme; a question key not yet in
     * the bank becomes an approved version 1. Questions already in the database are
     * left alone (the database is the source of truth once seeded).
     */
    async syncSeedBanks(root?: string): Promise<{ created: number }> {
      const { banks, problems } = readSeedBanks(root);
      if (problems.length) throw new Error(`Seed question bank error: ${problems[0]!.file}:${problems[0]!.line} ${problems[0]!.message}`);
      let created = 0;
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const programmes = new Set((await trx.selectFrom("programme").select("code").execute()).map((r) => r.code));
        for (const [programme, questions] of banks) {
          if (!programmes.has(programme)) continue;
          let bank = await trx.selectFrom("question_bank").select("id").where("code", "=", programme).executeTakeFirst();
          bank ??= await trx
            .insertInto("question_bank")
            .values({ code: programme, programme_code: programme, name: `Ngân hàng câu hỏi ${programme.toUpperCase()}` })
            .returning("id")
            .executeTakeFirstOrThrow();
          const existing = new Set(
            (await trx.selectFrom("question").select("key").where("bank_id", "=", bank.id).execute()).map((r) => r.key),
          );
          for (const q of questions) {
            if (existing.has(q.key)) continue;
            const row = await trx
              .insertInto("question")
              .values({ bank_id: bank.id, key: q.key, lesson_position: q.lesson, status: "approved", created_at: now, updated_at: now })
              .returning("id")
              .executeTakeFirstOrThrow();
            const content: QuestionContent = {
              type: q.type,
              level: q.level,
              stem: q.stem,
              options: q.options,
              explanation: q.explanation,
              source: q.source,
            };
            const v = await trx
              .insertInto("question_version")
              .values(versionRow(row.id, 1, content, [], null, now))
              .returning("id")
              .executeTakeFirstOrThrow();
            await trx
              .updateTable("question")
              .set({ approved_version_id: v.id, latest_version_id: v.id })
              .where("id", "=", row.id)
              .execute();
            created++;
          }
        }
      });
      return { created };
    },

    /**
     * Draws `count` approved objective practice questions of a lesson and keeps the draw
     * on the server (`self_check_draw`), replacing this trainee's earlier draw of the
     * lesson. The reply carries no key and no version id: items are numbered 1…n in the
     * draw, and only `checkSelf` with this draw's token grades them (issue 13, item 2).
     */
    async selfCheck(viewer: Viewer, lessonId: number, count: number) {
      const { lesson, bankId } = await lessonBank(lessonId);
      if (!(await deps.canStudy(viewer, lesson.programme_code)))
        throw new Forbidden("Bạn chưa được ghi danh vào lớp học chương trình này.");
      await refuseDuringExam(viewer);
      if (!bankId) return { draw: null, questions: [] };
      const rows = await db
        .selectFrom("question as q")
        .innerJoin("question_version as v", "v.id", "q.approved_version_id")
        .select(["v.id", "v.type", "v.stem", "v.stem_format", "v.options"])
        .where("q.bank_id", "=", bankId)
        .where("q.lesson_position", "=", lesson.position)
        .where("q.status", "=", "approved")
        .where("v.type", "in", ["single", "multiple", "true_false"])
        // Exam-only items never reach practice: their key would leak through the verdicts.
        .where("v.use", "in", [...PRACTICE_USES])
        .orderBy("v.id")
        .execute();
      if (!rows.length) return { draw: null, questions: [] };
      const token = randomBytes(12).toString("base64url");
      const drawn = shuffle(rows, seededRandom(token)).slice(0, selfCheckSize(count));
      const now = clock.now();
      // One row per trainee and lesson: a new draw replaces the previous one (graded or not).
      await db
        .insertInto("self_check_draw")
        .values({
          user_id: viewer.userId,
          lesson_id: lessonId,
          token,
          items: JSON.stringify(drawn.map((r) => r.id)),
          created_at: now,
          graded_at: null,
        })
        .onConflict((oc) =>
          oc
            .columns(["user_id", "lesson_id"])
            .doUpdateSet({ token, items: JSON.stringify(drawn.map((r) => r.id)), created_at: now, graded_at: null }),
        )
        .execute();
      return {
        draw: token,
        questions: drawn.map((r, i) => ({
          id: i + 1,
          type: r.type as "single" | "multiple" | "true_false",
          stem: stemText(r.stem, r.stem_format),
          // Only the option texts: fractions (the key) stay on the server.
          options: r.options.map((o) => o.text),
        })),
      };
    },

    /**
     * Grades the trainee's current draw of the lesson, once: `answers` maps an item's
     * number in the draw to the chosen option indexes. Items of the draw that were
     * answered are graded and only they get their key and explanation back; anything
     * else in `answers` is ignored. A second grading of the same draw, or a draw that a
     * newer one replaced, is refused.
     */
    async checkSelf(viewer: Viewer, lessonId: number, draw: string, answers: Record<string, number[]>) {
      const { lesson } = await lessonBank(lessonId);
      if (!(await deps.canStudy(viewer, lesson.programme_code)))
        throw new Forbidden("Bạn chưa được ghi danh vào lớp học chương trình này.");
      await refuseDuringExam(viewer);
      // Atomic claim: across processes and restarts only one request grades a draw.
      const claimed = await db
        .updateTable("self_check_draw")
        .set({ graded_at: clock.now() })
        .where("user_id", "=", viewer.userId)
        .where("lesson_id", "=", lessonId)
        .where("token", "=", String(draw))
        .where("graded_at", "is", null)
        .returning(["items"])
        .executeTakeFirst();
      if (!claimed) {
        const current = await db
          .selectFrom("self_check_draw")
          .select(["token", "graded_at"])
          .where("user_id", "=", viewer.userId)
          .where("lesson_id", "=", lessonId)
          .executeTakeFirst();
        if (current && current.token === String(draw))
          throw new AppError("Bộ câu hỏi này đã được chấm. Hãy bấm “Làm bộ câu khác” để tự kiểm tra tiếp.", 409);
        throw new AppError("Bộ câu hỏi này không còn hiệu lực (đã có bộ câu mới). Hãy bấm “Làm bộ câu khác”.", 409);
      }
      const items = claimed.items;
      const answered = items.flatMap((versionId, i) => {
        const chosen = answers[String(i + 1)];
        // Untrusted JSON: at most a handful of whole option indexes per item.
        return Array.isArray(chosen) ? [{ n: i + 1, versionId, chosen: chosen.slice(0, 10).map(Number).filter(Number.isInteger) }] : [];
      });
      if (!answered.length) return [];
      const rows = await db
        .selectFrom("question_version")
        .select(["id", "type", "options", "explanation"])
        .where(
          "id",
          "in",
          answered.map((a) => a.versionId),
        )
        .execute();
      const byId = new Map(rows.map((r) => [r.id, r]));
      return answered.flatMap((a) => {
        const r = byId.get(a.versionId);
        if (!r) return [];
        const options = r.options;
        return [
          {
            id: a.n,
            correct: scoreAnswer(r.type, options, a.chosen) === 1,
            correctOptions: correctIndexes(options),
            explanation: r.explanation,
          },
        ];
      });
    },
  };
}

export type QuestionService = ReturnType<typeof createQuestionService>;
