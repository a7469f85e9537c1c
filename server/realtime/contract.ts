import type { z } from "zod";
import type { ExamService } from "../exams/service";
import type { AnswerReply, SubmitReply, SyncReply } from "../exams/answer-path";
import type { answerPayload, attemptPayload, Failure, startPayload, submitPayload } from "../exams/protocol";
import type {
  focusPayload,
  integrityPayload,
  proctorActionPayload,
  proctorJoinPayload,
  ProctorAction,
  resultsWatchPayload,
  traineeJoinPayload,
} from "../proctoring/protocol";
import type { RosterEvent, RosterRow, RosterSnapshot } from "../proctoring/roster";
import type { LiveSummary } from "../proctoring/live-results";

/**
 * The realtime contract: every event between a browser and the server, declared once
 * (decision 033; docs/realtime-protocol.md is its prose). The server types its
 * `Server`/`Socket` with these maps, the browser its one connection
 * (app/lib/realtime/use-socket.ts). Payloads sent by clients are the zod schemas'
 * input types: the server still parses every one, since types do not cross a network.
 *
 * Types only: the browser imports this module with `import type`, so neither zod nor
 * any server code enters its bundle.
 */

/** Every acknowledgement: `{ ok: true, … }` or a refusal with a code and a Vietnamese message. */
export type Reply<T extends object = object> = ({ ok: true } & T) | Failure;
type Acked<P, R> = (payload: P, ack: (reply: R) => void) => void;

// ---- payloads, from the zod schemas ------------------------------------------------------
export type StartPayload = z.input<typeof startPayload>;
export type AttemptPayload = z.input<typeof attemptPayload>;
export type AnswerPayload = z.input<typeof answerPayload>;
export type SubmitPayload = z.input<typeof submitPayload>;
export type TraineeJoinPayload = z.input<typeof traineeJoinPayload>;
export type FocusPayload = z.input<typeof focusPayload>;
export type IntegrityPayload = z.input<typeof integrityPayload>;
export type IntegrityKind = IntegrityPayload["kind"];
export type ProctorJoinPayload = z.input<typeof proctorJoinPayload>;
export type ProctorActionPayload = z.input<typeof proctorActionPayload>;
export type { ProctorAction };
export type ResultsWatchPayload = z.input<typeof resultsWatchPayload>;

// ---- the trainee's paper: the server's own declaration ---------------------------------
/** The trainee's view of the paper (never the key), as `exams.paper` returns it and the exam page receives it. */
export type Paper = Awaited<ReturnType<ExamService["paper"]>>;
export type PaperItem = Paper["items"][number];
/** `exam:start`'s paper: with the device token this device must send with every answer (decision 018). */
export type StartedPaper = Awaited<ReturnType<ExamService["start"]>>;

export type { AnswerReply, SubmitReply, SyncReply, RosterRow, RosterEvent, RosterSnapshot, LiveSummary };

/** Client → server. Every event but `exam:focus` and `proctor:leave` is acknowledged. */
export interface ClientToServerEvents {
  "session:whoami": Acked<Record<string, never> | undefined, Reply<{ userId: string; username: string; roles: string[] }>>;
  "exam:start": Acked<StartPayload, Reply<StartedPaper>>;
  "exam:sync": Acked<AttemptPayload, SyncReply>;
  "exam:answer": Acked<AnswerPayload, AnswerReply>;
  "exam:submit": Acked<SubmitPayload, SubmitReply>;
  "exam:join": Acked<TraineeJoinPayload, Reply>;
  /** The question on screen; fire and forget (the proctor's roster shows it). */
  "exam:focus": (payload: FocusPayload) => void;
  "exam:integrity": Acked<IntegrityPayload, Reply>;
  "proctor:join": Acked<ProctorJoinPayload, Reply<{ snapshot: RosterSnapshot & { canAct: boolean } }>>;
  "proctor:leave": (payload: ProctorJoinPayload) => void;
  "proctor:action": Acked<ProctorActionPayload, Reply<{ message: string }>>;
  "results:watch": Acked<ResultsWatchPayload, Reply<{ summaries: LiveSummary[] }>>;
}

/** The answer a proctor's console gets for each stored answer (from the answer path's notice). */
export interface ProctorAnswer {
  examId: number;
  personId: number;
  attemptId: number;
  position: number;
  seq: number;
  hasAnswer: boolean;
  at: string;
  rev: number;
}

type Deadline = { attemptId: number; deadline: string; serverNow: string; secondsLeft?: number | null; reason?: string };

/** Server → client. Trainee screens hear `exam:*`, proctors `proctor:*`, dashboards `results:*`. */
export interface ServerToClientEvents {
  "exam:started": (p: { examId: number; at: string }) => void;
  "exam:takeover_approved": (p: { examId: number; attemptId: number }) => void;
  "exam:paused": (p: { attemptId: number; at: string; reason: string | null }) => void;
  "exam:resumed": (p: Deadline) => void;
  "exam:deadline": (p: Deadline) => void;
  "exam:locked": (p: { attemptId: number; reason: string | null }) => void;
  "exam:unlocked": (p: { attemptId: number; reason: string | null }) => void;
  "exam:message": (p: { examId: number; attemptId?: number; text: string; at: string }) => void;
  "exam:closed": (p: { attemptId: number; by: "server" | "proctor"; receipt?: string | null; reason?: string | null }) => void;
  "exam:taken_over": (p: { attemptId: number }) => void;
  "exam:reopened": (p: Deadline) => void;
  "exam:session_ended": (p: { examId: number }) => void;
  "proctor:rows": (p: { examId: number; rows: RosterRow[] }) => void;
  "proctor:answer": (p: ProctorAnswer) => void;
  "proctor:focus": (p: { examId: number; personId: number; position: number; at: string; rev: number }) => void;
  "proctor:event": (p: { examId: number; event: RosterEvent }) => void;
  "proctor:session": (p: { examId: number; action: ProctorAction["type"] }) => void;
  "results:update": (p: LiveSummary) => void;
}

/** Between server processes (none: the Redis adapter carries room broadcasts only). */
export type InterServerEvents = Record<string, never>;
