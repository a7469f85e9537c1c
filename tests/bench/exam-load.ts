/**
 * Load benchmark of the exam engine: `npm run bench:exam -- --examinees N [--json]`.
 *
 * A real server process (server/main.ts, production build) on a fresh PostgreSQL
 * database, N simulated trainees as real socket.io-client connections from separate
 * worker processes: logins spread over a check-in period, a synchronised start,
 * answers at a realistic pace, a mass submit at the deadline. Reports per phase the
 * throughput and p50/p95/p99 acknowledgement latency, errors, server CPU and peak
 * memory, and checks in the database that every acknowledged answer is stored.
 */
import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import { parseArgs, promisify } from "node:util";
import { randomBytes } from "node:crypto";
import pg from "pg";

import { loadConfig } from "../../server/config";
import { createLogger } from "../../server/logger";
import { createServices } from "../../server/services";
import { seedDemo } from "../../server/seed/demo";
import { hashPassword } from "../../server/auth/password";
import { newId } from "../../server/accounts/service";

const { values } = parseArgs({
  options: {
    examinees: { type: "string", default: "500" },
    workers: { type: "string", default: "4" },
    checkin: { type: "string", default: "60" },
    "answer-phase": { type: "string", default: "120" },
    json: { type: "boolean" },
    keep: { type: "boolean" },
  },
});
const N = Number(values.examinees);
const W = Number(values.workers);
const ADMIN_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const dbName = `bd_bench_exam_${randomBytes(4).toString("hex")}`;
const log = (...a: unknown[]) => !values.json && console.error(...a);

const admin = new pg.Client({ connectionString: ADMIN_URL });
await admin.connect();
await admin.query(`create database ${dbName}`);
const url = ADMIN_URL.replace(/\/[^/]*$/, `/${dbName}`);

// ——— setup: organisation, N trainee accounts, a 30-question exam with papers drawn ahead
const services = await createServices(loadConfig({ DATABASE_URL: url, LOG_LEVEL: "silent" }), { logger: createLogger("silent") });
await services.curricula.syncFromFiles();
await services.questions.syncSeedBanks();
await seedDemo(services.db);
const db = services.db;
const klass = await db.selectFrom("training_class").select(["id"]).where("programme_code", "=", "hd60").executeTakeFirstOrThrow();
const cell = await db.selectFrom("org_unit").select("id").where("kind", "=", "cell").orderBy("id").executeTakeFirstOrThrow();
const password = "bench-password-1";
const hash = await hashPassword(password); // one hash for all: the benchmark measures the exam, not account creation
const usernames: string[] = [];
let t0 = Date.now();
for (let start = 0; start < N; start += 1000) {
  const n = Math.min(1000, N - start);
  const people = await db
    .insertInto("person")
    .values(Array.from({ length: n }, (_, i) => ({ org_unit_id: cell.id, full_name: `Học Viên Số ${start + i + 1}`, birth_date: "1995-01-01", party_status: "du_bi" as const })))
    .returning("id")
    .execute();
  const users = people.map((p, i) => ({ id: newId(), username: `bench${start + i + 1}`, password_hash: hash, display_name: `Học Viên Số ${start + i + 1}`, person_id: p.id }));
  await db.insertInto("user_account").values(users).execute();
  await db.insertInto("role_assignment").values(users.map((u) => ({ user_id: u.id, role: "trainee" as const, org_unit_id: cell.id }))).execute();
  await db.insertInto("class_enrolment").values(people.map((p) => ({ class_id: klass.id, person_id: p.id }))).execute();
  usernames.push(...users.map((u) => u.username));
}
const checkinMs = Number(values.checkin) * 1000;
const answerMs = Number(values["answer-phase"]) * 1000;
const centreAdmin = (await services.auth.viewerForUsername("canbo.tanlap"))!;
const now = Date.now();
const startAt = now + 25_000 + checkinMs; // after the server has started and everyone has checked in
const examId = await services.exams.createExam(centreAdmin, {
  classId: klass.id,
  title: "Kiểm tra tải",
  opensAt: new Date(now - 60_000),
  closesAt: new Date(startAt + 3_600_000),
  durationMinutes: Math.max(5, Math.ceil((answerMs + 120_000) / 60_000)),
  blueprint: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].flatMap((lesson) => (["nhan_biet", "thong_hieu", "van_dung"] as const).map((level) => ({ lesson, level, count: 1, points: 1 }))),
});
const papers = await services.exams.generatePapers(centreAdmin, examId);
const setupSec = (Date.now() - t0) / 1000;
log(`setup: ${N} accounts, ${papers.created} papers in ${setupSec.toFixed(1)} s`);

// ——— the server under test, in its own process
const port = 3300 + Math.floor(Math.random() * 500);
const server = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
  env: { ...process.env, NODE_ENV: "production", DATABASE_URL: url, DATABASE_POOL_SIZE: "16", PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn" },
  stdio: ["ignore", "ignore", "inherit"],
});
const base = `http://127.0.0.1:${port}`;
for (let i = 0; i < 120; i++) {
  if (await fetch(`${base}/healthz`).then((r) => r.ok).catch(() => false)) break;
  await new Promise((r) => setTimeout(r, 500));
}
const procStat = () => {
  const f = fs.readFileSync(`/proc/${server.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(f[11]) + Number(f[12])) / 100; // utime + stime, in seconds (USER_HZ = 100)
};
const peakRssMB = () => Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${server.pid}/status`, "utf8"))![1]) / 1024;
const cpuStart = procStat();
process.on("exit", () => server.kill("SIGKILL"));

// ——— load
const submitAt = startAt + 5_000 + answerMs;
const checkinEndsAt = startAt - 5_000;
log(`load: ${W} worker processes; check-in ${values.checkin} s, start at +${Math.round((startAt - Date.now()) / 1000)} s, answers for ${values["answer-phase"]} s`);
const tLoad = Date.now();
const reports = await Promise.all(
  Array.from({ length: W }, (_, w) =>
    promisify(execFile)(process.execPath, ["--import", "tsx", "tests/bench/exam-worker.ts", JSON.stringify({ out: `${os.tmpdir()}/${dbName}-w${w}.json`, url: base, examId, users: usernames.filter((_, i) => i % W === w), password, checkinEndsAt, startAt, answerPhaseMs: answerMs, submitAt })]).then(
      () => JSON.parse(fs.readFileSync(`${os.tmpdir()}/${dbName}-w${w}.json`, "utf8")) as { phases: Record<string, number[]>; errors: Record<string, number>; acked: [number, number, number, number[]][] },
    ),
  ),
);
const cpuSec = procStat() - cpuStart;
const wallSec = (Date.now() - tLoad) / 1000;
const peak = peakRssMB();
server.kill("SIGTERM");

// ——— verify: every acknowledged answer is in the database
const acked = reports.flatMap((r) => r.acked);
const rows = await db.selectFrom("attempt_item as i").innerJoin("attempt as a", "a.id", "i.attempt_id").select(["i.attempt_id", "i.position", "i.seq", "i.chosen", "i.option_order"]).where("a.exam_id", "=", examId).execute();
const stored = new Map(rows.map((r) => [`${r.attempt_id}:${r.position}`, r]));
const latestAck = new Map<string, [number, number, number, number[]]>();
for (const a of acked) {
  const k = `${a[0]}:${a[1]}`;
  if (!latestAck.has(k) || latestAck.get(k)![2] < a[2]) latestAck.set(k, a);
}
let lost = 0;
for (const [k, a] of latestAck) {
  const r = stored.get(k);
  const order = (r?.option_order ?? []) as unknown as number[];
  const chosen = (r?.chosen ?? []) as unknown as number[];
  if (!r || r.seq < a[2] || (r.seq === a[2] && JSON.stringify(chosen) !== JSON.stringify(a[3].map((d) => order[d])))) lost++;
}
const submitted = await db.selectFrom("attempt").select((eb) => eb.fn.countAll<number>().as("n")).where("exam_id", "=", examId).where("status", "=", "submitted").executeTakeFirstOrThrow();

const pct = (xs: number[], p: number) => (xs.length ? Math.round(xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]! * 10) / 10 : null);
const phase = (name: string, windowSec: number) => {
  const xs = reports.flatMap((r) => r.phases[name] ?? []).sort((a, b) => a - b);
  const errs = Object.fromEntries(reports.flatMap((r) => Object.entries(r.errors)).filter(([k]) => k.startsWith(`${name}:`)).map(([k, v]) => [k, v]));
  return { count: xs.length, perSec: Math.round(xs.length / windowSec), p50Ms: pct(xs, 50), p95Ms: pct(xs, 95), p99Ms: pct(xs, 99), maxMs: xs.length ? Math.round(xs[xs.length - 1]!) : null, errors: errs };
};
const result = {
  examinees: N,
  questionsPerPaper: 30,
  machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL (same machine)`,
  setupSec: Math.round(setupSec * 10) / 10,
  phases: {
    login: phase("login", checkinMs / 1000),
    start: phase("start", 2),
    answer: phase("answer", answerMs / 1000),
    submit: phase("submit", 1),
  },
  allStartedWithinSec: null as number | null,
  acknowledgedAnswers: acked.length,
  lostAnswers: lost,
  submittedAttempts: Number(submitted.n),
  server: { cpuSeconds: Math.round(cpuSec * 10) / 10, avgCores: Math.round((cpuSec / wallSec) * 100) / 100, peakRssMB: Math.round(peak) },
};
result.allStartedWithinSec = result.phases.start.maxMs === null ? null : Math.round((result.phases.start.maxMs + 2000) / 100) / 10;
console.log(values.json ? JSON.stringify(result) : JSON.stringify(result, null, 2));
await services.close();
if (!values.keep) await admin.query(`drop database ${dbName} with (force)`);
await admin.end();

process.exit(lost === 0 && Number(submitted.n) === N ? 0 : 1);
