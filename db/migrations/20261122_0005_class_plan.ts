import { type Kysely, sql } from "kysely";

// Frozen once landed: never import application code here.

/**
 * Class plans and nominations (issue #7, part 1). The `nomination` columns below are
 * a contract other capabilities read (the party-development pipeline): add columns,
 * do not rename these.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // The year's training plan of a centre: one row per planned class (kế hoạch).
  await db.schema
    .createTable("training_plan_item")
    .addColumn("id", "integer", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("centre_id", "integer", (c) => c.notNull().references("training_centre.id"))
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("programme_code", "text", (c) => c.notNull().references("programme.code"))
    .addColumn("label", "text", (c) => c.notNull()) // "Khóa 1"
    .addColumn("month", "integer", (c) => c.notNull()) // 1–12
    .addColumn("target_size", "integer", (c) => c.notNull())
    .addColumn("intended_group", "text", (c) => c.notNull()) // "giáo viên, học sinh", "đoàn viên"…
    .addColumn("notes", "text")
    .addColumn("created_by", "text", (c) => c.references("user_account.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("training_plan_item_centre_idx").on("training_plan_item").columns(["centre_id", "year"]).execute();

  // A class opened from a plan item carries its cohort, venue and life-cycle status.
  await db.schema
    .alterTable("training_class")
    .addColumn("plan_item_id", "integer", (c) => c.references("training_plan_item.id"))
    .addColumn("cohort_label", "text") // "Khóa 1 năm 2026"
    .addColumn("venue", "text")
    .addColumn("status", "text", (c) => c.notNull().defaultTo("open")) // open | closed
    .execute();

  await db.schema
    .createTable("nomination")
    .addColumn("id", "integer", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("person_id", "integer", (c) => c.notNull().references("person.id"))
    .addColumn("programme_code", "text", (c) => c.notNull().references("programme.code"))
    // The sending unit (the cell or grassroots committee that nominated the person).
    .addColumn("unit_id", "integer", (c) => c.notNull().references("org_unit.id"))
    .addColumn("class_id", "integer", (c) => c.references("training_class.id"))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("pending")) // pending | approved | rejected | withdrawn
    .addColumn("decision_reason", "text")
    .addColumn("decided_by", "text", (c) => c.references("user_account.id"))
    .addColumn("decided_at", "timestamptz")
    .addColumn("created_by", "text", (c) => c.references("user_account.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    // Added columns (not part of the contract above).
    .addColumn("plan_item_id", "integer", (c) => c.references("training_plan_item.id"))
    .addColumn("note", "text")
    // Eligibility checks as the board saw them when deciding (JSON list of checks).
    .addColumn("checks", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    // An override of a failed rule (e.g. education level for ethnic-minority learners) and its reason.
    .addColumn("override_rules", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("override_reason", "text")
    .addColumn("import_batch_id", "text", (c) => c.references("import_batch.id"))
    .execute();
  await db.schema.createIndex("nomination_person_idx").on("nomination").column("person_id").execute();
  await db.schema.createIndex("nomination_unit_idx").on("nomination").columns(["unit_id", "status"]).execute();
  // At most one pending nomination per person and programme (the service also refuses an
  // approved one not yet through a class; a re-study after a failed class stays possible).
  await sql`create unique index nomination_pending_uq on nomination (person_id, programme_code) where status = 'pending'`.execute(db);

  // Entry rules per programme (domain brief §3–4): editable data, defaults in code.
  await db.schema
    .createTable("eligibility_rule_set")
    .addColumn("programme_code", "text", (c) => c.primaryKey().references("programme.code"))
    .addColumn("rules", "jsonb", (c) => c.notNull())
    .addColumn("updated_by", "text", (c) => c.references("user_account.id"))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // Document numbers run from 01 per issuer, per document type, per committee term.
  await db.schema
    .createTable("document_counter")
    .addColumn("unit_id", "integer", (c) => c.notNull().references("org_unit.id"))
    .addColumn("issuer_abbr", "text", (c) => c.notNull())
    .addColumn("doc_type", "text", (c) => c.notNull())
    .addColumn("term_key", "text", (c) => c.notNull())
    .addColumn("last_no", "integer", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("document_counter_pk", ["unit_id", "issuer_abbr", "doc_type", "term_key"])
    .execute();

  // The numbered documents of a class (decision to open it, call-up letters): a reprint
  // keeps the number it was given the first time.
  await db.schema
    .createTable("class_document")
    .addColumn("class_id", "integer", (c) => c.notNull().references("training_class.id"))
    .addColumn("doc_type", "text", (c) => c.notNull())
    .addColumn("no", "integer", (c) => c.notNull())
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("term_label", "text", (c) => c.notNull())
    .addColumn("issued_on", "date", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.references("user_account.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("class_document_pk", ["class_id", "doc_type"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("class_document").execute();
  await db.schema.dropTable("document_counter").execute();
  await db.schema.dropTable("eligibility_rule_set").execute();
  await db.schema.dropTable("nomination").execute();
  await db.schema.alterTable("training_class").dropColumn("status").execute();
  await db.schema.alterTable("training_class").dropColumn("venue").execute();
  await db.schema.alterTable("training_class").dropColumn("cohort_label").execute();
  await db.schema.alterTable("training_class").dropColumn("plan_item_id").execute();
  await db.schema.dropTable("training_plan_item").execute();
}
