import { type Kysely, sql } from "kysely";

// Frozen once landed: never import application code here.

/**
 * Issue 13, item 2: a question version says where it may be used (practice, exam or
 * both), and the lesson self-check keeps its draw on the server so only the items it
 * drew are graded, once.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // Existing versions default to "both": every question served both purposes before.
  await db.schema
    .alterTable("question_version")
    .addColumn("use", "text", (c) =>
      c
        .notNull()
        .defaultTo("both")
        .check(sql`"use" in ('practice', 'exam', 'both')`),
    )
    .execute();

  // At most one self-check draw per trainee and lesson: a new draw replaces the old
  // one, so the table stays small and an abandoned draw cannot be graded later.
  await db.schema
    .createTable("self_check_draw")
    .addColumn("user_id", "text", (c) => c.notNull().references("user_account.id").onDelete("cascade"))
    .addColumn("lesson_id", "integer", (c) => c.notNull().references("lesson.id").onDelete("cascade"))
    .addColumn("token", "text", (c) => c.notNull())
    .addColumn("items", "jsonb", (c) => c.notNull()) // question_version ids, in the order shown
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("graded_at", "timestamptz")
    .addPrimaryKeyConstraint("self_check_draw_pk", ["user_id", "lesson_id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("self_check_draw").ifExists().execute();
  await db.schema.alterTable("question_version").dropColumn("use").execute();
}
