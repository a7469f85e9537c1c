import { sql } from "kysely";
import type { Database } from "../db";
import type { Clock } from "../clock";
import type { ExamService } from "../exams/service";
import type { Role } from "../db/schema";
import { audit } from "../audit/log";
import { BadRequest, Forbidden, NotFound } from "../errors";
import { canReach, type Viewer } from "../auth/scope";
import { compareVietnameseNames } from "../rules/vietnamese-names";
import { secondsLeft } from "../exams/timing";
import { proctorAction, type ProctorAction } from "./protocol";
import type { AttemptState, IntegrityKind, RosterEvent, RosterRow, RosterSnapshot } from "./roster";
import { renderIncidentReport } from "./incident-report";
import { liveSummaries } from "./live-results";
import { nextDocumentNumber } from "../classes/numbering";
import type { FigureHooks } from "../service-deps";

/**
 * Live proctoring of an exam session (ca thi): who may watch and act, the roster
 * snapshot, integrity events from trainees, and proctor actions. Every action is
 * checked against the session, written to the session's event log (the incident
 * report is printed from it) and, where it changes a score or time, to the audit log.
 *
 * The service never talks to sockets: actions return the notices to push, and the
 * realtime layer (server/realtime/proctor-events.ts) delivers them, so HTTP routes
 * and sockets share one code path.
 */

/** A push to deliver after an action commits: a room and an event with its payload. */
export interface Notice {
  room: string;
  event: string;
  payload: Record<string, unknown>;
}

export interface ActionOutcome {
  ok: true;
  message: string;
  notices: Notice[];
  /** Trainees whose roster rows changed (the realtime layer sends fresh rows). */
  changed: number[];
  event: RosterEvent;
}

/** Presence as the realtime layer knows it: connected trainees and the question each is on. */
export type Presence = Map<number, { current: number | null }>;

const ACTORS: Role[] = ["centre_admin"];

let revCounter = 0;
/** Monotonic across a process and roughly ordered across processes on synced clocks. */
export function nextRev(now = Date.now()): number {
  revCounter = (revCounter + 1) % 1000;
  return now * 1000 + revCounter;
}

export function createProctoringService(deps: { db: Database; clock: Clock; exams: ExamService; answerDb?: Database; figures?: FigureHooks }) {
  const { db, clock } = deps;
  // Integrity signals are the trainee's hot path, like answers: they use the answer pool, so
  // a synchronised start or a mass submit on the main pool does not hold them back.
  const signalDb = deps.answerDb ?? db;

  async function sessionOf(examId: number) {
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
  type Session = Awaited<ReturnType<typeof sessionOf>>;

  async function isAssigned(examId: number, userId: string) {
    return !!(await db.selectFrom("exam_proctor").select("user_id").where("exam_id", "=", examId).where("user_id", "=", userId).executeTakeFirst());
  }

  /**
   * Who may do what in a session: the centre's staff (write) act on any session of
   * their centre; a proctor acts only on sessions assigned to them; the committee and
   * the organisation board (read) may watch sessions in their subtree.
   */
  async function access(viewer: Viewer, examId: number, mode: "watch" | "act"): Promise<Session> {
    const s = await sessionOf(examId);
    if (canReach(viewer, ACTORS, s.path, { write: true })) return s;
    if (canReach(viewer, ["proctor"], s.path, { write: true }) && (await isAssigned(examId, viewer.userId))) return s;
    if (mode === "watch" && (canReach(viewer, ACTORS, s.path) || canReach(viewer, ["committee", "organisation_board"], s.path))) return s;
    throw new Forbidden(mode === "act" ? "Bạn không được phân công coi ca thi này." : "Bạn không có quyền xem ca thi này.");
  }

  async function event(
    trx: Database,
    e: { examId: number; attemptId?: number | null; personId?: number | null; source: "trainee" | "proctor" | "server"; kind: string; actorId?: string | null; reason?: string | null; details?: Record<string, unknown> },
  ): Promise<RosterEvent> {
    const row = await trx
      .insertInto("exam_event")
      .values({
        exam_id: e.examId,
        attempt_id: e.attemptId ?? null,
        person_id: e.personId ?? null,
        source: e.source,
        kind: e.kind,
        actor_id: e.actorId ?? null,
        reason: e.reason ?? null,
        details: JSON.stringify(e.details ?? {}),
        at: clock.now(),
      })
      .returning(["id", "at"])
      .executeTakeFirstOrThrow();
    const who = e.personId ? await trx.selectFrom("person").select("full_name").where("id", "=", e.personId).executeTakeFirst() : undefined;
    const actor = e.actorId ? await trx.selectFrom("user_account").select("display_name").where("id", "=", e.actorId).executeTakeFirst() : undefined;
    return { id: String(row.id), at: new Date(row.at).toISOString(), attemptId: e.attemptId ?? null, personId: e.personId ?? null, name: who?.full_name ?? null, source: e.source, kind: e.kind, reason: e.reason ?? null, actor: actor?.display_name ?? null };
  }

  function stateOf(a: { status: string; paused_at: Date | null; locked_at: Date | null } | null, present: boolean): AttemptState {
    if (!a) return present ? "waiting" : "absent";
    if (a.status === "submitted" || a.status === "awaiting_grading") return "submitted";
    if (a.status === "in_progress") return a.locked_at ? "locked" : a.paused_at ? "paused" : "in_progress";
    return present ? "waiting" : "ready";
  }

  /** Roster rows of a session, or of some of its trainees. */
  async function rows(examId: number, classId: number, presence: Presence, only?: number[]): Promise<RosterRow[]> {
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
            .where((w) => w("attempt_no", "=", w.selectFrom("attempt as a2").select((s) => s.fn.max("a2.attempt_no").as("m")).whereRef("a2.person_id", "=", "attempt.person_id").where("a2.exam_id", "=", examId)))
            .as("a"),
        (j) => j.onRef("a.person_id", "=", "ce.person_id"),
      )
      .select(["p.id as person_id", "p.full_name", "u.name as unit_name", "a.id as attempt_id", "a.status", "a.deadline_at", "a.submitted_at", "a.score", "a.paused_at", "a.locked_at", "a.takeover_device_id"])
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
        const chosen = i.chosen as unknown as unknown[] | null;
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

  async function recentEvents(examId: number, limit = 200): Promise<RosterEvent[]> {
    const list = await db
      .selectFrom("exam_event as e")
      .leftJoin("person as p", "p.id", "e.person_id")
      .leftJoin("user_account as u", "u.id", "e.actor_id")
      .select(["e.id", "e.at", "e.attempt_id", "e.person_id", "p.full_name", "e.source", "e.kind", "e.reason", "u.display_name"])
      .where("e.exam_id", "=", examId)
      .orderBy("e.id", "desc")
      .limit(limit)
      .execute();
    return list.reverse().map((e) => ({ id: String(e.id), at: new Date(e.at).toISOString(), attemptId: e.attempt_id, personId: e.person_id, name: e.full_name, source: e.source, kind: e.kind, reason: e.reason, actor: e.display_name }));
  }

  async function attemptIn(examId: number, attemptId: number) {
    const a = await db.selectFrom("attempt").selectAll().where("id", "=", attemptId).where("exam_id", "=", examId).executeTakeFirst();
    if (!a) throw new NotFound("Không có bài làm này trong ca thi.");
    return a;
  }

  async function latestAttempt(examId: number, personId: number) {
    return db.selectFrom("attempt").selectAll().where("exam_id", "=", examId).where("person_id", "=", personId).orderBy("attempt_no", "desc").executeTakeFirst();
  }

  /** Time stops while paused: the pause is added to the deadline on resume. */
  async function resumeAttempts(trx: Database, examId: number, attemptId: number | undefined, now: Date) {
    return trx
      .updateTable("attempt")
      .set({
        deadline_at: sql`deadline_at + (${now}::timestamptz - paused_at)`,
        paused_seconds: sql`paused_seconds + floor(extract(epoch from (${now}::timestamptz - paused_at)))::int`,
        paused_at: null,
      })
      .where("exam_id", "=", examId)
      .where("status", "=", "in_progress")
      .where("paused_at", "is not", null)
      .$if(attemptId !== undefined, (w) => w.where("id", "=", attemptId!))
      .returning(["id", "person_id", "deadline_at"])
      .execute();
  }

  const service = {
    access,

    /** Sessions the viewer may proctor or watch, newest first. */
    async sessions(viewer: Viewer) {
      const list = await db
        .selectFrom("exam as e")
        .innerJoin("training_class as c", "c.id", "e.class_id")
        .innerJoin("training_centre as t", "t.id", "c.centre_id")
        .innerJoin("org_unit as o", "o.id", "t.org_unit_id")
        .leftJoin("exam_proctor as ep", (j) => j.onRef("ep.exam_id", "=", "e.id").on("ep.user_id", "=", viewer.userId))
        .select(["e.id", "e.title", "e.kind", "e.opens_at", "e.closes_at", "e.duration_minutes", "e.started_by_proctor_at", "e.session_ended_at", "c.name as class_name", "t.name as centre_name", "o.path", "ep.user_id as assigned"])
        .select((eb) => eb.selectFrom("class_enrolment as ce").select(eb.fn.countAll<number>().as("n")).whereRef("ce.class_id", "=", "c.id").as("enrolled"))
        .orderBy("e.opens_at", "desc")
        .execute();
      return list
        .filter((e) => canReach(viewer, ACTORS, e.path) || canReach(viewer, ["committee", "organisation_board"], e.path) || (e.assigned && canReach(viewer, ["proctor"], e.path)))
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
          canAct: canReach(viewer, ACTORS, e.path, { write: true }) || (!!e.assigned && canReach(viewer, ["proctor"], e.path, { write: true })),
        }));
    },

    /** The proctors assigned to a session and the centre's proctors who could be. */
    async proctors(viewer: Viewer, examId: number) {
      const s = await access(viewer, examId, "watch");
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
      const s = await sessionOf(examId);
      if (!canReach(viewer, ACTORS, s.path, { write: true })) throw new Forbidden("Chỉ cán bộ trung tâm phân công giám thị.");
      const { candidates } = await service.proctors(viewer, examId);
      if (assign && !candidates.some((c) => c.userId === userId)) throw new BadRequest("Người này không phải giám thị của trung tâm.");
      await db.transaction().execute(async (trx) => {
        if (assign) await trx.insertInto("exam_proctor").values({ exam_id: examId, user_id: userId, assigned_by: viewer.userId, assigned_at: clock.now() }).onConflict((oc) => oc.doNothing()).execute();
        else await trx.deleteFrom("exam_proctor").where("exam_id", "=", examId).where("user_id", "=", userId).execute();
        await audit(trx, { actorId: viewer.userId, action: assign ? "exam.proctor_assigned" : "exam.proctor_removed", entityType: "exam", entityId: examId, orgUnitId: s.unit_id, details: { userId } });
      });
    },

    async snapshot(viewer: Viewer, examId: number, presence: Presence): Promise<RosterSnapshot & { canAct: boolean }> {
      const s = await access(viewer, examId, "watch");
      let canAct = true;
      try {
        await access(viewer, examId, "act");
      } catch {
        canAct = false;
      }
      const list = await rows(examId, s.class_id, presence);
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
        events: await recentEvents(examId),
        canAct,
      };
    },

    /** Fresh roster rows for some trainees (after an answer, an event or an action). */
    async rowsFor(examId: number, personIds: number[], presence: Presence): Promise<RosterRow[]> {
      if (!personIds.length) return [];
      const s = await sessionOf(examId);
      return rows(examId, s.class_id, presence, personIds);
    },

    /** The session a trainee's attempt belongs to (for routing live updates to its proctors). */
    async attemptSession(attemptId: number) {
      return db.selectFrom("attempt").select(["exam_id", "person_id", "status"]).where("id", "=", attemptId).executeTakeFirst();
    },

    /** Checks the trainee is enrolled in the session's class (before joining its room). */
    async traineeMayJoin(viewer: Viewer, examId: number) {
      if (!viewer.personId) return false;
      const s = await sessionOf(examId);
      const e = await signalDb.selectFrom("class_enrolment").select("person_id").where("class_id", "=", s.class_id).where("person_id", "=", viewer.personId).executeTakeFirst();
      return !!e;
    },

    /** An integrity signal from a trainee's browser: recorded and shown, never acted on automatically. */
    async recordIntegrity(viewer: Viewer, examId: number, kind: IntegrityKind, details: Record<string, unknown>, opts: { verified?: boolean } = {}) {
      if (!viewer.personId || (!opts.verified && !(await service.traineeMayJoin(viewer, examId)))) throw new Forbidden("Bạn không thuộc ca thi này.");
      const personId = viewer.personId;
      // One statement: the event is tied to the trainee's latest attempt of the session.
      const now = clock.now();
      const inserted = await sql<{ id: string; at: Date; attempt_id: number | null }>`
        insert into exam_event (exam_id, attempt_id, person_id, source, kind, details, at)
        values (${examId}, (select id from attempt where exam_id = ${examId} and person_id = ${personId} order by attempt_no desc limit 1),
                ${personId}, 'trainee', ${kind}, ${JSON.stringify(details)}::jsonb, ${now})
        returning id, at, attempt_id`.execute(signalDb);
      const row = inserted.rows[0]!;
      return { id: String(row.id), at: new Date(row.at).toISOString(), attemptId: row.attempt_id, personId, name: viewer.displayName, source: "trainee", kind, reason: null, actor: null } satisfies RosterEvent;
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
      return event(db, { examId: before.exam_id, attemptId, personId: viewer.personId, source: "trainee", kind: "ip_change", details: { from: before.prev, to: ip } });
    },

    /** A second device asked for an attempt that is live elsewhere: remember it for the proctor. */
    async requestTakeover(viewer: Viewer, examId: number, deviceId: string): Promise<RosterEvent | null> {
      if (!viewer.personId) return null;
      const a = await latestAttempt(examId, viewer.personId);
      if (!a || a.status !== "in_progress" || a.device_id === deviceId) return null;
      if (a.takeover_device_id === deviceId) return null;
      await db.updateTable("attempt").set({ takeover_device_id: deviceId }).where("id", "=", a.id).execute();
      return event(db, { examId, attemptId: a.id, personId: viewer.personId, source: "trainee", kind: "second_device", details: { deviceId: deviceId.slice(0, 12) } });
    },

    /** One proctor action; checked, applied in one transaction, logged, and returned as pushes. */
    async act(viewer: Viewer, examId: number, input: ProctorAction, presence: Presence): Promise<ActionOutcome> {
      const parsed = proctorAction.safeParse(input);
      if (!parsed.success) throw new BadRequest(parsed.error.issues[0]?.message ?? "Thao tác không hợp lệ.");
      const action = parsed.data;
      const s = await access(viewer, examId, "act");
      const now = clock.now();
      const notices: Notice[] = [];
      const changed: number[] = [];
      const reason = "reason" in action ? (action.reason ?? null) : null;
      const log = (trx: Database, extra: { attemptId?: number | null; personId?: number | null; details?: Record<string, unknown> }) =>
        event(trx, { examId, source: "proctor", kind: action.type, actorId: viewer.userId, reason, ...extra });
      const ended = () => {
        if (s.session_ended_at) throw new BadRequest("Ca thi đã kết thúc.");
      };

      switch (action.type) {
        case "start_all": {
          ended();
          if (s.started_by_proctor_at) throw new BadRequest("Ca thi đã bắt đầu.");
          // Papers are drawn ahead, so the synchronised start is a read, not a write storm.
          await deps.exams.generatePapers(null, examId);
          const present = [...presence.keys()];
          const ev = await db.transaction().execute(async (trx) => {
            const started = await trx.updateTable("exam").set({ started_by_proctor_at: now }).where("id", "=", examId).where("started_by_proctor_at", "is", null).returning("id").executeTakeFirst();
            if (!started) throw new BadRequest("Ca thi đã bắt đầu.");
            // Everyone in the waiting room is admitted; late arrivals need the proctor.
            if (present.length) await trx.updateTable("attempt").set({ admitted_at: now }).where("exam_id", "=", examId).where("person_id", "in", present).where("admitted_at", "is", null).execute();
            return log(trx, { details: { present: present.length } });
          });
          notices.push({ room: `exam:${examId}:trainees`, event: "exam:started", payload: { examId, at: now.toISOString() } });
          changed.push(...present);
          return { ok: true, message: `Đã cho ${present.length} học viên bắt đầu.`, notices, changed, event: ev };
        }
        case "admit": {
          ended();
          await deps.exams.generatePapers(null, examId);
          const a = await latestAttempt(examId, action.personId);
          if (!a) throw new BadRequest("Học viên chưa có đề; hãy tạo đề trước.");
          const ev = await db.transaction().execute(async (trx) => {
            await trx.updateTable("attempt").set({ admitted_at: now }).where("id", "=", a.id).execute();
            return log(trx, { attemptId: a.id, personId: action.personId });
          });
          const user = await db.selectFrom("user_account").select("id").where("person_id", "=", action.personId).executeTakeFirst();
          if (user) notices.push({ room: `user:${user.id}`, event: "exam:started", payload: { examId, at: now.toISOString() } });
          changed.push(action.personId);
          return { ok: true, message: "Đã cho học viên vào thi.", notices, changed, event: ev };
        }
        case "pause": {
          ended();
          const ev = await db.transaction().execute(async (trx) => {
            if (action.attemptId === undefined) await trx.updateTable("exam").set({ paused_at: now }).where("id", "=", examId).execute();
            const paused = await trx
              .updateTable("attempt")
              .set({ paused_at: now })
              .where("exam_id", "=", examId)
              .where("status", "=", "in_progress")
              .where("paused_at", "is", null)
              .$if(action.attemptId !== undefined, (w) => w.where("id", "=", action.attemptId!))
              .returning(["id", "person_id"])
              .execute();
            if (action.attemptId !== undefined && !paused.length) throw new BadRequest("Bài làm không ở trạng thái đang làm.");
            for (const p of paused) {
              notices.push({ room: `attempt:${p.id}`, event: "exam:paused", payload: { attemptId: p.id, at: now.toISOString(), reason } });
              changed.push(p.person_id);
            }
            const a = action.attemptId !== undefined ? paused[0] : undefined;
            return log(trx, { attemptId: a?.id ?? null, personId: a?.person_id ?? null, details: { attempts: paused.length } });
          });
          return { ok: true, message: action.attemptId === undefined ? "Đã tạm dừng cả phòng; thời gian làm bài đang dừng." : "Đã tạm dừng bài làm.", notices, changed, event: ev };
        }
        case "resume": {
          const ev = await db.transaction().execute(async (trx) => {
            if (action.attemptId === undefined) await trx.updateTable("exam").set({ paused_at: null }).where("id", "=", examId).execute();
            const resumed = await resumeAttempts(trx, examId, action.attemptId, now);
            for (const r of resumed) {
              notices.push({ room: `attempt:${r.id}`, event: "exam:resumed", payload: { attemptId: r.id, deadline: new Date(r.deadline_at!).toISOString(), serverNow: now.toISOString(), secondsLeft: secondsLeft(new Date(r.deadline_at!), now) } });
              changed.push(r.person_id);
            }
            const a = action.attemptId !== undefined ? resumed[0] : undefined;
            return log(trx, { attemptId: a?.id ?? null, personId: a?.person_id ?? null, details: { attempts: resumed.length } });
          });
          return { ok: true, message: "Đã cho tiếp tục làm bài.", notices, changed, event: ev };
        }
        case "add_time": {
          const r = await deps.exams.grantExtraTime(viewer, examId, action.personId, action.minutes, action.reason);
          const deadline = r.deadline;
          if (r.attemptId && deadline) {
            notices.push({ room: `attempt:${r.attemptId}`, event: "exam:deadline", payload: { attemptId: r.attemptId, deadline: deadline.toISOString(), serverNow: now.toISOString(), secondsLeft: secondsLeft(deadline, now), reason: `Giám thị cộng thêm ${action.minutes} phút` } });
          }
          const ev = await log(db, { attemptId: r.attemptId, personId: action.personId, details: { minutes: action.minutes, deadline: deadline?.toISOString() ?? null } });
          changed.push(action.personId);
          return { ok: true, message: `Đã cộng ${action.minutes} phút.`, notices, changed, event: ev };
        }
        case "message": {
          const targets = action.attemptId !== undefined ? [await attemptIn(examId, action.attemptId)] : [];
          const ev = await log(db, { attemptId: targets[0]?.id ?? null, personId: targets[0]?.person_id ?? null, details: { text: action.text } });
          const payload = { examId, text: action.text, at: now.toISOString() };
          if (targets[0]) notices.push({ room: `attempt:${targets[0].id}`, event: "exam:message", payload: { ...payload, attemptId: targets[0].id } });
          else notices.push({ room: `exam:${examId}:trainees`, event: "exam:message", payload });
          return { ok: true, message: "Đã gửi nhắc nhở.", notices, changed, event: ev };
        }
        case "lock":
        case "unlock": {
          const a = await attemptIn(examId, action.attemptId);
          if (a.status !== "in_progress") throw new BadRequest("Bài làm không ở trạng thái đang làm.");
          const ev = await db.transaction().execute(async (trx) => {
            await trx.updateTable("attempt").set({ locked_at: action.type === "lock" ? now : null }).where("id", "=", a.id).execute();
            await audit(trx, { actorId: viewer.userId, action: `exam.${action.type}`, entityType: "attempt", entityId: a.id, orgUnitId: s.unit_id, reason });
            return log(trx, { attemptId: a.id, personId: a.person_id });
          });
          notices.push({ room: `attempt:${a.id}`, event: action.type === "lock" ? "exam:locked" : "exam:unlocked", payload: { attemptId: a.id, reason } });
          changed.push(a.person_id);
          return { ok: true, message: action.type === "lock" ? "Đã khóa bài làm." : "Đã mở khóa bài làm.", notices, changed, event: ev };
        }
        case "force_submit": {
          const a = await attemptIn(examId, action.attemptId);
          const done = await deps.exams.forceSubmit(a.id);
          if (!done) throw new BadRequest("Bài làm không ở trạng thái đang làm.");
          const ev = await db.transaction().execute(async (trx) => {
            await audit(trx, { actorId: viewer.userId, action: "exam.force_submit", entityType: "attempt", entityId: a.id, orgUnitId: s.unit_id, reason, details: { score: done.score, receipt: done.receipt } });
            return log(trx, { attemptId: a.id, personId: a.person_id, details: { score: done.score } });
          });
          notices.push({ room: `attempt:${a.id}`, event: "exam:closed", payload: { attemptId: a.id, by: "proctor", receipt: done.receipt, reason } });
          changed.push(a.person_id);
          return { ok: true, message: "Đã thu bài.", notices, changed, event: ev };
        }
        case "approve_takeover": {
          const a = await attemptIn(examId, action.attemptId);
          if (!a.takeover_device_id) throw new BadRequest("Không có thiết bị nào đang xin vào bài này.");
          const ev = await db.transaction().execute(async (trx) => {
            // The old device's token stops working at once; the new device gets its own at its start (decision 018).
            await trx.updateTable("attempt").set({ device_id: a.takeover_device_id, takeover_device_id: null, device_token_hash: null }).where("id", "=", a.id).execute();
            await audit(trx, { actorId: viewer.userId, action: "exam.device_takeover", entityType: "attempt", entityId: a.id, orgUnitId: s.unit_id, reason });
            return log(trx, { attemptId: a.id, personId: a.person_id });
          });
          // The new device's id is not sent: the old device is in both rooms, and with the id
          // it could claim the attempt before the approved device does (decision 018).
          notices.push({ room: `attempt:${a.id}`, event: "exam:taken_over", payload: { attemptId: a.id } });
          const user = await db.selectFrom("user_account").select("id").where("person_id", "=", a.person_id).executeTakeFirst();
          if (user) notices.push({ room: `user:${user.id}`, event: "exam:takeover_approved", payload: { examId, attemptId: a.id } });
          changed.push(a.person_id);
          return { ok: true, message: "Đã cho chuyển sang thiết bị mới.", notices, changed, event: ev };
        }
        case "reopen": {
          const a = await attemptIn(examId, action.attemptId);
          const deadline = new Date(now.getTime() + action.minutes * 60_000);
          const ev = await db.transaction().execute(async (trx) => {
            const reopened = await trx
              .updateTable("attempt")
              .set({ status: "in_progress", submitted_at: null, submitted_by: null, earned: null, score: null, band: null, passed: null, receipt: null, deadline_at: deadline, paused_at: null, locked_at: null })
              .where("id", "=", a.id)
              .where("status", "=", "submitted")
              .returning("id")
              .executeTakeFirst();
            if (!reopened) throw new BadRequest("Chỉ mở lại được bài đã nộp.");
            await audit(trx, { actorId: viewer.userId, action: "exam.reopen", entityType: "attempt", entityId: a.id, orgUnitId: s.unit_id, reason, details: { previous: { score: a.score, band: a.band, receipt: a.receipt, submittedAt: a.submitted_at, by: a.submitted_by }, minutes: action.minutes } });
            return log(trx, { attemptId: a.id, personId: a.person_id, details: { minutes: action.minutes, previousScore: a.score === null ? null : Number(a.score) } });
          });
          notices.push({ room: `attempt:${a.id}`, event: "exam:reopened", payload: { attemptId: a.id, deadline: deadline.toISOString(), serverNow: now.toISOString(), secondsLeft: secondsLeft(deadline, now) } });
          changed.push(a.person_id);
          // The reopened attempt has no score until it is submitted again: figures move now.
          await deps.figures?.examChanged(examId);
          return { ok: true, message: `Đã mở lại bài làm thêm ${action.minutes} phút.`, notices, changed, event: ev };
        }
        case "end_session": {
          ended();
          // Ending the session submits what is still open (each exactly once) and closes the room.
          const open = await db.selectFrom("attempt").select(["id", "person_id"]).where("exam_id", "=", examId).where("status", "=", "in_progress").execute();
          let submitted = 0;
          for (const a of open) {
            const done = await deps.exams.forceSubmit(a.id);
            if (done) {
              submitted++;
              notices.push({ room: `attempt:${a.id}`, event: "exam:closed", payload: { attemptId: a.id, by: "proctor", receipt: done.receipt, reason } });
              changed.push(a.person_id);
            }
          }
          const ev = await db.transaction().execute(async (trx) => {
            await trx.updateTable("exam").set({ session_ended_at: now, paused_at: null }).where("id", "=", examId).execute();
            await audit(trx, { actorId: viewer.userId, action: "exam.end_session", entityType: "exam", entityId: examId, orgUnitId: s.unit_id, reason, details: { submitted } });
            return log(trx, { details: { submitted } });
          });
          notices.push({ room: `exam:${examId}:trainees`, event: "exam:session_ended", payload: { examId } });
          return { ok: true, message: `Đã kết thúc ca thi; thu ${submitted} bài còn mở.`, notices, changed, event: ev };
        }
      }
    },

    /** Live results of the sessions in the viewer's subtree (the dashboard's first paint). */
    liveResults(viewer: Viewer) {
      return liveSummaries(db, viewer, clock.now());
    },

    /** A server-side submission at the deadline, for the session's log and its proctors. */
    async noteAutoSubmit(attemptId: number): Promise<{ examId: number; personId: number; event: RosterEvent } | null> {
      const a = await db.selectFrom("attempt").select(["exam_id", "person_id"]).where("id", "=", attemptId).executeTakeFirst();
      if (!a) return null;
      const ev = await event(db, { examId: a.exam_id, attemptId, personId: a.person_id, source: "server", kind: "auto_submit" });
      return { examId: a.exam_id, personId: a.person_id, event: ev };
    },

    /** The incident report (biên bản) of a session as a PDF in the Party layout. */
    async incidentReportPdf(viewer: Viewer, examId: number): Promise<{ fileName: string; pdf: Uint8Array }> {
      const s = await access(viewer, examId, "watch");
      const list = await rows(examId, s.class_id, new Map());
      list.sort((a, b) => compareVietnameseNames(a.name, b.name));
      const events = await recentEvents(examId, 5000);
      const proctors = await db
        .selectFrom("exam_proctor as ep")
        .innerJoin("user_account as u", "u.id", "ep.user_id")
        .select("u.display_name")
        .where("ep.exam_id", "=", examId)
        .execute();
      // Numbered in the centre's register once, at the first printing; reprints keep it.
      let seq = s.incident_report_no;
      if (seq === null) {
        seq = await db.transaction().execute(async (trx) => {
          const current = await trx.selectFrom("exam").select("incident_report_no").where("id", "=", examId).forUpdate().executeTakeFirstOrThrow();
          if (current.incident_report_no !== null) return current.incident_report_no;
          const n = await nextDocumentNumber(trx, { unitId: s.unit_id, docType: "BB", issuerAbbr: s.centre_abbr });
          await trx.updateTable("exam").set({ incident_report_no: n.no }).where("id", "=", examId).execute();
          return n.no;
        });
      }
      const pdf = await renderIncidentReport({
        seq,
        session: s,
        parentName: s.unit_name,
        rows: list,
        events,
        proctors: proctors.map((p) => p.display_name),
        signer: viewer.displayName,
        now: clock.now(),
      });
      return { fileName: `bien-ban-ca-thi-${examId}.pdf`, pdf };
    },
  };
  return service;
}

export type ProctoringService = ReturnType<typeof createProctoringService>;
