import type { Database } from "../../db";
import { canReach, type Viewer } from "../../auth/scope";
import { BadRequest, NotFound } from "../../errors";
import { PLAN_READERS } from "./context";

/** Lookups the plan's steps share: units, centres (with their unit's path), programmes, plan items. */

export async function unitOf(db: Database, id: number) {
  const u = await db.selectFrom("org_unit").selectAll().where("id", "=", id).executeTakeFirst();
  if (!u) throw new NotFound("Không tìm thấy đơn vị.");
  return u;
}

function centreQuery(db: Database) {
  return db
    .selectFrom("training_centre as c")
    .innerJoin("org_unit as o", "o.id", "c.org_unit_id")
    .select(["c.id", "c.name", "c.abbreviation", "c.director_name", "c.org_unit_id", "o.path", "o.name as unit_name", "o.place_name"]);
}

/** Centres a viewer may see plans of: by staff role over the centre, or a secretary under it. */
export async function visibleCentres(db: Database, viewer: Viewer) {
  const rows = await centreQuery(db).orderBy("c.id").execute();
  const secretaryPaths = viewer.roles.filter((g) => g.role === "unit_secretary").map((g) => g.orgPath);
  return rows.filter((c) => canReach(viewer, PLAN_READERS, c.path) || secretaryPaths.some((p) => p.startsWith(c.path)));
}

export async function centreOf(db: Database, centreId: number) {
  const c = await centreQuery(db).where("c.id", "=", centreId).executeTakeFirst();
  if (!c) throw new NotFound("Không tìm thấy trung tâm.");
  return c;
}

export async function programmes(db: Database) {
  return db.selectFrom("programme").select(["code", "name"]).orderBy("code", "desc").execute();
}

export async function programmeName(db: Database, code: string): Promise<string> {
  const p = await db.selectFrom("programme").select("name").where("code", "=", code).executeTakeFirst();
  if (!p) throw new BadRequest(`Không có chương trình “${code}”.`);
  return p.name;
}

export async function planItem(db: Database, id: number) {
  const item = await db.selectFrom("training_plan_item").selectAll().where("id", "=", id).executeTakeFirst();
  if (!item) throw new NotFound("Không tìm thấy mục kế hoạch.");
  return item;
}
