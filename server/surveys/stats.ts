import { sql } from "kysely";
import type { Database } from "../db";

/**
 * Rebuilds the counters of some surveys (or all) from their answers, set-based: used by
 * the demo and the province generator, which insert answers in bulk, and as a repair.
 * The live path (surveys.submit) bumps the same counters in the answer's transaction.
 */
export async function rebuildSurveyStats(db: Database, surveyIds: number[] | null): Promise<void> {
  const only = surveyIds ? sql`s.id = any(${sql.val(surveyIds)}::int[])` : sql`true`;
  await sql`delete from survey_stat where ${surveyIds ? sql`survey_id = any(${sql.val(surveyIds)}::int[])` : sql`true`}`.execute(db);
  await sql`
    insert into survey_stat (survey_id, question_key, section, value, n)
    select r.survey_id, a.question_key, q.section, a.value, count(*)::int
    from survey s
    join survey_response r on r.survey_id = s.id
    join survey_answer a on a.response_id = r.id
    join lateral (
      select x->>'section' as section from jsonb_array_elements(s.questions) x where x->>'key' = a.question_key limit 1
    ) q on true
    where ${only} and a.value is not null
    group by r.survey_id, a.question_key, q.section, a.value
  `.execute(db);
  await sql`
    update survey s set responses = coalesce((select count(*) from survey_response r where r.survey_id = s.id), 0)
    where ${only}
  `.execute(db);
}
