import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoServices, loginAs, TEST_DB, type TestDatabase } from "./harness";
import type { Services } from "../../server/services";
import type { Viewer } from "../../server/auth/scope";
import { docxBomb, lyingZip, realXlsx, xlsxBomb, xlsxManyEntries, xlsxManyRows } from "../fixtures/hostile-uploads";

/**
 * Every upload path through its service (issue 13, item 8): trainee accounts,
 * nominations, question banks. A hostile file is refused with a Vietnamese message that
 * names the limit, and nothing is saved — no import batch, no person, no question.
 */
describe(`hostile uploads on every import path (${TEST_DB})`, () => {
  let t: TestDatabase;
  let s: Services;
  let centre: Viewer;
  let secretary: Viewer;
  let lecturer: Viewer;
  let bankId: number;
  let files: Record<string, Uint8Array>;

  beforeAll(async () => {
    ({ t, s } = await demoServices());
    centre = (await loginAs(s, "canbo.tanlap")).viewer;
    secretary = (await loginAs(s, "bithu")).viewer;
    lecturer = (await loginAs(s, "giangvien")).viewer;
    bankId = (await s.banks.bankByCode("hd61")).id;
    files = {
      "bom.xlsx": await xlsxBomb(20),
      "nhieu-thanh-phan.xlsx": await xlsxManyEntries(1_005),
      "nhieu-dong.xlsx": await xlsxManyRows(20_001),
      "noi-doi.xlsx": await lyingZip(await realXlsx(), "xl/sharedStrings.xml"),
      "qua-lon.xlsx": new Uint8Array(10 * 1024 * 1024 + 1),
    };
  }, 120_000);
  afterAll(() => t.destroy());

  const counts = async () => ({
    batches: Number(
      (
        await t.db
          .selectFrom("import_batch")
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    ),
    people: Number(
      (
        await t.db
          .selectFrom("person")
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    ),
    nominations: Number(
      (
        await t.db
          .selectFrom("nomination")
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    ),
    questions: Number(
      (
        await t.db
          .selectFrom("question")
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    ),
  });
  const expected: Record<string, RegExp> = {
    "bom.xlsx": /bom nén.*100:1/,
    "nhieu-thanh-phan.xlsx": /thành phần bên trong, vượt giới hạn 1\.000/,
    "nhieu-dong.xlsx": /vượt giới hạn 20\.000 dòng/,
    "noi-doi.xlsx": /xl\/sharedStrings\.xml/,
    "qua-lon.xlsx": /Tệp quá lớn.*giới hạn là 10 MB/,
  };

  it("trainee accounts: each hostile file refused, nothing saved", async () => {
    const before = await counts();
    for (const [name, bytes] of Object.entries(files)) {
      await expect(s.accounts.previewTraineeImport(centre, { name, bytes }), name).rejects.toMatchObject({
        status: 400,
        message: expect.stringMatching(expected[name]!),
      });
    }
    expect(await counts()).toEqual(before);
  }, 120_000);

  it("nominations: each hostile file refused, nothing saved", async () => {
    const before = await counts();
    for (const [name, bytes] of Object.entries(files)) {
      await expect(s.classPlan.previewNominationImport(secretary, { programmeCode: "hd61" }, { name, bytes }), name).rejects.toMatchObject({
        status: 400,
        message: expect.stringMatching(expected[name]!),
      });
    }
    expect(await counts()).toEqual(before);
  }, 120_000);

  it("question banks: Word and Excel bombs and an oversized file refused, nothing saved", async () => {
    const before = await counts();
    await expect(s.banks.importPreview(lecturer, bankId, { name: "bom.docx", bytes: await docxBomb(20) })).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/Tệp \.docx.*bom nén/),
    });
    await expect(s.banks.importPreview(lecturer, bankId, { name: "bom.xlsx", bytes: files["bom.xlsx"]! })).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/bom nén/),
    });
    await expect(s.banks.importPreview(lecturer, bankId, { name: "noi-doi.xlsx", bytes: files["noi-doi.xlsx"]! })).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/sharedStrings/),
    });
    await expect(
      s.banks.importPreview(lecturer, bankId, { name: "qua-lon.xlsx", bytes: new Uint8Array(20 * 1024 * 1024 + 1) }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/giới hạn là 20 MB/) });
    expect(await counts()).toEqual(before);
  }, 120_000);
});
