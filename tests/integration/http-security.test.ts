import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import { manualClock } from "../../server/clock";
import { seedDemo } from "../../server/seed/demo";
import { createHttpApp } from "../../server/http/app";
import { createRealtime, type Realtime } from "../../server/realtime";
import { ensureBuild, ROOT } from "./fault-harness";
import { loginAs, testDatabase, testServices, TEST_DB, type TestDatabase } from "./harness";
import type { Services } from "../../server/services";

/**
 * The real Express app (production Remix build) and Socket.IO in this process, on a test
 * database: cross-site requests (issue 13, item 6) and trusted proxies (item 7).
 */
const FOREIGN = "https://evil.example";

interface Node {
  s: Services;
  rt: Realtime;
  server: http.Server;
  url: string;
}

async function startNode(t: TestDatabase, env: Record<string, string>, clock = manualClock("2026-03-13T08:05:00+07:00")): Promise<Node> {
  const s = await testServices(t, clock, env);
  const { app } = await createHttpApp(s, { root: ROOT, dev: false, buildDir: ensureBuild() });
  const server = http.createServer(app);
  const rt = await createRealtime(server, s);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { s, rt, server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function stopNode(n: Node | undefined) {
  if (!n) return;
  await n.rt.close();
  await new Promise<void>((r) => n.server.close(() => r()));
}

function openSocket(url: string, headers: Record<string, string>): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(url, { transports: ["websocket"], extraHeaders: headers, reconnection: false });
    socket.on("connect", () => resolve(socket));
    socket.on("connect_error", (e) => {
      socket.close();
      reject(e);
    });
  });
}

/**
 * POSTs `head` then `total` bytes in chunks, with no Content-Length (Transfer-Encoding:
 * chunked), and returns the response as soon as it comes, even if the server stops
 * reading the body (fetch reports that as a failure).
 */
function chunkedPost(
  url: string,
  headers: Record<string, string>,
  head: Uint8Array,
  total: number,
): Promise<{ status: number; text: string; sent: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = http.request(url, { method: "POST", headers }, (res) => {
      answered = true;
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text, sent }));
      res.on("error", () => resolve({ status: res.statusCode ?? 0, text, sent }));
    });
    req.on("error", (e) => {
      if (!answered) reject(e);
    });
    req.write(head);
    const chunk = new Uint8Array(256 * 1024).fill(0x61);
    const pump = () => {
      while (!answered && !req.destroyed && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (sent >= total && !req.destroyed) req.end();
    };
    pump();
  });
}

function post(url: string, headers: Record<string, string>, body: string | URLSearchParams) {
  return fetch(url, { method: "POST", headers, body, redirect: "manual" });
}

describe(`cross-site requests and trusted proxies over HTTP (${TEST_DB})`, () => {
  let t: TestDatabase;
  let node: Node;
  let examId: number;
  let attemptId: number;
  /** The device token of the attempt's start (decision 018): resuming on the socket needs it. */
  let deviceToken: string;
  let trainee: { cookie: string; userId: string };
  let centre: { cookie: string; classId: number };

  beforeAll(async () => {
    t = await testDatabase();
    node = await startNode(t, {});
    const s = node.s;
    await s.curricula.syncFromFiles();
    await s.questions.syncSeedBanks();
    await seedDemo(t.db);
    const admin = await loginAs(s, "canbo.tanlap");
    const classId = (await t.db.selectFrom("training_class").select("id").where("programme_code", "=", "hd61").executeTakeFirstOrThrow())
      .id;
    centre = { cookie: admin.cookie, classId };
    examId = await s.exams.createExam(admin.viewer, {
      classId,
      title: "Kiểm tra cuối khóa",
      opensAt: new Date("2026-03-13T08:00:00+07:00"),
      closesAt: new Date("2026-03-13T10:00:00+07:00"),
      durationMinutes: 45,
      blueprint: [{ lesson: 1, level: "nhan_biet", count: 2, points: 1 }],
    });
    const tr = await loginAs(s, "hocvien");
    trainee = { cookie: tr.cookie, userId: tr.viewer.userId };
    const paper = await s.exams.start(tr.viewer, examId, { deviceId: "phone-1" });
    attemptId = paper.attemptId;
    deviceToken = paper.deviceToken;
  }, 300_000);
  afterAll(async () => {
    await stopNode(node);
    await t?.destroy();
  });

  const attemptStatus = async () =>
    (await t.db.selectFrom("attempt").select("status").where("id", "=", attemptId).executeTakeFirstOrThrow()).status;
  const lastIp = async () =>
    String((await t.db.selectFrom("attempt").select("last_ip").where("id", "=", attemptId).executeTakeFirstOrThrow()).last_ip);
  const savedAnswers = async () =>
    (await t.db.selectFrom("attempt_item").select("position").where("attempt_id", "=", attemptId).where("chosen", "is not", null).execute())
      .length;
  const sessionsOf = async (userId: string) =>
    (await t.db.selectFrom("user_session").select("id").where("user_id", "=", userId).execute()).length;
  const passwordHashes = async () =>
    JSON.stringify(await t.db.selectFrom("user_account").select(["id", "password_hash"]).orderBy("id").execute());

  it("refuses a foreign-origin submit to the exam fallback with the JSON error shape, and the attempt stays open", async () => {
    const res = await post(
      `${node.url}/api/thi/${attemptId}`,
      { cookie: trainee.cookie, origin: FOREIGN, "content-type": "application/json" },
      JSON.stringify({ type: "submit" }),
    );
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ ok: false, error: "forbidden", message: expect.stringContaining("trang web khác") });
    expect(await attemptStatus()).toBe("in_progress");
  });

  it("refuses a foreign-origin text/plain answer (no preflight) and a Sec-Fetch-Site: cross-site one", async () => {
    const body = JSON.stringify({ type: "answer", position: 1, chosen: [1], seq: 1 });
    const a = await post(
      `${node.url}/api/thi/${attemptId}`,
      { cookie: trainee.cookie, origin: FOREIGN, "content-type": "text/plain" },
      body,
    );
    expect(a.status).toBe(403);
    const b = await post(
      `${node.url}/api/thi/${attemptId}`,
      { cookie: trainee.cookie, "sec-fetch-site": "cross-site", "content-type": "application/json" },
      body,
    );
    expect(b.status).toBe(403);
    expect(await savedAnswers()).toBe(0);
  });

  it("refuses a text/plain body to the exam fallback even from the same origin (415)", async () => {
    const body = JSON.stringify({ type: "answer", position: 1, chosen: [1], seq: 1 });
    const res = await post(
      `${node.url}/api/thi/${attemptId}`,
      { cookie: trainee.cookie, origin: node.url, "content-type": "text/plain;charset=UTF-8" },
      body,
    );
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ ok: false, error: "unsupported_media_type", message: expect.stringContaining("JSON") });
    expect(await savedAnswers()).toBe(0);
  });

  it("serves the same-origin fallback and a client that sends no Origin at all (CLI, tests)", async () => {
    const same = await post(
      `${node.url}/api/thi/${attemptId}`,
      { cookie: trainee.cookie, origin: node.url, "sec-fetch-site": "same-origin", "content-type": "application/json" },
      JSON.stringify({ type: "sync" }),
    );
    expect(same.status).toBe(200);
    expect(await same.json()).toMatchObject({ ok: true, status: "in_progress" });
    const bare = await post(
      `${node.url}/api/thi/${attemptId}`,
      { cookie: trainee.cookie, "content-type": "application/json" },
      JSON.stringify({ type: "sync" }),
    );
    expect(bare.status).toBe(200);
  });

  it("refuses foreign-origin call-up printing (which regenerates passwords) with a Vietnamese page; no password changes", async () => {
    const before = await passwordHashes();
    const form = new URLSearchParams({ format: "pdf", confirm: "1" });
    const res = await post(
      `${node.url}/lop/${centre.classId}/in-giay-trieu-tap`,
      { cookie: centre.cookie, origin: FOREIGN, "content-type": "application/x-www-form-urlencoded" },
      form,
    );
    expect(res.status).toBe(403);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    expect(await res.text()).toContain("Yêu cầu bị từ chối");
    expect(await passwordHashes()).toBe(before);
    // The same post from the site itself reaches the route (whatever it then decides).
    const own = await post(
      `${node.url}/lop/${centre.classId}/in-giay-trieu-tap`,
      { cookie: centre.cookie, origin: node.url, "content-type": "application/x-www-form-urlencoded" },
      form,
    );
    expect(own.status).not.toBe(403);
  });

  it("refuses a foreign-origin ‘log out everywhere’; the same post from the site logs out", async () => {
    const victim = await loginAs(node.s, "giangvien");
    const form = new URLSearchParams({ everywhere: "1" });
    const res = await post(
      `${node.url}/dang-xuat`,
      { cookie: victim.cookie, origin: FOREIGN, "content-type": "application/x-www-form-urlencoded" },
      form,
    );
    expect(res.status).toBe(403);
    expect(await sessionsOf(victim.viewer.userId)).toBeGreaterThan(0);
    const own = await post(
      `${node.url}/dang-xuat`,
      { cookie: victim.cookie, origin: node.url, "sec-fetch-site": "same-origin", "content-type": "application/x-www-form-urlencoded" },
      form,
    );
    expect(own.status).toBe(302);
    expect(await sessionsOf(victim.viewer.userId)).toBe(0);
  });

  it("refuses a foreign-origin post to an ordinary Remix action (change password); the password is unchanged", async () => {
    const victim = await loginAs(node.s, "bithu");
    const before = await passwordHashes();
    const form = new URLSearchParams({ current: "demo12345", next: "attacker-chose-this-1", confirm: "attacker-chose-this-1" });
    const hostile: Record<string, string>[] = [{ origin: FOREIGN }, { origin: "null" }, { "sec-fetch-site": "cross-site" }];
    for (const headers of hostile) {
      const res = await post(
        `${node.url}/doi-mat-khau`,
        { cookie: victim.cookie, "content-type": "application/x-www-form-urlencoded", ...headers },
        form,
      );
      expect(res.status).toBe(403);
    }
    expect(await passwordHashes()).toBe(before);
    // Reading a page cross-site stays possible (links from other sites must work).
    const get = await fetch(`${node.url}/dang-nhap`, { headers: { origin: FOREIGN, "sec-fetch-site": "cross-site" }, redirect: "manual" });
    expect(get.status).toBe(200);
  });

  it("refuses a Socket.IO handshake from a foreign origin and accepts the site's own", async () => {
    await expect(openSocket(node.url, { cookie: trainee.cookie, origin: FOREIGN })).rejects.toThrow();
    await expect(openSocket(node.url, { cookie: trainee.cookie, "sec-fetch-site": "cross-site" })).rejects.toThrow();
    const ok = await openSocket(node.url, { cookie: trainee.cookie, origin: node.url });
    expect(await ok.timeout(2000).emitWithAck("session:whoami", {})).toMatchObject({ ok: true, username: "hocvien" });
    ok.close();
  });

  it("cuts an upload over the limit on every upload route, even chunked without Content-Length (413, nothing saved)", async () => {
    const lecturer = await loginAs(node.s, "giangvien");
    const secretary = await loginAs(node.s, "bithu");
    const bankId = (await node.s.banks.bankByCode("hd61")).id;
    const batches = async () =>
      Number(
        (
          await t.db
            .selectFrom("import_batch")
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await batches();
    for (const [path, cookie, limit] of [
      ["/tai-khoan/nhap", centre.cookie, "10 MB"],
      ["/de-cu/nhap", secretary.cookie, "10 MB"],
      [`/ngan-hang/${bankId}/nhap`, lecturer.cookie, "20 MB"],
    ] as const) {
      const boundary = "----bd";
      const head = new TextEncoder().encode(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="lon.csv"\r\nContent-Type: text/csv\r\n\r\n`,
      );
      // Far past every limit: a server that kept reading would take it all in a second or
      // two, while one that stopped leaves most of it unsent (a few MB fit in socket buffers).
      const total = 200 * 1024 * 1024;
      const { status, text, sent } = await chunkedPost(
        `${node.url}${path}`,
        { cookie, "content-type": `multipart/form-data; boundary=${boundary}` },
        head,
        total,
      );
      expect(status, path).toBe(413);
      expect(text, path).toContain(`giới hạn là ${limit}`);
      expect(sent, path).toBeLessThan(total); // the server stopped reading
    }
    expect(await batches()).toBe(before);
  });

  it("by default ignores a forged X-Forwarded-For: the login throttle and the exam's address see the real peer", async () => {
    const form = new URLSearchParams({ username: "khong-co-ai", password: "sai" });
    const res = await post(
      `${node.url}/dang-nhap`,
      { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": "203.0.113.50" },
      form,
    );
    expect(res.status).toBe(400);
    const keys = (await t.db.selectFrom("login_throttle").select("key").execute()).map((r) => r.key);
    expect(keys.some((k) => k.includes("203.0.113.50"))).toBe(false);
    expect(keys.some((k) => k.includes("127.0.0.1"))).toBe(true);

    const socket = await openSocket(node.url, { cookie: trainee.cookie, "x-forwarded-for": "198.51.100.23" });
    const ack = await socket.timeout(5000).emitWithAck("exam:start", { examId, deviceId: "phone-1", deviceToken });
    expect(ack).toMatchObject({ ok: true });
    socket.close();
    // The address is noted just after the acknowledgement (server/realtime/exam-events.ts).
    await expect.poll(lastIp).toMatch(/127\.0\.0\.1/);
    expect(await lastIp()).not.toContain("198.51.100.23");
  });

  it("with TRUST_PROXY=loopback believes X-Forwarded-For from the loopback proxy, for the throttle and the exam's address", async () => {
    const proxied = await startNode(t, { TRUST_PROXY: "loopback" });
    try {
      const form = new URLSearchParams({ username: "khong-co-ai-2", password: "sai" });
      const res = await post(
        `${proxied.url}/dang-nhap`,
        { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": "203.0.113.51" },
        form,
      );
      expect(res.status).toBe(400);
      const keys = (await t.db.selectFrom("login_throttle").select("key").execute()).map((r) => r.key);
      expect(keys.some((k) => k.includes("203.0.113.51"))).toBe(true);

      const socket = await openSocket(proxied.url, { cookie: trainee.cookie, "x-forwarded-for": "198.51.100.24" });
      const ack = await socket.timeout(5000).emitWithAck("exam:start", { examId, deviceId: "phone-1", deviceToken });
      expect(ack).toMatchObject({ ok: true });
      socket.close();
      await expect.poll(lastIp).toBe("198.51.100.24");
    } finally {
      await stopNode(proxied);
    }
  });
});
