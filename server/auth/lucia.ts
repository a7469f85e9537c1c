import { createHash } from "node:crypto";
import { Lucia, TimeSpan, type Adapter, type DatabaseSession, type DatabaseUser } from "lucia";
import type { Database } from "../db";

/**
 * The one module that knows lucia: the rest of the server reaches sessions through
 * server/auth/service.ts, which takes an `AppLucia` from here (decision 031 describes
 * what a replacement has to provide).
 */

/**
 * The key a session is stored under: SHA-256 of the cookie's token, in hex. The table
 * never holds a token, so a leaked row, backup or log line opens no session; the token
 * has 200 random bits, so a fast unsalted hash is enough (decision 031). The same
 * function in SQL: encode(sha256(convert_to(token, 'UTF8')), 'hex').
 */
export function sessionKey(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/**
 * Lucia adapter over Kysely: the official pg adapter cannot drive PGlite, and this
 * one serves both drivers (stack.md; docs/decisions/003-sessions.md).
 *
 * Lucia v3 uses the cookie's token as the session id. Every method taking an id stores
 * or looks up `sessionKey(id)` instead, and a session read back carries the token it
 * was asked for, so lucia's refreshed cookie is the same token (decision 031).
 */
export class KyselyLuciaAdapter implements Adapter {
  constructor(private readonly db: Database) {}

  async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const row = await this.db
      .selectFrom("user_session as s")
      .innerJoin("user_account as u", "u.id", "s.user_id")
      .select([
        "s.expires_at",
        "s.ip",
        "s.user_agent",
        "u.id as user_id",
        "u.username",
        "u.display_name",
        "u.person_id",
        "u.must_change_password",
        "u.disabled",
      ])
      .where("s.id", "=", sessionKey(sessionId))
      .executeTakeFirst();
    if (!row) return [null, null];
    return [
      { id: sessionId, userId: row.user_id, expiresAt: new Date(row.expires_at), attributes: { ip: row.ip, user_agent: row.user_agent } },
      {
        id: row.user_id,
        attributes: {
          username: row.username,
          display_name: row.display_name,
          person_id: row.person_id,
          must_change_password: row.must_change_password,
          disabled: row.disabled,
        },
      },
    ];
  }

  /** The ids here are the stored keys, not tokens: a token cannot be recovered from its hash. Unused by the app. */
  async getUserSessions(userId: string): Promise<DatabaseSession[]> {
    const rows = await this.db.selectFrom("user_session").selectAll().where("user_id", "=", userId).execute();
    return rows.map((r) => ({
      id: r.id,
      userId: r.user_id,
      expiresAt: new Date(r.expires_at),
      attributes: { ip: r.ip, user_agent: r.user_agent },
    }));
  }

  async setSession(session: DatabaseSession): Promise<void> {
    await this.db
      .insertInto("user_session")
      .values({
        id: sessionKey(session.id),
        user_id: session.userId,
        expires_at: session.expiresAt,
        ip: session.attributes.ip ?? null,
        user_agent: session.attributes.user_agent ?? null,
      })
      .execute();
  }

  async updateSessionExpiration(sessionId: string, expiresAt: Date): Promise<void> {
    await this.db.updateTable("user_session").set({ expires_at: expiresAt }).where("id", "=", sessionKey(sessionId)).execute();
  }

  async deleteSession(sessionId: string): Promise<void> {
    await this.db.deleteFrom("user_session").where("id", "=", sessionKey(sessionId)).execute();
  }

  async deleteUserSessions(userId: string): Promise<void> {
    await this.db.deleteFrom("user_session").where("user_id", "=", userId).execute();
  }

  async deleteExpiredSessions(): Promise<void> {
    await this.db.deleteFrom("user_session").where("expires_at", "<=", new Date()).execute();
  }
}

/**
 * The session cookie is Secure when SECURE_COOKIES says so or when PUBLIC_URL is https:
 * a site published over https must never send the cookie over plain http.
 */
export function secureSessionCookie(config: { SECURE_COOKIES: boolean; PUBLIC_URL?: string }): boolean {
  return config.SECURE_COOKIES || (config.PUBLIC_URL?.startsWith("https:") ?? false);
}

export function createLucia(db: Database, opts: { secureCookies: boolean }) {
  return new Lucia(new KyselyLuciaAdapter(db), {
    sessionExpiresIn: new TimeSpan(30, "d"),
    // HttpOnly (lucia's default, checked by tests/unit/auth.test.ts): no script reads it.
    // SameSite=Lax: other sites' subrequests carry no session (the origin check in
    // server/http/origin.ts covers top-level form posts and same-site neighbours).
    sessionCookie: { name: "bd_session", attributes: { secure: opts.secureCookies, sameSite: "lax" } },
    getUserAttributes: (a) => ({
      username: a.username,
      displayName: a.display_name,
      personId: a.person_id,
      mustChangePassword: a.must_change_password,
      disabled: a.disabled,
    }),
    getSessionAttributes: (a) => ({ ip: a.ip, userAgent: a.user_agent }),
  });
}

export type AppLucia = ReturnType<typeof createLucia>;

declare module "lucia" {
  interface Register {
    Lucia: AppLucia;
    DatabaseUserAttributes: {
      username: string;
      display_name: string;
      person_id: number | null;
      must_change_password: boolean;
      disabled: boolean;
    };
    DatabaseSessionAttributes: { ip: string | null; user_agent: string | null };
  }
}
