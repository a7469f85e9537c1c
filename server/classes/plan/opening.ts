import { z } from "zod";
import type { Viewer } from "../../auth/scope";
import { audit } from "../../audit/log";
import { canReach } from "../../auth/scope";
import { generatePassword, hashPassword } from "../../auth/password";
import { BadRequest, Forbidden, NotFound } from "../../errors";
import { DOC_TYPES } from "../plan-documents";
import { classDocumentNumber, classFor } from "./class-facts";
import { OPENERS, isoDate, parse, type PlanContext } from "./context";
import { nominationQuery, toViews } from "./nomination-queries";
import { centreOf, planItem, programmeName } from "./scope";
import { ensureAccounts } from "./trainee-accounts";

/** Opening a class (centre): from a plan item, with the approved nominees, their accounts and the numbered decision. */

const openSchema = z
  .object({
    nominationIds: z.array(z.coerce.number().int().positive()).min(1, "Hãy chọn ít nhất một học viên đã được duyệt."),
    classId: z.coerce.number().int().positive().nullable().optional(),
    name: z.string().trim().max(300).optional(),
    cohortLabel: z.string().trim().max(100).optional(),
    venue: z.string().trim().max(300).optional(),
    startsOn: isoDate.optional(),
    endsOn: isoDate.optional(),
  })
  .refine(
    (o) => o.classId || (o.name && o.startsOn && o.endsOn && o.venue),
    "Lớp mới cần tên lớp, địa điểm, ngày khai giảng và ngày bế giảng.",
  )
  .refine((o) => o.classId || !o.startsOn || !o.endsOn || o.startsOn <= o.endsOn, "Ngày bế giảng phải sau ngày khai giảng.");
export type OpenClassInput = z.input<typeof openSchema>;

export function openingMethods({ db, today, figures }: PlanContext) {
  return {
    async openingView(viewer: Viewer, planItemId: number) {
      const item = await planItem(db, planItemId);
      const centre = await centreOf(db, item.centre_id);
      if (!canReach(viewer, OPENERS, centre.path)) throw new Forbidden("Chỉ cán bộ trung tâm được mở lớp của trung tâm mình.");
      const rows = await nominationQuery(db)
        .where("n.programme_code", "=", item.programme_code)
        .where("n.status", "=", "approved")
        .where("n.class_id", "is", null)
        .where("u.path", "like", `${centre.path}%`)
        .execute();
      const approved = await toViews(db, today(), rows);
      const classes = await db
        .selectFrom("training_class")
        .select(["id", "name", "starts_on", "ends_on", "plan_item_id"])
        .where("centre_id", "=", centre.id)
        .where("programme_code", "=", item.programme_code)
        .where("status", "=", "open")
        .orderBy("id", "desc")
        .execute();
      return {
        item: {
          id: item.id,
          label: item.label,
          year: item.year,
          month: item.month,
          targetSize: item.target_size,
          intendedGroup: item.intended_group,
          programmeCode: item.programme_code,
          programmeName: await programmeName(db, item.programme_code),
        },
        centre: { id: centre.id, name: centre.name },
        approved: approved.map((a) => ({ ...a, forThisItem: a.planItemId === item.id || a.planItemId === null })),
        classes,
      };
    },

    /**
     * Opens a class from a plan item (or adds to an open class of the same programme):
     * enrols the chosen approved nominees, links their nominations, creates trainee
     * accounts for people without one, and numbers the decision to open the class.
     */
    async openClass(viewer: Viewer, planItemId: number, input: OpenClassInput) {
      const v = parse(openSchema, input);
      const item = await planItem(db, planItemId);
      const centre = await centreOf(db, item.centre_id);
      if (!canReach(viewer, OPENERS, centre.path, { write: true }))
        throw new Forbidden("Chỉ cán bộ trung tâm được mở lớp của trung tâm mình.");
      const noms = await db
        .selectFrom("nomination as n")
        .innerJoin("person as p", "p.id", "n.person_id")
        .innerJoin("org_unit as u", "u.id", "n.unit_id")
        .select(["n.id", "n.status", "n.class_id", "n.programme_code", "n.person_id", "p.full_name", "p.org_unit_id", "u.path"])
        .where("n.id", "in", v.nominationIds)
        .execute();
      if (noms.length !== new Set(v.nominationIds).size) throw new NotFound("Có đề cử không còn tồn tại; hãy tải lại trang.");
      for (const n of noms) {
        if (n.status !== "approved" || n.class_id !== null)
          throw new BadRequest(`${n.full_name}: chỉ xếp lớp được người đã được Ban Tổ chức duyệt và chưa có lớp.`);
        if (n.programme_code !== item.programme_code) throw new BadRequest(`${n.full_name} được đề cử cho chương trình khác.`);
        if (!n.path.startsWith(centre.path)) throw new Forbidden(`${n.full_name} không thuộc phạm vi của trung tâm.`);
      }
      // Hash outside the transaction (argon2 is the slow part); used only for new accounts.
      const hashes = await Promise.all(noms.map(() => hashPassword(generatePassword(16))));
      const result = await db.transaction().execute(async (trx) => {
        let classId: number;
        let opened = false;
        if (v.classId) {
          const c = await trx.selectFrom("training_class").selectAll().where("id", "=", v.classId).executeTakeFirst();
          if (!c || c.centre_id !== centre.id || c.programme_code !== item.programme_code || c.status !== "open")
            throw new BadRequest("Lớp đã chọn không phải lớp đang mở của chương trình này tại trung tâm.");
          classId = c.id;
          if (!c.plan_item_id) await trx.updateTable("training_class").set({ plan_item_id: item.id }).where("id", "=", c.id).execute();
        } else {
          const c = await trx
            .insertInto("training_class")
            .values({
              centre_id: centre.id,
              programme_code: item.programme_code,
              name: v.name!,
              cohort_label: v.cohortLabel || `${item.label} năm ${item.year}`,
              venue: v.venue!,
              starts_on: v.startsOn!,
              ends_on: v.endsOn!,
              plan_item_id: item.id,
            })
            .returning("id")
            .executeTakeFirstOrThrow();
          classId = c.id;
          opened = true;
        }
        await trx
          .insertInto("class_enrolment")
          .values(noms.map((n) => ({ class_id: classId, person_id: n.person_id })))
          .onConflict((oc) => oc.columns(["class_id", "person_id"]).doNothing())
          .execute();
        await trx.updateTable("nomination").set({ class_id: classId }).where("id", "in", v.nominationIds).execute();
        const accounts = await ensureAccounts(
          trx,
          today(),
          noms.map((n) => ({ id: n.person_id, full_name: n.full_name, org_unit_id: n.org_unit_id })),
          hashes,
        );
        const klass = await classFor(trx, viewer, classId, OPENERS, { write: true });
        const decision = await classDocumentNumber(trx, today(), viewer, klass, DOC_TYPES.decision.abbr);
        await audit(trx, {
          actorId: viewer.userId,
          action: opened ? "class.opened" : "class.trainees_added",
          entityType: "training_class",
          entityId: classId,
          orgUnitId: centre.org_unit_id,
          details: { planItemId: item.id, nominations: v.nominationIds, accountsCreated: accounts, decision: decision.label },
        });
        return { classId, enrolled: noms.length, accountsCreated: accounts, decisionLabel: decision.label };
      });
      // New trainees change the class's enrolled count on the dashboard (decision 019).
      await figures?.classChanged(result.classId);
      return result;
    },
  };
}
