import type { Database } from "../db";
import type { NewPerson, OrgKind, OrgUnit, Person } from "../db/schema";
import { canReach, scopeRoots, type Viewer } from "../auth/scope";
import type { Role } from "../db/schema";
import { Forbidden, NotFound } from "../errors";
import { compareVietnameseNames, normaliseName } from "../rules/vietnamese-names";

/** Roles that may read people and units of their subtree. */
export const STAFF_ROLES: Role[] = ["centre_admin", "organisation_board", "committee", "unit_secretary"];

export interface NewUnitInput {
  parentId: number | null;
  kind: OrgKind;
  name: string;
  abbreviation: string;
  shortName?: string | null;
  termLabel?: string | null;
  termStart?: string | null;
  placeName?: string | null;
}

export async function createUnit(db: Database, input: NewUnitInput): Promise<OrgUnit> {
  return db.transaction().execute(async (trx) => {
    const parent = input.parentId
      ? await trx.selectFrom("org_unit").selectAll().where("id", "=", input.parentId).executeTakeFirstOrThrow()
      : null;
    const row = await trx
      .insertInto("org_unit")
      .values({
        parent_id: input.parentId,
        kind: input.kind,
        name: input.name.normalize("NFC"),
        abbreviation: input.abbreviation,
        short_name: input.shortName ?? null,
        term_label: input.termLabel ?? null,
        term_start: input.termStart ?? null,
        place_name: input.placeName ?? null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const path = `${parent?.path ?? "/"}${row.id}/`;
    return trx.updateTable("org_unit").set({ path }).where("id", "=", row.id).returningAll().executeTakeFirstOrThrow();
  });
}

export async function getUnit(db: Database, id: number): Promise<OrgUnit | undefined> {
  return db.selectFrom("org_unit").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Every unit under the given subtree roots, ordered as a tree (by path). */
export async function unitsUnder(db: Database, roots: string[]): Promise<OrgUnit[]> {
  if (roots.length === 0) return [];
  return db
    .selectFrom("org_unit")
    .selectAll()
    .where((eb) => eb.or(roots.map((r) => eb("path", "like", `${r}%`))))
    .orderBy("path")
    .execute();
}

/** Units a viewer may see with the given roles. */
export function visibleUnits(db: Database, viewer: Viewer, roles: Role[] = STAFF_ROLES): Promise<OrgUnit[]> {
  return unitsUnder(db, scopeRoots(viewer, roles));
}

export async function createPerson(db: Database, p: NewPerson): Promise<Person> {
  return db
    .insertInto("person")
    .values({ ...p, full_name: normaliseName(p.full_name) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface PersonWithUnit extends Person {
  unit_name: string;
  unit_path: string;
}

/** A person, only if the viewer's roles reach the person's unit; otherwise Forbidden. */
export async function getPersonFor(db: Database, viewer: Viewer, id: number): Promise<PersonWithUnit> {
  const row = await db
    .selectFrom("person as p")
    .innerJoin("org_unit as o", "o.id", "p.org_unit_id")
    .selectAll("p")
    .select(["o.name as unit_name", "o.path as unit_path"])
    .where("p.id", "=", id)
    .executeTakeFirst();
  if (!row) throw new NotFound("Không tìm thấy người này.");
  const self = viewer.personId === row.id;
  if (!self && !canReach(viewer, STAFF_ROLES, row.unit_path)) throw new Forbidden("Bạn không có quyền xem thông tin của đơn vị này.");
  return row;
}

export async function peopleFor(
  db: Database,
  viewer: Viewer,
  opts: { unitId?: number; search?: string; limit?: number } = {},
): Promise<PersonWithUnit[]> {
  const roots = scopeRoots(viewer, STAFF_ROLES);
  if (roots.length === 0) return [];
  let q = db
    .selectFrom("person as p")
    .innerJoin("org_unit as o", "o.id", "p.org_unit_id")
    .selectAll("p")
    .select(["o.name as unit_name", "o.path as unit_path"])
    .where((eb) => eb.or(roots.map((r) => eb("o.path", "like", `${r}%`))));
  if (opts.unitId) {
    const unit = await getUnit(db, opts.unitId);
    if (!unit) return [];
    q = q.where("o.path", "like", `${unit.path}%`);
  }
  if (opts.search) q = q.where("p.full_name", "ilike", `%${opts.search.normalize("NFC")}%`);
  const rows = await q.limit(opts.limit ?? 500).execute();
  return rows.sort((a, b) => compareVietnameseNames(a.full_name, b.full_name));
}

export async function centresFor(db: Database, viewer: Viewer) {
  const roots = scopeRoots(viewer, ["centre_admin", "lecturer", "proctor", "committee", "organisation_board"]);
  if (roots.length === 0) return [];
  return db
    .selectFrom("training_centre as c")
    .innerJoin("org_unit as o", "o.id", "c.org_unit_id")
    .selectAll("c")
    .select(["o.name as unit_name", "o.path as unit_path"])
    .where((eb) => eb.or(roots.map((r) => eb("o.path", "like", `${r}%`))))
    .orderBy("c.name")
    .execute();
}
