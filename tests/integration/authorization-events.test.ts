import http from "node:http";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import { manualClock } from "../../server/clock";
import { createAccount } from "../../server/accounts/service";
import { createRealtime, SESSION_EVENTS, type Realtime } from "../../server/realtime";
import { EXAM_EVENTS } from "../../server/exams/protocol";
import { PROCTORING_EVENTS, proctorAction } from "../../server/proctoring/protocol";
import { demoServices, loginAs, TEST_DB, type TestDatabase } from "./harness";
import type { Services } from "../../server/services";

/**
 * The authorization sweep of the socket events (issue 13, "keep it from coming back";
 * docs/security.md, "The authorization sweep"). Every event the server listens to ×
 * every demo role of the Tân Lập commune (and the province roles where their role does
 * not reach) against an exam, attempt, person and unit of Đảng ủy phường Bình Minh:
 * the acknowledgement is a refusal (`forbidden`/`not_found`), never `server_error`,
 * never data; events without acknowledgement reach nobody. An event without a case
 * here fails the sweep. Each case also has a positive control (the Bình Minh owner
 * succeeds, so the refusals are not about a missing object) and out-of-range ids
 * (bad_request, item 11).
 */

const DEMO_ROLES = ["hocvien", "giangvien", "giamthi", "canbo.tanlap", "bantochuc", "bantuyengiao", "bithu", "admin"] as const;
type DemoUser = (typeof DEMO_ROLES)[number];
const REFUSALS = ["forbidden", "not_found"];
const INT4_OVER = 2 ** 31;

interface Objects {
  examId: number;
  attemptId: number;
  personId: number;
  unitId: number;
}

interface EventCase {
  /** Province roles whose grant legitimately covers Bình Minh for this event (not swept; the owner control stands for them). */
  reaches?: DemoUser[];
  /** false: the event has no acknowledgement; the case checks nothing reaches the Bình Minh proctor. */
  ack?: boolean;
  payload(o: Objects): unknown;
  /** Who owns the object, and that they succeed (run before the sweep). */
  owner?: "trainee" | "centre";
  /** The same payload with an out-of-range id: bad_request. */
  outOfRange?(o: Objects): unknown;
}

const action = (o: Objects, a: Record<string, unknown>) => ({ examId: o.examId, action: a });

/** One case per event; `proctor:action` has one per action type. */
const CASES: Record<string, EventCase> = {
  "session:whoami": { payload: () => ({}) },
  "exam:start": { payload: (o) => ({ examId: o.examId, deviceId: "sweep" }), outOfRange: () => ({ examId: INT4_OVER, deviceId: "sweep" }) },
  "exam:sync": { payload: (o) => ({ attemptId: o.attemptId }), owner: "trainee", outOfRange: () => ({ attemptId: INT4_OVER }) },
  "exam:answer": {
    payload: (o) => ({ attemptId: o.attemptId, position: 1, chosen: [0], seq: 99 }),
    outOfRange: () => ({ attemptId: INT4_OVER, position: 1, chosen: [0], seq: 1 }),
  },
  "exam:submit": { payload: (o) => ({ attemptId: o.attemptId }), outOfRange: () => ({ attemptId: INT4_OVER }) },
  "exam:join": { payload: (o) => ({ examId: o.examId }), owner: "trainee", outOfRange: () => ({ examId: INT4_OVER }) },
  "exam:focus": { ack: false, payload: (o) => ({ examId: o.examId, attemptId: o.attemptId, position: 2 }) },
  "exam:integrity": {
    payload: (o) => ({ examId: o.examId, attemptId: o.attemptId, kind: "page_hidden" }),
    owner: "trainee",
    outOfRange: () => ({ examId: INT4_OVER, kind: "page_hidden" }),
  },
  "proctor:join": {
    reaches: ["admin", "bantuyengiao"],
    payload: (o) => ({ examId: o.examId }),
    owner: "centre",
    outOfRange: () => ({ examId: INT4_OVER }),
  },
  "proctor:leave": { ack: false, payload: (o) => ({ examId: o.examId }) },
  "results:watch": {
    reaches: ["admin", "bantuyengiao"],
    payload: (o) => ({ unitId: o.unitId }),
    owner: "centre",
    outOfRange: () => ({ unitId: INT4_OVER }),
  },
  "proctor:action/start_all": {
    reaches: ["admin"],
    payload: (o) => action(o, { type: "start_all", reason: "x" }),
    outOfRange: () => ({ examId: INT4_OVER, action: { type: "start_all" } }),
  },
  "proctor:action/admit": {
    reaches: ["admin"],
    payload: (o) => action(o, { type: "admit", personId: o.personId }),
    outOfRange: (o) => action(o, { type: "admit", personId: INT4_OVER }),
  },
  "proctor:action/pause": {
    reaches: ["admin"],
    payload: (o) => action(o, { type: "pause", attemptId: o.attemptId, reason: "x" }),
    outOfRange: (o) => action(o, { type: "pause", attemptId: INT4_OVER, reason: "x" }),
  },
  "proctor:action/resume": {
    reaches: ["admin"],
    payload: (o) => action(o, { type: "resume", attemptId: o.attemptId }),
    outOfRange: (o) => action(o, { type: "resume", attemptId: INT4_OVER }),
  },
  "proctor:action/add_time": {
    reaches: ["admin"],
    payload: (o) => action(o, { type: "add_time", personId: o.personId, minutes: 5, reason: "x" }),
    outOfRange: (o) => action(o, { type: "add_time", personId: INT4_OVER, minutes: 5, reason: "x" }),
  },
  "proctor:action/message": {
    reaches: ["admin"],
    payload: (o) => action(o, { type: "message", attemptId: o.attemptId, text: "Giữ trật tự" }),
    owner: "centre",
    outOfRange: (o) => action(o, { type: "message", attemptId: INT4_OVER, text: "x" }),
  },
  "proctor:action/lock": {
    reaches: ["admin"],
    payload: (o) => action(o, { type: "lock", attemptId: o.attemptId, reason: "x" }),
    outOfRange: (o) => action(o, { type: "lock", attemptId: INT4_OVER, reason: "x" }),
  },
  "proctor:action/unlock": {
    reaches: ["admin"],
    payload: (o) => action(o, { type: "unlock", attemptId: o.attemptId }),
    outOfRange: (o) => action(o, { type: "unlock", attemptId: INT4_OVER }),
  },
  "proctor:action/force_submit": {
    reaches: ["admin"],
    payload: (o) => action(o, { type: "force_submit", attemptId: o.attemptId, reason: "x" }),
    outOfRange: (o) => action(o, { type: "force_submit", attemptId: INT4_OVER, reason: "x" }),
  },
  "proctor:action/approve_takeover": {
    reaches: ["admin"],
    payload: (o) => action(o, { type: "approve_takeover", attemptId: o.attemptId, reason: "x" }),
    outOfRange: (o) => action(o, { type: "approve_takeover", attemptId: INT4_OVER, reason: "x" }),
  },
  "proctor:action/reopen": {
    reaches: ["admin"],
    payload: (o) => action(o, { type: "reopen", attemptId: o.attemptId, minutes: 5, reason: "x" }),
    outOfRange: (o) => action(o, { type: "reopen", attemptId: INT4_OVER, minutes: 5, reason: "x" }),
  },
  "proctor:action/end_session": {
    reaches: ["admin"],
    payload: (o) => action(o, { type: "end_session", reason: "x" }),
    outOfRange: () => ({ examId: INT4_OVER, action: { type: "end_session", reason: "x" } }),
  },
};

const ACTION_TYPES = proctorAction.options.map((o) => o.shape.type.value as string);
const eventOf = (key: string) => key.split("/")[0]!;

/** Every `socket.on("…")` in server/realtime: the events the server actually listens to. */
function registeredEvents(): string[] {
  const dir = path.resolve(__dirname, "../../server/realtime");
  const names = new Set<string>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".ts")))
    for (const m of readFileSync(path.join(dir, f), "utf8").matchAll(/socket\.on\(\s*"([^"]+)"/g))
      if (m[1] !== "disconnect") names.add(m[1]!);
  return [...names].sort();
}

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

describe(`authorization sweep of the socket events (${TEST_DB})`, () => {
  const clock = manualClock("2026-06-10T08:00:00+07:00");
  let t: TestDatabase;
  let s: Services;
  let rt: Realtime;
  let url: string;
  const sockets = new Map<string, Socket>();
  let o: Objects;
  /** Proctor events that reached the Bình Minh centre's console. */
  const seenByOwner: { event: string; payload: unknown }[] = [];

  beforeAll(async () => {
    ({ t, s } = await demoServices(clock));
    const server = http.createServer();
    rt = await createRealtime(server, s);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    // A trainee of Bình Minh in the ward's 2026 class, and an exam of that class.
    const bmUnit = await t.db.selectFrom("org_unit").select("id").where("name", "=", "Đảng ủy phường Bình Minh").executeTakeFirstOrThrow();
    const cell = await t.db.selectFrom("org_unit").select("id").where("name", "=", "Chi bộ khu phố 3").executeTakeFirstOrThrow();
    const ha = await t.db.selectFrom("person").select("id").where("full_name", "=", "Đỗ Thu Hà").executeTakeFirstOrThrow();
    const klass = await t.db
      .selectFrom("training_class")
      .select("id")
      .where("name", "=", "Lớp bồi dưỡng nhận thức về Đảng, khóa 1 năm 2026 (Bình Minh)")
      .executeTakeFirstOrThrow();
    await t.db.insertInto("class_enrolment").values({ class_id: klass.id, person_id: ha.id }).execute();
    await createAccount(t.db, {
      username: "hocvien.binhminh",
      password: "demo12345",
      displayName: "Đỗ Thu Hà",
      personId: ha.id,
      roles: [{ role: "trainee", orgUnitId: cell.id }],
    });
    const centre = await loginAs(s, "canbo.binhminh");
    const examId = await s.exams.createExam(centre.viewer, {
      classId: klass.id,
      title: "Kiểm tra cuối khóa (Bình Minh)",
      opensAt: new Date("2026-06-10T07:55:00+07:00"),
      closesAt: new Date("2026-06-10T11:00:00+07:00"),
      durationMinutes: 30,
      blueprint: [{ lesson: 1, level: "nhan_biet", count: 2, points: 1 }],
    });
    const owner = await loginAs(s, "hocvien.binhminh");
    sockets.set("owner:trainee", await open(url, owner.cookie));
    sockets.set("owner:centre", await open(url, centre.cookie));
    const started = await sockets.get("owner:trainee")!.timeout(5000).emitWithAck("exam:start", { examId, deviceId: "bm-phone" });
    expect(started).toMatchObject({ ok: true });
    o = { examId, attemptId: started.attemptId, personId: ha.id, unitId: bmUnit.id };
    // The centre's console of the Bình Minh session: what reaches it is watched.
    const console_ = sockets.get("owner:centre")!;
    expect(await console_.timeout(5000).emitWithAck("proctor:join", { examId })).toMatchObject({ ok: true });
    for (const ev of ["proctor:focus", "proctor:event", "proctor:answer"])
      console_.on(ev, (payload: unknown) => seenByOwner.push({ event: ev, payload }));
    for (const u of DEMO_ROLES) sockets.set(u, await open(url, (await loginAs(s, u)).cookie));
  });

  afterAll(async () => {
    for (const so of sockets.values()) so.close();
    await rt.close();
    await t.destroy();
  });

  it("has a case for every event the server listens to and every proctor action", () => {
    const declared = [...SESSION_EVENTS, ...EXAM_EVENTS, ...PROCTORING_EVENTS].sort();
    // A handler registered without being declared in a protocol module fails here…
    expect(registeredEvents()).toEqual(declared);
    // …and a declared event (or proctor action) without a case fails here.
    const covered = new Set(Object.keys(CASES).map(eventOf));
    expect(declared.filter((e) => !covered.has(e))).toEqual([]);
    const actionCases = Object.keys(CASES)
      .filter((k) => k.startsWith("proctor:action/"))
      .map((k) => k.split("/")[1])
      .sort();
    expect(actionCases).toEqual([...ACTION_TYPES].sort());
  });

  it("lets the Bình Minh owners use their own objects (the refusals below are about scope, not a missing object)", async () => {
    for (const [key, c] of Object.entries(CASES)) {
      if (!c.owner) continue;
      const ack = await sockets.get(`owner:${c.owner}`)!.timeout(5000).emitWithAck(eventOf(key), c.payload(o));
      expect(ack, key).toMatchObject({ ok: true });
    }
  });

  it("refuses every event from every role outside Bình Minh's scope, with no data and no server_error", async () => {
    const before = await stateOf();
    seenByOwner.length = 0;
    const problems: string[] = [];
    for (const [key, c] of Object.entries(CASES)) {
      for (const user of DEMO_ROLES) {
        if (c.reaches?.includes(user)) continue;
        const socket = sockets.get(user)!;
        const payload = c.payload(o);
        if (c.ack === false) {
          socket.emit(eventOf(key), payload);
          continue;
        }
        const ack = (await socket.timeout(5000).emitWithAck(eventOf(key), payload)) as Record<string, unknown>;
        if (key === "session:whoami") {
          // Carries no object: it must only ever describe the caller.
          if (ack.username !== user) problems.push(`${key} as ${user}: ${JSON.stringify(ack)}`);
          continue;
        }
        const refused = ack.ok === false && REFUSALS.includes(String(ack.error)) && Object.keys(ack).sort().join() === "error,message,ok";
        if (!refused) problems.push(`${key} as ${user}: ${JSON.stringify(ack).slice(0, 200)}`);
      }
    }
    await new Promise((r) => setTimeout(r, 400)); // let any stray broadcast arrive
    expect(problems).toEqual([]);
    // Nothing reached the Bình Minh console and nothing changed in the session.
    expect(seenByOwner).toEqual([]);
    expect(await stateOf()).toEqual(before);
  });

  it("answers an out-of-range id with bad_request, never server_error (item 11)", async () => {
    const problems: string[] = [];
    for (const [key, c] of Object.entries(CASES)) {
      if (!c.outOfRange) continue;
      for (const who of ["owner:centre", "owner:trainee", "admin"]) {
        const ack = (await sockets.get(who)!.timeout(5000).emitWithAck(eventOf(key), c.outOfRange(o))) as Record<string, unknown>;
        if (ack.ok !== false || ack.error !== "bad_request") problems.push(`${key} as ${who}: ${JSON.stringify(ack)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  async function stateOf() {
    const exam = await t.db
      .selectFrom("exam")
      .select(["paused_at", "started_by_proctor_at", "session_ended_at", "closes_at"])
      .where("id", "=", o.examId)
      .executeTakeFirstOrThrow();
    const attempts = await t.db
      .selectFrom("attempt")
      .select(["id", "status", "deadline_at", "locked_at", "paused_at", "device_id"])
      .where("exam_id", "=", o.examId)
      .orderBy("id")
      .execute();
    const items = await t.db
      .selectFrom("attempt_item")
      .select(["position", "seq", "chosen"])
      .where("attempt_id", "=", o.attemptId)
      .orderBy("position")
      .execute();
    const events = await t.db.selectFrom("exam_event").select(["id", "kind"]).where("exam_id", "=", o.examId).orderBy("id").execute();
    const extra = await t.db.selectFrom("exam_accommodation").selectAll().where("exam_id", "=", o.examId).execute();
    return { exam, attempts, items, events: events.map((e) => `${e.id}:${e.kind}`), extra };
  }
});
