/**
 * Dashboard endpoints on a province's worth of data (issue #8).
 *   createdb bd_province
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bd_province npm run cli -- seed --scale province
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bd_province npm run bench:dashboard [runs]
 * Calls the same service methods the routes call (loader work minus HTML rendering) as
 * the province committee and as one commune centre, and prints p50/p95/max per call.
 * Numbers for planning, not a test.
 */
import { sql } from "kysely";
import { loadConfig } from "../../server/config";
import { createLogger } from "../../server/logger";
import { createServices } from "../../server/services";
import { PROVINCE_NAME } from "../../server/seed/province";
import type { Viewer } from "../../server/auth/scope";

const runs = Number(process.argv[2] ?? 20);
const url = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/bd_province";
const services = await createServices(loadConfig({ DATABASE_URL: url, LOG_LEVEL: "silent", NODE_ENV: "production" }), {
  logger: createLogger("silent"),
});
const db = services.db;

const province = await db.selectFrom("org_unit").select(["id", "path", "name"]).where("name", "=", PROVINCE_NAME).executeTakeFirst();
if (!province) {
  console.error("Chưa có dữ liệu mô phỏng: chạy `npm run cli -- seed --scale province` trên cơ sở dữ liệu này trước.");
  process.exit(2);
}
const viewer = (role: "committee" | "centre_admin", unit: { id: number; path: string; name: string }): Viewer => ({
  userId: "bench",
  username: "bench",
  displayName: "Người đo",
  personId: null,
  mustChangePassword: false,
  sessionId: "bench",
  roles: [{ role, orgUnitId: unit.id, orgPath: unit.path, orgName: unit.name, readOnly: false }],
});
const committee = viewer("committee", province);
const commune = await db
  .selectFrom("org_unit")
  .select(["id", "path", "name"])
  .where("parent_id", "=", province.id)
  .orderBy("id")
  .executeTakeFirstOrThrow();
const centreAdmin = viewer("centre_admin", commune);
const centre = await db.selectFrom("training_centre").select("id").where("org_unit_id", "=", commune.id).executeTakeFirstOrThrow();
const lecturer = await db
  .selectFrom("survey")
  .select("lecturer_name")
  .where("lecturer_name", "like", "Giảng viên %")
  .limit(1)
  .executeTakeFirstOrThrow();
const survey = await db
  .selectFrom("survey as s")
  .innerJoin("dash_class_stats as d", "d.class_id", "s.class_id")
  .select("s.id")
  .where("d.org_path", "like", `${province.path}%`)
  .orderBy("s.id", "desc")
  .limit(1)
  .executeTakeFirstOrThrow();

const count = async (table: string, where = sql`true`) =>
  Number((await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where ${where}`.execute(db)).rows[0]!.n);
const sizes = {
  trainees: await count("person"),
  classes: await count("training_class"),
  examAnswers: await count("attempt_item"),
  surveyAnswers: await count("survey_answer"),
  dashClassRows: await count("dash_class_stats"),
  dashItemRows: await count("dash_item_stats"),
  surveyStatRows: await count("survey_stat"),
};

const cases: [string, () => Promise<unknown>][] = [
  ["tỉnh, năm 2026", () => services.dashboards.overview(committee, { year: 2026 })],
  ["tỉnh, quý II/2025", () => services.dashboards.overview(committee, { year: 2025, quarter: 2 })],
  ["tỉnh, chương trình HD 60", () => services.dashboards.overview(committee, { year: 2026, programme: "hd60" })],
  ["tỉnh, một trung tâm", () => services.dashboards.overview(committee, { year: 2026, centreId: centre.id })],
  ["tỉnh, một giảng viên", () => services.dashboards.overview(committee, { year: 2026, lecturer: lecturer.lecturer_name! })],
  ["trung tâm xã, năm 2026", () => services.dashboards.overview(centreAdmin, { year: 2026 })],
  ["kết quả một phiếu khảo sát", () => services.surveys.results(committee, survey.id)],
  ["xuất .xlsx (tỉnh, 2026)", () => services.dashboards.exportXlsx(committee, { year: 2026 })],
  ["báo cáo PDF (tỉnh, 2026)", () => services.dashboards.reportPdf(committee, { year: 2026 })],
];

const results: { call: string; p50: number; p95: number; max: number }[] = [];
for (const [name, fn] of cases) {
  await fn();
  await fn(); // warm-up: plans cached, fonts parsed
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => Math.round(ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]! * 10) / 10;
  results.push({ call: name, p50: at(0.5), p95: at(0.95), max: Math.round(ms[ms.length - 1]! * 10) / 10 });
}

// One class refresh (what a graded attempt or a results change costs).
const someClass = await db
  .selectFrom("dash_class_stats")
  .select("class_id")
  .where("org_path", "like", `${province.path}%`)
  .limit(1)
  .executeTakeFirstOrThrow();
const tr = performance.now();
await services.dashboards.refreshClass(someClass.class_id);
const refreshMs = Math.round((performance.now() - tr) * 10) / 10;

console.table(results);
console.log(JSON.stringify({ database: url.replace(/\/\/[^@]*@/, "//"), runs, sizes, refreshClassMs: refreshMs, results }));
await services.close();
