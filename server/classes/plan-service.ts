import type { Database } from "../db";
import type { Clock } from "../clock";
import type { ServiceDeps } from "../service-deps";
import { planContext } from "./plan/context";
import { programmes } from "./plan/scope";
import { planMethods } from "./plan/plan";
import { nominationMethods } from "./plan/nominations";
import { nominationUploadMethods } from "./plan/nomination-upload";
import { reviewMethods } from "./plan/review";
import { openingMethods } from "./plan/opening";
import { paperMethods } from "./plan/papers";

/**
 * Training plans, nominations and eligibility, opening a class, call-up letters,
 * seating (issue #7, part 1; docs/class-plan.md). Every method takes the viewer and
 * checks role and organisational scope; decisions, overrides, openings and issued
 * passwords are audited in the transaction that makes them.
 *
 * The parts live in ./plan/: the year's plan (plan.ts), nominations one by one
 * (nominations.ts) and as a spreadsheet (nomination-upload.ts), the board's review
 * (review.ts), opening a class (opening.ts) and its papers (papers.ts), over shared
 * reads (scope.ts, checks.ts, nomination-queries.ts, class-facts.ts).
 */
export function createClassPlanService(deps: ServiceDeps) {
  const ctx = planContext(deps);
  return {
    programmes: () => programmes(ctx.db),
    ...planMethods(ctx),
    ...nominationMethods(ctx),
    ...nominationUploadMethods(ctx),
    ...reviewMethods(ctx),
    ...openingMethods(ctx),
    ...paperMethods(ctx),
  };
}

export type ClassPlanService = ReturnType<typeof createClassPlanService>;
export { STATUS_LABELS } from "./plan/context";
export type { PlanItemInput } from "./plan/plan";
export type { NominateInput } from "./plan/nominations";
export type { OpenClassInput } from "./plan/opening";
export type { NominationView } from "./plan/nomination-queries";
export type { Database, Clock };
