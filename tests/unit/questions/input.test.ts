import { describe, expect, it } from "vitest";
import JSZip from "jszip";
import {
  FormatError,
  assertSize,
  decodeText,
  decodeTextDetailed,
  detectFormat,
  guardZip,
  guessLegacyEncoding,
  readZipDirectory,
} from "../../../server/questions/formats/input";
import { parseQuestionFile } from "../../../server/questions/formats/index";
import { buildDocx, lecturerDocument } from "../../fixtures/questions/make-docx";

const utf8 = (s: string) => new TextEncoder().encode(s);

/** Expect a FormatError with this code whose message contains every fragment. */
async function expectFormatError(p: Promise<unknown> | (() => unknown), code: string, ...fragments: string[]) {
  let error: unknown;
  try {
    await (typeof p === "function" ? p() : p);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(FormatError);
  const fe = error as FormatError;
  expect(fe.code).toBe(code);
  for (const f of fragments) expect(fe.message).toContain(f);
  return fe;
}

async function zipOf(files: Record<string, Uint8Array | string>, level = 6): Promise<Uint8Array> {
  const zip = new JSZip();
  for (const [name, data] of Object.entries(files)) zip.file(name, data);
  return zip.generateAsync({ type: "uint8array", compression: "DEFLATE", compressionOptions: { level } });
}

describe("decodeText", () => {
  const text = "Đảng Cộng sản Việt Nam — Cương lĩnh năm 2011";

  it("reads UTF-8 with and without BOM", () => {
    expect(decodeText(utf8(text))).toBe(text);
    expect(decodeText(Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8(text)]))).toBe(text);
  });

  it("reads UTF-16 LE and BE by their BOM, and BOM-less UTF-16 LE by its zero bytes", () => {
    const le = Buffer.from(text, "utf16le");
    const be = Buffer.from(le).swap16();
    expect(decodeTextDetailed(Uint8Array.from([0xff, 0xfe, ...le]))).toEqual({ text, encoding: "utf-16le" });
    expect(decodeTextDetailed(Uint8Array.from([0xfe, 0xff, ...be]))).toEqual({ text, encoding: "utf-16be" });
    const ascii = "ANSWER: B\nA. 1930\n";
    expect(decodeTextDetailed(new Uint8Array(Buffer.from(ascii, "utf16le")))).toEqual({ text: ascii, encoding: "utf-16le" });
  });

  it("refuses Windows-1258 text with a Vietnamese message naming the likely code page", async () => {
    // "Đảng" in Windows-1258: Đ = D0, a + hook above (combining D2), n, g
    const cp1258 = Uint8Array.from([0xd0, 0x61, 0xd2, 0x6e, 0x67, 0x20, 0x43, 0xf4, 0x6e, 0x67]);
    expect(guessLegacyEncoding(cp1258)).toBe("windows-1258");
    const e = await expectFormatError(
      () => decodeText(cp1258),
      "encoding",
      "Tệp không phải văn bản UTF-8",
      "Windows-1258",
      "hãy lưu lại với mã hóa UTF-8",
    );
    expect(e.message).toMatch(/UTF-8/);
    // …and decodes it when asked to guess, normalised to NFC
    expect(decodeText(cp1258, { legacy: "guess" })).toBe("Đảng Công".normalize("NFC"));
  });

  it("guesses CP1252 for Western text", async () => {
    const cp1252 = Uint8Array.from([0x43, 0x61, 0x66, 0xe9]); // "Café"
    expect(guessLegacyEncoding(cp1252)).toBe("windows-1252");
    await expectFormatError(() => decodeText(cp1252), "encoding", "Windows-1252");
  });
});

describe("detectFormat", () => {
  it("uses the extension, and sniffs .txt between GIFT and Aiken", () => {
    expect(detectFormat("ngan-hang.xlsx", utf8("x"))).toBe("xlsx");
    expect(detectFormat("Câu hỏi.DOCX", utf8("x"))).toBe("docx");
    expect(detectFormat("bai1.csv", utf8("a,b"))).toBe("csv");
    expect(detectFormat("moodle.xml", utf8("<quiz/>"))).toBe("moodle-xml");
    expect(detectFormat("bai1.gift", utf8("x"))).toBe("gift");
    expect(detectFormat("bai1.txt", utf8("Câu hỏi?\nA. Một\nB. Hai\nANSWER: A\n"))).toBe("aiken");
    expect(detectFormat("bai1.txt", utf8("::Q1:: Câu hỏi? {=Đúng ~Sai}"))).toBe("gift");
    expect(detectFormat("export", utf8('<?xml version="1.0"?><quiz></quiz>'))).toBe("moodle-xml");
  });

  it("recognises a Word or Excel file without extension from its zip directory", async () => {
    expect(detectFormat("tai-lieu", await buildDocx(lecturerDocument()))).toBe("docx");
    expect(detectFormat("bang", await zipOf({ "xl/workbook.xml": "<workbook/>" }))).toBe("xlsx");
  });

  it("refuses Office 97–2003 files and unknown content in Vietnamese", async () => {
    const ole = Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    await expectFormatError(() => detectFormat("cau-hoi.doc", ole), "legacy_office", "Word 97–2003", ".docx");
    await expectFormatError(() => detectFormat("cau-hoi.xls", ole), "legacy_office", "Excel 97–2003", ".xlsx");
    await expectFormatError(
      () => detectFormat("anh.png", Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3])),
      "unknown_format",
      "Không nhận ra định dạng",
    );
  });
});

describe("size limit", () => {
  it("refuses an oversize file (default 20 MB) and an empty one", async () => {
    const big = new Uint8Array(20 * 1024 * 1024 + 1);
    await expectFormatError(() => assertSize(big), "too_large", "Tệp quá lớn", "20 MB");
    await expectFormatError(parseQuestionFile("lon.gift", big), "too_large", "giới hạn là 20 MB");
    await expectFormatError(() => assertSize(new Uint8Array(0)), "empty", "Tệp rỗng");
  });

  it("is configurable", async () => {
    await expectFormatError(
      parseQuestionFile("a.gift", utf8("Câu hỏi? {=A ~B}"), { limits: { maxBytes: 5 } }),
      "too_large",
      "giới hạn là 5 byte",
    );
    expect(() => assertSize(new Uint8Array(6), 10)).not.toThrow();
  });
});

describe("zip guard", () => {
  it("refuses a .docx that is really a text file", async () => {
    const text = utf8("Câu 1. Đảng Cộng sản Việt Nam ra đời năm nào?\nA. 1930\n");
    await expectFormatError(parseQuestionFile("cau-hoi.docx", text), "not_zip", "Tệp .docx bị hỏng hoặc không phải tài liệu Word");
    await expectFormatError(parseQuestionFile("bang.xlsx", text), "not_zip", "Tệp .xlsx bị hỏng hoặc không phải tài liệu Excel");
  });

  it("refuses a truncated zip", async () => {
    const docx = await buildDocx(lecturerDocument());
    await expectFormatError(parseQuestionFile("cat-cut.docx", docx.subarray(0, docx.length - 30)), "not_zip", "bị hỏng");
  });

  it("refuses a zip whose only entry inflates to 150 MB (built here, not committed)", async () => {
    const bomb = await zipOf({ "word/document.xml": new Uint8Array(150 * 1024 * 1024) }, 9);
    expect(bomb.length).toBeLessThan(1024 * 1024); // a small upload…
    const { entries } = readZipDirectory(bomb);
    expect(entries.find((e) => e.name === "word/document.xml")).toMatchObject({ uncompressedSize: 150 * 1024 * 1024 });
    // …refused from the directory alone, before anything is inflated
    await expectFormatError(() => guardZip(bomb, "docx"), "zip_bomb", "bom nén", "150 MB");
    await expectFormatError(parseQuestionFile("bom.docx", bomb), "zip_bomb", "zip bomb");
    await expectFormatError(parseQuestionFile("bom.xlsx", bomb), "zip_bomb", "Tệp .xlsx");
  }, 60_000);

  it("refuses an expansion ratio above 100:1 even under 100 MB", async () => {
    const dense = await zipOf({ "word/document.xml": new Uint8Array(30 * 1024 * 1024) }, 9);
    await expectFormatError(() => guardZip(dense, "docx"), "zip_bomb", "tỉ lệ", "100:1");
    // limits are configurable
    expect(() => guardZip(dense, "docx", { maxRatio: 5000 })).not.toThrow();
  }, 30_000);

  it("refuses more than 10,000 entries", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 10_001; i++) files[`word/media/e${i}.xml`] = "x";
    const many = await zipOf(files, 1);
    await expectFormatError(() => guardZip(many, "docx"), "zip_bomb", "thành phần bên trong", "vượt giới hạn 10.000");
  }, 60_000);

  it("stops inflating an entry that lies about its size", async () => {
    const docx = await zipOf({ "[Content_Types].xml": "<Types/>", "word/document.xml": new Uint8Array(5 * 1024 * 1024) }, 9);
    // Rewrite the declared uncompressed size of word/document.xml to 1,000 bytes in both
    // the local header and the central directory.
    const view = new DataView(docx.buffer, docx.byteOffset, docx.byteLength);
    const name = utf8("word/document.xml");
    for (let i = 0; i + 46 < docx.length; i++) {
      const sig = view.getUint32(i, true);
      const at = sig === 0x04034b50 ? [i + 22, i + 30] : sig === 0x02014b50 ? [i + 24, i + 46] : undefined;
      if (!at) continue;
      if (Buffer.from(docx.subarray(at[1], at[1] + name.length)).equals(Buffer.from(name))) view.setUint32(at[0], 1000, true);
    }
    expect(() => guardZip(docx, "docx")).not.toThrow();
    await expectFormatError(parseQuestionFile("noi-doi.docx", docx), "zip_bomb", "word/document.xml");
  }, 30_000);
});
