import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { createHash, randomBytes } from "node:crypto";
import { migrateDownOne, migrateToLatest } from "../../server/db/migrate";
import { testDatabase, testServices, TEST_DB, type TestDatabase } from "./harness";

describe(`migrations (${TEST_DB})`, () => {
  // Each test starts from its own empty database, so neither depends on the other having run.
  let t: TestDatabase;
  beforeEach(async () => {
    t = await testDatabase({ migrate: false });
  });
  afterEach(() => t.destroy());

  it("apply on an empty database, then are a no-op", async () => {
    const first = await migrateToLatest(t.db);
    expect(first).toContain("20261122_0001_foundation");
    expect(await migrateToLatest(t.db)).toEqual([]);
    const tables = await sql<{
      table_name: string;
    }>`select table_name from information_schema.tables where table_schema = 'public'`.execute(t.db);
    const names = tables.rows.map((r) => r.table_name);
    for (const n of [
      "org_unit",
      "person",
      "user_account",
      "user_session",
      "role_assignment",
      "audit_log",
      "import_batch",
      "login_throttle",
    ])
      expect(names).toContain(n);
  });

  it("roll back down to nothing and up again", async () => {
    await migrateToLatest(t.db);
    while (await migrateDownOne(t.db)) {
      /* undo every migration */
    }
    const after = await sql<{
      n: number;
    }>`select count(*)::int as n from information_schema.tables where table_schema = 'public' and table_name = 'org_unit'`.execute(t.db);
    expect(after.rows[0]!.n).toBe(0);
    expect(await migrateToLatest(t.db)).toContain("20261122_0001_foundation");
  });
});

describe(`sessions hashed at rest: the migration (${TEST_DB})`, () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await testDatabase();
    // One account is enough (the demo seed is heavy on a busy machine).
    await t.db
      .insertInto("user_account")
      .values({ id: "u-session-test", username: "hocvien", password_hash: "x", display_name: "Nguyễn Thị Mai" })
      .execute();
  });
  afterAll(() => t.destroy());

  it("re-keys a session stored before it under its token's hash, and that login survives", async () => {
    // Back to the schema as it stood before the migration (later ones undone too).
    let undone: string | null;
    do undone = await migrateDownOne(t.db);
    while (undone && undone !== "20261208_0001_sessions_hashed_at_rest");
    expect(undone).toBe("20261208_0001_sessions_hashed_at_rest");
    // A session as lucia stored it before: the cookie's token as the key (40 base32 characters).
    const token = Array.from(randomBytes(40), (b) => "abcdefghijklmnopqrstuvwxyz234567"[b % 32]).join("");
    const user = await t.db.selectFrom("user_account").select("id").where("username", "=", "hocvien").executeTakeFirstOrThrow();
    await t.db
      .insertInto("user_session")
      .values({ id: token, user_id: user.id, expires_at: new Date(Date.now() + 20 * 86_400_000), ip: "10.9.0.1", user_agent: "test" })
      .execute();

    expect(await migrateToLatest(t.db)).toContain("20261208_0001_sessions_hashed_at_rest");
    const rows = await t.db.selectFrom("user_session").selectAll().execute();
    expect(rows.map((r) => r.id)).toEqual([createHash("sha256").update(token).digest("hex")]);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows[0]).toMatchObject({ user_id: user.id, ip: "10.9.0.1", user_agent: "test" });

    const services = await testServices(t);
    expect((await services.auth.viewerFromCookie(`bd_session=${token}`))?.viewer.username).toBe("hocvien");
  });
});
