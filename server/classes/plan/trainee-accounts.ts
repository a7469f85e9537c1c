import type { Database } from "../../db";
import { generatePassword, hashPassword } from "../../auth/password";
import { newId } from "../../accounts/service";

/** Creates trainee accounts for people who have none; the password is random and unknown until a call-up letter prints a fresh one. */
export async function ensureAccounts(trx: Database, today: string, people: { id: number; full_name: string; org_unit_id: number }[], hashes: string[]): Promise<number> {
  const have = new Set(
    people.length
      ? (await trx.selectFrom("user_account").select("person_id").where("person_id", "in", people.map((p) => p.id)).execute()).map((r) => r.person_id)
      : [],
  );
  const missing = people.filter((p) => !have.has(p.id));
  if (missing.length === 0) return 0;
  const prefix = `hv${today.slice(2, 4)}`;
  const last = await trx
    .selectFrom("user_account")
    .select("username")
    .where("username", "like", `${prefix}%`)
    .where("username", "~", `^${prefix}[0-9]{4,}$`)
    .orderBy("username", "desc")
    .limit(1)
    .executeTakeFirst();
  let seq = last ? Number(last.username.slice(prefix.length)) : 0;
  for (const [i, p] of missing.entries()) {
    const id = newId();
    await trx
      .insertInto("user_account")
      .values({ id, username: `${prefix}${String(++seq).padStart(4, "0")}`, password_hash: hashes[i] ?? (await hashPassword(generatePassword(16))), display_name: p.full_name, person_id: p.id, must_change_password: true })
      .execute();
    await trx.insertInto("role_assignment").values({ user_id: id, role: "trainee", org_unit_id: p.org_unit_id }).execute();
  }
  return missing.length;
}
