import { type Kysely, sql } from "kysely";

// Frozen once landed: never import application code here.

/**
 * Surveys, dashboard aggregates and the party-development pipeline (issue #8).
 *
 * Anonymity is a property of the schema (docs/decisions/010): who answered lives in
 * `survey_participation` (survey + person, nothing else), what was answered lives in
 * `survey_response` / `survey_answer` with a random id and a date only — no person,
 * no account, no timestamp, no sequence that could be joined back.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("survey_template")
    .addColumn("id", "integer", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("code", "text", (c) => c.notNull().unique())
    .addColumn("kind", "text", (c) => c.notNull()) // course | observation
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("questions", "jsonb", (c) => c.notNull())
    .addColumn("org_unit_id", "integer", (c) => c.references("org_unit.id")) // null: available everywhere
    .addColumn("created_by", "text", (c) => c.references("user_account.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("survey")
    .addColumn("id", "integer", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("class_id", "integer", (c) => c.notNull().references("training_class.id"))
    .addColumn("template_id", "integer", (c) => c.references("survey_template.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    // A snapshot of the template's questions: editing a template never changes a running survey.
    .addColumn("questions", "jsonb", (c) => c.notNull())
    .addColumn("lecturer_name", "text") // the lecturer an observation form (or a course survey) is about
    .addColumn("min_group", "integer", (c) => c.notNull().defaultTo(5))
    .addColumn("required_for_certificate", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("opens_on", "date", (c) => c.notNull())
    .addColumn("closes_on", "date")
    .addColumn("responses", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_by", "text", (c) => c.references("user_account.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("survey_class_idx").on("survey").column("class_id").execute();

  // Who has answered: no timestamp, no id — only enough to refuse a second answer.
  await db.schema
    .createTable("survey_participation")
    .addColumn("survey_id", "integer", (c) => c.notNull().references("survey.id").onDelete("cascade"))
    .addColumn("person_id", "integer", (c) => c.notNull().references("person.id"))
    .addPrimaryKeyConstraint("survey_participation_pk", ["survey_id", "person_id"])
    .execute();

  // What was answered: a random id and the day only.
  await db.schema
    .createTable("survey_response")
    .addColumn("id", "uuid", (c) => c.primaryKey())
    .addColumn("survey_id", "integer", (c) => c.notNull().references("survey.id").onDelete("cascade"))
    .addColumn("responded_on", "date", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("survey_response_survey_idx").on("survey_response").column("survey_id").execute();
  await db.schema
    .createTable("survey_answer")
    .addColumn("response_id", "uuid", (c) => c.notNull().references("survey_response.id").onDelete("cascade"))
    .addColumn("question_key", "text", (c) => c.notNull())
    .addColumn("value", "integer") // Likert 1–5 or the chosen option's index
    .addColumn("text", "text")
    .addPrimaryKeyConstraint("survey_answer_pk", ["response_id", "question_key"])
    .execute();

  // Incrementally maintained: one row per survey, question and value (+1 per answer, in
  // the answer's transaction), so results never scan the answers.
  await db.schema
    .createTable("survey_stat")
    .addColumn("survey_id", "integer", (c) => c.notNull().references("survey.id").onDelete("cascade"))
    .addColumn("question_key", "text", (c) => c.notNull())
    .addColumn("section", "text", (c) => c.notNull())
    .addColumn("value", "integer", (c) => c.notNull())
    .addColumn("n", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("survey_stat_pk", ["survey_id", "question_key", "value"])
    .execute();

  // Per-class figures for the dashboards, recomputed per class when an attempt is graded
  // or class results change (refreshClass); dashboards read nothing else.
  await db.schema
    .createTable("dash_class_stats")
    .addColumn("class_id", "integer", (c) => c.primaryKey().references("training_class.id").onDelete("cascade"))
    .addColumn("centre_id", "integer", (c) => c.notNull())
    .addColumn("org_path", "text", (c) => c.notNull())
    .addColumn("programme_code", "text", (c) => c.notNull())
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("quarter", "integer", (c) => c.notNull())
    .addColumn("starts_on", "date")
    .addColumn("ends_on", "date") // "held" is decided at read time against today
    .addColumn("enrolled", "integer", (c) => c.notNull())
    .addColumn("assessed", "integer", (c) => c.notNull())
    .addColumn("scored", "integer", (c) => c.notNull())
    .addColumn("passed", "integer", (c) => c.notNull())
    .addColumn("xuat_sac", "integer", (c) => c.notNull())
    .addColumn("gioi", "integer", (c) => c.notNull())
    .addColumn("kha", "integer", (c) => c.notNull())
    .addColumn("trung_binh", "integer", (c) => c.notNull())
    .addColumn("khong_dat", "integer", (c) => c.notNull())
    .addColumn("score_sum", sql`numeric(12,2)`, (c) => c.notNull())
    .addColumn("certificates", "integer", (c) => c.notNull())
    .addColumn("refreshed_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("dash_class_stats_path_idx").on("dash_class_stats").columns(["org_path", "year"]).execute();

  await db.schema
    .createTable("dash_item_stats")
    .addColumn("class_id", "integer", (c) => c.notNull().references("training_class.id").onDelete("cascade"))
    .addColumn("question_version_id", "integer", (c) => c.notNull())
    .addColumn("lesson_position", "integer")
    .addColumn("n", "integer", (c) => c.notNull())
    .addColumn("earned", sql`numeric(12,2)`, (c) => c.notNull())
    .addColumn("points", sql`numeric(12,2)`, (c) => c.notNull())
    .addPrimaryKeyConstraint("dash_item_stats_pk", ["class_id", "question_version_id"])
    .execute();

  // Targets the committee watches, per unit and year (domain brief §4: editable policy).
  await db.schema
    .createTable("dash_target")
    .addColumn("org_unit_id", "integer", (c) => c.notNull().references("org_unit.id"))
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("classes_planned", "integer", (c) => c.notNull())
    .addColumn("pass_target", "integer", (c) => c.notNull().defaultTo(100))
    .addColumn("good_target", "integer", (c) => c.notNull().defaultTo(80))
    .addPrimaryKeyConstraint("dash_target_pk", ["org_unit_id", "year"])
    .execute();

  // The cell's annual party-development plan: targets per quarter and per group.
  await db.schema
    .createTable("party_dev_target")
    .addColumn("unit_id", "integer", (c) => c.notNull().references("org_unit.id"))
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("group_label", "text", (c) => c.notNull())
    .addColumn("quarter", "integer", (c) => c.notNull())
    .addColumn("candidates", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("sent_hd61", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("files_done", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("made_full", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("party_dev_target_pk", ["unit_id", "year", "group_label", "quarter"])
    .execute();

  // People the cell is building up (quần chúng ưu tú), with the steps only the cell knows.
  await db.schema
    .createTable("party_dev_candidate")
    .addColumn("id", "integer", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("unit_id", "integer", (c) => c.notNull().references("org_unit.id"))
    .addColumn("person_id", "integer", (c) => c.notNull().references("person.id").unique())
    .addColumn("group_label", "text", (c) => c.notNull())
    .addColumn("nominated_on", "date", (c) => c.notNull())
    .addColumn("files_done_on", "date")
    .addColumn("note", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    "party_dev_candidate",
    "party_dev_target",
    "dash_target",
    "dash_item_stats",
    "dash_class_stats",
    "survey_stat",
    "survey_answer",
    "survey_response",
    "survey_participation",
    "survey",
    "survey_template",
  ])
    await db.schema.dropTable(t).execute();
}
