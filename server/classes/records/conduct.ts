import type { Viewer } from "../../auth/scope";
import { audit } from "../../audit/log";
import { BadRequest } from "../../errors";
import { ORGANISERS, READERS, type RecordsContext } from "./context";
import { requireClass } from "./scope";

/** Conduct records (minor or serious breaches of the class rules); a serious one may withhold the certificate. */
export function conductMethods(ctx: RecordsContext) {
  const { db } = ctx;
  return {
    async conduct(viewer: Viewer, classId: number) {
      await requireClass(db, viewer, classId, READERS);
      return db
        .selectFrom("conduct_record as r")
        .innerJoin("person as p", "p.id", "r.person_id")
        .select(["r.id", "r.person_id", "p.full_name", "r.severity", "r.description", "r.recorded_at"])
        .where("r.class_id", "=", classId)
        .orderBy("r.recorded_at")
        .execute();
    },

    async addConduct(viewer: Viewer, input: { classId: number; personId: number; severity: "minor" | "serious"; description: string }) {
      const k = await requireClass(db, viewer, input.classId, ORGANISERS, true);
      const description = input.description.trim();
      if (description.length < 5) throw new BadRequest("Hãy mô tả vi phạm (ít nhất 5 ký tự).");
      if (input.severity !== "minor" && input.severity !== "serious") throw new BadRequest("Mức độ vi phạm không hợp lệ.");
      const enrolled = await db
        .selectFrom("class_enrolment")
        .select("person_id")
        .where("class_id", "=", k.id)
        .where("person_id", "=", input.personId)
        .executeTakeFirst();
      if (!enrolled) throw new BadRequest("Người này không phải học viên của lớp.");
      await db.transaction().execute(async (trx) => {
        const r = await trx
          .insertInto("conduct_record")
          .values({ class_id: k.id, person_id: input.personId, severity: input.severity, description, recorded_by: viewer.userId })
          .returning("id")
          .executeTakeFirstOrThrow();
        await audit(trx, {
          actorId: viewer.userId,
          action: "conduct.record",
          entityType: "conduct_record",
          entityId: r.id,
          orgUnitId: k.centre_unit_id,
          reason: description,
          details: { personId: input.personId, severity: input.severity },
        });
      });
    },
  };
}
