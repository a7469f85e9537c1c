import { sql } from "kysely";
import type { Database } from "../db";
import { createUnit } from "../organisations/service";
import { createAccount } from "../accounts/service";
import { COURSE_SURVEY } from "../surveys/defaults";
import { rebuildSurveyStats } from "../surveys/stats";
import { refreshClassFigures } from "../dashboards/refresh";

/**
 * A province's worth of invented history for the dashboard benchmark (issue #8):
 * `npm run cli -- seed --scale province`. Everything is set-based SQL (generate_series),
 * so 200,000 trainees, 2,000 classes over four years, about 2,000,000 exam answers and about
 * 1.1 million survey answers are written in about five minutes on PostgreSQL.
 *
 * Names are drawn from common Vietnamese family, middle and given names; scores follow
 * a plausible spread (a few fail, most pass with khá); nothing is a real person.
 */
export interface ProvinceOptions {
  /** Trainees; classes are 100 each. */
  trainees?: number;
  communes?: number;
  cellsPerCommune?: number;
  itemsPerAttempt?: number;
  /** Share of trainees who answer the survey. */
  surveyShare?: number;
  log?: (msg: string) => void;
}

const FAMILY = [
  "Nguyễn",
  "Trần",
  "Lê",
  "Phạm",
  "Hoàng",
  "Huỳnh",
  "Phan",
  "Vũ",
  "Võ",
  "Đặng",
  "Bùi",
  "Đỗ",
  "Hồ",
  "Ngô",
  "Dương",
  "Lý",
  "Đinh",
  "Mai",
  "Trịnh",
  "Lương",
  "Hà",
  "Tạ",
  "Cao",
  "Lâm",
];
const MIDDLE = [
  "Văn",
  "Thị",
  "Minh",
  "Thu",
  "Đức",
  "Ngọc",
  "Quốc",
  "Thanh",
  "Hữu",
  "Thị Kim",
  "Thị Thu",
  "Công",
  "Xuân",
  "Hoài",
  "Bảo",
  "Gia",
];
const GIVEN = [
  "An",
  "Anh",
  "Bình",
  "Cường",
  "Chi",
  "Dung",
  "Dũng",
  "Duy",
  "Giang",
  "Hà",
  "Hải",
  "Hạnh",
  "Hiếu",
  "Hoa",
  "Hòa",
  "Huy",
  "Hương",
  "Khánh",
  "Khoa",
  "Lan",
  "Linh",
  "Long",
  "Mai",
  "Mạnh",
  "Nam",
  "Nga",
  "Ngân",
  "Nhung",
  "Phúc",
  "Phương",
  "Quang",
  "Quyên",
  "Sơn",
  "Tâm",
  "Thảo",
  "Thắng",
  "Trang",
  "Trung",
  "Tú",
  "Tuấn",
  "Uyên",
  "Việt",
  "Vy",
  "Yến",
];
const PLACES = [
  "An Phú",
  "Bình Sơn",
  "Cẩm Giang",
  "Đông Hưng",
  "Gia Lộc",
  "Hòa Bình",
  "Hưng Đạo",
  "Kim Sơn",
  "Lạc Hồng",
  "Long Hải",
  "Minh Khai",
  "Nam Sơn",
  "Ngọc Lặc",
  "Phú Lương",
  "Quảng Yên",
  "Sơn Tây",
  "Tam Hiệp",
  "Tân Phong",
  "Thạch Hà",
  "Thanh Lâm",
  "Thuận Thành",
  "Tiên Lữ",
  "Trung Sơn",
  "Vĩnh Lộc",
  "Xuân Trường",
];
const COMMENTS = [
  "Nội dung thiết thực, dễ áp dụng vào công việc.",
  "Đề nghị tăng thời gian thảo luận nhóm.",
  "Giảng viên nhiệt tình, nhiều ví dụ thực tế ở địa phương.",
  "Phòng học cần thêm máy chiếu và loa.",
  "Tài liệu nên gửi trước cho học viên.",
  "Lịch học hợp lý, không ảnh hưởng công việc.",
  "Mong có thêm buổi tham quan thực tế.",
  "Đường truyền mạng khi làm bài kiểm tra đôi lúc chậm.",
];

const arr = (a: string[]) => sql`array[${sql.join(a.map((x) => sql.lit(x)))}]::text[]`;

export const PROVINCE_NAME = "Tỉnh ủy Sơn Hà (dữ liệu mô phỏng)";

export async function seedProvince(
  db: Database,
  opts: ProvinceOptions = {},
): Promise<{ trainees: number; classes: number; examAnswers: number; surveyAnswers: number; seconds: number }> {
  const t0 = Date.now();
  const log = opts.log ?? (() => {});
  const trainees = opts.trainees ?? 200_000;
  const communes = opts.communes ?? 100;
  const cellsPer = opts.cellsPerCommune ?? 20;
  const items = opts.itemsPerAttempt ?? 10;
  const surveyShare = opts.surveyShare ?? 0.7;
  const classes = Math.ceil(trainees / 100);
  const exists = await db.selectFrom("org_unit").select("id").where("name", "=", PROVINCE_NAME).executeTakeFirst();
  if (exists) throw new Error("Dữ liệu mô phỏng cấp tỉnh đã có trong cơ sở dữ liệu này.");
  const programmes = (await db.selectFrom("programme").select("code").execute()).map((r) => r.code);
  for (const p of ["hd61", "hd60", "hd59"])
    if (!programmes.includes(p)) throw new Error(`Thiếu chương trình ${p}: hãy nạp nội dung chương trình trước.`);

  const province = await createUnit(db, {
    parentId: null,
    kind: "province",
    name: PROVINCE_NAME,
    abbreviation: "TU",
    shortName: "Tỉnh ủy",
    termLabel: "2025-2030",
    termStart: "2025-10-01",
    placeName: "Sơn Hà",
  });

  await db.connection().execute(async (c) => {
    const step = async (label: string, q: ReturnType<typeof sql>) => {
      const s = Date.now();
      await q.execute(c);
      log(`  ${label}: ${((Date.now() - s) / 1000).toFixed(1)} s`);
    };
    // Communes, cells, centres — numbered by ordinal so later steps can join by arithmetic.
    await step(
      "đơn vị",
      sql`
      insert into org_unit (parent_id, kind, name, abbreviation, short_name, place_name, term_label)
        select ${province.id}, 'commune', 'Đảng ủy xã ' || (${arr(PLACES)})[1 + (g - 1) % ${PLACES.length}] || case when g > ${PLACES.length} then ' ' || ((g - 1) / ${PLACES.length} + 1) else '' end,
               'ĐU', 'Đảng ủy xã', (${arr(PLACES)})[1 + (g - 1) % ${PLACES.length}], '2025-2030'
        from generate_series(1, ${communes}) g`,
    );
    // A data-modifying CTE cannot see its own inserts, so the paths are a second statement.
    await step("đường dẫn xã", sql`update org_unit set path = ${province.path} || id || '/' where parent_id = ${province.id}`);
    await step(
      "tạm",
      sql`create temporary table gen_commune as
      select row_number() over (order by id)::int as n, id, path from org_unit where parent_id = ${province.id}`,
    );
    await step(
      "chi bộ",
      sql`
      insert into org_unit (parent_id, kind, name, abbreviation, short_name)
        select gc.id, 'cell', 'Chi bộ ' || (array['thôn','trường','trạm y tế','khu dân cư','hợp tác xã'])[1 + (k - 1) % 5] || ' số ' || k, 'CB', 'CB'
        from gen_commune gc, generate_series(1, ${cellsPer}) k`,
    );
    await step("đường dẫn chi bộ", sql`update org_unit o set path = gc.path || o.id || '/' from gen_commune gc where gc.id = o.parent_id`);
    await step(
      "tạm chi bộ",
      sql`create temporary table gen_cell as
      select gc.n as commune_n, row_number() over (partition by gc.n order by o.id)::int as k, o.id
      from org_unit o join gen_commune gc on gc.id = o.parent_id`,
    );
    await sql`create index on gen_cell (commune_n, k)`.execute(c);
    await step(
      "trung tâm",
      sql`
      insert into training_centre (org_unit_id, name, abbreviation, director_name)
      select gc.id, 'Trung tâm Chính trị ' || replace(o.name, 'Đảng ủy ', ''), 'TTCT', 'Giám đốc ' || gc.n
      from gen_commune gc join org_unit o on o.id = gc.id`,
    );
    await step(
      "tạm trung tâm",
      sql`create temporary table gen_centre as
      select gc.n, t.id from gen_commune gc join training_centre t on t.org_unit_id = gc.id`,
    );

    // Classes: class k belongs to commune ((k-1) mod communes)+1, spread over 2023–2026 by quarter.
    await step(
      "lớp",
      sql`
      insert into training_class (centre_id, programme_code, name, starts_on, ends_on)
      select gce.id, p.code,
             'Lớp ' || p.label || ', khóa ' || k || ' (mô phỏng)',
             d, d + p.days
      from generate_series(1, ${classes}) k
      join gen_centre gce on gce.n = 1 + (k - 1) % ${communes}
      cross join lateral (select (date '2023-01-09' + (((k - 1) * 1461 / ${classes}))::int) as d) dd
      cross join lateral (
        select case when k % 10 < 6 then 'hd61' when k % 10 < 9 then 'hd60' else 'hd59' end as code,
               case when k % 10 < 6 then 'bồi dưỡng nhận thức về Đảng' when k % 10 < 9 then 'lý luận chính trị cho đảng viên mới' else 'nghiệp vụ công tác Đảng' end as label,
               case when k % 10 < 6 then 4 when k % 10 < 9 then 8 else 5 end as days
      ) p`,
    );
    await step(
      "tạm lớp",
      sql`create temporary table gen_class as
      select row_number() over (order by c.id)::int as k, c.id, c.programme_code, c.starts_on, c.ends_on
      from training_class c join gen_centre gce on gce.id = c.centre_id`,
    );
    await sql`create index on gen_class (k)`.execute(c);

    // Trainees: person i sits in class ceil(i/100), in a cell of that class's commune.
    await step(
      `${trainees} học viên`,
      sql`
      insert into person (org_unit_id, full_name, birth_date, gender, ethnicity, education_level, party_status)
      select cell.id,
             (${arr(FAMILY)})[1 + (i * 7919) % ${FAMILY.length}] || ' ' || (${arr(MIDDLE)})[1 + (i * 104729) % ${MIDDLE.length}] || ' ' || (${arr(GIVEN)})[1 + (i * 1299709) % ${GIVEN.length}],
             date '1970-01-01' + ((i * 7877) % 13000)::int,
             case when i % 2 = 0 then 'nu' else 'nam' end, 'Kinh', 'thpt',
             case when (i - 1) / 100 % 10 between 6 and 8 then 'du_bi' else 'quan_chung' end
      from generate_series(1::bigint, ${trainees}::bigint) i
      join gen_cell cell on cell.commune_n = 1 + ((i - 1) / 100) % ${communes} and cell.k = 1 + i % ${cellsPer}`,
    );
    await step(
      "tạm học viên",
      sql`create temporary table gen_person as
      select row_number() over (order by p.id)::int as i, p.id from person p join gen_cell cell on cell.id = p.org_unit_id`,
    );
    await sql`create index on gen_person (i)`.execute(c);
    await step(
      "ghi danh",
      sql`
      insert into class_enrolment (class_id, person_id)
      select gcl.id, gp.id from gen_person gp join gen_class gcl on gcl.k = 1 + (gp.i - 1) / 100`,
    );
    // Scores: most pass with khá, about 2 % fail; a lecturer effect per class.
    await step(
      "điểm",
      sql`create temporary table gen_score as
      select gp.i, gp.id as person_id, gcl.id as class_id, gcl.programme_code, gcl.ends_on,
             least(10, greatest(0, round((4.2 + 6 * sqrt(((gp.i * 2654435761::bigint) % 1000) / 1000.0) - ((gcl.k % 7) * 0.15))::numeric, 1))) as score
      from gen_person gp join gen_class gcl on gcl.k = 1 + (gp.i - 1) / 100`,
    );
    await step(
      "kết quả lớp",
      sql`
      insert into class_result (class_id, person_id, score, band, passed, fail_reason, computed_at)
      select class_id, person_id, score,
             case when score >= 9 then 'gioi' when score >= 7 then 'kha' when score >= 5 then 'trung_binh' else 'khong_dat' end,
             score >= 5, case when score < 5 then 'Điểm dưới 5' end, ends_on + time '17:00'
      from gen_score where ends_on <= current_date`,
    );

    // Official tests with a 10-question paper each: 2,000,000 answers at the default scale.
    await step(
      "bài kiểm tra",
      sql`
      insert into exam (class_id, bank_id, title, kind, opens_at, closes_at, duration_minutes, blueprint, policy)
      select gcl.id, b.id, 'Kiểm tra cuối khóa', 'official', gcl.ends_on + time '08:00', gcl.ends_on + time '10:00', 30, '[]'::jsonb,
             '{"scale":10,"passMark":5,"bands":[{"code":"gioi","label":"Giỏi","min":9},{"code":"kha","label":"Khá","min":7},{"code":"trung_binh","label":"Trung bình","min":5},{"code":"khong_dat","label":"Không đạt","min":0}],"partialCredit":"all_or_nothing"}'::jsonb
      from gen_class gcl
      join lateral (select id from question_bank where programme_code = gcl.programme_code order by id limit 1) b on true
      where gcl.ends_on <= current_date`,
    );
    await step(
      "tạm câu hỏi",
      sql`create temporary table gen_version as
      select qb.programme_code, row_number() over (partition by qb.programme_code order by v.id)::int - 1 as idx, v.id,
             (select (o.ord - 1)::int from jsonb_array_elements(v.options) with ordinality o(val, ord) where (o.val->>'fraction')::numeric > 0 order by o.ord limit 1) as correct,
             jsonb_array_length(v.options) as n_options
      from question q join question_version v on v.id = q.approved_version_id join question_bank qb on qb.id = q.bank_id
      where v.type in ('single', 'true_false')`,
    );
    await sql`create index on gen_version (programme_code, idx)`.execute(c);
    await step(
      "tạm số câu",
      sql`create temporary table gen_version_count as select programme_code, count(*)::int as n from gen_version group by programme_code`,
    );
    await step(
      "bài làm",
      sql`
      insert into attempt (exam_id, person_id, attempt_no, seed, status, started_at, deadline_at, submitted_at, submitted_by, earned, max_points, score, band, passed)
      select e.id, s.person_id, 1, 'gen' || s.i, 'submitted', e.opens_at, e.opens_at + interval '30 minutes', e.opens_at + interval '25 minutes', 'trainee',
             s.score, 10, s.score,
             case when s.score >= 9 then 'gioi' when s.score >= 7 then 'kha' when s.score >= 5 then 'trung_binh' else 'khong_dat' end, s.score >= 5
      from gen_score s join exam e on e.class_id = s.class_id`,
    );
    await step(
      `câu trả lời (${items} mỗi bài)`,
      sql`
      insert into attempt_item (attempt_id, position, question_version_id, option_order, points, chosen, saved_at)
      select a.id, pos, v.id, '[0,1,2,3]'::jsonb, 1,
             jsonb_build_array(case when ((a.id * 31 + pos * 17) % 100) < a.score * 10 - (v.idx % 5) * 6 then v.correct else (v.correct + 1) % greatest(v.n_options, 2) end),
             a.submitted_at
      from attempt a
      join exam e on e.id = a.exam_id
      join gen_class gcl on gcl.id = e.class_id
      cross join generate_series(1, ${items}) pos
      join gen_version_count cnt on cnt.programme_code = gcl.programme_code
      join gen_version v on v.programme_code = gcl.programme_code and v.idx = ((a.id * 7 + pos * 13) % cnt.n)
      where a.seed like 'gen%'`,
    );

    // Course surveys: one per ended class; a share of the trainees answer, anonymously.
    await step(
      "phiếu khảo sát",
      sql`
      insert into survey (class_id, kind, title, questions, lecturer_name, opens_on, min_group, required_for_certificate)
      select gcl.id, 'course', 'Khảo sát cuối khóa — lớp mô phỏng ' || gcl.k, ${JSON.stringify(COURSE_SURVEY.questions)}::jsonb,
             'Giảng viên ' || (${arr(FAMILY)})[1 + gcl.k % ${FAMILY.length}] || ' ' || (${arr(GIVEN)})[1 + (gcl.k / 3) % ${GIVEN.length}],
             gcl.ends_on, 5, true
      from gen_class gcl where gcl.ends_on <= current_date`,
    );
    await step(
      "người đã trả lời",
      sql`
      insert into survey_participation (survey_id, person_id)
      select sv.id, s.person_id from gen_score s join survey sv on sv.class_id = s.class_id
      where (s.i::bigint * 48271) % 1000 < ${Math.round(surveyShare * 1000)}`,
    );
    // Responses are generated apart from the participation (no shared key or order).
    await step(
      "phiếu trả lời",
      sql`create temporary table gen_response as
      select gen_random_uuid() as id, sv.id as survey_id, sv.opens_on as responded_on, sv.class_id, r as n
      from survey sv join gen_class gcl on gcl.id = sv.class_id
      cross join lateral generate_series(1, (select count(*) from survey_participation p where p.survey_id = sv.id)::int) r`,
    );
    await step(
      "phiếu trả lời (ghi)",
      sql`insert into survey_response (id, survey_id, responded_on) select id, survey_id, responded_on from gen_response`,
    );
    const likert = COURSE_SURVEY.questions.filter((q) => q.type === "likert");
    await step(
      "câu trả lời khảo sát",
      sql`
      insert into survey_answer (response_id, question_key, value, text)
      select r.id, q.key,
             least(5, greatest(1, 4 + (case when ((r.n * 37 + q.ord * 11 + r.survey_id) % 10) < 3 then 1 when ((r.n * 37 + q.ord * 11 + r.survey_id) % 10) < 9 then 0 else -1 end)
                                  - (case when q.key = 'vc1' and r.survey_id % 4 = 0 then 1 else 0 end) - (case when r.survey_id % 13 = 0 then 1 else 0 end))),
             null
      from gen_response r
      cross join (select * from unnest(${sql.val(likert.map((q) => q.key))}::text[]) with ordinality as x(key, ord)) q`,
    );
    await step(
      "câu trả lời khảo sát (lựa chọn, ý kiến)",
      sql`
      insert into survey_answer (response_id, question_key, value, text)
      select r.id, 'tg', case when r.n % 7 = 0 then 0 when r.n % 11 = 0 then 2 else 1 end, null from gen_response r
      union all
      select r.id, 'y2', null, (${arr(COMMENTS)})[1 + (r.n + r.survey_id) % ${COMMENTS.length}] from gen_response r where (r.n * 13 + r.survey_id) % 5 = 0`,
    );
    await step(
      "chỉ tiêu",
      sql`
      insert into dash_target (org_unit_id, year, classes_planned)
      select ${province.id}, y, ${Math.round(classes / 4) + 20} from generate_series(2023, 2026) y`,
    );
    for (const t of [
      "gen_commune",
      "gen_cell",
      "gen_centre",
      "gen_class",
      "gen_person",
      "gen_score",
      "gen_version",
      "gen_version_count",
      "gen_response",
    ])
      await sql`drop table if exists ${sql.raw(t)}`.execute(c);
    await sql`analyze`.execute(c);
  });

  let s = Date.now();
  await rebuildSurveyStats(db, null);
  log(`  tổng hợp khảo sát: ${((Date.now() - s) / 1000).toFixed(1)} s`);
  s = Date.now();
  await refreshClassFigures(db, null);
  log(`  số liệu bảng điều khiển: ${((Date.now() - s) / 1000).toFixed(1)} s`);
  await sql`analyze`.execute(db);

  const account = await db.selectFrom("user_account").select("id").where("username", "=", "tinh.bantuyengiao").executeTakeFirst();
  if (!account)
    await createAccount(db, {
      username: "tinh.bantuyengiao",
      password: "demo12345",
      displayName: "Ban Tuyên giáo và Dân vận (mô phỏng)",
      roles: [{ role: "committee", orgUnitId: province.id }],
    });

  const count = async (q: ReturnType<typeof sql<{ n: number }>>) => Number((await q.execute(db)).rows[0]?.n ?? 0);
  const provinceLike = `${province.path}%`;
  return {
    trainees,
    classes,
    examAnswers: await count(
      sql<{ n: number }>`select count(*)::int as n from attempt_item i join attempt a on a.id = i.attempt_id where a.seed like 'gen%'`,
    ),
    surveyAnswers: await count(
      sql<{
        n: number;
      }>`select count(*)::int as n from survey_answer a join survey_response r on r.id = a.response_id join survey s on s.id = r.survey_id join dash_class_stats d on d.class_id = s.class_id where d.org_path like ${provinceLike}`,
    ),
    seconds: Math.round((Date.now() - t0) / 1000),
  };
}
