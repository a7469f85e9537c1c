// Over 500 lines (528): demo data; the reformat of decision 034 put one answer per line. Data, not logic.
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { DEFAULT_POLICY } from "../exams/scoring";
import type { Database } from "../db";
import { COURSE_SURVEY, OBSERVATION_FORM } from "../surveys/defaults";
import type { SurveyQuestion } from "../db/schema-surveys";

type Form = { kind: "course" | "observation"; questions: SurveyQuestion[] };
import { rebuildSurveyStats } from "../surveys/stats";
import { refreshClassFigures } from "../dashboards/refresh";
import { demoBirthDate } from "./birth-dates";
import { formatCertificateNumber, newVerificationCode } from "../classes/certificate-numbering";

/**
 * Demo rows for surveys, dashboards and the pipeline (issue #8). Runs after the base
 * demo; finds units, centres and classes by name. Adds a little invented history (past
 * classes with results) so the dashboard has quarters to compare, anonymous answers
 * (inserted directly: they carry no person anyway), and the party-development plan of
 * Chi bộ Trường THPT Tân Lập for the demo secretary.
 */
const FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"];
const MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Đức", "Ngọc", "Quốc", "Thanh", "Hữu", "Thị Kim"];
const GIVEN = [
  "An",
  "Bình",
  "Cường",
  "Dung",
  "Giang",
  "Hà",
  "Hải",
  "Hạnh",
  "Hiếu",
  "Hoa",
  "Huy",
  "Khoa",
  "Lan",
  "Linh",
  "Long",
  "Mạnh",
  "Nam",
  "Nga",
  "Phúc",
  "Quang",
  "Sơn",
  "Tâm",
  "Thảo",
  "Trung",
  "Tú",
  "Uyên",
  "Việt",
  "Yến",
];

const COMMENTS = [
  "Bài giảng về lịch sử Đảng rất sinh động, có nhiều tư liệu địa phương.",
  "Mong lớp sau có thêm thời gian trao đổi, thảo luận nhóm.",
  "Phòng học hơi nóng vào buổi chiều, đề nghị bố trí thêm quạt.",
  "Tài liệu rõ ràng, dễ ôn tập trên điện thoại.",
  "Giảng viên nhiệt tình, liên hệ thực tiễn gần gũi.",
  "Nên tổ chức tham quan di tích lịch sử của xã.",
  "Đề nghị gửi tài liệu trước khi khai giảng để học viên chuẩn bị.",
];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export async function seedSurveysDemo(db: Database): Promise<void> {
  const unit = async (name: string) => db.selectFrom("org_unit").select(["id", "path"]).where("name", "=", name).executeTakeFirst();
  const province = await unit("Tỉnh ủy An Khánh");
  const cellSchool = await unit("Chi bộ Trường THPT Tân Lập");
  const cellVillage = await unit("Chi bộ thôn Đông Hòa");
  const cellBm = await unit("Chi bộ khu phố 3");
  const centreTl = await db
    .selectFrom("training_centre")
    .select("id")
    .where("name", "=", "Trung tâm Chính trị xã Tân Lập")
    .executeTakeFirst();
  const centreBm = await db
    .selectFrom("training_centre")
    .select("id")
    .where("name", "=", "Trung tâm Chính trị phường Bình Minh")
    .executeTakeFirst();
  const programmes = new Set((await db.selectFrom("programme").select("code").execute()).map((r) => r.code));
  if (!province || !cellSchool || !cellVillage || !cellBm || !centreTl || !centreBm || !programmes.has("hd61") || !programmes.has("hd60"))
    return;
  const hd61 = await db
    .selectFrom("training_class")
    .select(["id", "ends_on"])
    .where("name", "=", "Lớp bồi dưỡng nhận thức về Đảng, khóa 1 năm 2026")
    .executeTakeFirst();
  const hd60 = await db
    .selectFrom("training_class")
    .select(["id"])
    .where("name", "=", "Lớp bồi dưỡng lý luận chính trị cho đảng viên mới, khóa 1 năm 2026")
    .executeTakeFirst();
  if (!hd61 || !hd60) return;
  const rand = rng(2026);
  const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)]!;

  // Past classes, so the dashboard has a trend to draw.
  const newClass = async (centreId: number, programme: string, name: string, starts: string, ends: string) =>
    (
      await db
        .insertInto("training_class")
        .values({ centre_id: centreId, programme_code: programme, name, starts_on: starts, ends_on: ends })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  const c2025a = await newClass(centreTl.id, "hd61", "Lớp bồi dưỡng nhận thức về Đảng, khóa 2 năm 2025", "2025-05-12", "2025-05-16");
  const c2025b = await newClass(
    centreTl.id,
    "hd60",
    "Lớp bồi dưỡng lý luận chính trị cho đảng viên mới, khóa 2 năm 2025",
    "2025-12-01",
    "2025-12-09",
  );
  const c2025c = await newClass(
    centreBm.id,
    "hd61",
    "Lớp bồi dưỡng nhận thức về Đảng, khóa 1 năm 2025 (Bình Minh)",
    "2025-08-04",
    "2025-08-08",
  );
  const c2026bm = await newClass(
    centreBm.id,
    "hd61",
    "Lớp bồi dưỡng nhận thức về Đảng, khóa 1 năm 2026 (Bình Minh)",
    "2026-06-08",
    "2026-06-12",
  );

  // Results per class: [class, unit for the trainees, count, share khá/giỏi, share failed]
  const bandOf = (score: number) => (score >= 9 ? "gioi" : score >= 7 ? "kha" : score >= 5 ? "trung_binh" : "khong_dat");
  // A score comes from a test sat (issue 20, point 5): every invented result has its source,
  // a submitted attempt at the class's final essay (the official assessment the register
  // reads), and the trainee is marked present at the class's sessions, so that recomputing
  // the results through the service ("Tính kết quả") gives the same result back.
  const finalExams = new Map<number, number>();
  const sat = async (classId: number, personId: number, score: number) => {
    let examId = finalExams.get(classId);
    const k = await db
      .selectFrom("training_class")
      .select(["programme_code", sql<string>`ends_on::text`.as("ends_on")])
      .where("id", "=", classId)
      .executeTakeFirstOrThrow();
    const on = k.ends_on ?? "2026-03-13";
    if (examId === undefined) {
      const existing = await db
        .selectFrom("exam")
        .select("id")
        .where("class_id", "=", classId)
        .where("kind", "=", "official")
        .orderBy("id")
        .executeTakeFirst();
      const bank =
        (await db
          .selectFrom("question_bank")
          .select("id")
          .where("programme_code", "=", k.programme_code)
          .orderBy("id")
          .executeTakeFirst()) ?? (await db.selectFrom("question_bank").select("id").orderBy("id").executeTakeFirst());
      if (!bank) return; // no bank loaded (a test that skips the seed banks): no exam to hold the attempt
      examId =
        existing?.id ??
        (
          await db
            .insertInto("exam")
            .values({
              class_id: classId,
              bank_id: bank.id,
              title: "Bài thu hoạch cuối khóa",
              kind: "official",
              opens_at: `${on}T13:30:00+07:00`,
              closes_at: `${on}T16:30:00+07:00`,
              duration_minutes: 150,
              blueprint: JSON.stringify([]),
              policy: JSON.stringify(DEFAULT_POLICY),
            })
            .returning("id")
            .executeTakeFirstOrThrow()
        ).id;
      finalExams.set(classId, examId);
    }
    await db
      .insertInto("attempt")
      .values({
        exam_id: examId,
        person_id: personId,
        seed: `demo-${personId}`,
        status: "submitted",
        started_at: `${on}T13:35:00+07:00`,
        submitted_at: `${on}T15:50:00+07:00`,
        submitted_by: "trainee",
        earned: score,
        max_points: 10,
        score,
        band: bandOf(score),
        passed: score >= DEFAULT_POLICY.passMark,
      })
      .execute();
    const sessions = await db.selectFrom("class_session").select("id").where("class_id", "=", classId).execute();
    if (sessions.length)
      await db
        .insertInto("attendance")
        .values(sessions.map((x) => ({ session_id: x.id, person_id: personId, status: "co_mat" as const, method: "manual" as const })))
        .onConflict((oc) => oc.doNothing())
        .execute();
  };
  const fill = async (classId: number, unitId: number, count: number, strong: number, weak: number) => {
    for (let i = 0; i < count; i++) {
      const p = await db
        .insertInto("person")
        .values({
          org_unit_id: unitId,
          full_name: `${pick(FAMILY)} ${pick(MIDDLE)} ${pick(GIVEN)}`,
          birth_date: demoBirthDate(rand),
          gender: rand() < 0.5 ? "nam" : "nu",
          ethnicity: "Kinh",
          education_level: "thpt",
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await db
        .insertInto("class_enrolment")
        .values({ class_id: classId, person_id: p.id })
        .onConflict((oc) => oc.doNothing())
        .execute();
      const r = rand();
      const score =
        r < weak
          ? 3.5 + Math.round(rand() * 10) / 10
          : r < weak + strong
            ? 7 + Math.round(rand() * 29) / 10
            : 5 + Math.round(rand() * 19) / 10;
      const band = bandOf(score);
      await sat(classId, p.id, score);
      await db
        .insertInto("class_result")
        .values({
          class_id: classId,
          person_id: p.id,
          score,
          band,
          passed: score >= 5,
          outcome: score >= 5 ? "passed" : "resit",
          fail_reason: score >= 5 ? null : "Điểm bài thu hoạch dưới 5",
        })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  };
  await fill(c2025a, cellVillage.id, 18, 0.7, 0.06);
  await fill(c2025b, cellVillage.id, 12, 0.85, 0);
  await fill(c2025c, cellBm.id, 16, 0.6, 0.07);
  await fill(c2026bm, cellBm.id, 14, 0.8, 0);
  // No invented trainees in this year's Tân Lập HD 61 class (issue 20, point 5): its named
  // trainees sit the final essay and get their results and certificates through the services.
  await db
    .insertInto("dash_target")
    .values([
      { org_unit_id: province.id, year: 2025, classes_planned: 4 },
      { org_unit_id: province.id, year: 2026, classes_planned: 6 },
    ])
    .onConflict((oc) => oc.doNothing())
    .execute();

  // Surveys: the 2026 HD 61 class (the demo trainee has not answered yet), a past class,
  // and a class with too few answers to show.
  const survey = async (
    classId: number,
    title: string,
    opensOn: string,
    form: Form = COURSE_SURVEY,
    lecturer: string | null = "Nguyễn Văn Khánh",
  ) =>
    (
      await db
        .insertInto("survey")
        .values({
          class_id: classId,
          kind: form.kind,
          title,
          questions: JSON.stringify(form.questions),
          lecturer_name: lecturer,
          opens_on: opensOn,
          min_group: 5,
          required_for_certificate: form.kind === "course",
        })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  const s1 = await survey(hd61.id, "Khảo sát cuối khóa — lớp nhận thức về Đảng, khóa 1 năm 2026", hd61.ends_on ?? "2026-03-13");
  const s2 = await survey(c2025a, "Khảo sát cuối khóa — lớp nhận thức về Đảng, khóa 2 năm 2025", "2025-05-16");
  const s3 = await survey(
    c2026bm,
    "Khảo sát cuối khóa — lớp nhận thức về Đảng, Bình Minh 2026",
    "2026-06-12",
    COURSE_SURVEY,
    "Phạm Thị Lan",
  );
  const s4 = await survey(hd60.id, "Dự giờ bài 8 — lớp đảng viên mới 2026", "2026-04-10", OBSERVATION_FORM);
  const answer = async (surveyId: number, form: Form, count: number, mood: number, on: string) => {
    for (let i = 0; i < count; i++) {
      const id = randomUUID();
      await db.insertInto("survey_response").values({ id, survey_id: surveyId, responded_on: on }).execute();
      const rows = form.questions.flatMap(
        (q): { response_id: string; question_key: string; value: number | null; text: string | null }[] => {
          if (q.type === "likert")
            return [
              {
                response_id: id,
                question_key: q.key,
                value: Math.max(1, Math.min(5, Math.round(mood + (rand() - 0.5) * 2 - (q.section === "facilities" ? 0.8 : 0)))),
                text: null,
              },
            ];
          if (q.type === "choice")
            return [{ response_id: id, question_key: q.key, value: Math.floor(rand() * (q.options?.length ?? 1)), text: null }];
          return rand() < 0.45 ? [{ response_id: id, question_key: q.key, value: null, text: pick(COMMENTS) }] : [];
        },
      );
      await db
        .insertInto("survey_answer")
        .values(rows)
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  };
  await answer(s1, COURSE_SURVEY, 12, 4.4, "2026-03-13");
  await answer(s2, COURSE_SURVEY, 15, 4.0, "2025-05-16");
  await answer(s3, COURSE_SURVEY, 3, 4.2, "2026-06-12");
  await answer(s4, OBSERVATION_FORM, 5, 4.3, "2026-04-10");
  await rebuildSurveyStats(db, [s1, s2, s3, s4]);

  // The pipeline of Chi bộ Trường THPT Tân Lập: people at every step, with dates that
  // raise each kind of alert on the demo's "today" (November 2026).
  const cert = async (personId: number, classId: number, programme: string, issuedOn: string, centreId: number) => {
    const year = Number(issuedOn.slice(0, 4));
    const last = await db
      .selectFrom("certificate")
      .select((eb) => eb.fn.max("serial_no").as("m"))
      .where("centre_id", "=", centreId)
      .where("year", "=", year)
      .executeTakeFirst();
    const serial = Number(last?.m ?? 0) + 1;
    await db
      .insertInto("certificate")
      // The register's documented number and code (docs/class-records.md), as the service writes them.
      .values({
        centre_id: centreId,
        class_id: classId,
        person_id: personId,
        programme_code: programme,
        year,
        serial_no: serial,
        number_label: formatCertificateNumber(serial, "TTCT", year),
        issued_on: issuedOn,
        verification_code: newVerificationCode(),
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
  };
  type P = {
    name: string;
    group: string;
    nominated: string;
    hd61Class?: number;
    hd61On?: string;
    files?: string;
    admitted?: string;
    hd60On?: string;
    full?: string;
    position: string;
  };
  const path: P[] = [
    {
      name: "Phạm Minh Tuấn",
      group: "Giáo viên",
      position: "Giáo viên Toán",
      nominated: "2025-03-02",
      hd61Class: c2025a,
      hd61On: "2025-05-20",
      files: "2025-08-15",
      admitted: "2025-10-15",
    },
    {
      name: "Lê Thị Hồng Nhung",
      group: "Giáo viên",
      position: "Giáo viên Ngữ văn",
      nominated: "2025-03-02",
      hd61Class: c2025a,
      hd61On: "2025-05-20",
      files: "2025-10-20",
      admitted: "2025-12-20",
    },
    {
      name: "Vũ Đức Anh",
      group: "Giáo viên",
      position: "Giáo viên Lịch sử",
      nominated: "2024-10-01",
      hd61Class: c2025a,
      hd61On: "2025-05-20",
      files: "2025-06-01",
      admitted: "2025-07-01",
      hd60On: "2025-12-12",
      full: "2026-07-01",
    },
    {
      name: "Đặng Quốc Bảo",
      group: "Học sinh",
      position: "Học sinh lớp 12A2",
      nominated: "2026-02-01",
      hd61Class: hd61.id,
      hd61On: "2026-03-20",
      files: "2026-09-15",
    },
    { name: "Trịnh Thu Trang", group: "Học sinh", position: "Học sinh lớp 12A1", nominated: "2026-01-15", files: "2026-10-01" },
    { name: "Hồ Văn Lâm", group: "Giáo viên", position: "Giáo viên Tin học", nominated: "2026-04-10" },
    { name: "Mai Thanh Hương", group: "Giáo viên", position: "Giáo viên Tiếng Anh", nominated: "2026-06-01" },
  ];
  for (const p of path) {
    const status = p.full ? "chinh_thuc" : p.admitted ? "du_bi" : "quan_chung";
    const person = await db
      .insertInto("person")
      .values({
        org_unit_id: cellSchool.id,
        full_name: p.name,
        gender: /Thị|Thu|Thanh Hương/.test(p.name) ? "nu" : "nam",
        ethnicity: "Kinh",
        education_level: p.group === "Học sinh" ? "thpt" : "dai_hoc",
        position: p.position,
        party_status: status,
        admission_date: p.admitted ?? null,
        full_member_date: p.full ?? null,
        birth_date: p.group === "Học sinh" ? "2008-02-14" : "1992-07-21",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db
      .insertInto("party_dev_candidate")
      .values({
        unit_id: cellSchool.id,
        person_id: person.id,
        group_label: p.group,
        nominated_on: p.nominated,
        files_done_on: p.files ?? null,
      })
      .execute();
    if (p.hd61Class) {
      await db
        .insertInto("class_enrolment")
        .values({ class_id: p.hd61Class, person_id: person.id })
        .onConflict((oc) => oc.doNothing())
        .execute();
      await sat(p.hd61Class, person.id, 8.5);
      await db
        .insertInto("class_result")
        .values({ class_id: p.hd61Class, person_id: person.id, score: 8.5, band: "kha", passed: true, outcome: "passed" })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    if (p.hd61On && p.hd61Class) await cert(person.id, p.hd61Class, "hd61", p.hd61On, centreTl.id);
    if (p.hd60On) {
      await db
        .insertInto("class_enrolment")
        .values({ class_id: c2025b, person_id: person.id })
        .onConflict((oc) => oc.doNothing())
        .execute();
      await sat(c2025b, person.id, 9.2);
      await db
        .insertInto("class_result")
        .values({ class_id: c2025b, person_id: person.id, score: 9.2, band: "gioi", passed: true, outcome: "passed" })
        .onConflict((oc) => oc.doNothing())
        .execute();
      await cert(person.id, c2025b, "hd60", p.hd60On, centreTl.id);
    }
  }
  // The demo trainee (a pupil of the school) is on the path too: sent to this year's HD 61 class.
  const mai = await db
    .selectFrom("person")
    .select("id")
    .where("full_name", "=", "Nguyễn Thị Mai")
    .where("org_unit_id", "=", cellSchool.id)
    .executeTakeFirst();
  if (mai)
    await db
      .insertInto("party_dev_candidate")
      .values({ unit_id: cellSchool.id, person_id: mai.id, group_label: "Học sinh", nominated_on: "2026-01-20" })
      .onConflict((oc) => oc.doNothing())
      .execute();
  const targets: Record<string, [number[], number[], number[], number[]]> = {
    "Giáo viên": [
      [1, 1, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 1, 0],
      [0, 0, 1, 1],
    ],
    "Học sinh": [
      [3, 0, 0, 1],
      [2, 0, 0, 0],
      [0, 0, 1, 1],
      [0, 0, 0, 0],
    ],
  };
  for (const [group, [candidates, sent, files, full]] of Object.entries(targets))
    for (let q = 1; q <= 4; q++)
      await db
        .insertInto("party_dev_target")
        .values({
          unit_id: cellSchool.id,
          year: 2026,
          group_label: group,
          quarter: q,
          candidates: candidates[q - 1]!,
          sent_hd61: sent[q - 1]!,
          files_done: files[q - 1]!,
          made_full: full[q - 1]!,
        })
        .onConflict((oc) => oc.doNothing())
        .execute();

  await refreshClassFigures(db, null);
}
