import { describe, expect, it } from "vitest";
import type { Block, PartyDocument } from "../../../server/documents/model";
import { renderPartyDocumentPdf } from "../../../server/documents/pdf";
import { sampleResultsNotice } from "../../../server/documents/samples";
import { flat, pdfFonts, pdfPages, pdfToText, saveTemp, skipReason } from "./tools";

const noPoppler = skipReason("pdftotext", "poppler-utils");

function withRows(doc: PartyDocument, count: number): PartyDocument {
  const table = doc.body.find((b) => b.kind === "table") as Extract<Block, { kind: "table" }>;
  const rows = Array.from({ length: count }, (_, i) => [String(i + 1), ...table.rows[i % table.rows.length].slice(1)]);
  return { ...doc, body: doc.body.map((b) => (b === table ? { ...table, rows } : b)) };
}

describe("results notice as PDF", () => {
  it("is a PDF", async () => {
    const pdf = await renderPartyDocumentPdf(sampleResultsNotice());
    expect(Buffer.from(pdf.subarray(0, 5)).toString("latin1")).toBe("%PDF-");
    expect(pdf.byteLength).toBeLessThan(150_000);
  });

  it.skipIf(noPoppler)("carries its Vietnamese text exactly (NFC), with every part of the layout", async () => {
    const path = saveTemp("notice.pdf", await renderPartyDocumentPdf(sampleResultsNotice()));
    const text = pdfToText(path);
    expect(text).toBe(text.normalize("NFC"));
    const t = flat(text);
    for (const s of [
      "ĐẢNG BỘ TỈNH AN KHÁNH",
      "TRUNG TÂM CHÍNH TRỊ XÃ TÂN LẬP",
      "ĐẢNG CỘNG SẢN VIỆT NAM",
      "Số 05-TB/TTCT",
      "Tân Lập, ngày 05 tháng 03 năm 2026",
      "THÔNG BÁO",
      "Kết quả học tập lớp bồi dưỡng nhận thức về Đảng, khóa I năm 2026",
      "Nguyễn Thị Mai",
      "Hoàng Thị Ánh Tuyết",
      "Đặng Thị Thu Hường",
      "Chi bộ Hợp tác xã Nông nghiệp Tân Lập",
      "Trung bình",
      "K/T GIÁM ĐỐC",
      "PHÓ GIÁM ĐỐC",
      "Trần Thị Hương",
      "Nơi nhận:",
      "- Ban Thường vụ Đảng ủy xã (để báo cáo),",
      "- Lưu Trung tâm Chính trị xã.",
    ]) {
      expect(t, s).toContain(s);
    }
  });

  it.skipIf(noPoppler)("embeds the four Liberation Serif faces once each, and no other font", async () => {
    const path = saveTemp("notice-fonts.pdf", await renderPartyDocumentPdf(sampleResultsNotice()));
    const fonts = pdfFonts(path);
    expect(fonts.length).toBeGreaterThan(0);
    for (const f of fonts) {
      expect(f.name).toMatch(/^[A-Z]{6}\+LiberationSerif(-Bold|-Italic|-BoldItalic)?$/);
      expect(f.embedded, f.name).toBe(true);
    }
    const faces = fonts.map((f) => f.name.split("+")[1]).sort();
    expect(faces).toEqual(["LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-BoldItalic", "LiberationSerif-Italic"]);
  });

  it.skipIf(noPoppler)("prints decomposed (NFD) input as composed text", async () => {
    const doc = sampleResultsNotice();
    const nfd = JSON.parse(JSON.stringify(doc).normalize("NFD")) as PartyDocument;
    const text = flat(pdfToText(saveTemp("nfd.pdf", await renderPartyDocumentPdf(nfd))));
    expect(text).toContain("Nguyễn Thị Mai");
    expect(text).toContain("ĐẢNG CỘNG SẢN VIỆT NAM");
    expect(text).toBe(text.normalize("NFC"));
  });

  it.skipIf(noPoppler)("breaks a long table across pages, repeating its header row, and numbers pages from 2", async () => {
    const path = saveTemp("long.pdf", await renderPartyDocumentPdf(withRows(sampleResultsNotice(), 60)));
    const pages = pdfPages(path);
    expect(pages).toBeGreaterThanOrEqual(3);
    const first = pdfToText(path, { first: 1, last: 1 });
    expect(first.trimStart().startsWith("ĐẢNG BỘ TỈNH AN KHÁNH")).toBe(true); // no number on page 1
    for (let p = 2; p <= pages; p++) {
      const text = pdfToText(path, { first: p, last: p });
      expect(text.trimStart().split("\n")[0], `page ${p}`).toBe(String(p));
    }
    const second = flat(pdfToText(path, { first: 2, last: 2 }));
    for (const h of ["TT", "Họ và tên", "Ngày sinh", "Đơn vị", "Điểm", "Xếp loại"]) expect(second).toContain(h);
    // Every row is printed exactly once.
    const all = flat(pdfToText(path));
    for (const n of [1, 30, 60]) expect(all).toMatch(new RegExp(`(^| )${n} `));
    expect(all).toContain("Nơi nhận:");
  });

  it.skipIf(noPoppler)("wraps long Vietnamese paragraphs without losing a word", async () => {
    const long =
      "Quán triệt sâu sắc quan điểm của Đảng về công tác xây dựng Đảng, các cấp ủy cần thường xuyên quan tâm phát hiện, bồi dưỡng, giới thiệu những quần chúng ưu tú, có đủ tiêu chuẩn, điều kiện để xem xét kết nạp vào Đảng; ".repeat(
        12,
      );
    const doc = { ...sampleResultsNotice(), body: [{ kind: "paragraph" as const, text: long.trim() }] };
    const path = saveTemp("wrap.pdf", await renderPartyDocumentPdf(doc));
    expect(pdfPages(path)).toBeGreaterThanOrEqual(1);
    const text = flat(pdfToText(path)).replace(/(^| )\d+ /g, " ");
    expect(text).toContain(flat(long.trim()).slice(0, 200));
    expect(text.split("Quán triệt sâu sắc").length - 1).toBe(12);
  });
});
