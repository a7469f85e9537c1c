import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

/** Table types, updated with every migration in db/migrations. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** Dates travel as "YYYY-MM-DD" strings (pg type parser set in db/index.ts). */
type DateOnly = ColumnType<string, string, string>;
type Json<T> = ColumnType<T, string, string>;

export type OrgKind = "province" | "commune" | "bloc" | "grassroots" | "cell";
export type PartyStatus = "quan_chung" | "du_bi" | "chinh_thuc";
export type Role =
  | "admin"
  | "centre_admin"
  | "lecturer"
  | "proctor"
  | "organisation_board"
  | "committee"
  | "unit_secretary"
  | "trainee";

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
  created_at: Generated<Timestamp>;
}

export interface TrainingCentreTable {
  id: Generated<number>;
  org_unit_id: number;
  name: string;
  abbreviation: string;
  director_name: string | null;
  address: string | null;
  created_at: Generated<Timestamp>;
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
  created_at: Generated<Timestamp>;
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
  created_at: Generated<Timestamp>;
}

export interface UserSessionTable {
  id: string;
  user_id: string;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
  created_at: Generated<Timestamp>;
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
  at: Generated<Timestamp>;
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
  created_by: string;
  org_unit_id: number;
  file_name: string;
  status: Generated<"preview" | "committed">;
  rows: Json<unknown[]>;
  issues: Json<unknown[]>;
  created_at: Generated<Timestamp>;
  committed_at: Timestamp | null;
}

export interface DB {
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
