import type { ColumnType, Generated } from "kysely";
import type { DateOnly, Json, Timestamp } from "./schema";
import type { Check, RuleSet } from "../classes/eligibility";

/** Training plans, nominations, eligibility decisions, document numbering (issue #7, part 1). */
export type NominationStatus = "pending" | "approved" | "rejected" | "withdrawn";

export interface NominationTable {
  id: Generated<number>;
  person_id: number;
  programme_code: string;
  unit_id: number;
  class_id: number | null;
  status: Generated<NominationStatus>;
  decision_reason: string | null;
  decided_by: string | null;
  decided_at: Timestamp | null;
  created_by: string | null;
  created_at: Timestamp;
  // Added by this capability (not part of the pipeline's contract).
  plan_item_id: number | null;
  note: string | null;
  /** The eligibility checks as last computed (server/classes/eligibility.ts `Check[]`). */
  checks: ColumnType<Check[], string | undefined, string>;
  /** Rule keys the board overrode (e.g. ["education"]), with `override_reason`. */
  override_rules: ColumnType<string[], string | undefined, string>;
  override_reason: string | null;
  import_batch_id: string | null;
}

export interface TrainingPlanItemTable {
  id: Generated<number>;
  centre_id: number;
  year: number;
  programme_code: string;
  label: string;
  month: number;
  target_size: number;
  intended_group: string;
  notes: string | null;
  created_by: string | null;
  created_at: Timestamp;
}

export interface EligibilityRuleSetTable {
  programme_code: string;
  /** Validated again with `ruleSetSchema` when read. */
  rules: Json<RuleSet>;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface DocumentCounterTable {
  unit_id: number;
  issuer_abbr: string;
  doc_type: string;
  term_key: string;
  last_no: number;
  updated_at: Timestamp;
}

export interface ClassDocumentTable {
  class_id: number;
  doc_type: string;
  no: number;
  label: string;
  term_label: string;
  issued_on: DateOnly;
  created_by: string | null;
  created_at: Timestamp;
}

export interface ClassPlanTables {
  nomination: NominationTable;
  training_plan_item: TrainingPlanItemTable;
  eligibility_rule_set: EligibilityRuleSetTable;
  document_counter: DocumentCounterTable;
  class_document: ClassDocumentTable;
}
