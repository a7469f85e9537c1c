import { AsyncLocalStorage } from "node:async_hooks";
import {
  Kysely,
  type ConnectionBuilder,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type KyselyConfig,
  type TransactionBuilder,
  type TransactionSettings,
} from "kysely";

/**
 * The transaction guard (docs/decisions/020-transaction-guard.md).
 *
 * The embedded PGlite has one connection (stack.md, trap 11): a query on the outer
 * handle while a transaction (or a `db.connection()` block) of the same request holds
 * that connection waits for itself, and every later request queues behind it. On
 * PostgreSQL the same mistake passes silently (the pool has a spare connection) and
 * breaks the transaction's isolation instead.
 *
 * In development and tests the outer handle is a {@link GuardedKysely}: each
 * `transaction().execute()` / `connection().execute()` runs its callback inside an
 * AsyncLocalStorage scope, and the wrapping driver refuses, at once and naming the
 * caller's file and line, any further connection asked for from inside a scope that
 * still holds one. Queries on `trx` never ask the driver for a connection (they ride
 * the one the transaction holds), so they are not checked at all; queries from OTHER
 * requests run in other async contexts and are never flagged, whatever the driver.
 *
 * In production the guard is not installed: a plain Kysely on the plain dialect, so it
 * costs nothing there.
 */

interface Scope {
  /** The guard whose connection this scope holds (separate pools do not block each other). */
  guard: GuardDriver;
  parent: Scope | undefined;
  /** The scope's own connection request has been made (the first one inside the scope). */
  claimed: boolean;
  /** The connection the scope holds, between acquire and release. */
  connection: DatabaseConnection | undefined;
  /** Where the transaction was opened, for the error message. */
  openedAt: string;
  kind: "transaction" | "connection";
}

const scopes = new AsyncLocalStorage<Scope>();

export class TransactionGuardError extends Error {
  readonly callSite: string;
  readonly openedAt: string;
  constructor(callSite: string, openedAt: string, kind: Scope["kind"], calledFrom?: string) {
    super(
      `Query on the outer database handle at ${callSite}${calledFrom ? ` (called from ${calledFrom})` : ""} while a ${kind === "transaction" ? "transaction" : "db.connection() block"} ` +
        `opened at ${openedAt} is still open in the same request. On the embedded database (one connection) this waits for ` +
        `itself and freezes the server: use the transaction's executor (trx) instead, and pass it into helpers ` +
        `(stack.md, trap 11; docs/decisions/020-transaction-guard.md).`,
    );
    this.name = "TransactionGuardError";
    this.callSite = callSite;
    this.openedAt = openedAt;
  }
}

// Frames of the guard itself and of libraries are not the caller.
const SKIP = /node_modules|\bnode:|\/db\/transaction-guard\.[jt]s:|<anonymous>/;

/** The stack frames outside Kysely, the driver and this module, as "file:line:column". */
export function callSites(stack: string | undefined): string[] {
  const sites: string[] = [];
  for (const line of (stack ?? "").split("\n").slice(1)) {
    if (SKIP.test(line)) continue;
    const m = /\(?((?:file:\/\/)?[^()\s]+:\d+:\d+)\)?\s*$/.exec(line);
    if (m) sites.push(relative(m[1]!));
  }
  return sites;
}

/** The first of them: where the offending query was made. */
export function callSite(stack: string | undefined): string {
  return callSites(stack)[0] ?? "(unknown call site)";
}

function relative(location: string): string {
  const file = location.replace(/^file:\/\//, "");
  const cwd = process.cwd() + "/";
  return file.startsWith(cwd) ? file.slice(cwd.length) : file;
}

function captureStack(): string | undefined {
  // Kysely's frames alone can fill the default ten; the caller's frame lies beyond.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 60;
  const stack = new Error().stack;
  Error.stackTraceLimit = limit;
  return stack;
}

class GuardDriver implements Driver {
  constructor(private readonly inner: Driver) {}

  init() {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const scope = scopes.getStore();
    if (scope) {
      // The first request inside a scope is the scope's own (the transaction taking its
      // connection); any later one while an enclosing scope of this database holds a
      // connection is the bug.
      let own: Scope | undefined;
      if (scope.guard === this && !scope.claimed) {
        scope.claimed = true;
        own = scope;
      }
      for (let s: Scope | undefined = own ? scope.parent : scope; s; s = s.parent) {
        if (s.guard === this && s.connection) {
          const [site, from] = callSites(captureStack());
          throw new TransactionGuardError(site ?? "(unknown call site)", s.openedAt, s.kind, from);
        }
      }
      const connection = await this.inner.acquireConnection();
      if (own) own.connection = connection;
      return connection;
    }
    return this.inner.acquireConnection();
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    return this.inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection) {
    return this.inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection) {
    return this.inner.rollbackTransaction(connection);
  }

  async releaseConnection(connection: DatabaseConnection) {
    const scope = scopes.getStore();
    // Released: anything the scope's callback left running may now query the outer handle.
    if (scope && scope.guard === this && scope.connection === connection) scope.connection = undefined;
    return this.inner.releaseConnection(connection);
  }

  destroy() {
    return this.inner.destroy();
  }
}

class GuardDialect implements Dialect {
  driver: GuardDriver | undefined;
  constructor(private readonly inner: Dialect) {}
  createAdapter() {
    return this.inner.createAdapter();
  }
  createDriver() {
    this.driver = new GuardDriver(this.inner.createDriver());
    return this.driver;
  }
  createQueryCompiler() {
    return this.inner.createQueryCompiler();
  }
  createIntrospector(db: Kysely<any>) {
    return this.inner.createIntrospector(db);
  }
}

type Executable = { execute: (callback: (db: any) => Promise<unknown>) => Promise<unknown> };

/**
 * A Kysely whose transaction and connection blocks run in a guard scope. Only the outer
 * handle is a GuardedKysely: `trx` is Kysely's own Transaction, bound to one connection.
 */
export class GuardedKysely<DB> extends Kysely<DB> {
  readonly #dialect: GuardDialect;

  constructor(config: KyselyConfig & { dialect: Dialect }) {
    const dialect = new GuardDialect(config.dialect);
    super({ ...config, dialect });
    this.#dialect = dialect;
  }

  override transaction(): TransactionBuilder<DB> {
    return this.#scoped(super.transaction(), "transaction");
  }

  override connection(): ConnectionBuilder<DB> {
    return this.#scoped(super.connection(), "connection");
  }

  #scoped<B extends object>(builder: B, kind: Scope["kind"]): B {
    const guard = this.#dialect.driver!;
    const wrap = (b: B): B =>
      new Proxy(b, {
        get(target, prop) {
          const value = Reflect.get(target, prop, target);
          if (prop === "execute") {
            return (callback: (db: any) => Promise<unknown>) => {
              const openedAt = callSite(captureStack());
              const scope: Scope = { guard, parent: scopes.getStore(), claimed: false, connection: undefined, openedAt, kind };
              return scopes.run(scope, () => (target as unknown as Executable).execute(callback));
            };
          }
          if (typeof value !== "function") return value;
          // setIsolationLevel / setAccessMode return a new builder: keep it guarded.
          return (...args: unknown[]) => {
            const out = (value as (...a: unknown[]) => unknown).apply(target, args);
            return out && typeof out === "object" && "execute" in out ? wrap(out as B) : out;
          };
        },
      });
    return wrap(builder);
  }
}
