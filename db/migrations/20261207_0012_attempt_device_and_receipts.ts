import type { Kysely } from "kysely";

// Frozen once landed: never import application code here.

/**
 * Device binding (decision 018). attempt.device_token_hash: SHA-256 of the random token
 * handed to the one device that may answer and submit; null until a device claims the
 * attempt (and again after a proctor-approved takeover, until the new device starts).
 * The receipt key, when not configured, lives in `server_secret` (migration 0006).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("attempt").addColumn("device_token_hash", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("attempt").dropColumn("device_token_hash").execute();
}
