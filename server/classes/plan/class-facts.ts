import type { Database } from "../../db";
import type { Role } from "../../db/schema";
import { canReach, type Viewer } from "../../auth/scope";
import { Forbidden, NotFound } from "../../errors";
import { sortByVietnameseName } from "../../rules/vietnamese-names";
import { PARTY_STATUS_LABELS } from "../../organisations/labels";
import { nextDocumentNumber } from "../numbering";
import { DOC_TYPES, type ClassFacts, type Issuer, type TraineeFacts } from "../plan-documents";
import { defaultDecisionDate } from "../decision-date";

/** A class as its papers need it (issuer, facts, trainees) and the numbers its documents carry. */

/**
 * The class with what its papers print, if the viewer holds one of `roles` over its
 * centre. Its own join rather than classPlace: the papers need the centre's abbreviation
 * and director and the unit's name and place as well.
 */
export async function classFor(db: Database, viewer: Viewer, classId: number, roles: Role[], opts: { write?: boolean } = {}) {
  const c = await db
    .selectFrom("training_class as c")
    .innerJoin("training_centre as t", "t.id", "c.centre_id")
    .innerJoin("org_unit as o", "o.id", "t.org_unit_id")
    .innerJoin("programme as g", "g.code", "c.programme_code")
    .select([
      "c.id",
      "c.name",
      "c.programme_code",
      "c.starts_on",
      "c.ends_on",
      "c.cohort_label",
      "c.venue",
      "c.status",
      "c.plan_item_id",
      "c.centre_id",
      "g.name as programme_name",
      "t.name as centre_name",
      "t.abbreviation as centre_abbr",
      "t.director_name",
      "t.org_unit_id as centre_unit_id",
      "o.name as unit_name",
      "o.place_name",
      "o.path",
    ])
    .where("c.id", "=", classId)
    .executeTakeFirst();
  if (!c) throw new NotFound("Không có lớp này.");
  if (!canReach(viewer, roles, c.path, opts)) throw new Forbidden("Lớp này không thuộc trung tâm của bạn.");
  return c;
}
export type ClassRow = Awaited<ReturnType<typeof classFor>>;

export function issuerOf(c: ClassRow): Issuer {
  return {
    parentBody: c.unit_name,
    name: c.centre_name,
    abbreviation: c.centre_abbr,
    place: c.place_name ?? c.unit_name,
    directorName: c.director_name,
  };
}

export function factsOf(c: ClassRow): ClassFacts {
  return {
    name: c.name,
    programmeName: c.programme_name,
    cohortLabel: c.cohort_label,
    venue: c.venue,
    startsOn: c.starts_on,
    endsOn: c.ends_on,
  };
}

export async function traineesOf(db: Database, classId: number) {
  const rows = await db
    .selectFrom("class_enrolment as e")
    .innerJoin("person as p", "p.id", "e.person_id")
    .innerJoin("org_unit as u", "u.id", "p.org_unit_id")
    .leftJoin("user_account as a", "a.person_id", "p.id")
    .select([
      "p.id",
      "p.full_name",
      "p.birth_date",
      "p.party_status",
      "p.org_unit_id",
      "u.name as unit_name",
      "a.id as user_id",
      "a.username",
      "a.must_change_password",
    ])
    .where("e.class_id", "=", classId)
    .execute();
  return sortByVietnameseName(rows, (r) => r.full_name);
}
export type ClassTrainee = Awaited<ReturnType<typeof traineesOf>>[number];

export const traineeFacts = (t: ClassTrainee): TraineeFacts => ({
  fullName: t.full_name,
  birthDate: t.birth_date,
  unitName: t.unit_name,
  partyStatusLabel: t.party_status === "quan_chung" ? "" : PARTY_STATUS_LABELS[t.party_status],
});

/** The class's number for a document type, given once (at first issue) and kept for reprints. */
export async function classDocumentNumber(trx: Database, today: string, viewer: Viewer, c: ClassRow, docType: string) {
  const existing = await trx
    .selectFrom("class_document")
    .selectAll()
    .where("class_id", "=", c.id)
    .where("doc_type", "=", docType)
    .executeTakeFirst();
  if (existing) return existing;
  const n = await nextDocumentNumber(trx, { unitId: c.centre_unit_id, docType });
  return (
    trx
      .insertInto("class_document")
      // The decision to open the class precedes it: never dated after the class began (decision-date.ts).
      .values({
        class_id: c.id,
        doc_type: docType,
        no: n.no,
        label: n.label,
        term_label: n.termLabel,
        issued_on: docType === DOC_TYPES.decision.abbr ? defaultDecisionDate(today, c.starts_on) : today,
        created_by: viewer.userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
  );
}
