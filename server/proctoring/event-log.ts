import type { Database } from "../db";
import type { Clock } from "../clock";
import type { RosterEvent } from "./roster";

/** The session's event log (exam_event): the incident report is printed from it. */

/** Writes one entry of the session's event log and returns it as the roster shows it. */
export async function event(
  trx: Database,
  clock: Clock,
  e: {
    examId: number;
    attemptId?: number | null;
    personId?: number | null;
    source: "trainee" | "proctor" | "server";
    kind: string;
    actorId?: string | null;
    reason?: string | null;
    details?: Record<string, unknown>;
  },
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
  const actor = e.actorId
    ? await trx.selectFrom("user_account").select("display_name").where("id", "=", e.actorId).executeTakeFirst()
    : undefined;
  return {
    id: String(row.id),
    at: new Date(row.at).toISOString(),
    attemptId: e.attemptId ?? null,
    personId: e.personId ?? null,
    name: who?.full_name ?? null,
    source: e.source,
    kind: e.kind,
    reason: e.reason ?? null,
    actor: actor?.display_name ?? null,
  };
}

export async function recentEvents(db: Database, examId: number, limit = 200): Promise<RosterEvent[]> {
  const list = await db
    .selectFrom("exam_event as e")
    .leftJoin("person as p", "p.id", "e.person_id")
    .leftJoin("user_account as u", "u.id", "e.actor_id")
    .select(["e.id", "e.at", "e.attempt_id", "e.person_id", "p.full_name", "e.source", "e.kind", "e.reason", "u.display_name"])
    .where("e.exam_id", "=", examId)
    .orderBy("e.id", "desc")
    .limit(limit)
    .execute();
  return list.reverse().map((e) => ({
    id: String(e.id),
    at: new Date(e.at).toISOString(),
    attemptId: e.attempt_id,
    personId: e.person_id,
    name: e.full_name,
    source: e.source,
    kind: e.kind,
    reason: e.reason,
    actor: e.display_name,
  }));
}
