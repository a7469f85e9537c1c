/**
 * The exam's answer path through its real transports — Socket.IO and the HTTP fallback
 * of the production build, served in this process — on both databases (issue 13, items
 * 4, 5 and 9; decision 018): one device per attempt on every answer and submission,
 * bounded inputs, safe replays, `deadline_passed` after the server's submission, the
 * fallback's JSON 503 with the database down, and keyed receipts.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import { manualClock } from "../../server/clock";
import { seedDemo } from "../../server/seed/demo";
import { createRealtime, type Realtime } from "../../server/realtime";
import { createHttpApp } from "../../server/http/app";
import { createServices, type Services } from "../../server/services";
import { loadConfig } from "../../server/config";
import { receiptCode } from "../../server/exams/scoring";
import { demoServices, loginAs, testDatabase, testServices, TEST_DB, type TestDatabase } from "./harness";
import { ensureBuild, ROOT } from "./fault-harness";
import type { Viewer } from "../../server/auth/scope";

type Ack = { ok: boolean; error?: string; message?: string; [k: string]: unknown };

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

/** The web app and Socket.IO on one HTTP server, as server/main.ts builds them. */
async function serve(services: Services) {
  process.env.BUILD_DIR = ensureBuild();
  const { app } = await createHttpApp(services, { root: ROOT, dev: false });
  const server = http.createServer(app);
  const rt = await createRealtime(server, services);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { rt, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const blueprint = [1, 2, 3, 4, 5].flatMap((lesson) => [
  { lesson, level: "nhan_biet" as const, count: 2, points: 1 },
  { lesson, level: "thong_hieu" as const, count: 1, points: 1 },
]);

describe(`the answer path through Socket.IO and HTTP (${TEST_DB})`, () => {
  let t: TestDatabase;
  let s: Services;
  let rt: Realtime;
  let url: string;
  const clock = manualClock("2026-03-13T07:30:00+07:00");
  let admin: Viewer;
  let cookie: string;
  let classId: number;
  let examId: number;
  let attemptId: number;
  let phone: Socket;
  let laptop: Socket;
  let phoneToken: string;
  let laptopToken: string;
  /** The centre's proctor console, joined to the session (the one-answer-path test). */
  let proctor: Socket;
  let items: { position: number; type: string; options: string[] }[];
  const sockets: Socket[] = [];

  const emit = (socket: Socket, event: string, payload: object) => socket.timeout(10_000).emitWithAck(event, payload) as Promise<Ack>;
  async function post(id: number | string, body: object) {
    const res = await fetch(`${url}/api/thi/${id}`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie },
      body: JSON.stringify(body),
    });
    return { status: res.status, type: res.headers.get("content-type") ?? "", body: (await res.json()) as Ack };
  }
  const stored = async (position: number) =>
    await t.db
      .selectFrom("attempt_item")
      .select(["seq", "chosen"])
      .where("attempt_id", "=", attemptId)
      .where("position", "=", position)
      .executeTakeFirstOrThrow();

  beforeAll(async () => {
    ({ t, s } = await demoServices(clock));
    admin = (await loginAs(s, "canbo.tanlap")).viewer;
    cookie = (await loginAs(s, "hocvien")).cookie;
    classId = (await t.db.selectFrom("training_class").select("id").where("programme_code", "=", "hd61").executeTakeFirstOrThrow()).id;
    examId = await s.exams.createExam(admin, {
      classId,
      title: "Kiểm tra thiết bị",
      opensAt: new Date("2026-03-13T08:00:00+07:00"),
      closesAt: new Date("2026-03-13T11:00:00+07:00"),
      durationMinutes: 45,
      blueprint,
    });
    await s.exams.generatePapers(admin, examId);
    clock.set("2026-03-13T08:05:00+07:00");
    ({ rt, url } = await serve(s));
    phone = await open(url, cookie);
    laptop = await open(url, cookie);
    sockets.push(phone, laptop);
  }, 300_000);

  afterAll(async () => {
    for (const so of sockets) so.close();
    await rt?.close();
    await t?.destroy();
  });

  it("binds the attempt to the device that started it: a refused device cannot answer or submit, over Socket.IO or HTTP", async () => {
    const started = await emit(phone, "exam:start", { examId, deviceId: "phone" });
    expect(started).toMatchObject({ ok: true, deviceToken: expect.stringMatching(/^[\w-]{40,}$/) });
    attemptId = started.attemptId as number;
    phoneToken = started.deviceToken as string;
    items = started.items as typeof items;
    // Only a hash is stored.
    const row = await t.db.selectFrom("attempt").select(["device_token_hash"]).where("id", "=", attemptId).executeTakeFirstOrThrow();
    expect(row.device_token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.device_token_hash).not.toContain(phoneToken);

    expect(await emit(laptop, "exam:start", { examId, deviceId: "laptop" })).toMatchObject({ ok: false, error: "device_conflict" });
    const position = items[0]!.position;
    const answer = { attemptId, position, chosen: [0], seq: 5 };
    expect(await emit(laptop, "exam:answer", answer)).toMatchObject({
      ok: false,
      error: "device_conflict",
      message: expect.stringMatching(/báo giám thị/),
    });
    expect(await post(attemptId, { type: "answer", ...answer })).toMatchObject({
      status: 409,
      body: { ok: false, error: "device_conflict" },
    });
    expect(await emit(laptop, "exam:submit", { attemptId })).toMatchObject({ ok: false, error: "device_conflict" });
    expect(await post(attemptId, { type: "submit" })).toMatchObject({ status: 409, body: { ok: false, error: "device_conflict" } });
    // Resuming by the device id alone (without the token) is refused too.
    expect(await emit(laptop, "exam:start", { examId, deviceId: "phone" })).toMatchObject({ ok: false, error: "device_conflict" });
    expect((await stored(position)).seq).toBe(0);
    expect((await t.db.selectFrom("attempt").select("status").where("id", "=", attemptId).executeTakeFirstOrThrow()).status).toBe(
      "in_progress",
    );

    // The accepted device answers on both transports; its token resumes it.
    expect(await emit(phone, "exam:answer", { ...answer, deviceToken: phoneToken })).toMatchObject({ ok: true, applied: true, seq: 5 });
    expect(await post(attemptId, { type: "answer", ...answer, seq: 6, deviceToken: phoneToken })).toMatchObject({
      status: 200,
      body: { ok: true, applied: true, seq: 6 },
    });
    expect(await emit(phone, "exam:start", { examId, deviceId: "phone", deviceToken: phoneToken })).toMatchObject({
      ok: true,
      attemptId,
      deviceToken: phoneToken,
    });
  });

  it("refuses a replaced device with device_replaced after a proctor-approved takeover, in every process and after a restart", async () => {
    // The laptop asked (device_conflict above); the centre approves the takeover.
    await s.proctoring.act(admin, examId, { type: "approve_takeover", attemptId, reason: "Điện thoại hết pin" }, new Map());
    const position = items[1]!.position;
    const answer = { attemptId, position, chosen: [1], seq: 10 };
    // The old device's token stops working at once, even before the new device starts.
    expect(await emit(phone, "exam:answer", { ...answer, deviceToken: phoneToken })).toMatchObject({
      ok: false,
      error: "device_replaced",
      message: expect.stringMatching(/thiết bị khác/),
    });
    const started = await emit(laptop, "exam:start", { examId, deviceId: "laptop" });
    expect(started).toMatchObject({ ok: true, attemptId });
    laptopToken = started.deviceToken as string;
    expect(laptopToken).not.toBe(phoneToken);

    expect(await emit(phone, "exam:answer", { ...answer, deviceToken: phoneToken })).toMatchObject({ ok: false, error: "device_replaced" });
    expect(await post(attemptId, { type: "answer", ...answer, deviceToken: phoneToken })).toMatchObject({
      status: 409,
      body: { ok: false, error: "device_replaced" },
    });
    expect(await emit(phone, "exam:submit", { attemptId, deviceToken: phoneToken })).toMatchObject({ ok: false, error: "device_replaced" });
    expect(await post(attemptId, { type: "submit", deviceToken: phoneToken })).toMatchObject({
      status: 409,
      body: { ok: false, error: "device_replaced" },
    });
    // The old device cannot take the attempt back by starting again either.
    expect(await emit(phone, "exam:start", { examId, deviceId: "phone", deviceToken: phoneToken })).toMatchObject({
      ok: false,
      error: "device_conflict",
    });
    expect((await stored(position)).seq).toBe(0);

    // Another process (or this one after a restart) knows the binding from the database.
    const other = await testServices(t, clock);
    const viewer = (await other.auth.viewerFromCookie(cookie))!.viewer;
    await expect(other.exams.saveAnswer(viewer, attemptId, { ...answer, deviceToken: phoneToken })).rejects.toMatchObject({
      code: "device_replaced",
    });
    expect(await other.exams.saveAnswer(viewer, attemptId, { ...answer, deviceToken: laptopToken })).toMatchObject({
      ok: true,
      applied: true,
    });
    expect(await post(attemptId, { type: "answer", ...answer, seq: 11, deviceToken: laptopToken })).toMatchObject({
      status: 200,
      body: { ok: true, applied: true },
    });
  });

  it("bounds seq in the schema: 2^31 is bad_request (not server_error) on both transports; 2^31 − 1 is stored", async () => {
    const position = items[2]!.position;
    const big = { attemptId, position, chosen: [0], seq: 2 ** 31, deviceToken: laptopToken };
    expect(await emit(laptop, "exam:answer", big)).toMatchObject({
      ok: false,
      error: "bad_request",
      message: expect.stringMatching(/seq.*2\.147\.483\.647/),
    });
    expect(await post(attemptId, { type: "answer", ...big })).toMatchObject({ status: 400, body: { ok: false, error: "bad_request" } });
    expect(await post(attemptId, { type: "answer", ...big, seq: 1e300 })).toMatchObject({ status: 400, body: { error: "bad_request" } });
    expect(await emit(laptop, "exam:answer", { ...big, seq: 2 ** 31 - 1 })).toMatchObject({ ok: true, applied: true, seq: 2 ** 31 - 1 });
    // An attempt id out of range is not found, never a server error.
    expect(await post(2 ** 31, { type: "answer", ...big, seq: 1 })).toMatchObject({ status: 404, body: { ok: false, error: "not_found" } });
  });

  it("refuses several options on a single-choice item instead of storing a paper scored 0", async () => {
    const single = items.find(
      (i) =>
        (i.type === "single" || i.type === "true_false") &&
        i.position !== items[2]!.position &&
        i.position !== items[1]!.position &&
        i.position !== items[0]!.position,
    )!;
    expect(single).toBeTruthy();
    const answer = { attemptId, position: single.position, chosen: [0, 1], seq: 20, deviceToken: laptopToken };
    expect(await emit(laptop, "exam:answer", answer)).toMatchObject({
      ok: false,
      error: "bad_request",
      message: expect.stringMatching(/chỉ được chọn một phương án/),
    });
    expect(await post(attemptId, { type: "answer", ...answer })).toMatchObject({ status: 400, body: { ok: false, error: "bad_request" } });
    expect((await stored(single.position)).seq).toBe(0);
    expect(await emit(laptop, "exam:answer", { ...answer, chosen: [1] })).toMatchObject({ ok: true, applied: true });
  });

  it("tells the proctor about an answer sent over HTTP exactly as about one sent over Socket.IO: one answer path (issue 17)", async () => {
    proctor = await open(url, (await loginAs(s, "canbo.tanlap")).cookie);
    sockets.push(proctor);
    expect(await emit(proctor, "proctor:join", { examId })).toMatchObject({ ok: true });
    const [viaSocketAt, viaHttpAt] = items.slice(-2).map((i) => i.position);
    const personId = (await t.db.selectFrom("attempt").select("person_id").where("id", "=", attemptId).executeTakeFirstOrThrow()).person_id;

    const viaSocket = next<Record<string, unknown>>(proctor, "proctor:answer", (p) => p.position === viaSocketAt);
    expect(
      await emit(laptop, "exam:answer", { attemptId, position: viaSocketAt, chosen: [0], seq: 30, deviceToken: laptopToken }),
    ).toMatchObject({ ok: true, applied: true });
    const fromSocket = await viaSocket;

    const viaHttp = next<Record<string, unknown>>(proctor, "proctor:answer", (p) => p.position === viaHttpAt);
    expect(await post(attemptId, { type: "answer", position: viaHttpAt, chosen: [1], seq: 31, deviceToken: laptopToken })).toMatchObject({
      status: 200,
      body: { ok: true, applied: true },
    });
    const fromHttp = await viaHttp;

    // The same event with the same fields, whichever transport carried the answer.
    expect(Object.keys(fromHttp).sort()).toEqual(Object.keys(fromSocket).sort());
    expect(fromSocket).toMatchObject({ examId, personId, attemptId, position: viaSocketAt, seq: 30, hasAnswer: true });
    expect(fromHttp).toMatchObject({ examId, personId, attemptId, position: viaHttpAt, seq: 31, hasAnswer: true });
    expect(fromHttp.rev as number).toBeGreaterThan(fromSocket.rev as number);
    // A replay changed nothing: the proctor is not told again (the next event heard is the next real answer).
    const after = next<Record<string, unknown>>(proctor, "proctor:answer");
    expect(await post(attemptId, { type: "answer", position: viaHttpAt, chosen: [1], seq: 31, deviceToken: laptopToken })).toMatchObject({
      status: 200,
      body: { ok: true, applied: false },
    });
    expect(
      await emit(laptop, "exam:answer", { attemptId, position: viaSocketAt, chosen: [1], seq: 32, deviceToken: laptopToken }),
    ).toMatchObject({ ok: true, applied: true });
    expect(await after).toMatchObject({ position: viaSocketAt, seq: 32 });
  });

  it("acknowledges a replay of an acknowledged answer after submission (applied: false); a new answer is not_in_progress", async () => {
    const position = items[1]!.position;
    // The submission over HTTP reaches the proctor's roster too (one answer path, issue 17).
    const row = next<{ rows: { attemptId: number | null; status: string }[] }>(proctor, "proctor:rows", (p) =>
      p.rows.some((r) => r.attemptId === attemptId && r.status === "submitted"),
    );
    const submitted = await post(attemptId, { type: "submit", deviceToken: laptopToken });
    expect(submitted).toMatchObject({ status: 200, body: { ok: true, alreadySubmitted: false } });
    await row;
    const replay = { attemptId, position, chosen: [1], seq: 11, deviceToken: laptopToken };
    expect(await emit(laptop, "exam:answer", replay)).toMatchObject({ ok: true, applied: false, seq: 11 });
    expect(await post(attemptId, { type: "answer", ...replay })).toMatchObject({
      status: 200,
      body: { ok: true, applied: false, seq: 11 },
    });
    expect(await emit(laptop, "exam:answer", { ...replay, seq: 12 })).toMatchObject({ ok: false, error: "not_in_progress" });
    expect(await post(attemptId, { type: "answer", ...replay, seq: 12 })).toMatchObject({
      status: 409,
      body: { error: "not_in_progress" },
    });
    // The replaced device still gets its own code after the submission.
    expect(await emit(phone, "exam:answer", { ...replay, deviceToken: phoneToken })).toMatchObject({ ok: false, error: "device_replaced" });
    expect(await emit(laptop, "exam:submit", { attemptId, deviceToken: laptopToken })).toMatchObject({
      ok: true,
      alreadySubmitted: true,
      receipt: submitted.body.receipt,
    });
  });

  it("keys receipts: the unkeyed hash of the known answers does not match, and the check page cannot confirm it; an old receipt still verifies", async () => {
    const row = await t.db.selectFrom("attempt").select(["receipt"]).where("id", "=", attemptId).executeTakeFirstOrThrow();
    const answers = await t.db
      .selectFrom("attempt_item")
      .select(["position", "chosen", "text_answer"])
      .where("attempt_id", "=", attemptId)
      .execute();
    const guess = receiptCode(
      attemptId,
      answers.map((a) => ({ position: a.position, chosen: (a.chosen as unknown as number[] | null) ?? [], text: a.text_answer })),
    );
    expect(row.receipt).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(guess).not.toBe(row.receipt);
    expect(await s.exams.verifyReceipt(guess)).toBeNull();
    expect(await s.exams.verifyReceipt(row.receipt!)).toMatchObject({ exam: "Kiểm tra thiết bị", submittedBy: "trainee" });
    const page = await (await fetch(`${url}/bien-nhan?ma=${encodeURIComponent(guess)}`)).text();
    expect(page).toContain("Không tìm thấy bài làm nào có mã biên nhận này");
    // The key lives in the database (no RECEIPT_SECRET here), shared by every process, and never in a page.
    const secret = await t.db.selectFrom("server_secret").select("value").where("name", "=", "receipt_hmac_v1").executeTakeFirstOrThrow();
    expect(page).not.toContain(secret.value);
    // A receipt issued before keying (unkeyed, stored with its attempt) still verifies.
    const legacy = receiptCode(attemptId, [{ position: 1, chosen: [0] }]);
    await t.db.updateTable("attempt").set({ receipt: legacy }).where("id", "=", attemptId).execute();
    expect(await s.exams.verifyReceipt(legacy)).toMatchObject({ exam: "Kiểm tra thiết bị" });
    await t.db.updateTable("attempt").set({ receipt: row.receipt }).where("id", "=", attemptId).execute();
  });

  it("answers deadline_passed to an answer that arrives after the server's automatic submission; a replay stays ok", async () => {
    const practice = await s.exams.createExam(admin, {
      classId,
      title: "Ôn tập hết giờ",
      kind: "practice",
      opensAt: new Date("2026-03-13T08:00:00+07:00"),
      closesAt: new Date("2026-03-13T11:00:00+07:00"),
      durationMinutes: 10,
      graceSeconds: 20,
      blueprint: blueprint.slice(0, 2),
    });
    await s.exams.generatePapers(admin, practice);
    const started = await emit(phone, "exam:start", { examId: practice, deviceId: "phone" });
    expect(started.ok).toBe(true);
    const id = started.attemptId as number;
    const token = started.deviceToken as string;
    const position = (started.items as typeof items)[0]!.position;
    expect(await emit(phone, "exam:answer", { attemptId: id, position, chosen: [0], seq: 1, deviceToken: token })).toMatchObject({
      ok: true,
      applied: true,
    });
    clock.advance(10 * 60_000 + 21_000);
    expect(await s.exams.closeOverdue()).toContain(id);
    const late = { attemptId: id, position, chosen: [1], seq: 2, deviceToken: token };
    expect(await emit(phone, "exam:answer", late)).toMatchObject({
      ok: false,
      error: "deadline_passed",
      message: expect.stringMatching(/tự nộp bài/),
    });
    expect(await post(id, { type: "answer", ...late })).toMatchObject({ status: 409, body: { ok: false, error: "deadline_passed" } });
    expect(await emit(phone, "exam:answer", { ...late, chosen: [0], seq: 1 })).toMatchObject({ ok: true, applied: false, seq: 1 });
  });
});

describe(`the answer path with the database down (${TEST_DB})`, () => {
  let t: TestDatabase;
  let s: Services;
  let rt: Realtime;
  let url: string;
  const lines: string[] = [];

  beforeAll(async () => {
    t = await testDatabase();
    await seedDemo(t.db);
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    s = await createServices(loadConfig({ NODE_ENV: "test" }), { logger: pino({ level: "error" }, sink), database: t, migrate: false });
    ({ rt, url } = await serve(s));
  }, 300_000);

  afterAll(async () => {
    await rt?.close();
    await t?.destroy();
  });

  it("the HTTP fallback answers the documented JSON with 503, and Socket.IO server_error; both log the attempt id", async () => {
    const { cookie } = await loginAs(s, "hocvien");
    const socket = await open(url, cookie);
    try {
      await t.close(); // the database goes away under a running server
      const res = await fetch(`${url}/api/thi/4242`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie },
        body: JSON.stringify({ type: "answer", position: 1, chosen: [0], seq: 3, deviceToken: "x" }),
      });
      expect(res.status).toBe(503);
      expect(res.headers.get("content-type")).toMatch(/application\/json/);
      expect(await res.json()).toMatchObject({ ok: false, error: "server_error", message: expect.stringMatching(/thử lại/) });
      expect(
        await socket.timeout(10_000).emitWithAck("exam:answer", { attemptId: 4343, position: 1, chosen: [0], seq: 3, deviceToken: "x" }),
      ).toMatchObject({ ok: false, error: "server_error" });
      const logged = lines.map((l) => JSON.parse(l) as { attemptId?: number; level: number });
      expect(logged.filter((l) => l.level >= 50).map((l) => l.attemptId)).toEqual(expect.arrayContaining([4242, 4343]));
    } finally {
      socket.close();
    }
  });
});
