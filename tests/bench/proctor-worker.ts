/**
 * The proctors of `bench:proctor`: one socket.io-client per exam session, logged in as
 * that session's proctor, joined to its room, recording when each trainee answer and
 * integrity event arrives. Config as JSON in argv[2]; writes its report to a file.
 */
import { io, type Socket } from "socket.io-client";
import fs from "node:fs";

interface Config {
  out: string;
  urls: string[];
  proctors: { username: string; examId: number }[];
  password: string;
  joinAt: number;
  until: number;
}
const cfg = JSON.parse(process.argv[2]!) as Config;
const answers: [number, number, number, number][] = []; // attemptId, position, seq, received at
const events: [number, string, number][] = []; // attemptId, kind, received at
const errors: Record<string, number> = {};
const fail = (what: string) => (errors[what] = (errors[what] ?? 0) + 1);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const sockets: Socket[] = [];

async function proctor(p: { username: string; examId: number }, i: number) {
  await sleep(cfg.joinAt - Date.now() + Math.random() * 5000);
  // The proctor sits on a different process from most of the room's trainees.
  const url = cfg.urls[(i + 1) % cfg.urls.length]!;
  const res = await fetch(`${url}/dang-nhap`, {
    method: "POST",
    body: new URLSearchParams({ username: p.username, password: cfg.password }),
    redirect: "manual",
  }).catch(() => null);
  const cookie = res?.headers.get("set-cookie")?.split(";")[0];
  if (!cookie) return fail(`login:${res?.status ?? "network"}`);
  const socket: Socket = io(url, { transports: ["websocket"], extraHeaders: { cookie }, reconnectionDelayMax: 2000 });
  sockets.push(socket);
  socket.on("proctor:answer", (e: { attemptId: number; position: number; seq: number }) =>
    answers.push([e.attemptId, e.position, e.seq, Date.now()]),
  );
  socket.on("proctor:event", (e: { event: { attemptId: number | null; kind: string } }) => {
    if (e.event.attemptId) events.push([e.event.attemptId, e.event.kind, Date.now()]);
  });
  const join = async () => {
    const r = (await socket
      .timeout(30_000)
      .emitWithAck("proctor:join", { examId: p.examId })
      .catch(() => null)) as { ok: boolean } | null;
    if (!r?.ok) fail("join");
  };
  socket.on("connect", () => void join());
}

await Promise.all(cfg.proctors.map((p, i) => proctor(p, i).catch(() => fail("exception"))));
await sleep(cfg.until - Date.now());
for (const s of sockets) s.close();
fs.writeFileSync(cfg.out, JSON.stringify({ answers, events, errors }));
process.exit(0);
