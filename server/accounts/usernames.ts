import { sql } from "kysely";
import type { Database } from "../db";
import { newId } from "./ids";

/**
 * Trainee usernames: "hv" + the year's last two digits + a sequence number of at least
 * four digits (hv260001, hv260002, …), the one allocator behind every path that creates
 * trainee accounts — the trainee import, opening a class, call-up letters (decision 036).
 *
 * Race-free: the allocation takes a transaction-scoped advisory lock on the prefix
 * before it reads the sequence's last number, so a concurrent allocation of the same
 * prefix waits until this transaction commits or rolls back, and then reads past the
 * names it inserted. The names must therefore be inserted in the same transaction as the
 * allocation (insertTraineeAccounts does both). On the embedded PGlite transactions
 * already run one at a time; the lock costs nothing there.
 */

/** Arbitrary first key of the advisory lock, so it cannot meet another use of pg_advisory_xact_lock. */
const LOCK_CLASS = 0x75736572; // "user"
/** Digits the sequence reads (4–9: always fits an int, and hv2610000 follows hv269999 numerically). */
const SEQUENCE_DIGITS = "[0-9]{4,9}";

/** The year's prefix from a calendar day ("2026-03-05" → "hv26"). */
export function traineeUsernamePrefix(today: string): string {
  return `hv${today.slice(2, 4)}`;
}

/**
 * The next `count` names of the prefix's sequence, skipping any in `reserved` (names this
 * transaction inserts as well, e.g. chosen in an import file). Holds the prefix's lock
 * until the transaction ends; refuses to run outside a transaction.
 */
export async function allocateUsernames(trx: Database, prefix: string, count: number, reserved: Iterable<string> = []): Promise<string[]> {
  if (!trx.isTransaction) throw new Error("allocateUsernames must run inside the transaction that inserts the accounts");
  if (!/^[a-z0-9]+$/.test(prefix)) throw new Error(`invalid username prefix: ${prefix}`);
  if (count <= 0) return [];
  await sql`select pg_advisory_xact_lock(${sql.lit(LOCK_CLASS)}, hashtext(${prefix}))`.execute(trx);
  const row = await trx
    .selectFrom("user_account")
    .select(sql<number | null>`max(substr(username, ${sql.lit(prefix.length + 1)})::int)`.as("last"))
    .where("username", "like", `${prefix}%`)
    .where("username", "~", `^${prefix}${SEQUENCE_DIGITS}$`)
    .executeTakeFirst();
  const skip = new Set(reserved);
  const out: string[] = [];
  let seq = Number(row?.last ?? 0);
  while (out.length < count) {
    const name = `${prefix}${String(++seq).padStart(4, "0")}`;
    if (!skip.has(name)) out.push(name);
  }
  return out;
}

export interface NewTrainee {
  personId: number;
  displayName: string;
  /** The unit the trainee role is granted on (the person's own). */
  orgUnitId: number;
  passwordHash: string;
  /** A name chosen by the sender (already checked as free); blank → the next of the year's sequence. */
  username?: string | null;
}

/**
 * Inserts trainee accounts (must change the password at first login, the trainee role
 * on the person's unit) inside the caller's transaction; returns the usernames in order.
 */
export async function insertTraineeAccounts(trx: Database, today: string, trainees: NewTrainee[]): Promise<string[]> {
  const chosen = trainees.map((t) => t.username || null);
  const generated = await allocateUsernames(
    trx,
    traineeUsernamePrefix(today),
    chosen.filter((u) => u === null).length,
    chosen.filter((u): u is string => u !== null),
  );
  const usernames: string[] = [];
  for (const [i, t] of trainees.entries()) {
    const username = chosen[i] ?? generated.shift()!;
    const id = newId();
    await trx
      .insertInto("user_account")
      .values({
        id,
        username,
        password_hash: t.passwordHash,
        display_name: t.displayName,
        person_id: t.personId,
        must_change_password: true,
      })
      .execute();
    await trx.insertInto("role_assignment").values({ user_id: id, role: "trainee", org_unit_id: t.orgUnitId }).execute();
    usernames.push(username);
  }
  return usernames;
}
