import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { manualClock } from "../../server/clock";
import { createUnit } from "../../server/organisations/service";
import { createAccount } from "../../server/accounts/service";
import { loginAs, testDatabase, testServices, TEST_DB, type TestDatabase } from "./harness";
import type { Services } from "../../server/services";
import type { Viewer } from "../../server/auth/scope";
import type { Role } from "../../server/db/schema";
import * as migration0011 from "../../db/migrations/20261207_0011_survey_anonymity";

/**
 * Issue 13, item 3 (decision 017): an anonymous answer must not be linkable to its
 * participation by anything the database keeps — columns, system columns (xmin),
 * physical order, dates — and the results a reader sees must never change by fewer
 * answers than the survey's minimum group.
 */

function viewerOf(personId: number | null, role: Role, unit: { id: number; path: string }): Viewer {
  return {
    userId: `test-${role}-${personId ?? unit.id}`,
    username: `test.${role}`,
    displayName: "Kiểm thử",
    personId,
    mustChangePassword: false,
    sessionId: "s",
    roles: [{ role, orgUnitId: unit.id, orgPath: unit.path, orgName: "", readOnly: false }],
  };
}

const likert = (i: number) => ({
  nd1: String(1 + (i % 5)),
  nd2: String(1 + ((i * 2) % 5)),
  gv1: "4",
  gv2: String(1 + ((i * 3) % 5)),
  tc1: "3",
  tc2: "4",
  vc1: String(1 + ((i + 2) % 5)),
  tg: String(i % 3),
});
const comment = (i: number) => `Ý kiến số ${String(i).padStart(2, "0")}`;
const indexOf = (text: string) => Number(text.slice("Ý kiến số ".length));

describe(`anonymous survey storage (${TEST_DB})`, () => {
  let t: TestDatabase;
  let s: Services;
  const key = randomBytes(32).toString("base64");
  const clock = manualClock("2026-11-22T09:00:00+07:00");
  let root: { id: number; path: string };
  let organiser: Viewer;
  let committee: Viewer;
  let classId: number;
  let templateId: number;
  const people: number[] = [];
  const trainee = (i: number) => viewerOf(people[i]!, "trainee", root);

  async function newSurvey(minGroup: number) {
    clock.set("2026-11-22T09:00:00+07:00");
    return (await s.surveys.attach(organiser, { classId, templateId, minGroup, opensOn: "2026-11-20" })).id;
  }
  async function submit(surveyId: number, i: number, extra: Record<string, string> = {}) {
    expect(await s.surveys.submit(trainee(i), surveyId, { ...likert(i), y1: comment(i), ...extra })).toEqual({ ok: true });
  }
  /** Closes the survey on the 24th and moves "today" past it. */
  async function close(surveyId: number, minGroup: number) {
    expect(
      await s.surveys.updateSettings(organiser, surveyId, { minGroup, requiredForCertificate: false, closesOn: "2026-11-24" }),
    ).toEqual({ ok: true });
    clock.set("2026-11-26T09:00:00+07:00");
  }
  const pending = async (surveyId: number) =>
    Number(
      (await sql<{ n: number }>`select count(*)::int as n from survey_pending where survey_id = ${surveyId}`.execute(t.db)).rows[0]!.n,
    );

  beforeAll(async () => {
    t = await testDatabase();
    s = await testServices(t, clock, { SURVEY_SEAL_KEY: key });
    const province = await createUnit(t.db, { parentId: null, kind: "province", name: "Tỉnh ủy Ẩn Danh", abbreviation: "TU" });
    const commune = await createUnit(t.db, { parentId: province.id, kind: "commune", name: "Đảng ủy xã Ẩn Danh", abbreviation: "ĐU" });
    root = { id: province.id, path: province.path };
    committee = viewerOf(null, "committee", root);
    const centre = (
      await t.db
        .insertInto("training_centre")
        .values({ org_unit_id: commune.id, name: "Trung tâm Chính trị xã Ẩn Danh", abbreviation: "TTCT" })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
    await t.db
      .insertInto("programme")
      .values({ code: "hd61", name: "Nhận thức về Đảng", manifest: "{}", manifest_hash: "x" })
      .onConflict((oc) => oc.doNothing())
      .execute();
    classId = (
      await t.db
        .insertInto("training_class")
        .values({ centre_id: centre, programme_code: "hd61", name: "Lớp Ẩn Danh", starts_on: "2026-11-16", ends_on: "2026-11-20" })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
    for (let i = 0; i < 30; i++) {
      const p = (
        await t.db
          .insertInto("person")
          .values({ org_unit_id: commune.id, full_name: `Học viên ${i}` })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id;
      people.push(p);
      await t.db.insertInto("class_enrolment").values({ class_id: classId, person_id: p }).execute();
    }
    await createAccount(t.db, {
      username: "canbo.andanh",
      password: "demo12345",
      displayName: "Cán bộ Ẩn Danh",
      roles: [{ role: "centre_admin", orgUnitId: root.id }],
    });
    organiser = (await loginAs(s, "canbo.andanh")).viewer;
    templateId = (await s.surveys.templates(organiser)).find((x) => x.kind === "course")!.id;
  }, 120_000);
  afterAll(() => t?.destroy());

  it("leaves no xmin, physical order or date that links a participation to its answer", async () => {
    const surveyId = await newSurvey(5);
    // Twelve trainees over three days, four a day; trainee i writes comment i.
    for (let i = 0; i < 12; i++) {
      clock.set(`2026-11-2${2 + Math.floor(i / 4)}T0${1 + (i % 4)}:00:00+07:00`);
      await submit(surveyId, i);
    }
    await close(surveyId, 5);
    const r = await s.surveys.results(committee, surveyId);
    expect(r.results).toMatchObject({ hidden: false, responses: 12 });
    expect(await pending(surveyId)).toBe(0);

    // 1. The system column xmin: no response, answer or counter row shares a transaction with a participation.
    for (const table of ["survey_response", "survey_answer", "survey_stat"]) {
      const join =
        table === "survey_answer"
          ? sql<{
              n: number;
            }>`select count(*)::int as n from survey_participation p join survey_answer a on a.xmin = p.xmin join survey_response r on r.id = a.response_id where p.survey_id = ${surveyId}`
          : sql<{
              n: number;
            }>`select count(*)::int as n from survey_participation p join ${sql.table(table)} x on x.xmin = p.xmin where p.survey_id = ${surveyId}`;
      expect((await join.execute(t.db)).rows[0]!.n, table).toBe(0);
    }
    // Every transaction that wrote responses, and every date they carry, covers a whole group.
    const groups = await sql<{ xmin: string; day: string; n: number }>`
      select xmin::text as xmin, responded_on::text as day, count(*)::int as n from survey_response where survey_id = ${surveyId} group by 1, 2`.execute(
      t.db,
    );
    for (const g of groups.rows) expect(g.n, `responses written together (${g.xmin}, ${g.day})`).toBeGreaterThanOrEqual(5);
    const days = await sql<{
      day: string;
      n: number;
    }>`select responded_on::text as day, count(*)::int as n from survey_response where survey_id = ${surveyId} group by 1`.execute(t.db);
    for (const d of days.rows) expect(d.n, `responses dated ${d.day}`).toBeGreaterThanOrEqual(5);

    // 2. Physical order: the comments in heap order are not the participations' order.
    const byPosition = async (q: ReturnType<typeof sql<{ text: string }>>) => (await q.execute(t.db)).rows.map((x) => indexOf(x.text));
    const participants = (
      await sql<{ person_id: number }>`select person_id from survey_participation where survey_id = ${surveyId} order by ctid`.execute(t.db)
    ).rows.map((x) => people.indexOf(x.person_id));
    expect(participants).toEqual([...Array(12).keys()]);
    const answerOrder = await byPosition(
      sql<{
        text: string;
      }>`select a.text from survey_answer a join survey_response r on r.id = a.response_id where r.survey_id = ${surveyId} and a.text is not null order by a.ctid`,
    );
    const responseOrder = await byPosition(
      sql<{
        text: string;
      }>`select a.text from survey_response r join survey_answer a on a.response_id = r.id where r.survey_id = ${surveyId} and a.text is not null order by r.ctid`,
    );
    expect([...answerOrder].sort((a, b) => a - b)).toEqual(participants); // all twelve are there …
    expect(answerOrder).not.toEqual(participants); // … but not in the order they were sent
    expect(responseOrder).not.toEqual(participants);
  });

  it("releases a batch shuffled, at closing, in one transaction and one date", async () => {
    const surveyId = await newSurvey(10);
    for (let i = 0; i < 12; i++) await submit(surveyId, i);
    // Twelve sent, fewer than twice the minimum: nothing is readable before closing.
    expect((await s.surveys.results(committee, surveyId)).results).toMatchObject({ hidden: true, responses: 0 });
    expect(await t.db.selectFrom("survey_response").select("id").where("survey_id", "=", surveyId).execute()).toEqual([]);
    expect(await pending(surveyId)).toBe(12);

    await close(surveyId, 10);
    const r = await s.surveys.results(committee, surveyId);
    expect(r.results).toMatchObject({ hidden: false, responses: 12 });
    expect(r.survey.pending).toBe(0);
    const rows = (
      await sql<{ text: string; xmin: string; day: string }>`
        select a.text, r.xmin::text as xmin, r.responded_on::text as day from survey_response r join survey_answer a on a.response_id = r.id
        where r.survey_id = ${surveyId} and a.text is not null order by r.ctid`.execute(t.db)
    ).rows;
    expect(rows).toHaveLength(12);
    expect(new Set(rows.map((x) => x.xmin)).size).toBe(1); // one release transaction
    expect(new Set(rows.map((x) => x.day))).toEqual(new Set(["2026-11-26"])); // the release day only
    const order = rows.map((x) => indexOf(x.text));
    expect([...order].sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
    expect(order).not.toEqual([...Array(12).keys()]); // shuffled (chance of a false failure: 1 in 12!)
    // The comments reach readers sorted by their text, whatever the order of release.
    expect(r.comments[0]!.texts).toEqual([...Array(12).keys()].map(comment));
  });

  it("never lets one submission change what a reader sees", async () => {
    const surveyId = await newSurvey(3);
    const seen = async () => {
      const r = await s.surveys.results(committee, surveyId);
      return { results: r.results, comments: r.comments };
    };
    const history = [await seen()];
    for (let i = 0; i < 14; i++) {
      await submit(surveyId, i, { y1: `Riêng của người thứ ${i}` });
      history.push(await seen());
    }
    // Before/after each single submission: either nothing changed, or a whole group of ≥ 3 arrived.
    let changes = 0;
    for (let i = 1; i < history.length; i++) {
      const before = history[i - 1]!;
      const after = history[i]!;
      if (JSON.stringify(before) === JSON.stringify(after)) continue;
      changes++;
      expect(after.results.responses - before.results.responses, `after submission ${i}`).toBeGreaterThanOrEqual(3);
    }
    expect(changes).toBeGreaterThan(0); // results do appear while the survey is open
    expect(changes).toBeLessThan(14);
    // The last answers wait; closing releases them all (a group of at least three).
    const last = history.at(-1)!.results.responses;
    const waiting = await pending(surveyId);
    expect(last + waiting).toBe(14);
    expect(waiting).toBeGreaterThanOrEqual(3);
    await close(surveyId, 3);
    expect((await seen()).results.responses).toBe(14);
  });

  it("keeps a survey that stayed below the minimum sealed, counted and hidden at closing", async () => {
    const surveyId = await newSurvey(5);
    for (let i = 0; i < 4; i++) await submit(surveyId, i);
    expect(
      await s.surveys.updateSettings(organiser, surveyId, { minGroup: 5, requiredForCertificate: false, closesOn: "2026-02-30" }),
    ).toEqual({ ok: false, problems: ["Ngày đóng phiếu không hợp lệ; hãy chọn lại ngày."] });
    await close(surveyId, 5);
    const r = await s.surveys.results(committee, surveyId);
    expect(r.results).toEqual({ hidden: true, responses: 0, minGroup: 5 });
    expect(r.survey.pending).toBe(4);
    expect(r.comments).toEqual([]);
    expect(await t.db.selectFrom("survey_response").select("id").where("survey_id", "=", surveyId).execute()).toEqual([]);
    expect((await s.surveys.mine(trainee(0))).find((m) => m.id === surveyId)?.answered).toBe(true);
  });

  it("stores waiting answers sealed: fixed size, nothing readable, no id or time", async () => {
    const cols = await sql<{ column_name: string }>`
      select column_name from information_schema.columns where table_schema = current_schema() and table_name = 'survey_pending' order by ordinal_position`.execute(
      t.db,
    );
    expect(cols.rows.map((c) => c.column_name)).toEqual(["survey_id", "sealed"]);
    const surveyId = await newSurvey(20);
    const secret = "Giảng viên Bùi đến muộn mọi buổi";
    await submit(surveyId, 0, { y1: "Tốt" });
    await submit(surveyId, 1, { y1: secret.repeat(50), y2: secret });
    const rows = await t.db.selectFrom("survey_pending").select("sealed").where("survey_id", "=", surveyId).execute();
    expect(rows).toHaveLength(2);
    const [a, b] = rows.map((r) => Buffer.from(r.sealed));
    expect(a!.length).toBe(b!.length); // a long comment is not told apart by size
    for (const blob of [a!, b!]) {
      expect(blob.includes(Buffer.from("Giảng viên", "utf8"))).toBe(false);
      expect(blob.includes(Buffer.from("Tốt", "utf8"))).toBe(false);
    }
  });

  describe("nothing is lost, nothing is counted twice", () => {
    it("a failure inside the submission records neither the participation nor the answer", async () => {
      const surveyId = await newSurvey(3);
      await sql`alter table survey_pending add constraint crash_here check (survey_id <> ${sql.lit(surveyId)}) not valid`.execute(t.db);
      try {
        await expect(s.surveys.submit(trainee(0), surveyId, { ...likert(0), y1: comment(0) })).rejects.toThrow();
      } finally {
        await sql`alter table survey_pending drop constraint crash_here`.execute(t.db);
      }
      // Not recorded as sent: the trainee may (and must) answer again, once.
      expect((await s.surveys.form(trainee(0), surveyId)).answered).toBe(false);
      await submit(surveyId, 0);
      expect(await s.surveys.submit(trainee(0), surveyId, likert(0))).toEqual({
        ok: false,
        problems: ["Anh/chị đã gửi phiếu này rồi; mỗi học viên gửi một lần."],
      });
      expect(await pending(surveyId)).toBe(1);
    });

    it("a failing release keeps every acknowledged answer sealed until a later release, even after a restart", async () => {
      const surveyId = await newSurvey(3);
      await sql`alter table survey_answer add constraint crash_here check (question_key <> 'y1' or text not like 'Ý kiến số%') not valid`.execute(
        t.db,
      );
      try {
        for (let i = 0; i < 7; i++) await submit(surveyId, i); // acknowledged although every release fails
      } finally {
        await sql`alter table survey_answer drop constraint crash_here`.execute(t.db);
      }
      expect(await pending(surveyId)).toBe(7);
      expect(await t.db.selectFrom("survey_response").select("id").where("survey_id", "=", surveyId).execute()).toEqual([]);
      expect((await t.db.selectFrom("survey").select("responses").where("id", "=", surveyId).executeTakeFirstOrThrow()).responses).toBe(0);

      // A process started with another key cannot open them: it releases nothing and loses nothing.
      const stranger = await testServices(t, clock, { SURVEY_SEAL_KEY: randomBytes(32).toString("base64") });
      await expect(stranger.surveys.releaseDue()).rejects.toThrow(/SURVEY_SEAL_KEY/);
      expect(await pending(surveyId)).toBe(7);

      // A restarted process with the key (its startup sweep) releases what is due: 7 waiting ≥ 2 × 3 → 4 now.
      const restarted = await testServices(t, clock, { SURVEY_SEAL_KEY: `${randomBytes(32).toString("base64")},${key}` }); // the old key, after a rotation
      expect(await restarted.surveys.releaseDue()).toEqual([{ surveyId, released: 4 }]);
      await close(surveyId, 3);
      expect(await restarted.surveys.releaseDue()).toEqual([{ surveyId, released: 3 }]);
      const texts = await t.db
        .selectFrom("survey_answer as a")
        .innerJoin("survey_response as r", "r.id", "a.response_id")
        .select("a.text")
        .where("r.survey_id", "=", surveyId)
        .where("a.question_key", "=", "y1")
        .execute();
      expect(texts.map((x) => x.text).sort()).toEqual([...Array(7).keys()].map(comment));
      const participations = await t.db.selectFrom("survey_participation").select("person_id").where("survey_id", "=", surveyId).execute();
      expect(participations).toHaveLength(7);
      expect((await t.db.selectFrom("survey").select("responses").where("id", "=", surveyId).executeTakeFirstOrThrow()).responses).toBe(7);
      const stat = await t.db
        .selectFrom("survey_stat")
        .select(sql<number>`sum(n)::int`.as("n"))
        .where("survey_id", "=", surveyId)
        .where("question_key", "=", "nd1")
        .executeTakeFirstOrThrow();
      expect(Number(stat.n)).toBe(7);
    });
  });

  it("migration 0011 re-lays answers stored the old way: no shared xmin, order or submission day remains", async () => {
    const surveyId = await newSurvey(5);
    // The old submission path: participation, response, answers and counters in one transaction, day by day.
    for (let i = 0; i < 12; i++)
      await t.db.transaction().execute(async (trx) => {
        await trx.insertInto("survey_participation").values({ survey_id: surveyId, person_id: people[i]! }).execute();
        const id = crypto.randomUUID();
        await trx
          .insertInto("survey_response")
          .values({ id, survey_id: surveyId, responded_on: `2026-11-${10 + i}` })
          .execute();
        await trx
          .insertInto("survey_answer")
          .values([
            { response_id: id, question_key: "y1", value: null, text: comment(i) },
            { response_id: id, question_key: "nd1", value: 1 + (i % 5), text: null },
          ])
          .execute();
        await trx
          .insertInto("survey_stat")
          .values({ survey_id: surveyId, question_key: "nd1", section: "content", value: 1 + (i % 5), n: 1 })
          .onConflict((oc) => oc.columns(["survey_id", "question_key", "value"]).doUpdateSet({ n: sql`survey_stat.n + 1` }))
          .execute();
      });
    const linked = () =>
      sql<{
        n: number;
      }>`select (select count(*) from survey_participation p join survey_response r on r.xmin = p.xmin where p.survey_id = ${surveyId})
        + (select count(*) from survey_participation p join survey_stat x on x.xmin = p.xmin where p.survey_id = ${surveyId}) as n`.execute(
        t.db,
      );
    expect(Number((await linked()).rows[0]!.n)).toBeGreaterThan(0); // what an installation holds today

    await t.db.transaction().execute(async (trx) => {
      await migration0011.down(trx);
      await migration0011.up(trx);
    });
    expect(Number((await linked()).rows[0]!.n)).toBe(0);
    const rows = (
      await sql<{
        text: string;
        day: string;
      }>`select a.text, r.responded_on::text as day from survey_response r join survey_answer a on a.response_id = r.id
        where r.survey_id = ${surveyId} and a.question_key = 'y1' order by r.ctid`.execute(t.db)
    ).rows;
    expect(new Set(rows.map((r) => r.day))).toEqual(new Set(["2026-11-21"])); // the survey's latest day only
    const order = rows.map((r) => indexOf(r.text));
    expect([...order].sort((a, b) => a - b)).toEqual([...Array(12).keys()]); // nothing lost …
    expect(order).not.toEqual([...Array(12).keys()]); // … and no longer in submission order
    const stat = await t.db
      .selectFrom("survey_stat")
      .select(sql<number>`sum(n)::int`.as("n"))
      .where("survey_id", "=", surveyId)
      .executeTakeFirstOrThrow();
    expect(Number(stat.n)).toBe(12);
  });
});
