import type { Database } from "../db";
import { NotFound } from "../errors";

/**
 * Where a class sits: its centre and the organisation unit whose scope decides who may
 * see it. Thirteen services used to repeat this class → centre → unit join; they share
 * this one read (pass the transaction when inside one: PGlite has a single connection).
 */
export interface ClassPlace {
  id: number;
  name: string;
  programme_code: string;
  centre_id: number;
  centre_name: string;
  org_unit_id: number;
  /** The owning unit's materialised path ("/1/4/"): the class is in a viewer's scope when this starts with a grant's path. */
  path: string;
}

export async function findClassPlace(db: Database, classId: number): Promise<ClassPlace | undefined> {
  if (!Number.isSafeInteger(classId)) return undefined;
  return db
    .selectFrom("training_class as c")
    .innerJoin("training_centre as t", "t.id", "c.centre_id")
    .innerJoin("org_unit as o", "o.id", "t.org_unit_id")
    .select(["c.id", "c.name", "c.programme_code", "c.centre_id", "t.name as centre_name", "t.org_unit_id", "o.path"])
    .where("c.id", "=", classId)
    .executeTakeFirst();
}

/** The class's place, or the "no such class" error a route turns into 404. */
export async function classPlace(db: Database, classId: number): Promise<ClassPlace> {
  const place = await findClassPlace(db, classId);
  if (!place) throw new NotFound("Không có lớp này.");
  return place;
}
