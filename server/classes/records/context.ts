import type { Database } from "../../db";
import type { Clock } from "../../clock";
import type { Config } from "../../config";
import type { FigureHooks } from "../../service-deps";
import type { Role } from "../../db/schema";

/**
 * What the class-records modules share (issue #17): the database, the clock, the
 * configuration (the public address printed on QR codes and certificates), the figure
 * hooks, and the attendance QR key, memoised once per service.
 */
export interface RecordsContext {
  db: Database;
  clock: Clock;
  config: Config;
  figures?: FigureHooks;
  /** The HMAC key of the attendance QR codes (settings.ts: `attendanceSecret`). */
  secret: () => Promise<string>;
}

export const ORGANISERS: Role[] = ["centre_admin"];
export const MARKERS: Role[] = ["centre_admin", "lecturer", "proctor"];
export const READERS: Role[] = ["centre_admin", "lecturer", "proctor", "organisation_board", "committee"];

export type Problems = { ok: false; problems: string[] };

export function today(clock: Clock): string {
  // Session days are local (Asia/Ho_Chi_Minh, UTC+7, no daylight saving).
  return new Date(clock.now().getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

/** The address printed on QR codes and certificates, without a trailing slash. */
export function publicBase(config: Config): string {
  return (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/$/, "");
}
