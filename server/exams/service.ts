import { attemptMediaPrefix, mediaOfVersions, renderStemHtml, scopeStemHtml, stemText } from "../questions/media";
import { MEDIA_PLACEHOLDER } from "../questions/formats/html";
import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import type { Database } from "../db";
import type { Clock } from "../clock";
import type { AttemptTable, QuestionLevel, QuestionType, StoredOption } from "../db/schema";
import type { Selectable } from "kysely";
import type { Role } from "../db/schema";
import { audit } from "../audit/log";
import { BadRequest, Forbidden, NotFound } from "../errors";
import { canReach, hasRole, type Viewer } from "../auth/scope";
import { EXAM_USES, PRACTICE_USES } from "../questions/use";
import { checkBlueprint, drawPaper, poolForKind, totalPoints, type BlueprintCell, type Candidate } from "./blueprint";
import { acceptsAnswers, deadlineFor, secondsLeft } from "./timing";
import { DEFAULT_POLICY, gradeAttempt, itemEarned, receiptCode, type GradedItem, type GradingPolicy } from "./scoring";
import { parseRubric, scoreWithRubric } from "./rubric";
import { changedOutcomes, correctedOptions, type Outcome, type RegradeChange } from "./regrade";
import { ESSAY_MAX_CHARS, MAX_INT } from "./protocol";
import { hashDeviceToken, newDeviceToken, tokenMatches } from "./device";
import { createReceiptKey } from "./receipt-key";
import { createAnswerBatcher } from "./answer-batch";
import { createVersionCache } from "./version-cache";
import { REVIEW_POLICIES, defaultReviewPolicy, reviewAccess, reviewPolicyProblem, type ReviewPolicy } from "./review";
import { distribution, itemAnalysis } from "./analysis";
import { resultsXlsx } from "./export";
import { correctIndexes, scoreAnswer } from "../questions/grading";
import { sortByVietnameseName } from "../rules/vietnamese-names";
import type { FigureHooks } from "../service-deps";
import { ATTEMPT_RULE, countedAttempt } from "../rules/figures";

/**
 * The exam engine: definitions, papers drawn ahead of the start, attempts with a
 * server-held deadline, durable idempotent answers, exactly-once submission, grading
 * and receipts (docs/decisions/007-exam-engine.md).
 */
const ORGANISERS: Role[] = ["centre_admin"];
/** Who marks essays: the class's lecturers and its centre (docs/grading.md). */
const GRADERS: Role[] = ["lecturer", "centre_admin"];
/** Who may correct a key and regrade: the centre and the committee above it. */
const REGRADERS: Role[] = ["centre_admin", "committee"];

export type { ReviewPolicy } from "./review";

export interface ExamInput {
  classId: number;
  title: string;
  kind?: "official" | "practice";
  opensAt: Date;
  closesAt: Date;
  durationMinutes: number;
  graceSeconds?: number;
  blueprint: BlueprintCell[];
  shuffleQuestions?: boolean;
  shuffleOptions?: boolean;
  policy?: GradingPolicy;
  maxAttempts?: number;
  accessCode?: string | null;
  proctorGate?: boolean;
  reviewPolicy?: ReviewPolicy;
}

/** Published after an attempt is submitted and graded (by the trainee, the server or a proctor). */
export interface AttemptGraded {
  attemptId: number;
  examId: number;
  personId: number;
  score: number;
  band: string;
  passed: boolean;
  by: "trainee" | "server" | "proctor";
}

export class ExamRefused extends BadRequest {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

const LEVEL_LABEL: Record<QuestionLevel, string> = { nhan_biet: "nhận biết", thong_hieu: "thông hiểu", van_dung: "vận dụng" };

export function createExamService(deps: { db: Database; clock: Clock; answerDb?: Database; answerWriters?: number; receiptSecret?: string; figures?: FigureHooks }) {
  const { db, clock } = deps;
  const receiptKey = createReceiptKey(db, deps.receiptSecret);
  // Answers get their own small pool (when the server has one): a burst of starts or
  // submissions must not queue the hot path behind it (docs/performance.md).
  const answerDb = deps.answerDb ?? db;
  const choiceAnswers = createAnswerBatcher(answerDb, { maxInFlight: deps.answerWriters });

  async function classScope(classId: number) {
    const row = await db
      .selectFrom("training_class as c")
      .innerJoin("training_centre as t", "t.id", "c.centre_id")
      .innerJoin("org_unit as o", "o.id", "t.org_unit_id")
      .select(["c.id", "c.programme_code", "c.name", "o.path"])
      .where("c.id", "=", classId)
      .executeTakeFirst();
    if (!row) throw new NotFound("Không có lớp này.");
    return row;
  }

  // A synchronised start reads the same exam row thousands of times in seconds; a
  // two-second memo keeps that off the database (the proctor's start gate and other
  // changes are seen within two seconds).
  const examMemo = new Map<number, { at: number; row: Promise<ExamRow> }>();
  type ExamRow = Awaited<ReturnType<typeof loadExam>>;
  async function loadExam(examId: number) {
    const e = await db.selectFrom("exam").selectAll().where("id", "=", examId).executeTakeFirst();
    if (!e) throw new NotFound("Không có bài kiểm tra này.");
    return { ...e, blueprint: e.blueprint as unknown as BlueprintCell[], policy: e.policy as unknown as GradingPolicy };
  }
  function examRow(examId: number): Promise<ExamRow> {
    const hit = examMemo.get(examId);
    const t = Date.now();
    if (hit && t - hit.at < 2_000) return hit.row;
    const row = loadExam(examId);
    row.catch(() => examMemo.delete(examId));
    if (examMemo.size > 1000) examMemo.clear();
    examMemo.set(examId, { at: t, row });
    return row;
  }

  function freshExamRow(examId: number): Promise<ExamRow> {
    examMemo.delete(examId);
    return examRow(examId);
  }

  /** Approved candidates of the bank that an exam of this kind may draw (poolForKind). */
  async function pool(bankId: number, kind: "official" | "practice"): Promise<Candidate[]> {
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
      rows.map((r) => ({ versionId: r.id, lesson: r.lesson_position!, level: r.level!, optionCount: (r.options as unknown as StoredOption[]).length, essay: r.type === "essay", use: r.use })),
      kind,
    );
  }



  /** Draws and stores one paper (attempt in status "ready"); pins the question versions. */
  async function createPaper(trx: Database, exam: ExamRow, personId: number, attemptNo: number, candidates: Candidate[]) {
    const seed = randomBytes(12).toString("hex");
    const items = drawPaper(exam.blueprint, candidates, seed, { shuffleQuestions: exam.shuffle_questions, shuffleOptions: exam.shuffle_options });
    const attempt = await trx.insertInto("attempt").values({ exam_id: exam.id, person_id: personId, attempt_no: attemptNo, seed }).onConflict((oc) => oc.columns(["exam_id", "person_id", "attempt_no"]).doNothing()).returning("id").executeTakeFirst();
    if (!attempt) return null; // another process drew it first
    await trx
      .insertInto("attempt_item")
      .values(items.map((i) => ({ attempt_id: attempt.id, position: i.position, question_version_id: i.versionId, option_order: JSON.stringify(i.optionOrder), points: i.points })))
      .execute();
    await trx.updateTable("question_version").set({ used: true }).where("id", "in", items.map((i) => i.versionId)).where("used", "=", false).execute();
    return attempt.id;
  }

  const gradedListeners: ((e: AttemptGraded) => void | Promise<void>)[] = [];

  /** Tells dashboards and live results; after the commit, and a listener never fails the caller. */
  async function notifyGraded(events: AttemptGraded[]) {
    for (const event of events)
      for (const listener of gradedListeners) {
        try {
          await listener(event);
        } catch {
          // A listener (dashboards, live results) must never undo or fail a submission.
        }
      }
  }

  /**
   * Submits and grades one attempt; listeners hear about it after the commit, never
   * inside it. An attempt with essays is "awaiting grading": listeners hear about it
   * when its last essay is graded (gradeEssay).
   */
  async function finish(attemptId: number, by: "trainee" | "server" | "proctor", tokenHash?: string) {
    const done = await submitAndGrade(attemptId, by, tokenHash);
    if (done && !done.pending) await notifyGraded([{ attemptId, examId: done.examId, personId: done.personId, score: done.score!, band: done.band!, passed: done.passed!, by }]);
    return done;
  }

  /** The corrected keys of one exam: the latest correction per pinned version. */
  async function corrections(trx: Database, examId: number): Promise<Map<number, StoredOption[]>> {
    const rows = await trx.selectFrom("key_correction").select(["question_version_id", "options"]).where("exam_id", "=", examId).orderBy("id").execute();
    return new Map(rows.map((r) => [r.question_version_id, r.options as unknown as StoredOption[]]));
  }

  /** Loads an attempt's items as the grader sees them: the exam's corrected keys, essay grades. */
  async function gradedItems(trx: Database, attemptIds: number[], keys: Map<number, StoredOption[]>) {
    if (!attemptIds.length) return new Map<number, (GradedItem & { position: number; versionId: number; text: string | null })[]>();
    const rows = await trx
      .selectFrom("attempt_item as i")
      .innerJoin("question_version as v", "v.id", "i.question_version_id")
      .select(["i.attempt_id", "i.position", "i.points", "i.chosen", "i.text_answer", "i.essay_score", "i.question_version_id", "v.type", "v.options"])
      .where("i.attempt_id", "in", attemptIds)
      .orderBy("i.attempt_id")
      .orderBy("i.position")
      .execute();
    const out = new Map<number, (GradedItem & { position: number; versionId: number; text: string | null })[]>();
    for (const r of rows) {
      const list = out.get(r.attempt_id) ?? [];
      list.push({
        position: r.position,
        versionId: r.question_version_id,
        type: r.type as QuestionType,
        options: keys.get(r.question_version_id) ?? (r.options as unknown as StoredOption[]),
        points: Number(r.points),
        chosen: (r.chosen as unknown as number[] | null) ?? [],
        essayPoints: r.essay_score === null ? null : Number(r.essay_score),
        text: r.text_answer,
      });
      out.set(r.attempt_id, list);
    }
    return out;
  }

  /** The stored figures of a graded paper; an essay awaiting grading leaves score, band and pass empty. */
  function figures(g: ReturnType<typeof gradeAttempt>) {
    return g.pending
      ? { earned: g.earned, max_points: g.max, score: null, band: null, passed: null }
      : { earned: g.earned, max_points: g.max, score: g.score, band: g.band, passed: g.passed };
  }

  /** A trainee's submission passes `tokenHash`: only the attempt's accepted device submits (decision 018). */
  async function submitAndGrade(attemptId: number, by: "trainee" | "server" | "proctor", tokenHash?: string) {
    // Read before the transaction: inside it only `trx` may be used (stack.md, trap 11).
    const key = await receiptKey();
    return db.transaction().execute(async (trx) => {
      const now = clock.now();
      // The conditional update is the exactly-once gate: of several processes (or a
      // trainee racing the deadline job) only one sees a row come back.
      let gate = trx
        .updateTable("attempt")
        .set({ status: "submitted", submitted_at: now, submitted_by: by })
        .where("id", "=", attemptId)
        .where("status", "=", "in_progress");
      if (tokenHash !== undefined) gate = gate.where("device_token_hash", "=", tokenHash);
      const won = await gate.returning(["id", "exam_id", "person_id"]).executeTakeFirst();
      if (!won) return null;
      const exam = await trx.selectFrom("exam").select(["policy"]).where("id", "=", won.exam_id).executeTakeFirstOrThrow();
      const items = (await gradedItems(trx, [attemptId], await corrections(trx, won.exam_id))).get(attemptId) ?? [];
      const graded = gradeAttempt(items, (exam.policy as unknown as GradingPolicy) ?? DEFAULT_POLICY);
      const receipt = receiptCode(attemptId, items.map((i) => ({ position: i.position, chosen: i.chosen, text: i.text })), key);
      await trx
        .updateTable("attempt")
        .set({ ...figures(graded), receipt, ...(graded.pending ? { status: "awaiting_grading" as const } : {}) })
        .where("id", "=", attemptId)
        .execute();
      const final = !graded.pending;
      return {
        attemptId,
        examId: won.exam_id,
        personId: won.person_id,
        receipt,
        earned: graded.earned,
        max: graded.max,
        pending: graded.pending,
        score: final ? graded.score : null,
        band: final ? graded.band : null,
        bandLabel: final ? graded.bandLabel : null,
        passed: final ? graded.passed : null,
        submittedAt: now,
        by,
      };
    });
  }

  type AttemptRow = Selectable<AttemptTable>;

  const versionViews = createVersionCache(async (ids) => {
    const rows = await db.selectFrom("question_version").select(["id", "type", "stem", "stem_format", "options"]).where("id", "in", ids).execute();
    // HTML stems are sanitised again and rendered once per version, images addressed
    // through a placeholder that each paper replaces with its own scope (questions/media.ts).
    const media = await mediaOfVersions(db, rows.filter((v) => v.stem_format === "html").map((v) => v.id));
    return new Map(
      rows.map((v) => [
        v.id,
        {
          type: v.type,
          stem: stemText(v.stem, v.stem_format),
          stemFormat: v.stem_format,
          stemHtml: renderStemHtml(v.stem, v.stem_format, media.get(v.id) ?? new Map(), MEDIA_PLACEHOLDER),
          options: (v.options as unknown as StoredOption[]).map((o) => o.text),
        },
      ]),
    );
  });

  async function paperView(a: AttemptRow, exam: ExamRow) {
    const items = await db
      .selectFrom("attempt_item")
      .select(["position", "question_version_id", "option_order", "chosen", "text_answer", "flagged", "seq"])
      .where("attempt_id", "=", a.id)
      .orderBy("position")
      .execute();
    const versions = await versionViews(items.map((i) => i.question_version_id));
    const now = clock.now();
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
        const order = i.option_order as unknown as number[];
        const v = versions.get(i.question_version_id)!;
        const chosen = (i.chosen as unknown as number[] | null) ?? [];
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

  /**
   * The device binding (decision 018). A device that never got this attempt's token is
   * `device_conflict`; one holding a token that is no longer the attempt's (a proctor
   * moved the attempt to another device) is `device_replaced`.
   */
  function assertDevice(token: string | undefined, storedHash: string | null) {
    if (tokenMatches(token, storedHash)) return;
    if (!token) throw new ExamRefused("device_conflict", "Bài làm đang mở trên một thiết bị khác; thiết bị này chưa được nhận bài. Hãy báo giám thị để chuyển sang thiết bị này.");
    throw new ExamRefused("device_replaced", "Giám thị đã chuyển bài làm sang thiết bị khác; thiết bị này không còn trả lời hay nộp bài được. Nếu cần làm tiếp trên thiết bị này, hãy báo giám thị.");
  }

  /**
   * Resuming a running attempt: the device presenting the token goes on. Without it,
   * the device the attempt names may claim a token only while none is held — after a
   * proctor-approved takeover (the approval clears it) or for an attempt started before
   * decision 018; the conditional update lets one claim win. Anyone else asks the proctor.
   */
  async function resumeOn(attempt: AttemptRow, opts: { deviceId: string; deviceToken?: string }): Promise<string> {
    if (opts.deviceToken && tokenMatches(opts.deviceToken, attempt.device_token_hash)) return opts.deviceToken;
    if (attempt.device_token_hash === null && (attempt.device_id === null || attempt.device_id === opts.deviceId)) {
      const token = newDeviceToken();
      const claimed = await db
        .updateTable("attempt")
        .set({ device_id: opts.deviceId, device_token_hash: hashDeviceToken(token) })
        .where("id", "=", attempt.id)
        .where("device_token_hash", "is", null)
        .where((eb) => eb.or([eb("device_id", "is", null), eb("device_id", "=", opts.deviceId)]))
        .returning("id")
        .executeTakeFirst();
      if (claimed) return token;
    }
    // One live device per attempt; a takeover needs the proctor (live proctoring).
    throw new ExamRefused("device_conflict", "Bài làm đang mở trên một thiết bị khác. Hãy báo giám thị để chuyển sang thiết bị này.");
  }

  return {
    /** Subscribe to graded attempts (live results, dashboards); called after the commit. */
    onGraded(listener: (e: AttemptGraded) => void | Promise<void>) {
      gradedListeners.push(listener);
    },

    async createExam(viewer: Viewer, input: ExamInput) {
      const klass = await classScope(input.classId);
      if (!canReach(viewer, ORGANISERS, klass.path, { write: true })) throw new Forbidden("Lớp này không thuộc trung tâm của bạn.");
      if (!(input.closesAt > input.opensAt)) throw new BadRequest("Giờ đóng phải sau giờ mở.");
      if (!(input.durationMinutes >= 5 && input.durationMinutes <= 300)) throw new BadRequest("Thời gian làm bài từ 5 đến 300 phút.");
      if (!input.blueprint.length || input.blueprint.some((c) => c.count < 1 || c.points <= 0)) throw new BadRequest("Ma trận đề cần ít nhất một ô có số câu và điểm dương.");
      const bank = await db.selectFrom("question_bank").select("id").where("programme_code", "=", klass.programme_code).orderBy("id").executeTakeFirst();
      if (!bank) throw new BadRequest("Chương trình của lớp chưa có ngân hàng câu hỏi.");
      const kind = input.kind ?? "official";
      const reviewPolicy = input.reviewPolicy ?? defaultReviewPolicy(kind);
      const policyProblem = reviewPolicyProblem(kind, reviewPolicy);
      if (policyProblem) throw new BadRequest(policyProblem);
      const problems = checkBlueprint(input.blueprint, await pool(bank.id, kind));
      if (problems.length)
        throw new BadRequest(
          `Ngân hàng không đủ câu hỏi đã duyệt ${kind === "practice" ? "dùng cho ôn tập (“Ôn tập” hoặc “Cả hai”)" : "dùng cho thi (“Thi” hoặc “Cả hai”)"} cho ma trận: ${problems.map((p) => `Bài ${p.lesson}, mức ${LEVEL_LABEL[p.level]} cần ${p.needed}, có ${p.available}`).join("; ")}.`,
        );
      const row = await db
        .insertInto("exam")
        .values({
          class_id: input.classId,
          bank_id: bank.id,
          title: input.title.normalize("NFC").trim(),
          kind: input.kind ?? "official",
          opens_at: input.opensAt,
          closes_at: input.closesAt,
          duration_minutes: input.durationMinutes,
          grace_seconds: input.graceSeconds ?? 30,
          blueprint: JSON.stringify(input.blueprint),
          shuffle_questions: input.shuffleQuestions ?? true,
          shuffle_options: input.shuffleOptions ?? true,
          policy: JSON.stringify(input.policy ?? DEFAULT_POLICY),
          max_attempts: input.maxAttempts ?? (input.kind === "practice" ? 100 : 1),
          access_code: input.accessCode ?? null,
          proctor_gate: input.proctorGate ?? false,
          review_policy: reviewPolicy,
          created_by: viewer.userId,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await audit(db, { actorId: viewer.userId, action: "exam.created", entityType: "exam", entityId: row.id, details: { classId: input.classId, points: totalPoints(input.blueprint), reviewPolicy } });
      return row.id;
    },

    /** Changes what trainees see after submitting (the centre of the class); audited with the old and new policy. */
    async setReviewPolicy(viewer: Viewer, examId: number, policy: ReviewPolicy) {
      const exam = await freshExamRow(examId);
      const klass = await classScope(exam.class_id);
      if (!canReach(viewer, ORGANISERS, klass.path, { write: true })) throw new Forbidden("Lớp này không thuộc trung tâm của bạn.");
      if (!(REVIEW_POLICIES as readonly string[]).includes(policy)) throw new BadRequest("Chọn chế độ xem lại bài.");
      const problem = reviewPolicyProblem(exam.kind, policy);
      if (problem) throw new BadRequest(problem);
      if (exam.review_policy === policy) return { changed: false };
      await db.transaction().execute(async (trx) => {
        await trx.updateTable("exam").set({ review_policy: policy }).where("id", "=", examId).execute();
        await audit(trx, { actorId: viewer.userId, action: "exam.review_policy_changed", entityType: "exam", entityId: examId, details: { from: exam.review_policy, to: policy } });
      });
      examMemo.delete(examId);
      return { changed: true };
    },

    /**
     * Releases an official exam's answers before its window closes (answers_after_close),
     * e.g. once the last session has ended. Audited; releasing twice changes nothing.
     */
    async releaseResults(viewer: Viewer, examId: number) {
      const exam = await freshExamRow(examId);
      const klass = await classScope(exam.class_id);
      if (!canReach(viewer, ORGANISERS, klass.path, { write: true })) throw new Forbidden("Lớp này không thuộc trung tâm của bạn.");
      if (exam.review_policy !== "answers_after_close") throw new BadRequest("Chỉ công bố đáp án sớm được khi bài kiểm tra cho xem đáp án sau khi đóng.");
      if (exam.results_released_at) return { released: false };
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await trx.updateTable("exam").set({ results_released_at: now }).where("id", "=", examId).execute();
        await audit(trx, { actorId: viewer.userId, action: "exam.results_released", entityType: "exam", entityId: examId, details: { at: now.toISOString() } });
      });
      examMemo.delete(examId);
      return { released: true };
    },

    /** Draws every enrolled trainee's paper ahead of the start: a synchronised start is then a read. */
    async generatePapers(viewer: Viewer | null, examId: number): Promise<{ created: number }> {
      const exam = await examRow(examId);
      const klass = await classScope(exam.class_id);
      if (viewer && !canReach(viewer, ORGANISERS, klass.path, { write: true })) throw new Forbidden("Lớp này không thuộc trung tâm của bạn.");
      const people = await db
        .selectFrom("class_enrolment as e")
        .select("e.person_id")
        .where("e.class_id", "=", exam.class_id)
        .where((eb) => eb.not(eb.exists(eb.selectFrom("attempt as a").select("a.id").whereRef("a.person_id", "=", "e.person_id").where("a.exam_id", "=", examId))))
        .execute();
      const candidates = await pool(exam.bank_id, exam.kind);
      let created = 0;
      for (const p of people) {
        const id = await db.transaction().execute((trx) => createPaper(trx, exam, p.person_id, 1, candidates));
        if (id) created++;
      }
      return { created };
    },

    /**
     * Starts (or resumes) the trainee's attempt; the deadline is fixed on the server at
     * the first start. A synchronised start of thousands is three statements each: the
     * enrolment, latest attempt and accommodation in one read, the conditional start,
     * and the paper's items.
     */
    async start(viewer: Viewer, examId: number, opts: { deviceId: string; deviceToken?: string; accessCode?: string; ip?: string | null }) {
      if (!viewer.personId) throw new Forbidden("Tài khoản chưa gắn với học viên.");
      const personId = viewer.personId;
      let exam = await examRow(examId);
      // A memoised row may predate the proctor's "start all" or "resume" (on this process
      // or another): before refusing on the gate or a pause, read the row afresh.
      if ((exam.proctor_gate && !exam.started_by_proctor_at) || exam.paused_at) exam = await freshExamRow(examId);
      const found = await db
        .selectFrom("class_enrolment as ce")
        .leftJoin("attempt as a", (j) =>
          j.on("a.exam_id", "=", examId).onRef("a.person_id", "=", "ce.person_id"),
        )
        .leftJoin("exam_accommodation as x", (j) => j.on("x.exam_id", "=", examId).onRef("x.person_id", "=", "ce.person_id"))
        .selectAll("a")
        .select(["x.extra_minutes", "x.multiplier"])
        .where("ce.class_id", "=", exam.class_id)
        .where("ce.person_id", "=", personId)
        .orderBy("a.attempt_no", (ob) => ob.desc().nullsLast())
        .limit(1)
        .executeTakeFirst();
      if (!found) throw new Forbidden("Bạn không thuộc lớp của bài kiểm tra này.");
      const now = clock.now();
      let attempt = found.id === null ? undefined : (found as unknown as AttemptRow);
      if (attempt?.status !== "in_progress") {
        if (now < exam.opens_at) throw new ExamRefused("not_open", "Bài kiểm tra chưa mở.");
        if (now > exam.closes_at) throw new ExamRefused("closed", "Bài kiểm tra đã đóng.");
        if (exam.access_code && opts.accessCode?.trim() !== exam.access_code) throw new ExamRefused("access_code", "Mã vào phòng thi không đúng.");
        if (exam.session_ended_at) throw new ExamRefused("closed", "Ca thi đã kết thúc.");
        if (exam.proctor_gate && !exam.started_by_proctor_at) throw new ExamRefused("waiting_for_proctor", "Chờ giám thị cho bắt đầu.");
        // Once the room has started, a late arrival waits for the proctor to admit them.
        if (exam.proctor_gate && attempt?.status === "ready" && !attempt.admitted_at) throw new ExamRefused("waiting_for_admission", "Ca thi đã bắt đầu; hãy chờ giám thị cho vào thi.");
        if (exam.proctor_gate && !attempt) throw new ExamRefused("waiting_for_admission", "Ca thi đã bắt đầu; hãy chờ giám thị cho vào thi.");
        if (exam.paused_at) throw new ExamRefused("paused", "Phòng thi đang tạm dừng; hãy chờ giám thị.");
      }
      // A paper awaiting essay grading is submitted as far as the trainee is concerned.
      const handedIn = attempt?.status === "submitted" || attempt?.status === "awaiting_grading";
      if (handedIn && attempt!.attempt_no >= exam.max_attempts) throw new ExamRefused("submitted", "Bạn đã nộp bài này.");
      if (!attempt || handedIn) {
        const candidates = await pool(exam.bank_id, exam.kind);
        await db.transaction().execute((trx) => createPaper(trx, exam, personId, (attempt?.attempt_no ?? 0) + 1, candidates));
        attempt = await db.selectFrom("attempt").selectAll().where("exam_id", "=", examId).where("person_id", "=", personId).orderBy("attempt_no", "desc").executeTakeFirstOrThrow();
      }
      if (attempt.status === "ready") {
        const acc = { extraMinutes: found.extra_minutes ?? 0, multiplier: Number(found.multiplier ?? 1) };
        const deadline = deadlineFor(now, { durationMinutes: exam.duration_minutes, closesAt: exam.closes_at, graceSeconds: exam.grace_seconds }, acc);
        const token = newDeviceToken();
        // Conditional: of two devices starting at once, one wins (and gets the device
        // token, decision 018); the other is refused unless it presents that token.
        const started = await db
          .updateTable("attempt")
          // The address goes in with the start, so the proctor's IP-change check adds no write to it.
          .set({ status: "in_progress", started_at: now, deadline_at: deadline, device_id: opts.deviceId, device_token_hash: hashDeviceToken(token), last_ip: opts.ip ?? null })
          .where("id", "=", attempt.id)
          .where("status", "=", "ready")
          .returningAll()
          .executeTakeFirst();
        if (started) return { ...(await paperView(started, exam)), deviceToken: token };
        attempt = await db.selectFrom("attempt").selectAll().where("id", "=", attempt.id).executeTakeFirstOrThrow();
      }
      const deviceToken = await resumeOn(attempt, opts);
      return { ...(await paperView(attempt, exam)), deviceToken };
    },

    /** The trainee's view of the paper: texts and options in display order, never the key. */
    async paper(viewer: Viewer, attemptId: number) {
      const a = await db.selectFrom("attempt").selectAll().where("id", "=", attemptId).executeTakeFirst();
      if (!a || a.person_id !== viewer.personId) throw new NotFound("Không tìm thấy bài làm.");
      return paperView(a, await examRow(a.exam_id));
    },

    /**
     * Stores one answer durably before acknowledging it. Idempotent: a replay with a
     * sequence number not above the stored one changes nothing and is acknowledged.
     */
    async saveAnswer(viewer: Viewer, attemptId: number, input: { position: number; chosen: number[]; text?: string; flagged?: boolean; seq: number; deviceToken?: string }) {
      if (!Number.isInteger(input.seq) || input.seq < 1 || input.seq > MAX_INT) throw new BadRequest("Số thứ tự câu trả lời không hợp lệ.");
      // Hashing costs about a microsecond; the statement compares it with the attempt's row it reads anyway.
      const tokenHash = input.deviceToken ? hashDeviceToken(input.deviceToken) : "";
      const text = input.text === undefined ? null : input.text.normalize("NFC");
      if (text !== null && text.length > ESSAY_MAX_CHARS)
        throw new ExamRefused("too_long", `Bài tự luận dài ${text.length.toLocaleString("vi-VN")} ký tự, vượt giới hạn ${ESSAY_MAX_CHARS.toLocaleString("vi-VN")} ký tự; hãy rút gọn rồi lưu lại.`);
      const now = clock.now();
      const display = [...new Set(input.chosen)];
      // The hot path of an exam. Choice answers (the bulk) go through group commit
      // (answer-batch.ts); an essay, rarer and larger, has a statement of its own. Either
      // way the statement's CTE takes a share lock on the attempt (held until it commits),
      // so a submission's UPDATE of the attempt waits for it: an acknowledged answer is
      // always in the graded paper, and an answer after submission or past the deadline
      // changes nothing. Display positions are mapped to stored option indexes in SQL
      // through the paper's option order.
      const stored =
        text === null
          ? await choiceAnswers.save({ attemptId, personId: viewer.personId ?? -1, position: input.position, display, flagged: input.flagged ?? false, seq: input.seq, at: now, tokenHash })
          : await saveEssay();
      if (stored !== null) return { ok: true as const, position: input.position, seq: stored, applied: true, savedAt: now.toISOString() };
      async function saveEssay() {
        const saved = await sql<{ seq: number }>`
          with a as (
            select a.id from attempt a join exam e on e.id = a.exam_id
            where a.id = ${attemptId} and a.person_id = ${viewer.personId ?? -1} and a.status = 'in_progress'
              and a.paused_at is null and a.locked_at is null and a.device_token_hash = ${tokenHash}
              and a.deadline_at + make_interval(secs => e.grace_seconds) >= ${now}
            for share of a
          )
          update attempt_item i set
            chosen = coalesce((select jsonb_agg((i.option_order ->> d.v)::int order by d.ord) from unnest(${display}::int[]) with ordinality as d(v, ord)), '[]'::jsonb),
            -- Only essays (no options) keep a text.
            text_answer = case when jsonb_array_length(i.option_order) = 0 then coalesce(${text}::text, i.text_answer) else i.text_answer end,
            flagged = ${input.flagged ?? false}, seq = ${input.seq}, saved_at = ${now}
          from a
          where i.attempt_id = a.id and i.position = ${input.position} and i.seq < ${input.seq}
            and (select coalesce(bool_and(d < jsonb_array_length(i.option_order)), true) from unnest(${display}::int[]) d)
          returning i.seq`.execute(answerDb);
        return saved.rows.length ? Number(saved.rows[0]!.seq) : null;
      }

      // Nothing written: say why (rare, except a replay of an older sequence number).
      const row = await db
        .selectFrom("attempt as a")
        .innerJoin("exam as e", "e.id", "a.exam_id")
        .leftJoin("attempt_item as i", (j) => j.onRef("i.attempt_id", "=", "a.id").on("i.position", "=", input.position))
        .leftJoin("question_version as v", "v.id", "i.question_version_id")
        .select(["a.person_id", "a.status", "a.submitted_by", "a.deadline_at", "a.paused_at", "a.locked_at", "a.device_token_hash", "e.grace_seconds", "i.option_order", "i.seq", "i.position", "v.type"])
        .where("a.id", "=", attemptId)
        .executeTakeFirst();
      if (!row || row.person_id !== viewer.personId) throw new NotFound("Không tìm thấy bài làm.");
      assertDevice(input.deviceToken, row.device_token_hash);
      if (row.position === null) throw new BadRequest(`Không có câu ${input.position} trong bài.`);
      const order = row.option_order as unknown as number[];
      if (display.some((d) => d >= order.length)) throw new BadRequest("Phương án không hợp lệ.");
      if (display.length > 1 && row.type !== "multiple") throw new BadRequest(`Câu ${input.position} chỉ được chọn một phương án; hãy chọn lại.`);
      // A replay of what is already stored changes nothing whatever the attempt's state
      // (also after submission): acknowledged, so the client's journal can let it go.
      if ((row.seq ?? 0) >= input.seq) return { ok: true as const, position: input.position, seq: row.seq!, applied: false, savedAt: now.toISOString() };
      if (row.status !== "in_progress") {
        if (row.submitted_by === "server")
          throw new ExamRefused("deadline_passed", "Đã hết giờ: hệ thống đã tự nộp bài với các câu trả lời đã lưu trước giờ nộp. Câu trả lời này đến sau nên không được tính.");
        throw new ExamRefused("not_in_progress", "Bài làm đã nộp; không thể sửa câu trả lời.");
      }
      if (row.paused_at) throw new ExamRefused("paused", "Giám thị đang tạm dừng bài làm; câu trả lời sẽ được lưu khi tiếp tục.");
      if (row.locked_at) throw new ExamRefused("locked", "Bài làm đang bị giám thị khóa.");
      if (!acceptsAnswers(new Date(row.deadline_at!), now, row.grace_seconds)) throw new ExamRefused("deadline_passed", "Đã hết giờ làm bài; câu trả lời này đến sau giờ nộp nên không được lưu.");
      return { ok: true as const, position: input.position, seq: row.seq!, applied: false, savedAt: now.toISOString() };
    },

    /** The trainee's own submission: only from the attempt's accepted device (decision 018). */
    async submit(viewer: Viewer, attemptId: number, deviceToken?: string) {
      const a = await db.selectFrom("attempt").select(["person_id", "status", "receipt", "device_token_hash"]).where("id", "=", attemptId).executeTakeFirst();
      if (!a || a.person_id !== viewer.personId) throw new NotFound("Không tìm thấy bài làm.");
      assertDevice(deviceToken, a.device_token_hash);
      const done = await finish(attemptId, "trainee", a.device_token_hash!);
      if (done) return { receipt: done.receipt, alreadySubmitted: false };
      const again = await db.selectFrom("attempt").select(["receipt", "status", "device_token_hash"]).where("id", "=", attemptId).executeTakeFirstOrThrow();
      if (again.status !== "submitted" && again.status !== "awaiting_grading") {
        // A takeover approved between the check and the submission.
        assertDevice(deviceToken, again.device_token_hash);
        throw new ExamRefused("not_started", "Bài làm chưa bắt đầu.");
      }
      return { receipt: again.receipt!, alreadySubmitted: true };
    },

    /** A proctor's submission (force-submit, end of session): exactly once, like the others. */
    async forceSubmit(attemptId: number) {
      return finish(attemptId, "proctor");
    },

    /** Submits every attempt past its deadline plus grace; safe to run from several processes at once. */
    async closeOverdue(): Promise<number[]> {
      const now = clock.now();
      const due = await db
        .selectFrom("attempt as a")
        .innerJoin("exam as e", "e.id", "a.exam_id")
        .select(["a.id", "a.deadline_at", "e.grace_seconds"])
        .where("a.status", "=", "in_progress")
        .where("a.paused_at", "is", null) // time stands still while a proctor pauses
        .where("a.deadline_at", "<", now)
        .execute();
      const closed: number[] = [];
      for (const d of due) {
        if (acceptsAnswers(new Date(d.deadline_at!), now, d.grace_seconds)) continue;
        if (await finish(d.id, "server")) closed.push(d.id);
      }
      return closed;
    },

    /** Extra time for one trainee, also while the attempt runs (the new deadline applies at once). */
    async grantExtraTime(viewer: Viewer, examId: number, personId: number, extraMinutes: number, reason: string) {
      const exam = await examRow(examId);
      const klass = await classScope(exam.class_id);
      if (!canReach(viewer, [...ORGANISERS, "proctor"], klass.path, { write: true })) throw new Forbidden("Bạn không phụ trách lớp này.");
      if (!reason.trim()) throw new BadRequest("Hãy ghi lý do cộng giờ.");
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const prev = await trx.selectFrom("exam_accommodation").select(["extra_minutes", "multiplier"]).where("exam_id", "=", examId).where("person_id", "=", personId).executeTakeFirst();
        const acc = { extraMinutes: (prev?.extra_minutes ?? 0) + extraMinutes, multiplier: Number(prev?.multiplier ?? 1) };
        await trx
          .insertInto("exam_accommodation")
          .values({ exam_id: examId, person_id: personId, extra_minutes: acc.extraMinutes, multiplier: acc.multiplier, reason })
          .onConflict((oc) => oc.columns(["exam_id", "person_id"]).doUpdateSet({ extra_minutes: acc.extraMinutes, reason }))
          .execute();
        const running = await trx.selectFrom("attempt").select(["id", "started_at", "paused_seconds"]).where("exam_id", "=", examId).where("person_id", "=", personId).where("status", "=", "in_progress").executeTakeFirst();
        let deadline: Date | null = null;
        if (running) {
          deadline = deadlineFor(new Date(running.started_at!), { durationMinutes: exam.duration_minutes, closesAt: exam.closes_at, graceSeconds: exam.grace_seconds }, acc, running.paused_seconds);
          await trx.updateTable("attempt").set({ deadline_at: deadline }).where("id", "=", running.id).where("status", "=", "in_progress").execute();
        }
        await audit(trx, { actorId: viewer.userId, action: "exam.extra_time", entityType: "exam", entityId: examId, reason, details: { personId, extraMinutes, deadline: deadline?.toISOString() ?? null, at: now.toISOString() } });
        return { attemptId: running?.id ?? null, deadline };
      });
    },

    /** Public receipt check: confirms a submission exists, with the least information. */
    async verifyReceipt(code: string) {
      const normalised = code.toUpperCase().replace(/[^0-9A-Z]/g, "");
      if (normalised.length !== 12) return null;
      const formatted = `${normalised.slice(0, 4)}-${normalised.slice(4, 8)}-${normalised.slice(8)}`;
      const row = await db
        .selectFrom("attempt as a")
        .innerJoin("exam as e", "e.id", "a.exam_id")
        .innerJoin("training_class as c", "c.id", "e.class_id")
        .select(["e.title", "c.name as class_name", "a.submitted_at", "a.submitted_by"])
        .select((eb) => eb.selectFrom("attempt_item as i").select(eb.fn.countAll<number>().as("n")).whereRef("i.attempt_id", "=", "a.id").where("i.chosen", "is not", null).as("answered"))
        .where("a.receipt", "=", formatted)
        .executeTakeFirst();
      return row ? { exam: row.title, className: row.class_name, submittedAt: new Date(row.submitted_at!).toISOString(), submittedBy: row.submitted_by, answered: Number(row.answered) } : null;
    },

    /** Exams of the trainee's classes with the state of the trainee's latest attempt. */
    async examsForTrainee(viewer: Viewer) {
      if (!viewer.personId) return [];
      const rows = await db
        .selectFrom("exam as e")
        .innerJoin("class_enrolment as ce", (j) => j.onRef("ce.class_id", "=", "e.class_id").on("ce.person_id", "=", viewer.personId!))
        .innerJoin("training_class as c", "c.id", "e.class_id")
        .select(["e.id", "e.title", "e.kind", "e.opens_at", "e.closes_at", "e.duration_minutes", "e.access_code", "e.review_policy", "e.max_attempts", "c.name as class_name"])
        .orderBy("e.opens_at", "desc")
        .execute();
      // The latest attempt per exam (a practice exam may have several).
      const attempts = rows.length
        ? await db.selectFrom("attempt").select(["id", "exam_id", "attempt_no", "status", "receipt"]).where("person_id", "=", viewer.personId).where("exam_id", "in", rows.map((r) => r.id)).orderBy("attempt_no").execute()
        : [];
      const latest = new Map(attempts.map((a) => [a.exam_id, a]));
      const now = clock.now();
      return rows.map((r) => {
        const a = latest.get(r.id);
        const submitted = a?.status === "submitted" || a?.status === "awaiting_grading";
        const windowOpen = now >= new Date(r.opens_at) && now <= new Date(r.closes_at);
        return {
          id: r.id,
          title: r.title,
          kind: r.kind,
          className: r.class_name,
          opensAt: new Date(r.opens_at).toISOString(),
          closesAt: new Date(r.closes_at).toISOString(),
          durationMinutes: r.duration_minutes,
          needsCode: !!r.access_code,
          reviewPolicy: r.review_policy,
          attemptId: a?.id ?? null,
          state: a?.status === "in_progress" ? "in_progress" : submitted ? "submitted" : now < new Date(r.opens_at) ? "upcoming" : now > new Date(r.closes_at) ? "closed" : "open",
          awaitingGrading: a?.status === "awaiting_grading",
          receipt: submitted ? a!.receipt : null,
          /** A practice test (or an approved re-sit) allows another attempt while the window is open. */
          canRetake: submitted && windowOpen && a!.attempt_no < r.max_attempts,
        };
      });
    },

    async examsForClass(viewer: Viewer, classId: number) {
      const klass = await classScope(classId);
      if (!canReach(viewer, [...ORGANISERS, "lecturer", "proctor"], klass.path)) throw new Forbidden("Lớp này không thuộc trung tâm của bạn.");
      return db
        .selectFrom("exam as e")
        .select(["e.id", "e.title", "e.kind", "e.opens_at", "e.closes_at", "e.duration_minutes", "e.review_policy", "e.results_released_at"])
        .select((eb) => [
          // Trainees, not attempts: a practice test may be taken several times.
          eb.selectFrom("attempt as a").select((sub) => sub.fn.count<number>("a.person_id").distinct().as("n")).whereRef("a.exam_id", "=", "e.id").as("papers"),
          eb.selectFrom("attempt as a").select((sub) => sub.fn.count<number>("a.person_id").distinct().as("n")).whereRef("a.exam_id", "=", "e.id").where("a.status", "in", ["submitted", "awaiting_grading"]).as("submitted"),
          eb.selectFrom("attempt as a").select(eb.fn.countAll<number>().as("n")).whereRef("a.exam_id", "=", "e.id").where("a.status", "=", "awaiting_grading").as("awaiting"),
          eb
            .selectFrom("attempt_item as i")
            .innerJoin("question_version as v", "v.id", "i.question_version_id")
            .innerJoin("attempt as a", "a.id", "i.attempt_id")
            .select(eb.fn.countAll<number>().as("n"))
            .whereRef("a.exam_id", "=", "e.id")
            .where("v.type", "=", "essay")
            .as("essays"),
        ])
        .where("e.class_id", "=", classId)
        .orderBy("e.opens_at", "desc")
        .execute();
    },

    /**
     * Per-trainee results, distribution, pass rate, bands and item analysis for one exam.
     * One row per trainee: the attempt that counts (`countedAttempt`, the best final
     * score) with the trainee's other attempts under it; every figure is over trainees,
     * never over attempts (docs/surveys-and-dashboards.md, "Figure definitions").
     */
    async results(viewer: Viewer, examId: number) {
      const exam = await examRow(examId);
      const klass = await classScope(exam.class_id);
      if (!canReach(viewer, [...ORGANISERS, "lecturer"], klass.path)) throw new Forbidden("Lớp này không thuộc trung tâm của bạn.");
      const people = await db
        .selectFrom("class_enrolment as ce")
        .innerJoin("person as p", "p.id", "ce.person_id")
        .innerJoin("org_unit as u", "u.id", "p.org_unit_id")
        .select(["p.id as person_id", "p.full_name", "p.birth_date", "u.name as unit_name"])
        .where("ce.class_id", "=", exam.class_id)
        .execute();
      const handedIn = await db
        .selectFrom("attempt as a")
        .innerJoin("class_enrolment as ce", (j) => j.onRef("ce.person_id", "=", "a.person_id").on("ce.class_id", "=", exam.class_id))
        .select(["a.id", "a.person_id", "a.attempt_no", "a.status", "a.score", "a.band", "a.passed", "a.submitted_at", "a.submitted_by", "a.receipt"])
        .where("a.exam_id", "=", examId)
        .where("a.status", "in", ["submitted", "awaiting_grading"])
        .orderBy("a.attempt_no")
        .execute();
      type Handed = (typeof handedIn)[number] & { attemptNo: number; final: number | null };
      const byPerson = new Map<number, Handed[]>();
      for (const a of handedIn) {
        // Statistics count final scores only: an attempt awaiting essay grading has none yet.
        const row: Handed = { ...a, attemptNo: a.attempt_no, final: a.status === "submitted" && a.score !== null ? Number(a.score) : null };
        byPerson.set(a.person_id, [...(byPerson.get(a.person_id) ?? []), row]);
      }
      const lines = people.map((p) => {
        const attempts = byPerson.get(p.person_id) ?? [];
        const counted = countedAttempt(attempts.map((a) => ({ ...a, score: a.final })));
        return { p, attempts, counted: counted ? attempts.find((a) => a.id === counted.id)! : null };
      });
      const graded = lines.filter((l) => l.counted !== null);
      const keys = await corrections(db, examId);
      const byAttempt = await gradedItems(db, graded.map((l) => l.counted!.id), keys);
      const analysis = itemAnalysis(
        graded.map((l) => ({
          score: l.counted!.final!,
          items: (byAttempt.get(l.counted!.id) ?? []).map((it) => ({ versionId: it.versionId, points: it.points, earned: itemEarned(it, exam.policy), chosen: it.chosen, optionCount: it.options.length })),
        })),
      );
      const versionIds = [...new Set([...byAttempt.values()].flatMap((l) => l.map((i) => i.versionId)))];
      const versions = versionIds.length
        ? await db.selectFrom("question_version as v").innerJoin("question as q", "q.id", "v.question_id").select(["v.id", "v.stem", "v.stem_format", "v.type", "v.options", "v.level", "q.lesson_position"]).where("v.id", "in", versionIds).execute()
        : [];
      const meta = new Map(
        versions.map((v) => [
          v.id,
          { stem: stemText(v.stem, v.stem_format), type: v.type, lesson: v.lesson_position, level: v.level, corrected: keys.has(v.id), options: (keys.get(v.id) ?? (v.options as unknown as StoredOption[])).map((o) => ({ text: o.text, correct: o.fraction > 0 })) },
        ]),
      );
      const scores = graded.map((l) => l.counted!.final!);
      const bandCounts = Object.fromEntries(exam.policy.bands.map((b) => [b.code, graded.filter((l) => l.counted!.band === b.code).length]));
      const label = (code: string | null) => exam.policy.bands.find((b) => b.code === code)?.label ?? null;
      const view = (a: Handed) => ({
        attemptId: a.id,
        attemptNo: a.attempt_no,
        awaitingGrading: a.status === "awaiting_grading",
        score: a.final,
        band: a.final === null ? null : label(a.band),
        passed: a.final === null ? null : a.passed,
        submittedBy: a.submitted_by,
        receipt: a.receipt,
      });
      return {
        exam: { id: exam.id, title: exam.title, className: klass.name, passMark: exam.policy.passMark, bands: exam.policy.bands, reviewPolicy: exam.review_policy, attemptRule: ATTEMPT_RULE },
        trainees: sortByVietnameseName(lines, (l) => l.p.full_name).map(({ p, attempts, counted }) => {
          // The counted attempt, else the latest one handed in (awaiting grading).
          const shown = counted ?? attempts[attempts.length - 1] ?? null;
          return {
            personId: p.person_id,
            name: p.full_name,
            birthDate: p.birth_date,
            unit: p.unit_name,
            ...(shown ? view(shown) : { attemptId: null, attemptNo: null, awaitingGrading: false, score: null, band: null, passed: null, submittedBy: null, receipt: null }),
            attempts: attempts.length,
            /** Every other attempt handed in, in order, each with its own figures. */
            others: attempts.filter((a) => a !== shown).map(view),
          };
        }),
        summary: {
          enrolled: people.length,
          /** Trainees who handed in at least one attempt. */
          submitted: lines.filter((l) => l.attempts.length > 0).length,
          /** Trainees with a final score (the base of the rate, mean and chart). */
          graded: graded.length,
          /** Papers (attempts) waiting for an essay grade: the grader's queue. */
          awaitingGrading: handedIn.filter((a) => a.status === "awaiting_grading").length,
          passRate: graded.length ? graded.filter((l) => l.counted!.passed).length / graded.length : null,
          mean: scores.length ? Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 100) / 100 : null,
          distribution: distribution(scores, exam.policy.scale),
          bandCounts,
        },
        items: analysis.map((a) => ({ ...a, ...meta.get(a.versionId)! })).sort((x, y) => x.facility - y.facility),
      };
    },

    async resultsXlsx(viewer: Viewer, examId: number) {
      const r = await this.results(viewer, examId);
      return { bytes: await resultsXlsx(r), fileName: `ket-qua-kiem-tra-${examId}.xlsx` };
    },

    /** The trainee's own result, as the review policy allows (staff of the class see it all). */
    async result(viewer: Viewer, attemptId: number) {
      const a = await db.selectFrom("attempt").selectAll().where("id", "=", attemptId).executeTakeFirst();
      if (!a) throw new NotFound("Không tìm thấy bài làm.");
      const exam = await examRow(a.exam_id);
      const own = a.person_id === viewer.personId;
      if (!own && !canReach(viewer, [...ORGANISERS, "lecturer"], (await classScope(exam.class_id)).path)) throw new NotFound("Không tìm thấy bài làm.");
      if (a.status !== "submitted" && a.status !== "awaiting_grading") throw new ExamRefused("not_submitted", "Bài làm chưa nộp.");
      const final = a.status === "submitted" && a.score !== null;
      const access = own ? reviewAccess(exam.review_policy, { final, closed: clock.now() > new Date(exam.closes_at), released: !!exam.results_released_at }) : { score: final, answers: true, notice: null };
      const band = exam.policy.bands.find((b) => b.code === a.band);
      return {
        attemptId: a.id,
        receipt: a.receipt,
        awaitingGrading: a.status === "awaiting_grading",
        reviewPolicy: exam.review_policy,
        answersAvailable: access.answers,
        notice: access.notice,
        score: access.score ? Number(a.score) : null,
        band: access.score ? (band?.label ?? a.band) : null,
        passed: access.score ? a.passed : null,
      };
    },

    /**
     * The trainee's review page: the questions with the trainee's answers, the key (as
     * corrected) and the essay feedback, only when the review policy allows it.
     */
    async review(viewer: Viewer, attemptId: number) {
      const summary = await this.result(viewer, attemptId);
      const a = await db.selectFrom("attempt").select(["exam_id"]).where("id", "=", attemptId).executeTakeFirstOrThrow();
      const exam = await examRow(a.exam_id);
      const head = { ...summary, examId: exam.id, title: exam.title, closesAt: new Date(exam.closes_at).toISOString() };
      if (!summary.answersAvailable) return { ...head, items: null };
      const keys = await corrections(db, exam.id);
      const rows = await db
        .selectFrom("attempt_item as i")
        .innerJoin("question_version as v", "v.id", "i.question_version_id")
        .select(["i.position", "i.points", "i.option_order", "i.chosen", "i.text_answer", "i.essay_score", "i.essay_comment", "i.question_version_id", "v.type", "v.stem", "v.stem_format", "v.options", "v.explanation"])
        .where("i.attempt_id", "=", attemptId)
        .orderBy("i.position")
        .execute();
      const media = await mediaOfVersions(db, rows.filter((r) => r.stem_format === "html").map((r) => r.question_version_id));
      return {
        ...head,
        items: rows.map((r) => {
          const options = keys.get(r.question_version_id) ?? (r.options as unknown as StoredOption[]);
          const order = r.option_order as unknown as number[];
          const chosen = (r.chosen as unknown as number[] | null) ?? [];
          const item: GradedItem = { type: r.type as QuestionType, options, points: Number(r.points), chosen, essayPoints: r.essay_score === null ? null : Number(r.essay_score) };
          return {
            position: r.position,
            type: r.type as QuestionType,
            stem: stemText(r.stem, r.stem_format),
            stemHtml: renderStemHtml(r.stem, r.stem_format, media.get(r.question_version_id) ?? new Map(), attemptMediaPrefix(attemptId)),
            points: Number(r.points),
            earned: itemEarned(item, exam.policy),
            options: order.map((stored) => ({ text: options[stored]!.text, correct: options[stored]!.fraction > 0, chosen: chosen.includes(stored) })),
            corrected: keys.has(r.question_version_id),
            text: r.type === "essay" ? (r.text_answer ?? "") : null,
            comment: r.essay_comment,
            // An essay's explanation is its marking guide; objective items explain the key.
            explanation: r.explanation,
          };
        }),
      };
    },

    /* ---------------- Essay grading ---------------- */

    /**
     * The essay queue of one exam for a grader: answers without names (blind marking),
     * in an order unrelated to the class list; the name is shown once an answer is graded.
     */
    async gradingQueue(viewer: Viewer, examId: number) {
      const exam = await examRow(examId);
      const klass = await classScope(exam.class_id);
      if (!canReach(viewer, GRADERS, klass.path)) throw new Forbidden("Bạn không phụ trách chấm bài của lớp này.");
      const rows = await db
        .selectFrom("attempt_item as i")
        .innerJoin("attempt as a", "a.id", "i.attempt_id")
        .innerJoin("question_version as v", "v.id", "i.question_version_id")
        .innerJoin("person as p", "p.id", "a.person_id")
        .leftJoin("user_account as g", "g.id", "i.graded_by")
        .select(["a.id as attempt_id", "a.seed", "a.status", "i.position", "i.points", "i.text_answer", "i.essay_score", "i.essay_criteria", "i.essay_comment", "i.graded_at", "g.display_name as grader", "v.id as version_id", "v.stem", "v.stem_format", "v.explanation", "p.full_name"])
        .where("a.exam_id", "=", examId)
        .where("a.status", "in", ["submitted", "awaiting_grading"])
        .where("v.type", "=", "essay")
        .execute();
      // Blind order: by the attempt's random seed, not by name or enrolment.
      const attemptOrder = [...new Set(rows.sort((x, y) => (x.seed < y.seed ? -1 : x.seed > y.seed ? 1 : x.position - y.position)).map((r) => r.attempt_id))];
      const code = new Map(attemptOrder.map((id, i) => [id, `Bài số ${i + 1}`]));
      const essays = rows.map((r) => {
        const rubric = parseRubric(r.explanation, Number(r.points));
        const graded = r.essay_score !== null;
        return {
          attemptId: r.attempt_id,
          position: r.position,
          code: code.get(r.attempt_id)!,
          stem: stemText(r.stem, r.stem_format),
          text: r.text_answer ?? "",
          points: Number(r.points),
          rubric,
          score: graded ? Number(r.essay_score) : null,
          criteria: (r.essay_criteria as unknown as number[] | null) ?? null,
          comment: r.essay_comment,
          grader: graded ? r.grader : null,
          name: graded ? r.full_name : null,
        };
      });
      return {
        exam: { id: exam.id, title: exam.title, className: klass.name, classId: exam.class_id },
        essays,
        remaining: essays.filter((e) => e.score === null).length,
      };
    },

    /**
     * Grades one essay with the rubric. Recomputes the attempt; when its last essay is
     * graded the attempt's final score, band and pass are set and the graded listeners
     * hear about it, as after an objective paper's submission. Regrading an essay later
     * changes the final figures the same way. Audited with before and after.
     */
    async gradeEssay(viewer: Viewer, attemptId: number, position: number, input: { criteria: number[]; comment?: string | null }) {
      const head = await db.selectFrom("attempt").select(["exam_id"]).where("id", "=", attemptId).executeTakeFirst();
      if (!head) throw new NotFound("Không tìm thấy bài làm.");
      const exam = await examRow(head.exam_id);
      const klass = await classScope(exam.class_id);
      if (!canReach(viewer, GRADERS, klass.path, { write: true })) throw new Forbidden("Bạn không phụ trách chấm bài của lớp này.");
      const comment = (input.comment ?? "").normalize("NFC").trim();
      if (comment.length > 2000) throw new BadRequest("Nhận xét dài quá 2.000 ký tự; hãy rút gọn.");
      const now = clock.now();
      const out = await db.transaction().execute(async (trx) => {
        // The row lock orders this grading with a concurrent regrade or another grader.
        const a = await trx.selectFrom("attempt").selectAll().where("id", "=", attemptId).forUpdate().executeTakeFirstOrThrow();
        if (a.status !== "submitted" && a.status !== "awaiting_grading") throw new BadRequest("Bài làm chưa nộp; chưa chấm được.");
        const item = await trx
          .selectFrom("attempt_item as i")
          .innerJoin("question_version as v", "v.id", "i.question_version_id")
          .select(["i.points", "i.essay_score", "v.type", "v.explanation"])
          .where("i.attempt_id", "=", attemptId)
          .where("i.position", "=", position)
          .executeTakeFirst();
        if (!item) throw new NotFound(`Không có câu ${position} trong bài.`);
        if (item.type !== "essay") throw new BadRequest(`Câu ${position} là câu trắc nghiệm, được chấm tự động.`);
        const rubric = parseRubric(item.explanation, Number(item.points));
        const checked = scoreWithRubric(rubric, input.criteria, Number(item.points));
        if (!checked.ok) throw new BadRequest(checked.message);
        await trx
          .updateTable("attempt_item")
          .set({ essay_score: checked.points, essay_criteria: JSON.stringify(input.criteria), essay_comment: comment || null, graded_by: viewer.userId, graded_at: now })
          .where("attempt_id", "=", attemptId)
          .where("position", "=", position)
          .execute();
        const items = (await gradedItems(trx, [attemptId], await corrections(trx, exam.id))).get(attemptId) ?? [];
        const graded = gradeAttempt(items, exam.policy);
        const completes = !graded.pending;
        await trx
          .updateTable("attempt")
          .set({ ...figures(graded), ...(completes ? { status: "submitted" as const } : {}) })
          .where("id", "=", attemptId)
          .execute();
        const before: Outcome = { score: a.score === null ? null : Number(a.score), band: a.band, passed: a.passed };
        const after: Outcome = completes ? { score: graded.score, band: graded.band, passed: graded.passed } : { score: null, band: null, passed: null };
        await audit(trx, {
          actorId: viewer.userId,
          action: "exam.essay_graded",
          entityType: "attempt",
          entityId: attemptId,
          details: { examId: exam.id, position, criteria: input.criteria, points: checked.points, previousPoints: item.essay_score === null ? null : Number(item.essay_score), before, after, pending: graded.pending },
        });
        const person = await trx.selectFrom("person").select(["full_name"]).where("id", "=", a.person_id).executeTakeFirstOrThrow();
        const changed = completes && (before.score !== after.score || before.band !== after.band || before.passed !== after.passed);
        return { personId: a.person_id, by: a.submitted_by ?? "trainee", name: person.full_name, points: checked.points, pending: graded.pending, after, changed };
      });
      if (out.changed) await notifyGraded([{ attemptId, examId: exam.id, personId: out.personId, score: out.after.score!, band: out.after.band!, passed: out.after.passed!, by: out.by }]);
      // A re-grade that leaves the score as it was still moves the item health figures.
      else if (!out.pending) await deps.figures?.examChanged(exam.id);
      return {
        name: out.name,
        points: out.points,
        remainingInAttempt: out.pending,
        final: out.pending ? null : { score: out.after.score!, band: exam.policy.bands.find((b) => b.code === out.after.band)?.label ?? out.after.band!, passed: out.after.passed! },
      };
    },

    /* ---------------- Key corrections and regrading ---------------- */

    /** The objective questions an exam's papers use, with the key in force, for the correction screen. */
    async examQuestions(viewer: Viewer, examId: number) {
      const exam = await examRow(examId);
      const klass = await classScope(exam.class_id);
      if (!canReach(viewer, REGRADERS, klass.path)) throw new Forbidden("Chỉ trung tâm hoặc ban tuyên giáo phụ trách mới sửa đáp án.");
      const keys = await corrections(db, examId);
      const rows = await db
        .selectFrom("attempt_item as i")
        .innerJoin("attempt as a", "a.id", "i.attempt_id")
        .innerJoin("question_version as v", "v.id", "i.question_version_id")
        .innerJoin("question as q", "q.id", "v.question_id")
        .select(["v.id", "v.type", "v.stem", "v.stem_format", "v.options", "q.lesson_position", "q.key"])
        .select((eb) => [eb.fn.countAll<number>().as("papers"), eb.fn.countAll<number>().filterWhere("a.status", "in", ["submitted", "awaiting_grading"]).as("submitted")])
        .where("a.exam_id", "=", examId)
        .where("v.type", "!=", "essay")
        .groupBy(["v.id", "v.type", "v.stem", "v.stem_format", "v.options", "q.lesson_position", "q.key"])
        .orderBy("q.lesson_position")
        .orderBy("q.key")
        .execute();
      const history = await db
        .selectFrom("key_correction as k")
        .leftJoin("user_account as u", "u.id", "k.created_by")
        .select(["k.id", "k.question_version_id", "k.reason", "k.changed_attempts", "k.created_at", "u.display_name"])
        .where("k.exam_id", "=", examId)
        .orderBy("k.id", "desc")
        .execute();
      return {
        exam: { id: exam.id, title: exam.title, className: klass.name, classId: exam.class_id },
        questions: rows.map((r) => {
          const options = keys.get(r.id) ?? (r.options as unknown as StoredOption[]);
          return { versionId: r.id, key: r.key, type: r.type, lesson: r.lesson_position, stem: stemText(r.stem, r.stem_format), options: options.map((o) => o.text), correct: correctIndexes(options), corrected: keys.has(r.id), papers: Number(r.papers), submitted: Number(r.submitted) };
        }),
        history: history.map((h) => ({ id: h.id, versionId: h.question_version_id, reason: h.reason, changed: h.changed_attempts, at: new Date(h.created_at).toISOString(), by: h.display_name })),
      };
    },

    /** Dry run: every attempt whose score, band or pass would change with the corrected key. Changes nothing. */
    async regradePreview(viewer: Viewer, examId: number, versionId: number, correct: number[]) {
      const plan = await planRegrade(db, await assertRegrader(viewer, examId), versionId, correct);
      return { changes: plan.changes, affected: plan.affected, options: plan.options.map((o) => o.text), correct: correctIndexes(plan.options) };
    },

    /**
     * Applies a key correction in one transaction: records it (the pinned version stays
     * as it was), rewrites the figures of every changed attempt, and audits each changed
     * attempt and the regrade itself. Run again with the same key, it finds nothing to do.
     */
    async regradeApply(viewer: Viewer, examId: number, versionId: number, correct: number[], reason: string) {
      const why = reason.normalize("NFC").trim();
      if (why.length < 5) throw new BadRequest("Hãy ghi lý do sửa đáp án (ví dụ: căn cứ văn bản nào).");
      const exam = await assertRegrader(viewer, examId);
      const done = await db.transaction().execute(async (trx) => {
        // Lock the exam's finished attempts: a grader saving an essay now waits, then sees the new key.
        await trx.selectFrom("attempt").select("id").where("exam_id", "=", examId).where("status", "in", ["submitted", "awaiting_grading"]).forUpdate().execute();
        const plan = await planRegrade(trx, exam, versionId, correct);
        const row = await trx
          .insertInto("key_correction")
          .values({ exam_id: examId, question_version_id: versionId, options: JSON.stringify(plan.options), reason: why, changed_attempts: plan.changes.length, created_by: viewer.userId, created_at: clock.now() })
          .returning("id")
          .executeTakeFirstOrThrow();
        for (const c of plan.changes) {
          await trx.updateTable("attempt").set({ earned: c.earned, score: c.after.score, band: c.after.band, passed: c.after.passed }).where("id", "=", c.attemptId).execute();
          await audit(trx, { actorId: viewer.userId, action: "exam.attempt_regraded", entityType: "attempt", entityId: c.attemptId, reason: why, details: { examId, versionId, correctionId: row.id, before: c.before, after: c.after } });
        }
        // Essays awaiting grading keep their provisional objective points up to date too.
        for (const p of plan.provisional) await trx.updateTable("attempt").set({ earned: p.earned }).where("id", "=", p.attemptId).execute();
        await audit(trx, { actorId: viewer.userId, action: "exam.key_corrected", entityType: "exam", entityId: examId, reason: why, details: { versionId, correctionId: row.id, correct, affected: plan.affected, changed: plan.changes.map((c) => c.attemptId) } });
        return { correctionId: row.id, changes: plan.changes, affected: plan.affected };
      });
      await notifyGraded(
        done.changes.map((c) => ({ attemptId: c.attemptId, examId, personId: c.personId, score: c.after.score!, band: c.after.band!, passed: c.after.passed!, by: c.by })),
      );
      // The corrected key moves item health even where no score changed.
      await deps.figures?.examChanged(examId);
      return done;
    },

    /* ---------------- Accommodations ---------------- */

    /** Every trainee of the exam's class with the time they get, for the accommodations screen. */
    async accommodations(viewer: Viewer, examId: number) {
      const exam = await examRow(examId);
      const klass = await classScope(exam.class_id);
      if (!canReach(viewer, [...ORGANISERS, "proctor"], klass.path)) throw new Forbidden("Bạn không phụ trách lớp này.");
      const rows = await db
        .selectFrom("class_enrolment as ce")
        .innerJoin("person as p", "p.id", "ce.person_id")
        .leftJoin("exam_accommodation as x", (j) => j.onRef("x.person_id", "=", "p.id").on("x.exam_id", "=", examId))
        .leftJoin("attempt as a", (j) => j.onRef("a.person_id", "=", "p.id").on("a.exam_id", "=", examId).on("a.status", "=", "in_progress"))
        .select(["p.id", "p.full_name", "x.extra_minutes", "x.multiplier", "x.reason", "a.deadline_at"])
        .where("ce.class_id", "=", exam.class_id)
        .execute();
      return {
        exam: { id: exam.id, title: exam.title, durationMinutes: exam.duration_minutes },
        trainees: sortByVietnameseName(rows, (r) => r.full_name).map((r) => {
          const acc = { extraMinutes: r.extra_minutes ?? 0, multiplier: Number(r.multiplier ?? 1) };
          return { personId: r.id, name: r.full_name, ...acc, reason: r.reason, minutes: Math.round(exam.duration_minutes * acc.multiplier + acc.extraMinutes), deadline: r.deadline_at ? new Date(r.deadline_at).toISOString() : null };
        }),
      };
    },

    /**
     * Sets the time accommodation of one or several trainees (extra minutes and/or a
     * multiplier of the duration), also while they sit the exam: running attempts get
     * their new deadline in the same transaction, and the caller pushes it to them.
     * Audited per trainee.
     */
    async setAccommodation(viewer: Viewer, examId: number, input: { personIds: number[]; extraMinutes: number; multiplier: number; reason: string }) {
      const exam = await examRow(examId);
      const klass = await classScope(exam.class_id);
      if (!canReach(viewer, [...ORGANISERS, "proctor"], klass.path, { write: true })) throw new Forbidden("Bạn không phụ trách lớp này.");
      const reason = input.reason.normalize("NFC").trim();
      if (!input.personIds.length) throw new BadRequest("Chọn ít nhất một học viên.");
      if (!Number.isInteger(input.extraMinutes) || input.extraMinutes < 0 || input.extraMinutes > 240) throw new BadRequest("Số phút cộng thêm là số nguyên từ 0 đến 240.");
      if (!Number.isFinite(input.multiplier) || input.multiplier < 1 || input.multiplier > 3) throw new BadRequest("Hệ số thời gian từ 1 đến 3 (ví dụ 1,5 là thêm một nửa thời gian).");
      if (!reason) throw new BadRequest("Hãy ghi lý do điều chỉnh thời gian (ví dụ: học viên khiếm thị).");
      const multiplier = Math.round(input.multiplier * 100) / 100;
      return db.transaction().execute(async (trx) => {
        const enrolled = await trx.selectFrom("class_enrolment").select("person_id").where("class_id", "=", exam.class_id).where("person_id", "in", input.personIds).execute();
        if (enrolled.length !== new Set(input.personIds).size) throw new BadRequest("Có học viên không thuộc lớp của bài kiểm tra này.");
        const out: { personId: number; attemptId: number | null; deadline: string | null }[] = [];
        for (const personId of [...new Set(input.personIds)]) {
          const acc = { extraMinutes: input.extraMinutes, multiplier };
          await trx
            .insertInto("exam_accommodation")
            .values({ exam_id: examId, person_id: personId, extra_minutes: acc.extraMinutes, multiplier: acc.multiplier, reason })
            .onConflict((oc) => oc.columns(["exam_id", "person_id"]).doUpdateSet({ extra_minutes: acc.extraMinutes, multiplier: acc.multiplier, reason }))
            .execute();
          const running = await trx.selectFrom("attempt").select(["id", "started_at", "paused_seconds"]).where("exam_id", "=", examId).where("person_id", "=", personId).where("status", "=", "in_progress").forUpdate().executeTakeFirst();
          let deadline: Date | null = null;
          if (running) {
            deadline = deadlineFor(new Date(running.started_at!), { durationMinutes: exam.duration_minutes, closesAt: exam.closes_at, graceSeconds: exam.grace_seconds }, acc, Number(running.paused_seconds ?? 0));
            await trx.updateTable("attempt").set({ deadline_at: deadline }).where("id", "=", running.id).where("status", "=", "in_progress").execute();
          }
          await audit(trx, { actorId: viewer.userId, action: "exam.accommodation", entityType: "exam", entityId: examId, orgUnitId: null, reason, details: { personId, extraMinutes: acc.extraMinutes, multiplier, attemptId: running?.id ?? null, deadline: deadline?.toISOString() ?? null } });
          out.push({ personId, attemptId: running?.id ?? null, deadline: deadline?.toISOString() ?? null });
        }
        return out;
      });
    },
  };

  /**
   * Grades every finished attempt that uses the version with the old and the corrected
   * key. Shared by the dry run and the confirmation, so they cannot disagree.
   */
  async function assertRegrader(viewer: Viewer, examId: number) {
    const exam = await examRow(examId);
    const klass = await classScope(exam.class_id);
    if (!canReach(viewer, REGRADERS, klass.path, { write: true })) throw new Forbidden("Chỉ trung tâm hoặc ban tuyên giáo phụ trách mới sửa đáp án.");
    return exam;
  }

  /** Reads only through `trx` (PGlite has one connection: a second reader inside a transaction would wait forever). */
  async function planRegrade(trx: Database, exam: ExamRow, versionId: number, correct: number[]) {
    const examId = exam.id;
    const version = await trx.selectFrom("question_version").select(["id", "type", "options"]).where("id", "=", versionId).executeTakeFirst();
    if (!version) throw new NotFound("Không có câu hỏi này.");
    const keys = await corrections(trx, examId);
    const current = keys.get(versionId) ?? (version.options as unknown as StoredOption[]);
    const next = correctedOptions(version.type, current, correct);
    if (!next.ok) throw new BadRequest(next.message);
    const attempts = await trx
      .selectFrom("attempt as a")
      .innerJoin("person as p", "p.id", "a.person_id")
      .select(["a.id", "a.person_id", "a.status", "a.score", "a.band", "a.passed", "a.submitted_by", "p.full_name"])
      .where("a.exam_id", "=", examId)
      .where("a.status", "in", ["submitted", "awaiting_grading"])
      .where((eb) => eb.exists(eb.selectFrom("attempt_item as i").select("i.attempt_id").whereRef("i.attempt_id", "=", "a.id").where("i.question_version_id", "=", versionId)))
      .execute();
    // No submitted paper yet is fine: the correction then applies as papers are submitted.
    const items = await gradedItems(trx, attempts.map((a) => a.id), keys);
    const rows: (RegradeChange & { personId: number; name: string; earned: number; by: AttemptGraded["by"]; final: boolean })[] = [];
    const provisional: { attemptId: number; earned: number }[] = [];
    for (const a of attempts) {
      const list = items.get(a.id) ?? [];
      const after = gradeAttempt(
        list.map((i) => (i.versionId === versionId ? { ...i, options: next.options } : i)),
        exam.policy,
      );
      if (after.pending) {
        provisional.push({ attemptId: a.id, earned: after.earned });
        continue;
      }
      rows.push({
        attemptId: a.id,
        personId: a.person_id,
        name: a.full_name,
        earned: after.earned,
        by: a.submitted_by ?? "trainee",
        final: true,
        before: { score: a.score === null ? null : Number(a.score), band: a.band, passed: a.passed },
        after: { score: after.score, band: after.band, passed: after.passed },
      });
    }
    const label = (code: string | null) => exam.policy.bands.find((b) => b.code === code)?.label ?? code;
    const changes = sortByVietnameseName(changedOutcomes(rows) as typeof rows, (r) => r.name).map((r) => ({
      ...r,
      beforeLabel: label(r.before.band),
      afterLabel: label(r.after.band),
    }));
    return { options: next.options, changes, provisional, affected: attempts.length };
  }
}

export type ExamService = ReturnType<typeof createExamService>;
