/**
 * Backups of the embedded database (issue #14 item 10, decision 027): a real server
 * process runs an exam; `npm run cli -- backup` copies its data folder while trainees keep
 * answering; the copy restored into a fresh DATA_DIR holds every answer acknowledged
 * before the backup started, the receipts verify on a server started on it, and the
 * exam can go on there. A damaged file and a restore while the server runs are refused
 * and change nothing. PostgreSQL backups are pg_dump's (docs/deployment.md#backups).
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../server/db";
import { TEST_DB } from "./harness";
import {
  answerLoops,
  ensureBuild,
  FAULT_PASSWORD,
  freePort,
  lostAnswers,
  prepareFaultExam,
  ROOT,
  startServer,
  Trainee,
  waitFor,
  type ServerProcess,
} from "./fault-harness";

const TRAINEES = 4;

/** `npm run cli -- <args>` as the operator would run it (tsx, the real entry point). */
function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "server/cli/main.ts", ...args],
      { cwd: ROOT, env: { ...process.env, LOG_LEVEL: "warn", ...env }, timeout: 180_000 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

/**
 * The folders beside `dir` and, with `deep`, the names and sizes of everything in it:
 * "nothing changed" is this staying equal. While a server runs, its database files grow
 * with every answer, so only the top level is compared then.
 */
function listing(dir: string, deep = true): string[] {
  const out: string[] = fs.readdirSync(path.dirname(dir)).map((n) => `sibling ${n}`);
  if (!deep) return [...out, ...fs.readdirSync(dir).map((n) => `top ${n}`)].sort();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(`${path.relative(dir, p)} ${fs.statSync(p).size}`);
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out.sort();
}

describe.skipIf(TEST_DB !== "pglite")("backups of the embedded database (pglite)", () => {
  let root: string;
  let buildDir: string;
  let server: ServerProcess | null = null;
  let trainees: Trainee[] = [];
  const env = () => ({ DATA_DIR: path.join(root, "data") });
  let examId: number;
  let usernames: string[];

  beforeAll(async () => {
    buildDir = ensureBuild();
    root = fs.mkdtempSync(path.join(os.tmpdir(), "bd-backup-"));
    ({ examId, usernames } = await prepareFaultExam(env(), TRAINEES));
    // A survey key as the server makes it the first time a survey is answered (decision 017).
    fs.writeFileSync(path.join(root, "data/survey-seal.key"), randomBytes(32).toString("base64") + "\n", { mode: 0o600 });
  }, 400_000);

  afterAll(async () => {
    for (const t of trainees) t.close();
    await server?.kill("SIGKILL");
    fs.rmSync(root, { recursive: true, force: true });
  }, 60_000);

  it("restores a backup taken mid-exam with every answer acknowledged before it; refuses a damaged file and a running server", async () => {
    const port = await freePort();
    server = await startServer({ port, buildDir, env: env() });
    trainees = usernames.map((u) => new Trainee(u, server!.url));
    for (const t of trainees) await t.login(FAULT_PASSWORD);
    await Promise.all(trainees.map((t) => t.connect()));
    for (const t of trainees) await t.start(examId);

    // The first trainee answers and submits: a receipt to verify after the restore.
    const [early, ...others] = trainees as [Trainee, ...Trainee[]];
    for (const item of early.items) await early.answer(item.position, [0]);
    const submitted = (await early
      .socket!.timeout(30_000)
      .emitWithAck("exam:submit", { attemptId: early.attemptId, deviceToken: early.deviceToken })) as { ok: boolean; receipt: string };
    expect(submitted).toMatchObject({ ok: true });

    // The others keep answering through the backup.
    const load = answerLoops(others);
    await waitFor("15 acknowledged answers per trainee", () => others.every((t) => t.acked.length >= 15), 120_000);
    const before = trainees.map((t) => ({ username: t.username, attemptId: t.attemptId, acked: [...t.acked] }));
    const ackedBefore = others.map((t) => t.acked.length);
    const file = path.join(root, "sao-luu.tar");
    const backup = await cli(["backup", "--out", file, "--json"], env());
    expect(backup, backup.stderr).toMatchObject({ code: 0 });
    const report = JSON.parse(backup.stdout) as {
      manifest: { takenBy: string; sealKey: unknown; counts: { answers: number } };
      bytes: number;
      heldMs: number;
    };
    console.log(`backup: ${report.bytes} bytes, the database connection held for ${report.heldMs} ms`);
    expect(report.manifest.takenBy).toBe("server"); // the running server made the copy: the CLI never opened its folder
    expect(report.manifest.sealKey).not.toBeNull();
    // The server answered all along: answers were acknowledged while the backup ran and after it.
    await waitFor("answers acknowledged after the backup", () => others.every((t, i) => t.acked.length > ackedBefore[i]! + 5), 60_000);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    // A restore while the server holds the folder is refused and changes nothing.
    const live = listing(env().DATA_DIR, false);
    const refused = await cli(["restore", file], env());
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("dừng máy chủ");
    expect(listing(env().DATA_DIR, false)).toEqual(live);
    // So is any other command that would open the folder a second time.
    const seed = await cli(["seed", "--demo"], env());
    expect(seed.code).not.toBe(0);
    expect(seed.stderr).toContain("đang được một tiến trình Bồi Dưỡng khác sử dụng");

    await load.stop();
    expect(load.errors).toEqual([]);
    expect(trainees.flatMap((t) => t.refused)).toEqual([]);
    for (const t of trainees) t.close();
    expect(await server.kill("SIGTERM")).toMatchObject({ code: 0 });
    server = null;

    // A damaged file (one byte changed, or cut short) is refused and changes nothing, even with the server stopped.
    const bytes = fs.readFileSync(file);
    const flipped = Buffer.from(bytes);
    flipped[Math.floor(bytes.length / 2)]! ^= 0xff;
    fs.writeFileSync(path.join(root, "hong.tar"), flipped);
    fs.writeFileSync(path.join(root, "cut.tar"), bytes.subarray(0, Math.floor(bytes.length * 0.7)));
    const stopped = listing(env().DATA_DIR);
    for (const bad of ["hong.tar", "cut.tar"]) {
      const r = await cli(["restore", path.join(root, bad)], env());
      expect(r.code, bad).not.toBe(0);
      expect(r.stderr, bad).toContain("Tệp sao lưu bị hỏng");
      expect(listing(env().DATA_DIR)).toEqual(stopped);
    }

    // The good file, restored into a fresh folder, holds every answer acknowledged before the backup.
    const restoredEnv = { DATA_DIR: path.join(root, "restored", "data") };
    const restored = await cli(["restore", file], restoredEnv);
    expect(restored, restored.stderr).toMatchObject({ code: 0 });
    expect(fs.readFileSync(path.join(restoredEnv.DATA_DIR, "survey-seal.key"), "utf8")).toBe(
      fs.readFileSync(path.join(env().DATA_DIR, "survey-seal.key"), "utf8"),
    );
    const secrets = async (dataDir: string) => {
      const h = await openDatabase({ dataDir: path.join(dataDir, "pglite") });
      try {
        return {
          lost: await lostAnswers(h.db, before),
          secrets: await h.db.selectFrom("server_secret").select(["name", "value"]).orderBy("name").execute(),
          answers: Number(
            (
              await h.db
                .selectFrom("attempt_item")
                .select((eb) => eb.fn.countAll<number>().as("n"))
                .where("seq", ">", 0)
                .executeTakeFirstOrThrow()
            ).n,
          ),
        };
      } finally {
        await h.close();
      }
    };
    const copy = await secrets(restoredEnv.DATA_DIR);
    expect(copy.lost).toEqual([]);
    expect(copy.answers).toBeGreaterThan(0);
    const original = await secrets(env().DATA_DIR);
    expect(original.lost).toEqual([]);
    // The receipt key (and the other shared secrets) came along: receipts made after the restore match those made before.
    expect(copy.secrets).toEqual(original.secrets);
    expect(copy.secrets.map((s) => s.name)).toContain("receipt_hmac_v1");

    // A server on the restored folder verifies the receipt and lets a trainee go on.
    server = await startServer({ port: await freePort(), buildDir, env: restoredEnv });
    const page = await (await fetch(`${server.url}/bien-nhan?ma=${encodeURIComponent(submitted.receipt)}`)).text();
    expect(page).toContain("Biên nhận hợp lệ");
    const again = new Trainee(others[0]!.username, server.url);
    trainees = [again];
    await again.login(FAULT_PASSWORD);
    await again.connect();
    const resumed = (await again
      .socket!.timeout(30_000)
      .emitWithAck("exam:start", { examId, deviceId: `fault-${again.username}`, deviceToken: others[0]!.deviceToken })) as {
      ok: boolean;
      attemptId: number;
    };
    expect(resumed).toMatchObject({ ok: true, attemptId: others[0]!.attemptId });
    again.attemptId = resumed.attemptId;
    again.deviceToken = others[0]!.deviceToken;
    const seqAfter = Math.max(...others[0]!.acked.map((a) => a.seq)) + 1;
    const ack = (await again.socket!.timeout(10_000).emitWithAck("exam:answer", {
      attemptId: resumed.attemptId,
      position: others[0]!.items[0]!.position,
      chosen: [0],
      flagged: false,
      seq: seqAfter,
      deviceToken: again.deviceToken,
    })) as { ok: boolean };
    expect(ack).toMatchObject({ ok: true });
  }, 600_000);
});
