import http from "node:http";
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import { manualClock } from "../../server/clock";
import { seedDemo } from "../../server/seed/demo";
import { createRealtime, type Realtime } from "../../server/realtime";
import { loginAs, testDatabase, testServices, TEST_DB, type TestDatabase } from "./harness";
import type { Services } from "../../server/services";

/**
 * Live proctoring across two server instances that share PostgreSQL (or PGlite) and
 * Redis, as two processes behind a load balancer do: the proctor is connected to A,
 * the trainee to B. Presence, answers, integrity events and actions cross over; the
 * deadline job running on both submits an overdue attempt exactly once.
 */
function open(url: string, cookie: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(url, { transports: ["websocket"], extraHeaders: { cookie }, reconnection: false });
    socket.on("connect", () => resolve(socket));
    socket.on("connect_error", (e) => {
      socket.close();
      reject(e);
    });
  });
}

function next<T>(socket: Socket, event: string, match: (p: T) => boolean = () => true, ms = 8_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms`)), ms);
    const handler = (p: T) => {
      if (!match(p)) return;
      clearTimeout(timer);
      socket.off(event, handler);
      resolve(p);
    };
    socket.on(event, handler);
  });
}

describe(`proctoring across two server instances sharing Redis (${TEST_DB})`, () => {
  const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
  const REDIS_PREFIX = `bd-test-${randomBytes(4).toString("hex")}`;
  const clock = manualClock("2026-03-13T08:00:00+07:00");
  let t: TestDatabase;
  const nodes: { s: Services; rt: Realtime; url: string }[] = [];
  const sockets: Socket[] = [];
  let examId: number;
  let proctor: Socket;
  let trainee: Socket;
  let traineePersonId: number;

  beforeAll(async () => {
    t = await testDatabase();
    for (let i = 0; i < 2; i++) {
      const s = await testServices(t, clock, { REDIS_URL, REDIS_PREFIX });
      if (i === 0) {
        await s.curricula.syncFromFiles();
        await s.questions.syncSeedBanks();
        await seedDemo(t.db);
      }
      const server = http.createServer();
      const rt = await createRealtime(server, s);
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      nodes.push({ s, rt, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    }
    const a = nodes[0]!.s;
    const centre = (await loginAs(a, "canbo.tanlap")).viewer;
    const klass = await t.db.selectFrom("training_class").select("id").where("programme_code", "=", "hd61").executeTakeFirstOrThrow();
    examId = await a.exams.createExam(centre, {
      classId: klass.id,
      title: "Kiểm tra cuối khóa",
      opensAt: new Date("2026-03-13T07:55:00+07:00"),
      closesAt: new Date("2026-03-13T09:00:00+07:00"),
      durationMinutes: 20,
      blueprint: [{ lesson: 1, level: "nhan_biet", count: 4, points: 1 }],
      proctorGate: true,
    });
    const p = await loginAs(a, "giamthi");
    await a.proctoring.assignProctor(centre, examId, p.viewer.userId);
    const tr = await loginAs(a, "hocvien");
    traineePersonId = tr.viewer.personId!;
    proctor = await open(nodes[0]!.url, p.cookie);
    trainee = await open(nodes[1]!.url, tr.cookie);
    sockets.push(proctor, trainee);
  });

  afterAll(async () => {
    for (const s of sockets) s.close();
    for (const n of nodes) await n.rt.close();
    await t.destroy();
  });

  it("shows the proctor on A a trainee present on B, and starts the room across instances", async () => {
    expect(await trainee.timeout(5000).emitWithAck("exam:join", { examId })).toEqual({ ok: true });
    const joined = await proctor.timeout(5000).emitWithAck("proctor:join", { examId });
    expect(joined.ok).toBe(true);
    const row = joined.snapshot.rows.find((r: { personId: number }) => r.personId === traineePersonId);
    expect(row).toMatchObject({ connected: true, status: "waiting" });

    const refused = await trainee.timeout(5000).emitWithAck("exam:start", { examId, deviceId: "phone" });
    expect(refused).toMatchObject({ ok: false, error: "waiting_for_proctor" });
    const started = next<{ examId: number }>(trainee, "exam:started");
    expect(await proctor.timeout(8000).emitWithAck("proctor:action", { examId, action: { type: "start_all" } })).toMatchObject({
      ok: true,
    });
    await started;
  });

  it("delivers the trainee's answers and integrity signals on B to the proctor on A", async () => {
    // The exam row is memoised for two seconds per instance: retry as the client does.
    let paper: { ok: boolean; attemptId?: number; deviceToken?: string; error?: string } = { ok: false };
    for (let i = 0; i < 20 && !paper.ok; i++) {
      paper = await trainee.timeout(5000).emitWithAck("exam:start", { examId, deviceId: "phone" });
      if (!paper.ok) await new Promise((r) => setTimeout(r, 250));
    }
    expect(paper.ok).toBe(true);
    const rows = next<{ rows: { personId: number; status: string }[] }>(proctor, "proctor:rows", (p) =>
      p.rows.some((r) => r.personId === traineePersonId && r.status === "in_progress"),
    );
    await rows;

    const answer = next<{ personId: number; position: number; hasAnswer: boolean }>(proctor, "proctor:answer");
    expect(
      await trainee
        .timeout(5000)
        .emitWithAck("exam:answer", { attemptId: paper.attemptId, position: 2, chosen: [1], seq: 1, deviceToken: paper.deviceToken }),
    ).toMatchObject({ ok: true, applied: true });
    expect(await answer).toMatchObject({ personId: traineePersonId, position: 2, hasAnswer: true });

    const event = next<{ event: { kind: string; personId: number } }>(proctor, "proctor:event");
    expect(await trainee.timeout(5000).emitWithAck("exam:integrity", { examId, attemptId: paper.attemptId, kind: "page_hidden" })).toEqual({
      ok: true,
    });
    expect((await event).event).toMatchObject({ kind: "page_hidden", personId: traineePersonId });

    const focus = next<{ position: number }>(proctor, "proctor:focus");
    trainee.emit("exam:focus", { examId, attemptId: paper.attemptId, position: 3 });
    expect((await focus).position).toBe(3);
  });

  it("pushes the proctor's extra time and messages to the trainee on B at once", async () => {
    const deadline = next<{ deadline: string }>(trainee, "exam:deadline");
    expect(
      await proctor
        .timeout(8000)
        .emitWithAck("proctor:action", { examId, action: { type: "add_time", personId: traineePersonId, minutes: 5, reason: "Mất điện" } }),
    ).toMatchObject({ ok: true });
    expect(new Date((await deadline).deadline).toISOString()).toBe(new Date("2026-03-13T08:25:00+07:00").toISOString());
    const message = next<{ text: string }>(trainee, "exam:message");
    await proctor.timeout(8000).emitWithAck("proctor:action", { examId, action: { type: "message", text: "Giữ trật tự" } });
    expect((await message).text).toBe("Giữ trật tự");
    // A proctor cannot act without a reason where the report needs one.
    expect(
      await proctor.timeout(8000).emitWithAck("proctor:action", { examId, action: { type: "lock", attemptId: 1, reason: "" } }),
    ).toMatchObject({ ok: false, error: "bad_request" });
  });

  it("submits an overdue attempt exactly once with the deadline job running on both instances", async () => {
    clock.set("2026-03-13T08:26:00+07:00");
    const closedOnB = next(trainee, "exam:closed");
    const results = await Promise.all([
      nodes[0]!.s.exams.closeOverdue(),
      nodes[1]!.s.exams.closeOverdue(),
      nodes[0]!.s.exams.closeOverdue(),
    ]);
    expect(results.flat()).toHaveLength(1);
    nodes[0]!.rt.notifyAttempt(results.flat()[0]!, "exam:closed", { by: "server" });
    await closedOnB;
    const attempts = await t.db
      .selectFrom("attempt")
      .select(["status", "submitted_by"])
      .where("exam_id", "=", examId)
      .where("status", "!=", "ready")
      .execute();
    expect(attempts).toEqual([{ status: "submitted", submitted_by: "server" }]);
  });

  it("refuses a proctor of another centre and a trainee outside the class", async () => {
    const a = nodes[0]!.s;
    const other = await loginAs(a, "canbo.binhminh");
    const outsider = await open(nodes[1]!.url, other.cookie);
    sockets.push(outsider);
    expect(await outsider.timeout(5000).emitWithAck("proctor:join", { examId })).toMatchObject({ ok: false, error: "forbidden" });
    expect(await outsider.timeout(5000).emitWithAck("proctor:action", { examId, action: { type: "message", text: "x" } })).toMatchObject({
      ok: false,
      error: "forbidden",
    });
    const stranger = await open(nodes[0]!.url, (await loginAs(a, "bithu")).cookie);
    sockets.push(stranger);
    expect(await stranger.timeout(5000).emitWithAck("exam:join", { examId })).toMatchObject({ ok: false });
    expect(await stranger.timeout(5000).emitWithAck("exam:integrity", { examId, kind: "paste" })).toMatchObject({
      ok: false,
      error: "forbidden",
    });
  });
});
