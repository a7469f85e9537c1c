import type { Database } from "../db";

/**
 * Login throttling, per account and per client address, stored in the database so
 * that every server process counts the same failures.
 *
 * The per-address limit is high on purpose: a classroom of 100 trainees often
 * shares one public address behind NAT, and a few typos each must not lock the room.
 */
export interface ThrottlePolicy {
  windowMinutes: number;
  maxFailures: number;
  lockMinutes: number;
}

export const ACCOUNT_POLICY: ThrottlePolicy = { windowMinutes: 15, maxFailures: 5, lockMinutes: 15 };
export const ADDRESS_POLICY: ThrottlePolicy = { windowMinutes: 15, maxFailures: 100, lockMinutes: 15 };

export interface ThrottleState {
  failures: number;
  windowStart: Date;
  lockedUntil: Date | null;
}

/** Pure: the state after one more failure at `now`. */
export function afterFailure(state: ThrottleState | null, now: Date, policy: ThrottlePolicy): ThrottleState {
  const windowMs = policy.windowMinutes * 60_000;
  const fresh = !state || now.getTime() - state.windowStart.getTime() > windowMs;
  const failures = fresh ? 1 : state.failures + 1;
  const windowStart = fresh ? now : state.windowStart;
  const lockedUntil = failures >= policy.maxFailures ? new Date(now.getTime() + policy.lockMinutes * 60_000) : (state?.lockedUntil ?? null);
  return { failures, windowStart, lockedUntil };
}

/** Pure: minutes left on a lock at `now`, or 0 when not locked. */
export function minutesLocked(state: ThrottleState | null, now: Date): number {
  if (!state?.lockedUntil) return 0;
  const ms = state.lockedUntil.getTime() - now.getTime();
  return ms > 0 ? Math.ceil(ms / 60_000) : 0;
}

export async function readThrottle(db: Database, key: string): Promise<ThrottleState | null> {
  const row = await db.selectFrom("login_throttle").selectAll().where("key", "=", key).executeTakeFirst();
  return row
    ? { failures: row.failures, windowStart: new Date(row.window_start), lockedUntil: row.locked_until ? new Date(row.locked_until) : null }
    : null;
}

export async function recordFailure(db: Database, key: string, now: Date, policy: ThrottlePolicy): Promise<ThrottleState> {
  return db.transaction().execute(async (trx) => {
    // Lock the row so two processes counting the same key do not lose a failure.
    const row = await trx.selectFrom("login_throttle").selectAll().where("key", "=", key).forUpdate().executeTakeFirst();
    const prev = row
      ? {
          failures: row.failures,
          windowStart: new Date(row.window_start),
          lockedUntil: row.locked_until ? new Date(row.locked_until) : null,
        }
      : null;
    const next = afterFailure(prev, now, policy);
    await trx
      .insertInto("login_throttle")
      .values({ key, failures: next.failures, window_start: next.windowStart, locked_until: next.lockedUntil })
      .onConflict((oc) =>
        oc.column("key").doUpdateSet({ failures: next.failures, window_start: next.windowStart, locked_until: next.lockedUntil }),
      )
      .execute();
    return next;
  });
}

export async function clearThrottle(db: Database, key: string): Promise<void> {
  await db.deleteFrom("login_throttle").where("key", "=", key).execute();
}

export async function pruneThrottle(db: Database, now: Date): Promise<void> {
  await db
    .deleteFrom("login_throttle")
    .where("window_start", "<", new Date(now.getTime() - 24 * 3600_000))
    .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<", now)]))
    .execute();
}
