import type { Database } from "../../db";
import type { Clock } from "../../clock";
import type { Viewer } from "../../auth/scope";
import { canReach } from "../../auth/scope";
import { NotFound } from "../../errors";
import { audit } from "../../audit/log";
import { birthDatesToFix } from "../../rules/birth-date";
import { vnDay } from "../../rules/dates";
import { renderPartyDocumentPdf } from "../../documents/pdf";
import { renderPartyDocumentDocx } from "../../documents/docx";
import { nextDocumentNumber } from "../numbering";
import { classReport, DEFAULT_TEMPLATES, resultsNotice, templateProblems, type IssuerFacts, type TemplateKey } from "../official-documents";
import { ORGANISERS, READERS, today, type Problems, type RecordsContext } from "./context";
import { requireClass, type Klass } from "./scope";
import { settings, upsertSetting } from "./settings";
import { resultLines } from "./results";
import { attendanceSummaries } from "./trainees";

/** Official documents: the results notice per sending unit and the class report, numbered once; their templates. */

export function issuerFacts(k: Klass): IssuerFacts {
  return {
    parentBody: k.unit_name,
    name: k.centre_name,
    abbreviation: k.centre_abbr,
    place: k.place_name ?? k.unit_name,
    directorName: k.director_name,
    committeeName: k.unit_name,
  };
}

/** A notice or report keeps the number it got the first time (a reprint is the same document). */
export async function documentNumber(db: Database, clock: Clock, k: Klass, docType: "TB" | "BC", unitId: number, viewer: Viewer) {
  return db.transaction().execute(async (trx) => {
    const had = await trx
      .selectFrom("records_document")
      .selectAll()
      .where("class_id", "=", k.id)
      .where("doc_type", "=", docType)
      .where("unit_id", "=", unitId)
      .executeTakeFirst();
    if (had) return { no: had.no, date: had.issued_on, label: had.label };
    const n = await nextDocumentNumber(trx, { unitId: k.centre_unit_id, docType });
    const date = today(clock);
    await trx
      .insertInto("records_document")
      .values({ class_id: k.id, doc_type: docType, unit_id: unitId, no: n.no, label: n.label, issued_on: date, created_by: viewer.userId })
      .execute();
    await audit(trx, {
      actorId: viewer.userId,
      action: "class_document.number",
      entityType: "training_class",
      entityId: k.id,
      orgUnitId: k.centre_unit_id,
      details: { docType, unitId, label: n.label },
    });
    return { no: n.no, date, label: n.label };
  });
}

export async function render(doc: Parameters<typeof renderPartyDocumentPdf>[0], format: "pdf" | "docx") {
  return format === "pdf" ? renderPartyDocumentPdf(doc) : renderPartyDocumentDocx(doc);
}

export function documentMethods(ctx: RecordsContext) {
  const { db, clock } = ctx;
  return {
    async documents(viewer: Viewer, classId: number) {
      const k = await requireClass(db, viewer, classId, READERS);
      const lines = await resultLines(db, k);
      const units = new Map<number, { unitId: number; unitName: string; count: number }>();
      for (const l of lines) {
        const u = units.get(l.unitId) ?? { unitId: l.unitId, unitName: l.unitName, count: 0 };
        u.count++;
        units.set(l.unitId, u);
      }
      const numbered = await db.selectFrom("records_document").selectAll().where("class_id", "=", classId).execute();
      const s = await settings(db, classId);
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

    async saveTemplates(
      viewer: Viewer,
      classId: number,
      templates: Partial<Record<TemplateKey, string>>,
    ): Promise<{ ok: true } | Problems> {
      const k = await requireClass(db, viewer, classId, ORGANISERS, true);
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
        await upsertSetting(trx, clock, classId, viewer, { templates: JSON.stringify(clean) });
        await audit(trx, {
          actorId: viewer.userId,
          action: "class_templates.save",
          entityType: "training_class",
          entityId: classId,
          orgUnitId: k.centre_unit_id,
        });
      });
      return { ok: true };
    },

    /** The results notice for one sending unit (organisers; or the unit's own secretary/board). */
    async resultsNotice(viewer: Viewer, classId: number, unitId: number, format: "pdf" | "docx") {
      const k = await requireClass(db, viewer, classId, ORGANISERS, true);
      const lines = (await resultLines(db, k)).filter((l) => l.unitId === unitId);
      if (lines.length === 0) throw new NotFound("Đơn vị này không có học viên trong lớp.");
      const n = await documentNumber(db, clock, k, "TB", unitId, viewer);
      const { templates } = await settings(db, classId);
      const doc = resultsNotice(
        issuerFacts(k),
        { seq: n.no, date: n.date },
        { name: k.name, programmeName: k.programme_name, startsOn: k.starts_on, endsOn: k.ends_on },
        lines[0]!.unitName,
        lines,
        templates,
      );
      return { bytes: await render(doc, format), fileName: `thong-bao-ket-qua-${k.id}-${unitId}.${format}`, number: n.label };
    },

    async classReport(viewer: Viewer, classId: number, format: "pdf" | "docx") {
      const k = await requireClass(db, viewer, classId, ORGANISERS, true);
      const { policy, templates } = await settings(db, classId);
      const lines = await resultLines(db, k);
      const att = await attendanceSummaries(db, clock, k, policy);
      let marked = 0;
      let present = 0;
      for (const m of att.byPerson.values())
        for (const st of m.values()) {
          marked++;
          if (st === "co_mat" || st === "di_muon") present++;
        }
      const n = await documentNumber(db, clock, k, "BC", 0, viewer);
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
  };
}
