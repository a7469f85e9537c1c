import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Kysely, sql } from "kysely";
import { GuardedKysely, TransactionGuardError } from "../../server/db/transaction-guard";
import { loadConfig } from "../../server/config";
import { testDatabase, TEST_DB, type TestDatabase } from "./harness";

// The transaction guard (docs/decisions/020-transaction-guard.md): a query on the outer
// handle while a transaction of the same async context is open fails at once, naming
// the caller; everything else behaves as before.
describe(`transaction guard (${TEST_DB})`, () => {
  let t: TestDatabase;
  const healthy = async () => (await sql<{ ok: number }>`select 1 as ok`.execute(t.db)).rows[0]!.ok;
  const within = <T>(p: Promise<T>, ms = 5_000) =>
    Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms))]);

  beforeAll(async () => {
    t = await testDatabase({ transactionGuard: true });
    await sql`create table guard_probe (id int primary key, note text)`.execute(t.db);
  });
  afterAll(() => t.destroy());

  it("refuses a query on the outer handle inside a transaction, naming the call site and where the transaction opened; rolls back", async () => {
    const error = await within(
      t.db.transaction().execute(async (trx) => {
        await trx
          .insertInto("guard_probe" as never)
          .values({ id: 1, note: "in trx" } as never)
          .execute();
        await sql`select 1`.execute(t.db); // the bug: the outer handle
      }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionGuardError);
    const e = error as TransactionGuardError;
    expect(e.callSite).toMatch(/^tests\/integration\/transaction-guard\.test\.ts:\d+:\d+$/);
    expect(e.openedAt).toMatch(/^tests\/integration\/transaction-guard\.test\.ts:\d+:\d+$/);
    expect(e.message).toContain(e.callSite);
    expect(e.message).toContain("trx");
    expect(await within(healthy())).toBe(1);
    expect((await sql`select * from guard_probe`.execute(t.db)).rows).toEqual([]);
  });

  it("names the helper that used the outer handle, not Kysely's internals", async () => {
    const helper = (db: typeof t.db) => db.selectFrom("user_account").select("id").execute();
    const error = await within(t.db.transaction().execute(async () => helper(t.db))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionGuardError);
    const line = Number(/:(\d+):\d+$/.exec((error as TransactionGuardError).callSite)![1]);
    const source = (await import("node:fs")).readFileSync(new URL(import.meta.url), "utf8").split("\n");
    expect(source[line - 1]).toContain("const helper =");
  });

  it("refuses a nested transaction on the outer handle and an outer query inside db.connection()", async () => {
    const nested = await within(t.db.transaction().execute(async () => t.db.transaction().execute(async () => 1))).catch((e: unknown) => e);
    expect(nested).toBeInstanceOf(TransactionGuardError);
    const inConnection = await within(t.db.connection().execute(async () => sql`select 1`.execute(t.db))).catch((e: unknown) => e);
    expect(inConnection).toBeInstanceOf(TransactionGuardError);
    expect(await within(healthy())).toBe(1);
  });

  it("lets trx, setIsolationLevel and the connection's own executor work, and a transaction after another", async () => {
    const n = await within(
      t.db
        .transaction()
        .setIsolationLevel("serializable")
        .execute(async (trx) => {
          await trx
            .insertInto("guard_probe" as never)
            .values({ id: 2, note: "ok" } as never)
            .execute();
          const [a, b] = await Promise.all([
            sql<{ n: number }>`select count(*)::int as n from guard_probe`.execute(trx),
            sql`select 1`.execute(trx),
          ]);
          expect(b.rows).toHaveLength(1);
          return a.rows[0]!.n;
        }),
    );
    expect(n).toBe(1);
    expect(await within(t.db.connection().execute(async (c) => (await sql<{ ok: number }>`select 1 as ok`.execute(c)).rows[0]!.ok))).toBe(
      1,
    );
    const guardedAgain = await within(
      t.db
        .transaction()
        .setAccessMode("read only")
        .execute(async () => sql`select 1`.execute(t.db)),
    ).catch((e: unknown) => e);
    expect(guardedAgain).toBeInstanceOf(TransactionGuardError);
  });

  it("does not flag queries of another request while a transaction is open, nor work the transaction left running after it ended", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let later: Promise<unknown> | undefined;
    const tx = t.db.transaction().execute(async (trx) => {
      await trx
        .insertInto("guard_probe" as never)
        .values({ id: 3, note: "held" } as never)
        .execute();
      // Started inside the transaction, runs after it committed: allowed.
      later = gate.then(() => new Promise((r) => setTimeout(r, 50))).then(() => sql`select 1`.execute(t.db));
      await gate;
    });
    // Another request (a separate async context): on PostgreSQL it runs at once, on
    // PGlite it waits for the one connection; it is never refused.
    const other = sql`select 1`.execute(t.db);
    if (TEST_DB === "postgres") await within(other);
    release();
    await within(tx);
    await within(other);
    await within(later!);
    expect(await within(healthy())).toBe(1);
  });

  it("is on outside production and when DB_TRANSACTION_GUARD asks; production gets a plain Kysely", async () => {
    expect(loadConfig({ NODE_ENV: "production" }).transactionGuard).toBe(false);
    expect(loadConfig({ NODE_ENV: "production", DB_TRANSACTION_GUARD: "1" }).transactionGuard).toBe(true);
    expect(loadConfig({ NODE_ENV: "development" }).transactionGuard).toBe(true);
    expect(loadConfig({ NODE_ENV: "test", DB_TRANSACTION_GUARD: "0" }).transactionGuard).toBe(false);
    expect(t.db).toBeInstanceOf(GuardedKysely);
    const plain = await testDatabase({ migrate: false, transactionGuard: false });
    try {
      expect(plain.db).toBeInstanceOf(Kysely);
      expect(plain.db).not.toBeInstanceOf(GuardedKysely);
    } finally {
      await plain.destroy();
    }
  });
});
