/**
 * Benchmark: a cached lesson page, as a logged-in trainee requests it.
 * `npm run bench:lesson [-- --requests 2000 --concurrency 20 --json]`
 * Runs the production build in this process on a fresh embedded database (or
 * DATABASE_URL), warms the compile cache, then measures latency and throughput.
 */
import http from "node:http";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import { loadConfig } from "../../server/config";
import { createLogger } from "../../server/logger";
import { createServices } from "../../server/services";
import { createHttpApp } from "../../server/http/app";
import { seedDemo, DEMO_PASSWORD } from "../../server/seed/demo";

// React picks its production build from NODE_ENV when the server build is imported below.
process.env.NODE_ENV = "production";
const { values } = parseArgs({
  options: { requests: { type: "string", default: "2000" }, concurrency: { type: "string", default: "20" }, json: { type: "boolean" } },
});
const total = Number(values.requests);
const concurrency = Number(values.concurrency);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-lesson-"));
const config = loadConfig({ ...process.env, NODE_ENV: "production", DATA_DIR: dataDir, LOG_LEVEL: "silent" });
const services = await createServices(config, { logger: createLogger("silent") });
await services.curricula.syncFromFiles();
await services.questions.syncSeedBanks();
await seedDemo(services.db);
const { app } = await createHttpApp(services, { root: process.cwd(), dev: false });
const server = http.createServer(app);
await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

const login = await fetch(`${base}/dang-nhap`, {
  method: "POST",
  body: new URLSearchParams({ username: "hocvien", password: DEMO_PASSWORD }),
  redirect: "manual",
});
const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
const url = `${base}/hoc-tap/hd61/cuong-linh`;

const coldStart = performance.now();
const first = await fetch(url, { headers: { cookie } });
const firstBody = await first.text();
const gz = await new Promise<number>((resolve) =>
  http.get(url, { headers: { cookie, "accept-encoding": "gzip" } }, (res) => {
    let n = 0;
    res.on("data", (c: Buffer) => (n += c.length));
    res.on("end", () => resolve(n));
  }),
);
const coldMs = performance.now() - coldStart;
if (first.status !== 200) throw new Error(`lesson page answered ${first.status}`);

// The load comes from a separate process, so the CPU measured here is the server's.
const cpu0 = process.cpuUsage();
const run = await promisify(execFile)(
  process.execPath,
  [
    "--import",
    "tsx",
    "tests/bench/http-load.ts",
    JSON.stringify({ url, cookie, total, concurrency, headers: { "accept-encoding": "gzip" } }),
  ],
  { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
);
const cpu = process.cpuUsage(cpu0);
const { latencies, errors, elapsedSec: elapsed } = JSON.parse(run.stdout) as { latencies: number[]; errors: number; elapsedSec: number };
latencies.sort((a, b) => a - b);
const pct = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]! * 10) / 10;
const result = {
  page: "/hoc-tap/hd61/cuong-linh (Bài 2, the longest lesson)",
  database: services.dbKind,
  requests: latencies.length,
  errors,
  concurrency,
  firstRequestMs: Math.round(coldMs),
  htmlBytes: Buffer.byteLength(firstBody),
  gzipBytes: gz,
  throughputPerSec: Math.round(latencies.length / elapsed),
  p50Ms: pct(50),
  p95Ms: pct(95),
  p99Ms: pct(99),
  serverCpuMsPerRequest: Math.round(((cpu.user + cpu.system) / 1000 / latencies.length) * 100) / 100,
  peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
};
console.log(values.json ? JSON.stringify(result) : result);
server.close();
await services.close();
fs.rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
