import { sql } from "kysely";
import type { Database } from "../db";
import type { Clock } from "../clock";
import { Forbidden } from "../errors";
import type { Viewer } from "../auth/scope";
import { compareVietnameseNames } from "../rules/vietnamese-names";
import type { AttemptState, IntegrityKind, RosterEvent, RosterRow, RosterSnapshot } from "./roster";
import { liveSummaries } from "./live-results";
import { nextRev, type Presence, type ProctorContext } from "./context";
import { access, latestAttempt, sessionOf } from "./session";
import { event, recentEvents } from "./event-log";

/** The live state of a session: the roster, trainees' presence and integrity signals, live results. */

export function stateOf(a: { status: string; paused_at: Date | null; locked_at: Date | null } | null, present: boolean): AttemptState {
  if (!a) return present ? "waiting" : "absent";
  if (a.status === "submitted" || a.status === "awaiting_grading") return "submitted";
  if (a.status === "in_progress") return a.locked_at ? "locked" : a.paused_at ? "paused" : "in_progress";
  return present ? "waiting" : "ready";
}

/** Roster rows of a session, or of some of its trainees. */
export async function rows(
  db: Database,
  clock: Clock,
  examId: number,
  classId: number,
  presence: Presence,
  only?: number[],
): Promise<RosterRow[]> {
  let q = db
    .selectFrom("class_enrolment as ce")
    .innerJoin("person as p", "p.id", "ce.person_id")
    .innerJoin("org_unit as u", "u.id", "p.org_unit_id")
    .leftJoin(
      (eb) =>
        eb
          .selectFrom("attempt")
          .selectAll()
          .where("exam_id", "=", examId)
          .where((w) =>
            w(
              "attempt_no",
              "=",
              w
                .selectFrom("attempt as a2")
                .select((s) => s.fn.max("a2.attempt_no").as("m"))
                .whereRef("a2.person_id", "=", "attempt.person_id")
                .where("a2.exam_id", "=", examId),
            ),
          )
          .as("a"),
      (j) => j.onRef("a.person_id", "=", "ce.person_id"),
    )
    .select([
      "p.id as person_id",
      "p.full_name",
      "u.name as unit_name",
      "a.id as attempt_id",
      "a.status",
      "a.deadline_at",
      "a.submitted_at",
      "a.score",
      "a.paused_at",
      "a.locked_at",
      "a.takeover_device_id",
    ])
    .where("ce.class_id", "=", classId);
  if (only?.length) q = q.where("ce.person_id", "in", only);
  const people = await q.execute();
  const attemptIds = people.map((p) => p.attempt_id).filter((x): x is number => x !== null);
  const answered = new Map<number, { positions: number[]; total: number; last: Date | null }>();
  if (attemptIds.length) {
    const items = await db
      .selectFrom("attempt_item")
      .select(["attempt_id", "position", "chosen", "saved_at"])
      .where("attempt_id", "in", attemptIds)
      .execute();
    for (const i of items) {
      const a = answered.get(i.attempt_id) ?? { positions: [], total: 0, last: null };
      a.total++;
      const chosen = i.chosen;
      if (chosen && chosen.length) a.positions.push(i.position);
      if (i.saved_at && (!a.last || new Date(i.saved_at) > a.last)) a.last = new Date(i.saved_at);
      answered.set(i.attempt_id, a);
    }
  }
  const integrity = new Map<number, { n: number; kind: string; at: Date }>();
  const ev = await db
    .selectFrom("exam_event")
    .select(["person_id", "kind", "at"])
    .where("exam_id", "=", examId)
    .where("source", "=", "trainee")
    .$if(!!only?.length, (w) => w.where("person_id", "in", only!))
    .orderBy("id")
    .execute();
  for (const e of ev) {
    if (e.person_id === null) continue;
    const prev = integrity.get(e.person_id);
    integrity.set(e.person_id, { n: (prev?.n ?? 0) + 1, kind: e.kind, at: new Date(e.at) });
  }
  const rev = nextRev(clock.now().getTime());
  return people.map((p): RosterRow => {
    const a = p.attempt_id ? answered.get(p.attempt_id) : undefined;
    const pres = presence.get(p.person_id);
    const i = integrity.get(p.person_id);
    return {
      personId: p.person_id,
      name: p.full_name,
      unit: p.unit_name,
      attemptId: p.attempt_id,
      status: stateOf(p.attempt_id ? { status: p.status!, paused_at: p.paused_at, locked_at: p.locked_at } : null, !!pres),
      connected: !!pres,
      current: pres?.current ?? null,
      answered: (a?.positions ?? []).sort((x, y) => x - y),
      total: a?.total ?? 0,
      deadline: p.deadline_at ? new Date(p.deadline_at).toISOString() : null,
      submittedAt: p.submitted_at ? new Date(p.submitted_at).toISOString() : null,
      score: p.score === null ? null : Number(p.score),
      takeoverPending: !!p.takeover_device_id,
      integrityCount: i?.n ?? 0,
      lastIntegrity: i ? { kind: i.kind, at: i.at.toISOString() } : null,
      lastActivity: a?.last ? a.last.toISOString() : null,
      rev,
    };
  });
}

export function liveMethods(ctx: ProctorContext) {
  const { db, clock, signalDb } = ctx;
  const methods = {
    async snapshot(viewer: Viewer, examId: number, presence: Presence): Promise<RosterSnapshot & { canAct: boolean }> {
      const s = await access(db, viewer, examId, "watch");
      let canAct = true;
      try {
        await access(db, viewer, examId, "act");
      } catch {
        canAct = false;
      }
      const list = await rows(db, clock, examId, s.class_id, presence);
      list.sort((a, b) => compareVietnameseNames(a.name, b.name));
      return {
        examId,
        title: s.title,
        className: s.class_name,
        serverNow: clock.now().toISOString(),
        gate: s.proctor_gate,
        startedAt: s.started_by_proctor_at ? new Date(s.started_by_proctor_at).toISOString() : null,
        pausedAt: s.paused_at ? new Date(s.paused_at).toISOString() : null,
        endedAt: s.session_ended_at ? new Date(s.session_ended_at).toISOString() : null,
        rows: list,
        events: await recentEvents(db, examId),
        canAct,
      };
    },

    /** Fresh roster rows for some trainees (after an answer, an event or an action). */
    async rowsFor(examId: number, personIds: number[], presence: Presence): Promise<RosterRow[]> {
      if (!personIds.length) return [];
      const s = await sessionOf(db, examId);
      return rows(db, clock, examId, s.class_id, presence, personIds);
    },

    /** The session a trainee's attempt belongs to (for routing live updates to its proctors). */
    async attemptSession(attemptId: number) {
      return db.selectFrom("attempt").select(["exam_id", "person_id", "status"]).where("id", "=", attemptId).executeTakeFirst();
    },

    /** Checks the trainee is enrolled in the session's class (before joining its room). */
    async traineeMayJoin(viewer: Viewer, examId: number) {
      if (!viewer.personId) return false;
      const s = await sessionOf(db, examId);
      const e = await signalDb
        .selectFrom("class_enrolment")
        .select("person_id")
        .where("class_id", "=", s.class_id)
        .where("person_id", "=", viewer.personId)
        .executeTakeFirst();
      return !!e;
    },

    /** An integrity signal from a trainee's browser: recorded and shown, never acted on automatically. */
    async recordIntegrity(
      viewer: Viewer,
      examId: number,
      kind: IntegrityKind,
      details: Record<string, unknown>,
      opts: { verified?: boolean } = {},
    ) {
      if (!viewer.personId || (!opts.verified && !(await methods.traineeMayJoin(viewer, examId))))
        throw new Forbidden("Bạn không thuộc ca thi này.");
      const personId = viewer.personId;
      // One statement: the event is tied to the trainee's latest attempt of the session.
      const now = clock.now();
      const inserted = await sql<{ id: string; at: Date; attempt_id: number | null }>`
        insert into exam_event (exam_id, attempt_id, person_id, source, kind, details, at)
        values (${examId}, (select id from attempt where exam_id = ${examId} and person_id = ${personId} order by attempt_no desc limit 1),
                ${personId}, 'trainee', ${kind}, ${JSON.stringify(details)}::jsonb, ${now})
        returning id, at, attempt_id`.execute(signalDb);
      const row = inserted.rows[0]!;
      return {
        id: String(row.id),
        at: new Date(row.at).toISOString(),
        attemptId: row.attempt_id,
        personId,
        name: viewer.displayName,
        source: "trainee",
        kind,
        reason: null,
        actor: null,
      } satisfies RosterEvent;
    },

    /** Records the address a trainee's screen connects from; a change mid-attempt is an integrity event. */
    async noteAddress(viewer: Viewer, attemptId: number, ip: string | null): Promise<RosterEvent | null> {
      if (!ip || !viewer.personId) return null;
      const before = await db
        .updateTable("attempt as a")
        .set({ last_ip: ip })
        .from((eb) => eb.selectFrom("attempt").select(["id", "last_ip as prev"]).where("id", "=", attemptId).as("old"))
        .whereRef("a.id", "=", "old.id")
        .where("a.person_id", "=", viewer.personId)
        // Unchanged (the usual case, and always right after a start): a read, no write.
        .where((eb) => eb("a.last_ip", "is", null).or("a.last_ip", "!=", ip))
        .returning(["a.exam_id", "old.prev", "a.status"])
        .executeTakeFirst();
      if (!before || !before.prev || before.prev === ip || before.status !== "in_progress") return null;
      return event(db, clock, {
        examId: before.exam_id,
        attemptId,
        personId: viewer.personId,
        source: "trainee",
        kind: "ip_change",
        details: { from: before.prev, to: ip },
      });
    },

    /** A second device asked for an attempt that is live elsewhere: remember it for the proctor. */
    async requestTakeover(viewer: Viewer, examId: number, deviceId: string): Promise<RosterEvent | null> {
      if (!viewer.personId) return null;
      const a = await latestAttempt(db, examId, viewer.personId);
      if (!a || a.status !== "in_progress" || a.device_id === deviceId) return null;
      if (a.takeover_device_id === deviceId) return null;
      await db.updateTable("attempt").set({ takeover_device_id: deviceId }).where("id", "=", a.id).execute();
      return event(db, clock, {
        examId,
        attemptId: a.id,
        personId: viewer.personId,
        source: "trainee",
        kind: "second_device",
        details: { deviceId: deviceId.slice(0, 12) },
      });
    },

    /** Live results of the sessions in the viewer's subtree (the dashboard's first paint). */
    liveResults(viewer: Viewer) {
      return liveSummaries(db, viewer, clock.now());
    },

    /** A server-side submission at the deadline, for the session's log and its proctors. */
    async noteAutoSubmit(attemptId: number): Promise<{ examId: number; personId: number; event: RosterEvent } | null> {
      const a = await db.selectFrom("attempt").select(["exam_id", "person_id"]).where("id", "=", attemptId).executeTakeFirst();
      if (!a) return null;
      const ev = await event(db, clock, { examId: a.exam_id, attemptId, personId: a.person_id, source: "server", kind: "auto_submit" });
      return { examId: a.exam_id, personId: a.person_id, event: ev };
    },
  };
  return methods;
}
