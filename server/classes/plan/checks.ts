import type { Database } from "../../db";
import type { PartyStatus } from "../../db/schema";
import { checkEligibility, defaultRuleSet, ruleSetSchema, type Check, type OtherEntry, type RuleSet } from "../eligibility";
import { programmes } from "./scope";

/** The eligibility facts a nominee is checked against, read in bulk (the rules themselves: ../eligibility.ts). */

export async function ruleSetFor(db: Database, code: string, year: number): Promise<RuleSet> {
  const row = await db.selectFrom("eligibility_rule_set").select("rules").where("programme_code", "=", code).executeTakeFirst();
  if (!row) return defaultRuleSet(code, year);
  const r = ruleSetSchema.safeParse(row.rules);
  return r.success ? r.data : defaultRuleSet(code, year);
}

/** Live nominations and open-class enrolments of these programmes, for duplicate checks. */
async function entriesFor(db: Database, codes: string[]) {
  if (codes.length === 0) return [];
  const noms = await db
    .selectFrom("nomination as n")
    .innerJoin("person as p", "p.id", "n.person_id")
    .innerJoin("org_unit as u", "u.id", "n.unit_id")
    .leftJoin("training_class as c", "c.id", "n.class_id")
    .select(["n.id", "n.programme_code", "n.person_id", "p.full_name", "p.birth_date", "u.name as unit_name", "n.status", "n.class_id"])
    .where("n.programme_code", "in", codes)
    .where((eb) => eb.or([eb("n.status", "=", "pending"), eb.and([eb("n.status", "=", "approved"), eb("n.class_id", "is", null)])]))
    .execute();
  const enrols = await db
    .selectFrom("class_enrolment as e")
    .innerJoin("training_class as c", "c.id", "e.class_id")
    .innerJoin("person as p", "p.id", "e.person_id")
    .select(["c.id as class_id", "c.name as class_name", "c.programme_code", "e.person_id", "p.full_name", "p.birth_date"])
    .where("c.programme_code", "in", codes)
    .where("c.status", "=", "open")
    .execute();
  return [
    ...noms.map((n) => ({
      nominationId: n.id,
      classId: null as number | null,
      programme: n.programme_code,
      entry: {
        kind: "nomination" as const,
        personId: n.person_id,
        fullName: n.full_name,
        birthDate: n.birth_date,
        where: n.unit_name,
        status: n.status,
      },
    })),
    ...enrols.map((e) => ({
      nominationId: null as number | null,
      classId: e.class_id,
      programme: e.programme_code,
      entry: {
        kind: "enrolment" as const,
        personId: e.person_id,
        fullName: e.full_name,
        birthDate: e.birth_date,
        where: e.class_name,
        status: "open",
      },
    })),
  ];
}

async function certifiedOf(db: Database, personIds: number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  if (personIds.length === 0) return out;
  const rows = await db
    .selectFrom("certificate")
    .select(["person_id", "programme_code"])
    .where("person_id", "in", personIds)
    .where("status", "=", "valid")
    .execute();
  for (const r of rows) out.set(r.person_id, [...(out.get(r.person_id) ?? []), r.programme_code]);
  return out;
}

export interface Subject {
  nominationId: number | null;
  /** The class this nominee is already linked to (its own enrolment is no duplicate). */
  classId: number | null;
  programmeCode: string;
  year: number;
  person: {
    id: number | null;
    full_name: string;
    birth_date: string | null;
    education_level: string | null;
    party_status: PartyStatus;
    position: string | null;
  };
}

/** Checks for many nominees at once (one query per kind of fact). */
export async function checksFor(db: Database, subjects: Subject[]): Promise<Check[][]> {
  const codes = [...new Set(subjects.map((s) => s.programmeCode))];
  const entries = await entriesFor(db, codes);
  const certified = await certifiedOf(
    db,
    subjects.map((s) => s.person.id).filter((id): id is number => id !== null),
  );
  const names = new Map((await programmes(db)).map((p) => [p.code, p.name]));
  const rules = new Map<string, RuleSet>();
  const out: Check[][] = [];
  for (const s of subjects) {
    const rk = `${s.programmeCode}|${s.year}`;
    if (!rules.has(rk)) rules.set(rk, await ruleSetFor(db, s.programmeCode, s.year));
    const others: OtherEntry[] = entries
      .filter(
        (e) =>
          e.programme === s.programmeCode &&
          e.nominationId !== s.nominationId &&
          !(e.classId !== null && e.classId === s.classId && e.entry.personId === s.person.id),
      )
      .map((e) => e.entry);
    out.push(
      checkEligibility(
        rules.get(rk)!,
        {
          id: s.person.id,
          fullName: s.person.full_name,
          birthDate: s.person.birth_date,
          educationLevel: s.person.education_level,
          partyStatus: s.person.party_status,
          position: s.person.position,
        },
        {
          certifiedProgrammes: s.person.id ? (certified.get(s.person.id) ?? []) : [],
          programmeCode: s.programmeCode,
          programmeName: names.get(s.programmeCode) ?? s.programmeCode,
          others,
        },
      ),
    );
  }
  return out;
}
