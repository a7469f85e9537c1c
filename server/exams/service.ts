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
import { checkBlueprint, drawPaper, totalPoints, type BlueprintCell, type Candidate } from "./blueprint";
import { acceptsAnswers, deadlineFor, secondsLeft } from "./timing";
import { DEFAULT_POLICY, gradeAttempt, receiptCode, type GradingPolicy } from "./scoring";
import { distribution, itemAnalysis } from "./analysis";
import { resultsXlsx } from "./export";
import { scoreAnswer } from "../questions/grading";
import { sortByVietnameseName } from "../rules/vietnamese-names";

/**
 * The exam engine: definitions, papers drawn ahead of the start, attempts with a
 * server-held deadline, durable idempotent answers, exactly-once submission, grading
 * and receipts (docs/decisions/007-exam-engine.md).
 */
const ORGANISERS: Role[] = ["centre_admin"];

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
}

export class ExamRefused extends BadRequest {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

const LEVEL_LABEL: Record<QuestionLevel, string> = { nhan_biet: "nhận biết", thong_hieu: "thông hiểu", van_dung: "vận dụng" };

export function createExamService(deps: { db: Database; clock: Clock }) {
  const { db, clock } = deps;

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

  async function pool(bankId: number): Promise<Candidate[]> {
    const rows = await db
      .selectFrom("question as q")
      .innerJoin("question_version as v", "v.id", "q.approved_version_id")
      .select(["v.id", "q.lesson_position", "v.level", "v.options"])
      .where("q.bank_id", "=", bankId)
      .where("q.status", "=", "approved")
      .where("v.type", "in", ["single", "multiple", "true_false"])
      .where("q.lesson_position", "is not", null)
      .where("v.level", "is not", null)
      .execute();
    return rows.map((r) => ({ versionId: r.id, lesson: r.lesson_position!, level: r.level!, optionCount: (r.options as unknown as StoredOption[]).length }));
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

  async function finish(attemptId: number, by: "trainee" | "server" | "proctor") {
    return db.transaction().execute(async (trx) => {
      const now = clock.now();
      // The conditional update is the exactly-once gate: of several processes (or a
      // trainee racing the deadline job) only one sees a row come back.
      const won = await trx
        .updateTable("attempt")
        .set({ status: "submitted", submitted_at: now, submitted_by: by })
        .where("id", "=", attemptId)
        .where("status", "=", "in_progress")
        .returning(["id", "exam_id"])
        .executeTakeFirst();
      if (!won) return null;
      const exam = await trx.selectFrom("exam").select(["policy"]).where("id", "=", won.exam_id).executeTakeFirstOrThrow();
      const items = await trx
        .selectFrom("attempt_item as i")
        .innerJoin("question_version as v", "v.id", "i.question_version_id")
        .select(["i.position", "i.points", "i.chosen", "v.type", "v.options"])
        .where("i.attempt_id", "=", attemptId)
        .orderBy("i.position")
        .execute();
      const graded = gradeAttempt(
        items.map((i) => ({ type: i.type as QuestionType, options: i.options as unknown as StoredOption[], points: Number(i.points), chosen: (i.chosen as unknown as number[] | null) ?? [] })),
        (exam.policy as unknown as GradingPolicy) ?? DEFAULT_POLICY,
      );
      const receipt = receiptCode(attemptId, items.map((i) => ({ position: i.position, chosen: (i.chosen as unknown as number[] | null) ?? [] })));
      await trx
        .updateTable("attempt")
        .set({ earned: graded.earned, max_points: graded.max, score: graded.score, band: graded.band, passed: graded.passed, receipt })
        .where("id", "=", attemptId)
        .execute();
      return { attemptId, receipt, ...graded, submittedAt: now, by };
    });
  }

  type AttemptRow = Selectable<AttemptTable>;

  async function paperView(a: AttemptRow, exam: ExamRow) {
    const items = await db
      .selectFrom("attempt_item as i")
      .innerJoin("question_version as v", "v.id", "i.question_version_id")
      .select(["i.position", "i.option_order", "i.chosen", "i.flagged", "i.seq", "i.saved_at", "v.type", "v.stem", "v.stem_format", "v.options"])
      .where("i.attempt_id", "=", a.id)
      .orderBy("i.position")
      .execute();
    const now = clock.now();
    return {
      attemptId: a.id,
      examId: exam.id,
      title: exam.title,
      status: a.status,
      deadline: a.deadline_at ? new Date(a.deadline_at).toISOString() : null,
      serverNow: now.toISOString(),
      secondsLeft: a.deadline_at ? secondsLeft(new Date(a.deadline_at), now) : null,
      receipt: a.status === "submitted" ? a.receipt : null,
      items: items.map((i) => {
        const order = i.option_order as unknown as number[];
        const options = i.options as unknown as StoredOption[];
        const chosen = (i.chosen as unknown as number[] | null) ?? [];
        return {
          position: i.position,
          type: i.type as QuestionType,
          stem: i.stem,
          stemFormat: i.stem_format,
          options: order.map((stored) => options[stored]!.text),
          chosen: chosen.map((stored) => order.indexOf(stored)).filter((d) => d >= 0),
          flagged: i.flagged,
          seq: i.seq,
        };
      }),
    };
  }

  return {
    async createExam(viewer: Viewer, input: ExamInput) {
      const klass = await classScope(input.classId);
      if (!canReach(viewer, ORGANISERS, klass.path, { write: true })) throw new Forbidden("Lớp này không thuộc trung tâm của bạn.");
      if (!(input.closesAt > input.opensAt)) throw new BadRequest("Giờ đóng phải sau giờ mở.");
      if (!(input.durationMinutes >= 5 && input.durationMinutes <= 300)) throw new BadRequest("Thời gian làm bài từ 5 đến 300 phút.");
      if (!input.blueprint.length || input.blueprint.some((c) => c.count < 1 || c.points <= 0)) throw new BadRequest("Ma trận đề cần ít nhất một ô có số câu và điểm dương.");
      const bank = await db.selectFrom("question_bank").select("id").where("programme_code", "=", klass.programme_code).orderBy("id").executeTakeFirst();
      if (!bank) throw new BadRequest("Chương trình của lớp chưa có ngân hàng câu hỏi.");
      const problems = checkBlueprint(input.blueprint, await pool(bank.id));
      if (problems.length)
        throw new BadRequest(
          `Ngân hàng không đủ câu hỏi đã duyệt cho ma trận: ${problems.map((p) => `Bài ${p.lesson}, mức ${LEVEL_LABEL[p.level]} cần ${p.needed}, có ${p.available}`).join("; ")}.`,
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
          created_by: viewer.userId,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await audit(db, { actorId: viewer.userId, action: "exam.created", entityType: "exam", entityId: row.id, details: { classId: input.classId, points: totalPoints(input.blueprint) } });
      return row.id;
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
      const candidates = await pool(exam.bank_id);
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
    async start(viewer: Viewer, examId: number, opts: { deviceId: string; accessCode?: string }) {
      if (!viewer.personId) throw new Forbidden("Tài khoản chưa gắn với học viên.");
      const personId = viewer.personId;
      const exam = await examRow(examId);
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
        if (exam.proctor_gate && !exam.started_by_proctor_at) throw new ExamRefused("waiting_for_proctor", "Chờ giám thị cho bắt đầu.");
      }
      if (attempt?.status === "submitted" && attempt.attempt_no >= exam.max_attempts) throw new ExamRefused("submitted", "Bạn đã nộp bài này.");
      if (!attempt || attempt.status === "submitted") {
        const candidates = await pool(exam.bank_id);
        await db.transaction().execute((trx) => createPaper(trx, exam, personId, (attempt?.attempt_no ?? 0) + 1, candidates));
        attempt = await db.selectFrom("attempt").selectAll().where("exam_id", "=", examId).where("person_id", "=", personId).orderBy("attempt_no", "desc").executeTakeFirstOrThrow();
      }
      if (attempt.status === "ready") {
        const acc = { extraMinutes: found.extra_minutes ?? 0, multiplier: Number(found.multiplier ?? 1) };
        const deadline = deadlineFor(now, { durationMinutes: exam.duration_minutes, closesAt: exam.closes_at, graceSeconds: exam.grace_seconds }, acc);
        // Conditional: of two devices starting at once, one wins and the other resumes it.
        const started = await db
          .updateTable("attempt")
          .set({ status: "in_progress", started_at: now, deadline_at: deadline, device_id: opts.deviceId })
          .where("id", "=", attempt.id)
          .where("status", "=", "ready")
          .returningAll()
          .executeTakeFirst();
        attempt = started ?? (await db.selectFrom("attempt").selectAll().where("id", "=", attempt.id).executeTakeFirstOrThrow());
        if (!started && attempt.device_id !== opts.deviceId) throw new ExamRefused("device_conflict", "Bài làm đang mở trên một thiết bị khác. Hãy báo giám thị để chuyển sang thiết bị này.");
      } else if (attempt.device_id && attempt.device_id !== opts.deviceId) {
        // One live device per attempt; a takeover needs the proctor (live proctoring).
        throw new ExamRefused("device_conflict", "Bài làm đang mở trên một thiết bị khác. Hãy báo giám thị để chuyển sang thiết bị này.");
      }
      return paperView(attempt, exam);
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
    async saveAnswer(viewer: Viewer, attemptId: number, input: { position: number; chosen: number[]; flagged?: boolean; seq: number }) {
      if (!Number.isInteger(input.seq) || input.seq < 1) throw new BadRequest("Số thứ tự câu trả lời không hợp lệ.");
      const now = clock.now();
      const display = [...new Set(input.chosen)];
      // The hot path of an exam: one statement. The CTE takes a share lock on the attempt
      // (held until the statement commits), so a submission's UPDATE of the attempt waits
      // for it: an acknowledged answer is always in the graded paper, and an answer after
      // submission or past the deadline changes nothing. Display positions are mapped to
      // stored option indexes in SQL through the paper's option order.
      const saved = await sql<{ seq: number }>`
        with a as (
          select a.id from attempt a join exam e on e.id = a.exam_id
          where a.id = ${attemptId} and a.person_id = ${viewer.personId ?? -1} and a.status = 'in_progress'
            and a.deadline_at + make_interval(secs => e.grace_seconds) >= ${now}
          for share of a
        )
        update attempt_item i set
          chosen = coalesce((select jsonb_agg((i.option_order ->> d.v)::int order by d.ord) from unnest(${display}::int[]) with ordinality as d(v, ord)), '[]'::jsonb),
          flagged = ${input.flagged ?? false}, seq = ${input.seq}, saved_at = ${now}
        from a
        where i.attempt_id = a.id and i.position = ${input.position} and i.seq < ${input.seq}
          and (select coalesce(bool_and(d < jsonb_array_length(i.option_order)), true) from unnest(${display}::int[]) d)
        returning i.seq`.execute(db);
      if (saved.rows.length) return { ok: true as const, position: input.position, seq: Number(saved.rows[0]!.seq), applied: true, savedAt: now.toISOString() };

      // Nothing written: say why (rare, except a replay of an older sequence number).
      const row = await db
        .selectFrom("attempt as a")
        .innerJoin("exam as e", "e.id", "a.exam_id")
        .leftJoin("attempt_item as i", (j) => j.onRef("i.attempt_id", "=", "a.id").on("i.position", "=", input.position))
        .select(["a.person_id", "a.status", "a.deadline_at", "e.grace_seconds", "i.option_order", "i.seq", "i.position"])
        .where("a.id", "=", attemptId)
        .executeTakeFirst();
      if (!row || row.person_id !== viewer.personId) throw new NotFound("Không tìm thấy bài làm.");
      if (row.status !== "in_progress") throw new ExamRefused("not_in_progress", "Bài làm đã nộp; không thể sửa câu trả lời.");
      if (!acceptsAnswers(new Date(row.deadline_at!), now, row.grace_seconds)) throw new ExamRefused("deadline_passed", "Đã hết giờ làm bài.");
      if (row.position === null) throw new BadRequest(`Không có câu ${input.position} trong bài.`);
      const order = row.option_order as unknown as number[];
      if (display.some((d) => d >= order.length)) throw new BadRequest("Phương án không hợp lệ.");
      return { ok: true as const, position: input.position, seq: row.seq!, applied: false, savedAt: now.toISOString() };
    },

    async submit(viewer: Viewer, attemptId: number) {
      const a = await db.selectFrom("attempt").select(["person_id", "status", "receipt"]).where("id", "=", attemptId).executeTakeFirst();
      if (!a || a.person_id !== viewer.personId) throw new NotFound("Không tìm thấy bài làm.");
      const done = await finish(attemptId, "trainee");
      if (done) return { receipt: done.receipt, alreadySubmitted: false };
      const again = await db.selectFrom("attempt").select(["receipt", "status"]).where("id", "=", attemptId).executeTakeFirstOrThrow();
      if (again.status !== "submitted") throw new ExamRefused("not_started", "Bài làm chưa bắt đầu.");
      return { receipt: again.receipt!, alreadySubmitted: true };
    },

    /** Submits every attempt past its deadline plus grace; safe to run from several processes at once. */
    async closeOverdue(): Promise<number[]> {
      const now = clock.now();
      const due = await db
        .selectFrom("attempt as a")
        .innerJoin("exam as e", "e.id", "a.exam_id")
        .select(["a.id", "a.deadline_at", "e.grace_seconds"])
        .where("a.status", "=", "in_progress")
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
        const running = await trx.selectFrom("attempt").select(["id", "started_at"]).where("exam_id", "=", examId).where("person_id", "=", personId).where("status", "=", "in_progress").executeTakeFirst();
        let deadline: Date | null = null;
        if (running) {
          deadline = deadlineFor(new Date(running.started_at!), { durationMinutes: exam.duration_minutes, closesAt: exam.closes_at, graceSeconds: exam.grace_seconds }, acc);
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
        .select(["e.id", "e.title", "e.kind", "e.opens_at", "e.closes_at", "e.duration_minutes", "e.access_code", "c.name as class_name"])
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
        return {
          id: r.id,
          title: r.title,
          kind: r.kind,
          className: r.class_name,
          opensAt: new Date(r.opens_at).toISOString(),
          closesAt: new Date(r.closes_at).toISOString(),
          durationMinutes: r.duration_minutes,
          needsCode: !!r.access_code,
          attemptId: a?.id ?? null,
          state: a?.status === "in_progress" ? "in_progress" : a?.status === "submitted" ? "submitted" : now < new Date(r.opens_at) ? "upcoming" : now > new Date(r.closes_at) ? "closed" : "open",
          receipt: a?.status === "submitted" ? a.receipt : null,
        };
      });
    },

    async examsForClass(viewer: Viewer, classId: number) {
      const klass = await classScope(classId);
      if (!canReach(viewer, [...ORGANISERS, "lecturer", "proctor"], klass.path)) throw new Forbidden("Lớp này không thuộc trung tâm của bạn.");
      return db
        .selectFrom("exam as e")
        .select(["e.id", "e.title", "e.kind", "e.opens_at", "e.closes_at", "e.duration_minutes"])
        .select((eb) => [
          eb.selectFrom("attempt as a").select(eb.fn.countAll<number>().as("n")).whereRef("a.exam_id", "=", "e.id").as("papers"),
          eb.selectFrom("attempt as a").select(eb.fn.countAll<number>().as("n")).whereRef("a.exam_id", "=", "e.id").where("a.status", "=", "submitted").as("submitted"),
        ])
        .where("e.class_id", "=", classId)
        .orderBy("e.opens_at", "desc")
        .execute();
    },

    /** Per-trainee results, distribution, pass rate, bands and item analysis for one exam. */
    async results(viewer: Viewer, examId: number) {
      const exam = await examRow(examId);
      const klass = await classScope(exam.class_id);
      if (!canReach(viewer, [...ORGANISERS, "lecturer"], klass.path)) throw new Forbidden("Lớp này không thuộc trung tâm của bạn.");
      const people = await db
        .selectFrom("class_enrolment as ce")
        .innerJoin("person as p", "p.id", "ce.person_id")
        .innerJoin("org_unit as u", "u.id", "p.org_unit_id")
        .leftJoin("attempt as a", (j) => j.onRef("a.person_id", "=", "p.id").on("a.exam_id", "=", examId).on("a.status", "=", "submitted"))
        .select(["p.id as person_id", "p.full_name", "p.birth_date", "u.name as unit_name", "a.id as attempt_id", "a.score", "a.band", "a.passed", "a.submitted_at", "a.submitted_by", "a.receipt"])
        .where("ce.class_id", "=", exam.class_id)
        .execute();
      const submitted = people.filter((p) => p.attempt_id !== null);
      const ids = submitted.map((p) => p.attempt_id!);
      const items = ids.length
        ? await db
            .selectFrom("attempt_item as i")
            .innerJoin("question_version as v", "v.id", "i.question_version_id")
            .innerJoin("question as q", "q.id", "v.question_id")
            .select(["i.attempt_id", "i.question_version_id", "i.points", "i.chosen", "v.type", "v.options", "v.stem", "q.lesson_position", "v.level"])
            .where("i.attempt_id", "in", ids)
            .execute()
        : [];
      const byAttempt = new Map<number, typeof items>();
      for (const it of items) byAttempt.set(it.attempt_id, [...(byAttempt.get(it.attempt_id) ?? []), it]);
      const analysis = itemAnalysis(
        submitted.map((p) => ({
          score: Number(p.score),
          items: (byAttempt.get(p.attempt_id!) ?? []).map((it) => {
            const options = it.options as unknown as StoredOption[];
            const chosen = (it.chosen as unknown as number[] | null) ?? [];
            return { versionId: it.question_version_id, points: Number(it.points), earned: Number(it.points) * scoreAnswer(it.type as QuestionType, options, chosen, exam.policy.partialCredit), chosen, optionCount: options.length };
          }),
        })),
      );
      const meta = new Map(items.map((it) => [it.question_version_id, { stem: it.stem, lesson: it.lesson_position, level: it.level, options: (it.options as unknown as StoredOption[]).map((o) => ({ text: o.text, correct: o.fraction > 0 })) }]));
      const scores = submitted.map((p) => Number(p.score));
      const bandCounts = Object.fromEntries(exam.policy.bands.map((b) => [b.code, submitted.filter((p) => p.band === b.code).length]));
      return {
        exam: { id: exam.id, title: exam.title, className: klass.name, passMark: exam.policy.passMark, bands: exam.policy.bands },
        trainees: sortByVietnameseName(people, (p) => p.full_name).map((p) => ({
          personId: p.person_id,
          name: p.full_name,
          birthDate: p.birth_date,
          unit: p.unit_name,
          score: p.score === null ? null : Number(p.score),
          band: exam.policy.bands.find((b) => b.code === p.band)?.label ?? null,
          passed: p.passed,
          submittedBy: p.submitted_by,
          receipt: p.receipt,
        })),
        summary: {
          enrolled: people.length,
          submitted: submitted.length,
          passRate: submitted.length ? submitted.filter((p) => p.passed).length / submitted.length : 0,
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

    /** The trainee's own result, as the review policy allows. */
    async result(viewer: Viewer, attemptId: number) {
      const a = await db.selectFrom("attempt").selectAll().where("id", "=", attemptId).executeTakeFirst();
      if (!a || (a.person_id !== viewer.personId && !hasRole(viewer, ORGANISERS))) throw new NotFound("Không tìm thấy bài làm.");
      if (a.status !== "submitted") throw new ExamRefused("not_submitted", "Bài làm chưa nộp.");
      const exam = await examRow(a.exam_id);
      if (exam.review_policy === "none" && a.person_id === viewer.personId) return { receipt: a.receipt, score: null, band: null, passed: null };
      const band = exam.policy.bands.find((b) => b.code === a.band);
      return { receipt: a.receipt, score: Number(a.score), band: band?.label ?? a.band, passed: a.passed };
    },
  };
}

export type ExamService = ReturnType<typeof createExamService>;
