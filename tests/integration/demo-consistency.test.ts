import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { isCertificateNumber } from "../../server/rules/certificate-number";
import { demoServices, loginAs, TEST_DB, type TestDatabase } from "./harness";
import type { Services } from "../../server/services";

// Issue 20, point 5: the demo contradicted itself — "Đạt yêu cầu" with a score but no test
// sat, a certificate without a passing result, register numbers in two formats.
describe(`demo data is consistent (${TEST_DB})`, () => {
  let t: TestDatabase;
  let s: Services;

  beforeAll(async () => {
    ({ t, s } = await demoServices());
  });
  afterAll(() => t.destroy());

  it("every result with a score comes from a submitted (graded) attempt of that class, with that score", async () => {
    const orphans = await t.db
      .selectFrom("class_result as r")
      .innerJoin("person as p", "p.id", "r.person_id")
      .innerJoin("training_class as c", "c.id", "r.class_id")
      .select(["p.full_name", "c.name as class_name", sql<string>`r.score::text`.as("score")])
      .where("r.score", "is not", null)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom("attempt as a")
              .innerJoin("exam as e", "e.id", "a.exam_id")
              .select("a.id")
              .whereRef("e.class_id", "=", "r.class_id")
              .whereRef("a.person_id", "=", "r.person_id")
              .where("e.kind", "=", "official")
              .where("a.status", "=", "submitted")
              .where("a.score", "is not", null)
              .whereRef("a.score", "=", "r.score"),
          ),
        ),
      )
      .execute();
    expect(orphans).toEqual([]);
    const n = await t.db
      .selectFrom("class_result")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("score", "is not", null)
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBeGreaterThan(20);
  });

  it("every passed result has a score of at least the pass mark", async () => {
    const bad = await t.db
      .selectFrom("class_result")
      .select(["class_id", "person_id"])
      .where("outcome", "=", "passed")
      .where((eb) => eb.or([eb("score", "is", null), eb("score", "<", 5)]))
      .execute();
    expect(bad).toEqual([]);
  });

  it("every certificate has a passing result of its class", async () => {
    const bad = await t.db
      .selectFrom("certificate as z")
      .innerJoin("person as p", "p.id", "z.person_id")
      .leftJoin("class_result as r", (j) => j.onRef("r.class_id", "=", "z.class_id").onRef("r.person_id", "=", "z.person_id"))
      .select(["p.full_name", "z.number_label", "r.outcome"])
      .where((eb) => eb.or([eb("r.outcome", "is", null), eb("r.outcome", "!=", "passed")]))
      .execute();
    expect(bad).toEqual([]);
    const n = await t.db
      .selectFrom("certificate")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBeGreaterThan(5);
  });

  it("every certificate number follows the one documented format", async () => {
    const labels = (await t.db.selectFrom("certificate").select("number_label").execute()).map((r) => r.number_label);
    expect(labels.filter((l) => !isCertificateNumber(l))).toEqual([]);
  });

  it('recomputing every class\'s results through the service ("Tính kết quả") changes no result and leaves every certificate holder passed', async () => {
    const snapshot = async () =>
      (
        await t.db
          .selectFrom("class_result")
          .select(["class_id", "person_id", "outcome", sql<string>`score::text`.as("score")])
          .orderBy("class_id")
          .orderBy("person_id")
          .execute()
      ).map((r) => `${r.class_id}/${r.person_id}: ${r.outcome} ${r.score}`);
    const before = await snapshot();
    const classes = await t.db
      .selectFrom("training_class as c")
      .innerJoin("training_centre as z", "z.id", "c.centre_id")
      .select(["c.id", "z.name"])
      .execute();
    const staff = { tanlap: (await loginAs(s, "canbo.tanlap")).viewer, binhminh: (await loginAs(s, "canbo.binhminh")).viewer };
    const withResults = new Set(before.map((l) => Number(l.split("/")[0])));
    for (const c of classes.filter((x) => withResults.has(x.id)))
      await s.classRecords.computeResults(/Bình Minh/.test(c.name) ? staff.binhminh : staff.tanlap, c.id);
    expect(await snapshot()).toEqual(before);
    const unbacked = await t.db
      .selectFrom("certificate as z")
      .leftJoin("class_result as r", (j) => j.onRef("r.class_id", "=", "z.class_id").onRef("r.person_id", "=", "z.person_id"))
      .select("z.number_label")
      .where("z.status", "=", "valid")
      .where((eb) => eb.or([eb("r.outcome", "is", null), eb("r.outcome", "!=", "passed")]))
      .execute();
    expect(unbacked).toEqual([]);
  });
});
