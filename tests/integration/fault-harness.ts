/**
 * Tools for the exam fault tests (tests/integration/exam-faults.test.ts): a real
 * server process that can be SIGKILLed and restarted, a throw-away PostgreSQL
 * instance that can be restarted without touching the shared one, and simulated
 * trainees that behave like the web client (app/components/exam/runner.tsx): every
 * answer goes into a journal first, is sent over Socket.IO with the HTTP fallback,
 * leaves the journal only when acknowledged, and the journal is replayed in sequence
 * order on reconnect and on a timer.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { io, type Socket } from "socket.io-client";
import type { Database } from "../../server/db";
import { loadConfig } from "../../server/config";
import { createLogger } from "../../server/logger";
import { createServices } from "../../server/services";
import { seedDemo } from "../../server/seed/demo";
import { hashPassword } from "../../server/auth/password";
import { newId } from "../../server/accounts/service";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `check` returns true, polling; fails with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 60_000,
  everyMs = 100,
  state?: () => string,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}${state ? `\n${state()}` : ""}`);
    await sleep(everyMs);
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

// ——— the production build the server process serves

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * The server runs in production mode, which needs a Remix build. Uses BUILD_DIR when
 * given (CI builds once), else a build under node_modules/.cache, rebuilt when app/
 * changed since (the server itself runs from source under tsx). A build is made in a
 * side folder and renamed into place, so a concurrent run never sees half a build; if
 * the rebuild fails (a half-edited working tree) and an older build exists, that one
 * serves: these tests exercise the server, not the pages.
 */
let ensured: string | null = null;
export function ensureBuild(): string {
  if (ensured) return ensured; // once per test process, even when the rebuild failed
  const given = process.env.BUILD_DIR;
  const dir = given ? path.resolve(ROOT, given) : path.join(ROOT, "node_modules/.cache/boi-duong-fault-build");
  const entry = path.join(dir, "server/index.js");
  const exists = fs.existsSync(entry);
  if (!exists || (!given && fs.statSync(entry).mtimeMs < newestMtime(path.join(ROOT, "app")))) {
    const side = `${dir}.tmp-${process.pid}`;
    try {
      fs.rmSync(side, { recursive: true, force: true });
      execFileSync(path.join(ROOT, "node_modules/.bin/remix"), ["vite:build"], {
        cwd: ROOT,
        env: { ...process.env, BUILD_DIR: side },
        stdio: "pipe",
        timeout: 240_000,
      });
      fs.rmSync(dir, { recursive: true, force: true });
      fs.renameSync(side, dir);
    } catch (e) {
      fs.rmSync(side, { recursive: true, force: true });
      if (!exists) throw e;
      console.warn(`exam fault tests: rebuilding failed, using the previous build in ${dir}`);
    }
  }
  // The build is an ES module that imports react & co. Outside the repository (a
  // BUILD_DIR in /tmp) Node finds neither the project's "type": "module" nor its
  // node_modules, so give the build folder both.
  if (!fs.existsSync(path.join(dir, "package.json"))) fs.writeFileSync(path.join(dir, "package.json"), '{ "type": "module" }\n');
  if (path.relative(ROOT, dir).startsWith("..") && !fs.existsSync(path.join(dir, "node_modules")))
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  ensured = dir;
  return dir;
}

// ——— the server under test, in its own process

export interface ServerProcess {
  url: string;
  proc: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The process's output so far (for a failing test's message). */
  output(): string;
  alive(): boolean;
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `tsx server/main.ts` (production mode) and waits for /healthz. */
export async function startServer(opts: { port: number; buildDir: string; env: Record<string, string> }): Promise<ServerProcess> {
  const proc = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "production",
      DEMO_SEED: "0",
      PORT: String(opts.port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      BUILD_DIR: opts.buildDir,
      ...opts.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const keep = (b: Buffer) => (out = (out + b.toString()).slice(-20_000));
  proc.stdout!.on("data", keep);
  proc.stderr!.on("data", keep);
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once("exit", (code, signal) => {
      done = true;
      resolve({ code, signal });
    }),
  );
  const url = `http://127.0.0.1:${opts.port}`;
  const server: ServerProcess = {
    url,
    proc,
    exited,
    output: () => out,
    alive: () => !done,
    async kill(signal) {
      if (!done) proc.kill(signal);
      return exited;
    },
  };
  try {
    await waitFor(
      "the server's /healthz",
      async () => {
        if (done) throw new Error(`the server exited while starting:\n${out}`);
        return fetch(`${url}/healthz`)
          .then((r) => r.ok)
          .catch(() => false);
      },
      120_000,
      250,
    );
  } catch (e) {
    await server.kill("SIGKILL");
    throw e;
  }
  return server;
}

// ——— a throw-away PostgreSQL instance (never the shared one on 5432)

export interface PgInstance {
  port: number;
  adminUrl: string;
  stop(mode: "fast" | "immediate"): void;
  start(): void;
  destroy(): void;
}

function pgBin(): string {
  const base = "/usr/lib/postgresql";
  const versions = fs.existsSync(base) ? fs.readdirSync(base).filter((v) => fs.existsSync(path.join(base, v, "bin/initdb"))) : [];
  if (!versions.length) throw new Error("PostgreSQL binaries not found under /usr/lib/postgresql/*/bin");
  return path.join(base, versions.sort((a, b) => Number(b) - Number(a))[0]!, "bin");
}

/**
 * initdb + pg_ctl start on a free port in a temp folder. initdb refuses to run as root
 * (stack.md, trap 7), so the server runs as the `postgres` user when we are root.
 */
export async function startPgInstance(): Promise<PgInstance> {
  const bin = pgBin();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bd-fault-pg-"));
  const data = path.join(dir, "data");
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync("chown", ["postgres:postgres", dir]);
  const run = (cmd: string, args: string[]) =>
    asRoot
      ? execFileSync("runuser", ["-u", "postgres", "--", path.join(bin, cmd), ...args], { stdio: "pipe", timeout: 120_000 })
      : execFileSync(path.join(bin, cmd), args, { stdio: "pipe", timeout: 120_000 });
  run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale", "C"]);
  const start = () =>
    run("pg_ctl", [
      "-D",
      data,
      "-l",
      path.join(data, "server.log"),
      "-o",
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=60`,
      "-w",
      "-t",
      "60",
      "start",
    ]);
  start();
  return {
    port,
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: (mode) => run("pg_ctl", ["-D", data, "-m", mode, "-w", "-t", "60", "stop"]),
    start,
    destroy() {
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } catch {
        // Already stopped.
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ——— a trainee that behaves like the web client

interface Entry {
  attemptId: number;
  position: number;
  chosen: number[];
  flagged: boolean;
  seq: number;
}
type AnswerAck = { ok: true; position: number; seq: number; applied: boolean } | { ok: false; error: string; message?: string };

export interface PaperItem {
  position: number;
  options: string[];
}

export class Trainee {
  cookie = "";
  socket: Socket | null = null;
  attemptId = 0;
  /** The device token `exam:start` handed out (decision 018): sent with every answer. */
  deviceToken = "";
  deadline = "";
  items: PaperItem[] = [];
  /** Unacknowledged answers by position (the web client's IndexedDB journal). */
  readonly journal = new Map<number, Entry>();
  /** Every acknowledged answer: what must never be lost. */
  readonly acked: Entry[] = [];
  /** Sends that got no `ok: true` (timeout, dropped connection, server_error, HTTP failure). */
  failures = 0;
  lastError = "";
  /** Answers the server refused for good (not a retryable server_error); must stay empty. */
  readonly refused: string[] = [];
  step = "";
  /** Socket.IO handshakes refused with `server_error` (retried). */
  handshakeRefusals = 0;
  /** Answers that reached the server through the HTTP fallback. */
  httpAcks = 0;
  /** Acknowledgements of `exam:sync` after each (re)connection. */
  readonly syncs: { at: number; deadline: string; secondsLeft: number; serverNow: string }[] = [];
  private seq = 0;
  private flushing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly username: string,
    private readonly base: string,
  ) {}

  /** Logs in over HTTP, like the login form. */
  async login(password: string) {
    const res = await fetch(`${this.base}/dang-nhap`, {
      method: "POST",
      body: new URLSearchParams({ username: this.username, password }),
      redirect: "manual",
    });
    const cookie = res.headers.get("set-cookie")?.split(";")[0];
    if (!cookie?.startsWith("bd_session=")) throw new Error(`login of ${this.username} failed: HTTP ${res.status}`);
    this.cookie = cookie;
  }

  /** Connects and, like the runner, syncs and replays the journal on every (re)connection. */
  connect(): Promise<void> {
    const socket = io(this.base, {
      transports: ["websocket"],
      extraHeaders: { cookie: this.cookie },
      reconnectionDelay: 250,
      reconnectionDelayMax: 1000,
    });
    this.socket = socket;
    socket.on("connect", () => {
      if (!this.attemptId) return;
      void socket
        .timeout(10_000)
        .emitWithAck("exam:sync", { attemptId: this.attemptId })
        .then((r: { ok: boolean; deadline: string; secondsLeft: number; serverNow: string }) => {
          if (r.ok) this.syncs.push({ at: Date.now(), deadline: r.deadline, secondsLeft: r.secondsLeft, serverNow: r.serverNow });
        })
        .catch(() => undefined);
      void this.flush();
    });
    // A handshake refused by the server's middleware is not retried by socket.io-client
    // itself; the protocol says to retry `server_error` (the session check failed, e.g.
    // the database is down) with back-off.
    socket.on("connect_error", (err) => {
      if (err.message !== "server_error") return;
      this.handshakeRefusals++;
      setTimeout(() => {
        if (this.timer) socket.connect();
      }, 2000);
    });
    // The runner retries its journal every 5 s; a shorter period keeps the test quick.
    this.timer = setInterval(() => void this.flush(), 1000);
    return new Promise((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", (e) => (e.message === "unauthorized" ? reject(e) : undefined));
    });
  }

  async start(examId: number) {
    const r = (await this.socket!.timeout(30_000).emitWithAck("exam:start", { examId, deviceId: `fault-${this.username}` })) as
      | { ok: true; attemptId: number; deadline: string; items: PaperItem[]; deviceToken: string }
      | { ok: false; error: string; message?: string };
    if (!r.ok) throw new Error(`exam:start for ${this.username}: ${r.error} ${r.message ?? ""}`);
    this.attemptId = r.attemptId;
    this.deviceToken = r.deviceToken;
    this.deadline = r.deadline;
    this.items = r.items;
    return r;
  }

  /** A new answer: journal first, then send (runner.tsx `record`). */
  async answer(position: number, chosen: number[]) {
    const e: Entry = { attemptId: this.attemptId, position, chosen, flagged: false, seq: ++this.seq };
    this.journal.set(position, e);
    await this.send(e);
  }

  /** A random answer to a random question. */
  async answerRandomly() {
    const item = this.items[Math.floor(Math.random() * this.items.length)]!;
    await this.answer(item.position, [Math.floor(Math.random() * item.options.length)]);
  }

  /** Socket.IO first, the HTTP fallback when the socket is down or does not answer (runner.tsx `send`). */
  private async send(e: Entry) {
    let r: AnswerAck | null = null;
    this.step = `emit ${e.seq}`;
    const payload = { ...e, deviceToken: this.deviceToken };
    if (this.socket?.connected)
      r = (await this.socket
        .timeout(5000)
        .emitWithAck("exam:answer", payload)
        .catch(() => null)) as AnswerAck | null;
    let viaHttp = false;
    if (!r) {
      viaHttp = true;
      this.step = `fetch ${e.seq}`;
      r = await fetch(`${this.base}/api/thi/${this.attemptId}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", cookie: this.cookie },
        body: JSON.stringify({ type: "answer", ...payload }),
        signal: AbortSignal.timeout(10_000),
      })
        .then((res) => res.json() as Promise<AnswerAck>)
        .catch(() => null);
    }
    this.step = `done ${e.seq}`;
    if (r?.ok) {
      this.acked.push(e);
      if (viaHttp) this.httpAcks++;
      const pending = this.journal.get(e.position);
      if (pending && pending.seq <= r.seq) this.journal.delete(e.position);
    } else {
      this.failures++;
      this.lastError = r ? r.error : "no answer";
      if (r && r.error !== "server_error") {
        // Refused for good (the runner drops such an entry and shows why): in these tests always a failure.
        this.refused.push(`${this.username} câu ${e.position} seq ${e.seq}: ${r.error} ${r.message ?? ""}`);
        if (this.journal.get(e.position)?.seq === e.seq) this.journal.delete(e.position);
      }
    }
  }

  /** Replays the journal in sequence order; one replay at a time. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    // Cleared with .finally() on the stored promise: an async body that finished at once
    // (empty journal) would otherwise clear `flushing` before it was even assigned.
    const run = (async () => {
      for (const e of [...this.journal.values()].sort((a, b) => a.seq - b.seq)) await this.send(e);
    })().finally(() => {
      if (this.flushing === run) this.flushing = null;
    });
    this.flushing = run;
    return run;
  }

  /** One line for a failing test's message. */
  describe(): string {
    return `${this.username}: connected=${!!this.socket?.connected} syncs=${this.syncs.length} journal=${this.journal.size} http=${this.httpAcks} refusals=${this.handshakeRefusals} acked=${this.acked.length} failures=${this.failures} lastError=${this.lastError} step=${this.step} flushing=${!!this.flushing}`;
  }

  close() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.socket?.close();
  }
}

/**
 * Checks in the database that every acknowledged answer is stored: per question, the
 * stored sequence number is at least the highest acknowledged one, and when equal the
 * stored option (mapped from the display order through the paper's option order) is
 * the acknowledged one. Returns the problems found (empty when nothing was lost).
 */
export async function lostAnswers(db: Database, trainees: Pick<Trainee, "username" | "attemptId" | "acked">[]): Promise<string[]> {
  const ids = trainees.map((t) => t.attemptId);
  const rows = await db
    .selectFrom("attempt_item")
    .select(["attempt_id", "position", "seq", "chosen", "option_order"])
    .where("attempt_id", "in", ids)
    .execute();
  const stored = new Map(rows.map((r) => [`${r.attempt_id}:${r.position}`, r]));
  const problems: string[] = [];
  for (const t of trainees) {
    const latest = new Map<number, Entry>();
    for (const a of t.acked) if ((latest.get(a.position)?.seq ?? 0) < a.seq) latest.set(a.position, a);
    for (const [position, a] of latest) {
      const r = stored.get(`${t.attemptId}:${position}`);
      if (!r) {
        problems.push(`${t.username} câu ${position}: không có trong cơ sở dữ liệu`);
        continue;
      }
      const order = r.option_order as unknown as number[];
      const chosen = (r.chosen ?? []) as unknown as number[];
      if (r.seq < a.seq) problems.push(`${t.username} câu ${position}: đã xác nhận seq ${a.seq}, lưu seq ${r.seq}`);
      else if (r.seq === a.seq && JSON.stringify(chosen) !== JSON.stringify(a.chosen.map((d) => order[d])))
        problems.push(
          `${t.username} câu ${position}: seq ${a.seq} lưu ${JSON.stringify(chosen)}, đã xác nhận ${JSON.stringify(a.chosen.map((d) => order[d]))}`,
        );
    }
  }
  return problems;
}

// ——— an exam to sit (shared by the fault tests and the backup test)

export const FAULT_PASSWORD = "fault-password-1";
export const FAULT_EXAM_MINUTES = 30;

/**
 * Seeds the demo, `count` trainee accounts (password FAULT_PASSWORD) in the HD 60 class and a 10-question exam
 * open now, with papers drawn ahead; closes the database again (with PGlite only one
 * process may hold the folder, and the server is about to).
 */
export async function prepareFaultExam(env: Record<string, string>, count: number): Promise<{ examId: number; usernames: string[] }> {
  const services = await createServices(loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", ...env }), { logger: createLogger("silent") });
  try {
    await services.curricula.syncFromFiles();
    await services.questions.syncSeedBanks();
    await seedDemo(services.db);
    const db = services.db;
    const klass = await db.selectFrom("training_class").select("id").where("programme_code", "=", "hd60").executeTakeFirstOrThrow();
    const cell = await db.selectFrom("org_unit").select("id").where("kind", "=", "cell").orderBy("id").executeTakeFirstOrThrow();
    const hash = await hashPassword(FAULT_PASSWORD);
    const people = await db
      .insertInto("person")
      .values(
        Array.from({ length: count }, (_, i) => ({
          org_unit_id: cell.id,
          full_name: `Học Viên Sự Cố ${i + 1}`,
          birth_date: "1990-05-01",
          party_status: "du_bi" as const,
        })),
      )
      .returning("id")
      .execute();
    const users = people.map((p, i) => ({
      id: newId(),
      username: `suco${i + 1}`,
      password_hash: hash,
      display_name: `Học Viên Sự Cố ${i + 1}`,
      person_id: p.id,
    }));
    await db.insertInto("user_account").values(users).execute();
    await db
      .insertInto("role_assignment")
      .values(users.map((u) => ({ user_id: u.id, role: "trainee" as const, org_unit_id: cell.id })))
      .execute();
    await db
      .insertInto("class_enrolment")
      .values(people.map((p) => ({ class_id: klass.id, person_id: p.id })))
      .execute();
    const centreAdmin = (await services.auth.viewerForUsername("canbo.tanlap"))!;
    const now = Date.now();
    const examId = await services.exams.createExam(centreAdmin, {
      classId: klass.id,
      title: "Kiểm tra sự cố máy chủ",
      opensAt: new Date(now - 60_000),
      closesAt: new Date(now + 3 * 3_600_000),
      durationMinutes: FAULT_EXAM_MINUTES,
      blueprint: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((lesson) => ({ lesson, level: "nhan_biet" as const, count: 1, points: 1 })),
    });
    await services.exams.generatePapers(centreAdmin, examId);
    return { examId, usernames: users.map((u) => u.username) };
  } finally {
    await services.close();
  }
}

/** Every trainee answers at a steady pace until `stop()`; the loops never throw into the void. */
export function answerLoops(trainees: Trainee[]) {
  let running = true;
  const errors: string[] = [];
  const loops = trainees.map(async (t) => {
    while (running) {
      await t.answerRandomly().catch((e: Error) => errors.push(e.message));
      await sleep(15 + Math.random() * 30);
    }
  });
  return {
    errors,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}
