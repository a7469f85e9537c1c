import { createHash } from "node:crypto";
import type { Database } from "../db";
import type { Clock } from "../clock";
import type { QuestionLevel, QuestionType, StoredOption } from "../db/schema";
import { Forbidden, NotFound } from "../errors";
import type { Viewer } from "../auth/scope";
import { correctIndexes, scoreAnswer } from "./grading";
import { readSeedBanks } from "./seed-files";
import { seededRandom, shuffle } from "../rules/random";

export interface QuestionContent {
  type: QuestionType;
  level: QuestionLevel | null;
  stem: string;
  stemFormat?: "plain" | "html";
  options: StoredOption[];
  explanation: string | null;
  source: string | null;
  tags?: string[];
}

export function questionHash(q: QuestionContent): string {
  return createHash("sha256")
    .update(JSON.stringify([q.type, q.level, q.stem, q.stemFormat ?? "plain", q.options.map((o) => [o.text, o.fraction, o.feedback ?? ""]), q.explanation ?? "", q.source ?? "", q.tags ?? []]))
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
    created_by: actor,
    created_at: at,
  };
}

export function createQuestionService(deps: { db: Database; clock: Clock; canStudy: (viewer: Viewer, programme: string) => Promise<boolean> }) {
  const { db, clock } = deps;

  async function lessonBank(lessonId: number) {
    const lesson = await db.selectFrom("lesson").select(["programme_code", "position"]).where("id", "=", lessonId).executeTakeFirst();
    if (!lesson) throw new NotFound("Không có bài học này.");
    const bank = await db.selectFrom("question_bank").select(["id"]).where("programme_code", "=", lesson.programme_code).orderBy("id").executeTakeFirst();
    return { lesson, bankId: bank?.id ?? null };
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
          bank ??= await trx.insertInto("question_bank").values({ code: programme, programme_code: programme, name: `Ngân hàng câu hỏi ${programme.toUpperCase()}` }).returning("id").executeTakeFirstOrThrow();
          const existing = new Set((await trx.selectFrom("question").select("key").where("bank_id", "=", bank.id).execute()).map((r) => r.key));
          for (const q of questions) {
            if (existing.has(q.key)) continue;
            const row = await trx.insertInto("question").values({ bank_id: bank.id, key: q.key, lesson_position: q.lesson, status: "approved", created_at: now, updated_at: now }).returning("id").executeTakeFirstOrThrow();
            const content: QuestionContent = { type: q.type, level: q.level, stem: q.stem, options: q.options, explanation: q.explanation, source: q.source };
            const v = await trx
              .insertInto("question_version")
              .values(versionRow(row.id, 1, content, [], null, now))
              .returning("id")
              .executeTakeFirstOrThrow();
            await trx.updateTable("question").set({ approved_version_id: v.id, latest_version_id: v.id }).where("id", "=", row.id).execute();
            created++;
          }
        }
      });
      return { created };
    },

    /**
     * `count` approved objective questions of a lesson drawn with `seed`, without the
     * answer key. The same seed gives the same questions, so a page revalidation after
     * checking the answers shows the same set.
     */
    async selfCheck(viewer: Viewer, lessonId: number, count: number, seed: string) {
      const { lesson, bankId } = await lessonBank(lessonId);
      if (!(await deps.canStudy(viewer, lesson.programme_code))) throw new Forbidden("Bạn chưa được ghi danh vào lớp học chương trình này.");
      if (!bankId) return [];
      const rows = await db
        .selectFrom("question as q")
        .innerJoin("question_version as v", "v.id", "q.approved_version_id")
        .select(["v.id", "v.type", "v.stem", "v.options"])
        .where("q.bank_id", "=", bankId)
        .where("q.lesson_position", "=", lesson.position)
        .where("q.status", "=", "approved")
        .where("v.type", "in", ["single", "multiple", "true_false"])
        .orderBy("v.id")
        .execute();
      const drawn = shuffle(rows, seededRandom(`${viewer.userId}:${lessonId}:${seed}`)).slice(0, Math.max(1, Math.min(20, count)));
      return drawn.map((r) => ({
        id: r.id,
        type: r.type as "single" | "multiple" | "true_false",
        stem: r.stem,
        // Only the option texts: fractions (the key) stay on the server.
        options: (r.options as unknown as StoredOption[]).map((o) => o.text),
      }));
    },

    /** Checks self-check answers ({ versionId: chosen indexes }) on the server. */
    async checkSelf(viewer: Viewer, lessonId: number, answers: Record<string, number[]>) {
      const { lesson } = await lessonBank(lessonId);
      if (!(await deps.canStudy(viewer, lesson.programme_code))) throw new Forbidden("Bạn chưa được ghi danh vào lớp học chương trình này.");
      const ids = Object.keys(answers).map(Number).filter(Number.isInteger).slice(0, 50);
      if (!ids.length) return [];
      const rows = await db
        .selectFrom("question_version as v")
        .innerJoin("question as q", "q.id", "v.question_id")
        .innerJoin("question_bank as b", "b.id", "q.bank_id")
        .select(["v.id", "v.type", "v.options", "v.explanation"])
        .where("v.id", "in", ids)
        .where("b.programme_code", "=", lesson.programme_code)
        .where("q.lesson_position", "=", lesson.position)
        .execute();
      return rows.map((r) => {
        const options = r.options as unknown as StoredOption[];
        const chosen = Array.isArray(answers[String(r.id)]) ? answers[String(r.id)]!.map(Number) : [];
        return { id: r.id, correct: scoreAnswer(r.type, options, chosen) === 1, correctOptions: correctIndexes(options), explanation: r.explanation };
      });
    },
  };
}

export type QuestionService = ReturnType<typeof createQuestionService>;
