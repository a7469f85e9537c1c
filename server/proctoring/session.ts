import type { Database } from "../db";
import { audit } from "../audit/log";
import { BadRequest, Forbidden, NotFound } from "../errors";
import { canReach, type Viewer } from "../auth/scope";
import { ACTORS, type ProctorContext } from "./context";

/** A session (ca thi) with its class, centre and the unit whose scope decides who may watch it. */
export async function sessionOf(db: Database, examId: number) {
  const row = await db
    .selectFrom("exam as e")
    .innerJoin("training_class as c", "c.id", "e.class_id")
    .innerJoin("training_centre as t", "t.id", "c.centre_id")
    .innerJoin("org_unit as o", "o.id", "t.org_unit_id")
    .select([
      "e.id",
      "e.title",
      "e.kind",
      "e.class_id",
      "e.opens_at",
      "e.closes_at",
      "e.duration_minutes",
      "e.proctor_gate",
      "e.started_by_proctor_at",
      "e.paused_at",
      "e.session_ended_at",
      "e.incident_report_no",
      "c.name as class_name",
      "c.programme_code",
      "t.id as centre_id",
      "t.name as centre_name",
      "t.abbreviation as centre_abbr",
      "t.director_name",
      "o.id as unit_id",
      "o.path",
      "o.name as unit_name",
      "o.place_name",
    ])
    .where("e.id", "=", examId)
    .executeTakeFirst();
  if (!row) throw new NotFound("Không có ca thi này.");
  return row;
}
export type Session = Awaited<ReturnType<typeof sessionOf>>;

export async function isAssigned(db: Database, examId: number, userId: string) {
  return !!(await db
    .selectFrom("exam_proctor")
    .select("user_id")
    .where("exam_id", "=", examId)
    .where("user_id", "=", userId)
    .executeTakeFirst());
}

/**
 * Who may do what in a session: the centre's staff (write) act on any session of
 * their centre; a proctor acts only on sessions assigned to them; the committee and
 * the organisation board (read) may watch sessions in their subtree.
 */
export async function access(db: Database, viewer: Viewer, examId: number, mode: "watch" | "act"): Promise<Session> {
  const s = await sessionOf(db, examId);
  if (canReach(viewer, ACTORS, s.path, { write: true })) return s;
  if (canReach(viewer, ["proctor"], s.path, { write: true }) && (await isAssigned(db, examId, viewer.userId))) return s;
  if (mode === "watch" && (canReach(viewer, ACTORS, s.path) || canReach(viewer, ["committee", "organisation_board"], s.path))) return s;
  throw new Forbidden(mode === "act" ? "Bạn không được phân công coi ca thi này." : "Bạn không có quyền xem ca thi này.");
}

export async function attemptIn(db: Database, examId: number, attemptId: number) {
  const a = await db.selectFrom("attempt").selectAll().where("id", "=", attemptId).where("exam_id", "=", examId).executeTakeFirst();
  if (!a) throw new NotFound("Không có bài làm này trong ca thi.");
  return a;
}

export async function latestAttempt(db: Database, examId: number, personId: number) {
  return db
    .selectFrom("attempt")
    .selectAll()
    .where("exam_id", "=", examId)
    .where("person_id", "=", personId)
    .orderBy("attempt_no", "desc")
    .executeTakeFirst();
}

/** Sessions the viewer may watch, their proctors, and the centre's assignment of proctors. */
export function sessionMethods(ctx: ProctorContext) {
  const { db, clock } = ctx;
  const methods = {
    /** Who may do what in a session (see `access`). */
    access: (viewer: Viewer, examId: number, mode: "watch" | "act") => access(db, viewer, examId, mode),

    /** Sessions the viewer may proctor or watch, newest first. */
    async sessions(viewer: Viewer) {
      const list = await db
        .selectFrom("exam as e")
        .innerJoin("training_class as c", "c.id", "e.class_id")
        .innerJoin("training_centre as t", "t.id", "c.centre_id")
        .innerJoin("org_unit as o", "o.id", "t.org_unit_id")
        .leftJoin("exam_proctor as ep", (j) => j.onRef("ep.exam_id", "=", "e.id").on("ep.user_id", "=", viewer.userId))
        .select([
          "e.id",
          "e.title",
          "e.kind",
          "e.opens_at",
          "e.closes_at",
          "e.duration_minutes",
          "e.started_by_proctor_at",
          "e.session_ended_at",
          "c.name as class_name",
          "t.name as centre_name",
          "o.path",
          "ep.user_id as assigned",
        ])
        .select((eb) =>
          eb
            .selectFrom("class_enrolment as ce")
            .select(eb.fn.countAll<number>().as("n"))
            .whereRef("ce.class_id", "=", "c.id")
            .as("enrolled"),
        )
        .orderBy("e.opens_at", "desc")
        .execute();
      return list
        .filter(
          (e) =>
            canReach(viewer, ACTORS, e.path) ||
            canReach(viewer, ["committee", "organisation_board"], e.path) ||
            (e.assigned && canReach(viewer, ["proctor"], e.path)),
        )
        .map((e) => ({
          id: e.id,
          title: e.title,
          kind: e.kind,
          className: e.class_name,
          centreName: e.centre_name,
          opensAt: new Date(e.opens_at).toISOString(),
          closesAt: new Date(e.closes_at).toISOString(),
          durationMinutes: e.duration_minutes,
          startedAt: e.started_by_proctor_at ? new Date(e.started_by_proctor_at).toISOString() : null,
          endedAt: e.session_ended_at ? new Date(e.session_ended_at).toISOString() : null,
          enrolled: Number(e.enrolled),
          canAct:
            canReach(viewer, ACTORS, e.path, { write: true }) || (!!e.assigned && canReach(viewer, ["proctor"], e.path, { write: true })),
        }));
    },

    /** The proctors assigned to a session and the centre's proctors who could be. */
    async proctors(viewer: Viewer, examId: number) {
      const s = await access(db, viewer, examId, "watch");
      const assigned = await db
        .selectFrom("exam_proctor as ep")
        .innerJoin("user_account as u", "u.id", "ep.user_id")
        .select(["u.id", "u.username", "u.display_name"])
        .where("ep.exam_id", "=", examId)
        .execute();
      const candidates = await db
        .selectFrom("role_assignment as r")
        .innerJoin("user_account as u", "u.id", "r.user_id")
        .innerJoin("org_unit as o", "o.id", "r.org_unit_id")
        .select(["u.id", "u.username", "u.display_name", "o.path"])
        .where("r.role", "=", "proctor")
        .where("u.disabled", "=", false)
        .execute();
      return {
        assigned: assigned.map((a) => ({ userId: a.id, username: a.username, name: a.display_name })),
        candidates: candidates
          .filter((c) => s.path.startsWith(c.path))
          .map((c) => ({ userId: c.id, username: c.username, name: c.display_name })),
      };
    },

    /** Centre staff assign a proctor (a user with the proctor role over the centre) to a session. */
    async assignProctor(viewer: Viewer, examId: number, userId: string, assign = true) {
      const s = await sessionOf(db, examId);
      if (!canReach(viewer, ACTORS, s.path, { write: true })) throw new Forbidden("Chỉ cán bộ trung tâm phân công giám thị.");
      const { candidates } = await methods.proctors(viewer, examId);
      if (assign && !candidates.some((c) => c.userId === userId)) throw new BadRequest("Người này không phải giám thị của trung tâm.");
      await db.transaction().execute(async (trx) => {
        if (assign)
          await trx
            .insertInto("exam_proctor")
            .values({ exam_id: examId, user_id: userId, assigned_by: viewer.userId, assigned_at: clock.now() })
            .onConflict((oc) => oc.doNothing())
            .execute();
        else await trx.deleteFrom("exam_proctor").where("exam_id", "=", examId).where("user_id", "=", userId).execute();
        await audit(trx, {
          actorId: viewer.userId,
          action: assign ? "exam.proctor_assigned" : "exam.proctor_removed",
          entityType: "exam",
          entityId: examId,
          orgUnitId: s.unit_id,
          details: { userId },
        });
      });
    },
  };
  return methods;
}
