import { z } from "zod";
import type { Database } from "../../db";
import type { Clock } from "../../clock";
import type { Config } from "../../config";
import type { FigureHooks } from "../../service-deps";
import type { Role } from "../../db/schema";
import type { NominationStatus } from "../../db/schema-class-plan";
import { BadRequest } from "../../errors";
import { vnDay } from "../../rules/dates";

/**
 * What every part of the class plan service shares (server/classes/plan-service.ts
 * composes them): the database, the clock, the config and the dashboard hook, plus the
 * roles each step belongs to. Every method takes the viewer and checks role and
 * organisational scope itself.
 */
export interface PlanContext {
  db: Database;
  clock: Clock;
  config: Config;
  figures?: FigureHooks;
  /** Today's calendar day in Vietnam ("YYYY-MM-DD"). */
  today(): string;
}

export function planContext(deps: { db: Database; clock: Clock; config: Config; figures?: FigureHooks }): PlanContext {
  return { db: deps.db, clock: deps.clock, config: deps.config, figures: deps.figures, today: () => vnDay(deps.clock.now()) };
}

export const PLAN_READERS: Role[] = ["centre_admin", "organisation_board", "committee", "unit_secretary"];
export const PLANNERS: Role[] = ["centre_admin"];
export const NOMINATORS: Role[] = ["unit_secretary"];
export const BOARD: Role[] = ["organisation_board"];
export const OPENERS: Role[] = ["centre_admin"];
export const CLASS_VIEWERS: Role[] = ["centre_admin", "lecturer", "proctor"];
export const RULE_EDITORS: Role[] = ["organisation_board"];

export const STATUS_LABELS: Record<NominationStatus, string> = {
  pending: "Chờ thẩm định",
  approved: "Đã duyệt",
  rejected: "Không duyệt",
  withdrawn: "Đã rút",
};

export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Ngày không hợp lệ.");

export function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new BadRequest(r.error.issues.map((i) => i.message).join(" "));
  return r.data;
}
