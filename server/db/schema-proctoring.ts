import type { Generated } from "kysely";
import type { Json, Timestamp } from "./schema";

/** Live proctoring (issue #6). Columns added to `attempt` and `exam` are in schema.ts. */
export interface ExamProctorTable {
  exam_id: number;
  user_id: string;
  assigned_by: string | null;
  assigned_at: Timestamp;
}

export type ExamEventSource = "trainee" | "proctor" | "server";

export interface ExamEventTable {
  id: Generated<string>;
  exam_id: number;
  attempt_id: number | null;
  person_id: number | null;
  source: ExamEventSource;
  kind: string;
  actor_id: string | null;
  reason: string | null;
  details: Json<Record<string, unknown>>;
  at: Timestamp;
}

export interface ProctoringTables {
  exam_proctor: ExamProctorTable;
  exam_event: ExamEventTable;
}
