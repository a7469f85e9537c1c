import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase, type DatabaseHandle } from "../../server/db";
import { migrateToLatest } from "../../server/db/migrate";
import { loadConfig } from "../../server/config";
import { createLogger } from "../../server/logger";
import { createServices, type Services } from "../../server/services";
import type { Clock } from "../../server/clock";
import { seedDemo } from "../../server/seed/demo";

/**
 * The same integration suite runs on both drivers: TEST_DB=pglite (in-memory
 * PGlite) or TEST_DB=postgres (a fresh database per test file on the local server,
 * TEST_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres).
 */
export const TEST_DB = (process.env.TEST_DB ?? "pglite") as "pglite" | "postgres";
/** The integration project turns the transaction guard on (vitest.config.ts; decision 020). */
const GUARD = process.env.DB_TRANSACTION_GUARD === "1";
const ADMIN_URL = process.env.TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase extends DatabaseHandle {
  url?: string;
  /** Closes the connection and drops the database. */
  destroy(): Promise<void>;
}

export async function testDatabase(opts: { migrate?: boolean; transactionGuard?: boolean } = {}): Promise<TestDatabase> {
  const transactionGuard = opts.transactionGuard ?? GUARD;
  if (TEST_DB === "postgres") {
    const name = `bd_test_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
    const handle = await openDatabase({ url, poolSize: 8, transactionGuard });
    if (opts.migrate !== false) await migrateToLatest(handle.db);
    return {
      ...handle,
      url,
      async destroy() {
        await handle.close();
        const c = new pg.Client({ connectionString: ADMIN_URL });
        await c.connect();
        await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
      },
    };
  }
  const handle = await openDatabase({ dataDir: "memory://", transactionGuard });
  if (opts.migrate !== false) await migrateToLatest(handle.db);
  return { ...handle, destroy: () => handle.close() };
}

export async function testServices(database: TestDatabase, clock?: Clock, env: Record<string, string> = {}): Promise<Services> {
  const config = loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", ...env });
  return createServices(config, { logger: createLogger("silent"), clock, database, migrate: false });
}

/**
 * The setup most files share: a fresh migrated database, its services (on `clock`, with
 * `env` added to the config), the programmes from content/, the seed question banks
 * and the demo data (server/seed/demo.ts).
 */
export async function demoServices(clock?: Clock, env: Record<string, string> = {}): Promise<{ t: TestDatabase; s: Services }> {
  const t = await testDatabase();
  const s = await testServices(t, clock, env);
  await s.curricula.syncFromFiles();
  await s.questions.syncSeedBanks();
  await seedDemo(t.db);
  return { t, s };
}

/** Logs in through the real auth service and returns the viewer and its cookie. */
export async function loginAs(services: Services, username: string, password = "demo12345") {
  const r = await services.auth.login({ username, password, ip: "127.0.0.1" });
  if (!r.ok) throw new Error(`login ${username} failed: ${r.error}`);
  return { viewer: r.viewer, cookie: r.cookie.split(";")[0]! };
}
