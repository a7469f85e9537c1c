import type { Database } from "../../db";
import { generatePassword, hashPassword } from "../../auth/password";
import { insertTraineeAccounts } from "../../accounts/usernames";

/**
 * Creates trainee accounts for people who have none; the password is random and unknown
 * until a call-up letter prints a fresh one. `hashes` go with `people` by position.
 * Usernames come from the one allocator (server/accounts/usernames.ts).
 */
export async function ensureAccounts(
  trx: Database,
  today: string,
  people: { id: number; full_name: string; org_unit_id: number }[],
  hashes: string[],
): Promise<number> {
  const have = new Set(
    people.length
      ? (
          await trx
            .selectFrom("user_account")
            .select("person_id")
            .where(
              "person_id",
              "in",
              people.map((p) => p.id),
            )
            .execute()
        ).map((r) => r.person_id)
      : [],
  );
  const missing = people.map((p, i) => ({ p, hash: hashes[i] })).filter(({ p }) => !have.has(p.id));
  if (missing.length === 0) return 0;
  const trainees = [];
  for (const { p, hash } of missing) {
    trainees.push({
      personId: p.id,
      displayName: p.full_name,
      orgUnitId: p.org_unit_id,
      passwordHash: hash ?? (await hashPassword(generatePassword(16))),
    });
  }
  await insertTraineeAccounts(trx, today, trainees);
  return missing.length;
}
