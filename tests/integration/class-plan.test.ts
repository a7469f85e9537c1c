import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import jsQR from "jsqr";
import { manualClock } from "../../server/clock";
import { seedDemo } from "../../server/seed/demo";
import { createAccount } from "../../server/accounts/service";
import { nextDocumentNumber } from "../../server/classes/numbering";
import { loginAs, testDatabase, testServices, TEST_DB, type TestDatabase } from "./harness";
import type { Services } from "../../server/services";

/** A binary PGM/PPM (what pdfimages writes) as RGBA on a white frame: jsQR wants a quiet zone. */
function framedImage(pnm: Buffer): [Uint8ClampedArray, number, number] {
  const header = /^P([56])\s+(\d+)\s+(\d+)\s+255\s/.exec(pnm.subarray(0, 40).toString("latin1"))!;
  const channels = header[1] === "6" ? 3 : 1;
  const [w, h] = [Number(header[2]), Number(header[3])];
  const pixels = pnm.subarray(header[0].length);
  const pad = 16;
  const W = w + 2 * pad;
  const H = h + 2 * pad;
  const out = new Uint8ClampedArray(W * H * 4).fill(255);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const v = pixels[(y * w + x) * channels]!;
      const i = ((y + pad) * W + x + pad) * 4;
      out[i] = out[i + 1] = out[i + 2] = v;
    }
  return [out, W, H];
}

describe(`class plan (${TEST_DB})`, () => {
  let t: TestDatabase;
  let s: Services;
  const clock = manualClock("2026-02-10T08:00:00+07:00");
  const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/nominations/${name}`, import.meta.url)));
  const has = (tool: string) => spawnSync("which", [tool]).status === 0;
  const unitId = async (name: string) =>
    (await t.db.selectFrom("org_unit").select("id").where("name", "=", name).executeTakeFirstOrThrow()).id;

  beforeAll(async () => {
    t = await testDatabase();
    s = await testServices(t, clock);
    await s.curricula.syncFromFiles();
    await seedDemo(t.db);
  });
  afterAll(() => t.destroy());

  describe("document numbering", () => {
    it("runs from 01 per issuer and type, concurrently without gaps or duplicates, and resets with a new term", async () => {
      void s;
      const tanLap = await unitId("Đảng ủy xã Tân Lập");
      const first = await nextDocumentNumber(t.db, { unitId: tanLap, docType: "BC" });
      expect(first).toEqual({ no: 1, label: "01-BC/TTCT", termLabel: "2025-2030" });
      const many = await Promise.all(Array.from({ length: 12 }, () => nextDocumentNumber(t.db, { unitId: tanLap, docType: "BC" })));
      expect(many.map((n) => n.no).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 2));
      expect(many.find((n) => n.no === 10)!.label).toBe("10-BC/TTCT");
      // Another type, and the committee's own documents, have their own counters.
      expect((await nextDocumentNumber(t.db, { unitId: tanLap, docType: "KH" })).label).toBe("01-KH/TTCT");
      expect((await nextDocumentNumber(t.db, { unitId: tanLap, docType: "BC", issuerAbbr: "ĐU" })).label).toBe("01-BC/ĐU");
      // A number taken in a rolled-back transaction is given back.
      await t.db
        .transaction()
        .execute(async (trx) => {
          expect((await nextDocumentNumber(trx, { unitId: tanLap, docType: "KH" })).no).toBe(2);
          throw new Error("rollback");
        })
        .catch(() => {});
      expect((await nextDocumentNumber(t.db, { unitId: tanLap, docType: "KH" })).no).toBe(2);
      // A cell has no term: it numbers in its commune's term.
      const cell = await unitId("Chi bộ thôn Đông Hòa");
      expect(await nextDocumentNumber(t.db, { unitId: cell, docType: "BC" })).toEqual({ no: 1, label: "01-BC/CB", termLabel: "2025-2030" });
      // The new term starts again from 01.
      await t.db.updateTable("org_unit").set({ term_label: "2030-2035", term_start: "2030-07-01" }).where("id", "=", tanLap).execute();
      expect(await nextDocumentNumber(t.db, { unitId: tanLap, docType: "BC" })).toEqual({
        no: 1,
        label: "01-BC/TTCT",
        termLabel: "2030-2035",
      });
      await t.db.updateTable("org_unit").set({ term_label: "2025-2030", term_start: "2025-07-01" }).where("id", "=", tanLap).execute();
      expect((await nextDocumentNumber(t.db, { unitId: tanLap, docType: "BC" })).no).toBe(14);
      await expect(nextDocumentNumber(t.db, { unitId: tanLap, docType: "b c" })).rejects.toMatchObject({ status: 400 });
    });
  });

  describe("plan, nominations, verification, opening, call-up letters", () => {
    let itemId: number;

    it("the demo shows the 2026 plan with progress, and only the centre may change it", async () => {
      const { viewer: centre } = await loginAs(s, "canbo.tanlap");
      const plan = await s.classPlan.planOverview(centre, 2026);
      const tanLap = plan.centres.find((c) => c.name === "Trung tâm Chính trị xã Tân Lập")!;
      expect(tanLap.items.map((i) => [i.programmeCode, i.label, i.month, i.targetSize])).toEqual([
        ["hd61", "Khóa 1", 3, 60],
        ["hd60", "Khóa 1", 4, 40],
        ["hd61", "Khóa 2", 9, 80],
        ["hd59", "Khóa 1", 10, 50],
      ]);
      expect(tanLap.items[0]!.enrolled).toBeGreaterThanOrEqual(1); // other demo seeds may enrol more
      expect(tanLap.items[2]!.nominated).toEqual({ pending: 2, approved: 2, rejected: 1 });
      expect(plan.centres.map((c) => c.name)).not.toContain("Trung tâm Chính trị phường Bình Minh");

      itemId = await s.classPlan.addPlanItem(centre, {
        centreId: tanLap.id,
        year: 2026,
        programmeCode: "hd61",
        label: "Khóa 3",
        month: 11,
        targetSize: 30,
        intendedGroup: "giáo viên, học sinh",
      });
      await expect(
        s.classPlan.addPlanItem(centre, {
          centreId: tanLap.id,
          year: 2026,
          programmeCode: "hd61",
          label: "Khóa 4",
          month: 13,
          targetSize: 30,
          intendedGroup: "x",
        }),
      ).rejects.toMatchObject({ status: 400, message: "Tháng phải từ 1 đến 12." });
      const { viewer: other } = await loginAs(s, "canbo.binhminh");
      await expect(
        s.classPlan.addPlanItem(other, {
          centreId: tanLap.id,
          year: 2026,
          programmeCode: "hd61",
          label: "Khóa 9",
          month: 5,
          targetSize: 30,
          intendedGroup: "x",
        }),
      ).rejects.toMatchObject({ status: 403 });
      const { viewer: secretary } = await loginAs(s, "bithu");
      await expect(
        s.classPlan.addPlanItem(secretary, {
          centreId: tanLap.id,
          year: 2026,
          programmeCode: "hd61",
          label: "Khóa 9",
          month: 5,
          targetSize: 30,
          intendedGroup: "x",
        }),
      ).rejects.toMatchObject({ status: 403 });
      expect((await s.classPlan.planOverview(secretary, 2026)).centres.map((c) => c.name)).toEqual(["Trung tâm Chính trị xã Tân Lập"]);
    });

    it("an import with a bad row names the row and column and saves nothing; the corrected file is sent", async () => {
      const { viewer } = await loginAs(s, "bithu");
      const before = await t.db
        .selectFrom("nomination")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      const bad = await s.classPlan.previewNominationImport(
        viewer,
        { programmeCode: "hd61", planItemId: itemId },
        { name: "de-cu-co-loi.csv", bytes: fixture("de-cu-co-loi.csv") },
      );
      expect(bad.issues).toEqual([
        {
          row: 3,
          column: "Ngày sinh",
          message: "Dòng 3, cột “Ngày sinh”: “31/02/2007” không phải ngày hợp lệ; ghi theo dạng ngày/tháng/năm, ví dụ 05/03/2006.",
        },
      ]);
      await expect(s.classPlan.commitNominationImport(viewer, bad.batchId)).rejects.toMatchObject({ status: 400 });
      const after = await t.db
        .selectFrom("nomination")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));

      const good = await s.classPlan.previewNominationImport(
        viewer,
        { programmeCode: "hd61", planItemId: itemId },
        { name: "de-cu-hop-le.csv", bytes: fixture("de-cu-hop-le.csv") },
      );
      expect(good.issues).toEqual([]);
      expect(good.rows.map((r) => [r.fullName, r.verdict])).toEqual([
        ["Trịnh Văn Nam", "eligible"],
        ["Đặng Thị Thảo", "eligible"],
        ["Bùi Thị Hoa", "eligible"],
        ["Hà Văn Sùng", "needs_override"],
      ]);
      expect(await s.classPlan.commitNominationImport(viewer, good.batchId)).toBe(4);
      await expect(s.classPlan.commitNominationImport(viewer, good.batchId)).rejects.toMatchObject({ status: 400 });
      // Sending the same list again is refused row by row: they are already nominated.
      const again = await s.classPlan.previewNominationImport(
        viewer,
        { programmeCode: "hd61", planItemId: itemId },
        { name: "de-cu-hop-le.csv", bytes: fixture("de-cu-hop-le.csv") },
      );
      expect(again.issues.map((i) => i.row)).toEqual([2, 3, 4, 5]);
      expect(again.issues[0]!.message).toContain("đã được Chi bộ Trường THPT Tân Lập đề cử");
      // A secretary cannot nominate for another cell.
      const village = await unitId("Chi bộ thôn Đông Hòa");
      await expect(
        s.classPlan.nominate(viewer, {
          programmeCode: "hd61",
          unitId: village,
          person: { fullName: "Ai Đó Khác", birthDate: "2000-01-01" },
        }),
      ).rejects.toMatchObject({ status: 403 });
    });

    it("a namesake sent by another cell is flagged as a possible duplicate for the board", async () => {
      const village = await unitId("Chi bộ thôn Đông Hòa");
      await createAccount(t.db, {
        username: "bithu.donghoa",
        password: "demo12345",
        displayName: "Bí thư Đông Hòa",
        roles: [{ role: "unit_secretary", orgUnitId: village }],
      });
      const { viewer } = await loginAs(s, "bithu.donghoa");
      await s.classPlan.nominate(viewer, {
        programmeCode: "hd61",
        planItemId: itemId,
        unitId: village,
        person: { fullName: "bùi thị  hoa", birthDate: "1992-09-02", education: "dai_hoc" },
      });
      const { viewer: board } = await loginAs(s, "bantochuc");
      const queue = await s.classPlan.reviewQueue(board);
      const hoa = queue.filter((n) => n.birthDate === "1992-09-02");
      expect(hoa).toHaveLength(2);
      for (const n of hoa) {
        expect(n.verdict).toBe("needs_override");
        expect(n.checks.find((c) => c.key === "duplicate")!.message).toContain("Có thể trùng người");
      }
      const fromVillage = hoa.find((n) => n.unitName === "Chi bộ thôn Đông Hòa")!;
      await s.classPlan.decide(board, fromVillage.id, { approve: false, reason: "Trùng với đề cử của Chi bộ Trường THPT Tân Lập." });
      const { viewer: secretary } = await loginAs(s, "bithu.donghoa");
      const outcome = await s.classPlan.listNominations(secretary, { status: "all" });
      expect(outcome.find((n) => n.id === fromVillage.id)).toMatchObject({
        status: "rejected",
        statusLabel: "Không duyệt",
        decisionReason: "Trùng với đề cử của Chi bộ Trường THPT Tân Lập.",
      });
    });

    it("the board approves with checks, needs a reason to reject or override, and the override is audited", async () => {
      const { viewer: board } = await loginAs(s, "bantochuc");
      const queue = await s.classPlan.reviewQueue(board);
      const byName = (name: string) => queue.find((n) => n.fullName === name && n.planItemId === itemId)!;
      await expect(s.classPlan.decide(board, byName("Trịnh Văn Nam").id, { approve: false, reason: "" })).rejects.toMatchObject({
        status: 400,
      });
      await s.classPlan.decide(board, byName("Trịnh Văn Nam").id, { approve: true });
      await s.classPlan.decide(board, byName("Đặng Thị Thảo").id, { approve: true });
      const sung = byName("Hà Văn Sùng");
      await expect(s.classPlan.decide(board, sung.id, { approve: true })).rejects.toMatchObject({
        message: expect.stringContaining("cần xét ngoại lệ: trình độ học vấn"),
      });
      await expect(s.classPlan.decide(board, sung.id, { approve: true, overrides: ["education"], reason: "" })).rejects.toMatchObject({
        status: 400,
      });
      await s.classPlan.decide(board, sung.id, {
        approve: true,
        overrides: ["education"],
        reason: "Người dân tộc Mông ở thôn vùng cao, được xét ngoại lệ.",
      });
      const entry = await t.db
        .selectFrom("audit_log")
        .selectAll()
        .where("action", "=", "nomination.approved_with_override")
        .where("entity_id", "=", String(sung.id))
        .executeTakeFirstOrThrow();
      expect(entry.reason).toBe("Người dân tộc Mông ở thôn vùng cao, được xét ngoại lệ.");
      expect(entry.details).toMatchObject({ overrides: ["education"] });
      await s.classPlan.decide(board, byName("Bùi Thị Hoa").id, {
        approve: true,
        overrides: ["duplicate"],
        reason: "Đã đối chiếu: đề cử ở chi bộ khác đã bị loại.",
      });
      await expect(s.classPlan.decide(board, sung.id, { approve: false, reason: "Đổi ý lần nữa" })).rejects.toMatchObject({ status: 400 });
      // Another commune's centre sees none of it; a secretary cannot decide.
      const { viewer: secretary } = await loginAs(s, "bithu");
      await expect(s.classPlan.decide(secretary, sung.id, { approve: true })).rejects.toMatchObject({ status: 403 });
      await expect(s.classPlan.reviewQueue(secretary)).rejects.toMatchObject({ status: 403 });
    });

    it("the centre opens a class from the plan item: enrols, links, creates accounts, numbers the decision", async () => {
      const { viewer: centre } = await loginAs(s, "canbo.tanlap");
      const view = await s.classPlan.openingView(centre, itemId);
      const mine = view.approved.filter((a) => a.planItemId === itemId);
      expect(mine.map((a) => a.fullName)).toEqual(
        ["Hoa", "Nam", "Sùng", "Thảo"].map((g) => mine.find((m) => m.fullName.endsWith(g))!.fullName),
      );
      const { viewer: other } = await loginAs(s, "canbo.binhminh");
      await expect(s.classPlan.openingView(other, itemId)).rejects.toMatchObject({ status: 403 });
      await expect(
        s.classPlan.openClass(centre, itemId, { nominationIds: mine.map((m) => m.id), name: "Lớp thiếu ngày" }),
      ).rejects.toMatchObject({ status: 400 });
      const opened = await s.classPlan.openClass(centre, itemId, {
        nominationIds: mine.map((m) => m.id),
        name: "Lớp bồi dưỡng nhận thức về Đảng, khóa 3 năm 2026",
        cohortLabel: "Khóa 3 năm 2026",
        venue: "Hội trường Trường THPT Tân Lập",
        startsOn: "2026-11-09",
        endsOn: "2026-11-13",
      });
      expect(opened).toMatchObject({ enrolled: 4, accountsCreated: 4 });
      expect(opened.decisionLabel).toMatch(/^0\d-QĐ\/TTCT$/);
      await expect(s.classPlan.openClass(centre, itemId, { nominationIds: [mine[0]!.id], classId: opened.classId })).rejects.toMatchObject({
        status: 400,
      });
      const papers = await s.classPlan.classPapers(centre, opened.classId);
      expect(papers.trainees.map((tr) => tr.fullName)).toEqual(["Bùi Thị Hoa", "Trịnh Văn Nam", "Hà Văn Sùng", "Đặng Thị Thảo"]);
      expect(papers.trainees.every((tr) => /^hv26\d{4}$/.test(tr.username ?? "") && tr.awaitingFirstLogin)).toBe(true);
      const plan = await s.classPlan.planOverview(centre, 2026);
      expect(plan.centres[0]!.items.find((i) => i.id === itemId)).toMatchObject({ enrolled: 4, classes: [{ id: opened.classId }] });
      classId = opened.classId;
    });

    let classId = 0;

    it("prints call-up letters with fresh initial passwords that work, once per print, audited", async () => {
      const { viewer: centre } = await loginAs(s, "canbo.tanlap");
      await expect(
        s.classPlan.callUpLetters(centre, classId, { format: "pdf", confirm: false, origin: "http://bd.test" }),
      ).rejects.toMatchObject({ status: 400 });
      const out = await s.classPlan.callUpLetters(centre, classId, { format: "pdf", confirm: true, origin: "http://bd.test" });
      expect(out.issued).toBe(4);
      expect(Buffer.from(out.bytes.subarray(0, 5)).toString()).toBe("%PDF-");
      const dir = mkdtempSync(join(tmpdir(), "callup-"));
      const pdf = join(dir, "giay.pdf");
      writeFileSync(pdf, out.bytes);
      if (has("pdftotext")) {
        const text = execFileSync("pdftotext", ["-layout", pdf, "-"]).toString();
        for (const str of [
          "GIẤY TRIỆU TẬP",
          "ĐẢNG CỘNG SẢN VIỆT NAM",
          "TRUNG TÂM CHÍNH TRỊ",
          "Đến dự: Lớp bồi dưỡng nhận thức về Đảng, khóa 3 năm 2026",
          "Đặng Thị Thảo",
          "Hội trường Trường THPT Tân Lập",
          "Tên đăng nhập:",
          "Mật khẩu ban đầu:",
          "Quét mã để đăng nhập",
        ])
          expect(text).toContain(str);
        expect(text).toMatch(/Số 0\d-GTT\/TTCT/);
        expect(execFileSync("pdfinfo", [pdf]).toString()).toMatch(/Pages:\s+4/);
        // The password printed for Thảo logs her in, and must be changed.
        const page = execFileSync("pdftotext", ["-f", "4", "-l", "4", pdf, "-"]).toString();
        const username = /Tên đăng nhập: (\S+)/.exec(page)![1]!;
        const password = /Mật khẩu ban đầu: (\S+)/.exec(page)![1]!;
        const login = await s.auth.login({ username, password, ip: "10.1.0.1" });
        expect(login).toMatchObject({ ok: true, viewer: { mustChangePassword: true } });
        // The QR code opens the login page with the username filled in.
        if (has("pdfimages")) {
          execFileSync("pdfimages", ["-f", "4", "-l", "4", pdf, join(dir, "qr")]);
          const file = readdirSync(dir).find((f) => f.startsWith("qr-000."))!;
          const code = jsQR(...framedImage(readFileSync(join(dir, file))));
          expect(code?.data).toBe(`http://bd.test/dang-nhap?u=${username}`);
        }
        // Reprinting regenerates: the old password stops working.
        await s.classPlan.callUpLetters(centre, classId, { format: "pdf", confirm: true, origin: "http://bd.test" });
        expect(await s.auth.login({ username, password, ip: "10.1.0.2" })).toMatchObject({ ok: false });
      }
      const entries = await t.db
        .selectFrom("audit_log")
        .select(["details"])
        .where("action", "=", "callup.printed")
        .where("entity_id", "=", String(classId))
        .execute();
      expect(entries.length).toBeGreaterThanOrEqual(1);
      expect(JSON.stringify(entries[0]!.details)).not.toMatch(/password"\s*:\s*"/);
      // Another centre may not print them.
      const { viewer: other } = await loginAs(s, "canbo.binhminh");
      await expect(
        s.classPlan.callUpLetters(other, classId, { format: "pdf", confirm: true, origin: "http://bd.test" }),
      ).rejects.toMatchObject({ status: 403 });
    });

    it("the decision to open the class and a letter as .docx open in LibreOffice; the list as .xlsx; the seating plan", async () => {
      const { viewer: centre } = await loginAs(s, "canbo.tanlap");
      const pdf = await s.classPlan.decisionFile(centre, classId, "pdf");
      const again = await s.classPlan.decisionFile(centre, classId, "docx");
      expect(again.label).toBe(pdf.label); // a reprint keeps its number
      const papers = await s.classPlan.classPapers(centre, classId);
      const one = await s.classPlan.callUpLetters(centre, classId, {
        format: "docx",
        personId: papers.trainees[0]!.personId,
        confirm: true,
        origin: "http://bd.test",
      });
      expect(one.fileName).toBe("giay-trieu-tap-bui-thi-hoa.docx");
      const dir = mkdtempSync(join(tmpdir(), "decision-"));
      writeFileSync(join(dir, "quyet-dinh.pdf"), pdf.bytes);
      writeFileSync(join(dir, "quyet-dinh.docx"), again.bytes);
      writeFileSync(join(dir, "giay.docx"), one.bytes);
      if (has("pdftotext")) {
        const text = execFileSync("pdftotext", [join(dir, "quyet-dinh.pdf"), "-"]).toString();
        for (const str of [
          "QUYẾT ĐỊNH",
          "Về việc mở lớp bồi dưỡng nhận thức về Đảng, Khóa 3 năm 2026",
          "DANH SÁCH HỌC VIÊN",
          "Hà Văn Sùng",
          `Số ${pdf.label}`,
        ])
          expect(text).toContain(str);
      }
      const soffice = has("soffice") ? "soffice" : has("libreoffice") ? "libreoffice" : null;
      if (soffice) {
        execFileSync(
          soffice,
          ["--headless", "--convert-to", "pdf", "--outdir", join(dir, "out"), join(dir, "quyet-dinh.docx"), join(dir, "giay.docx")],
          { stdio: "ignore", timeout: 120_000 },
        );
        if (has("pdftotext")) {
          expect(execFileSync("pdftotext", [join(dir, "out", "quyet-dinh.pdf"), "-"]).toString()).toContain("DANH SÁCH HỌC VIÊN");
          expect(execFileSync("pdftotext", [join(dir, "out", "giay.pdf"), "-"]).toString()).toContain("Mật khẩu ban đầu:");
        }
      }
      const xlsx = await s.classPlan.traineeListXlsx(centre, classId);
      const ExcelJS = (await import("exceljs")).default;
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(Buffer.from(xlsx.bytes) as unknown as ArrayBuffer);
      const names = wb.worksheets[0]!.getColumn(2).values.slice(5);
      expect(names).toEqual(["Bùi Thị Hoa", "Trịnh Văn Nam", "Hà Văn Sùng", "Đặng Thị Thảo"]);
      const seating = await s.classPlan.seating(centre, classId, 3);
      expect(seating.rows.map((r) => r.map((x) => x.name))).toEqual([
        ["Bùi Thị Hoa", "Trịnh Văn Nam", "Hà Văn Sùng"],
        ["Đặng Thị Thảo", null, null],
      ]);
    });
  });

  it("the decision of a class that already ran is dated before its start, and the centre can change the date (not after the start)", async () => {
    const { viewer: centre } = await loginAs(s, "canbo.tanlap");
    const JSZip = (await import("jszip")).default;
    const text = async (bytes: Uint8Array) =>
      (await (await JSZip.loadAsync(bytes)).file("word/document.xml")!.async("string")).replace(/<[^>]+>/g, "");
    const klass = await t.db
      .selectFrom("training_class")
      .select(["id"])
      .where("name", "=", "Lớp bồi dưỡng nhận thức về Đảng, khóa 1 năm 2026")
      .executeTakeFirstOrThrow();
    const before = clock.now().toISOString();
    clock.set("2026-11-20T09:00:00+07:00"); // printed for the first time months after the class (9–13/3/2026)
    try {
      expect((await s.classPlan.classPapers(centre, klass.id)).decisionDate).toBe("2026-03-02");
      const first = await s.classPlan.decisionFile(centre, klass.id, "docx");
      expect(await text(first.bytes)).toContain("ngày 02 tháng 03 năm 2026");
      expect(await text(first.bytes)).not.toContain("ngày 20 tháng 11 năm 2026");

      await expect(s.classPlan.setDecisionDate(centre, klass.id, "2026-03-10")).rejects.toMatchObject({
        status: 400,
        message: expect.stringContaining("sau ngày khai giảng 09/03/2026"),
      });
      await expect(s.classPlan.setDecisionDate(centre, klass.id, "2026-12-01")).rejects.toMatchObject({ status: 400 });
      const { viewer: other } = await loginAs(s, "canbo.binhminh");
      await expect(s.classPlan.setDecisionDate(other, klass.id, "2026-02-25")).rejects.toMatchObject({ status: 403 });

      await s.classPlan.setDecisionDate(centre, klass.id, "2026-02-25");
      const again = await s.classPlan.decisionFile(centre, klass.id, "docx");
      expect(again.label).toBe(first.label);
      expect(await text(again.bytes)).toContain("ngày 25 tháng 02 năm 2026");
      expect((await s.classPlan.classPapers(centre, klass.id)).decisionDate).toBe("2026-02-25");
      const log = await t.db
        .selectFrom("audit_log")
        .select("details")
        .where("action", "=", "class.decision_date_changed")
        .where("entity_id", "=", String(klass.id))
        .execute();
      expect(log.map((l) => l.details)).toEqual([{ label: first.label, before: "2026-03-02", after: "2026-02-25" }]);
    } finally {
      clock.set(before);
    }
  });
});
