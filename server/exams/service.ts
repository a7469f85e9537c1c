import { createExamContext, type AttemptGraded, type ExamDeps } from "./context";
import { definitionMethods } from "./definitions";
import { attemptMethods } from "./attempts";
import { answerMethods } from "./answers";
import { resultMethods } from "./results";
import { gradingMethods } from "./grading";
import { keyCorrectionMethods } from "./key-corrections";
import { accommodationMethods } from "./accommodations";

/**
 * The exam engine: definitions, papers drawn ahead of the start, attempts with a
 * server-held deadline, durable idempotent answers, exactly-once submission, grading
 * and receipts (docs/decisions/007-exam-engine.md). This factory only composes the
 * modules of one job each around a shared context (docs/decisions/028-service-modules.md).
 */

export type { ReviewPolicy } from "./review";
export { ExamRefused, type AttemptGraded } from "./context";
export type { ExamInput } from "./definitions";

export function createExamService(deps: ExamDeps) {
  const ctx = createExamContext(deps);
  return {
    /** Subscribe to graded attempts (live results, dashboards); called after the commit. */
    onGraded(listener: (e: AttemptGraded) => void | Promise<void>) {
      ctx.gradedListeners.push(listener);
    },
    ...definitionMethods(ctx),
    ...attemptMethods(ctx),
    ...answerMethods(ctx),
    ...resultMethods(ctx),
    ...gradingMethods(ctx),
    ...keyCorrectionMethods(ctx),
    ...accommodationMethods(ctx),
  };
}

export type ExamService = ReturnType<typeof createExamService>;
