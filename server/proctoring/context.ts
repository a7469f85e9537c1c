import type { Database } from "../db";
import type { Clock } from "../clock";
import type { ExamService } from "../exams/service";
import type { Role } from "../db/schema";
import type { FigureHooks } from "../service-deps";
import type { RosterEvent } from "./roster";

/**
 * What the proctoring modules share (issue #17). Integrity signals are the trainee's
 * hot path, like answers: `signalDb` is the answer pool, so a synchronised start or a
 * mass submit on the main pool does not hold them back.
 */
export interface ProctorContext {
  db: Database;
  signalDb: Database;
  clock: Clock;
  exams: ExamService;
  figures?: FigureHooks;
}

/** A push to deliver after an action commits: a room and an event with its payload. */
export interface Notice {
  room: string;
  event: string;
  payload: Record<string, unknown>;
}

export interface ActionOutcome {
  ok: true;
  message: string;
  notices: Notice[];
  /** Trainees whose roster rows changed (the realtime layer sends fresh rows). */
  changed: number[];
  event: RosterEvent;
}

/** Presence as the realtime layer knows it: connected trainees and the question each is on. */
export type Presence = Map<number, { current: number | null }>;

export const ACTORS: Role[] = ["centre_admin"];

let revCounter = 0;
/** Monotonic across a process and roughly ordered across processes on synced clocks. */
export function nextRev(now = Date.now()): number {
  revCounter = (revCounter + 1) % 1000;
  return now * 1000 + revCounter;
}
