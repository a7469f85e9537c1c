import fs from "node:fs";
import path from "node:path";
import { Kysely, PostgresDialect, sql, type Dialect } from "kysely";
import pg from "pg";
import { PGlite } from "@electric-sql/pglite";
import { PGliteDialect } from "kysely-pglite-dialect";
import type { DB } from "./schema";
import { GuardedKysely } from "./transaction-guard";

export type Database = Kysely<DB>;

export interface DatabaseHandle {
  db: Database;
  kind: "postgres" | "pglite";
  close(): Promise<void>;
  /**
   * PGlite only: a consistent copy of the data folder (PGlite's tar) for backups
   * (decision 027). `inspect` runs first on the same connection, so what it reads
   * matches the copy.
   */
  snapshot?<T>(inspect: (conn: Database) => Promise<T>): Promise<{ tarball: Uint8Array; info: T; heldMs: number }>;
}

// Both drivers must hand back the same JavaScript values, or code that passes on
// one fails on the other: dates as "YYYY-MM-DD" strings (no time-zone shift),
// int8 (count(*)) as numbers.
const DATE_OID = 1082;
const INT8_OID = 20;
const NUMERIC_OID = 1700;
pg.types.setTypeParser(DATE_OID, (v: string) => v);
pg.types.setTypeParser(INT8_OID, (v: string) => Number(v));
pg.types.setTypeParser(NUMERIC_OID, (v: string) => Number(v));

export interface DatabaseOptions {
  /** postgres://… → real PostgreSQL; unset → PGlite. */
  url?: string;
  poolSize?: number;
  /** PGlite data folder; "memory://" for a throw-away database. */
  dataDir?: string;
  /**
   * Refuse queries on the outer handle while a transaction of the same request is open
   * (development and tests; decision 020). Off → a plain Kysely, nothing in the way.
   */
  transactionGuard?: boolean;
}

function kysely(dialect: Dialect, guard: boolean | undefined): Database {
  return guard ? new GuardedKysely<DB>({ dialect }) : new Kysely<DB>({ dialect });
}

export async function openDatabase(opts: DatabaseOptions): Promise<DatabaseHandle> {
  if (opts.url) {
    const pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.poolSize ?? 10,
      // Under a burst (a mass submit) requests queue for a connection; they wait rather
      // than fail, but not forever: a dropped server still surfaces within 30 s.
      connectionTimeoutMillis: 30_000,
      idleTimeoutMillis: 30_000,
    });
    // An idle client losing its server (PostgreSQL restart) emits 'error' on the pool;
    // without a listener that would crash the process.
    pool.on("error", () => {});
    // A connection that dies while checked out (PostgreSQL restarting mid-query, or
    // between the statements of a transaction) emits 'error' on its client, and pg-pool
    // listens only to idle clients: unheard, that error crashes the process. The query in
    // flight fails on its own (the caller answers server_error and the client retries),
    // and the pool drops the dead client on release (it is no longer queryable).
    // Found by tests/integration/exam-faults.test.ts.
    pool.on("connect", (client) => client.on("error", () => {}));
    const db = kysely(new PostgresDialect({ pool }), opts.transactionGuard);
    return { db, kind: "postgres", close: () => db.destroy() };
  }
  const dataDir = opts.dataDir ?? "memory://";
  if (!dataDir.startsWith("memory://")) {
    // PGlite does not create parent folders (stack.md, trap 3).
    fs.mkdirSync(path.dirname(path.resolve(dataDir)), { recursive: true });
  }
  const pglite = await PGlite.create(dataDir, {
    parsers: {
      [DATE_OID]: (v: string) => v,
      [INT8_OID]: (v: string) => Number(v),
      [NUMERIC_OID]: (v: string) => Number(v),
    },
  });
  const db = kysely(new PGliteDialect(pglite), opts.transactionGuard);
  return {
    db,
    kind: "pglite",
    close: () => db.destroy(),
    // Holding the one connection means no transaction is open (every transaction holds
    // it too); the checkpoint writes every committed page into the data files; the tar is
    // read synchronously, so nothing runs in between. Answers wait only for this.
    snapshot: (inspect) =>
      db.connection().execute(async (conn) => {
        const started = performance.now();
        const info = await inspect(conn);
        await sql`checkpoint`.execute(conn);
        const blob = await pglite.dumpDataDir("none");
        const heldMs = performance.now() - started;
        return { tarball: new Uint8Array(await blob.arrayBuffer()), info, heldMs };
      }),
  };
}
