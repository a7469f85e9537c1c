import { describe, expect, it } from "vitest";
import { BadRequest } from "../../../server/errors";
import { metricsDoc } from "../../../server/documents/fonts";
import { formatDocumentNumber, formatPlaceDate, formatShortDate, parsePartyDocument, dashedLine } from "../../../server/documents/model";
import { balancedLines } from "../../../server/documents/pdf-common";
import { sampleResultsNotice } from "../../../server/documents/samples";

describe("document number", () => {
  it("puts a leading zero below 10", () => {
    expect(formatDocumentNumber(5, "TB", "TTCT")).toBe("Số 05-TB/TTCT");
    expect(formatDocumentNumber(1, "QĐ", "ĐU")).toBe("Số 01-QĐ/ĐU");
  });

  it("prints 10 and above as they are", () => {
    expect(formatDocumentNumber(15, "TB", "TTCT")).toBe("Số 15-TB/TTCT");
    expect(formatDocumentNumber(123, "BC", "TTCT")).toBe("Số 123-BC/TTCT");
  });

  it("refuses a number that is not a positive integer", () => {
    for (const n of [0, -1, 2.5, Number.NaN]) expect(() => formatDocumentNumber(n, "TB", "TTCT")).toThrow(RangeError);
  });
});

describe("place and date line", () => {
  it("writes day and month with two digits", () => {
    expect(formatPlaceDate("Tân Lập", "2026-03-05")).toBe("Tân Lập, ngày 05 tháng 03 năm 2026");
    expect(formatPlaceDate("Hạ Long", "2026-12-25")).toBe("Hạ Long, ngày 25 tháng 12 năm 2026");
    expect(formatShortDate("2001-04-12")).toBe("12/04/2001");
  });

  it("returns NFC even when the place arrives decomposed", () => {
    const out = formatPlaceDate("Tân Lập".normalize("NFD"), "2026-03-05");
    expect(out).toBe("Tân Lập, ngày 05 tháng 03 năm 2026");
    expect(out).toBe(out.normalize("NFC"));
  });

  it("refuses what is not a real ISO date", () => {
    for (const d of ["2026-02-30", "05/03/2026", "2026-3-5", ""]) expect(() => formatPlaceDate("Tân Lập", d)).toThrow(RangeError);
  });
});

describe("recipients", () => {
  it("adds the leading dash once", () => {
    expect(dashedLine("Lưu Văn phòng.")).toBe("- Lưu Văn phòng.");
    expect(dashedLine("- Như trên,")).toBe("- Như trên,");
  });
});

describe("checking a document", () => {
  it("normalises every text to NFC", () => {
    const doc = sampleResultsNotice();
    doc.summary = doc.summary.normalize("NFD");
    expect(parsePartyDocument(doc).summary).toBe(sampleResultsNotice().summary);
  });

  it("names each problem in Vietnamese", () => {
    const doc = sampleResultsNotice();
    doc.date = "05/03/2026";
    doc.body = [{ kind: "table", columns: [{ header: "TT", width: 1 }], rows: [["1", "thừa"]] }];
    let error: unknown;
    try {
      parsePartyDocument(doc);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BadRequest);
    expect(String((error as Error).message)).toMatch(
      /phải là ngày dạng YYYY-MM-DD[\s\S]*đúng số ô bằng số cột|đúng số ô bằng số cột[\s\S]*phải là ngày dạng YYYY-MM-DD/,
    );
  });
});

describe("breaking centred headings", () => {
  const doc = metricsDoc();
  const bold14 = { face: "bold" as const, size: 14 };

  it("breaks an issuer before its locality, not inside a word pair", () => {
    expect(balancedLines(doc, bold14, "TRUNG TÂM CHÍNH TRỊ XÃ TÂN LẬP", 210)).toEqual(["TRUNG TÂM CHÍNH TRỊ", "XÃ TÂN LẬP"]);
  });

  it("breaks a summary after its comma", () => {
    expect(balancedLines(doc, bold14, "Kết quả học tập lớp bồi dưỡng nhận thức về Đảng, khóa I năm 2026", 390)).toEqual([
      "Kết quả học tập lớp bồi dưỡng nhận thức về Đảng,",
      "khóa I năm 2026",
    ]);
  });

  it("keeps a line that fits, and obeys an explicit break", () => {
    expect(balancedLines(doc, bold14, "HUYỆN ỦY ĐỊNH HÓA", 210)).toEqual(["HUYỆN ỦY ĐỊNH HÓA"]);
    expect(balancedLines(doc, bold14, "BAN TUYÊN GIÁO\nVÀ DÂN VẬN", 400)).toEqual(["BAN TUYÊN GIÁO", "VÀ DÂN VẬN"]);
  });

  it("wraps a long line without losing or reordering words", () => {
    const text = "Ban Thường vụ Đảng ủy xã Tân Lập đề nghị các chi bộ trực thuộc tiếp tục bồi dưỡng quần chúng ưu tú";
    const lines = balancedLines(doc, { face: "regular", size: 14 }, text, 150);
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.join(" ")).toBe(text);
    for (const l of lines) expect(doc.font("regular").fontSize(14).widthOfString(l)).toBeLessThanOrEqual(150);
  });
});
