import { type Kysely, sql } from "kysely";

// Frozen once landed: never import application code here.

/**
 * Essay answers, essay grading and regrading after a key correction
 * (docs/grading.md, docs/decisions/011-essays-and-regrading.md).
 *
 * - attempt.status gains the value 'awaiting_grading' (text column, no DDL): submitted,
 *   objective part graded, at least one essay not yet graded.
 * - attempt_item: the essay text, its score (in the item's points), per-criterion scores,
 *   the grader's comment, who graded and when.
 * - key_correction: a corrected key for a question version pinned by an exam. The version
 *   itself stays immutable; grading of that exam reads the latest correction instead.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("attempt_item")
    .addColumn("text_answer", "text")
    .addColumn("essay_score", "numeric")
    .addColumn("essay_criteria", "jsonb")
    .addColumn("essay_comment", "text")
    .addColumn("graded_by", "text", (c) => c.references("user_account.id"))
    .addColumn("graded_at", "timestamptz")
    .execute();

  await db.schema
    .createTable("key_correction")
    .addColumn("id", "integer", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("exam_id", "integer", (c) => c.notNull().references("exam.id").onDelete("cascade"))
    .addColumn("question_version_id", "integer", (c) => c.notNull().references("question_version.id"))
    // StoredOption[] with the corrected fractions (texts unchanged).
    .addColumn("options", "jsonb", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("changed_attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_by", "text", (c) => c.references("user_account.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("key_correction_exam_idx").on("key_correction").columns(["exam_id", "question_version_id", "id"]).execute();
  // The grading queue: essays of one exam's attempts awaiting grading.
  await db.schema.createIndex("attempt_status_exam_idx").on("attempt").columns(["exam_id", "status"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("attempt_status_exam_idx").ifExists().execute();
  await db.schema.dropTable("key_correction").ifExists().execute();
  // Attempts waiting for essay grading cannot exist without this migration's columns.
  await db.updateTable("attempt").set({ status: "submitted" }).where("status", "=", "awaiting_grading").execute();
  await db.schema
    .alterTable("attempt_item")
    .dropColumn("text_answer")
    .dropColumn("essay_score")
    .dropColumn("essay_criteria")
    .dropColumn("essay_comment")
    .dropColumn("graded_by")
    .dropColumn("graded_at")
    .execute();
}
