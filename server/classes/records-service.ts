import { randomBytes } from "node:crypto";
import { birthDatesToFix } from "../rules/birth-date";
import { vnDay } from "../rules/dates";
import ExcelJS from "exceljs";
import QRCode from "qrcode";
import { sql } from "kysely";
import type { Database } from "../db";
import type { Clock } from "../clock";
import type { ServiceDeps } from "../service-deps";
import { canReach, hasRole, type Viewer } from "../auth/scope";
import type { Role } from "../db/schema";
import type { AttendanceMethod, AttendanceStatus } from "../db/schema-class-records";
import { BadRequest, Forbidden, NotFound } from "../errors";
import { audit } from "../audit/log";
import { sortByVietnameseName } from "../rules/vietnamese-names";
import { renderCertificatesPdf, type CertificateData } from "../documents/certificate";
import { pendingCertificateSurvey, SurveyRequired } from "../surveys/certificate-gate";
import { renderPartyDocumentPdf } from "../documents/pdf";
import { renderPartyDocumentDocx } from "../documents/docx";
import { nextDocumentNumber } from "./numbering";
import { checkTimetable, defaultTimetable, topicOptions, type ProgrammeOutline, type TimetableRow } from "./timetable";
import {
  ATTENDANCE_LABELS,
  ATTENDANCE_STATUSES,
  classQrCode,
  classQrPath,
  parseTraineeQr,
  summariseAttendance,
  traineeAttendanceQrPayload,
  verifyClassQr,
} from "./attendance";
import { classify, formatScore, OUTCOME_LABELS } from "./classification";
import { DEFAULT_RECORDS_POLICY, recordsPolicySchema, resolvePolicy, type RecordsPolicy } from "./records-policy";
import { formatCertificateNumber, isVerificationCode, newVerificationCode, registerYear } from "./certificate-numbering";
import {
  classReport,
  DEFAULT_TEMPLATES,
  DOCUMENT_TYPES,
  resultsNotice,
  templateProblems,
  type IssuerFacts,
  type ResultLine,
  type TemplateKey,
} from "./official-documents";

const ORGANISERS: Role[] = ["centre_admin"];
const MARKERS: Role[] = ["centre_admin", "lecturer", "proctor"];
const READERS: Role[] = ["centre_admin", "lecturer", "proctor", "organisation_board", "committee"];

export type Problems = { ok: false; problems: string[] };

/** Timetable, attendance, conduct, final results, certificates and official documents (issue #7, part 2). */
export function createClassRecordsService(deps: ServiceDeps) {
  const { db, clock, config } = deps;

  // ---- scope ------------------------------------------------------------------

  async function classScope(classId: number) {
    if (!Number.isInteger(classId)) throw new NotFound("Không có lớp này.");
    const row = await db
      .selectFrom("training_class as c")
      .innerJoin("training_centre as t", "t.id", "c.centre_id")
      .innerJoin("org_unit as o", "o.id", "t.org_unit_id")
      .innerJoin("programme as p", "p.code", "c.programme_code")
      .select([
        "c.id",
        "c.name",
        "c.programme_code",
        "c.starts_on",
        "c.ends_on",
        "c.centre_id",
        "p.name as programme_name",
        "p.manifest",
        "t.name as centre_name",
        "t.abbreviation as centre_abbr",
        "t.director_name",
        "t.org_unit_id as centre_unit_id",
        "o.name as unit_name",
        "o.path",
        "o.place_name",
      ])
      .where("c.id", "=", classId)
      .executeTakeFirst();
    if (!row) throw new NotFound("Không có lớp này.");
    return row;
  }
  type Klass = Awaited<ReturnType<typeof classScope>>;

  async function requireClass(viewer: Viewer, classId: number, roles: Role[], write = false): Promise<Klass> {
    const k = await classScope(classId);
    if (!canReach(viewer, roles, k.path, { write })) throw new Forbidden("Lớp này không thuộc phạm vi phụ trách của bạn.");
    return k;
  }

  async function sessionScope(sessionId: number) {
    if (!Number.isInteger(sessionId)) throw new NotFound("Không có buổi học này.");
    const s = await db.selectFrom("class_session").selectAll().where("id", "=", sessionId).executeTakeFirst();
    if (!s) throw new NotFound("Không có buổi học này.");
    return s;
  }

  // ---- programme, policy, settings ---------------------------------------------

  async function outline(k: Klass): Promise<ProgrammeOutline> {
    const m = k.manifest as unknown as { totalPeriods: number; periodsPerSession: number; activities: { code: string; title: string; periods: number }[] };
    const lessons = await db
      .selectFrom("lesson as l")
      .innerJoin("lesson_version as v", "v.id", "l.published_version_id")
      .select(["l.position", "v.title", "v.periods"])
      .where("l.programme_code", "=", k.programme_code)
      .orderBy("l.position")
      .execute();
    return { totalPeriods: m.totalPeriods, periodsPerSession: m.periodsPerSession, lessons, activities: m.activities ?? [] };
  }

  async function settings(classId: number) {
    const s = await db.selectFrom("class_records_setting").selectAll().where("class_id", "=", classId).executeTakeFirst();
    return {
      policy: resolvePolicy(s?.policy),
      storedPolicy: s?.policy != null,
      timetableReason: s?.timetable_reason ?? null,
      templates: { ...DEFAULT_TEMPLATES, ...((s?.templates as Record<string, string> | null) ?? {}) } as Record<TemplateKey, string>,
    };
  }

  async function upsertSetting(classId: number, viewer: Viewer, values: { policy?: string; timetable_reason?: string | null; templates?: string }, trx: Database = db) {
    await trx
      .insertInto("class_records_setting")
      .values({ class_id: classId, updated_by: viewer.userId, ...values })
      .onConflict((oc) => oc.column("class_id").doUpdateSet({ ...values, updated_by: viewer.userId, updated_at: clock.now() }))
      .execute();
  }

  /** The HMAC key shared by every server process: created once, in the database, on first use. */
  let secretMemo: Promise<string> | null = null;
  function secret(): Promise<string> {
    secretMemo ??= (async () => {
      await db
        .insertInto("server_secret")
        .values({ name: "attendance_qr", value: randomBytes(32).toString("base64url") })
        .onConflict((oc) => oc.column("name").doNothing())
        .execute();
      const row = await db.selectFrom("server_secret").select("value").where("name", "=", "attendance_qr").executeTakeFirstOrThrow();
      return row.value;
    })().catch((e) => {
      secretMemo = null;
      throw e;
    });
    return secretMemo;
  }

  // ---- trainees -----------------------------------------------------------------

  /** Enrolled trainees with their sending unit (the nominating unit, else their own), sorted the Vietnamese way. */
  async function trainees(classId: number) {
    const rows = await db
      .selectFrom("class_enrolment as e")
      .innerJoin("person as p", "p.id", "e.person_id")
      .leftJoin("nomination as n", (j) => j.onRef("n.person_id", "=", "p.id").onRef("n.class_id", "=", "e.class_id").on("n.status", "=", "approved"))
      .innerJoin("org_unit as u", (j) => j.on(sql`u.id`, "=", sql`coalesce(n.unit_id, p.org_unit_id)`))
      .select(["p.id", "p.full_name", "p.birth_date", "u.id as unit_id", "u.name as unit_name"])
      .where("e.class_id", "=", classId)
      .execute();
    const seen = new Set<number>();
    return sortByVietnameseName(
      rows.filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true))),
      (r) => r.full_name,
    );
  }

  function today(): string {
    // Session days are local (Asia/Ho_Chi_Minh, UTC+7, no daylight saving).
    return new Date(clock.now().getTime() + 7 * 3600_000).toISOString().slice(0, 10);
  }

  async function sessionsOf(classId: number) {
    return db.selectFrom("class_session").selectAll().where("class_id", "=", classId).orderBy("seq").execute();
  }

  async function attendanceSummaries(k: Klass, policy: RecordsPolicy) {
    const [sessions, people, o] = await Promise.all([sessionsOf(k.id), trainees(k.id), outline(k)]);
    const marks = sessions.length
      ? await db.selectFrom("attendance").select(["session_id", "person_id", "status"]).where("session_id", "in", sessions.map((s) => s.id)).execute()
      : [];
    const byPerson = new Map<number, Map<number, AttendanceStatus>>();
    for (const m of marks) {
      if (!byPerson.has(m.person_id)) byPerson.set(m.person_id, new Map());
      byPerson.get(m.person_id)!.set(m.session_id, m.status);
    }
    const held = new Set(sessions.filter((s) => s.on_date <= today()).map((s) => s.id));
    // The threshold is a share of the timetable's periods (the programme's when none is set).
    const total = sessions.length ? sessions.reduce((sum, s) => sum + s.periods, 0) : o.totalPeriods;
    const summaries = new Map(people.map((p) => [p.id, summariseAttendance(sessions, byPerson.get(p.id) ?? new Map(), total, policy, held)]));
    return { sessions, people, byPerson, summaries, total, held };
  }

  /**
   * A scan is evidence the trainee is in the room: it records "có mặt" once, and turns an
   * absence marked earlier into "có mặt", but never rewrites "có mặt" or "đi muộn".
   * Returns whether anything changed.
   */
  async function markPresent(sessionId: number, personId: number, method: AttendanceMethod, userId: string): Promise<boolean> {
    const rows = await db
      .insertInto("attendance")
      .values({ session_id: sessionId, person_id: personId, status: "co_mat", method, marked_by: userId, marked_at: clock.now() })
      .onConflict((oc) =>
        oc
          .columns(["session_id", "person_id"])
          .doUpdateSet({ status: "co_mat", method, marked_by: userId, marked_at: clock.now() })
          .where("attendance.status", "in", ["vang_co_phep", "vang_khong_phep"]),
      )
      .returning("person_id")
      .execute();
    return rows.length > 0;
  }

  // ---- results ------------------------------------------------------------------

  async function examFacts(classId: number) {
    const rows = await db
      .selectFrom("attempt as a")
      .innerJoin("exam as e", "e.id", "a.exam_id")
      .select(["a.person_id", "a.status", "a.score"])
      .where("e.class_id", "=", classId)
      .where("e.kind", "=", "official")
      .where("a.status", "in", ["submitted", "awaiting_grading"])
      .execute();
    const by = new Map<number, { best: number | null; attempts: number; pending: boolean }>();
    for (const r of rows) {
      const f = by.get(r.person_id) ?? { best: null, attempts: 0, pending: false };
      f.attempts++;
      if (r.status === "awaiting_grading") f.pending = true;
      else if (r.score !== null) f.best = Math.max(f.best ?? 0, Number(r.score));
      by.set(r.person_id, f);
    }
    return by;
  }

  async function computeAndStore(k: Klass, actor: Viewer | null) {
    const { policy } = await settings(k.id);
    const [att, exams, breaches] = await Promise.all([
      attendanceSummaries(k, policy),
      examFacts(k.id),
      db.selectFrom("conduct_record").select("person_id").where("class_id", "=", k.id).where("severity", "=", "serious").execute(),
    ]);
    const serious = new Set(breaches.map((b) => b.person_id));
    const now = clock.now();
    const rows = att.people.map((p) => {
      const a = att.summaries.get(p.id)!;
      const e = exams.get(p.id) ?? { best: null, attempts: 0, pending: false };
      const c = classify({ score: e.best, attempts: e.attempts, pendingGrading: e.pending, maySit: a.maySit, seriousBreach: serious.has(p.id) }, policy);
      return { person: p, attendance: a, c, attempts: e.attempts, serious: serious.has(p.id) };
    });
    await db.transaction().execute(async (trx) => {
      for (const r of rows) {
        const values = {
          score: r.c.score,
          band: r.c.band,
          passed: r.c.passed,
          fail_reason: r.c.failReason,
          computed_at: now,
          absent_periods: r.attendance.absentPeriods,
          may_sit: r.attendance.maySit,
          serious_breach: r.serious,
          attempts: r.attempts,
          outcome: r.c.outcome,
        };
        await trx
          .insertInto("class_result")
          .values({ class_id: k.id, person_id: r.person.id, ...values })
          .onConflict((oc) => oc.columns(["class_id", "person_id"]).doUpdateSet(values))
          .execute();
      }
      if (actor) await audit(trx, { actorId: actor.userId, action: "class_results.compute", entityType: "training_class", entityId: k.id, orgUnitId: k.centre_unit_id, details: { trainees: rows.length } });
    });
    return rows;
  }

  async function resultLines(k: Klass): Promise<(ResultLine & { personId: number; unitId: number })[]> {
    const [people, results, certs] = await Promise.all([
      trainees(k.id),
      db.selectFrom("class_result").selectAll().where("class_id", "=", k.id).execute(),
      db.selectFrom("certificate").select(["person_id", "number_label"]).where("class_id", "=", k.id).where("status", "=", "valid").execute(),
    ]);
    const { policy } = await settings(k.id);
    const byPerson = new Map(results.map((r) => [r.person_id, r]));
    const certBy = new Map(certs.map((c) => [c.person_id, c.number_label]));
    return people.map((p) => {
      const r = byPerson.get(p.id);
      return {
        personId: p.id,
        unitId: p.unit_id,
        fullName: p.full_name,
        // Passed as stored: the documents flag a bad or blank one in its cell and name it (issue 14).
        birthDate: p.birth_date,
        unitName: p.unit_name,
        score: r?.score === null || r?.score === undefined ? null : Number(r.score),
        bandLabel: r?.band ? (policy.bands.find((b) => b.code === r.band)?.label ?? r.band) : null,
        // A row written without an outcome (e.g. imported results) falls back to the contract's `passed`.
        outcome: r ? (r.outcome !== "pending" ? r.outcome : r.passed ? "passed" : "pending") : "pending",
        failReason: r ? r.fail_reason : "Chưa tính kết quả.",
        certificateNumber: certBy.get(p.id) ?? null,
        absentPeriods: r?.absent_periods ?? 0,
      };
    });
  }

  // ---- certificates ---------------------------------------------------------------

  function publicBase(): string {
    return (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/$/, "");
  }
  function verifyUrl(code: string): string {
    return `${publicBase()}/xac-minh/${code}`;
  }

  /**
   * The next register number of a centre's year: one upsert … returning, safe under
   * concurrent issue. It never falls below the highest number already in the register,
   * so rows written by an import or a migration of an old register cannot collide.
   */
  async function nextSerial(trx: Database, centreId: number, year: number): Promise<number> {
    const above = sql<number>`(select coalesce(max(serial_no), 0) + 1 from certificate where centre_id = ${centreId} and year = ${year})`;
    const r = await sql<{ last_no: number }>`
      insert into certificate_counter (centre_id, year, last_no) values (${centreId}, ${year}, ${above})
      on conflict (centre_id, year) do update set last_no = greatest(certificate_counter.last_no + 1, ${above})
      returning last_no`.execute(trx);
    return Number(r.rows[0]!.last_no);
  }

  async function insertCertificate(trx: Database, k: Klass, personId: number, issuedOn: string, classification: string | null, actor: Viewer, replaces?: { id: number; reason: string }) {
    const year = registerYear(issuedOn);
    const serial = await nextSerial(trx, k.centre_id, year);
    return trx
      .insertInto("certificate")
      .values({
        centre_id: k.centre_id,
        class_id: k.id,
        person_id: personId,
        programme_code: k.programme_code,
        year,
        serial_no: serial,
        number_label: formatCertificateNumber(serial, k.centre_abbr, year),
        issued_on: issuedOn,
        verification_code: newVerificationCode(),
        created_by: actor.userId,
        classification,
        replaces_id: replaces?.id ?? null,
        reason: replaces?.reason ?? null,
      })
      .returning(["id", "number_label", "verification_code"])
      .executeTakeFirstOrThrow();
  }

  function checkIsoDate(s: string, what: string): string {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(Date.parse(`${s}T00:00:00Z`))) throw new BadRequest(`${what} không hợp lệ: nhập ngày dạng dd/mm/yyyy.`);
    return s;
  }

  async function certificateData(ids: number[]): Promise<CertificateData[]> {
    if (ids.length === 0) return [];
    const rows = await db
      .selectFrom("certificate as z")
      .innerJoin("person as p", "p.id", "z.person_id")
      .innerJoin("training_class as c", "c.id", "z.class_id")
      .select(["z.id", "z.class_id", "z.person_id", "z.number_label", "z.verification_code", "z.issued_on", "z.classification", "p.full_name", "p.birth_date"])
      .where("z.id", "in", ids)
      .execute();
    const classes = new Map<number, Klass>();
    const unitOf = new Map<string, string>();
    for (const r of rows) {
      if (!classes.has(r.class_id)) {
        classes.set(r.class_id, await classScope(r.class_id));
        for (const t of await trainees(r.class_id)) unitOf.set(`${r.class_id}/${t.id}`, t.unit_name);
      }
    }
    const sorted = sortByVietnameseName(rows, (r) => r.full_name);
    return sorted.map((r) => {
      const k = classes.get(r.class_id)!;
      return {
        registerNumber: r.number_label,
        verifyUrl: verifyUrl(r.verification_code),
        fullName: r.full_name,
        birthDate: r.birth_date,
        unitName: unitOf.get(`${r.class_id}/${r.person_id}`) ?? "",
        programmeName: k.programme_name,
        classLabel: k.name,
        fromDate: k.starts_on ?? r.issued_on,
        toDate: k.ends_on ?? k.starts_on ?? r.issued_on,
        classification: r.classification ?? "Đạt yêu cầu",
        issuerHeader: { parentBody: k.unit_name.toLocaleUpperCase("vi"), issuer: k.centre_name.toLocaleUpperCase("vi") },
        place: k.place_name ?? k.unit_name,
        issueDate: r.issued_on,
        signature: { title: "GIÁM ĐỐC", name: k.director_name?.trim() || "………………………" },
      };
    });
  }

  // ---- documents ------------------------------------------------------------------

  function issuerFacts(k: Klass): IssuerFacts {
    return { parentBody: k.unit_name, name: k.centre_name, abbreviation: k.centre_abbr, place: k.place_name ?? k.unit_name, directorName: k.director_name, committeeName: k.unit_name };
  }

  /** A notice or report keeps the number it got the first time (a reprint is the same document). */
  async function documentNumber(k: Klass, docType: "TB" | "BC", unitId: number, viewer: Viewer) {
    return db.transaction().execute(async (trx) => {
      const had = await trx.selectFrom("records_document").selectAll().where("class_id", "=", k.id).where("doc_type", "=", docType).where("unit_id", "=", unitId).executeTakeFirst();
      if (had) return { no: had.no, date: had.issued_on, label: had.label };
      const n = await nextDocumentNumber(trx, { unitId: k.centre_unit_id, docType });
      const date = today();
      await trx.insertInto("records_document").values({ class_id: k.id, doc_type: docType, unit_id: unitId, no: n.no, label: n.label, issued_on: date, created_by: viewer.userId }).execute();
      await audit(trx, { actorId: viewer.userId, action: "class_document.number", entityType: "training_class", entityId: k.id, orgUnitId: k.centre_unit_id, details: { docType, unitId, label: n.label } });
      return { no: n.no, date, label: n.label };
    });
  }

  async function render(doc: Parameters<typeof renderPartyDocumentPdf>[0], format: "pdf" | "docx") {
    return format === "pdf" ? renderPartyDocumentPdf(doc) : renderPartyDocumentDocx(doc);
  }

  return {
    /** What the personal QR on a trainee's call-up letter encodes (staff scan it on the attendance board). */
    async traineeQrPayload(personId: number): Promise<string> {
      return traineeAttendanceQrPayload(personId, await secret());
    },

    /** The trainee's own attendance QR, as an image for their phone screen. */
    async myAttendanceQr(viewer: Viewer) {
      if (!viewer.personId) return null;
      const payload = traineeAttendanceQrPayload(viewer.personId, await secret());
      return { payload, dataUrl: await QRCode.toDataURL(payload, { errorCorrectionLevel: "M", margin: 2, scale: 8 }) };
    },

    /** Classes in the viewer's scope, for the class register's index page. */
    async classesFor(viewer: Viewer) {
      const rows = await db
        .selectFrom("training_class as c")
        .innerJoin("training_centre as t", "t.id", "c.centre_id")
        .innerJoin("org_unit as o", "o.id", "t.org_unit_id")
        .select(["c.id", "c.name", "c.programme_code", "c.starts_on", "c.ends_on", "t.name as centre_name", "o.path"])
        .select((eb) => eb.selectFrom("class_enrolment as e").whereRef("e.class_id", "=", "c.id").select(eb.fn.countAll<number>().as("n")).as("trainees"))
        .orderBy("c.starts_on", "desc")
        .execute();
      return rows.filter((r) => canReach(viewer, READERS, r.path)).map(({ path: _path, ...r }) => ({ ...r, trainees: Number(r.trainees ?? 0) }));
    },

    // ---- timetable ----------------------------------------------------------------

    async timetable(viewer: Viewer, classId: number) {
      const k = await requireClass(viewer, classId, READERS);
      const [o, sessions, s] = await Promise.all([outline(k), sessionsOf(classId), settings(classId)]);
      const rows: TimetableRow[] = sessions.map((x) => ({ onDate: x.on_date, part: x.part, topic: x.topic, periods: x.periods, lecturerName: x.lecturer_name }));
      return {
        klass: { id: k.id, name: k.name, programmeName: k.programme_name, startsOn: k.starts_on, endsOn: k.ends_on },
        sessions,
        options: topicOptions(o),
        outline: o,
        check: checkTimetable(rows, o),
        reason: s.timetableReason,
        suggestion: defaultTimetable(o, k.starts_on ?? today()),
        canEdit: canReach(viewer, ORGANISERS, k.path, { write: true }),
      };
    },

    /**
     * Replaces the timetable. Rows that cannot be saved are refused; a timetable that does
     * not add up to the programme needs a reason. Sessions that already have attendance
     * keep their id (they are updated in place by number), so marks are never lost.
     */
    async saveTimetable(viewer: Viewer, classId: number, rows: TimetableRow[], reason: string | null): Promise<{ ok: true; deviations: string[] } | Problems> {
      const k = await requireClass(viewer, classId, ORGANISERS, true);
      const o = await outline(k);
      const check = checkTimetable(rows, o);
      if (check.errors.length) return { ok: false, problems: check.errors };
      const why = reason?.trim() || null;
      if (check.deviations.length && !why) return { ok: false, problems: [...check.deviations, "Lịch học khác chương trình: hãy ghi lý do điều chỉnh."] };
      const titles = new Map(topicOptions(o).map((t) => [t.topic, t.title]));
      const existing = await sessionsOf(classId);
      const dropped = existing.filter((s) => s.seq > rows.length).map((s) => s.id);
      if (dropped.length) {
        const used = await db.selectFrom("attendance").select("session_id").where("session_id", "in", dropped).limit(1).execute();
        if (used.length) return { ok: false, problems: ["Không thể bỏ bớt buổi học đã có điểm danh. Hãy giữ nguyên số buổi hoặc sửa nội dung buổi đó."] };
      }
      await db.transaction().execute(async (trx) => {
        if (dropped.length) await trx.deleteFrom("class_session").where("id", "in", dropped).execute();
        for (const [i, r] of rows.entries()) {
          const values = { on_date: r.onDate, part: r.part, topic: r.topic, title: titles.get(r.topic)!, periods: r.periods, lecturer_name: r.lecturerName?.trim() || null };
          await trx
            .insertInto("class_session")
            .values({ class_id: classId, seq: i + 1, ...values })
            .onConflict((oc) => oc.columns(["class_id", "seq"]).doUpdateSet(values))
            .execute();
        }
        await upsertSetting(classId, viewer, { timetable_reason: check.deviations.length ? why : null }, trx);
        await audit(trx, { actorId: viewer.userId, action: "timetable.save", entityType: "training_class", entityId: classId, orgUnitId: k.centre_unit_id, reason: why, details: { sessions: rows.length, deviations: check.deviations } });
      });
      return { ok: true, deviations: check.deviations };
    },

    // ---- attendance ---------------------------------------------------------------

    async attendanceBoard(viewer: Viewer, classId: number, sessionId?: number) {
      const k = await requireClass(viewer, classId, READERS);
      const { policy } = await settings(classId);
      const att = await attendanceSummaries(k, policy);
      const current = att.sessions.find((s) => s.id === sessionId) ?? att.sessions.find((s) => s.on_date >= today()) ?? att.sessions[att.sessions.length - 1] ?? null;
      return {
        klass: { id: k.id, name: k.name },
        policy,
        totalPeriods: att.total,
        sessions: att.sessions,
        current,
        canMark: canReach(viewer, MARKERS, k.path, { write: true }),
        trainees: att.people.map((p) => ({
          id: p.id,
          fullName: p.full_name,
          unitName: p.unit_name,
          status: current ? (att.byPerson.get(p.id)?.get(current.id) ?? null) : null,
          summary: att.summaries.get(p.id)!,
        })),
      };
    },

    async markAttendance(viewer: Viewer, input: { sessionId: number; personId: number; status: AttendanceStatus; note?: string | null; method?: AttendanceMethod }) {
      const s = await sessionScope(input.sessionId);
      const k = await requireClass(viewer, s.class_id, MARKERS, true);
      if (!ATTENDANCE_STATUSES.includes(input.status)) throw new BadRequest("Trạng thái điểm danh không hợp lệ.");
      const enrolled = await db.selectFrom("class_enrolment").select("person_id").where("class_id", "=", k.id).where("person_id", "=", input.personId).executeTakeFirst();
      if (!enrolled) throw new BadRequest("Người này không phải học viên của lớp.");
      const values = { status: input.status, method: input.method ?? ("manual" as const), note: input.note?.trim() || null, marked_by: viewer.userId, marked_at: clock.now() };
      await db
        .insertInto("attendance")
        .values({ session_id: s.id, person_id: input.personId, ...values })
        .onConflict((oc) => oc.columns(["session_id", "person_id"]).doUpdateSet(values))
        .execute();
    },

    /** Staff scan a trainee's personal QR with the phone camera: marks "có mặt". */
    async scanTrainee(viewer: Viewer, sessionId: number, payload: string): Promise<{ ok: true; fullName: string; already: boolean } | { ok: false; message: string }> {
      const s = await sessionScope(sessionId);
      const k = await requireClass(viewer, s.class_id, MARKERS, true);
      const personId = parseTraineeQr(payload, await secret());
      if (personId === null) return { ok: false, message: "Mã QR này không phải mã học viên của hệ thống." };
      const p = (await trainees(k.id)).find((t) => t.id === personId);
      if (!p) return { ok: false, message: "Học viên này không thuộc lớp." };
      const changed = await markPresent(s.id, personId, "staff_scan", viewer.userId);
      return { ok: true, fullName: p.full_name, already: !changed };
    },

    /** The rotating code the projector shows (staff only). */
    async classQr(viewer: Viewer, sessionId: number) {
      const s = await sessionScope(sessionId);
      await requireClass(viewer, s.class_id, MARKERS, true);
      const k = await classScope(s.class_id);
      const code = classQrCode(await secret(), s.id, clock.now());
      const path = classQrPath(code);
      // The projector's QR carries the full address so any phone camera app opens it.
      const url = `${publicBase()}${path}`;
      return { ...code, path, url, dataUrl: await QRCode.toDataURL(url, { errorCorrectionLevel: "M", margin: 2, scale: 10 }), className: k.name, sessionTitle: `Buổi ${s.seq}: ${s.title}`, onDate: s.on_date, part: s.part };
    },

    /** A trainee, logged in on their own phone, checks in with the class code: present once. */
    async checkIn(viewer: Viewer, input: { s: number; t: number; h: string }): Promise<{ ok: true; already: boolean; className: string; sessionTitle: string } | { ok: false; message: string }> {
      if (!viewer.personId) return { ok: false, message: "Tài khoản này không gắn với học viên nào." };
      const s = await db.selectFrom("class_session").selectAll().where("id", "=", Number.isInteger(input.s) ? input.s : -1).executeTakeFirst();
      if (!s) return { ok: false, message: "Mã điểm danh không hợp lệ. Hãy quét lại mã đang chiếu trên màn hình." };
      const check = verifyClassQr(await secret(), s.id, input, clock.now());
      if (!check.ok) return check;
      const k = await classScope(s.class_id);
      const enrolled = await db.selectFrom("class_enrolment").select("person_id").where("class_id", "=", k.id).where("person_id", "=", viewer.personId).executeTakeFirst();
      if (!enrolled) return { ok: false, message: "Bạn không có tên trong lớp này nên không điểm danh được." };
      if (s.on_date !== today()) return { ok: false, message: "Buổi học này không diễn ra hôm nay." };
      const changed = await markPresent(s.id, viewer.personId, "class_qr", viewer.userId);
      return { ok: true, already: !changed, className: k.name, sessionTitle: `Buổi ${s.seq}: ${s.title}` };
    },

    // ---- conduct and policy ---------------------------------------------------------

    async conduct(viewer: Viewer, classId: number) {
      await requireClass(viewer, classId, READERS);
      return db
        .selectFrom("conduct_record as r")
        .innerJoin("person as p", "p.id", "r.person_id")
        .select(["r.id", "r.person_id", "p.full_name", "r.severity", "r.description", "r.recorded_at"])
        .where("r.class_id", "=", classId)
        .orderBy("r.recorded_at")
        .execute();
    },

    async addConduct(viewer: Viewer, input: { classId: number; personId: number; severity: "minor" | "serious"; description: string }) {
      const k = await requireClass(viewer, input.classId, ORGANISERS, true);
      const description = input.description.trim();
      if (description.length < 5) throw new BadRequest("Hãy mô tả vi phạm (ít nhất 5 ký tự).");
      if (input.severity !== "minor" && input.severity !== "serious") throw new BadRequest("Mức độ vi phạm không hợp lệ.");
      const enrolled = await db.selectFrom("class_enrolment").select("person_id").where("class_id", "=", k.id).where("person_id", "=", input.personId).executeTakeFirst();
      if (!enrolled) throw new BadRequest("Người này không phải học viên của lớp.");
      await db.transaction().execute(async (trx) => {
        const r = await trx.insertInto("conduct_record").values({ class_id: k.id, person_id: input.personId, severity: input.severity, description, recorded_by: viewer.userId }).returning("id").executeTakeFirstOrThrow();
        await audit(trx, { actorId: viewer.userId, action: "conduct.record", entityType: "conduct_record", entityId: r.id, orgUnitId: k.centre_unit_id, reason: description, details: { personId: input.personId, severity: input.severity } });
      });
    },

    async policy(viewer: Viewer, classId: number) {
      await requireClass(viewer, classId, READERS);
      const s = await settings(classId);
      return { policy: s.policy, stored: s.storedPolicy, defaults: DEFAULT_RECORDS_POLICY };
    },

    async savePolicy(viewer: Viewer, classId: number, policy: unknown): Promise<{ ok: true } | Problems> {
      const k = await requireClass(viewer, classId, ORGANISERS, true);
      const parsed = recordsPolicySchema.safeParse(policy);
      if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((i) => i.message) };
      await db.transaction().execute(async (trx) => {
        await upsertSetting(classId, viewer, { policy: JSON.stringify(parsed.data) }, trx);
        await audit(trx, { actorId: viewer.userId, action: "class_policy.save", entityType: "training_class", entityId: classId, orgUnitId: k.centre_unit_id, details: parsed.data as unknown as Record<string, unknown> });
      });
      return { ok: true };
    },

    // ---- results --------------------------------------------------------------------

    async computeResults(viewer: Viewer, classId: number) {
      const k = await requireClass(viewer, classId, ORGANISERS, true);
      const rows = await computeAndStore(k, viewer);
      await deps.figures?.classChanged(k.id);
      return rows.length;
    },

    async results(viewer: Viewer, classId: number) {
      const k = await requireClass(viewer, classId, READERS);
      const { policy } = await settings(classId);
      const lines = await resultLines(k);
      const computed = await db.selectFrom("class_result").select(sql<Date>`max(computed_at)`.as("at")).where("class_id", "=", classId).executeTakeFirst();
      return {
        klass: { id: k.id, name: k.name, programmeName: k.programme_name },
        policy,
        computedAt: computed?.at ?? null,
        canEdit: canReach(viewer, ORGANISERS, k.path, { write: true }),
        lines: lines.map((l) => ({ ...l, outcomeLabel: OUTCOME_LABELS[l.outcome], scoreText: l.score === null ? "" : formatScore(l.score) })),
      };
    },

    // ---- certificates -------------------------------------------------------------------

    async register(viewer: Viewer, classId: number) {
      const k = await requireClass(viewer, classId, READERS);
      const rows = await db
        .selectFrom("certificate as z")
        .innerJoin("person as p", "p.id", "z.person_id")
        .select(["z.id", "z.person_id", "p.full_name", "z.number_label", "z.serial_no", "z.year", "z.issued_on", "z.status", "z.reason", "z.replaces_id", "z.classification", "z.verification_code"])
        .where("z.class_id", "=", classId)
        .orderBy("z.year")
        .orderBy("z.serial_no")
        .execute();
      const lines = await resultLines(k);
      const holders = new Set(rows.filter((r) => r.status === "valid").map((r) => r.person_id));
      return {
        klass: { id: k.id, name: k.name },
        canEdit: canReach(viewer, ORGANISERS, k.path, { write: true }),
        certificates: rows.map((r) => ({ ...r, verifyPath: `/xac-minh/${r.verification_code}` })),
        awaiting: lines.filter((l) => l.outcome === "passed" && !holders.has(l.personId)).map((l) => ({ personId: l.personId, fullName: l.fullName })),
        // A certificate prints the birth date: a blank or bad one is flagged on it and named here to fix.
        birthDatesToFix: birthDatesToFix(
          lines.filter((l) => l.outcome === "passed").map((l) => ({ personId: l.personId, fullName: l.fullName, unitName: l.unitName, birthDate: l.birthDate })),
          vnDay(clock.now()),
        ),
      };
    },

    /** Issues certificates to every passed trainee who has none for the programme yet. Returns how many. */
    async issueForClass(viewer: Viewer, classId: number, issuedOn: string) {
      const k = await requireClass(viewer, classId, ORGANISERS, true);
      checkIsoDate(issuedOn, "Ngày cấp");
      const lines = (await resultLines(k)).filter((l) => l.outcome === "passed");
      if (lines.length === 0) throw new BadRequest("Chưa có học viên nào đạt yêu cầu: hãy tính kết quả trước khi cấp giấy chứng nhận.");
      const out = await db.transaction().execute(async (trx) => {
        // One issue run per class at a time: a double click must not race to the unique index.
        await trx.selectFrom("training_class").select("id").where("id", "=", k.id).forUpdate().execute();
        const holders = new Set(
          (await trx.selectFrom("certificate").select("person_id").where("programme_code", "=", k.programme_code).where("status", "=", "valid").where("person_id", "in", lines.map((l) => l.personId)).execute()).map((r) => r.person_id),
        );
        const issued: string[] = [];
        for (const l of lines) {
          if (holders.has(l.personId)) continue;
          const c = await insertCertificate(trx, k, l.personId, issuedOn, l.bandLabel, viewer);
          issued.push(c.number_label);
          await audit(trx, { actorId: viewer.userId, action: "certificate.issue", entityType: "certificate", entityId: c.id, orgUnitId: k.centre_unit_id, details: { personId: l.personId, number: c.number_label } });
        }
        return { issued: issued.length, numbers: issued };
      });
      await deps.figures?.classChanged(k.id);
      return out;
    },

    /**
     * Reissue (wrong, lost, damaged): the old one is superseded, a new number is given, the reason logged.
     * `classId`: the class whose register the action came from; a certificate of another class is
     * "not found" there, so a register page acts only on its own rows.
     */
    async reissue(viewer: Viewer, certificateId: number, reason: string, classId?: number) {
      const why = reason.trim();
      if (why.length < 5) throw new BadRequest("Hãy ghi lý do cấp lại (ít nhất 5 ký tự), ví dụ: sai ngày sinh, mất, hỏng.");
      const old = await db.selectFrom("certificate").selectAll().where("id", "=", certificateId).executeTakeFirst();
      if (!old || (classId !== undefined && old.class_id !== classId)) throw new NotFound("Không có giấy chứng nhận này trong lớp.");
      const k = await requireClass(viewer, old.class_id, ORGANISERS, true);
      if (old.status !== "valid") throw new BadRequest("Chỉ cấp lại được giấy chứng nhận đang có hiệu lực.");
      const out = await db.transaction().execute(async (trx) => {
        const upd = await trx.updateTable("certificate").set({ status: "superseded", revoked_at: clock.now() }).where("id", "=", old.id).where("status", "=", "valid").executeTakeFirst();
        if (Number(upd.numUpdatedRows) !== 1) throw new BadRequest("Giấy chứng nhận này vừa được người khác thay đổi; hãy tải lại trang.");
        const c = await insertCertificate(trx, k, old.person_id, today(), old.classification, viewer, { id: old.id, reason: why });
        await audit(trx, { actorId: viewer.userId, action: "certificate.reissue", entityType: "certificate", entityId: c.id, orgUnitId: k.centre_unit_id, reason: why, details: { replaces: old.number_label, number: c.number_label } });
        return { id: c.id, number: c.number_label };
      });
      await deps.figures?.classChanged(k.id);
      return out;
    },

    async revoke(viewer: Viewer, certificateId: number, reason: string, classId?: number) {
      const why = reason.trim();
      if (why.length < 5) throw new BadRequest("Hãy ghi lý do thu hồi (ít nhất 5 ký tự).");
      const old = await db.selectFrom("certificate").selectAll().where("id", "=", certificateId).executeTakeFirst();
      if (!old || (classId !== undefined && old.class_id !== classId)) throw new NotFound("Không có giấy chứng nhận này trong lớp.");
      const k = await requireClass(viewer, old.class_id, ORGANISERS, true);
      if (old.status !== "valid") throw new BadRequest("Giấy chứng nhận này đã không còn hiệu lực.");
      await db.transaction().execute(async (trx) => {
        await trx.updateTable("certificate").set({ status: "revoked", reason: why, revoked_at: clock.now() }).where("id", "=", old.id).execute();
        await audit(trx, { actorId: viewer.userId, action: "certificate.revoke", entityType: "certificate", entityId: old.id, orgUnitId: k.centre_unit_id, reason: why, details: { number: old.number_label } });
      });
      await deps.figures?.classChanged(k.id);
    },

    /**
     * One PDF with every valid certificate of a class (bulk print), sorted by name.
     * Not gated on the course survey: this is the centre printing the certificates it
     * issued by decision for the closing ceremony. The survey rule conditions the
     * trainee's own download, not the award (docs/class-records.md): one missing answer
     * must not hold up a whole class's printing, and staff cannot answer for a trainee.
     */
    async classCertificatesPdf(viewer: Viewer, classId: number, onProgress?: (done: number, total: number) => void) {
      const k = await requireClass(viewer, classId, ORGANISERS);
      const ids = (await db.selectFrom("certificate").select("id").where("class_id", "=", classId).where("status", "=", "valid").execute()).map((r) => r.id);
      if (ids.length === 0) throw new BadRequest("Lớp chưa có giấy chứng nhận nào.");
      const data = await certificateData(ids);
      return { bytes: await renderCertificatesPdf(data, { onProgress }), fileName: `giay-chung-nhan-lop-${k.id}.pdf`, count: data.length };
    },

    /**
     * A single certificate, as the trainee's pages hand it out: its holder, or the centre
     * on the holder's behalf. Both wait for a survey the class requires (issue 13, item
     * 10). The centre's class print (`classCertificatesPdf`) is not gated: see there.
     */
    async certificatePdf(viewer: Viewer, certificateId: number) {
      const c = await db.selectFrom("certificate").selectAll().where("id", "=", certificateId).executeTakeFirst();
      if (!c) throw new NotFound("Không có giấy chứng nhận này.");
      const own = viewer.personId !== null && viewer.personId === c.person_id;
      if (!own) await requireClass(viewer, c.class_id, ORGANISERS);
      if (c.status !== "valid") throw new BadRequest("Giấy chứng nhận này không còn hiệu lực.");
      const survey = await pendingCertificateSurvey(db, c.person_id, c.class_id);
      if (survey) throw new SurveyRequired(survey);
      const data = await certificateData([c.id]);
      return { bytes: await renderCertificatesPdf(data), fileName: `giay-chung-nhan-${c.number_label.replace(/[^0-9A-Za-z]+/g, "-")}.pdf` };
    },

    /** The trainee's own certificates (valid ones) and results. */
    async myCertificates(viewer: Viewer) {
      if (!viewer.personId) return [];
      const personId = viewer.personId;
      const rows = await db
        .selectFrom("certificate as z")
        .innerJoin("training_class as c", "c.id", "z.class_id")
        .innerJoin("programme as p", "p.code", "z.programme_code")
        .select(["z.id", "z.class_id", "z.number_label", "z.issued_on", "z.classification", "z.verification_code", "c.name as class_name", "p.name as programme_name"])
        .where("z.person_id", "=", personId)
        .where("z.status", "=", "valid")
        .orderBy("z.issued_on", "desc")
        .execute();
      // A trainee holds a handful of certificates: one small gate query each.
      const out = [];
      for (const r of rows) out.push({ ...r, surveyRequired: await pendingCertificateSurvey(db, personId, r.class_id) });
      return out;
    },

    /** Public verification (no login): only name, programme, class, number, date, validity. */
    async verify(code: string) {
      const c = code.trim().toUpperCase();
      // Codes of this register are 16 characters (isVerificationCode); older registers may carry others.
      if (!isVerificationCode(c) && !/^[0-9A-Z]{8,32}$/.test(c)) return null;
      const r = await db
        .selectFrom("certificate as z")
        .innerJoin("person as p", "p.id", "z.person_id")
        .innerJoin("training_class as c", "c.id", "z.class_id")
        .innerJoin("programme as g", "g.code", "z.programme_code")
        .innerJoin("training_centre as t", "t.id", "z.centre_id")
        .select(["p.full_name", "g.name as programme_name", "c.name as class_name", "z.number_label", "z.issued_on", "z.status", "t.name as centre_name"])
        .where("z.verification_code", "=", c)
        .executeTakeFirst();
      if (!r) return null;
      return {
        fullName: r.full_name,
        programmeName: r.programme_name,
        className: r.class_name,
        centreName: r.centre_name,
        number: r.number_label,
        issuedOn: r.issued_on,
        status: r.status,
        valid: r.status === "valid",
      };
    },

    // ---- official documents ----------------------------------------------------------

    async documents(viewer: Viewer, classId: number) {
      const k = await requireClass(viewer, classId, READERS);
      const lines = await resultLines(k);
      const units = new Map<number, { unitId: number; unitName: string; count: number }>();
      for (const l of lines) {
        const u = units.get(l.unitId) ?? { unitId: l.unitId, unitName: l.unitName, count: 0 };
        u.count++;
        units.set(l.unitId, u);
      }
      const numbered = await db.selectFrom("records_document").selectAll().where("class_id", "=", classId).execute();
      const s = await settings(classId);
      return {
        klass: { id: k.id, name: k.name },
        units: [...units.values()].sort((a, b) => a.unitName.localeCompare(b.unitName, "vi")),
        numbered: numbered.map((d) => ({ docType: d.doc_type, unitId: d.unit_id, label: d.label, issuedOn: d.issued_on })),
        templates: s.templates,
        canEdit: canReach(viewer, ORGANISERS, k.path, { write: true }),
        // Flagged in the notices and the report (a bad or blank birth date): named on the page to fix.
        birthDatesToFix: birthDatesToFix(
          lines.map((l) => ({ personId: l.personId, fullName: l.fullName, unitName: l.unitName, birthDate: l.birthDate })),
          vnDay(clock.now()),
        ),
      };
    },

    async saveTemplates(viewer: Viewer, classId: number, templates: Partial<Record<TemplateKey, string>>): Promise<{ ok: true } | Problems> {
      const k = await requireClass(viewer, classId, ORGANISERS, true);
      const clean: Partial<Record<TemplateKey, string>> = {};
      const problems: string[] = [];
      for (const key of Object.keys(DEFAULT_TEMPLATES) as TemplateKey[]) {
        const v = templates[key]?.normalize("NFC").trim();
        if (!v) continue;
        problems.push(...templateProblems(v));
        if (v !== DEFAULT_TEMPLATES[key]) clean[key] = v;
      }
      if (problems.length) return { ok: false, problems };
      await db.transaction().execute(async (trx) => {
        await upsertSetting(classId, viewer, { templates: JSON.stringify(clean) }, trx);
        await audit(trx, { actorId: viewer.userId, action: "class_templates.save", entityType: "training_class", entityId: classId, orgUnitId: k.centre_unit_id });
      });
      return { ok: true };
    },

    /** The results notice for one sending unit (organisers; or the unit's own secretary/board). */
    async resultsNotice(viewer: Viewer, classId: number, unitId: number, format: "pdf" | "docx") {
      const k = await requireClass(viewer, classId, ORGANISERS, true);
      const lines = (await resultLines(k)).filter((l) => l.unitId === unitId);
      if (lines.length === 0) throw new NotFound("Đơn vị này không có học viên trong lớp.");
      const n = await documentNumber(k, "TB", unitId, viewer);
      const { templates } = await settings(classId);
      const doc = resultsNotice(issuerFacts(k), { seq: n.no, date: n.date }, { name: k.name, programmeName: k.programme_name, startsOn: k.starts_on, endsOn: k.ends_on }, lines[0]!.unitName, lines, templates);
      return { bytes: await render(doc, format), fileName: `thong-bao-ket-qua-${k.id}-${unitId}.${format}`, number: n.label };
    },

    async classReport(viewer: Viewer, classId: number, format: "pdf" | "docx") {
      const k = await requireClass(viewer, classId, ORGANISERS, true);
      const { policy, templates } = await settings(classId);
      const lines = await resultLines(k);
      const att = await attendanceSummaries(k, policy);
      let marked = 0;
      let present = 0;
      for (const m of att.byPerson.values())
        for (const st of m.values()) {
          marked++;
          if (st === "co_mat" || st === "di_muon") present++;
        }
      const n = await documentNumber(k, "BC", 0, viewer);
      const doc = classReport(
        issuerFacts(k),
        { seq: n.no, date: n.date },
        { name: k.name, programmeName: k.programme_name, startsOn: k.starts_on, endsOn: k.ends_on },
        lines,
        policy.bands.map((b) => b.label),
        { sessions: att.sessions.length, presentShare: marked ? present / marked : 0 },
        templates,
      );
      return { bytes: await render(doc, format), fileName: `bao-cao-ket-qua-lop-${k.id}.${format}`, number: n.label };
    },

    /** The results list as a spreadsheet (sorted the Vietnamese way). */
    async resultsXlsx(viewer: Viewer, classId: number) {
      const k = await requireClass(viewer, classId, READERS);
      const lines = await resultLines(k);
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet("Kết quả học tập");
      ws.columns = [
        { header: "TT", key: "tt", width: 5 },
        { header: "Họ và tên", key: "name", width: 28 },
        { header: "Ngày sinh", key: "birth", width: 12 },
        { header: "Đơn vị cử đi học", key: "unit", width: 32 },
        { header: "Số tiết vắng", key: "absent", width: 12 },
        { header: "Điểm", key: "score", width: 8 },
        { header: "Xếp loại", key: "band", width: 12 },
        { header: "Kết quả", key: "outcome", width: 20 },
        { header: "Lý do", key: "reason", width: 50 },
        { header: "Số GCN", key: "cert", width: 16 },
      ];
      ws.getRow(1).font = { bold: true };
      lines.forEach((l, i) =>
        ws.addRow({
          tt: i + 1,
          name: l.fullName,
          birth: l.birthDate ? l.birthDate.split("-").reverse().join("/") : "",
          unit: l.unitName,
          absent: l.absentPeriods,
          score: l.score,
          band: l.bandLabel ?? "",
          outcome: OUTCOME_LABELS[l.outcome],
          reason: l.outcome === "passed" ? "" : (l.failReason ?? ""),
          cert: l.certificateNumber ?? "",
        }),
      );
      return { bytes: new Uint8Array(await wb.xlsx.writeBuffer()), fileName: `ket-qua-hoc-tap-lop-${k.id}.xlsx` };
    },

    /** Classes the viewer may manage here (for the menu page). */
    async canManage(viewer: Viewer) {
      return hasRole(viewer, MARKERS);
    },

    labels: { attendance: ATTENDANCE_LABELS, outcome: OUTCOME_LABELS, docTypes: DOCUMENT_TYPES },
  };
}

export type ClassRecordsService = ReturnType<typeof createClassRecordsService>;
export type { Database, Clock };
