import type { Generated } from "kysely";
import type { DateOnly, Json, Num, Timestamp } from "./schema";
import type { RecordsPolicy } from "../classes/records-policy";

/** Timetable, attendance, conduct, final results, certificates, document numbering (issue #7, part 2). */
export type ResultOutcome = "passed" | "resit" | "restudy" | "withheld" | "pending";
export type AttendanceStatus = "co_mat" | "vang_co_phep" | "vang_khong_phep" | "di_muon";
export type AttendanceMethod = "manual" | "staff_scan" | "class_qr";

export interface ClassResultTable {
  class_id: number;
  person_id: number;
  score: Num | null;
  band: string | null;
  passed: Generated<boolean>;
  fail_reason: string | null;
  computed_at: Timestamp;
  // Added columns (not part of the contract).
  absent_periods: Generated<number>;
  may_sit: Generated<boolean>;
  serious_breach: Generated<boolean>;
  attempts: Generated<number>;
  outcome: Generated<ResultOutcome>;
}

export interface CertificateTable {
  id: Generated<number>;
  centre_id: number;
  class_id: number;
  person_id: number;
  programme_code: string;
  year: number;
  serial_no: number;
  number_label: string;
  issued_on: DateOnly;
  status: Generated<"valid" | "revoked" | "superseded">;
  replaces_id: number | null;
  reason: string | null;
  verification_code: string;
  created_by: string | null;
  created_at: Timestamp;
  classification: string | null;
  revoked_at: Timestamp | null;
}

export interface CertificateCounterTable {
  centre_id: number;
  year: number;
  last_no: number;
}

export interface ClassSessionTable {
  id: Generated<number>;
  class_id: number;
  seq: number;
  on_date: DateOnly;
  part: "sang" | "chieu" | "toi";
  /** "bai:2" (lesson position) or "hd:thao-luan" (activity code). */
  topic: string;
  title: string;
  periods: number;
  lecturer_name: string | null;
  note: string | null;
}

export interface ClassRecordsSettingTable {
  class_id: number;
  /** Saved whole; rows written before a field existed lack it (`resolvePolicy` fills defaults). */
  policy: Json<Partial<RecordsPolicy>> | null;
  timetable_reason: string | null;
  templates: Json<Record<string, string>> | null;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface AttendanceTable {
  session_id: number;
  person_id: number;
  status: AttendanceStatus;
  method: AttendanceMethod;
  note: string | null;
  marked_by: string | null;
  marked_at: Timestamp;
}

export interface ConductRecordTable {
  id: Generated<number>;
  class_id: number;
  person_id: number;
  severity: "minor" | "serious";
  description: string;
  recorded_by: string | null;
  recorded_at: Timestamp;
}

export interface ServerSecretTable {
  name: string;
  value: string;
  created_at: Timestamp;
}

export interface RecordsDocumentTable {
  class_id: number;
  doc_type: string;
  unit_id: number;
  no: number;
  label: string;
  issued_on: DateOnly;
  created_by: string | null;
  created_at: Timestamp;
}

export interface ClassRecordsTables {
  class_result: ClassResultTable;
  certificate: CertificateTable;
  certificate_counter: CertificateCounterTable;
  class_session: ClassSessionTable;
  class_records_setting: ClassRecordsSettingTable;
  attendance: AttendanceTable;
  conduct_record: ConductRecordTable;
  server_secret: ServerSecretTable;
  records_document: RecordsDocumentTable;
}
