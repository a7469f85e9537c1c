import { type Kysely, sql } from "kysely";

// Frozen once landed: never import application code here.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("exam")
    .addColumn("id", "integer", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("class_id", "integer", (c) => c.notNull().references("training_class.id"))
    .addColumn("bank_id", "integer", (c) => c.notNull().references("question_bank.id"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull().defaultTo("official")) // official | practice
    .addColumn("opens_at", "timestamptz", (c) => c.notNull())
    .addColumn("closes_at", "timestamptz", (c) => c.notNull())
    .addColumn("duration_minutes", "integer", (c) => c.notNull())
    .addColumn("grace_seconds", "integer", (c) => c.notNull().defaultTo(30))
    .addColumn("blueprint", "jsonb", (c) => c.notNull()) // BlueprintCell[]
    .addColumn("shuffle_questions", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("shuffle_options", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("policy", "jsonb", (c) => c.notNull()) // GradingPolicy
    .addColumn("max_attempts", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("review_policy", "text", (c) => c.notNull().defaultTo("score_only")) // none | score_only | answers_after_close
    .addColumn("access_code", "text")
    .addColumn("proctor_gate", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("started_by_proctor_at", "timestamptz")
    .addColumn("created_by", "text", (c) => c.references("user_account.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("exam_accommodation")
    .addColumn("exam_id", "integer", (c) => c.notNull().references("exam.id").onDelete("cascade"))
    .addColumn("person_id", "integer", (c) => c.notNull().references("person.id"))
    .addColumn("extra_minutes", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("multiplier", "numeric", (c) => c.notNull().defaultTo(1))
    .addColumn("reason", "text")
    .addPrimaryKeyConstraint("exam_accommodation_pk", ["exam_id", "person_id"])
    .execute();

  // One row per trainee paper. The deadline is stored, so every process (and a
  // restarted one) agrees on it; `status` moves only forward, by conditional updates.
  await db.schema
    .createTable("attempt")
    .addColumn("id", "integer", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("exam_id", "integer", (c) => c.notNull().references("exam.id"))
    .addColumn("person_id", "integer", (c) => c.notNull().references("person.id"))
    .addColumn("attempt_no", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("seed", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("ready")) // ready | in_progress | submitted
    .addColumn("started_at", "timestamptz")
    .addColumn("deadline_at", "timestamptz")
    .addColumn("submitted_at", "timestamptz")
    .addColumn("submitted_by", "text") // trainee | server | proctor
    .addColumn("earned", "numeric")
    .addColumn("max_points", "numeric")
    .addColumn("score", "numeric")
    .addColumn("band", "text")
    .addColumn("passed", "boolean")
    .addColumn("receipt", "text")
    .addColumn("device_id", "text")
    .addUniqueConstraint("attempt_person_no", ["exam_id", "person_id", "attempt_no"])
    .execute();
  await db.schema.createIndex("attempt_deadline_idx").on("attempt").columns(["status", "deadline_at"]).execute();
  await db.schema.createIndex("attempt_receipt_idx").on("attempt").column("receipt").execute();

  await db.schema
    .createTable("attempt_item")
    .addColumn("attempt_id", "integer", (c) => c.notNull().references("attempt.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("question_version_id", "integer", (c) => c.notNull().references("question_version.id"))
    .addColumn("option_order", "jsonb", (c) => c.notNull())
    .addColumn("points", "numeric", (c) => c.notNull())
    // The answer: stored option indexes (not display positions), the client's sequence
    // number for idempotent replays, and when the server stored it.
    .addColumn("chosen", "jsonb")
    .addColumn("flagged", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("seq", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("saved_at", "timestamptz")
    .addPrimaryKeyConstraint("attempt_item_pk", ["attempt_id", "position"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["attempt_item", "attempt", "exam_accommodation", "exam"]) await db.schema.dropTable(t).ifExists().execute();
}
