/**
 * Server start time: process start → listening, from source under tsx (how production
 * ran before decision 030) and from the bundle (`node build/server/main.js`).
 *   npm run bench:start [-- --runs 5 --port 3290 --json]
 * Both start in production mode on the embedded database with an existing data folder
 * (one unmeasured start creates it: migrations, lessons, seed banks, demo data), so the
 * figure is what a restart costs. The clock stops when the server prints its
 * "đang chạy tại" line, which it does right after `listen` succeeds. Runs alternate
 * between the two so a busy moment on the machine hits both. Numbers for planning, not a test.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { runs: { type: "string" }, port: { type: "string" }, json: { type: "boolean" } } });
const runs = Number(values.runs ?? 5);
const port = Number(values.port ?? 3290);
const root = process.cwd();
const bundle = path.join(root, "build/server/main.js");
if (!fs.existsSync(bundle) || !fs.existsSync(path.join(root, "build/server/index.js"))) {
  console.error("Chưa có bản dựng: chạy `npm run build` trước (npm run bench:start làm việc này).");
  process.exit(2);
}

const variants = {
  // The former Dockerfile CMD and `npm run serve`: the tsx CLI starts a second node with its loader.
  tsx: [path.join(root, "node_modules/.bin/tsx"), "server/main.ts"],
  bundle: [process.execPath, "build/server/main.js"],
} as const;
type Variant = keyof typeof variants;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bd-bench-start-"));
const env: Record<string, string | undefined> = {
  ...process.env,
  NODE_ENV: "production",
  DEMO_SEED: "1",
  PORT: String(port),
  HOST: "127.0.0.1",
  DATA_DIR: dataDir,
  LOG_LEVEL: "warn",
};
delete env.DATABASE_URL;

/** Milliseconds from spawn to the "listening" line; the process is then stopped cleanly. */
function startOnce(variant: Variant): Promise<number> {
  const [cmd, ...args] = variants[variant];
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const proc = spawn(cmd, [...args], { cwd: root, env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    let ms: number | null = null;
    proc.stdout.on("data", (c: Buffer) => {
      out += c.toString();
      if (ms === null && out.includes("đang chạy tại")) {
        ms = performance.now() - t0;
        proc.kill("SIGTERM");
      }
    });
    proc.stderr.on("data", (c: Buffer) => (err += c.toString()));
    proc.on("exit", (code) => {
      if (ms !== null) resolve(ms);
      else reject(new Error(`${variant} exited (${code}) before listening:\n${err || out}`));
    });
  });
}

// The first start creates the database; not measured.
await startOnce("bundle");
const times: Record<Variant, number[]> = { tsx: [], bundle: [] };
for (let i = 0; i < runs; i++) {
  for (const v of Object.keys(variants) as Variant[]) times[v].push(await startOnce(v));
}
fs.rmSync(dataDir, { recursive: true, force: true });

const summary = Object.fromEntries(
  (Object.keys(times) as Variant[]).map((v) => {
    const s = [...times[v]].sort((a, b) => a - b);
    return [
      v,
      {
        median: Math.round(s[Math.floor(s.length / 2)]),
        min: Math.round(s[0]),
        max: Math.round(s[s.length - 1]),
        runs: times[v].map(Math.round),
      },
    ];
  }),
);
if (values.json) console.log(JSON.stringify(summary));
else
  for (const [v, s] of Object.entries(summary))
    console.log(`${v.padEnd(7)} median ${s.median} ms  (min ${s.min}, max ${s.max}; runs ${s.runs.join(", ")})`);
