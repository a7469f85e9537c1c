import type { ColumnType, Generated } from "kysely";
import type { DateOnly, Json, Num, Timestamp } from "./schema";

/** Surveys, dashboard aggregates, party-development pipeline (issue #8, migration 0007). */
export type SurveySection = "content" | "lecturer" | "organisation" | "facilities" | "general";
export interface SurveyQuestion {
  key: string;
  section: SurveySection;
  type: "likert" | "choice" | "text";
  text: string;
  options?: string[];
  required?: boolean;
}

export interface SurveyTemplateTable {
  id: Generated<number>;
  code: string;
  kind: "course" | "observation";
  name: string;
  questions: Json<SurveyQuestion[]>;
  org_unit_id: number | null;
  created_by: string | null;
  created_at: Timestamp;
}

export interface SurveyTableRow {
  id: Generated<number>;
  class_id: number;
  template_id: number | null;
  kind: "course" | "observation";
  title: string;
  questions: Json<SurveyQuestion[]>;
  lecturer_name: string | null;
  min_group: Generated<number>;
  required_for_certificate: Generated<boolean>;
  opens_on: DateOnly;
  closes_on: DateOnly | null;
  responses: Generated<number>;
  created_by: string | null;
  created_at: Timestamp;
}

/** Who answered; deliberately nothing else (no time, no id). */
export interface SurveyParticipationTable {
  survey_id: number;
  person_id: number;
}

/**
 * An anonymous answer waiting for its batch (decision 017): sealed (AES-GCM, fixed size,
 * key outside the database); deliberately no id, no time, nothing else.
 */
export interface SurveyPendingTable {
  survey_id: number;
  sealed: ColumnType<Uint8Array, Uint8Array, never>;
}

/**
 * What was answered; deliberately no person, account or time of day. Written only by a
 * release of a whole batch (server/surveys/release.ts): `responded_on` is the release day.
 */
export interface SurveyResponseTable {
  id: string;
  survey_id: number;
  responded_on: DateOnly;
}

export interface SurveyAnswerTable {
  response_id: string;
  question_key: string;
  value: number | null;
  text: string | null;
}

export interface SurveyStatTable {
  survey_id: number;
  question_key: string;
  section: string;
  value: number;
  n: number;
}

export interface DashClassStatsTable {
  class_id: number;
  centre_id: number;
  org_path: string;
  programme_code: string;
  year: number;
  quarter: number;
  starts_on: DateOnly | null;
  ends_on: DateOnly | null;
  enrolled: number;
  assessed: number;
  scored: number;
  passed: number;
  xuat_sac: number;
  gioi: number;
  kha: number;
  trung_binh: number;
  khong_dat: number;
  score_sum: Num;
  certificates: number;
  refreshed_at: Timestamp;
}

export interface DashItemStatsTable {
  class_id: number;
  question_version_id: number;
  lesson_position: number | null;
  n: number;
  earned: Num;
  points: Num;
}

export interface DashTargetTable {
  org_unit_id: number;
  year: number;
  classes_planned: number;
  pass_target: Generated<number>;
  good_target: Generated<number>;
}

export interface PartyDevTargetTable {
  unit_id: number;
  year: number;
  group_label: string;
  quarter: number;
  candidates: Generated<number>;
  sent_hd61: Generated<number>;
  files_done: Generated<number>;
  made_full: Generated<number>;
}

export interface PartyDevCandidateTable {
  id: Generated<number>;
  unit_id: number;
  person_id: number;
  group_label: string;
  nominated_on: DateOnly;
  files_done_on: DateOnly | null;
  note: string | null;
  created_at: Timestamp;
}

export interface SurveyTables {
  survey_template: SurveyTemplateTable;
  survey: SurveyTableRow;
  survey_participation: SurveyParticipationTable;
  survey_pending: SurveyPendingTable;
  survey_response: SurveyResponseTable;
  survey_answer: SurveyAnswerTable;
  survey_stat: SurveyStatTable;
  dash_class_stats: DashClassStatsTable;
  dash_item_stats: DashItemStatsTable;
  dash_target: DashTargetTable;
  party_dev_target: PartyDevTargetTable;
  party_dev_candidate: PartyDevCandidateTable;
}
