import { type Kysely, sql } from "kysely";

// Frozen once landed: never import application code here.

/**
 * Issue 14, item 5 (docs/decisions/023-review-policy.md): a practice test shows its
 * answers and explanations right after submission (`answers_after_submit`), and the
 * centre may release an official test's answers before its window closes
 * (`results_released_at`). The policy values are checked by the database too, and an
 * official exam can never show the key at once. Existing exams keep their policy.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("exam").addColumn("results_released_at", "timestamptz").execute();
  await sql`alter table exam add constraint exam_review_policy_known
    check (review_policy in ('none', 'score_only', 'answers_after_submit', 'answers_after_close'))`.execute(db);
  await sql`alter table exam add constraint exam_official_key_not_at_submit
    check (not (kind = 'official' and review_policy = 'answers_after_submit'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table exam drop constraint if exists exam_official_key_not_at_submit`.execute(db);
  await sql`alter table exam drop constraint if exists exam_review_policy_known`.execute(db);
  await db.schema.alterTable("exam").dropColumn("results_released_at").execute();
}
