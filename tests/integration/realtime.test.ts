import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import { seedDemo } from "../../server/seed/demo";
import { createRealtime, type Realtime } from "../../server/realtime";
import { loginAs, testDatabase, testServices, TEST_DB, type TestDatabase } from "./harness";
import type { Services } from "../../server/services";

function open(url: string, cookie?: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(url, { transports: ["websocket"], extraHeaders: cookie ? { cookie } : {}, reconnection: false });
    socket.on("connect", () => resolve(socket));
    socket.on("connect_error", (e) => {
      socket.close();
      reject(e);
    });
  });
}

describe(`socket.io handshake (${TEST_DB})`, () => {
  let t: TestDatabase;
  let s: Services;
  let rt: Realtime;
  let url: string;
  beforeAll(async () => {
    t = await testDatabase();
    await seedDemo(t.db);
    s = await testServices(t);
    const server = http.createServer();
    rt = await createRealtime(server, s);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await rt.close();
    await t.destroy();
  });

  it("refuses a connection without a session", async () => {
    await expect(open(url)).rejects.toThrow("unauthorized");
    await expect(open(url, "bd_session=forged")).rejects.toThrow("unauthorized");
  });

  it("accepts a logged-in user and answers who it is", async () => {
    const { cookie } = await loginAs(s, "giamthi");
    const socket = await open(url, cookie);
    const ack = await socket.timeout(2000).emitWithAck("session:whoami", {});
    expect(ack).toMatchObject({ ok: true, username: "giamthi", roles: ["proctor"] });
    socket.close();
  });

  it("disconnects every socket of a user who logs out everywhere", async () => {
    const { viewer, cookie } = await loginAs(s, "giangvien");
    const socket = await open(url, cookie);
    const closed = new Promise((r) => socket.on("disconnect", r));
    await s.auth.logoutEverywhere(viewer.userId);
    await rt.disconnectUser(viewer.userId);
    await closed;
    await expect(open(url, cookie)).rejects.toThrow("unauthorized");
  });
});

describe(`socket.io across two processes sharing Redis (${TEST_DB})`, () => {
  const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
  let t: TestDatabase;
  const servers: { rt: Realtime; url: string }[] = [];
  let a: Services;

  beforeAll(async () => {
    t = await testDatabase();
    await seedDemo(t.db);
    for (let i = 0; i < 2; i++) {
      // Two service instances on one database: what two server processes share.
      const s = await testServices(t, undefined, { REDIS_URL });
      const server = http.createServer();
      const rt = await createRealtime(server, s);
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      servers.push({ rt, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
      if (i === 0) a = s;
    }
  });
  afterAll(async () => {
    for (const s of servers) await s.rt.close();
    await t.destroy();
  });

  it("disconnects a user's socket on process B when process A logs them out everywhere", async () => {
    const { viewer, cookie } = await loginAs(a, "bithu");
    const socket = await open(servers[1]!.url, cookie);
    expect(await socket.timeout(2000).emitWithAck("session:whoami", {})).toMatchObject({ ok: true, username: "bithu" });
    const closed = new Promise((r) => socket.on("disconnect", r));
    await servers[0]!.rt.disconnectUser(viewer.userId);
    await closed;
  });
});
