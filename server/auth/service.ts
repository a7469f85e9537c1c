import type { AppLucia } from "./lucia";
import type { Database } from "../db";
import type { Clock } from "../clock";
import { audit } from "../audit/log";
import { dummyPasswordHash, hashPassword, passwordProblem, verifyPassword } from "./password";
import type { RoleGrant, Viewer } from "./scope";
import { ACCOUNT_POLICY, ADDRESS_POLICY, clearThrottle, minutesLocked, readThrottle, recordFailure } from "./throttle";

export type LoginResult = { ok: true; cookie: string; viewer: Viewer } | { ok: false; error: string; locked?: boolean };

export interface AuthService {
  login(input: { username: string; password: string; ip: string; userAgent?: string | null }): Promise<LoginResult>;
  viewerFromCookie(cookieHeader: string | null | undefined): Promise<{ viewer: Viewer; refreshCookie?: string } | null>;
  logout(sessionId: string): Promise<string>;
  logoutEverywhere(userId: string): Promise<string>;
  changePassword(
    viewer: Viewer,
    current: string,
    next: string,
  ): Promise<{ ok: true; cookie: string } | { ok: false; field: "current" | "next"; error: string }>;
  rolesOf(userId: string): Promise<RoleGrant[]>;
  blankCookie(): string;
  /** The viewer of an account without a session: for the CLI, which acts "as" a named user. */
  viewerForUsername(username: string): Promise<Viewer | null>;
}

const WRONG = "Tên đăng nhập hoặc mật khẩu không đúng.";

export function createAuthService(deps: { db: Database; lucia: AppLucia; clock: Clock }): AuthService {
  const { db, lucia, clock } = deps;

  async function rolesOf(userId: string): Promise<RoleGrant[]> {
    const rows = await db
      .selectFrom("role_assignment as r")
      .innerJoin("org_unit as o", "o.id", "r.org_unit_id")
      .select(["r.role", "r.org_unit_id", "r.read_only", "o.path", "o.name"])
      .where("r.user_id", "=", userId)
      .execute();
    return rows.map((r) => ({ role: r.role, orgUnitId: r.org_unit_id, orgPath: r.path, orgName: r.name, readOnly: r.read_only }));
  }

  async function toViewer(
    user: { id: string; username: string; displayName: string; personId: number | null; mustChangePassword: boolean },
    sessionId: string,
  ): Promise<Viewer> {
    return {
      userId: user.id,
      username: user.username,
      displayName: user.displayName,
      personId: user.personId,
      mustChangePassword: user.mustChangePassword,
      sessionId,
      roles: await rolesOf(user.id),
    };
  }

  return {
    rolesOf,

    async login({ username, password, ip, userAgent }) {
      const name = username.trim().toLowerCase().normalize("NFC");
      if (!name || !password) return { ok: false, error: "Vui lòng nhập tên đăng nhập và mật khẩu." };
      const now = clock.now();
      const userKey = `user:${name}`;
      const ipKey = `ip:${ip}`;
      const locked = Math.max(minutesLocked(await readThrottle(db, userKey), now), minutesLocked(await readThrottle(db, ipKey), now));
      if (locked > 0) {
        return {
          ok: false,
          locked: true,
          error: `Bạn đã nhập sai quá nhiều lần. Vui lòng thử lại sau ${locked} phút hoặc liên hệ cán bộ trung tâm để được hỗ trợ.`,
        };
      }
      const user = await db.selectFrom("user_account").selectAll().where("username", "=", name).executeTakeFirst();
      const valid = user
        ? await verifyPassword(user.password_hash, password)
        : (await verifyPassword(await dummyPasswordHash(), password), false);
      if (!user || !valid || user.disabled) {
        const u = await recordFailure(db, userKey, now, ACCOUNT_POLICY);
        await recordFailure(db, ipKey, now, ADDRESS_POLICY);
        if (user && valid && user.disabled) return { ok: false, error: "Tài khoản đã bị khóa. Vui lòng liên hệ cán bộ trung tâm." };
        const left = ACCOUNT_POLICY.maxFailures - u.failures;
        if (minutesLocked(u, now) > 0) {
          return {
            ok: false,
            locked: true,
            error: `Bạn đã nhập sai quá nhiều lần. Vui lòng thử lại sau ${ACCOUNT_POLICY.lockMinutes} phút hoặc liên hệ cán bộ trung tâm để được hỗ trợ.`,
          };
        }
        return { ok: false, error: left <= 2 ? `${WRONG} Còn ${left} lần thử trước khi tài khoản bị tạm khóa.` : WRONG };
      }
      await clearThrottle(db, userKey);
      const session = await lucia.createSession(user.id, { ip, user_agent: userAgent?.slice(0, 300) ?? null });
      await db.updateTable("user_account").set({ last_login_at: now }).where("id", "=", user.id).execute();
      const viewer = await toViewer(
        {
          id: user.id,
          username: user.username,
          displayName: user.display_name,
          personId: user.person_id,
          mustChangePassword: user.must_change_password,
        },
        session.id,
      );
      return { ok: true, cookie: lucia.createSessionCookie(session.id).serialize(), viewer };
    },

    async viewerFromCookie(cookieHeader) {
      const sessionId = lucia.readSessionCookie(cookieHeader ?? "");
      if (!sessionId) return null;
      const { session, user } = await lucia.validateSession(sessionId);
      if (!session || !user || user.disabled) return null;
      const viewer = await toViewer(user, session.id);
      return { viewer, refreshCookie: session.fresh ? lucia.createSessionCookie(session.id).serialize() : undefined };
    },

    async logout(sessionId) {
      await lucia.invalidateSession(sessionId);
      return lucia.createBlankSessionCookie().serialize();
    },

    async logoutEverywhere(userId) {
      await lucia.invalidateUserSessions(userId);
      await audit(db, { actorId: userId, action: "auth.logout_everywhere", entityType: "user_account", entityId: userId });
      return lucia.createBlankSessionCookie().serialize();
    },

    async changePassword(viewer, current, next) {
      const user = await db.selectFrom("user_account").select(["password_hash"]).where("id", "=", viewer.userId).executeTakeFirstOrThrow();
      if (!(await verifyPassword(user.password_hash, current)))
        return { ok: false, field: "current", error: "Mật khẩu hiện tại không đúng." };
      const problem = passwordProblem(next, viewer.username);
      if (problem) return { ok: false, field: "next", error: problem };
      if (current === next) return { ok: false, field: "next", error: "Mật khẩu mới phải khác mật khẩu hiện tại." };
      await db
        .updateTable("user_account")
        .set({ password_hash: await hashPassword(next), must_change_password: false })
        .where("id", "=", viewer.userId)
        .execute();
      // A changed password ends every other session (a stolen initial password stops working).
      await lucia.invalidateUserSessions(viewer.userId);
      const session = await lucia.createSession(viewer.userId, { ip: null, user_agent: null });
      await audit(db, { actorId: viewer.userId, action: "auth.password_changed", entityType: "user_account", entityId: viewer.userId });
      return { ok: true, cookie: lucia.createSessionCookie(session.id).serialize() };
    },

    blankCookie: () => lucia.createBlankSessionCookie().serialize(),

    async viewerForUsername(username) {
      const u = await db.selectFrom("user_account").selectAll().where("username", "=", username.toLowerCase()).executeTakeFirst();
      if (!u || u.disabled) return null;
      return toViewer(
        { id: u.id, username: u.username, displayName: u.display_name, personId: u.person_id, mustChangePassword: false },
        "cli",
      );
    },
  };
}
