import { type Kysely, sql } from "kysely";

// Frozen once landed: never import application code here.

/**
 * Issue 17, item 9 (docs/decisions/031-sessions-hashed-at-rest.md): a session is stored
 * under SHA-256 of its cookie token (hex), never the token itself. Existing sessions are
 * re-keyed in place with the same function the server uses (server/auth/lucia.ts,
 * `sessionKey`), so everyone signed in stays signed in. A check makes a raw token
 * impossible to store: lucia's tokens are 40 characters of base32, a key is 64 hex digits.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`update user_session set id = encode(sha256(convert_to(id, 'UTF8')), 'hex')`.execute(db);
  await sql`alter table user_session add constraint user_session_id_is_hash check (id ~ '^[0-9a-f]{64}$')`.execute(db);
}

/** A hash cannot be turned back into a token: going down signs everyone out. */
export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table user_session drop constraint if exists user_session_id_is_hash`.execute(db);
  await sql`delete from user_session`.execute(db);
}
