import { sql } from "kysely";
import type { Database } from "../db";

/**
 * Recomputes the dashboard figures of some classes (or all, for the province generator)
 * in two set-based statements. Idempotent: a class's rows are replaced, so a regrade or
 * a second notification never counts twice.
 *
 * Follows "Figure definitions" in docs/surveys-and-dashboards.md (decision 019), the same
 * rules as `server/rules/figures.ts`:
 * - once the centre has computed the class's results, the assessed are the trainees whose
 *   `class_result` is a result (`hasResult`: outcome other than pending, or a score on a
 *   row written without an outcome); before that, the trainees with a final official
 *   attempt, their best one counting (`countedAttempt`);
 * - one chart band per assessed trainee (`chartBand`): not passed is Không đạt whatever
 *   the band; khá/giỏi are passes only;
 * - item health counts each trainee's counted attempt per test, not every attempt. An
 *   item is earned when the chosen options are exactly the options with a positive
 *   fraction in the (corrected) key, or by the essay's grade.
 */
export async function refreshClassFigures(db: Database, classIds: number[] | null): Promise<void> {
  if (classIds && !classIds.length) return;
  const only = classIds ? sql`c.id = any(${sql.val(classIds)}::int[])` : sql`true`;
  await sql`
    with cls as (
      select c.id, c.centre_id, o.path, c.programme_code, c.starts_on, c.ends_on,
             coalesce(c.ends_on, c.starts_on, current_date) as d
      from training_class c
      join training_centre t on t.id = c.centre_id
      join org_unit o on o.id = t.org_unit_id
      where ${only}
    ),
    enr as (
      select class_id, count(*)::int as n from class_enrolment where class_id in (select id from cls) group by class_id
    ),
    closed as (select distinct class_id from class_result where class_id in (select id from cls)),
    att as (
      select distinct on (e.class_id, a.person_id) e.class_id, a.score, a.band, a.passed
      from attempt a join exam e on e.id = a.exam_id
      join class_enrolment ce on ce.class_id = e.class_id and ce.person_id = a.person_id
      where e.class_id in (select id from cls) and e.kind = 'official' and a.status = 'submitted' and a.score is not null
        and e.class_id not in (select class_id from closed)
      order by e.class_id, a.person_id, a.score desc, a.attempt_no, a.id
    ),
    res as (
      select class_id, score, band, coalesce(passed, false) as passed from class_result
      where class_id in (select id from cls) and (outcome <> 'pending' or score is not null)
      union all
      select class_id, score, band, coalesce(passed, false) from att
    ),
    agg as (
      select class_id, count(*)::int as assessed, count(score)::int as scored,
             count(*) filter (where passed)::int as passed,
             count(*) filter (where passed and band = 'xuat_sac')::int as xuat_sac,
             count(*) filter (where passed and band = 'gioi')::int as gioi,
             count(*) filter (where passed and band = 'kha')::int as kha,
             count(*) filter (where passed and band is distinct from 'xuat_sac' and band is distinct from 'gioi' and band is distinct from 'kha')::int as trung_binh,
             count(*) filter (where not passed)::int as khong_dat,
             coalesce(sum(score), 0) as score_sum
      from res group by class_id
    ),
    cert as (
      select class_id, count(*)::int as n from certificate where status = 'valid' and class_id in (select id from cls) group by class_id
    )
    insert into dash_class_stats (class_id, centre_id, org_path, programme_code, year, quarter, starts_on, ends_on,
      enrolled, assessed, scored, passed, xuat_sac, gioi, kha, trung_binh, khong_dat, score_sum, certificates, refreshed_at)
    select cls.id, cls.centre_id, cls.path, cls.programme_code,
           extract(year from cls.d)::int, extract(quarter from cls.d)::int, cls.starts_on, cls.ends_on,
           coalesce(enr.n, 0), coalesce(agg.assessed, 0), coalesce(agg.scored, 0), coalesce(agg.passed, 0),
           coalesce(agg.xuat_sac, 0), coalesce(agg.gioi, 0), coalesce(agg.kha, 0), coalesce(agg.trung_binh, 0),
           coalesce(agg.khong_dat, 0), coalesce(agg.score_sum, 0), coalesce(cert.n, 0), now()
    from cls
    left join enr on enr.class_id = cls.id
    left join agg on agg.class_id = cls.id
    left join cert on cert.class_id = cls.id
    on conflict (class_id) do update set
      centre_id = excluded.centre_id, org_path = excluded.org_path, programme_code = excluded.programme_code,
      year = excluded.year, quarter = excluded.quarter, starts_on = excluded.starts_on, ends_on = excluded.ends_on,
      enrolled = excluded.enrolled, assessed = excluded.assessed, scored = excluded.scored, passed = excluded.passed,
      xuat_sac = excluded.xuat_sac, gioi = excluded.gioi, kha = excluded.kha, trung_binh = excluded.trung_binh,
      khong_dat = excluded.khong_dat, score_sum = excluded.score_sum, certificates = excluded.certificates,
      refreshed_at = excluded.refreshed_at
  `.execute(db);

  const onlyExam = classIds ? sql`e.class_id = any(${sql.val(classIds)}::int[])` : sql`true`;
  await sql`delete from dash_item_stats where ${classIds ? sql`class_id = any(${sql.val(classIds)}::int[])` : sql`true`}`.execute(db);
  await sql`
    with counted as (
      -- Each trainee's counted attempt per official test (best score, earlier on a tie).
      select distinct on (a.exam_id, a.person_id) a.id, a.exam_id
      from attempt a join exam e on e.id = a.exam_id
      where ${onlyExam} and e.kind = 'official' and a.status = 'submitted' and a.score is not null
      order by a.exam_id, a.person_id, a.score desc, a.attempt_no, a.id
    ),
    keyed as (
      select e.class_id, i.question_version_id, q.lesson_position, i.points, i.chosen, i.essay_score, v.type,
             coalesce((select k.options from key_correction k where k.exam_id = e.id and k.question_version_id = i.question_version_id order by k.id desc limit 1), v.options) as opts
      from counted a
      join exam e on e.id = a.exam_id
      join attempt_item i on i.attempt_id = a.id
      join question_version v on v.id = i.question_version_id
      join question q on q.id = v.question_id
    )
    insert into dash_item_stats (class_id, question_version_id, lesson_position, n, earned, points)
    select class_id, question_version_id, min(lesson_position), count(*)::int,
           sum(case
                 when type = 'essay' then coalesce(essay_score, 0)
                 when coalesce((select jsonb_agg(x.v::int order by x.v::int) from jsonb_array_elements_text(coalesce(chosen, '[]'::jsonb)) as x(v)), '[]'::jsonb)
                    = coalesce((select jsonb_agg((o.ord - 1)::int order by o.ord) from jsonb_array_elements(opts) with ordinality as o(val, ord) where (o.val->>'fraction')::numeric > 0), '[]'::jsonb)
                 then points else 0 end),
           sum(points)
    from keyed
    group by class_id, question_version_id
  `.execute(db);
}
