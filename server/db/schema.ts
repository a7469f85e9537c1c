import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";
import type { ClassPlanTables } from "./schema-class-plan";
import type { ClassRecordsTables } from "./schema-class-records";
import type { SurveyTables } from "./schema-surveys";
import type { ProctoringTables } from "./schema-proctoring";
import type { ProgrammeManifest } from "../curricula/schema";
import type { BlueprintCell } from "../exams/blueprint";
import type { GradingPolicy } from "../exams/scoring";

/** Table types, updated with every migration in db/migrations. */

export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** Dates travel as "YYYY-MM-DD" strings (pg type parser set in db/index.ts). */
export type DateOnly = ColumnType<string, string, string>;
/**
 * A json/jsonb column: read as T (the drivers parse it), written as a JSON string
 * (`JSON.stringify(value)`), because the pg driver would send a JS array as a
 * PostgreSQL array rather than as JSON.
 */
export type Json<T> = ColumnType<T, string, string>;

export type OrgKind = "province" | "commune" | "bloc" | "grassroots" | "cell";
export type PartyStatus = "quan_chung" | "du_bi" | "chinh_thuc";
export type Role = "admin" | "centre_admin" | "lecturer" | "proctor" | "organisation_board" | "committee" | "unit_secretary" | "trainee";

export interface OrgUnitTable {
  id: Generated<number>;
  parent_id: number | null;
  path: Generated<string>;
  kind: OrgKind;
  name: string;
  short_name: string | null;
  abbreviation: string;
  term_label: string | null;
  term_start: DateOnly | null;
  place_name: string | null;
  created_at: Timestamp;
}

export interface TrainingCentreTable {
  id: Generated<number>;
  org_unit_id: number;
  name: string;
  abbreviation: string;
  director_name: string | null;
  address: string | null;
  created_at: Timestamp;
}

export interface PersonTable {
  id: Generated<number>;
  org_unit_id: number;
  full_name: string;
  birth_date: DateOnly | null;
  gender: string | null;
  ethnicity: string | null;
  education_level: string | null;
  party_status: Generated<PartyStatus>;
  admission_date: DateOnly | null;
  full_member_date: DateOnly | null;
  position: string | null;
  phone: string | null;
  email: string | null;
  created_at: Timestamp;
}

export interface UserAccountTable {
  id: string;
  username: string;
  password_hash: string;
  display_name: string;
  person_id: number | null;
  must_change_password: Generated<boolean>;
  disabled: Generated<boolean>;
  last_login_at: Timestamp | null;
  created_at: Timestamp;
}

export interface UserSessionTable {
  id: string;
  user_id: string;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
  created_at: Timestamp;
}

export interface RoleAssignmentTable {
  id: Generated<number>;
  user_id: string;
  role: Role;
  org_unit_id: number;
  read_only: Generated<boolean>;
}

export interface LoginThrottleTable {
  key: string;
  failures: number;
  window_start: Timestamp;
  locked_until: Timestamp | null;
}

export interface AuditLogTable {
  id: Generated<string>;
  at: Timestamp;
  actor_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  org_unit_id: number | null;
  reason: string | null;
  details: Json<Record<string, unknown>>;
}

export interface ImportBatchTable {
  id: string;
  kind: string;
  created_by: string | null;
  org_unit_id: number | null;
  file_name: string;
  status: Generated<"preview" | "committed">;
  /** The parsed rows and their issues; their shape depends on `kind` (the importer of that kind casts them). */
  rows: Json<unknown[]>;
  issues: Json<unknown[]>;
  created_at: Timestamp;
  committed_at: Timestamp | null;
}

export interface ProgrammeTable {
  code: string;
  name: string;
  manifest: Json<ProgrammeManifest>;
  manifest_hash: string;
  updated_at: Timestamp;
}

export interface LessonTable {
  id: Generated<number>;
  programme_code: string;
  slug: string;
  position: number;
  published_version_id: number | null;
}

export type LessonVersionStatus = "draft" | "submitted" | "returned" | "published" | "superseded";

export interface LessonVersionTable {
  id: Generated<number>;
  lesson_id: number;
  version_no: number;
  source: string;
  source_hash: string;
  title: string;
  periods: number;
  status: LessonVersionStatus;
  origin: "file" | "editor";
  author_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  submitted_at: Timestamp | null;
  reviewed_by: string | null;
  reviewed_at: Timestamp | null;
  review_comment: string | null;
}

export interface CompiledMdxTable {
  hash: string;
  code: string;
  created_at: Timestamp;
}

export interface LessonProgressTable {
  user_id: string;
  lesson_id: number;
  first_opened_at: Timestamp;
  last_seen_at: Timestamp;
  seconds_spent: Generated<number>;
  completed_at: Timestamp | null;
}

export interface TrainingClassTable {
  id: Generated<number>;
  centre_id: number;
  programme_code: string;
  name: string;
  starts_on: DateOnly | null;
  ends_on: DateOnly | null;
  exam_requires_lessons: Generated<string>;
  created_at: Timestamp;
  // Migration 0005 (class plan): the plan item it was opened from, cohort, venue, status.
  plan_item_id: number | null;
  cohort_label: string | null;
  venue: string | null;
  status: Generated<"open" | "closed">;
}

export interface ClassEnrolmentTable {
  class_id: number;
  person_id: number;
  status: Generated<string>;
  created_at: Timestamp;
}

export type QuestionStatus = "draft" | "submitted" | "approved" | "retired";
export type QuestionType = "single" | "multiple" | "true_false" | "essay";
export type QuestionLevel = "nhan_biet" | "thong_hieu" | "van_dung";
/** Where a question version may be drawn (migration 0010): lesson self-checks, exam papers, or both. */
export type QuestionUse = "practice" | "exam" | "both";
export interface StoredOption {
  text: string;
  fraction: number;
  feedback?: string;
}

export interface QuestionBankTable {
  id: Generated<number>;
  code: string;
  programme_code: string;
  name: string;
  created_at: Timestamp;
}

export interface QuestionTable {
  id: Generated<number>;
  bank_id: number;
  key: string;
  lesson_position: number | null;
  status: Generated<QuestionStatus>;
  approved_version_id: number | null;
  latest_version_id: number | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface QuestionVersionTable {
  id: Generated<number>;
  question_id: number;
  version_no: number;
  type: QuestionType;
  level: QuestionLevel | null;
  stem: string;
  stem_format: Generated<"plain" | "html">;
  options: Json<StoredOption[]>;
  explanation: string | null;
  source: string | null;
  tags: Json<string[]>;
  images: Json<{ name: string; mime: string; base64: string }[]>;
  content_hash: string;
  used: Generated<boolean>;
  created_by: string | null;
  created_at: Timestamp;
  use: Generated<QuestionUse>;
}

/** An image imported with questions (migration 0015): content-addressed, raster types only. */
export interface QuestionMediaTable {
  hash: string;
  mime: "image/png" | "image/jpeg" | "image/gif" | "image/webp";
  size: number;
  data: ColumnType<Uint8Array, Uint8Array, never>;
  created_at: Generated<Timestamp>;
}

/** Which stored images a question version's stem references, by the name the stem uses. */
export interface QuestionVersionMediaTable {
  version_id: number;
  name: string;
  hash: string;
}

/** The server-side draw of a trainee's lesson self-check (migration 0010): one per trainee and lesson. */
export interface SelfCheckDrawTable {
  user_id: string;
  lesson_id: number;
  token: string;
  items: Json<number[]>;
  created_at: Timestamp;
  graded_at: Timestamp | null;
}

export interface QuestionReviewTable {
  id: Generated<number>;
  question_id: number;
  version_id: number;
  actor_id: string | null;
  action: "submitted" | "approved" | "returned" | "retired";
  comment: string | null;
  at: Timestamp;
}

export type Num = ColumnType<number, number | string, number | string>;

export interface ExamTable {
  id: Generated<number>;
  class_id: number;
  bank_id: number;
  title: string;
  kind: Generated<"official" | "practice">;
  opens_at: ColumnType<Date, Date | string, Date | string>;
  closes_at: ColumnType<Date, Date | string, Date | string>;
  duration_minutes: number;
  grace_seconds: Generated<number>;
  blueprint: Json<BlueprintCell[]>;
  shuffle_questions: Generated<boolean>;
  shuffle_options: Generated<boolean>;
  policy: Json<GradingPolicy>;
  max_attempts: Generated<number>;
  review_policy: Generated<"none" | "score_only" | "answers_after_submit" | "answers_after_close">;
  /** The centre released the answers before the window closed (answers_after_close). */
  results_released_at: Timestamp | null;
  access_code: string | null;
  proctor_gate: Generated<boolean>;
  started_by_proctor_at: Timestamp | null;
  paused_at: Timestamp | null;
  session_ended_at: Timestamp | null;
  incident_report_no: number | null;
  created_by: string | null;
  created_at: Timestamp;
}

export interface ExamAccommodationTable {
  exam_id: number;
  person_id: number;
  extra_minutes: Generated<number>;
  multiplier: ColumnType<number, number | string | undefined, number | string>;
  reason: string | null;
}

export interface AttemptTable {
  id: Generated<number>;
  exam_id: number;
  person_id: number;
  attempt_no: Generated<number>;
  seed: string;
  /** awaiting_grading: submitted, objective part graded, an essay not yet graded (migration 0008). */
  status: Generated<"ready" | "in_progress" | "submitted" | "awaiting_grading">;
  started_at: Timestamp | null;
  deadline_at: Timestamp | null;
  submitted_at: Timestamp | null;
  submitted_by: "trainee" | "server" | "proctor" | null;
  earned: Num | null;
  max_points: Num | null;
  score: Num | null;
  band: string | null;
  passed: boolean | null;
  receipt: string | null;
  device_id: string | null;
  // Live proctoring (migration 0009): time stops while paused; a lock refuses answers.
  paused_at: Timestamp | null;
  paused_seconds: Generated<number>;
  locked_at: Timestamp | null;
  takeover_device_id: string | null;
  last_ip: string | null;
  admitted_at: Timestamp | null;
  /** SHA-256 (hex) of the accepted device's token (migration 0012, decision 018). */
  device_token_hash: string | null;
}

export interface AttemptItemTable {
  attempt_id: number;
  position: number;
  question_version_id: number;
  option_order: Json<number[]>;
  points: Num;
  chosen: Json<number[]> | null;
  flagged: Generated<boolean>;
  seq: Generated<number>;
  saved_at: Timestamp | null;
  // Essays (migration 0008): the text, its score in the item's points, per-criterion scores.
  text_answer: string | null;
  essay_score: Num | null;
  essay_criteria: Json<number[]> | null;
  essay_comment: string | null;
  graded_by: string | null;
  graded_at: Timestamp | null;
}

/** A corrected key for a version an exam pinned; the version itself is never changed. */
export interface KeyCorrectionTable {
  id: Generated<number>;
  exam_id: number;
  question_version_id: number;
  options: Json<StoredOption[]>;
  reason: string;
  changed_attempts: Generated<number>;
  created_by: string | null;
  created_at: Timestamp;
}

/** Each later capability keeps its tables in its own file (server/db/schema-*.ts). */
export interface DB extends ClassPlanTables, ClassRecordsTables, SurveyTables, ProctoringTables {
  exam: ExamTable;
  exam_accommodation: ExamAccommodationTable;
  attempt: AttemptTable;
  attempt_item: AttemptItemTable;
  key_correction: KeyCorrectionTable;
  question_bank: QuestionBankTable;
  question: QuestionTable;
  question_version: QuestionVersionTable;
  question_review: QuestionReviewTable;
  self_check_draw: SelfCheckDrawTable;
  question_media: QuestionMediaTable;
  question_version_media: QuestionVersionMediaTable;
  programme: ProgrammeTable;
  lesson: LessonTable;
  lesson_version: LessonVersionTable;
  compiled_mdx: CompiledMdxTable;
  lesson_progress: LessonProgressTable;
  training_class: TrainingClassTable;
  class_enrolment: ClassEnrolmentTable;
  org_unit: OrgUnitTable;
  training_centre: TrainingCentreTable;
  person: PersonTable;
  user_account: UserAccountTable;
  user_session: UserSessionTable;
  role_assignment: RoleAssignmentTable;
  login_throttle: LoginThrottleTable;
  audit_log: AuditLogTable;
  import_batch: ImportBatchTable;
}

export type OrgUnit = Selectable<OrgUnitTable>;
export type NewOrgUnit = Insertable<OrgUnitTable>;
export type Person = Selectable<PersonTable>;
export type NewPerson = Insertable<PersonTable>;
export type PersonUpdate = Updateable<PersonTable>;
export type UserAccount = Selectable<UserAccountTable>;
export type TrainingCentre = Selectable<TrainingCentreTable>;
