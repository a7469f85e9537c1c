import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { Database } from "../db";
import type { Clock } from "../clock";
import type { ServiceDeps } from "../service-deps";
import type { Role } from "../db/schema";
import type { SurveyQuestion } from "../db/schema-surveys";
import { canReach, hasRole, scopeRoots, type Viewer } from "../auth/scope";
import { BadRequest, Forbidden, NotFound } from "../errors";
import { audit } from "../audit/log";
import { classPlace } from "../classes/class-place";
import { pendingCertificateSurvey } from "./certificate-gate";
import { vnDay } from "../rules/dates";
import { DEFAULT_MIN_GROUP, DEFAULT_TEMPLATES } from "./defaults";
import { checkQuestions, summarise, validateAnswers, type AnswerInput } from "./rules";
import { seal } from "./seal";
import { loadSealKeys } from "./seal-keys";
import { releasePending, surveysDue } from "./release";

/** Who attaches surveys to classes and edits their settings. */
const ORGANISERS: Role[] = ["centre_admin"];
/** Who reads (aggregated, anonymous) results. */
const READERS: Role[] = ["centre_admin", "lecturer", "committee", "organisation_board"];
export const MIN_GROUP_FLOOR = 3;
const isIsoDay = (v: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);

/**
 * Learner surveys and lecturer-observation forms, anonymous by construction (issue #8,
 * docs/decisions/010 and 017): a submission writes the participation (who) and a sealed
 * answer; answers become readable only by batches of at least the minimum group, in a
 * release transaction of their own; no method of this service returns a person with an answer.
 */
export function createSurveyService(deps: ServiceDeps) {
  const { db, clock, config } = deps;
  let keys: Buffer[] | null = null;
  const sealKeys = () => (keys ??= loadSealKeys(config));

  /** Releases what is due for one survey; see release.ts. */
  const release = (surveyId: number) => releasePending(db, sealKeys(), surveyId, vnDay(clock.now()));

  /** The survey's class with its centre and the unit whose scope decides who may manage it. */
  const classScope = (classId: number) => classPlace(db, classId);

  async function loadSurvey(surveyId: number) {
    const s = await db.selectFrom("survey").selectAll().where("id", "=", surveyId).executeTakeFirst();
    if (!s) throw new NotFound("Không có phiếu khảo sát này.");
    return { ...s, questions: s.questions };
  }

  async function ensureDefaults() {
    for (const t of DEFAULT_TEMPLATES)
      await db
        .insertInto("survey_template")
        .values({ code: t.code, kind: t.kind, name: t.name, questions: JSON.stringify(t.questions) })
        .onConflict((oc) => oc.column("code").doNothing())
        .execute();
  }

  async function isEnrolled(personId: number, classId: number) {
    return !!(await db
      .selectFrom("class_enrolment")
      .select("person_id")
      .where("class_id", "=", classId)
      .where("person_id", "=", personId)
      .executeTakeFirst());
  }

  return {
    ensureDefaults,

    async templates(viewer: Viewer) {
      if (!hasRole(viewer, [...ORGANISERS, "committee", "lecturer"])) throw new Forbidden();
      await ensureDefaults();
      const rows = await db.selectFrom("survey_template").select(["id", "code", "kind", "name", "questions"]).orderBy("id").execute();
      return rows.map((r) => ({ ...r, questions: r.questions }));
    },

    /** A centre's own form (a copy of a default with its own questions). */
    async saveTemplate(
      viewer: Viewer,
      input: { name: string; kind: "course" | "observation"; questions: SurveyQuestion[]; unitId: number },
    ) {
      const unit = await db.selectFrom("org_unit").select(["id", "path"]).where("id", "=", input.unitId).executeTakeFirst();
      if (!unit || !canReach(viewer, ORGANISERS, unit.path, { write: true })) throw new Forbidden();
      const problems = checkQuestions(input.questions);
      if (!input.name.trim()) problems.unshift("Hãy đặt tên cho mẫu phiếu.");
      if (problems.length) return { ok: false as const, problems };
      const row = await db
        .insertInto("survey_template")
        .values({
          code: `mau-${randomUUID().slice(0, 8)}`,
          kind: input.kind,
          name: input.name.trim(),
          questions: JSON.stringify(input.questions),
          org_unit_id: unit.id,
          created_by: viewer.userId,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      return { ok: true as const, id: row.id };
    },

    /** Classes a centre admin may attach a survey to. */
    async attachableClasses(viewer: Viewer) {
      const roots = scopeRoots(viewer, ORGANISERS);
      if (!roots.length) return [];
      return db
        .selectFrom("training_class as c")
        .innerJoin("training_centre as t", "t.id", "c.centre_id")
        .innerJoin("org_unit as o", "o.id", "t.org_unit_id")
        .select(["c.id", "c.name", "c.programme_code", "c.starts_on", "t.name as centre"])
        .where((eb) => eb.or(roots.map((r) => eb("o.path", "like", `${r}%`))))
        .orderBy("c.starts_on", "desc")
        .execute();
    },

    async attach(
      viewer: Viewer,
      input: {
        classId: number;
        templateId: number;
        title?: string;
        lecturerName?: string;
        minGroup?: number;
        requiredForCertificate?: boolean;
        opensOn?: string;
        closesOn?: string | null;
      },
    ) {
      const cls = await classScope(input.classId);
      if (!canReach(viewer, ORGANISERS, cls.path, { write: true }))
        throw new Forbidden("Chỉ cán bộ trung tâm của lớp mới gắn được phiếu khảo sát.");
      await ensureDefaults();
      const template = await db.selectFrom("survey_template").selectAll().where("id", "=", input.templateId).executeTakeFirst();
      if (!template) throw new BadRequest("Hãy chọn một mẫu phiếu.");
      // The survey opens when the class ends, unless told otherwise.
      const { ends_on } = await db.selectFrom("training_class").select("ends_on").where("id", "=", cls.id).executeTakeFirstOrThrow();
      const minGroup = input.minGroup ?? DEFAULT_MIN_GROUP;
      if (!Number.isInteger(minGroup) || minGroup < MIN_GROUP_FLOOR || minGroup > 100)
        throw new BadRequest(`Số phiếu tối thiểu để hiện kết quả phải là số nguyên từ ${MIN_GROUP_FLOOR} đến 100.`);
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto("survey")
          .values({
            class_id: cls.id,
            template_id: template.id,
            kind: template.kind,
            title: input.title?.trim() || `${template.name} — ${cls.name}`,
            questions: JSON.stringify(template.questions),
            lecturer_name: input.lecturerName?.trim() || null,
            min_group: minGroup,
            required_for_certificate: !!input.requiredForCertificate,
            opens_on: input.opensOn ?? ends_on ?? vnDay(clock.now()),
            closes_on: input.closesOn ?? null,
            created_by: viewer.userId,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        await audit(trx, {
          actorId: viewer.userId,
          action: "survey.attach",
          entityType: "survey",
          entityId: row.id,
          orgUnitId: cls.org_unit_id,
          details: { classId: cls.id, templateId: template.id, minGroup, requiredForCertificate: !!input.requiredForCertificate },
        });
        return { id: row.id };
      });
    },

    async updateSettings(
      viewer: Viewer,
      surveyId: number,
      input: { minGroup: number; requiredForCertificate: boolean; closesOn?: string | null },
    ) {
      const s = await loadSurvey(surveyId);
      const cls = await classScope(s.class_id);
      if (!canReach(viewer, ORGANISERS, cls.path, { write: true })) throw new Forbidden();
      if (!Number.isInteger(input.minGroup) || input.minGroup < MIN_GROUP_FLOOR || input.minGroup > 100)
        return { ok: false as const, problems: [`Số phiếu tối thiểu để hiện kết quả phải là số nguyên từ ${MIN_GROUP_FLOOR} đến 100.`] };
      if (input.closesOn && !isIsoDay(input.closesOn))
        return { ok: false as const, problems: ["Ngày đóng phiếu không hợp lệ; hãy chọn lại ngày."] };
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable("survey")
          .set({
            min_group: input.minGroup,
            required_for_certificate: input.requiredForCertificate,
            ...(input.closesOn !== undefined ? { closes_on: input.closesOn } : {}),
          })
          .where("id", "=", surveyId)
          .execute();
        await audit(trx, {
          actorId: viewer.userId,
          action: "survey.settings",
          entityType: "survey",
          entityId: surveyId,
          orgUnitId: cls.org_unit_id,
          details: input,
        });
      });
      // Closing a survey or changing its minimum group changes what the dashboard may show of it.
      await deps.figures?.classChanged(s.class_id);
      return { ok: true as const };
    },

    /** Surveys of the classes in the viewer's scope, for centre staff and the committee. */
    async manageList(viewer: Viewer) {
      const roots = scopeRoots(viewer, READERS);
      if (!roots.length) throw new Forbidden();
      return db
        .selectFrom("survey as s")
        .innerJoin("training_class as c", "c.id", "s.class_id")
        .innerJoin("training_centre as t", "t.id", "c.centre_id")
        .innerJoin("org_unit as o", "o.id", "t.org_unit_id")
        .select([
          "s.id",
          "s.title",
          "s.kind",
          "s.responses",
          "s.min_group",
          "s.required_for_certificate",
          "s.opens_on",
          "s.closes_on",
          "s.lecturer_name",
          "c.name as className",
          "t.name as centre",
        ])
        .select((eb) =>
          eb
            .selectFrom("survey_pending as p")
            .select(sql<number>`count(*)::int`.as("n"))
            .whereRef("p.survey_id", "=", "s.id")
            .as("pending"),
        )
        .where((eb) => eb.or(roots.map((r) => eb("o.path", "like", `${r}%`))))
        .orderBy("s.id", "desc")
        .limit(200)
        .execute();
    },

    /** The trainee's surveys: those of the classes the trainee is enrolled in. */
    async mine(viewer: Viewer) {
      if (!viewer.personId) return [];
      const today = vnDay(clock.now());
      const rows = await db
        .selectFrom("survey as s")
        .innerJoin("class_enrolment as e", "e.class_id", "s.class_id")
        .innerJoin("training_class as c", "c.id", "s.class_id")
        .leftJoin("survey_participation as p", (j) => j.onRef("p.survey_id", "=", "s.id").on("p.person_id", "=", viewer.personId!))
        .select([
          "s.id",
          "s.title",
          "s.opens_on",
          "s.closes_on",
          "s.required_for_certificate",
          "c.name as className",
          "p.person_id as answered",
        ])
        .where("e.person_id", "=", viewer.personId)
        .where("s.kind", "=", "course")
        .orderBy("s.id", "desc")
        .execute();
      return rows.map((r) => ({
        id: r.id,
        title: r.title,
        className: r.className,
        requiredForCertificate: r.required_for_certificate,
        answered: r.answered !== null,
        open: r.opens_on <= today && (!r.closes_on || r.closes_on >= today),
        opensOn: r.opens_on,
        closesOn: r.closes_on,
      }));
    },

    /** The form for a trainee to fill in; refuses one who is not in the class or has answered. */
    async form(viewer: Viewer, surveyId: number) {
      const s = await loadSurvey(surveyId);
      if (!viewer.personId || !(await isEnrolled(viewer.personId, s.class_id))) throw new Forbidden("Phiếu này dành cho học viên của lớp.");
      const cls = await classScope(s.class_id);
      const answered = !!(await db
        .selectFrom("survey_participation")
        .select("person_id")
        .where("survey_id", "=", s.id)
        .where("person_id", "=", viewer.personId)
        .executeTakeFirst());
      const today = vnDay(clock.now());
      return {
        id: s.id,
        title: s.title,
        className: cls.name,
        centre: cls.centre_name,
        questions: s.questions,
        answered,
        open: s.opens_on <= today && (!s.closes_on || s.closes_on >= today),
        opensOn: s.opens_on,
        closesOn: s.closes_on,
      };
    },

    /**
     * Records one anonymous response (decision 017). One transaction writes the
     * participation (who: "đã gửi", one answer per trainee) and the answer sealed under a
     * key the database does not hold — so a crash leaves both or neither. Nothing
     * readable, no counter and no survey column changes here: the answer reaches the
     * results only in a release of a whole batch, in a later transaction.
     */
    async submit(viewer: Viewer, surveyId: number, input: AnswerInput): Promise<{ ok: true } | { ok: false; problems: string[] }> {
      const s = await loadSurvey(surveyId);
      if (!viewer.personId || !(await isEnrolled(viewer.personId, s.class_id))) throw new Forbidden("Phiếu này dành cho học viên của lớp.");
      const today = vnDay(clock.now());
      if (s.opens_on > today) return { ok: false, problems: ["Phiếu chưa mở; hãy quay lại khi lớp kết thúc."] };
      if (s.closes_on && s.closes_on < today) return { ok: false, problems: ["Phiếu đã đóng, không nhận thêm ý kiến."] };
      const { answers, problems } = validateAnswers(s.questions, input);
      if (problems.length) return { ok: false, problems };
      const personId = viewer.personId;
      const sealed = seal(sealKeys(), s.id, s.questions, answers);
      const r = await db.transaction().execute(async (trx) => {
        const took = await trx
          .insertInto("survey_participation")
          .values({ survey_id: s.id, person_id: personId })
          .onConflict((oc) => oc.columns(["survey_id", "person_id"]).doNothing())
          .returning("person_id")
          .executeTakeFirst();
        if (!took) return { ok: false as const, problems: ["Anh/chị đã gửi phiếu này rồi; mỗi học viên gửi một lần."] };
        await trx.insertInto("survey_pending").values({ survey_id: s.id, sealed }).execute();
        return { ok: true as const };
      });
      if (r.ok) {
        // The answer is stored and acknowledged whatever happens here: a release that
        // fails is rolled back and retried by the next submission, results page or sweep.
        await release(s.id).catch(() => 0);
      }
      return r;
    },

    /** Releases every survey with a batch due (closing dates passed, groups complete); run by the server periodically. */
    async releaseDue(): Promise<{ surveyId: number; released: number }[]> {
      const out: { surveyId: number; released: number }[] = [];
      let failure: unknown = null;
      for (const id of await surveysDue(db, vnDay(clock.now()))) {
        // One survey that cannot be released (e.g. sealed under a key this process lacks)
        // does not hold up the others; the first error is raised for the log afterwards.
        try {
          out.push({ surveyId: id, released: await release(id) });
        } catch (e) {
          failure ??= e;
        }
      }
      if (failure) throw failure;
      return out.filter((x) => x.released > 0);
    },

    /** Aggregated results, hidden below the survey's minimum group; comments in a fixed, meaningless order. */
    async results(viewer: Viewer, surveyId: number) {
      const s = await loadSurvey(surveyId);
      const cls = await classScope(s.class_id);
      if (!canReach(viewer, READERS, cls.path)) throw new Forbidden();
      // A batch that has become due (the closing day passed) is released before reading;
      // a failing release (logged by the server's sweep) leaves the released results readable.
      await release(s.id).catch(() => 0);
      const counts = await db
        .selectFrom("survey as x")
        .select([
          "x.responses",
          (eb) =>
            eb
              .selectFrom("survey_pending as p")
              .select(sql<number>`count(*)::int`.as("n"))
              .whereRef("p.survey_id", "=", "x.id")
              .as("pending"),
        ])
        .where("x.id", "=", s.id)
        .executeTakeFirstOrThrow();
      s.responses = counts.responses;
      const stats = await db.selectFrom("survey_stat").select(["question_key", "value", "n"]).where("survey_id", "=", s.id).execute();
      const results = summarise(s.questions, stats, s.responses, s.min_group);
      let comments: { question: string; texts: string[] }[] = [];
      if (!results.hidden) {
        const texts = await db
          .selectFrom("survey_answer as a")
          .innerJoin("survey_response as r", "r.id", "a.response_id")
          .select(["a.question_key", "a.text"])
          .where("r.survey_id", "=", s.id)
          .where("a.text", "is not", null)
          // Sorted by the text itself: the order says nothing about who wrote first.
          .orderBy("a.text")
          .limit(500)
          .execute();
        comments = s.questions
          .filter((q) => q.type === "text")
          .map((q) => ({ question: q.text, texts: texts.filter((t) => t.question_key === q.key).map((t) => t.text!) }));
      }
      return {
        survey: {
          id: s.id,
          title: s.title,
          kind: s.kind,
          className: cls.name,
          centre: cls.centre_name,
          lecturerName: s.lecturer_name,
          minGroup: s.min_group,
          requiredForCertificate: s.required_for_certificate,
          closesOn: s.closes_on,
          /** Sent but still sealed, waiting for a complete group (or the closing day). */
          pending: Number(counts.pending ?? 0),
          canEdit: canReach(viewer, ORGANISERS, cls.path, { write: true }),
        },
        results,
        comments,
      };
    },

    /**
     * The "certificate after survey" rule: a trainee of a class whose survey requires
     * an answer may download the certificate only once the participation exists.
     */
    async certificateGate(personId: number, classId: number): Promise<{ allowed: boolean; surveyId?: number }> {
      const pending = await pendingCertificateSurvey(db, personId, classId);
      return pending ? { allowed: false, surveyId: pending.id } : { allowed: true };
    },
  };
}

export type SurveyService = ReturnType<typeof createSurveyService>;
export type { Database, Clock };
