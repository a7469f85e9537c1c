import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoServices, loginAs, TEST_DB, type TestDatabase } from "./harness";
import type { Services } from "../../server/services";
import { lecturerWordFile } from "../fixtures/questions/word-journey";

describe(`question banks (${TEST_DB})`, () => {
  let t: TestDatabase;
  let s: Services;
  let bankId: number;
  const count = async () =>
    Number(
      (
        await t.db
          .selectFrom("question")
          .select((eb) => eb.fn.countAll().as("n"))
          .where("bank_id", "=", bankId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    ({ t, s } = await demoServices());
    bankId = (await s.banks.bankByCode("hd61")).id;
  });
  afterAll(() => t.destroy());

  it("seeds at least 20 approved questions per lesson of HD 61 and HD 60, over the three levels", async () => {
    const rows = await t.db
      .selectFrom("question as q")
      .innerJoin("question_bank as b", "b.id", "q.bank_id")
      .innerJoin("question_version as v", "v.id", "q.approved_version_id")
      .select(["b.code", "q.lesson_position", "v.level"])
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("q.status", "=", "approved")
      .where("b.code", "in", ["hd61", "hd60"])
      .groupBy(["b.code", "q.lesson_position", "v.level"])
      .execute();
    const perLesson = new Map<string, number>();
    for (const r of rows)
      perLesson.set(`${r.code}/${r.lesson_position}`, (perLesson.get(`${r.code}/${r.lesson_position}`) ?? 0) + Number(r.n));
    expect(perLesson.size).toBe(15);
    for (const n of perLesson.values()) expect(n).toBeGreaterThanOrEqual(20);
    expect(new Set(rows.map((r) => r.level))).toEqual(new Set(["nhan_biet", "thong_hieu", "van_dung"]));
  });

  it("refuses a Word file with a question without an answer, naming it, and changes nothing; imports the fixed file whole", async () => {
    const { viewer } = await loginAs(s, "giangvien");
    const before = await count();
    const bad = await s.banks.importPreview(viewer, bankId, { name: "cau-hoi.docx", bytes: await lecturerWordFile(true) });
    const errors = bad.issues.filter((i) => i.severity === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/^Câu 2 \(đoạn \d+\)/);
    await expect(s.banks.importCommit(viewer, bad.batchId)).rejects.toMatchObject({ status: 400 });
    expect(await count()).toBe(before);

    const good = await s.banks.importPreview(viewer, bankId, { name: "cau-hoi.docx", bytes: await lecturerWordFile(false) });
    expect(good.issues.filter((i) => i.severity === "error")).toEqual([]);
    expect(good.duplicates.length).toBeGreaterThanOrEqual(1); // question 1 is in the seed bank already
    expect((await s.banks.importCommit(viewer, good.batchId)).imported).toBe(3);
    expect(await count()).toBe(before + 3);
    const imported = await s.banks.list(viewer, bankId, { status: "submitted" });
    expect(imported.map((q) => [q.lesson_position, q.level, q.stem])).toEqual([
      [1, "nhan_biet", "Ngày nào hằng năm được lấy làm ngày kỷ niệm thành lập Đảng Cộng sản Việt Nam?"],
      [5, "nhan_biet", "Theo Điều lệ Đảng, người vào Đảng phải từ bao nhiêu tuổi trở lên?"],
      [5, "thong_hieu", "Thời gian dự bị của đảng viên là bao lâu?"],
    ]);
    const q3 = await s.banks.get(viewer, imported[2]!.id);
    expect((q3.latest.options as unknown as { text: string; fraction: number }[]).map((o) => o.fraction)).toEqual([0, 0, 1, 0]);
    expect(q3.latest.source).toBe("Điều lệ Đảng 2011, Điều 5");
  });

  it("lets only the committee approve; approval puts the question in use; an edit makes a new version and keeps the approved one in use", async () => {
    const { viewer: lecturer } = await loginAs(s, "giangvien");
    const { viewer: committee } = await loginAs(s, "bantuyengiao");
    const [q] = await s.banks.list(lecturer, bankId, { status: "submitted", lesson: 5, level: "thong_hieu" });
    await expect(s.banks.review(lecturer, [q!.id], { approve: true })).rejects.toMatchObject({ status: 403 });
    await s.banks.review(committee, [q!.id], { approve: true });
    let item = await s.banks.get(committee, q!.id);
    expect(item.question.status).toBe("approved");
    expect(item.question.approved_version_id).toBe(item.latest.id);

    const approvedId = item.latest.id;
    const edit = await s.banks.save(
      lecturer,
      bankId,
      {
        type: "single",
        level: "thong_hieu",
        lesson: 5,
        stem: "Theo Điều lệ Đảng, thời gian dự bị của đảng viên là bao lâu?",
        options: [
          { text: "6 tháng", fraction: 0 },
          { text: "9 tháng", fraction: 0 },
          { text: "12 tháng", fraction: 1 },
          { text: "24 tháng", fraction: 0 },
        ],
        explanation: "Điều 5 Điều lệ Đảng: thời gian dự bị là mười hai tháng.",
        source: "Điều lệ Đảng 2011, Điều 5",
      },
      q!.id,
    );
    expect(edit.ok).toBe(true);
    item = await s.banks.get(lecturer, q!.id);
    expect(item.versions).toHaveLength(2);
    expect(item.question).toMatchObject({ status: "draft", approved_version_id: approvedId });
    const v1 = await t.db.selectFrom("question_version").select("stem").where("id", "=", approvedId).executeTakeFirstOrThrow();
    expect(v1.stem).toBe("Thời gian dự bị của đảng viên là bao lâu?"); // never changed

    const invalid = await s.banks.save(lecturer, bankId, {
      type: "single",
      level: "nhan_biet",
      lesson: 1,
      stem: "Câu không có đáp án đúng?",
      options: [
        { text: "A", fraction: 0 },
        { text: "B", fraction: 0 },
      ],
      explanation: null,
      source: "x",
    });
    expect(invalid.ok).toBe(false);
    await expect(s.banks.review(committee, [q!.id], { approve: false, comment: "" })).rejects.toMatchObject({ status: 400 });
  });

  it("creates a new question and sends it for review without freezing the database (issue 14, item 1)", async () => {
    const { viewer: lecturer } = await loginAs(s, "giangvien");
    const within = <T>(p: Promise<T>, what: string, ms = 10_000) =>
      Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer after ${ms} ms`)), ms))]);
    // What the editor's "Lưu và gửi duyệt" does on a new question: save, then submit.
    const saved = await within(
      s.banks.save(lecturer, bankId, {
        type: "single",
        level: "nhan_biet",
        lesson: 2,
        stem: "Đảng Cộng sản Việt Nam ra đời vào năm nào?",
        options: [
          { text: "1925", fraction: 0 },
          { text: "1930", fraction: 1 },
          { text: "1945", fraction: 0 },
        ],
        explanation: "Ngày 3/2/1930, Hội nghị hợp nhất thành lập Đảng.",
        source: "Lịch sử Đảng",
      }),
      "save",
    );
    expect(saved.ok).toBe(true);
    const id = (saved as { ok: true; id: number }).id;
    await within(s.banks.submit(lecturer, [id]), "submit");
    // The database still answers afterwards (what /healthz asks).
    expect(await within(count(), "health query")).toBeGreaterThan(0);
    const item = await within(s.banks.get(lecturer, id), "read back");
    expect(item.question.status).toBe("submitted");
    expect(item.question.key).toMatch(/^hd61-q-[0-9a-f]{8}$/);
    expect(item.latest.stem).toBe("Đảng Cộng sản Việt Nam ra đời vào năm nào?");
  });

  it("exports to every format and a GIFT / Moodle XML / xlsx round trip gives the same questions back", async () => {
    const { viewer } = await loginAs(s, "giangvien");
    const approved = await s.banks.list(viewer, bankId, { status: "approved" });
    for (const format of ["gift", "moodle-xml", "xlsx"] as const) {
      const out = await s.banks.export(viewer, bankId, format, { status: "approved" });
      expect(out.count).toBe(approved.length);
      const back = await s.banks.importPreview(viewer, bankId, {
        name: `bank${format === "xlsx" ? ".xlsx" : format === "gift" ? ".gift.txt" : ".xml"}`,
        bytes: out.bytes,
      });
      expect(back.issues.filter((i) => i.severity === "error")).toEqual([]);
      expect(back.valid).toBe(approved.length);
      expect(back.sample.map((q) => q.stem)).toEqual(approved.slice(0, 100).map((q) => q.stem));
      expect(back.sample.map((q) => [q.lesson, q.level])).toEqual(approved.slice(0, 100).map((q) => [q.lesson_position, q.level]));
    }
    const aiken = await s.banks.export(viewer, bankId, "aiken", { status: "approved" });
    expect(aiken.count + aiken.skipped.length).toBe(approved.length); // Aiken carries single-choice only
  });

  it("imports and exports from the command line, with JSON counts and a non-zero exit on a bad file", async () => {
    if (TEST_DB !== "postgres") return; // the CLI opens its own connection: PostgreSQL only
    const run = promisify(execFile);
    const env = { ...process.env, DATABASE_URL: t.url!, LOG_LEVEL: "silent" };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qcli-"));
    fs.writeFileSync(path.join(dir, "bad.docx"), await lecturerWordFile(true));
    const bad = await run(
      "npx",
      ["tsx", "server/cli/main.ts", "questions:import", path.join(dir, "bad.docx"), "--bank", "hd61", "--json"],
      { env },
    ).catch((e) => e);
    expect(bad.code).toBe(3);
    expect(JSON.parse(bad.stdout)).toMatchObject({ imported: 0, errors: [{ message: expect.stringMatching(/^Câu 2/) }] });
    const out = path.join(dir, "hd60.gift.txt");
    const exp = await run(
      "npx",
      ["tsx", "server/cli/main.ts", "questions:export", "--bank", "hd60", "--format", "gift", "--out", out, "--json"],
      { env },
    );
    expect(JSON.parse(exp.stdout).exported).toBeGreaterThanOrEqual(200);
    expect(fs.readFileSync(out, "utf8")).toContain("$CATEGORY: $course$/top/HD60/Bài 1");
  }, 60_000);
});

describe(`question import refuses bad files whole (${TEST_DB})`, () => {
  let t: TestDatabase;
  let s: Services;
  beforeAll(async () => {
    ({ t, s } = await demoServices());
  });
  afterAll(() => t.destroy());

  it("gives a clear 400 for a fake .docx, truncated XML, a wrong encoding and an oversize file, and the bank is unchanged", async () => {
    const { viewer } = await loginAs(s, "giangvien");
    const bankId = (await s.banks.bankByCode("hd60")).id;
    const before = (await s.banks.list(viewer, bankId)).length;
    await expect(
      s.banks.importPreview(viewer, bankId, { name: "de.docx", bytes: new TextEncoder().encode("không phải Word") }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/Word/) });
    // "Câu 1" saved as Latin-1 in a CSV: not UTF-8.
    await expect(
      s.banks.importPreview(viewer, bankId, {
        name: "ngan-hang.csv",
        bytes: Uint8Array.from([...new TextEncoder().encode("Mã,Bài,Nội dung câu hỏi\nx,1,C"), 0xe2, 0x75, 0x20, 0x31, 0xff]),
      }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/UTF-8/) });
    await expect(s.banks.importPreview(viewer, bankId, { name: "lon.xml", bytes: new Uint8Array(25 * 1024 * 1024) })).rejects.toMatchObject(
      { status: 400 },
    );
    const truncated = await s.banks.importPreview(viewer, bankId, {
      name: "moodle.xml",
      bytes: new TextEncoder().encode(
        '<?xml version="1.0"?>\n<quiz>\n<question type="multichoice">\n<questiontext format="html"><text>Câu hỏi',
      ),
    });
    expect(truncated.issues.filter((i) => i.severity === "error")).toHaveLength(1);
    await expect(s.banks.importCommit(viewer, truncated.batchId)).rejects.toMatchObject({ status: 400 });
    const csv =
      "Mã;Bài;Mức độ;Loại;Nội dung câu hỏi;Phương án A;Phương án B;Phương án C;Phương án D;Phương án E;Đáp án đúng;Giải thích;Nguồn;Thẻ\nx1;1;Nhận biết;Một lựa chọn;=1+2 là công thức hay câu hỏi?;A;B;C;D;;A;;Nguồn;\n";
    const injected = await s.banks.importPreview(viewer, bankId, { name: "cong-thuc.csv", bytes: new TextEncoder().encode(csv) });
    expect(injected.issues.some((i) => /công thức/i.test(i.message))).toBe(true);
    expect((await s.banks.list(viewer, bankId)).length).toBe(before);
  });

  it("lists a bank a page at a time (25), with search over stem, tag and source, and filters by type and status", async () => {
    const { viewer } = await loginAs(s, "giangvien");
    const bankId = (await s.banks.bankByCode("hd61")).id;
    const all = (await s.banks.list(viewer, bankId)).length;
    expect(all).toBeGreaterThan(25);
    const first = await s.banks.page(viewer, bankId);
    expect(first).toMatchObject({ total: all, page: 1, pages: Math.ceil(all / 25), perPage: 25 });
    expect(first.questions).toHaveLength(25);
    const last = await s.banks.page(viewer, bankId, { page: 999 });
    expect(last.page).toBe(first.pages);
    expect(last.questions).toHaveLength(all - 25 * (first.pages - 1));
    const second = await s.banks.page(viewer, bankId, { page: 2 });
    expect(second.questions.map((q) => q.id).filter((id) => first.questions.some((x) => x.id === id))).toEqual([]);

    const essays = await s.banks.page(viewer, bankId, { type: "essay" });
    expect(essays.total).toBeGreaterThan(0);
    expect(essays.questions.every((q) => q.type === "essay")).toBe(true);
    const word = first.questions[0]!.stem.split(/\s+/).slice(0, 3).join(" ");
    const found = await s.banks.page(viewer, bankId, { search: word.toLocaleUpperCase("vi") });
    expect(found.questions.some((q) => q.id === first.questions[0]!.id)).toBe(true);
    const tagged = await t.db
      .selectFrom("question_version as v")
      .innerJoin("question as q", "q.latest_version_id", "v.id")
      .select(["q.id", "v.tags"])
      .where("q.bank_id", "=", bankId)
      .execute();
    const withTag = tagged.find((r) => Array.isArray(r.tags) && (r.tags as string[]).length);
    if (withTag)
      expect(
        (await s.banks.page(viewer, bankId, { search: (withTag.tags as string[])[0]!, perPage: 100 })).questions.map((q) => q.id),
      ).toContain(withTag.id);
    expect((await s.banks.page(viewer, bankId, { search: "%" })).total).toBe(0); // a value, never a pattern
  });
});
