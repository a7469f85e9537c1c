import { z } from "zod";
import { audit } from "../../audit/log";
import { canReach, hasRole, type Viewer } from "../../auth/scope";
import { BadRequest, Forbidden } from "../../errors";
import { PLANNERS, PLAN_READERS, parse, type PlanContext } from "./context";
import { centreOf, planItem, programmeName, programmes, visibleCentres } from "./scope";

/** The centres' yearly training plan: items (programme, month, target), with progress against each. */

const planItemSchema = z.object({
  centreId: z.coerce.number().int().positive("Hãy chọn trung tâm."),
  year: z.coerce.number({ error: "Năm phải là số." }).int().min(2000, "Năm không hợp lệ.").max(2100, "Năm không hợp lệ."),
  programmeCode: z.string().min(1, "Hãy chọn chương trình."),
  label: z.string().trim().min(1, "Hãy ghi tên khóa, ví dụ “Khóa 1”.").max(100),
  month: z.coerce
    .number({ error: "Tháng phải là số từ 1 đến 12." })
    .int()
    .min(1, "Tháng phải từ 1 đến 12.")
    .max(12, "Tháng phải từ 1 đến 12."),
  targetSize: z.coerce
    .number({ error: "Chỉ tiêu phải là số." })
    .int()
    .min(1, "Chỉ tiêu phải lớn hơn 0.")
    .max(1000, "Chỉ tiêu tối đa 1000 học viên."),
  intendedGroup: z.string().trim().min(1, "Hãy ghi đối tượng, ví dụ “giáo viên, học sinh”.").max(200),
  notes: z.string().trim().max(1000).optional().nullable(),
});
export type PlanItemInput = z.input<typeof planItemSchema>;

export function planMethods({ db }: PlanContext) {
  return {
    /** The year's plan of every centre the viewer sees, with progress against each item. */
    async planOverview(viewer: Viewer, year: number) {
      if (!hasRole(viewer, PLAN_READERS)) throw new Forbidden("Bạn không có quyền xem kế hoạch bồi dưỡng.");
      const centres = await visibleCentres(db, viewer);
      const ids = centres.map((c) => c.id);
      const items = ids.length
        ? await db
            .selectFrom("training_plan_item as i")
            .innerJoin("programme as g", "g.code", "i.programme_code")
            .selectAll("i")
            .select("g.name as programme_name")
            .where("i.centre_id", "in", ids)
            .where("i.year", "=", year)
            .orderBy("i.month")
            .orderBy("i.id")
            .execute()
        : [];
      const itemIds = items.map((i) => i.id);
      const classes = itemIds.length
        ? await db
            .selectFrom("training_class as c")
            .select(["c.id", "c.name", "c.plan_item_id", "c.status", "c.starts_on"])
            .select((eb) =>
              eb
                .selectFrom("class_enrolment as e")
                .select(eb.fn.countAll<number>().as("n"))
                .whereRef("e.class_id", "=", "c.id")
                .as("enrolled"),
            )
            .where("c.plan_item_id", "in", itemIds)
            .execute()
        : [];
      const noms = itemIds.length
        ? await db
            .selectFrom("nomination")
            .select(["plan_item_id", "status"])
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .where("plan_item_id", "in", itemIds)
            .groupBy(["plan_item_id", "status"])
            .execute()
        : [];
      return {
        year,
        canEdit: centres.filter((c) => canReach(viewer, PLANNERS, c.path, { write: true })).map((c) => c.id),
        programmes: await programmes(db),
        centres: centres.map((c) => {
          const own = items
            .filter((i) => i.centre_id === c.id)
            .map((i) => {
              const cls = classes.filter((k) => k.plan_item_id === i.id);
              const count = (s: string) => Number(noms.find((n) => n.plan_item_id === i.id && n.status === s)?.n ?? 0);
              return {
                id: i.id,
                programmeCode: i.programme_code,
                programmeName: i.programme_name,
                label: i.label,
                month: i.month,
                targetSize: i.target_size,
                intendedGroup: i.intended_group,
                notes: i.notes,
                classes: cls.map((k) => ({ id: k.id, name: k.name, status: k.status, enrolled: Number(k.enrolled) })),
                enrolled: cls.reduce((s, k) => s + Number(k.enrolled), 0),
                nominated: { pending: count("pending"), approved: count("approved"), rejected: count("rejected") },
              };
            });
          return {
            id: c.id,
            name: c.name,
            items: own,
            totals: {
              planned: own.length,
              target: own.reduce((s, i) => s + i.targetSize, 0),
              opened: own.filter((i) => i.classes.length > 0).length,
              enrolled: own.reduce((s, i) => s + i.enrolled, 0),
            },
          };
        }),
      };
    },

    async addPlanItem(viewer: Viewer, input: PlanItemInput) {
      const v = parse(planItemSchema, input);
      const centre = await centreOf(db, v.centreId);
      if (!canReach(viewer, PLANNERS, centre.path, { write: true }))
        throw new Forbidden("Chỉ cán bộ trung tâm được lập kế hoạch của trung tâm mình.");
      await programmeName(db, v.programmeCode);
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto("training_plan_item")
          .values({
            centre_id: v.centreId,
            year: v.year,
            programme_code: v.programmeCode,
            label: v.label,
            month: v.month,
            target_size: v.targetSize,
            intended_group: v.intendedGroup,
            notes: v.notes || null,
            created_by: viewer.userId,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        await audit(trx, {
          actorId: viewer.userId,
          action: "plan.item_added",
          entityType: "training_plan_item",
          entityId: row.id,
          orgUnitId: centre.org_unit_id,
          details: { ...v },
        });
        return row.id;
      });
    },

    async updatePlanItem(viewer: Viewer, id: number, input: PlanItemInput) {
      const item = await planItem(db, id);
      const v = parse(planItemSchema, { ...input, centreId: item.centre_id });
      const centre = await centreOf(db, item.centre_id);
      if (!canReach(viewer, PLANNERS, centre.path, { write: true }))
        throw new Forbidden("Chỉ cán bộ trung tâm được sửa kế hoạch của trung tâm mình.");
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable("training_plan_item")
          .set({
            year: v.year,
            programme_code: v.programmeCode,
            label: v.label,
            month: v.month,
            target_size: v.targetSize,
            intended_group: v.intendedGroup,
            notes: v.notes || null,
          })
          .where("id", "=", id)
          .execute();
        await audit(trx, {
          actorId: viewer.userId,
          action: "plan.item_changed",
          entityType: "training_plan_item",
          entityId: id,
          orgUnitId: centre.org_unit_id,
          details: { before: { ...item, created_at: undefined }, after: v },
        });
      });
    },

    async removePlanItem(viewer: Viewer, id: number) {
      const item = await planItem(db, id);
      const centre = await centreOf(db, item.centre_id);
      if (!canReach(viewer, PLANNERS, centre.path, { write: true }))
        throw new Forbidden("Chỉ cán bộ trung tâm được sửa kế hoạch của trung tâm mình.");
      const used = await db.selectFrom("training_class").select("id").where("plan_item_id", "=", id).executeTakeFirst();
      const nominated = await db.selectFrom("nomination").select("id").where("plan_item_id", "=", id).executeTakeFirst();
      if (used || nominated) throw new BadRequest("Mục kế hoạch đã có lớp hoặc có người được đề cử; không thể xóa.");
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom("training_plan_item").where("id", "=", id).execute();
        await audit(trx, {
          actorId: viewer.userId,
          action: "plan.item_removed",
          entityType: "training_plan_item",
          entityId: id,
          orgUnitId: centre.org_unit_id,
          details: { label: item.label, year: item.year },
        });
      });
    },
  };
}
