import type { Database } from "../db";
import type { Viewer } from "../auth/scope";
import { canReach, scopeRoots } from "../auth/scope";
import type { Role } from "../db/schema";
import { distribution } from "../exams/analysis";
import { DEFAULT_POLICY } from "../exams/scoring";
import { findClassPlace } from "../classes/class-place";

/**
 * Live results of exam sessions, class by class, for the class's centre and every
 * committee above it. A summary is a handful of counts over one class (≈100 rows), so
 * it is recomputed on each change rather than maintained.
 */
export const RESULT_WATCHERS: Role[] = ["centre_admin", "committee", "organisation_board"];

export interface LiveSummary {
  examId: number;
  title: string;
  kind: string;
  classId: number;
  className: string;
  centreName: string;
  /** Ids of the centre's unit and every unit above it (rooms `results:unit:<id>`). */
  unitIds: number[];
  enrolled: number;
  submitted: number;
  passed: number;
  passRate: number;
  bands: { code: string; label: string; count: number }[];
  distribution: number[];
  updatedAt: string;
}

export async function liveSummary(db: Database, examId: number, now: Date): Promise<LiveSummary | null> {
  const exam = await db
    .selectFrom("exam")
    .select(["id", "title", "kind", "policy", "class_id"])
    .where("id", "=", examId)
    .executeTakeFirst();
  const place = exam && (await findClassPlace(db, exam.class_id));
  if (!exam || !place) return null;
  const e = { ...exam, class_name: place.name, centre_name: place.centre_name, path: place.path };
  const policy = e.policy ?? DEFAULT_POLICY;
  const enrolled = await db
    .selectFrom("class_enrolment")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("class_id", "=", e.class_id)
    .executeTakeFirstOrThrow();
  // The latest submitted attempt per trainee counts (practice exams allow several).
  const attempts = await db
    .selectFrom("attempt")
    .select(["person_id", "score", "band", "passed", "attempt_no"])
    .where("exam_id", "=", examId)
    .where("status", "=", "submitted")
    .where("score", "is not", null)
    .execute();
  const latest = new Map<number, (typeof attempts)[number]>();
  for (const a of attempts) if ((latest.get(a.person_id)?.attempt_no ?? 0) < a.attempt_no) latest.set(a.person_id, a);
  const done = [...latest.values()];
  const passed = done.filter((a) => a.passed).length;
  return {
    examId: e.id,
    title: e.title,
    kind: e.kind,
    classId: e.class_id,
    className: e.class_name,
    centreName: e.centre_name,
    unitIds: e.path.split("/").filter(Boolean).map(Number),
    enrolled: Number(enrolled.n),
    submitted: done.length,
    passed,
    passRate: done.length ? passed / done.length : 0,
    bands: policy.bands.map((b) => ({ code: b.code, label: b.label, count: done.filter((a) => a.band === b.code).length })),
    distribution: distribution(
      done.map((a) => Number(a.score)),
      policy.scale,
    ),
    updatedAt: now.toISOString(),
  };
}

/** Summaries of the sessions a viewer may watch, most recent first (the page's first paint). */
export async function liveSummaries(db: Database, viewer: Viewer, now: Date, limit = 30): Promise<LiveSummary[]> {
  const roots = scopeRoots(viewer, RESULT_WATCHERS);
  if (!roots.length) return [];
  const exams = await db
    .selectFrom("exam as e")
    .innerJoin("training_class as c", "c.id", "e.class_id")
    .innerJoin("training_centre as t", "t.id", "c.centre_id")
    .innerJoin("org_unit as o", "o.id", "t.org_unit_id")
    .select(["e.id", "o.path"])
    .where((eb) => eb.or(roots.map((r) => eb("o.path", "like", `${r}%`))))
    .orderBy("e.opens_at", "desc")
    .limit(limit)
    .execute();
  const out: LiveSummary[] = [];
  for (const e of exams) {
    if (!canReach(viewer, RESULT_WATCHERS, e.path)) continue;
    const s = await liveSummary(db, e.id, now);
    if (s) out.push(s);
  }
  return out;
}
