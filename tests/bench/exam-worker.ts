/**
 * One load-generator process of `bench:exam`: simulated trainees as real
 * socket.io-client connections. Reads its config as JSON from argv[2]; prints one
 * JSON report on stdout at the end.
 */
import { io, type Socket } from "socket.io-client";
import { performance } from "node:perf_hooks";
import fs from "node:fs";

interface Config {
  out: string;
  /** One URL per server process; a trainee sticks to one (as behind a sticky load balancer). */
  urls: string[];
  examFor: Record<string, number>;
  /** Also send one integrity signal per trainee (the proctoring benchmark). */
  integrity: boolean;
  users: string[];
  password: string;
  checkinEndsAt: number;
  startAt: number;
  answerPhaseMs: number;
  submitAt: number;
}
const cfg = JSON.parse(process.argv[2]!) as Config;
const phases: Record<string, number[]> = { login: [], start: [], answer: [], submit: [] };
const errors: Record<string, number> = {};
// [attemptId, position, seq, chosen, sent at (epoch ms)]
const acked: [number, number, number, number[], number][] = [];
const integrity: [number, number][] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const fail = (phase: string, what: string) => (errors[`${phase}:${what}`] = (errors[`${phase}:${what}`] ?? 0) + 1);

async function trainee(username: string) {
  const n = Number(username.replace(/\D/g, ""));
  const url = cfg.urls[n % cfg.urls.length]!;
  const examId = cfg.examFor[username]!;
  // Check-in: logins spread over the check-in period.
  await sleep(Math.random() * (cfg.checkinEndsAt - Date.now()));
  let t = performance.now();
  const res = await fetch(`${url}/dang-nhap`, {
    method: "POST",
    body: new URLSearchParams({ username, password: cfg.password }),
    redirect: "manual",
  }).catch(() => null);
  const cookie = res?.headers.get("set-cookie")?.split(";")[0];
  if (!cookie) return fail("login", String(res?.status ?? "network"));
  phases.login!.push(performance.now() - t);
  const socket: Socket = io(url, { transports: ["websocket"], extraHeaders: { cookie }, reconnectionDelayMax: 2000 });
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));

  // Synchronised start.
  await sleep(cfg.startAt - Date.now() + Math.random() * 2000);
  t = performance.now();
  const paper = (await socket
    .timeout(60_000)
    .emitWithAck("exam:start", { examId, deviceId: `bench-${username}` })
    .catch(() => null)) as
    | { ok: true; attemptId: number; deviceToken: string; items: { position: number; options: string[] }[] }
    | { ok: false; error: string }
    | null;
  if (!paper?.ok) {
    socket.close();
    return fail("start", paper ? paper.error : "timeout");
  }
  phases.start!.push(performance.now() - t);

  // Answers at a realistic pace: each question at a random moment of the answer phase,
  // some changed once later (a second seq for the same position).
  const phaseStart = Date.now();
  const plan = paper.items.flatMap((it) => {
    const times = [Math.random() * cfg.answerPhaseMs * 0.9];
    if (Math.random() < 0.2) times.push(times[0]! + Math.random() * (cfg.answerPhaseMs * 0.95 - times[0]!));
    return times.map((at) => ({ at, position: it.position, options: it.options.length }));
  });
  plan.sort((a, b) => a.at - b.at);
  if (cfg.integrity) {
    // One "left the page" signal at a random moment, for the proctor to see.
    const at = Math.random() * cfg.answerPhaseMs * 0.9;
    setTimeout(() => {
      const sentAt = Date.now();
      socket.emit("exam:join", { examId });
      socket
        .timeout(30_000)
        .emitWithAck("exam:integrity", { examId, attemptId: paper.attemptId, kind: "page_hidden" })
        .then(
          (r: { ok: boolean }) => (r.ok ? integrity.push([paper.attemptId, sentAt]) : fail("integrity", "refused")),
          () => fail("integrity", "timeout"),
        );
    }, at);
  }
  let seq = 0;
  for (const p of plan) {
    await sleep(phaseStart + p.at - Date.now());
    const chosen = [Math.floor(Math.random() * p.options)];
    const payload = { attemptId: paper.attemptId, position: p.position, chosen, seq: ++seq, deviceToken: paper.deviceToken };
    t = performance.now();
    const sentAt = Date.now();
    const r = (await socket
      .timeout(30_000)
      .emitWithAck("exam:answer", payload)
      .catch(() => null)) as { ok: boolean; seq: number; error?: string } | null;
    if (r?.ok) {
      phases.answer!.push(performance.now() - t);
      acked.push([paper.attemptId, p.position, payload.seq, chosen, sentAt]);
    } else fail("answer", r?.error ?? "timeout");
  }

  // Mass submit at the deadline.
  await sleep(cfg.submitAt - Date.now() + Math.random() * 1000);
  t = performance.now();
  const s = (await socket
    .timeout(60_000)
    .emitWithAck("exam:submit", { attemptId: paper.attemptId, deviceToken: paper.deviceToken })
    .catch(() => null)) as { ok: boolean; error?: string } | null;
  if (s?.ok) phases.submit!.push(performance.now() - t);
  else fail("submit", s?.error ?? "timeout");
  socket.close();
}

await Promise.all(cfg.users.map((u) => trainee(u).catch(() => fail("trainee", "exception"))));
// A file, not stdout: a large report written to a pipe may be cut off by process.exit.
fs.writeFileSync(cfg.out, JSON.stringify({ phases, errors, acked, integrity }));
process.exit(0);
