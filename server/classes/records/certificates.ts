import { sql } from "kysely";
import type { Database } from "../../db";
import type { Config } from "../../config";
import type { Viewer } from "../../auth/scope";
import { canReach } from "../../auth/scope";
import { BadRequest, NotFound } from "../../errors";
import { audit } from "../../audit/log";
import { birthDatesToFix } from "../../rules/birth-date";
import { vnDay } from "../../rules/dates";
import { sortByVietnameseName } from "../../rules/vietnamese-names";
import { renderCertificatesPdf, type CertificateData } from "../../documents/certificate";
import { pendingCertificateSurvey, SurveyRequired } from "../../surveys/certificate-gate";
import { formatCertificateNumber, isVerificationCode, newVerificationCode, registerYear } from "../certificate-numbering";
import { OUTCOME_LABELS } from "../classification";
import { ORGANISERS, publicBase, READERS, today, type RecordsContext } from "./context";
import { classScope, requireClass, type Klass } from "./scope";
import { resultLines } from "./results";
import { trainees } from "./trainees";

/** The certificate register: issue, reissue, revoke, print, the trainee's own, and public verification. */

export function verifyUrl(config: Config, code: string): string {
  return `${publicBase(config)}/xac-minh/${code}`;
}

/**
 * The next register number of a centre's year: one upsert … returning, safe under
 * concurrent issue. It never falls below the highest number already in the register,
 * so rows written by an import or a migration of an old register cannot collide.
 */
export async function nextSerial(trx: Database, centreId: number, year: number): Promise<number> {
  const above = sql<number>`(select coalesce(max(serial_no), 0) + 1 from certificate where centre_id = ${centreId} and year = ${year})`;
  const r = await sql<{ last_no: number }>`
    insert into certificate_counter (centre_id, year, last_no) values (${centreId}, ${year}, ${above})
    on conflict (centre_id, year) do update set last_no = greatest(certificate_counter.last_no + 1, ${above})
    returning last_no`.execute(trx);
  return Number(r.rows[0]!.last_no);
}

export async function insertCertificate(
  trx: Database,
  k: Klass,
  personId: number,
  issuedOn: string,
  classification: string | null,
  actor: Viewer,
  replaces?: { id: number; reason: string },
) {
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

export function checkIsoDate(s: string, what: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(Date.parse(`${s}T00:00:00Z`)))
    throw new BadRequest(`${what} không hợp lệ: nhập ngày dạng dd/mm/yyyy.`);
  return s;
}

/** What a certificate prints, for each id (sorted by name): holder, class, issuer, the verification address. */
export async function certificateData(db: Database, config: Config, ids: number[]): Promise<CertificateData[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom("certificate as z")
    .innerJoin("person as p", "p.id", "z.person_id")
    .innerJoin("training_class as c", "c.id", "z.class_id")
    .select([
      "z.id",
      "z.class_id",
      "z.person_id",
      "z.number_label",
      "z.verification_code",
      "z.issued_on",
      "z.classification",
      "p.full_name",
      "p.birth_date",
    ])
    .where("z.id", "in", ids)
    .execute();
  const classes = new Map<number, Klass>();
  const unitOf = new Map<string, string>();
  for (const r of rows) {
    if (!classes.has(r.class_id)) {
      classes.set(r.class_id, await classScope(db, r.class_id));
      for (const t of await trainees(db, r.class_id)) unitOf.set(`${r.class_id}/${t.id}`, t.unit_name);
    }
  }
  const sorted = sortByVietnameseName(rows, (r) => r.full_name);
  return sorted.map((r) => {
    const k = classes.get(r.class_id)!;
    return {
      registerNumber: r.number_label,
      verifyUrl: verifyUrl(config, r.verification_code),
      fullName: r.full_name,
      birthDate: r.birth_date,
      unitName: unitOf.get(`${r.class_id}/${r.person_id}`) ?? "",
      programmeName: k.programme_name,
      classLabel: k.name,
      fromDate: k.starts_on ?? r.issued_on,
      toDate: k.ends_on ?? k.starts_on ?? r.issued_on,
      classification: r.classification ?? OUTCOME_LABELS.passed,
      issuerHeader: { parentBody: k.unit_name.toLocaleUpperCase("vi"), issuer: k.centre_name.toLocaleUpperCase("vi") },
      place: k.place_name ?? k.unit_name,
      issueDate: r.issued_on,
      signature: { title: "GIÁM ĐỐC", name: k.director_name?.trim() || "………………………" },
    };
  });
}

export function certificateMethods(ctx: RecordsContext) {
  const { db, clock, config, figures } = ctx;
  return {
    async register(viewer: Viewer, classId: number) {
      const k = await requireClass(db, viewer, classId, READERS);
      const rows = await db
        .selectFrom("certificate as z")
        .innerJoin("person as p", "p.id", "z.person_id")
        .select([
          "z.id",
          "z.person_id",
          "p.full_name",
          "z.number_label",
          "z.serial_no",
          "z.year",
          "z.issued_on",
          "z.status",
          "z.reason",
          "z.replaces_id",
          "z.classification",
          "z.verification_code",
        ])
        .where("z.class_id", "=", classId)
        .orderBy("z.year")
        .orderBy("z.serial_no")
        .execute();
      const lines = await resultLines(db, k);
      const holders = new Set(rows.filter((r) => r.status === "valid").map((r) => r.person_id));
      return {
        klass: { id: k.id, name: k.name },
        canEdit: canReach(viewer, ORGANISERS, k.path, { write: true }),
        certificates: rows.map((r) => ({ ...r, verifyPath: `/xac-minh/${r.verification_code}` })),
        awaiting: lines
          .filter((l) => l.outcome === "passed" && !holders.has(l.personId))
          .map((l) => ({ personId: l.personId, fullName: l.fullName })),
        // A certificate prints the birth date: a blank or bad one is flagged on it and named here to fix.
        birthDatesToFix: birthDatesToFix(
          lines
            .filter((l) => l.outcome === "passed")
            .map((l) => ({ personId: l.personId, fullName: l.fullName, unitName: l.unitName, birthDate: l.birthDate })),
          vnDay(clock.now()),
        ),
      };
    },

    /** Issues certificates to every passed trainee who has none for the programme yet. Returns how many. */
    async issueForClass(viewer: Viewer, classId: number, issuedOn: string) {
      const k = await requireClass(db, viewer, classId, ORGANISERS, true);
      checkIsoDate(issuedOn, "Ngày cấp");
      const lines = (await resultLines(db, k)).filter((l) => l.outcome === "passed");
      if (lines.length === 0) throw new BadRequest("Chưa có học viên nào đạt yêu cầu: hãy tính kết quả trước khi cấp giấy chứng nhận.");
      const out = await db.transaction().execute(async (trx) => {
        // One issue run per class at a time: a double click must not race to the unique index.
        await trx.selectFrom("training_class").select("id").where("id", "=", k.id).forUpdate().execute();
        const holders = new Set(
          (
            await trx
              .selectFrom("certificate")
              .select("person_id")
              .where("programme_code", "=", k.programme_code)
              .where("status", "=", "valid")
              .where(
                "person_id",
                "in",
                lines.map((l) => l.personId),
              )
              .execute()
          ).map((r) => r.person_id),
        );
        const issued: string[] = [];
        for (const l of lines) {
          if (holders.has(l.personId)) continue;
          const c = await insertCertificate(trx, k, l.personId, issuedOn, l.bandLabel, viewer);
          issued.push(c.number_label);
          await audit(trx, {
            actorId: viewer.userId,
            action: "certificate.issue",
            entityType: "certificate",
            entityId: c.id,
            orgUnitId: k.centre_unit_id,
            details: { personId: l.personId, number: c.number_label },
          });
        }
        return { issued: issued.length, numbers: issued };
      });
      await figures?.classChanged(k.id);
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
      const k = await requireClass(db, viewer, old.class_id, ORGANISERS, true);
      if (old.status !== "valid") throw new BadRequest("Chỉ cấp lại được giấy chứng nhận đang có hiệu lực.");
      const out = await db.transaction().execute(async (trx) => {
        const upd = await trx
          .updateTable("certificate")
          .set({ status: "superseded", revoked_at: clock.now() })
          .where("id", "=", old.id)
          .where("status", "=", "valid")
          .executeTakeFirst();
        if (Number(upd.numUpdatedRows) !== 1) throw new BadRequest("Giấy chứng nhận này vừa được người khác thay đổi; hãy tải lại trang.");
        const c = await insertCertificate(trx, k, old.person_id, today(clock), old.classification, viewer, { id: old.id, reason: why });
        await audit(trx, {
          actorId: viewer.userId,
          action: "certificate.reissue",
          entityType: "certificate",
          entityId: c.id,
          orgUnitId: k.centre_unit_id,
          reason: why,
          details: { replaces: old.number_label, number: c.number_label },
        });
        return { id: c.id, number: c.number_label };
      });
      await figures?.classChanged(k.id);
      return out;
    },

    async revoke(viewer: Viewer, certificateId: number, reason: string, classId?: number) {
      const why = reason.trim();
      if (why.length < 5) throw new BadRequest("Hãy ghi lý do thu hồi (ít nhất 5 ký tự).");
      const old = await db.selectFrom("certificate").selectAll().where("id", "=", certificateId).executeTakeFirst();
      if (!old || (classId !== undefined && old.class_id !== classId)) throw new NotFound("Không có giấy chứng nhận này trong lớp.");
      const k = await requireClass(db, viewer, old.class_id, ORGANISERS, true);
      if (old.status !== "valid") throw new BadRequest("Giấy chứng nhận này đã không còn hiệu lực.");
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable("certificate")
          .set({ status: "revoked", reason: why, revoked_at: clock.now() })
          .where("id", "=", old.id)
          .execute();
        await audit(trx, {
          actorId: viewer.userId,
          action: "certificate.revoke",
          entityType: "certificate",
          entityId: old.id,
          orgUnitId: k.centre_unit_id,
          reason: why,
          details: { number: old.number_label },
        });
      });
      await figures?.classChanged(k.id);
    },

    /**
     * One PDF with every valid certificate of a class (bulk print), sorted by name.
     * Not gated on the course survey: this is the centre printing the certificates it
     * issued by decision for the closing ceremony. The survey rule conditions the
     * trainee's own download, not the award (docs/class-records.md): one missing answer
     * must not hold up a whole class's printing, and staff cannot answer for a trainee.
     */
    async classCertificatesPdf(viewer: Viewer, classId: number, onProgress?: (done: number, total: number) => void) {
      const k = await requireClass(db, viewer, classId, ORGANISERS);
      const ids = (
        await db.selectFrom("certificate").select("id").where("class_id", "=", classId).where("status", "=", "valid").execute()
      ).map((r) => r.id);
      if (ids.length === 0) throw new BadRequest("Lớp chưa có giấy chứng nhận nào.");
      const data = await certificateData(db, config, ids);
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
      if (!own) await requireClass(db, viewer, c.class_id, ORGANISERS);
      if (c.status !== "valid") throw new BadRequest("Giấy chứng nhận này không còn hiệu lực.");
      const survey = await pendingCertificateSurvey(db, c.person_id, c.class_id);
      if (survey) throw new SurveyRequired(survey);
      const data = await certificateData(db, config, [c.id]);
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
        .select([
          "z.id",
          "z.class_id",
          "z.number_label",
          "z.issued_on",
          "z.classification",
          "z.verification_code",
          "c.name as class_name",
          "p.name as programme_name",
        ])
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
        .select([
          "p.full_name",
          "g.name as programme_name",
          "c.name as class_name",
          "z.number_label",
          "z.issued_on",
          "z.status",
          "t.name as centre_name",
        ])
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
  };
}
