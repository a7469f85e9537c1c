import { randomBytes } from "node:crypto";
import type { Database } from "../db";

const NAME = "receipt_hmac_v1";

/**
 * The key of exam receipts (decision 018): RECEIPT_SECRET when configured, otherwise
 * generated once and kept in `server_secret` (the table of shared secrets), so every process and every restart signs
 * with the same key. The first process to need it inserts it; a concurrent one finds
 * the row (`on conflict do nothing`, then read). Cached per process: it never changes.
 */
export function createReceiptKey(db: Database, configured?: string) {
  let key: Promise<Buffer> | null = configured ? Promise.resolve(Buffer.from(configured, "utf8")) : null;
  async function load(): Promise<Buffer> {
    await db
      .insertInto("server_secret")
      .values({ name: NAME, value: randomBytes(32).toString("base64") })
      .onConflict((oc) => oc.column("name").doNothing())
      .execute();
    const row = await db.selectFrom("server_secret").select("value").where("name", "=", NAME).executeTakeFirstOrThrow();
    return Buffer.from(row.value, "base64");
  }
  return function receiptKey(): Promise<Buffer> {
    if (!key) {
      key = load();
      key.catch(() => (key = null)); // a database outage must not pin a failure
    }
    return key;
  };
}
