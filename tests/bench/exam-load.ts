/**
 * Load benchmark of the exam engine: `npm run bench:exam -- --examinees N [--json]`,
 * and of live proctoring: `npm run bench:proctor -- --examinees N [--room-size 100]
 * [--processes 2]` (tests/bench/proctor-load.ts sets --room-size and --proctors).
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
    /** Trainees per exam session (0: one session for everyone). */
    "room-size": { type: "string", default: "0" },
    /** One proctor per session watching the roster (proctor-worker.ts). */
    proctors: { type: "boolean" },
    /** Server processes sharing PostgreSQL and Redis; trainees stick to one each. */
    processes: { type: "string", default: "1" },
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
const baseClass = await db
  .selectFrom("training_class")
  .select(["id", "centre_id"])
  .where("programme_code", "=", "hd60")
  .executeTakeFirstOrThrow();
const ROOM = Number(values["room-size"]) || N;
const P = Math.max(1, Number(values.processes));
const roomCount = Math.ceil(N / ROOM);
// One class per room (an exam session belongs to a class); the first is the demo's.
const classIds = [baseClass.id];
for (let r = 1; r < roomCount; r++) {
  const c = await db
    .insertInto("training_class")
    .values({ centre_id: baseClass.centre_id, programme_code: "hd60", name: `Lớp tải ${r + 1}` })
    .returning("id")
    .executeTakeFirstOrThrow();
  classIds.push(c.id);
}
const cell = await db.selectFrom("org_unit").select("id").where("kind", "=", "cell").orderBy("id").executeTakeFirstOrThrow();
const password = "bench-password-1";
const hash = await hashPassword(password); // one hash for all: the benchmark measures the exam, not account creation
const usernames: string[] = [];
const t0 = Date.now();
for (let start = 0; start < N; start += 1000) {
  const n = Math.min(1000, N - start);
  const people = await db
    .insertInto("person")
    .values(
      Array.from({ length: n }, (_, i) => ({
        org_unit_id: cell.id,
        full_name: `Học Viên Số ${start + i + 1}`,
        birth_date: "1995-01-01",
        party_status: "du_bi" as const,
      })),
    )
    .returning("id")
    .execute();
  const users = people.map((p, i) => ({
    id: newId(),
    username: `bench${start + i + 1}`,
    password_hash: hash,
    display_name: `Học Viên Số ${start + i + 1}`,
    person_id: p.id,
  }));
  await db.insertInto("user_account").values(users).execute();
  await db
    .insertInto("role_assignment")
    .values(users.map((u) => ({ user_id: u.id, role: "trainee" as const, org_unit_id: cell.id })))
    .execute();
  await db
    .insertInto("class_enrolment")
    .values(people.map((p, i) => ({ class_id: classIds[Math.floor((start + i) / ROOM)]!, person_id: p.id })))
    .execute();
  usernames.push(...users.map((u) => u.username));
}
const checkinMs = Number(values.checkin) * 1000;
const answerMs = Number(values["answer-phase"]) * 1000;
const centreAdmin = (await services.auth.viewerForUsername("canbo.tanlap"))!;
const now = Date.now();
const startAt = now + 25_000 + checkinMs; // after the server has started and everyone has checked in
const examIds: number[] = [];
const papers = { created: 0 };
for (const classId of classIds) {
  const examId = await services.exams.createExam(centreAdmin, {
    classId,
    title: "Kiểm tra tải",
    opensAt: new Date(now - 60_000),
    closesAt: new Date(startAt + 3_600_000),
    durationMinutes: Math.max(5, Math.ceil((answerMs + 120_000) / 60_000)),
    blueprint: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].flatMap((lesson) =>
      (["nhan_biet", "thong_hieu", "van_dung"] as const).map((level) => ({ lesson, level, count: 1, points: 1 })),
    ),
  });
  examIds.push(examId);
  papers.created += (await services.exams.generatePapers(centreAdmin, examId)).created;
}
// Proctors: one account per session, assigned to it, with the proctor role over the centre.
const proctorNames: string[] = [];
if (values.proctors) {
  const centreUnit = await db
    .selectFrom("training_centre")
    .select("org_unit_id")
    .where("id", "=", baseClass.centre_id)
    .executeTakeFirstOrThrow();
  for (let r = 0; r < examIds.length; r++) {
    const id = newId();
    await db
      .insertInto("user_account")
      .values({ id, username: `giamthi${r + 1}`, password_hash: hash, display_name: `Giám thị ${r + 1}` })
      .execute();
    await db.insertInto("role_assignment").values({ user_id: id, role: "proctor", org_unit_id: centreUnit.org_unit_id }).execute();
    await db.insertInto("exam_proctor").values({ exam_id: examIds[r]!, user_id: id, assigned_at: new Date() }).execute();
    proctorNames.push(`giamthi${r + 1}`);
  }
}
const setupSec = (Date.now() - t0) / 1000;
log(`setup: ${N} accounts, ${papers.created} papers in ${setupSec.toFixed(1)} s`);

// ——— the servers under test, each in its own process (with Redis when more than one)
const port = 3300 + Math.floor(Math.random() * 500);
const redisEnv = P > 1 ? { REDIS_URL: process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379", REDIS_PREFIX: `bench-${dbName}` } : {};
const servers = Array.from({ length: P }, (_, i) =>
  spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    env: {
      ...process.env,
      ...redisEnv,
      NODE_ENV: "production",
      DATABASE_URL: url,
      DATABASE_POOL_SIZE: "16",
      PORT: String(port + i),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "ignore", "inherit"],
  }),
);
const bases = servers.map((_, i) => `http://127.0.0.1:${port + i}`);
for (const base of bases) {
  for (let i = 0; i < 120; i++) {
    if (
      await fetch(`${base}/healthz`)
        .then((r) => r.ok)
        .catch(() => false)
    )
      break;
    await new Promise((r) => setTimeout(r, 500));
  }
}
const procStat = () =>
  servers.reduce((sum, server) => {
    const f = fs.readFileSync(`/proc/${server.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return sum + (Number(f[11]) + Number(f[12])) / 100; // utime + stime, in seconds (USER_HZ = 100)
  }, 0);
const peakRssMB = () =>
  Math.max(...servers.map((server) => Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${server.pid}/status`, "utf8"))![1]) / 1024));
const cpuStart = procStat();
process.on("exit", () => servers.forEach((server) => server.kill("SIGKILL")));

// ——— load
const submitAt = startAt + 5_000 + answerMs;
const checkinEndsAt = startAt - 5_000;
log(
  `load: ${P} server process(es), ${examIds.length} session(s), ${proctorNames.length} proctor(s), ${W} worker processes; check-in ${values.checkin} s, start at +${Math.round((startAt - Date.now()) / 1000)} s, answers for ${values["answer-phase"]} s`,
);
const tLoad = Date.now();
type WorkerReport = {
  phases: Record<string, number[]>;
  errors: Record<string, number>;
  acked: [number, number, number, number[], number][];
  integrity: [number, number][];
};
type ProctorReport = { answers: [number, number, number, number][]; events: [number, string, number][]; errors: Record<string, number> };
const proctorReport: Promise<ProctorReport | null> = proctorNames.length
  ? promisify(execFile)(
      process.execPath,
      [
        "--import",
        "tsx",
        "tests/bench/proctor-worker.ts",
        JSON.stringify({
          out: `${os.tmpdir()}/${dbName}-proctors.json`,
          urls: bases,
          proctors: proctorNames.map((u, r) => ({ username: u, examId: examIds[r]! })),
          password,
          joinAt: checkinEndsAt - 10_000,
          until: submitAt + 15_000,
        }),
      ],
      { maxBuffer: 1 << 26 },
    ).then(() => JSON.parse(fs.readFileSync(`${os.tmpdir()}/${dbName}-proctors.json`, "utf8")) as ProctorReport)
  : Promise.resolve(null);
const reports = await Promise.all(
  Array.from({ length: W }, (_, w) =>
    promisify(execFile)(
      process.execPath,
      [
        "--import",
        "tsx",
        "tests/bench/exam-worker.ts",
        JSON.stringify({
          out: `${os.tmpdir()}/${dbName}-w${w}.json`,
          urls: bases,
          examFor: Object.fromEntries(
            usernames.filter((_, i) => i % W === w).map((u) => [u, examIds[Math.floor((Number(u.slice(5)) - 1) / ROOM)]!]),
          ),
          users: usernames.filter((_, i) => i % W === w),
          password,
          checkinEndsAt,
          startAt,
          answerPhaseMs: answerMs,
          submitAt,
          integrity: !!values.proctors,
        }),
      ],
      { maxBuffer: 1 << 26 },
    ).then(() => JSON.parse(fs.readFileSync(`${os.tmpdir()}/${dbName}-w${w}.json`, "utf8")) as WorkerReport),
  ),
);
const proctors = await proctorReport;
const cpuSec = procStat() - cpuStart;
const wallSec = (Date.now() - tLoad) / 1000;
const peak = peakRssMB();
servers.forEach((server) => server.kill("SIGTERM"));

// ——— verify: every acknowledged answer is in the database
const acked = reports.flatMap((r) => r.acked);
const rows = await db
  .selectFrom("attempt_item as i")
  .innerJoin("attempt as a", "a.id", "i.attempt_id")
  .select(["i.attempt_id", "i.position", "i.seq", "i.chosen", "i.option_order"])
  .where("a.exam_id", "in", examIds)
  .execute();
const stored = new Map(rows.map((r) => [`${r.attempt_id}:${r.position}`, r]));
const latestAck = new Map<string, [number, number, number, number[], number]>();
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
const submitted = await db
  .selectFrom("attempt")
  .select((eb) => eb.fn.countAll<number>().as("n"))
  .where("exam_id", "in", examIds)
  .where("status", "=", "submitted")
  .executeTakeFirstOrThrow();

// ——— what the proctors saw: each acknowledged answer and integrity event, from the
// trainee's send to the proctor's receipt (same machine clock, milliseconds)
let proctorView: Record<string, unknown> | null = null;
if (proctors) {
  const seen = new Map(proctors.answers.map(([attemptId, position, seq, at]) => [`${attemptId}:${position}:${seq}`, at]));
  const answerLag: number[] = [];
  let unseen = 0;
  for (const a of acked) {
    const at = seen.get(`${a[0]}:${a[1]}:${a[2]}`);
    if (at === undefined) unseen++;
    else answerLag.push(Math.max(0, at - a[4]));
  }
  const events = new Map(proctors.events.filter((e) => e[1] === "page_hidden").map(([attemptId, , at]) => [attemptId, at]));
  const eventLag: number[] = [];
  let eventsUnseen = 0;
  for (const [attemptId, sentAt] of reports.flatMap((r) => r.integrity)) {
    const at = events.get(attemptId);
    if (at === undefined) eventsUnseen++;
    else eventLag.push(Math.max(0, at - sentAt));
  }
  answerLag.sort((a, b) => a - b);
  eventLag.sort((a, b) => a - b);
  const stats = (xs: number[]) => ({
    count: xs.length,
    p50Ms: pct(xs, 50),
    p95Ms: pct(xs, 95),
    p99Ms: pct(xs, 99),
    maxMs: xs.length ? xs[xs.length - 1] : null,
  });
  proctorView = {
    proctors: proctorNames.length,
    answers: { ...stats(answerLag), unseen },
    integrityEvents: { ...stats(eventLag), unseen: eventsUnseen },
    errors: proctors.errors,
  };
}

function pct(xs: number[], p: number) {
  return xs.length ? Math.round(xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]! * 10) / 10 : null;
}
const phase = (name: string, windowSec: number) => {
  const xs = reports.flatMap((r) => r.phases[name] ?? []).sort((a, b) => a - b);
  const errs = Object.fromEntries(
    reports
      .flatMap((r) => Object.entries(r.errors))
      .filter(([k]) => k.startsWith(`${name}:`))
      .map(([k, v]) => [k, v]),
  );
  return {
    count: xs.length,
    perSec: Math.round(xs.length / windowSec),
    p50Ms: pct(xs, 50),
    p95Ms: pct(xs, 95),
    p99Ms: pct(xs, 99),
    maxMs: xs.length ? Math.round(xs[xs.length - 1]!) : null,
    errors: errs,
  };
};
const result = {
  examinees: N,
  sessions: examIds.length,
  serverProcesses: P,
  answerWritersPerProcess: loadConfig(process.env).ANSWER_WRITERS,
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
  proctorView,
  server: { cpuSeconds: Math.round(cpuSec * 10) / 10, avgCores: Math.round((cpuSec / wallSec) * 100) / 100, peakRssMB: Math.round(peak) },
};
result.allStartedWithinSec = result.phases.start.maxMs === null ? null : Math.round((result.phases.start.maxMs + 2000) / 100) / 10;
console.log(values.json ? JSON.stringify(result) : JSON.stringify(result, null, 2));
await services.close();
if (!values.keep) await admin.query(`drop database ${dbName} with (force)`);
await admin.end();

process.exit(lost === 0 && Number(submitted.n) === N ? 0 : 1);
