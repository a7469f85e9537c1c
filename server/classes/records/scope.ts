import type { Database } from "../../db";
import type { Role } from "../../db/schema";
import { canReach, type Viewer } from "../../auth/scope";
import { Forbidden, NotFound } from "../../errors";
import { READERS } from "./context";

/** A class as the records pages need it: programme, dates, centre and the letterhead facts of its unit. */
export async function classScope(db: Database, classId: number) {
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
export type Klass = Awaited<ReturnType<typeof classScope>>;

/** The class, if the viewer holds one of `roles` over it (`write`: a write grant). */
export async function requireClass(db: Database, viewer: Viewer, classId: number, roles: Role[], write = false): Promise<Klass> {
  const k = await classScope(db, classId);
  if (!canReach(viewer, roles, k.path, { write })) throw new Forbidden("Lớp này không thuộc phạm vi phụ trách của bạn.");
  return k;
}

export async function sessionScope(db: Database, sessionId: number) {
  if (!Number.isInteger(sessionId)) throw new NotFound("Không có buổi học này.");
  const s = await db.selectFrom("class_session").selectAll().where("id", "=", sessionId).executeTakeFirst();
  if (!s) throw new NotFound("Không có buổi học này.");
  return s;
}

/** Classes in the viewer's scope, for the class register's index page. */
export async function classesFor(db: Database, viewer: Viewer) {
  const rows = await db
    .selectFrom("training_class as c")
    .innerJoin("training_centre as t", "t.id", "c.centre_id")
    .innerJoin("org_unit as o", "o.id", "t.org_unit_id")
    .select(["c.id", "c.name", "c.programme_code", "c.starts_on", "c.ends_on", "t.name as centre_name", "o.path"])
    .select((eb) =>
      eb.selectFrom("class_enrolment as e").whereRef("e.class_id", "=", "c.id").select(eb.fn.countAll<number>().as("n")).as("trainees"),
    )
    .orderBy("c.starts_on", "desc")
    .execute();
  return rows
    .filter((r) => canReach(viewer, READERS, r.path))
    .map(({ path: _path, ...r }) => ({ ...r, trainees: Number(r.trainees ?? 0) }));
}
