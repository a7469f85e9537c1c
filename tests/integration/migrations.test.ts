import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { migrateDownOne, migrateToLatest } from "../../server/db/migrate";
import { testDatabase, TEST_DB, type TestDatabase } from "./harness";

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
    const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = 'public'`.execute(t.db);
    const names = tables.rows.map((r) => r.table_name);
    for (const n of ["org_unit", "person", "user_account", "user_session", "role_assignment", "audit_log", "import_batch", "login_throttle"]) expect(names).toContain(n);
  });

  it("roll back down to nothing and up again", async () => {
    await migrateToLatest(t.db);
    while (await migrateDownOne(t.db)) {
      /* undo every migration */
    }
    const after = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_schema = 'public' and table_name = 'org_unit'`.execute(t.db);
    expect(after.rows[0]!.n).toBe(0);
    expect(await migrateToLatest(t.db)).toContain("20261122_0001_foundation");
  });
});
