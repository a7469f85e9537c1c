import { type Kysely, sql } from "kysely";

// Frozen once landed: never import application code here.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("question_bank")
    .addColumn("id", "integer", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("code", "text", (c) => c.notNull().unique())
    .addColumn("programme_code", "text", (c) => c.notNull().references("programme.code"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // A question is a stable identity; its text lives in versions. Versions that were
  // served in an exam paper are never changed: an edit makes a new version.
  await db.schema
    .createTable("question")
    .addColumn("id", "integer", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("bank_id", "integer", (c) => c.notNull().references("question_bank.id"))
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("lesson_position", "integer")
    .addColumn("status", "text", (c) => c.notNull().defaultTo("draft")) // draft | submitted | approved | retired
    .addColumn("approved_version_id", "integer")
    .addColumn("latest_version_id", "integer")
    .addColumn("created_by", "text", (c) => c.references("user_account.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("question_bank_key", ["bank_id", "key"])
    .execute();
  await db.schema.createIndex("question_lesson_idx").on("question").columns(["bank_id", "lesson_position", "status"]).execute();

  await db.schema
    .createTable("question_version")
    .addColumn("id", "integer", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("question_id", "integer", (c) => c.notNull().references("question.id").onDelete("cascade"))
    .addColumn("version_no", "integer", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull()) // single | multiple | true_false | essay
    .addColumn("level", "text") // nhan_biet | thong_hieu | van_dung
    .addColumn("stem", "text", (c) => c.notNull())
    .addColumn("stem_format", "text", (c) => c.notNull().defaultTo("plain"))
    .addColumn("options", "jsonb", (c) => c.notNull()) // [{ text, fraction, feedback? }]
    .addColumn("explanation", "text")
    .addColumn("source", "text")
    .addColumn("tags", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("images", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("content_hash", "text", (c) => c.notNull())
    .addColumn("used", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("created_by", "text", (c) => c.references("user_account.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("question_version_no", ["question_id", "version_no"])
    .execute();
  await sql`alter table question add constraint question_approved_fk foreign key (approved_version_id) references question_version(id)`.execute(
    db,
  );
  await sql`alter table question add constraint question_latest_fk foreign key (latest_version_id) references question_version(id)`.execute(
    db,
  );

  await db.schema
    .createTable("question_review")
    .addColumn("id", "integer", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("question_id", "integer", (c) => c.notNull().references("question.id").onDelete("cascade"))
    .addColumn("version_id", "integer", (c) => c.notNull().references("question_version.id"))
    .addColumn("actor_id", "text", (c) => c.references("user_account.id"))
    .addColumn("action", "text", (c) => c.notNull()) // submitted | approved | returned | retired
    .addColumn("comment", "text")
    .addColumn("at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table question drop constraint if exists question_approved_fk`.execute(db);
  await sql`alter table question drop constraint if exists question_latest_fk`.execute(db);
  for (const t of ["question_review", "question_version", "question", "question_bank"]) await db.schema.dropTable(t).ifExists().execute();
}
