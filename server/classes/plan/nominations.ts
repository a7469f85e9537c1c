import { z } from "zod";
import type { NominationStatus } from "../../db/schema-class-plan";
import { audit } from "../../audit/log";
import { canReach, type Viewer } from "../../auth/scope";
import { BadRequest, Forbidden, NotFound } from "../../errors";
import { birthDateSchema } from "../../rules/birth-date";
import { normaliseName } from "../../rules/vietnamese-names";
import { BOARD, NOMINATORS, OPENERS, STATUS_LABELS, isoDate, parse, type PlanContext } from "./context";
import {
  enrolledOpen,
  liveNominationOf,
  matchPerson,
  nominatingUnits,
  nominationQuery,
  planItemsForUnits,
  requirePlanItemFor,
  scopeFilter,
  toViews,
} from "./nomination-queries";
import { programmeName, programmes, unitOf } from "./scope";

/** Nominations by cell secretaries, one person at a time: the form, the list, nominate, withdraw. */

const newPersonSchema = z.object({
  fullName: z
    .string()
    .transform(normaliseName)
    .pipe(
      z
        .string()
        .min(3, "Hãy ghi đủ họ và tên.")
        .regex(/^[^0-9=+@]+$/, "Họ tên không được chứa chữ số hay ký hiệu."),
    ),
  birthDate: birthDateSchema(),
  gender: z.enum(["nam", "nu"]).nullable().optional(),
  ethnicity: z.string().trim().max(50).nullable().optional(),
  education: z.enum(["tieu_hoc", "thcs", "thpt", "trung_cap", "cao_dang", "dai_hoc", "sau_dai_hoc"]).nullable().optional(),
  partyStatus: z.enum(["quan_chung", "du_bi", "chinh_thuc"]).default("quan_chung"),
  admissionDate: isoDate.nullable().optional(),
  position: z.string().trim().max(200).nullable().optional(),
  phone: z.string().trim().max(20).nullable().optional(),
});
const nominateSchema = z.object({
  programmeCode: z.string().min(1, "Hãy chọn chương trình."),
  planItemId: z.coerce.number().int().positive().nullable().optional(),
  unitId: z.coerce.number().int().positive("Hãy chọn đơn vị cử đi học."),
  personId: z.coerce.number().int().positive().nullable().optional(),
  person: newPersonSchema.nullable().optional(),
  note: z.string().trim().max(1000).nullable().optional(),
});
export type NominateInput = z.input<typeof nominateSchema>;

export function nominationMethods({ db, clock, today }: PlanContext) {
  return {
    /** What the nomination form offers: units, programmes, plan items. */
    async nominationForm(viewer: Viewer) {
      const units = await nominatingUnits(db, viewer);
      if (units.length === 0) throw new Forbidden("Chỉ bí thư chi bộ, cấp ủy cơ sở được gửi danh sách đề cử.");
      return {
        units: units.map((u) => ({ id: u.id, name: u.name })),
        programmes: await programmes(db),
        planItems: (
          await planItemsForUnits(
            db,
            today(),
            units.map((u) => u.path),
          )
        ).map((i) => ({
          id: i.id,
          programmeCode: i.programme_code,
          label: `${i.label} năm ${i.year} — ${i.programme_name} (tháng ${i.month}, ${i.intended_group})`,
        })),
      };
    },

    /** Nominations of the viewer's units (secretary) or subtree (board, centre), with the outcome. */
    async listNominations(viewer: Viewer, filter: { status?: NominationStatus | "all"; programmeCode?: string; unitId?: number } = {}) {
      const roots = scopeFilter(viewer, [...NOMINATORS, ...BOARD, ...OPENERS]);
      let q = nominationQuery(db).where((eb) => eb.or(roots.map((r) => eb("u.path", "like", `${r}%`))));
      if (filter.status && filter.status !== "all") q = q.where("n.status", "=", filter.status);
      if (filter.programmeCode) q = q.where("n.programme_code", "=", filter.programmeCode);
      if (filter.unitId) q = q.where("n.unit_id", "=", filter.unitId);
      return toViews(db, today(), await q.orderBy("n.id", "desc").limit(1000).execute());
    },

    async nominate(viewer: Viewer, input: NominateInput) {
      const v = parse(nominateSchema, input);
      const unit = await unitOf(db, v.unitId);
      if (!canReach(viewer, NOMINATORS, unit.path, { write: true })) throw new Forbidden("Bạn chỉ được đề cử người của đơn vị mình.");
      const progName = await programmeName(db, v.programmeCode);
      if (v.planItemId) await requirePlanItemFor(db, v.planItemId, v.programmeCode, unit.path);
      if (!v.personId && !v.person) throw new BadRequest("Hãy chọn người trong đơn vị hoặc nhập thông tin người mới.");
      const id = await db.transaction().execute(async (trx) => {
        let personId = v.personId ?? null;
        let created = false;
        if (personId) {
          const p = await trx
            .selectFrom("person as p")
            .innerJoin("org_unit as o", "o.id", "p.org_unit_id")
            .select(["p.id", "o.path"])
            .where("p.id", "=", personId)
            .executeTakeFirst();
          if (!p || !p.path.startsWith(unit.path)) throw new Forbidden("Người này không thuộc đơn vị đã chọn.");
        } else {
          const n = v.person!;
          if (n.partyStatus !== "quan_chung" && !n.admissionDate) throw new BadRequest("Đảng viên cần có ngày vào Đảng.");
          const match = await matchPerson(trx, unit.path, n.fullName, n.birthDate);
          if (match) personId = match.id;
          else {
            const p = await trx
              .insertInto("person")
              .values({
                org_unit_id: unit.id,
                full_name: n.fullName,
                birth_date: n.birthDate,
                gender: n.gender ?? null,
                ethnicity: n.ethnicity || null,
                education_level: n.education ?? null,
                party_status: n.partyStatus,
                admission_date: n.partyStatus === "quan_chung" ? null : (n.admissionDate ?? null),
                position: n.position || null,
                phone: n.phone || null,
              })
              .returning("id")
              .executeTakeFirstOrThrow();
            personId = p.id;
            created = true;
          }
        }
        const live = await liveNominationOf(trx, personId, v.programmeCode);
        if (live) throw new BadRequest(`Người này đã được ${live.unit_name} đề cử vào lớp ${progName} (${STATUS_LABELS[live.status]}).`);
        const enrolled = await enrolledOpen(trx, personId, v.programmeCode);
        if (enrolled) throw new BadRequest(`Người này đã có tên trong ${enrolled.name}.`);
        const row = await trx
          .insertInto("nomination")
          .values({
            person_id: personId,
            programme_code: v.programmeCode,
            unit_id: unit.id,
            plan_item_id: v.planItemId ?? null,
            note: v.note || null,
            created_by: viewer.userId,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        await audit(trx, {
          actorId: viewer.userId,
          action: "nomination.created",
          entityType: "nomination",
          entityId: row.id,
          orgUnitId: unit.id,
          details: { personId, programme: v.programmeCode, createdPerson: created },
        });
        return row.id;
      });
      return id;
    },

    async withdraw(viewer: Viewer, nominationId: number) {
      const n = await nominationQuery(db).where("n.id", "=", nominationId).executeTakeFirst();
      if (!n) throw new NotFound("Không tìm thấy đề cử.");
      if (!canReach(viewer, NOMINATORS, n.unit_path, { write: true })) throw new Forbidden("Bạn chỉ được rút đề cử của đơn vị mình.");
      if (n.status !== "pending") throw new BadRequest("Chỉ rút được đề cử đang chờ thẩm định.");
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable("nomination")
          .set({ status: "withdrawn", decided_by: viewer.userId, decided_at: clock.now() })
          .where("id", "=", nominationId)
          .where("status", "=", "pending")
          .execute();
        await audit(trx, {
          actorId: viewer.userId,
          action: "nomination.withdrawn",
          entityType: "nomination",
          entityId: nominationId,
          orgUnitId: n.unit_id,
        });
      });
    },
  };
}
