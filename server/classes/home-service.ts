import { sql } from "kysely";
import type { ServiceDeps } from "../service-deps";
import { canReach, type Viewer } from "../auth/scope";
import type { Role } from "../db/schema";
import { Forbidden } from "../errors";
import { vnDay } from "../rules/dates";
import { classLife, nextStep, type ClassFacts } from "./next-step";
import { classPlace } from "./class-place";

/** Who may open a class's home: the readers of its register (the same grant as its pages). */
const READERS: Role[] = ["centre_admin", "lecturer", "proctor", "organisation_board", "committee"];

/**
 * The class home (`/lop/:id`, issue 14 item 7): the class's header and the counts of each
 * stage of its life, read in a handful of aggregate queries; the stages and the next step
 * come from the pure `next-step.ts`. Read-only.
 */
export function createClassHomeService(deps: Pick<ServiceDeps, "db" | "clock">) {
  const { db, clock } = deps;

  async function facts(k: {
    id: number;
    programme_code: string;
    starts_on: string | null;
    ends_on: string | null;
    plan_item_id: number | null;
    manifest: unknown;
  }): Promise<ClassFacts> {
    const classId = k.id;
    const today = vnDay(clock.now());
    const now = clock.now();
    const [trainees, planItem, docs, sessions, marked, lessons, tests, attempts, results, certs, notices, survey] = await Promise.all([
      db.selectFrom("class_enrolment").select(db.fn.countAll<string>().as("n")).where("class_id", "=", classId).executeTakeFirst(),
      k.plan_item_id
        ? db
            .selectFrom("training_plan_item")
            .select(["id", "year", "month", "label", "target_size"])
            .where("id", "=", k.plan_item_id)
            .executeTakeFirst()
        : Promise.resolve(undefined),
      db
        .selectFrom("class_document")
        .select(["doc_type", "label"])
        .where("class_id", "=", classId)
        .where("doc_type", "in", ["QĐ", "GTT"])
        .execute(),
      db
        .selectFrom("class_session")
        .select([
          db.fn.countAll<string>().as("total"),
          sql<string | null>`sum(periods)`.as("periods"),
          sql<string>`count(*) filter (where on_date <= ${today})`.as("due"),
          sql<string | null>`min(on_date)::text`.as("first"),
        ])
        .where("class_id", "=", classId)
        .executeTakeFirst(),
      db
        .selectFrom("attendance as a")
        .innerJoin("class_session as s", "s.id", "a.session_id")
        .select([sql<string>`count(distinct a.session_id)`.as("n"), sql<Date | null>`max(a.marked_at)`.as("last")])
        .where("s.class_id", "=", classId)
        .executeTakeFirst(),
      db
        .selectFrom("lesson")
        .select(db.fn.countAll<string>().as("n"))
        .where("programme_code", "=", k.programme_code)
        .where("published_version_id", "is not", null)
        .executeTakeFirst(),
      db
        .selectFrom("exam as e")
        .select([db.fn.countAll<string>().as("official"), sql<string>`count(*) filter (where e.closes_at >= ${now})`.as("open")])
        .where("e.class_id", "=", classId)
        .where("e.kind", "=", "official")
        .executeTakeFirst(),
      db
        .selectFrom("attempt as a")
        .innerJoin("exam as x", "x.id", "a.exam_id")
        .select([
          sql<string>`count(distinct a.person_id) filter (where x.kind = 'official' and a.status in ('submitted', 'awaiting_grading'))`.as(
            "submitted",
          ),
          sql<string>`count(*) filter (where x.kind = 'official' and a.status = 'awaiting_grading')`.as("awaiting"),
          sql<Date | null>`max(a.submitted_at)`.as("lastSubmitted"),
        ])
        .where("x.class_id", "=", classId)
        .executeTakeFirst(),
      db
        .selectFrom("class_result")
        .select([
          db.fn.countAll<string>().as("computed"),
          sql<string>`count(*) filter (where outcome = 'passed' or (outcome = 'pending' and passed))`.as("passed"),
          sql<string>`count(*) filter (where outcome = 'pending' and not passed)`.as("pending"),
          sql<Date | null>`max(computed_at)`.as("at"),
        ])
        .where("class_id", "=", classId)
        .executeTakeFirst(),
      db
        .selectFrom("class_result as r")
        .select([
          sql<string>`(select count(*) from certificate z where z.class_id = ${classId} and z.status = 'valid')`.as("valid"),
          sql<string>`count(*) filter (where not exists (select 1 from certificate z where z.person_id = r.person_id and z.programme_code = ${k.programme_code} and z.status = 'valid'))`.as(
            "awaiting",
          ),
          sql<Date | null>`(select max(c.recorded_at) from conduct_record c where c.class_id = ${classId})`.as("lastConduct"),
        ])
        .where("r.class_id", "=", classId)
        .where((eb) => eb.or([eb("r.outcome", "=", "passed"), eb.and([eb("r.outcome", "=", "pending"), eb("r.passed", "=", true)])]))
        .executeTakeFirst(),
      db
        .selectFrom("records_document")
        .select([
          sql<string>`count(*) filter (where doc_type = 'TB')`.as("notices"),
          sql<string>`count(*) filter (where doc_type = 'BC')`.as("report"),
        ])
        .where("class_id", "=", classId)
        .executeTakeFirst(),
      db
        .selectFrom("survey")
        .select(["id", "responses", "opens_on", "closes_on"])
        .where("class_id", "=", classId)
        .where("kind", "=", "course")
        .orderBy("id", "desc")
        .execute(),
    ]);
    // Sending units: the approved nomination that placed the trainee, else their own unit (as the notices do).
    const units = await db
      .selectFrom("class_enrolment as e")
      .innerJoin("person as p", "p.id", "e.person_id")
      .leftJoin("nomination as n", (j) =>
        j.onRef("n.person_id", "=", "p.id").onRef("n.class_id", "=", "e.class_id").on("n.status", "=", "approved"),
      )
      .select(sql<string>`count(distinct coalesce(n.unit_id, p.org_unit_id))`.as("n"))
      .where("e.class_id", "=", classId)
      .executeTakeFirst();
    const noms = await db
      .selectFrom("nomination")
      .select([
        sql<string>`count(*) filter (where status = 'pending')`.as("pending"),
        sql<string>`count(*) filter (where status = 'approved' and class_id is null)`.as("unplaced"),
        sql<string>`count(*) filter (where status = 'approved' and class_id = ${classId})`.as("placed"),
        sql<string>`count(*) filter (where status = 'rejected')`.as("rejected"),
      ])
      .where((eb) =>
        k.plan_item_id ? eb.or([eb("plan_item_id", "=", k.plan_item_id), eb("class_id", "=", classId)]) : eb("class_id", "=", classId),
      )
      .executeTakeFirst();
    const lessonCount = Number(lessons?.n ?? 0);
    const finished =
      lessonCount === 0
        ? 0
        : Number(
            (
              await db
                .selectFrom("class_enrolment as e")
                .innerJoin("user_account as a", "a.person_id", "e.person_id")
                .select(
                  sql<string>`count(*) filter (where (select count(*) from lesson_progress lp join lesson l on l.id = lp.lesson_id where lp.user_id = a.id and lp.completed_at is not null and l.programme_code = ${k.programme_code} and l.published_version_id is not null) >= ${lessonCount})`.as(
                    "n",
                  ),
                )
                .where("e.class_id", "=", classId)
                .executeTakeFirst()
            )?.n ?? 0,
          );
    const manifest = k.manifest as { totalPeriods?: number } | null;
    const computedAt = results?.at ? new Date(results.at) : null;
    const changes = [marked?.last, attempts?.lastSubmitted, certs?.lastConduct]
      .filter((x): x is Date => !!x)
      .map((x) => new Date(x).getTime());
    const official = Number(tests?.official ?? 0);
    return {
      today,
      startsOn: k.starts_on,
      endsOn: k.ends_on,
      trainees: Number(trainees?.n ?? 0),
      planItem: planItem
        ? { id: planItem.id, year: planItem.year, month: planItem.month, label: planItem.label, targetSize: planItem.target_size }
        : null,
      nominations: {
        pending: Number(noms?.pending ?? 0),
        approvedUnplaced: Number(noms?.unplaced ?? 0),
        placed: Number(noms?.placed ?? 0),
        rejected: Number(noms?.rejected ?? 0),
      },
      decision: docs.find((d) => d.doc_type === "QĐ")?.label ?? null,
      callUp: docs.find((d) => d.doc_type === "GTT")?.label ?? null,
      sessions: {
        total: Number(sessions?.total ?? 0),
        periods: Number(sessions?.periods ?? 0),
        due: Number(sessions?.due ?? 0),
        marked: Number(marked?.n ?? 0),
        firstDate: sessions?.first ?? null,
      },
      programmePeriods: Number(manifest?.totalPeriods ?? 0),
      selfStudy: { lessons: lessonCount, finished },
      tests: {
        official,
        submitted: Number(attempts?.submitted ?? 0),
        awaitingGrading: Number(attempts?.awaiting ?? 0),
        allClosed: official > 0 && Number(tests?.open ?? 0) === 0,
      },
      results: {
        computed: Number(results?.computed ?? 0),
        passed: Number(results?.passed ?? 0),
        pending: Number(results?.pending ?? 0),
        stale: !!computedAt && changes.some((t) => t > computedAt.getTime()),
      },
      certificates: { valid: Number(certs?.valid ?? 0), awaiting: Number(certs?.awaiting ?? 0) },
      documents: { units: Number(units?.n ?? 0), notices: Number(notices?.notices ?? 0), report: Number(notices?.report ?? 0) > 0 },
      survey: {
        id: survey[0]?.id ?? null,
        count: survey.length,
        responses: survey.reduce((s, x) => s + Number(x.responses ?? 0), 0),
        open: survey.some((x) => !x.closes_on || String(x.closes_on) >= today),
      },
    };
  }

  return {
    /** The class's header, its stages, the next step and the roles the viewer holds over it. */
    async overview(viewer: Viewer, classId: number) {
      const place = await classPlace(db, classId);
      if (!canReach(viewer, READERS, place.path)) throw new Forbidden("Lớp này không thuộc phạm vi phụ trách của bạn.");
      const k = {
        ...place,
        ...(await db
          .selectFrom("training_class as c")
          .innerJoin("programme as p", "p.code", "c.programme_code")
          .select([
            "c.starts_on",
            "c.ends_on",
            "c.plan_item_id",
            "c.cohort_label",
            "c.venue",
            "c.status",
            "p.name as programme_name",
            "p.manifest",
          ])
          .where("c.id", "=", classId)
          .executeTakeFirstOrThrow()),
      };
      const f = await facts(k);
      const stages = classLife(k.id, f);
      // The roles that count on this class (a grant over its centre); admin reaches every page.
      const roles: Role[] = canReach(viewer, [], k.path) ? ["admin"] : READERS.filter((r) => canReach(viewer, [r], k.path));
      return {
        klass: {
          id: k.id,
          name: k.name,
          programmeCode: k.programme_code,
          programmeName: k.programme_name,
          centre: k.centre_name,
          cohortLabel: k.cohort_label,
          venue: k.venue,
          startsOn: k.starts_on,
          endsOn: k.ends_on,
          trainees: f.trainees,
          closed: k.status === "closed",
        },
        stages,
        next: nextStep(stages)?.key ?? null,
        roles,
      };
    },
  };
}

export type ClassHomeService = ReturnType<typeof createClassHomeService>;
