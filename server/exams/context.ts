import type { Selectable } from "kysely";
import type { Database } from "../db";
import type { Clock } from "../clock";
import type { AttemptTable, Role } from "../db/schema";
import { BadRequest } from "../errors";
import type { FigureHooks } from "../service-deps";
import { createReceiptKey } from "./receipt-key";
import { createAnswerBatcher } from "./answer-batch";
import { createExamRows, loadExam } from "./exam-rows";
import { createPaperVersions } from "./paper";

/**
 * What the exam engine's modules share (docs/decisions/028-service-modules.md): built
 * once by createExamService and passed to each module's methods.
 */
export interface ExamDeps {
  db: Database;
  clock: Clock;
  answerDb?: Database;
  answerWriters?: number;
  receiptSecret?: string;
  figures?: FigureHooks;
}

export const ORGANISERS: Role[] = ["centre_admin"];
/** Who marks essays: the class's lecturers and its centre (docs/grading.md). */
export const GRADERS: Role[] = ["lecturer", "centre_admin"];
/** Who may correct a key and regrade: the centre and the committee above it. */
export const REGRADERS: Role[] = ["centre_admin", "committee"];

/** Published after an attempt is submitted and graded (by the trainee, the server or a proctor). */
export interface AttemptGraded {
  attemptId: number;
  examId: number;
  personId: number;
  score: number;
  band: string;
  passed: boolean;
  by: "trainee" | "server" | "proctor";
}

export class ExamRefused extends BadRequest {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type AttemptRow = Selectable<AttemptTable>;

export function createExamContext(deps: ExamDeps) {
  const { db, clock } = deps;
  // Answers get their own small pool (when the server has one): a burst of starts or
  // submissions must not queue the hot path behind it (docs/performance.md).
  const answerDb = deps.answerDb ?? db;
  const gradedListeners: ((e: AttemptGraded) => void | Promise<void>)[] = [];
  return {
    db,
    clock,
    answerDb,
    figures: deps.figures,
    receiptKey: createReceiptKey(db, deps.receiptSecret),
    choiceAnswers: createAnswerBatcher(answerDb, { maxInFlight: deps.answerWriters }),
    exams: createExamRows((examId) => loadExam(db, examId), clock),
    versionViews: createPaperVersions(db),
    gradedListeners,
    /** Tells dashboards and live results; after the commit, and a listener never fails the caller. */
    async notifyGraded(events: AttemptGraded[]) {
      for (const event of events)
        for (const listener of gradedListeners) {
          try {
            await listener(event);
          } catch {
            // A listener (dashboards, live results) must never undo or fail a submission.
          }
        }
    },
  };
}

export type ExamContext = ReturnType<typeof createExamContext>;
