import type { Database } from "../db";
import type { Clock } from "../clock";
import type { ExamService } from "../exams/service";
import type { FigureHooks } from "../service-deps";
import type { ProctorContext } from "./context";
import { sessionMethods } from "./session";
import { liveMethods } from "./live";
import { actionMethods } from "./actions";
import { reportMethods } from "./reports";

export { nextRev, type ActionOutcome, type Notice, type Presence } from "./context";

/**
 * Live proctoring of an exam session (ca thi): who may watch and act, the roster
 * snapshot, integrity events from trainees, and proctor actions. Every action is
 * checked against the session, written to the session's event log (the incident
 * report is printed from it) and, where it changes a score or time, to the audit log.
 *
 * The service never talks to sockets: actions return the notices to push, and the
 * realtime layer (server/realtime/proctor-events.ts) delivers them, so HTTP routes
 * and sockets share one code path.
 *
 * One module per job (issue #17): session.ts (access, sessions, proctors), live.ts
 * (roster, presence, integrity signals, live results), actions.ts (proctor actions),
 * reports.ts (the incident report), event-log.ts (the session's log).
 */
export function createProctoringService(deps: {
  db: Database;
  clock: Clock;
  exams: ExamService;
  answerDb?: Database;
  figures?: FigureHooks;
}) {
  const ctx: ProctorContext = {
    db: deps.db,
    signalDb: deps.answerDb ?? deps.db,
    clock: deps.clock,
    exams: deps.exams,
    figures: deps.figures,
  };
  return {
    ...sessionMethods(ctx),
    ...liveMethods(ctx),
    ...actionMethods(ctx),
    ...reportMethods(ctx),
  };
}

export type ProctoringService = ReturnType<typeof createProctoringService>;
