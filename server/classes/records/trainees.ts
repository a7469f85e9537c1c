import { sql } from "kysely";
import type { Database } from "../../db";
import type { Clock } from "../../clock";
import type { AttendanceStatus } from "../../db/schema-class-records";
import { sortByVietnameseName } from "../../rules/vietnamese-names";
import { summariseAttendance } from "../attendance";
import type { RecordsPolicy } from "../records-policy";
import { today } from "./context";
import type { Klass } from "./scope";
import { outline } from "./settings";

/** Enrolled trainees with their sending unit (the nominating unit, else their own), sorted the Vietnamese way. */
export async function trainees(db: Database, classId: number) {
  const rows = await db
    .selectFrom("class_enrolment as e")
    .innerJoin("person as p", "p.id", "e.person_id")
    .leftJoin("nomination as n", (j) =>
      j.onRef("n.person_id", "=", "p.id").onRef("n.class_id", "=", "e.class_id").on("n.status", "=", "approved"),
    )
    .innerJoin("org_unit as u", (j) => j.on(sql`u.id`, "=", sql`coalesce(n.unit_id, p.org_unit_id)`))
    .select(["p.id", "p.full_name", "p.birth_date", "u.id as unit_id", "u.name as unit_name"])
    .where("e.class_id", "=", classId)
    .execute();
  const seen = new Set<number>();
  return sortByVietnameseName(
    rows.filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true))),
    (r) => r.full_name,
  );
}

export async function sessionsOf(db: Database, classId: number) {
  return db.selectFrom("class_session").selectAll().where("class_id", "=", classId).orderBy("seq").execute();
}

/** Every trainee's attendance over the class's sessions, and whether they may sit the assessment. */
export async function attendanceSummaries(db: Database, clock: Clock, k: Klass, policy: RecordsPolicy) {
  const [sessions, people, o] = await Promise.all([sessionsOf(db, k.id), trainees(db, k.id), outline(db, k)]);
  const marks = sessions.length
    ? await db
        .selectFrom("attendance")
        .select(["session_id", "person_id", "status"])
        .where(
          "session_id",
          "in",
          sessions.map((s) => s.id),
        )
        .execute()
    : [];
  const byPerson = new Map<number, Map<number, AttendanceStatus>>();
  for (const m of marks) {
    if (!byPerson.has(m.person_id)) byPerson.set(m.person_id, new Map());
    byPerson.get(m.person_id)!.set(m.session_id, m.status);
  }
  const held = new Set(sessions.filter((s) => s.on_date <= today(clock)).map((s) => s.id));
  // The threshold is a share of the timetable's periods (the programme's when none is set).
  const total = sessions.length ? sessions.reduce((sum, s) => sum + s.periods, 0) : o.totalPeriods;
  const summaries = new Map(people.map((p) => [p.id, summariseAttendance(sessions, byPerson.get(p.id) ?? new Map(), total, policy, held)]));
  return { sessions, people, byPerson, summaries, total, held };
}
