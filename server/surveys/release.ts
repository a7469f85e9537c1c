import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { Database } from "../db";
import { releaseCount, type CleanAnswer } from "./rules";
import { seal, shuffle, unseal } from "./seal";

/**
 * Moves sealed answers of one survey from `survey_pending` into the readable tables, in
 * one transaction of its own — never the transaction of a participation (decision 017):
 * - the batch is at least the survey's minimum group (`releaseCount`);
 * - rows are inserted in a cryptographically shuffled order, all with this transaction's
 *   xmin and today's date as their only time;
 * - answers held back are sealed again with fresh nonces, so the rows still waiting are
 *   new rows of this transaction too, no longer tied by xmin or position to a submission;
 * - counters (`survey_stat`, `survey.responses`) move only here, by the whole batch.
 * The pending rows are taken with `delete … returning`, so a submission committed
 * meanwhile is either in the batch or still pending — never dropped. Any failure (a key
 * that cannot open a row, a database error) rolls the whole release back: the sealed
 * rows stay where they were and the next release takes them.
 */
export async function releasePending(db: Database, keys: Buffer[], surveyId: number, today: string): Promise<number> {
  return db.transaction().execute(async (trx) => {
    // One release at a time per survey (every process runs the sweep). NO KEY UPDATE does
    // not wait for submissions, whose foreign key only takes KEY SHARE on the survey.
    const s = await trx
      .selectFrom("survey")
      .select(["id", "questions", "min_group", "closes_on"])
      .where("id", "=", surveyId)
      .forNoKeyUpdate()
      .executeTakeFirst();
    if (!s) return 0;
    const closed = !!s.closes_on && s.closes_on < today;
    const waiting = await trx
      .selectFrom("survey_pending")
      .select(sql<number>`count(*)::int`.as("n"))
      .where("survey_id", "=", s.id)
      .executeTakeFirstOrThrow();
    if (!releaseCount(Number(waiting.n), s.min_group, closed)) return 0;

    const questions = s.questions;
    const taken = await trx.deleteFrom("survey_pending").where("survey_id", "=", s.id).returning("sealed").execute();
    const opened = shuffle(taken.map((r) => unseal(keys, s.id, questions, r.sealed)));
    const n = releaseCount(opened.length, s.min_group, closed);
    const batch = opened.slice(0, n);
    const kept = opened.slice(n);
    if (kept.length)
      await trx
        .insertInto("survey_pending")
        .values(kept.map((answers) => ({ survey_id: s.id, sealed: seal(keys, s.id, questions, answers) })))
        .execute();
    if (!batch.length) return 0;

    const responses = batch.map((answers) => ({ id: randomUUID(), answers }));
    await trx
      .insertInto("survey_response")
      .values(responses.map((r) => ({ id: r.id, survey_id: s.id, responded_on: today })))
      .execute();
    const answerRows = responses.flatMap((r) =>
      r.answers.map((a) => ({ response_id: r.id, question_key: a.key, value: a.value, text: a.text })),
    );
    for (let i = 0; i < answerRows.length; i += 1000)
      await trx
        .insertInto("survey_answer")
        .values(answerRows.slice(i, i + 1000))
        .execute();
    const stats = countValues(batch);
    if (stats.length)
      await trx
        .insertInto("survey_stat")
        .values(stats.map((x) => ({ survey_id: s.id, ...x })))
        .onConflict((oc) => oc.columns(["survey_id", "question_key", "value"]).doUpdateSet({ n: sql`survey_stat.n + excluded.n` }))
        .execute();
    await trx
      .updateTable("survey")
      .set({ responses: sql`responses + ${batch.length}` })
      .where("id", "=", s.id)
      .execute();
    return batch.length;
  });
}

/** The batch's answers counted per question and value (one row per key: one upsert statement). */
function countValues(batch: CleanAnswer[][]) {
  const acc = new Map<string, { question_key: string; section: string; value: number; n: number }>();
  for (const answers of batch)
    for (const a of answers) {
      if (a.value === null) continue;
      const k = `${a.key}\u0000${a.value}`;
      const hit = acc.get(k);
      if (hit) hit.n++;
      else acc.set(k, { question_key: a.key, section: a.section, value: a.value, n: 1 });
    }
  return [...acc.values()];
}

/** Surveys with sealed answers that a release would move now (for the periodic sweep). */
export async function surveysDue(db: Database, today: string): Promise<number[]> {
  const rows = await db
    .selectFrom("survey_pending as p")
    .innerJoin("survey as s", "s.id", "p.survey_id")
    .select(["s.id", "s.min_group", "s.closes_on", sql<number>`count(*)::int`.as("n")])
    .groupBy(["s.id", "s.min_group", "s.closes_on"])
    .execute();
  return rows.filter((r) => releaseCount(Number(r.n), r.min_group, !!r.closes_on && r.closes_on < today) > 0).map((r) => r.id);
}
