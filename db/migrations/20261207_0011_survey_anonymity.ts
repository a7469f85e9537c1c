import { type Kysely, sql } from "kysely";

// Frozen once landed: never import application code here.

/**
 * Anonymous survey answers that survive the database (issue 13, item 3; decision 017).
 *
 * `survey_pending` holds answers waiting for a batch: sealed bytes only — no id, no
 * time — released into `survey_response` / `survey_answer` by batches of at least the
 * survey's minimum group, in a transaction of their own.
 *
 * Answers stored before this migration were written in the participation's transaction
 * and in submission order, with the submission day. They are laid again here: copied
 * aside, deleted and inserted back in random order, all in this one transaction, with
 * the survey's latest day as their only date; the counters are rewritten too. Their xmin is then this migration's, and
 * their position and date say nothing about who answered when. (Dead row versions stay
 * on disk until VACUUM; run `VACUUM survey_response, survey_answer` after migrating.)
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("survey_pending")
    .addColumn("survey_id", "integer", (c) => c.notNull().references("survey.id").onDelete("cascade"))
    .addColumn("sealed", "bytea", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("survey_pending_survey_idx").on("survey_pending").column("survey_id").execute();

  await sql`create table survey_relay_response as
    select id, survey_id, max(responded_on) over (partition by survey_id) as responded_on from survey_response`.execute(db);
  await sql`create table survey_relay_answer as select response_id, question_key, value, text from survey_answer`.execute(db);
  await sql`delete from survey_answer`.execute(db);
  await sql`delete from survey_response`.execute(db);
  await sql`insert into survey_response (id, survey_id, responded_on)
    select id, survey_id, responded_on from survey_relay_response order by random()`.execute(db);
  await sql`insert into survey_answer (response_id, question_key, value, text)
    select response_id, question_key, value, text from survey_relay_answer order by random()`.execute(db);
  // Each counter row carried the xmin of the last submission that bumped it, i.e. that
  // submitter's value: rewrite them all in this transaction.
  await sql`update survey_stat set n = n`.execute(db);
  await sql`drop table survey_relay_answer`.execute(db);
  await sql`drop table survey_relay_response`.execute(db);
}

/** Answers still sealed are lost on the way down: release them (close the surveys) first. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("survey_pending").execute();
}
