import { describe, expect, it } from "vitest";
import { BadRequest } from "../../../server/errors";
import { renderCertificatesPdf } from "../../../server/documents/certificate";
import { sampleCertificate } from "../../../server/documents/samples";
import { flat, pdfFonts, pdfPages, pdfToText, saveTemp, skipReason } from "./tools";

const noPoppler = skipReason("pdftotext", "poppler-utils");

describe("certificates as PDF", () => {
  it.skipIf(noPoppler)("carries every field in exact Vietnamese (NFC)", async () => {
    const path = saveTemp("certificate.pdf", await renderCertificatesPdf([sampleCertificate(0)]));
    expect(pdfPages(path)).toBe(1);
    const text = pdfToText(path);
    expect(text).toBe(text.normalize("NFC"));
    const t = flat(text);
    for (const s of [
      "ĐẢNG CỘNG SẢN VIỆT NAM",
      "ĐẢNG BỘ TỈNH AN KHÁNH",
      "TRUNG TÂM CHÍNH TRỊ XÃ TÂN LẬP",
      "GIẤY CHỨNG NHẬN",
      "Nguyễn Thị Mai",
      "Sinh ngày: 01/01/1994",
      "Đơn vị: Chi bộ Trường THPT Tân Lập",
      "Đã hoàn thành chương trình Bồi dưỡng nhận thức về Đảng",
      "Lớp: Khóa I năm 2026",
      "Thời gian: từ ngày 02/03/2026 đến ngày 06/03/2026",
      "Xếp loại: Khá",
      "Tân Lập, ngày 10 tháng 03 năm 2026",
      "K/T GIÁM ĐỐC",
      "PHÓ GIÁM ĐỐC",
      "Trần Thị Hương",
      "Số vào sổ cấp: 0123/GCN-TTCT",
      "Quét mã để kiểm tra",
    ]) {
      expect(t, s).toContain(s);
    }
  });

  it.skipIf(noPoppler || skipReason("pdfimages", "poppler-utils"))("embeds one QR image per page", async () => {
    const { execFileSync } = await import("node:child_process");
    const path = saveTemp("qr.pdf", await renderCertificatesPdf([sampleCertificate(0), sampleCertificate(1)]));
    const list = execFileSync("pdfimages", ["-list", path], { encoding: "utf8" })
      .split("\n")
      .slice(2)
      .filter((l) => l.trim());
    expect(list.map((l) => l.trim().split(/\s+/)[0])).toEqual(["1", "2"]);
  });

  it.skipIf(noPoppler)("signs as the director himself when there is no deputy", async () => {
    const c = { ...sampleCertificate(0), signature: { title: "GIÁM ĐỐC", name: "Lê Văn Hòa" } };
    const t = flat(pdfToText(saveTemp("director.pdf", await renderCertificatesPdf([c]))));
    expect(t).toContain("GIÁM ĐỐC Lê Văn Hòa");
    expect(t).not.toContain("K/T");
  });

  it.skipIf(noPoppler)("puts a class in one file: a page each, each font embedded once, a few KB a page", async () => {
    const n = 30;
    const pdf = await renderCertificatesPdf(Array.from({ length: n }, (_, i) => sampleCertificate(i)));
    const path = saveTemp("bulk.pdf", pdf);
    expect(pdfPages(path)).toBe(n);
    const fonts = pdfFonts(path);
    const faces = fonts.map((f) => f.name.split("+")[1]);
    expect(new Set(faces).size).toBe(faces.length);
    expect(fonts.every((f) => f.embedded)).toBe(true);
    expect(pdf.byteLength / n).toBeLessThan(8_000);
    const t = flat(pdfToText(path, { first: n, last: n }));
    expect(t).toContain(`Số vào sổ cấp: ${sampleCertificate(n - 1).registerNumber}`);
  });

  it("reports progress page by page", async () => {
    const seen: string[] = [];
    await renderCertificatesPdf([sampleCertificate(0), sampleCertificate(1), sampleCertificate(2)], {
      onProgress: (done, total) => seen.push(`${done}/${total}`),
    });
    expect(seen).toEqual(["1/3", "2/3", "3/3"]);
  });

  it("refuses bad data before drawing anything, naming the certificate", async () => {
    const bad = { ...sampleCertificate(1), birthDate: "12/04/2001", verifyUrl: "javascript:alert(1)" };
    await expect(renderCertificatesPdf([sampleCertificate(0), bad])).rejects.toThrow(BadRequest);
    // A bad birth date alone no longer stops the batch: it is printed as a flag to fix (issue 14).
    await expect(renderCertificatesPdf([sampleCertificate(0), bad])).rejects.toThrow(/thứ 2[\s\S]*http\(s\)/);
    await expect(renderCertificatesPdf([{ ...sampleCertificate(0), toDate: "2026-03-01" }])).rejects.toThrow(/ngày kết thúc/);
    await expect(renderCertificatesPdf([])).rejects.toThrow(BadRequest);
  });
});
