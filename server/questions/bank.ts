// Over 500 lines (724): Prettier's one-time reformat (decision 034) wrapped the former 457 lines. Split pending in
// issue #17 (banks and questions, review, import preview and commit as modules of one job; decision 028).
import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import type { Database } from "../db";
import type { Clock } from "../clock";
import type { QuestionLevel, QuestionStatus, QuestionType, QuestionUse } from "../db/schema";
import type { Role } from "../db/schema";
import { audit } from "../audit/log";
import { BadRequest, Forbidden, NotFound } from "../errors";
import { hasRole, type Viewer } from "../auth/scope";
import {
  exportQuestionsWithReport,
  findNearDuplicates,
  parseQuestionFile,
  validateQuestion,
  type ExportFormat,
  type ImportedQuestion,
  type ParseIssue,
} from "./formats";
import { questionHash, versionRow, type QuestionContent } from "./service";
import { sanitiseHtml } from "./formats/html";
import { attachImages, bankMediaPrefix, copyImages, mediaOfVersions, renderStemHtml, stemText } from "./media";

/** Rows per page of a bank's question list. */
export const QUESTIONS_PER_PAGE = 25;

/**
 * Question banks: authoring, review and file transfer. Banks are national content
 * (one per programme): lecturers write and import, the committee approves
 * (docs/decisions/006-question-versions.md).
 */
const AUTHORS: Role[] = ["lecturer"];
const REVIEWERS: Role[] = ["committee"];

export interface QuestionInput extends QuestionContent {
  lesson: number | null;
}

export interface ImportSummary {
  batchId: string;
  fileName: string;
  valid: number;
  issues: ParseIssue[];
  unsupported: { line: number; kind: string; name?: string }[];
  duplicates: { line: number; similarTo: string; similarity: number }[];
  sample: { line: number; stem: string; type: QuestionType; lesson: number | null; level: QuestionLevel | null }[];
}

const canWrite = (v: Viewer) => hasRole(v, AUTHORS);

const canReview = (v: Viewer) =>
  hasRole(v, REVIEWERS) && v.roles.some((g) => (g.role === "committee" || g.role === "admin") && !g.readOnly);

function toImported(q: QuestionInput & { line?: number; key?: string }): ImportedQuestion {
  return {
    line: q.line ?? 0,
    type: q.type,
    code: q.key,
    stem: q.stem,
    stemFormat: q.stemFormat ?? "plain",
    options: q.options.map((o) => ({ text: o.text, fraction: o.fraction, feedback: o.feedback })),
    explanation: q.explanation ?? undefined,
    lesson: q.lesson ?? undefined,
    level: q.level ?? undefined,
    tags: q.tags ?? [],
    source: q.source ?? undefined,
    images: [],
    ...(q.use && q.use !== "both" ? { use: q.use } : {}),
  };
}

export function createBankService(deps: { db: Database; clock: Clock }) {
  const { db, clock } = deps;

  async function bank(bankId: number) {
    const b = await db.selectFrom("question_bank").selectAll().where("id", "=", bankId).executeTakeFirst();
    if (!b) throw new NotFound("Không có ngân hàng câu hỏi này.");
    return b;
  }

  function requireReader(viewer: Viewer) {
    if (!canWrite(viewer) && !hasRole(viewer, REVIEWERS))
      throw new Forbidden("Chỉ giảng viên và Ban Tuyên giáo làm việc với ngân hàng câu hỏi.");
  }

  async function insertVersion(trx: Database, questionId: number, content: QuestionContent, actor: string | null, images: unknown[] = []) {
    const last = await trx
      .selectFrom("question_version")
      .select(({ fn }) => fn.max("version_no").as("n"))
      .where("question_id", "=", questionId)
      .executeTakeFirst();
    return trx
      .insertInto("question_version")
      .values(versionRow(questionId, Number(last?.n ?? 0) + 1, content, images, actor, clock.now()))
      .returning("id")
      .executeTakeFirstOrThrow();
  }

  function validateInput(input: QuestionInput): string[] {
    const issues = validateQuestion(toImported({ ...input, line: 0 })).filter((i) => i.severity === "error");
    return issues.map((i) => i.message.replace(/^[^:]*:\s*/, ""));
  }

  async function existingForDuplicates(bankId: number) {
    const rows = await db
      .selectFrom("question as q")
      .innerJoin("question_version as v", "v.id", "q.latest_version_id")
      .select(["q.key", "v.stem", "v.options"])
      .where("q.bank_id", "=", bankId)
      .where("q.status", "!=", "retired")
      .execute();
    return rows.map((r) => ({ id: r.key, stem: r.stem, options: r.options.map((o) => ({ text: o.text })) }));
  }

  return {
    async banks(viewer: Viewer) {
      requireReader(viewer);
      return db
        .selectFrom("question_bank as b")
        .select(["b.id", "b.code", "b.name", "b.programme_code"])
        .select((eb) => [
          eb
            .selectFrom("question as q")
            .select(eb.fn.countAll<number>().as("n"))
            .whereRef("q.bank_id", "=", "b.id")
            .where("q.status", "=", "approved")
            .as("approved"),
          eb
            .selectFrom("question as q")
            .select(eb.fn.countAll<number>().as("n"))
            .whereRef("q.bank_id", "=", "b.id")
            .where("q.status", "=", "submitted")
            .as("submitted"),
          eb
            .selectFrom("question as q")
            .select(eb.fn.countAll<number>().as("n"))
            .whereRef("q.bank_id", "=", "b.id")
            .where("q.status", "=", "draft")
            .as("draft"),
        ])
        .orderBy("b.code", "desc")
        .execute();
    },

    async bank(viewer: Viewer, bankId: number) {
      requireReader(viewer);
      return bank(bankId);
    },

    async bankByCode(code: string) {
      const b = await db.selectFrom("question_bank").selectAll().where("code", "=", code).executeTakeFirst();
      if (!b) throw new NotFound(`Không có ngân hàng câu hỏi “${code}”.`);
      return b;
    },

    async list(
      viewer: Viewer,
      bankId: number,
      f: { lesson?: number; level?: string; status?: string; use?: string; search?: string; limit?: number } = {},
    ) {
      requireReader(viewer);
      let q = db
        .selectFrom("question as q")
        .innerJoin("question_version as v", "v.id", "q.latest_version_id")
        .select([
          "q.id",
          "q.key",
          "q.lesson_position",
          "q.status",
          "q.approved_version_id",
          "q.latest_version_id",
          "v.type",
          "v.level",
          "v.stem",
          "v.version_no",
          "v.source",
          "v.use",
        ])
        .where("q.bank_id", "=", bankId);
      if (f.lesson) q = q.where("q.lesson_position", "=", f.lesson);
      if (f.level) q = q.where("v.level", "=", f.level as QuestionLevel);
      if (f.status) q = q.where("q.status", "=", f.status as QuestionStatus);
      if (f.use) q = q.where("v.use", "=", f.use as QuestionUse);
      if (f.search) q = q.where("v.stem", "ilike", `%${f.search.normalize("NFC")}%`);
      const rows = await q
        .select("v.stem_format")
        .orderBy("q.lesson_position")
        .orderBy("q.id")
        .limit(f.limit ?? 500)
        .execute();
      // A list shows the text of a stem; the pictures are on the question's page.
      return rows.map(({ stem_format, ...r }) => ({ ...r, stem: stemText(r.stem, stem_format), hasHtml: stem_format === "html" }));
    },

    /**
     * One page of a bank for its list screen (a bank holds hundreds of questions: issue 14,
     * item 9). Filters: lesson, level, type, status, use; `search` matches the stem, a tag or
     * the source, case-insensitively. Pages are 1-based; a page past the end shows the last.
     */
    async page(
      viewer: Viewer,
      bankId: number,
      f: {
        lesson?: number;
        level?: string;
        type?: string;
        status?: string;
        use?: string;
        search?: string;
        page?: number;
        perPage?: number;
      } = {},
    ) {
      requireReader(viewer);
      const perPage = Math.min(100, Math.max(5, f.perPage ?? QUESTIONS_PER_PAGE));
      let q = db
        .selectFrom("question as q")
        .innerJoin("question_version as v", "v.id", "q.latest_version_id")
        .where("q.bank_id", "=", bankId);
      if (f.lesson) q = q.where("q.lesson_position", "=", f.lesson);
      if (f.level) q = q.where("v.level", "=", f.level as QuestionLevel);
      if (f.type) q = q.where("v.type", "=", f.type as QuestionType);
      if (f.status) q = q.where("q.status", "=", f.status as QuestionStatus);
      if (f.use) q = q.where("v.use", "=", f.use as QuestionUse);
      if (f.search) {
        // User text is a value, never a pattern: % and _ are escaped.
        const like = `%${f.search.normalize("NFC").replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        q = q.where((eb) =>
          eb.or([
            eb("v.stem", "ilike", like),
            eb(sql<string>`v.tags::text`, "ilike", like),
            eb("v.source", "ilike", like),
            eb("q.key", "ilike", like),
          ]),
        );
      }
      const total = Number((await q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
      const pages = Math.max(1, Math.ceil(total / perPage));
      const page = Math.min(pages, Math.max(1, Math.trunc(f.page ?? 1) || 1));
      const questions = await q
        .select([
          "q.id",
          "q.key",
          "q.lesson_position",
          "q.status",
          "q.approved_version_id",
          "q.latest_version_id",
          "v.type",
          "v.level",
          "v.stem",
          "v.stem_format",
          "v.version_no",
          "v.source",
          "v.use",
        ])
        .orderBy("q.lesson_position")
        .orderBy("q.id")
        .limit(perPage)
        .offset((page - 1) * perPage)
        .execute();
      // A list shows the text of a stem; the pictures are on the question's page.
      return {
        questions: questions.map(({ stem_format, ...r }) => ({
          ...r,
          stem: stemText(r.stem, stem_format),
          hasHtml: stem_format === "html",
        })),
        total,
        page,
        pages,
        perPage,
      };
    },

    async get(viewer: Viewer, questionId: number) {
      requireReader(viewer);
      const q = await db.selectFrom("question").selectAll().where("id", "=", questionId).executeTakeFirst();
      if (!q) throw new NotFound("Không có câu hỏi này.");
      const versions = await db
        .selectFrom("question_version")
        .selectAll()
        .where("question_id", "=", questionId)
        .orderBy("version_no", "desc")
        .execute();
      const reviews = await db
        .selectFrom("question_review as r")
        .leftJoin("user_account as a", "a.id", "r.actor_id")
        .select(["r.action", "r.comment", "r.at", "a.display_name as actor"])
        .where("r.question_id", "=", questionId)
        .orderBy("r.id", "desc")
        .execute();
      const latest = versions[0]!;
      const media = await mediaOfVersions(db, [latest.id]);
      // Sanitised again here and shown as HTML with its pictures (issue 14, item 3).
      const stemHtml = renderStemHtml(latest.stem, latest.stem_format, media.get(latest.id) ?? new Map(), bankMediaPrefix(q.bank_id));
      return { question: q, latest, stemHtml, versions, reviews, canWrite: canWrite(viewer), canReview: canReview(viewer) };
    },

    /**
     * Creates or edits a question. An approved or already-served version is never
     * changed: the edit becomes a new draft version while the approved one stays in use.
     */
    async save(
      viewer: Viewer,
      bankId: number,
      input: QuestionInput,
      questionId?: number,
    ): Promise<{ ok: true; id: number } | { ok: false; errors: string[] }> {
      if (!canWrite(viewer)) throw new Forbidden("Chỉ giảng viên soạn câu hỏi.");
      const target = await bank(bankId);
      // An HTML stem (imported from Moodle or Word) stays HTML when edited, sanitised again,
      // and keeps its pictures; the editor's textarea holds its markup.
      const previous = questionId
        ? await db
            .selectFrom("question as q")
            .innerJoin("question_version as v", "v.id", "q.latest_version_id")
            .select(["v.stem_format"])
            .where("q.id", "=", questionId)
            .executeTakeFirst()
        : undefined;
      const html = previous?.stem_format === "html";
      const stem = input.stem.normalize("NFC").trim();
      const content: QuestionContent = {
        ...input,
        stem: html ? sanitiseHtml(stem).html : stem,
        stemFormat: html ? "html" : (input.stemFormat ?? "plain"),
        options: input.options.map((o) => ({ ...o, text: o.text.normalize("NFC").trim() })),
      };
      const errors = validateInput({ ...content, lesson: input.lesson });
      if (errors.length) return { ok: false, errors };
      const now = clock.now();
      const id = await db.transaction().execute(async (trx) => {
        if (!questionId) {
          // The bank was read before the transaction: a query on `db` here would wait for
          // itself on the embedded database's single connection (stack.md, trap 11).
          const key = `${target.code}-q-${randomBytes(4).toString("hex")}`;
          const q = await trx
            .insertInto("question")
            .values({
              bank_id: bankId,
              key,
              lesson_position: input.lesson,
              status: "draft",
              created_by: viewer.userId,
              created_at: now,
              updated_at: now,
            })
            .returning("id")
            .executeTakeFirstOrThrow();
          const v = await insertVersion(trx, q.id, content, viewer.userId);
          await trx.updateTable("question").set({ latest_version_id: v.id }).where("id", "=", q.id).execute();
          return q.id;
        }
        const q = await trx
          .selectFrom("question")
          .selectAll()
          .where("id", "=", questionId)
          .where("bank_id", "=", bankId)
          .forUpdate()
          .executeTakeFirst();
        if (!q) throw new NotFound("Không có câu hỏi này.");
        if (q.status === "retired") throw new BadRequest("Câu hỏi đã ngừng sử dụng; không sửa được.");
        const latest = await trx
          .selectFrom("question_version")
          .select(["id", "used", "content_hash"])
          .where("id", "=", q.latest_version_id!)
          .executeTakeFirstOrThrow();
        if (latest.content_hash === questionHash(content) && q.lesson_position === input.lesson) return q.id;
        const frozen = latest.used || latest.id === q.approved_version_id;
        if (frozen) {
          const v = await insertVersion(trx, q.id, content, viewer.userId);
          await copyImages(trx, latest.id, v.id);
          await trx
            .updateTable("question")
            .set({ latest_version_id: v.id, status: "draft", lesson_position: input.lesson, updated_at: now })
            .where("id", "=", q.id)
            .execute();
        } else {
          await trx
            .updateTable("question_version")
            .set({
              type: content.type,
              level: content.level,
              stem: content.stem,
              options: JSON.stringify(content.options),
              explanation: content.explanation,
              source: content.source,
              tags: JSON.stringify(content.tags ?? []),
              use: content.use ?? "both",
              content_hash: questionHash(content),
            })
            .where("id", "=", latest.id)
            .execute();
          await trx
            .updateTable("question")
            .set({ status: "draft", lesson_position: input.lesson, updated_at: now })
            .where("id", "=", q.id)
            .execute();
        }
        return q.id;
      });
      return { ok: true, id };
    },

    async submit(viewer: Viewer, questionIds: number[]) {
      if (!canWrite(viewer)) throw new Forbidden("Chỉ giảng viên gửi duyệt câu hỏi.");
      await db.transaction().execute(async (trx) => {
        const rows = await trx
          .selectFrom("question")
          .select(["id", "latest_version_id", "status"])
          .where("id", "in", questionIds)
          .where("status", "=", "draft")
          .execute();
        for (const r of rows) {
          await trx.updateTable("question").set({ status: "submitted", updated_at: clock.now() }).where("id", "=", r.id).execute();
          await trx
            .insertInto("question_review")
            .values({
              question_id: r.id,
              version_id: r.latest_version_id!,
              actor_id: viewer.userId,
              action: "submitted",
              comment: null,
              at: clock.now(),
            })
            .execute();
        }
      });
    },

    /** Committee decision on submitted questions; approval makes the latest version the one exams use. */
    async review(viewer: Viewer, questionIds: number[], decision: { approve: true } | { approve: false; comment: string }) {
      if (!canReview(viewer)) throw new Forbidden("Chỉ Ban Tuyên giáo duyệt câu hỏi.");
      if (!decision.approve && !decision.comment.trim())
        throw new BadRequest("Hãy ghi ý kiến khi trả lại câu hỏi để giảng viên biết cần sửa gì.");
      await db.transaction().execute(async (trx) => {
        const rows = await trx
          .selectFrom("question")
          .select(["id", "latest_version_id"])
          .where("id", "in", questionIds)
          .where("status", "=", "submitted")
          .forUpdate()
          .execute();
        if (rows.length !== questionIds.length) throw new BadRequest("Có câu hỏi không ở trạng thái chờ duyệt; hãy tải lại trang.");
        for (const r of rows) {
          const now = clock.now();
          if (decision.approve)
            await trx
              .updateTable("question")
              .set({ status: "approved", approved_version_id: r.latest_version_id, updated_at: now })
              .where("id", "=", r.id)
              .execute();
          else await trx.updateTable("question").set({ status: "draft", updated_at: now }).where("id", "=", r.id).execute();
          await trx
            .insertInto("question_review")
            .values({
              question_id: r.id,
              version_id: r.latest_version_id!,
              actor_id: viewer.userId,
              action: decision.approve ? "approved" : "returned",
              comment: decision.approve ? null : decision.comment.trim(),
              at: now,
            })
            .execute();
        }
        await audit(trx, {
          actorId: viewer.userId,
          action: decision.approve ? "questions.approved" : "questions.returned",
          entityType: "question",
          entityId: questionIds.join(","),
          reason: decision.approve ? null : decision.comment.trim(),
          details: { count: questionIds.length },
        });
      });
    },

    async retire(viewer: Viewer, questionId: number, reason: string) {
      if (!canReview(viewer)) throw new Forbidden("Chỉ Ban Tuyên giáo cho ngừng sử dụng câu hỏi.");
      if (!reason.trim()) throw new BadRequest("Hãy ghi lý do ngừng sử dụng câu hỏi.");
      await db.transaction().execute(async (trx) => {
        const q = await trx.selectFrom("question").select(["id", "latest_version_id"]).where("id", "=", questionId).executeTakeFirst();
        if (!q) throw new NotFound("Không có câu hỏi này.");
        await trx.updateTable("question").set({ status: "retired", updated_at: clock.now() }).where("id", "=", questionId).execute();
        await trx
          .insertInto("question_review")
          .values({
            question_id: questionId,
            version_id: q.latest_version_id!,
            actor_id: viewer.userId,
            action: "retired",
            comment: reason.trim(),
            at: clock.now(),
          })
          .execute();
        await audit(trx, {
          actorId: viewer.userId,
          action: "question.retired",
          entityType: "question",
          entityId: questionId,
          reason: reason.trim(),
        });
      });
    },

    /** Parses an uploaded file and holds it for confirmation; nothing enters the bank yet. */
    async importPreview(viewer: Viewer | null, bankId: number, file: { name: string; bytes: Uint8Array }): Promise<ImportSummary> {
      if (viewer && !canWrite(viewer)) throw new Forbidden("Chỉ giảng viên nhập câu hỏi.");
      const b = await bank(bankId);
      const parsed = await parseQuestionFile(file.name, file.bytes, { duplicates: true });
      const existing = await existingForDuplicates(bankId);
      // Near-duplicates within the file are already among parsed.issues (warnings);
      // here the file is compared with what the bank holds.
      const duplicates = findNearDuplicates(parsed.questions, existing, { threshold: 0.9 })
        .filter((d) => d.in === "bank")
        .map((d) => ({
          line: parsed.questions[d.candidate]!.line,
          similarTo: String(d.otherId ?? existing[d.other]?.id),
          similarity: Math.round(d.similarity * 100) / 100,
        }));
      const batchId = randomBytes(15).toString("base64url");
      await db
        .insertInto("import_batch")
        .values({
          id: batchId,
          kind: `questions:${b.id}`,
          created_by: viewer?.userId ?? null,
          org_unit_id: null,
          file_name: file.name,
          rows: JSON.stringify(
            parsed.questions.map((q) => ({
              ...q,
              images: q.images.map((i) => ({ name: i.name, mime: i.mime, base64: Buffer.from(i.data).toString("base64") })),
            })),
          ),
          issues: JSON.stringify(parsed.issues),
        })
        .execute();
      return {
        batchId,
        fileName: file.name,
        valid: parsed.questions.length,
        issues: parsed.issues,
        unsupported: parsed.unsupported,
        duplicates,
        sample: parsed.questions
          .slice(0, 100)
          .map((q) => ({ line: q.line, stem: q.stem.slice(0, 200), type: q.type, lesson: q.lesson ?? null, level: q.level ?? null })),
      };
    },

    /**
     * Adds a previewed file to the bank in one transaction, or refuses it whole when
     * it has errors. Imported questions wait for the committee's approval.
     */
    async importCommit(viewer: Viewer | null, batchId: string): Promise<{ imported: number }> {
      if (viewer && !canWrite(viewer)) throw new Forbidden("Chỉ giảng viên nhập câu hỏi.");
      const batch = await db.selectFrom("import_batch").selectAll().where("id", "=", batchId).executeTakeFirst();
      if (!batch || !batch.kind.startsWith("questions:")) throw new NotFound("Không tìm thấy lượt nhập này; hãy tải tệp lên lại.");
      if ((viewer?.userId ?? null) !== batch.created_by) throw new Forbidden("Lượt nhập này do người khác tạo.");
      if (batch.status === "committed") throw new BadRequest("Tệp này đã được nhập rồi.");
      const issues = batch.issues as ParseIssue[];
      const errors = issues.filter((i) => i.severity === "error");
      if (errors.length)
        throw new BadRequest(
          `Tệp còn ${errors.length} lỗi (đầu tiên: ${errors[0]!.message}). Hãy sửa tệp và tải lên lại; chưa có câu hỏi nào được nhập.`,
        );
      const bankId = Number(batch.kind.split(":")[1]);
      const b = await bank(bankId);
      const rows = batch.rows as (Omit<ImportedQuestion, "images"> & { images: { name: string; mime: string; base64: string }[] })[];
      if (!rows.length) throw new BadRequest("Tệp không có câu hỏi nào để nhập.");
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const taken = new Set((await trx.selectFrom("question").select("key").where("bank_id", "=", bankId).execute()).map((r) => r.key));
        const keys = rows.map((q, i) => {
          let key =
            q.code && /^[\w.-]{1,60}$/.test(q.code) && !taken.has(q.code)
              ? q.code
              : `${b.code}-nhap-${batchId.slice(0, 6).toLowerCase()}-${String(i + 1).padStart(4, "0")}`;
          while (taken.has(key)) key = `${key}-b`;
          taken.add(key);
          return key;
        });
        // Set-based inserts, 500 questions a statement: a 5,000-question file is a few
        // dozen statements in one transaction, not 25,000 round trips.
        for (let start = 0; start < rows.length; start += 500) {
          const chunk = rows.slice(start, start + 500);
          const created = await trx
            .insertInto("question")
            .values(
              chunk.map((q, i) => ({
                bank_id: bankId,
                key: keys[start + i]!,
                lesson_position: q.lesson ?? null,
                status: "submitted" as const,
                created_by: viewer?.userId ?? null,
                created_at: now,
                updated_at: now,
              })),
            )
            .returning(["id", "key"])
            .execute();
          const idByKey = new Map(created.map((c) => [c.key, c.id]));
          const versions = await trx
            .insertInto("question_version")
            .values(
              chunk.map((q, i) => {
                const content: QuestionContent = {
                  type: q.type,
                  level: q.level ?? null,
                  stem: q.stem,
                  stemFormat: q.stemFormat,
                  options: q.options.map((o) => ({ text: o.text, fraction: o.fraction, ...(o.feedback ? { feedback: o.feedback } : {}) })),
                  explanation: q.explanation ?? null,
                  source: q.source ?? null,
                  tags: q.tags,
                  use: q.use,
                };
                return versionRow(idByKey.get(keys[start + i]!)!, 1, content, [], viewer?.userId ?? null, now);
              }),
            )
            .returning(["id", "question_id"])
            .execute();
          // Pictures become stored media (content-addressed), linked to their version.
          const versionOf = new Map(versions.map((v) => [v.question_id, v.id]));
          await attachImages(
            trx,
            chunk.flatMap((q, i) => {
              const versionId = versionOf.get(idByKey.get(keys[start + i]!)!);
              return versionId && q.images?.length
                ? [
                    {
                      versionId,
                      images: q.images.map((img) => ({ name: img.name, data: new Uint8Array(Buffer.from(img.base64, "base64")) })),
                    },
                  ]
                : [];
            }),
          );
          const ids = versions.map((v) => v.question_id);
          await trx
            .updateTable("question")
            .set((eb) => ({
              latest_version_id: eb
                .selectFrom("question_version as v")
                .select("v.id")
                .whereRef("v.question_id", "=", "question.id")
                .where("v.version_no", "=", 1),
            }))
            .where("id", "in", ids)
            .execute();
          await trx
            .insertInto("question_review")
            .values(
              versions.map((v) => ({
                question_id: v.question_id,
                version_id: v.id,
                actor_id: viewer?.userId ?? null,
                action: "submitted" as const,
                comment: `Nhập từ tệp ${batch.file_name}`,
                at: now,
              })),
            )
            .execute();
        }
        await trx.updateTable("import_batch").set({ status: "committed", committed_at: now }).where("id", "=", batchId).execute();
        await audit(trx, {
          actorId: viewer?.userId ?? null,
          action: "questions.imported",
          entityType: "question_bank",
          entityId: bankId,
          details: { fileName: batch.file_name, imported: rows.length },
        });
      });
      return { imported: rows.length };
    },

    /** The bank (or its approved questions) in a file format; questions a format cannot carry are reported. */
    async export(viewer: Viewer | null, bankId: number, format: ExportFormat, opts: { status?: QuestionStatus } = {}) {
      if (viewer) requireReader(viewer);
      const b = await bank(bankId);
      let q = db
        .selectFrom("question as q")
        .innerJoin("question_version as v", "v.id", opts.status === "approved" ? "q.approved_version_id" : "q.latest_version_id")
        .select([
          "q.key",
          "q.lesson_position",
          "v.type",
          "v.level",
          "v.stem",
          "v.stem_format",
          "v.options",
          "v.explanation",
          "v.source",
          "v.tags",
          "v.use",
        ])
        .where("q.bank_id", "=", bankId)
        .where("q.status", "!=", "retired");
      if (opts.status) q = q.where("q.status", "=", opts.status);
      const rows = await q.orderBy("q.lesson_position").orderBy("q.id").execute();
      const questions = rows
        .map((r, i) =>
          toImported({
            line: i + 1,
            key: r.key,
            type: r.type,
            level: r.level,
            stem: r.stem,
            stemFormat: r.stem_format,
            options: r.options,
            explanation: r.explanation,
            source: r.source,
            tags: r.tags,
            use: r.use,
            lesson: r.lesson_position,
          }),
        )
        .map((q) => ({ ...q, category: `${b.code.toUpperCase()}${q.lesson ? `/Bài ${q.lesson}` : ""}` }));
      const report = await exportQuestionsWithReport(questions, format);
      return { ...report, fileName: `${b.code}-ngan-hang-cau-hoi`, count: questions.length - report.skipped.length };
    },
  };
}

export type BankService = ReturnType<typeof createBankService>;
