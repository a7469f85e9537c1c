import JSZip from "jszip";
import type { Viewer } from "../../auth/scope";
import { audit } from "../../audit/log";
import { generatePassword, hashPassword } from "../../auth/password";
import { BadRequest } from "../../errors";
import { birthDatesToFix } from "../../rules/birth-date";
import { PARTY_STATUS_LABELS } from "../../organisations/labels";
import { renderPartyDocumentPdf } from "../../documents/pdf";
import { renderPartyDocumentDocx } from "../../documents/docx";
import { DOC_TYPES, callUpLetter, fileSlug, openingDecision } from "../plan-documents";
import { renderCallUpLettersPdf } from "../callup-pdf";
import { seatingPlan } from "../seating";
import { decisionDateProblem, defaultDecisionDate } from "../decision-date";
import { classDocumentNumber, classFor, factsOf, issuerOf, traineeFacts, traineesOf } from "./class-facts";
import { CLASS_VIEWERS, OPENERS, type PlanContext } from "./context";
import { ensureAccounts } from "./trainee-accounts";

/** A class's papers: the decision to open it, the trainee list, call-up letters with initial passwords, seating. */

const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

export function paperMethods({ db, config, today }: PlanContext) {
  return {
    async classPapers(viewer: Viewer, classId: number) {
      const c = await classFor(db, viewer, classId, OPENERS);
      const trainees = await traineesOf(db, classId);
      const docs = await db
        .selectFrom("class_document")
        .select(["doc_type", "label", "issued_on"])
        .where("class_id", "=", classId)
        .execute();
      return {
        klass: {
          id: c.id,
          name: c.name,
          programmeName: c.programme_name,
          cohortLabel: c.cohort_label,
          venue: c.venue,
          startsOn: c.starts_on,
          endsOn: c.ends_on,
          centre: c.centre_name,
        },
        documents: docs,
        // The date the decision carries (or will carry when first printed), editable on the page.
        decisionDate: docs.find((d) => d.doc_type === DOC_TYPES.decision.abbr)?.issued_on ?? defaultDecisionDate(today(), c.starts_on),
        trainees: trainees.map((t) => ({
          personId: t.id,
          fullName: t.full_name,
          birthDate: t.birth_date,
          unitName: t.unit_name,
          username: t.username,
          awaitingFirstLogin: t.user_id ? !!t.must_change_password : null,
        })),
        // The records the decision and the letters flag (a bad or blank birth date): named on the page to fix.
        birthDatesToFix: birthDatesToFix(
          trainees.map((t) => ({ personId: t.id, fullName: t.full_name, unitName: t.unit_name, birthDate: t.birth_date })),
          today(),
        ),
      };
    },

    async decisionFile(viewer: Viewer, classId: number, format: "pdf" | "docx") {
      const c = await classFor(db, viewer, classId, OPENERS);
      const trainees = await traineesOf(db, classId);
      if (trainees.length === 0) throw new BadRequest("Lớp chưa có học viên.");
      const doc = await db.transaction().execute(async (trx) => classDocumentNumber(trx, today(), viewer, c, DOC_TYPES.decision.abbr));
      const party = openingDecision(issuerOf(c), doc.no, doc.issued_on, factsOf(c), trainees.map(traineeFacts));
      const bytes = format === "pdf" ? await renderPartyDocumentPdf(party) : await renderPartyDocumentDocx(party);
      return { bytes, fileName: `quyet-dinh-mo-lop-${fileSlug(c.name)}.${format}`, label: doc.label };
    },

    /**
     * Changes the date printed on the decision to open the class (the centre signs it on
     * a day of its own). Numbers the decision if it has none yet; audited with the old date.
     */
    async setDecisionDate(viewer: Viewer, classId: number, date: string) {
      const c = await classFor(db, viewer, classId, OPENERS, { write: true });
      const problem = decisionDateProblem(date, c.starts_on, today());
      if (problem) throw new BadRequest(problem);
      await db.transaction().execute(async (trx) => {
        const doc = await classDocumentNumber(trx, today(), viewer, c, DOC_TYPES.decision.abbr);
        await trx
          .updateTable("class_document")
          .set({ issued_on: date })
          .where("class_id", "=", c.id)
          .where("doc_type", "=", DOC_TYPES.decision.abbr)
          .execute();
        await audit(trx, {
          actorId: viewer.userId,
          action: "class.decision_date_changed",
          entityType: "training_class",
          entityId: c.id,
          orgUnitId: c.centre_unit_id,
          details: { label: doc.label, before: doc.issued_on, after: date },
        });
      });
      return { date };
    },

    async traineeListXlsx(viewer: Viewer, classId: number) {
      const c = await classFor(db, viewer, classId, CLASS_VIEWERS);
      const trainees = await traineesOf(db, classId);
      const ExcelJS = (await import("exceljs")).default;
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet("Danh sách học viên");
      ws.addRow([c.name.toLocaleUpperCase("vi")]).font = { bold: true };
      ws.addRow([`${c.programme_name}${c.cohort_label ? ` — ${c.cohort_label}` : ""}${c.venue ? ` — ${c.venue}` : ""}`]);
      ws.addRow([]);
      const header = ws.addRow(["TT", "Họ và tên", "Ngày sinh", "Đơn vị", "Tình trạng đảng viên", "Tên đăng nhập"]);
      header.font = { bold: true };
      trainees.forEach((t, i) =>
        ws.addRow([
          i + 1,
          t.full_name,
          t.birth_date ? t.birth_date.split("-").reverse().join("/") : "",
          t.unit_name,
          PARTY_STATUS_LABELS[t.party_status],
          t.username ?? "",
        ]),
      );
      [6, 28, 14, 34, 22, 16].forEach((w, i) => (ws.getColumn(i + 1).width = w));
      return { bytes: new Uint8Array(await wb.xlsx.writeBuffer()), fileName: `danh-sach-hoc-vien-${fileSlug(c.name)}.xlsx` };
    },

    /**
     * Call-up letters for the class (or one trainee). Trainees whose account still awaits
     * its first login get a fresh initial password, printed only in this file and stored
     * only as a hash (audited); reprinting regenerates. People enrolled without an account
     * get one now. Requires the explicit confirmation the page asks for.
     */
    async callUpLetters(
      viewer: Viewer,
      classId: number,
      opts: { personId?: number | null; format: "pdf" | "docx"; confirm: boolean; origin: string },
    ) {
      const c = await classFor(db, viewer, classId, OPENERS, { write: true });
      if (!opts.confirm) throw new BadRequest("Hãy xác nhận việc tạo mật khẩu ban đầu mới trước khi in giấy triệu tập.");
      let trainees = await traineesOf(db, classId);
      if (opts.personId) trainees = trainees.filter((t) => t.id === opts.personId);
      if (trainees.length === 0) throw new BadRequest(opts.personId ? "Người này không có tên trong lớp." : "Lớp chưa có học viên.");

      const withoutAccount = trainees.filter((t) => !t.user_id);
      const fresh = new Map<number, string>();
      for (const t of trainees) if (!t.user_id || t.must_change_password) fresh.set(t.id, generatePassword());
      const hashes = new Map(await Promise.all([...fresh].map(async ([id, pw]) => [id, await hashPassword(pw)] as const)));
      const numbered = await db.transaction().execute(async (trx) => {
        if (withoutAccount.length)
          await ensureAccounts(
            trx,
            today(),
            withoutAccount.map((t) => ({ id: t.id, full_name: t.full_name, org_unit_id: t.org_unit_id })),
            withoutAccount.map((t) => hashes.get(t.id)!),
          );
        for (const t of trainees.filter((x) => x.user_id && fresh.has(x.id))) {
          await trx
            .updateTable("user_account")
            .set({ password_hash: hashes.get(t.id)! })
            .where("person_id", "=", t.id)
            .where("must_change_password", "=", true)
            .execute();
        }
        const doc = await classDocumentNumber(trx, today(), viewer, c, DOC_TYPES.callUp.abbr);
        await audit(trx, {
          actorId: viewer.userId,
          action: "callup.printed",
          entityType: "training_class",
          entityId: classId,
          orgUnitId: c.centre_unit_id,
          details: { format: opts.format, trainees: trainees.map((t) => t.id), passwordsIssuedFor: [...fresh.keys()], number: doc.label },
        });
        return doc;
      });
      // Usernames of accounts created just now.
      const after = await traineesOf(db, classId);
      const base = (config.PUBLIC_URL ?? opts.origin).replace(/\/$/, "");
      const letters = trainees.map((t) => {
        const username = after.find((a) => a.id === t.id)!.username!;
        const account = { username, password: fresh.get(t.id) ?? null, loginUrl: `${base}/dang-nhap?u=${encodeURIComponent(username)}` };
        return {
          t,
          account,
          doc: callUpLetter(issuerOf(c), numbered.no, numbered.issued_on, factsOf(c), traineeFacts(t), account, {
            accountInBody: opts.format === "docx",
          }),
        };
      });
      const one = letters.length === 1 && opts.personId;
      const name = one ? `giay-trieu-tap-${fileSlug(letters[0]!.t.full_name)}` : `giay-trieu-tap-${fileSlug(c.name)}`;
      if (opts.format === "pdf") {
        return {
          bytes: await renderCallUpLettersPdf(letters.map((l) => ({ doc: l.doc, account: l.account }))),
          fileName: `${name}.pdf`,
          contentType: "application/pdf",
          issued: fresh.size,
        };
      }
      if (one)
        return { bytes: await renderPartyDocumentDocx(letters[0]!.doc), fileName: `${name}.docx`, contentType: DOCX, issued: fresh.size };
      const zip = new JSZip();
      letters.forEach((l, i) =>
        zip.file(`${String(i + 1).padStart(3, "0")}-${fileSlug(l.t.full_name)}.docx`, renderPartyDocumentDocx(l.doc)),
      );
      return {
        bytes: await zip.generateAsync({ type: "uint8array" }),
        fileName: `${name}-docx.zip`,
        contentType: "application/zip",
        issued: fresh.size,
      };
    },

    async seating(viewer: Viewer, classId: number, perRow: number) {
      const c = await classFor(db, viewer, classId, CLASS_VIEWERS);
      const trainees = await traineesOf(db, classId);
      const rows = seatingPlan(trainees, (t) => t.full_name, { perRow });
      return {
        klass: { id: c.id, name: c.name, venue: c.venue, centre: c.centre_name, startsOn: c.starts_on, endsOn: c.ends_on },
        count: trainees.length,
        perRow: rows[0]?.length ?? perRow,
        rows: rows.map((r) => r.map((s) => ({ label: s.label, name: s.trainee?.full_name ?? null, unit: s.trainee?.unit_name ?? null }))),
      };
    },
  };
}
