import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allocateUsernames, insertTraineeAccounts, type NewTrainee } from "../../server/accounts/usernames";
import { testDatabase, TEST_DB, type TestDatabase } from "./harness";

/**
 * The one username allocator (server/accounts/usernames.ts, decision 036): concurrent
 * account creations of the same prefix each get their own names, on both drivers.
 */
describe(`trainee username allocation (${TEST_DB})`, () => {
  let t: TestDatabase;
  let unitId: number;
  const today = "2026-03-05";

  async function people(n: number, tag: string): Promise<NewTrainee[]> {
    const rows = await t.db
      .insertInto("person")
      .values(Array.from({ length: n }, (_, i) => ({ org_unit_id: unitId, full_name: `Học Viên ${tag} ${i + 1}` })))
      .returning(["id", "full_name"])
      .execute();
    return rows.map((r) => ({ personId: r.id, displayName: r.full_name, orgUnitId: unitId, passwordHash: "not-a-login" }));
  }
  const usernames = async () =>
    (await t.db.selectFrom("user_account").select("username").orderBy("username").execute()).map((r) => r.username);

  beforeAll(async () => {
    t = await testDatabase();
    unitId = (
      await t.db
        .insertInto("org_unit")
        .values({ kind: "cell", name: "Chi bộ Thử", abbreviation: "CBT", path: "/1/" })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(() => t.destroy());

  it("gives concurrent account creations of one prefix distinct names that continue the sequence", async () => {
    expect(await t.db.transaction().execute((trx) => insertTraineeAccounts(trx, today, []))).toEqual([]);
    const batches = await Promise.all(Array.from({ length: 6 }, (_, i) => people(3, `Lô ${i + 1}`)));
    const results = await Promise.all(batches.map((b) => t.db.transaction().execute((trx) => insertTraineeAccounts(trx, today, b))));
    const all = results.flat();
    expect(new Set(all).size).toBe(18);
    expect([...all].sort()).toEqual(Array.from({ length: 18 }, (_, i) => `hv26${String(i + 1).padStart(4, "0")}`));
    expect(await usernames()).toEqual([...all].sort());
    // Each person got exactly one account with the trainee role.
    const roles = await t.db.selectFrom("role_assignment").select("role").where("role", "=", "trainee").execute();
    expect(roles).toHaveLength(18);
  });

  it("skips a name of the sequence chosen in the same batch, and counts past 9999 by number", async () => {
    const [chosen, blank] = await people(2, "Chọn");
    const names = await t.db
      .transaction()
      .execute((trx) => insertTraineeAccounts(trx, today, [{ ...chosen!, username: "hv260019" }, blank!]));
    expect(names).toEqual(["hv260019", "hv260020"]);

    const [far] = await people(1, "Xa");
    await t.db.transaction().execute((trx) => insertTraineeAccounts(trx, today, [{ ...far!, username: "hv269999" }]));
    const next = await Promise.all([0, 1].map(() => t.db.transaction().execute((trx) => allocateUsernames(trx, "hv26", 1))));
    // Allocation alone inserts nothing, so both read the same last number once the lock is free.
    expect(next).toEqual([["hv2610000"], ["hv2610000"]]);
    const [after] = await people(1, "Sau");
    expect(await t.db.transaction().execute((trx) => insertTraineeAccounts(trx, today, [after!]))).toEqual(["hv2610000"]);
    expect(await t.db.transaction().execute((trx) => allocateUsernames(trx, "hv26", 2))).toEqual(["hv2610001", "hv2610002"]);
  });

  it("refuses to allocate outside a transaction, where the lock would not hold", async () => {
    await expect(allocateUsernames(t.db, "hv26", 1)).rejects.toThrow(/inside the transaction/);
  });
});
