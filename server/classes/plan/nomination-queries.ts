import type { Database } from "../../db";
import type { Role } from "../../db/schema";
import type { NominationStatus } from "../../db/schema-class-plan";
import { scopeRoots, type Viewer } from "../../auth/scope";
import { BadRequest, Forbidden } from "../../errors";
import { sortByVietnameseName } from "../../rules/vietnamese-names";
import { personKey, verdict, type Check, type Verdict } from "../eligibility";
import { checksFor } from "./checks";
import { NOMINATORS, STATUS_LABELS } from "./context";
import { centreOf, planItem } from "./scope";

/** The reads nominations, review and opening share: a nomination with its checks, nominating units, people matched by name. */

export interface NominationView {
  id: number;
  personId: number;
  fullName: string;
  birthDate: string | null;
  unitId: number;
  unitName: string;
  programmeCode: string;
  programmeName: string;
  planItemId: number | null;
  planItemLabel: string | null;
  classId: number | null;
  className: string | null;
  status: NominationStatus;
  statusLabel: string;
  decisionReason: string | null;
  overrideRules: string[];
  overrideReason: string | null;
  note: string | null;
  decidedAt: Date | null;
  createdAt: Date;
  checks: Check[];
  verdict: Verdict;
}

export function nominationQuery(db: Database) {
  return db
    .selectFrom("nomination as n")
    .innerJoin("person as p", "p.id", "n.person_id")
    .innerJoin("org_unit as u", "u.id", "n.unit_id")
    .innerJoin("programme as g", "g.code", "n.programme_code")
    .leftJoin("training_plan_item as i", "i.id", "n.plan_item_id")
    .leftJoin("training_class as c", "c.id", "n.class_id")
    .select([
      "n.id",
      "n.person_id",
      "n.programme_code",
      "n.unit_id",
      "n.plan_item_id",
      "n.class_id",
      "n.status",
      "n.decision_reason",
      "n.override_rules",
      "n.override_reason",
      "n.note",
      "n.decided_at",
      "n.created_at",
      "p.full_name",
      "p.birth_date",
      "p.education_level",
      "p.party_status",
      "p.position",
      "u.name as unit_name",
      "u.path as unit_path",
      "g.name as programme_name",
      "i.label as plan_label",
      "i.year as plan_year",
      "c.name as class_name",
    ]);
}
export type NominationRow = Awaited<ReturnType<ReturnType<typeof nominationQuery>["execute"]>>[number];

/** Nomination rows as the pages show them, each with its live checks; sorted by Vietnamese name. */
export async function toViews(db: Database, today: string, rows: NominationRow[]): Promise<NominationView[]> {
  const year = Number(today.slice(0, 4));
  const checks = await checksFor(
    db,
    rows.map((r) => ({
      nominationId: r.id,
      classId: r.class_id,
      programmeCode: r.programme_code,
      year: r.plan_year ?? year,
      person: {
        id: r.person_id,
        full_name: r.full_name,
        birth_date: r.birth_date,
        education_level: r.education_level,
        party_status: r.party_status,
        position: r.position,
      },
    })),
  );
  const views = rows.map((r, i) => {
    const overrideRules = (r.override_rules as unknown as string[]) ?? [];
    return {
      id: r.id,
      personId: r.person_id,
      fullName: r.full_name,
      birthDate: r.birth_date,
      unitId: r.unit_id,
      unitName: r.unit_name,
      programmeCode: r.programme_code,
      programmeName: r.programme_name,
      planItemId: r.plan_item_id,
      planItemLabel: r.plan_label ? `${r.plan_label} năm ${r.plan_year}` : null,
      classId: r.class_id,
      className: r.class_name,
      status: r.status,
      statusLabel: STATUS_LABELS[r.status],
      decisionReason: r.decision_reason,
      overrideRules,
      overrideReason: r.override_reason,
      note: r.note,
      decidedAt: r.decided_at,
      createdAt: r.created_at,
      checks: checks[i]!,
      verdict: verdict(checks[i]!, overrideRules),
    };
  });
  return sortByVietnameseName(views, (v) => v.fullName);
}

export function scopeFilter(viewer: Viewer, roles: Role[]) {
  const roots = scopeRoots(viewer, roles);
  if (roots.length === 0) throw new Forbidden("Bạn không có quyền xem danh sách đề cử.");
  return roots;
}

/** Units a secretary may nominate from: their subtree (cells and grassroots committees). */
export async function nominatingUnits(db: Database, viewer: Viewer) {
  const roots = scopeRoots(viewer, NOMINATORS);
  if (roots.length === 0) return [];
  return db
    .selectFrom("org_unit")
    .select(["id", "name", "abbreviation", "short_name", "path", "kind"])
    .where((eb) => eb.or(roots.map((r) => eb("path", "like", `${r}%`))))
    .where("kind", "in", ["cell", "grassroots"])
    .orderBy("path")
    .execute();
}

/** Plan items a unit may nominate for: items of centres above the unit, this year and later. */
export async function planItemsForUnits(db: Database, today: string, unitPaths: string[]) {
  const year = Number(today.slice(0, 4));
  const items = await db
    .selectFrom("training_plan_item as i")
    .innerJoin("training_centre as c", "c.id", "i.centre_id")
    .innerJoin("org_unit as o", "o.id", "c.org_unit_id")
    .innerJoin("programme as g", "g.code", "i.programme_code")
    .select([
      "i.id",
      "i.year",
      "i.month",
      "i.label",
      "i.programme_code",
      "i.intended_group",
      "i.target_size",
      "g.name as programme_name",
      "c.name as centre_name",
      "o.path",
    ])
    .where("i.year", ">=", year)
    .orderBy("i.year")
    .orderBy("i.month")
    .execute();
  return items.filter((i) => unitPaths.some((p) => p.startsWith(i.path)));
}

export async function requirePlanItemFor(db: Database, planItemId: number, programmeCode: string, unitPath: string) {
  const item = await planItem(db, planItemId);
  if (item.programme_code !== programmeCode) throw new BadRequest("Mục kế hoạch đã chọn thuộc chương trình khác.");
  const centre = await centreOf(db, item.centre_id);
  if (!unitPath.startsWith(centre.path)) throw new BadRequest("Mục kế hoạch đã chọn không thuộc trung tâm phụ trách đơn vị này.");
  return item;
}

/** Refuses a nomination when the person already has a live one for the programme. */
export async function liveNominationOf(trx: Database, personId: number, programmeCode: string) {
  return trx
    .selectFrom("nomination as n")
    .innerJoin("org_unit as u", "u.id", "n.unit_id")
    .select(["n.id", "n.status", "u.name as unit_name"])
    .where("n.person_id", "=", personId)
    .where("n.programme_code", "=", programmeCode)
    .where((eb) => eb.or([eb("n.status", "=", "pending"), eb.and([eb("n.status", "=", "approved"), eb("n.class_id", "is", null)])]))
    .executeTakeFirst();
}

export async function enrolledOpen(trx: Database, personId: number, programmeCode: string) {
  return trx
    .selectFrom("class_enrolment as e")
    .innerJoin("training_class as c", "c.id", "e.class_id")
    .select(["c.name"])
    .where("e.person_id", "=", personId)
    .where("c.programme_code", "=", programmeCode)
    .where("c.status", "=", "open")
    .executeTakeFirst();
}

/** An existing person in the unit's subtree with the same name and birth date, or none. */
export async function matchPerson(trx: Database, unitPath: string, fullName: string, birthDate: string) {
  const candidates = await trx
    .selectFrom("person as p")
    .innerJoin("org_unit as o", "o.id", "p.org_unit_id")
    .select(["p.id", "p.full_name", "p.birth_date"])
    .where("o.path", "like", `${unitPath}%`)
    .where("p.birth_date", "=", birthDate)
    .execute();
  const key = personKey(fullName, birthDate);
  return candidates.find((c) => personKey(c.full_name, c.birth_date) === key) ?? null;
}
