import { audit } from "../../audit/log";
import { canReach, type Viewer } from "../../auth/scope";
import { newId } from "../../accounts/ids";
import { BadRequest, Forbidden, NotFound } from "../../errors";
import { readTable } from "../../imports/table";
import { verdict } from "../eligibility";
import { nomineeTemplateXlsx, validateNomineeTable, type NomineeRow, type RowIssue } from "../nomination-import";
import { checksFor } from "./checks";
import { NOMINATORS, STATUS_LABELS, type PlanContext } from "./context";
import { enrolledOpen, liveNominationOf, matchPerson, nominatingUnits, requirePlanItemFor } from "./nomination-queries";
import { planItem, programmeName } from "./scope";

/**
 * A cell's nominee list as a spreadsheet (the row rules: ../nomination-import.ts): a
 * preview stored in import_batch, then a commit that is all or nothing and refused while
 * any row is wrong (decision 008).
 */

type BatchRow = NomineeRow & { personId: number | null; programmeCode: string; planItemId: number | null };

export function nominationUploadMethods({ db, clock, today }: PlanContext) {
  return {
    nomineeTemplateXlsx,

    /** Parse and check an uploaded nominee list; nothing is created until commit. */
    async previewNominationImport(
      viewer: Viewer,
      opts: { programmeCode: string; planItemId?: number | null; unitId?: number | null },
      file: { name: string; bytes: Uint8Array },
    ) {
      const units = await nominatingUnits(db, viewer);
      if (units.length === 0) throw new Forbidden("Chỉ bí thư chi bộ, cấp ủy cơ sở được gửi danh sách đề cử.");
      const progName = await programmeName(db, opts.programmeCode);
      const defaultUnit = opts.unitId ? units.find((u) => u.id === opts.unitId) : units.length === 1 ? units[0] : undefined;
      if (opts.unitId && !defaultUnit) throw new Forbidden("Đơn vị đã chọn không thuộc phạm vi của bạn.");
      if (opts.planItemId) await requirePlanItemFor(db, opts.planItemId, opts.programmeCode, (defaultUnit ?? units[0]!).path);
      const table = await readTable(file.name, file.bytes);
      const refs = units.map((u) => ({ id: u.id, name: u.name, abbreviation: u.abbreviation, shortName: u.short_name }));
      const { rows, issues } = validateNomineeTable(table, {
        units: refs,
        defaultUnit: defaultUnit ? refs.find((r) => r.id === defaultUnit.id)! : null,
        today: today(),
      });

      // Match existing people; a live nomination or an open class of the programme is an error of that row.
      const matched: BatchRow[] = [];
      const rowIssues: RowIssue[] = [...issues];
      for (const r of rows) {
        const unit = units.find((u) => u.id === r.unitId)!;
        const m = await matchPerson(db, unit.path, r.fullName, r.birthDate);
        if (m) {
          const live = await liveNominationOf(db, m.id, opts.programmeCode);
          if (live) {
            rowIssues.push({
              row: r.row,
              column: "Họ và tên",
              message: `${r.fullName} đã được ${live.unit_name} đề cử vào lớp ${progName} (${STATUS_LABELS[live.status]}); xóa dòng này.`,
            });
            continue;
          }
          const enrolled = await enrolledOpen(db, m.id, opts.programmeCode);
          if (enrolled) {
            rowIssues.push({ row: r.row, column: "Họ và tên", message: `${r.fullName} đã có tên trong ${enrolled.name}; xóa dòng này.` });
            continue;
          }
        }
        matched.push({ ...r, personId: m?.id ?? null, programmeCode: opts.programmeCode, planItemId: opts.planItemId ?? null });
      }
      rowIssues.sort((a, b) => a.row - b.row);
      const year = opts.planItemId ? (await planItem(db, opts.planItemId)).year : Number(today().slice(0, 4));
      const checks = await checksFor(
        db,
        matched.map((r) => ({
          nominationId: null,
          classId: null,
          programmeCode: opts.programmeCode,
          year,
          person: {
            id: r.personId,
            full_name: r.fullName,
            birth_date: r.birthDate,
            education_level: r.education,
            party_status: r.partyStatus,
            position: r.position,
          },
        })),
      );
      const batchId = newId();
      await db
        .insertInto("import_batch")
        .values({
          id: batchId,
          kind: "nominations",
          created_by: viewer.userId,
          org_unit_id: (defaultUnit ?? units[0]!).id,
          file_name: file.name,
          rows: JSON.stringify(matched),
          issues: JSON.stringify(rowIssues),
        })
        .execute();
      return {
        batchId,
        fileName: file.name,
        programmeName: progName,
        totalRows: table.rows.length,
        issues: rowIssues,
        rows: matched.map((r, i) => ({
          row: r.row,
          fullName: r.fullName,
          birthDate: r.birthDate,
          unitName: r.unitName,
          existing: r.personId !== null,
          checks: checks[i]!,
          verdict: verdict(checks[i]!),
        })),
      };
    },

    /** Creates the previewed nominations (and new people), all or nothing; refused while the file has errors. */
    async commitNominationImport(viewer: Viewer, batchId: string) {
      const batch = await db.selectFrom("import_batch").selectAll().where("id", "=", batchId).executeTakeFirst();
      if (!batch || batch.kind !== "nominations") throw new NotFound("Không tìm thấy lượt tải lên này; hãy tải tệp lên lại.");
      if (batch.created_by !== viewer.userId) throw new Forbidden("Lượt tải lên này do người khác tạo.");
      if (batch.status === "committed") throw new BadRequest("Danh sách này đã được gửi rồi.");
      const issues = batch.issues as unknown as RowIssue[];
      const rows = batch.rows as unknown as BatchRow[];
      if (issues.length > 0) throw new BadRequest("Tệp còn lỗi: hãy sửa các dòng được chỉ ra rồi tải lên lại. Chưa có đề cử nào được gửi.");
      if (rows.length === 0) throw new BadRequest("Không có dòng hợp lệ nào để gửi.");
      const units = await nominatingUnits(db, viewer);
      for (const r of rows) {
        const u = units.find((x) => x.id === r.unitId);
        if (!u || !canReach(viewer, NOMINATORS, u.path, { write: true }))
          throw new Forbidden(`Dòng ${r.row}: bạn không có quyền với đơn vị “${r.unitName}”.`);
      }
      const progName = await programmeName(db, rows[0]!.programmeCode);
      return db.transaction().execute(async (trx) => {
        const ids: number[] = [];
        for (const r of rows) {
          const unit = units.find((u) => u.id === r.unitId)!;
          // Matched again inside the transaction: the list may have changed since the preview.
          const m = r.personId ? { id: r.personId } : await matchPerson(trx, unit.path, r.fullName, r.birthDate);
          let personId = m?.id ?? null;
          if (!personId) {
            const p = await trx
              .insertInto("person")
              .values({
                org_unit_id: r.unitId,
                full_name: r.fullName,
                birth_date: r.birthDate,
                gender: r.gender,
                ethnicity: r.ethnicity,
                education_level: r.education,
                party_status: r.partyStatus,
                admission_date: r.admissionDate,
                position: r.position,
                phone: r.phone,
              })
              .returning("id")
              .executeTakeFirstOrThrow();
            personId = p.id;
          }
          const live = await liveNominationOf(trx, personId, r.programmeCode);
          if (live)
            throw new BadRequest(`Dòng ${r.row}: ${r.fullName} vừa được ${live.unit_name} đề cử vào lớp ${progName}; hãy tải tệp lên lại.`);
          const row = await trx
            .insertInto("nomination")
            .values({
              person_id: personId,
              programme_code: r.programmeCode,
              unit_id: r.unitId,
              plan_item_id: r.planItemId,
              note: r.note,
              created_by: viewer.userId,
              import_batch_id: batchId,
            })
            .returning("id")
            .executeTakeFirstOrThrow();
          ids.push(row.id);
        }
        await trx.updateTable("import_batch").set({ status: "committed", committed_at: clock.now() }).where("id", "=", batchId).execute();
        await audit(trx, {
          actorId: viewer.userId,
          action: "nominations.imported",
          entityType: "import_batch",
          entityId: batchId,
          orgUnitId: batch.org_unit_id,
          details: { fileName: batch.file_name, created: ids.length, programme: rows[0]!.programmeCode },
        });
        return ids.length;
      });
    },
  };
}
