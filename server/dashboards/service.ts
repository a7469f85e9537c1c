// Over 500 lines (543, 451 before the reformat of decision 034): a split of the committee figures from the
// survey and pipeline views is listed in issue #17.
import { sql } from "kysely";
import ExcelJS from "exceljs";
import type { Database } from "../db";
import type { Clock } from "../clock";
import type { ServiceDeps } from "../service-deps";
import type { Role } from "../db/schema";
import { canReach, scopeRoots, type Viewer } from "../auth/scope";
import { Forbidden } from "../errors";
import { vnDay } from "../rules/dates";
import { stemText } from "../questions/media";
import { formatNumber, formatPercent } from "../rules/numbers";
import { renderPartyDocumentPdf } from "../documents/pdf";
import type { PartyDocument } from "../documents/model";
import { SECTION_LABELS } from "../surveys/defaults";
import { againstTargets, groupTotals, quarterLabel, totals, type ClassFigures, type Totals } from "./figures";
import { refreshClassFigures } from "./refresh";
import { createFigureRefresher, type FigureRefresher } from "./refresher";

/** Who opens dashboards: the committee and boards over their subtree, a centre over its own classes. */
const VIEWERS: Role[] = ["committee", "organisation_board", "centre_admin"];

export interface DashboardFilters {
  centreId?: number;
  programme?: string;
  year?: number;
  quarter?: number;
  lecturer?: string;
}

const PROGRAMME_LABELS: Record<string, string> = {
  hd61: "HD 61 — Nhận thức về Đảng",
  hd60: "HD 60 — Đảng viên mới",
  hd59: "HD 59 — Nghiệp vụ công tác Đảng",
};

/**
 * Committee dashboards (issue #8). Requests read only the precomputed tables
 * (dash_class_stats, dash_item_stats, survey_stat); the figures are maintained per class
 * when an attempt is graded (exams.onGraded) and through the figure hooks the other
 * services call after every change that moves a figure (refresher.ts, decision 019).
 */
export function createDashboardService(deps: ServiceDeps & { refresher?: FigureRefresher }) {
  const { db, clock, exams } = deps;

  // The refresher is shared with the services that report changes (services.ts); one
  // built here serves a dashboard service created on its own.
  const refresher = deps.refresher ?? createFigureRefresher(db);
  const { refreshClass } = refresher;

  exams.onGraded((e) => refresher.hooks.examChanged(e.examId));

  function roots(viewer: Viewer) {
    const r = scopeRoots(viewer, VIEWERS);
    if (!r.length) throw new Forbidden("Bảng điều khiển dành cho Ban Tuyên giáo, Ban Tổ chức và trung tâm chính trị.");
    return r;
  }

  async function classRows(scope: string[], f: DashboardFilters, opts: { ignorePeriod?: boolean } = {}) {
    let q = db
      .selectFrom("dash_class_stats as d")
      .selectAll("d")
      .where((eb) => eb.or(scope.map((p) => eb("d.org_path", "like", `${p}%`))));
    if (f.centreId) q = q.where("d.centre_id", "=", f.centreId);
    if (f.programme) q = q.where("d.programme_code", "=", f.programme);
    if (!opts.ignorePeriod && f.year) q = q.where("d.year", "=", f.year);
    if (!opts.ignorePeriod && f.quarter) q = q.where("d.quarter", "=", f.quarter);
    if (f.lecturer) q = q.where("d.class_id", "in", db.selectFrom("survey").select("class_id").where("lecturer_name", "=", f.lecturer));
    const rows = await q.execute();
    return rows.map((r) => ({ ...r, score_sum: Number(r.score_sum) })) as (ClassFigures & {
      org_path: string;
      refreshed_at: Date | string | null;
    })[];
  }

  async function overview(viewer: Viewer, f: DashboardFilters) {
    const scope = roots(viewer);
    const today = vnDay(clock.now());
    const year = f.year ?? Number(today.slice(0, 4));
    const filters = { ...f, year };
    const [rows, trendRows, unfilteredByLecturer] = await Promise.all([
      classRows(scope, filters),
      classRows(scope, filters, { ignorePeriod: true }),
      // The lecturer table follows every filter but the lecturer itself (issue 20, point 6).
      f.lecturer ? classRows(scope, { ...filters, lecturer: undefined }) : null,
    ]);
    const all = totals(rows, today);

    // Targets of the viewer's top unit(s) for the year (editable data, domain brief §4).
    const units = await db.selectFrom("org_unit").select(["id", "path", "name"]).where("path", "in", scope).execute();
    const targetRows = units.length
      ? await db
          .selectFrom("dash_target")
          .selectAll()
          .where(
            "org_unit_id",
            "in",
            units.map((u) => u.id),
          )
          .where("year", "=", year)
          .execute()
      : [];
    const targets = {
      classesPlanned:
        f.centreId || f.lecturer || f.quarter ? null : targetRows.length ? targetRows.reduce((s, t) => s + t.classes_planned, 0) : null,
      passTarget: targetRows[0]?.pass_target ?? 100,
      goodTarget: targetRows[0]?.good_target ?? 80,
    };

    const centres = await db
      .selectFrom("training_centre as t")
      .innerJoin("org_unit as o", "o.id", "t.org_unit_id")
      .select(["t.id", "t.name"])
      .where((eb) => eb.or(scope.map((p) => eb("o.path", "like", `${p}%`))))
      .orderBy("t.name")
      .execute();
    const centreName = new Map(centres.map((c) => [c.id, c.name]));
    const byCentre = groupTotals(rows, (r) => r.centre_id, today).map((g) => ({
      id: g.key,
      name: centreName.get(g.key) ?? `#${g.key}`,
      ...g.totals,
    }));
    const byProgramme = groupTotals(rows, (r) => r.programme_code, today).map((g) => ({
      code: g.key,
      name: PROGRAMME_LABELS[g.key] ?? g.key,
      ...g.totals,
    }));
    const trend = groupTotals(trendRows, (r) => r.year * 10 + r.quarter, today)
      .sort((a, b) => a.key - b.key)
      .slice(-8)
      .map((g) => ({ label: quarterLabel(Math.floor(g.key / 10), g.key % 10), ...g.totals }));

    const classIds = rows.map((r) => r.class_id);
    const [surveys, weakItems, weakLessons, comments, lecturers, classNames, years] = await Promise.all([
      surveyFigures(classIds),
      weakestItems(classIds),
      weakestLessons(classIds),
      latestComments(classIds),
      lecturerFigures((unfilteredByLecturer ?? rows).map((r) => r.class_id)),
      classIds.length
        ? db.selectFrom("training_class").select(["id", "name", "ends_on"]).where("id", "in", classIds).execute()
        : Promise.resolve([]),
      db
        .selectFrom("dash_class_stats")
        .select("year")
        .distinct()
        .where((eb) => eb.or(scope.map((p) => eb("org_path", "like", `${p}%`))))
        .orderBy("year", "desc")
        .execute(),
    ]);
    const nameOf = new Map(classNames.map((c) => [c.id, c.name]));
    const classes = rows
      .map((r) => ({
        id: r.class_id,
        name: nameOf.get(r.class_id) ?? `#${r.class_id}`,
        centre: centreName.get(r.centre_id) ?? "",
        programme: r.programme_code,
        endsOn: r.ends_on,
        ...totals([r], today),
        survey: surveys.byClass.get(r.class_id) ?? null,
      }))
      .sort((a, b) => (b.endsOn ?? "").localeCompare(a.endsOn ?? ""))
      .slice(0, 200);

    return {
      filters: filters as Required<Pick<DashboardFilters, "year">> & DashboardFilters,
      today,
      // When the figures shown were last computed: the newest refresh among their classes.
      computedAt: rows.reduce<Date | null>(
        (m, r) => (r.refreshed_at && (!m || new Date(r.refreshed_at) > m) ? new Date(r.refreshed_at) : m),
        null,
      ),
      scopeNames: units.map((u) => u.name),
      totals: all,
      targets: againstTargets(all, targets),
      byCentre,
      byProgramme,
      trend,
      classes,
      surveySections: surveys.sections,
      lecturers,
      weakItems,
      weakLessons,
      comments,
      options: {
        centres,
        programmes: Object.entries(PROGRAMME_LABELS).map(([code, name]) => ({ code, name })),
        years: [...new Set([year, ...years.map((y) => y.year)])].sort((a, b) => b - a),
        lecturers: [...new Set([...lecturers.map((l) => l.name), ...(f.lecturer ? [f.lecturer] : [])])],
      },
    };
  }

  /** Survey section means per class and overall, only from surveys with enough answers. */
  async function surveyFigures(classIds: number[]) {
    const byClass = new Map<number, { responses: number; mean: number | null; sections: Record<string, number | null> }>();
    if (!classIds.length) return { byClass, sections: [] as { section: string; label: string; mean: number | null; responses: number }[] };
    const rows = await db
      .selectFrom("survey_stat as st")
      .innerJoin("survey as s", "s.id", "st.survey_id")
      .select(["s.class_id", "st.section", sql<number>`sum(st.value * st.n)::float8`.as("total"), sql<number>`sum(st.n)::int`.as("n")])
      .where("s.class_id", "in", classIds)
      .where("s.kind", "=", "course")
      .whereRef("s.responses", ">=", "s.min_group")
      // Likert questions only: choice values are option indexes, not scores.
      .where("st.section", "!=", "general")
      .groupBy(["s.class_id", "st.section"])
      .execute();
    const responses = await db
      .selectFrom("survey")
      .select(["class_id", sql<number>`sum(responses)::int`.as("n")])
      .where("class_id", "in", classIds)
      .where("kind", "=", "course")
      .whereRef("responses", ">=", "min_group")
      .groupBy("class_id")
      .execute();
    const respOf = new Map(responses.map((r) => [r.class_id, Number(r.n)]));
    const overall = new Map<string, { t: number; n: number }>();
    const perClass = new Map<number, Map<string, { t: number; n: number }>>();
    for (const r of rows) {
      const m = perClass.get(r.class_id) ?? new Map();
      m.set(r.section, { t: Number(r.total), n: Number(r.n) });
      perClass.set(r.class_id, m);
      const o = overall.get(r.section) ?? { t: 0, n: 0 };
      o.t += Number(r.total);
      o.n += Number(r.n);
      overall.set(r.section, o);
    }
    const r2 = (x: number) => Math.round(x * 100) / 100;
    for (const [classId, m] of perClass) {
      let t = 0;
      let n = 0;
      const sections: Record<string, number | null> = {};
      for (const [s, v] of m) {
        sections[s] = v.n ? r2(v.t / v.n) : null;
        t += v.t;
        n += v.n;
      }
      byClass.set(classId, { responses: respOf.get(classId) ?? 0, mean: n ? r2(t / n) : null, sections });
    }
    const totalResponses = [...respOf.values()].reduce((a, b) => a + b, 0);
    const sections = (["content", "lecturer", "organisation", "facilities"] as const).map((s) => {
      const o = overall.get(s);
      return { section: s, label: SECTION_LABELS[s], mean: o && o.n ? r2(o.t / o.n) : null, responses: totalResponses };
    });
    return { byClass, sections };
  }

  /** Survey means per lecturer named on surveys (observation forms and course surveys). */
  async function lecturerFigures(classIds: number[]) {
    if (!classIds.length) return [];
    const rows = await db
      .selectFrom("survey_stat as st")
      .innerJoin("survey as s", "s.id", "st.survey_id")
      .innerJoin("dash_class_stats as d", "d.class_id", "s.class_id")
      .select([
        "s.lecturer_name",
        sql<number>`sum(st.value * st.n)::float8`.as("total"),
        sql<number>`sum(st.n)::int`.as("n"),
        sql<number>`count(distinct s.id)::int`.as("surveys"),
      ])
      .where("s.lecturer_name", "is not", null)
      .whereRef("s.responses", ">=", "s.min_group")
      .where("st.section", "=", "lecturer")
      .where("s.class_id", "in", classIds)
      .groupBy("s.lecturer_name")
      .orderBy("s.lecturer_name")
      .execute();
    return rows.map((r) => ({
      name: r.lecturer_name!,
      mean: Number(r.n) ? Math.round((Number(r.total) / Number(r.n)) * 100) / 100 : null,
      surveys: Number(r.surveys),
    }));
  }

  async function weakestItems(classIds: number[]) {
    if (!classIds.length) return [];
    const rows = await db
      .selectFrom("dash_item_stats as i")
      .innerJoin("question_version as v", "v.id", "i.question_version_id")
      .select([
        "i.question_version_id as versionId",
        "v.stem",
        "v.stem_format",
        sql<number | null>`min(i.lesson_position)`.as("lesson"),
        sql<number>`sum(i.n)::int`.as("n"),
        sql<number>`(sum(i.earned) / nullif(sum(i.points), 0))::float8`.as("facility"),
      ])
      .where("i.class_id", "in", classIds)
      .groupBy(["i.question_version_id", "v.stem", "v.stem_format"])
      .having(sql`sum(i.n)`, ">=", 5)
      .orderBy("facility")
      .limit(10)
      .execute();
    return rows.map(({ stem_format, ...r }) => ({
      ...r,
      stem: stemText(r.stem, stem_format),
      n: Number(r.n),
      facility: Math.round(Number(r.facility) * 1000) / 1000,
    }));
  }

  async function weakestLessons(classIds: number[]) {
    if (!classIds.length) return [];
    const rows = await db
      .selectFrom("dash_item_stats as i")
      .innerJoin("dash_class_stats as d", "d.class_id", "i.class_id")
      .select([
        "d.programme_code as programme",
        "i.lesson_position as lesson",
        sql<number>`sum(i.n)::int`.as("n"),
        sql<number>`(sum(i.earned) / nullif(sum(i.points), 0))::float8`.as("facility"),
      ])
      .where("i.class_id", "in", classIds)
      .where("i.lesson_position", "is not", null)
      .groupBy(["d.programme_code", "i.lesson_position"])
      .orderBy("facility")
      .limit(10)
      .execute();
    return rows.map((r) => ({
      programme: r.programme,
      lesson: r.lesson,
      n: Number(r.n),
      facility: Math.round(Number(r.facility) * 1000) / 1000,
    }));
  }

  /** What trainees wrote, only from surveys large enough to show; the newest surveys first. */
  async function latestComments(classIds: number[]) {
    if (!classIds.length) return [];
    const surveys = await db
      .selectFrom("survey")
      .select(["id", "title", "questions"])
      .where("class_id", "in", classIds)
      .where("kind", "=", "course") // what trainees said; observation notes are lecturers' peers
      .whereRef("responses", ">=", "min_group")
      .orderBy("id", "desc")
      .limit(10)
      .execute();
    if (!surveys.length) return [];
    const rows = await db
      .selectFrom("survey_answer as a")
      .innerJoin("survey_response as r", "r.id", "a.response_id")
      .select(["r.survey_id", "a.question_key", "a.text"])
      .where(
        "r.survey_id",
        "in",
        surveys.map((s) => s.id),
      )
      .where("a.text", "is not", null)
      .orderBy("r.survey_id", "desc")
      .orderBy("a.text")
      .limit(40)
      .execute();
    const titleOf = new Map(surveys.map((s) => [s.id, s.title]));
    // The same remark from several trainees is shown once, with how many wrote it.
    const seen = new Map<string, { survey: string; text: string; count: number }>();
    for (const r of rows) {
      const key = `${r.survey_id}\u0000${r.text}`;
      const hit = seen.get(key);
      if (hit) hit.count++;
      else seen.set(key, { survey: titleOf.get(r.survey_id) ?? "", text: r.text!, count: 1 });
    }
    return [...seen.values()];
  }

  // Vietnamese writes a decimal comma: 91,4% (server/rules/numbers.ts).
  const pct = (x: number | null) => formatPercent(x);
  const dec = (x: number | null) => formatNumber(x);

  function totalsRow(t: Totals) {
    return [t.classes, t.held, t.enrolled, t.assessed, t.passed, pct(t.passRate), pct(t.goodShare), t.meanScore ?? "—"];
  }

  async function exportXlsx(viewer: Viewer, f: DashboardFilters) {
    const o = await overview(viewer, f);
    const wb = new ExcelJS.Workbook();
    const safe = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
    const head = ["Số lớp", "Đã kết thúc", "Học viên", "Đã đánh giá", "Đạt", "Tỷ lệ đạt", "Khá, giỏi", "Điểm TB"];
    const sum = wb.addWorksheet("Tổng hợp");
    sum.addRow([`Kết quả bồi dưỡng năm ${o.filters.year} — ${o.scopeNames.join(", ")}`]).font = { bold: true, size: 13 };
    sum.addRow([]);
    sum.addRow(head).font = { bold: true };
    sum.addRow(totalsRow(o.totals));
    sum.addRow([]);
    sum.addRow(["Chỉ tiêu", "Thực hiện", "Mục tiêu", "Đạt chỉ tiêu"]).font = { bold: true };
    sum.addRow([
      "Số lớp đã mở / kế hoạch",
      o.targets.classes.actual,
      o.targets.classes.planned ?? "—",
      o.targets.classes.met === null ? "—" : o.targets.classes.met ? "Đạt" : "Chưa đạt",
    ]);
    sum.addRow([
      "Tỷ lệ học viên đạt yêu cầu (%)",
      o.targets.pass.actual ?? "—",
      o.targets.pass.target,
      o.targets.pass.met === null ? "—" : o.targets.pass.met ? "Đạt" : "Chưa đạt",
    ]);
    sum.addRow([
      "Tỷ lệ khá, giỏi (%)",
      o.targets.good.actual ?? "—",
      `> ${o.targets.good.target}`,
      o.targets.good.met === null ? "—" : o.targets.good.met ? "Đạt" : "Chưa đạt",
    ]);
    sum.getColumn(1).width = 36;
    for (const [name, groups] of [
      ["Theo trung tâm", o.byCentre.map((g) => [g.name, ...totalsRow(g)])],
      ["Theo chương trình", o.byProgramme.map((g) => [g.name, ...totalsRow(g)])],
      ["Theo quý", o.trend.map((g) => [g.label, ...totalsRow(g)])],
    ] as const) {
      const ws = wb.addWorksheet(name);
      ws.addRow(["", ...head]).font = { bold: true };
      for (const g of groups) ws.addRow(g.map((c) => (typeof c === "string" ? safe(c) : c)));
      ws.getColumn(1).width = 40;
    }
    const cls = wb.addWorksheet("Theo lớp");
    cls.addRow(["Lớp", "Trung tâm", "Kết thúc", ...head.slice(2), "Khảo sát (điểm TB 1–5)", "Số phiếu"]).font = { bold: true };
    for (const c of o.classes)
      cls.addRow([safe(c.name), safe(c.centre), c.endsOn ?? "", ...totalsRow(c).slice(2), c.survey?.mean ?? "—", c.survey?.responses ?? 0]);
    cls.getColumn(1).width = 50;
    const items = wb.addWorksheet("Câu hỏi yếu");
    items.addRow(["Bài", "Câu hỏi", "Số lượt", "Tỷ lệ đúng"]).font = { bold: true };
    for (const it of o.weakItems) items.addRow([it.lesson ?? "", safe(it.stem), it.n, it.facility]);
    items.getColumn(2).width = 80;
    const com = wb.addWorksheet("Ý kiến học viên");
    com.addRow(["Phiếu", "Ý kiến", "Số người"]).font = { bold: true };
    for (const c of o.comments) com.addRow([safe(c.survey), safe(c.text), c.count]);
    com.getColumn(2).width = 80;
    return { bytes: new Uint8Array(await wb.xlsx.writeBuffer()), fileName: `bang-dieu-khien-${o.filters.year}.xlsx` };
  }

  async function reportPdf(viewer: Viewer, f: DashboardFilters) {
    const o = await overview(viewer, f);
    const scope = roots(viewer);
    const unit = await db
      .selectFrom("org_unit")
      .select(["id", "name", "abbreviation", "place_name", "parent_id"])
      .where("path", "=", scope[0]!)
      .executeTakeFirstOrThrow();
    const parent = unit.parent_id
      ? await db.selectFrom("org_unit").select("name").where("id", "=", unit.parent_id).executeTakeFirst()
      : undefined;
    const partyBody = (name: string) => name.replace(/^Đảng ủy\s+/u, "Đảng bộ ").replace(/^Tỉnh ủy\s+/u, "Đảng bộ tỉnh ");
    const t = o.totals;
    const doc: PartyDocument = {
      header: { parentBody: partyBody(parent?.name ?? unit.name).toLocaleUpperCase("vi"), issuer: unit.name.toLocaleUpperCase("vi") },
      number: { seq: 1, typeAbbr: "BC", issuerAbbr: unit.abbreviation },
      place: unit.place_name ?? unit.name,
      date: o.today,
      typeName: "BÁO CÁO",
      summary: `Kết quả bồi dưỡng chính trị và ý kiến học viên năm ${o.filters.year}`,
      body: [
        { kind: "heading", text: "1. Kết quả chung" },
        {
          kind: "paragraph",
          text: `Trong năm ${o.filters.year}, các trung tâm chính trị trong phạm vi đã tổ chức ${t.held} lớp${o.targets.classes.planned !== null ? ` trên ${o.targets.classes.planned} lớp theo kế hoạch` : ""}, với ${t.enrolled} học viên; ${t.assessed} học viên được đánh giá, ${t.passed} học viên đạt yêu cầu (${pct(t.passRate)}), trong đó khá, giỏi chiếm ${pct(t.goodShare)} (chỉ tiêu trên ${o.targets.good.target}%).`,
        },
        {
          kind: "table",
          columns: [
            { header: "Chương trình", width: 5 },
            { header: "Số lớp", width: 2, align: "center" },
            { header: "Học viên", width: 2, align: "center" },
            { header: "Tỷ lệ đạt", width: 2, align: "center" },
            { header: "Khá, giỏi", width: 2, align: "center" },
          ],
          rows: o.byProgramme.length
            ? o.byProgramme.map((g) => [g.name, String(g.classes), String(g.enrolled), pct(g.passRate), pct(g.goodShare)])
            : [["Chưa có lớp", "", "", "", ""]],
        },
        { kind: "heading", text: "2. Theo trung tâm" },
        {
          kind: "table",
          columns: [
            { header: "Trung tâm", width: 6 },
            { header: "Số lớp", width: 2, align: "center" },
            { header: "Tỷ lệ đạt", width: 2, align: "center" },
            { header: "Khá, giỏi", width: 2, align: "center" },
          ],
          rows: o.byCentre.length
            ? o.byCentre.map((g) => [g.name, String(g.classes), pct(g.passRate), pct(g.goodShare)])
            : [["Chưa có lớp", "", "", ""]],
        },
        { kind: "heading", text: "3. Ý kiến học viên" },
        {
          kind: "paragraph",
          text: o.surveySections.some((s) => s.mean !== null)
            ? `Điểm đánh giá trung bình (thang 1–5): ${o.surveySections.map((s) => `${s.label.toLocaleLowerCase("vi")} ${dec(s.mean)}`).join("; ")}.`
            : "Chưa có phiếu khảo sát đủ số lượng để tổng hợp.",
        },
        ...(o.comments.length ? [{ kind: "list" as const, items: o.comments.slice(0, 10).map((c) => `“${c.text}”`) }] : []),
        { kind: "heading", text: "4. Nội dung học viên còn yếu" },
        {
          kind: "paragraph",
          text: o.weakLessons.length
            ? `Các bài có tỷ lệ trả lời đúng thấp nhất: ${o.weakLessons
                .slice(0, 3)
                .map((l) => `bài ${l.lesson} chương trình ${l.programme.toUpperCase()} (${Math.round(l.facility * 100)}%)`)
                .join("; ")}.`
            : "Chưa có dữ liệu bài kiểm tra trắc nghiệm.",
        },
      ],
      // A draft for the standing committee: the signer writes the name by hand (accounts
      // of a board carry the board's name, not a person's).
      signature: { onBehalfOf: "T/M BAN THƯỜNG VỤ", title: "PHÓ BÍ THƯ", name: "……………………………" },
      recipients: ["Thường trực cấp ủy (để báo cáo),", "Các trung tâm chính trị,", `Lưu ${unit.abbreviation}.`],
    };
    return { pdf: await renderPartyDocumentPdf(doc), fileName: `bao-cao-boi-duong-${o.filters.year}.pdf` };
  }

  return {
    refreshClass,
    refreshExam: refresher.refreshExam,
    /** Waits for refreshes in flight (tests, the generator). */
    settled: refresher.settled,
    /** Recomputes every class in one pass (the province generator, a repair after an import). */
    refreshAll: () => refreshClassFigures(db, null),
    overview,
    exportXlsx,
    reportPdf,
    async setTarget(viewer: Viewer, unitId: number, year: number, t: { classesPlanned: number; passTarget?: number; goodTarget?: number }) {
      const unit = await db.selectFrom("org_unit").select(["id", "path"]).where("id", "=", unitId).executeTakeFirst();
      if (!unit || !canReach(viewer, ["committee"], unit.path, { write: true })) throw new Forbidden();
      await db
        .insertInto("dash_target")
        .values({
          org_unit_id: unitId,
          year,
          classes_planned: t.classesPlanned,
          pass_target: t.passTarget ?? 100,
          good_target: t.goodTarget ?? 80,
        })
        .onConflict((oc) =>
          oc
            .columns(["org_unit_id", "year"])
            .doUpdateSet({ classes_planned: t.classesPlanned, pass_target: t.passTarget ?? 100, good_target: t.goodTarget ?? 80 }),
        )
        .execute();
    },
  };
}

export type DashboardService = ReturnType<typeof createDashboardService>;
export type { Database, Clock };
