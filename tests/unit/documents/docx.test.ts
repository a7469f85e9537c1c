import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { XMLValidator } from "fast-xml-parser";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { renderPartyDocumentDocx, xmlEscape } from "../../../server/documents/docx";
import type { PartyDocument } from "../../../server/documents/model";
import { sampleResultsNotice } from "../../../server/documents/samples";
import { flat, pdfToText, saveTemp, skipReason, tempDir } from "./tools";

const PARTS = [
  "[Content_Types].xml",
  "_rels/.rels",
  "docProps/core.xml",
  "word/document.xml",
  "word/styles.xml",
  "word/_rels/document.xml.rels",
  "word/header1.xml",
  "word/header2.xml",
];

/** Text of document.xml as a reader sees it: the w:t runs, unescaped, line breaks as spaces. */
function visibleText(xml: string): string {
  return [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>|<w:br\/>|<\/w:p>/g)]
    .map((m) => (m[1] === undefined ? " " : m[1]))
    .join("")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}

async function unzip(doc: PartyDocument) {
  const bytes = await renderPartyDocumentDocx(doc);
  const zip = await JSZip.loadAsync(bytes);
  return { bytes, zip, read: (p: string) => zip.file(p)!.async("string") };
}

describe("results notice as DOCX", () => {
  it("is a zip of well-formed WordprocessingML parts, content types first", async () => {
    const { bytes, zip, read } = await unzip(sampleResultsNotice());
    expect(Buffer.from(bytes.subarray(0, 2)).toString("latin1")).toBe("PK");
    expect(Object.keys(zip.files).filter((f) => !zip.files[f].dir)).toEqual(PARTS);
    for (const part of PARTS) expect(XMLValidator.validate(await read(part)), part).toBe(true);
  });

  it("sets Times New Roman, A4 and the 36-HD/VPTW margins, page numbers from page 2", async () => {
    const { read } = await unzip(sampleResultsNotice());
    expect(await read("word/styles.xml")).toContain('w:ascii="Times New Roman"');
    const xml = await read("word/document.xml");
    expect(xml).toContain('<w:pgSz w:w="11906" w:h="16838"/>');
    expect(xml).toMatch(/<w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701"/);
    expect(xml).toContain("<w:titlePg/>");
    expect(await read("word/header1.xml")).toContain(" PAGE ");
    expect(await read("word/header2.xml")).not.toContain("PAGE");
  });

  it("contains the document's strings in NFC, and the table header repeats", async () => {
    const { read } = await unzip(sampleResultsNotice());
    const xml = await read("word/document.xml");
    expect(xml).toBe(xml.normalize("NFC"));
    const t = visibleText(xml);
    for (const s of [
      "ĐẢNG CỘNG SẢN VIỆT NAM",
      "TRUNG TÂM CHÍNH TRỊ XÃ TÂN LẬP",
      "Số 05-TB/TTCT",
      "Tân Lập, ngày 05 tháng 03 năm 2026",
      "THÔNG BÁO",
      "Nguyễn Thị Mai",
      "Chi bộ Hợp tác xã Nông nghiệp Tân Lập",
      "K/T GIÁM ĐỐC",
      "PHÓ GIÁM ĐỐC",
      "Trần Thị Hương",
      "Nơi nhận:",
      "- Lưu Trung tâm Chính trị xã.",
    ]) {
      expect(t, s).toContain(s);
    }
    expect(xml.match(/<w:tblHeader\/>/g)).toHaveLength(1);
  });

  it("escapes XML specials in every text", async () => {
    expect(xmlEscape(`a & b <c> "d" 'e'`)).toBe("a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;");
    const doc = sampleResultsNotice();
    doc.summary = "Kết quả <lớp> & \"khóa\" 'I'";
    doc.body = [{ kind: "paragraph", text: "Ban Tổ chức & Kiểm tra </w:t></w:r> <script>" }];
    doc.recipients = ["Chi bộ A & B,", "Lưu <VP>."];
    const { read } = await unzip(doc);
    const xml = await read("word/document.xml");
    expect(XMLValidator.validate(xml)).toBe(true);
    const t = visibleText(xml);
    expect(t).toContain("Ban Tổ chức & Kiểm tra </w:t></w:r> <script>");
    expect(t).toContain(`Kết quả <lớp> & "khóa" 'I'`);
    expect(t).toContain("- Lưu <VP>.");
    expect(XMLValidator.validate(await read("docProps/core.xml"))).toBe(true);
  });

  const noSoffice = skipReason("soffice", "libreoffice-writer-nogui");
  const noPoppler = skipReason("pdftotext", "poppler-utils");

  it.skipIf(noSoffice || noPoppler)(
    "converts with LibreOffice to a PDF with the same text",
    async () => {
      const path = saveTemp("notice.docx", (await unzip(sampleResultsNotice())).bytes);
      const outDir = join(tempDir, "soffice");
      // A private profile: a second LibreOffice (someone's desktop, another test) must not block this one.
      execFileSync(
        "soffice",
        [`-env:UserInstallation=file://${join(tempDir, "lo-profile")}`, "--headless", "--convert-to", "pdf", "--outdir", outDir, path],
        { stdio: "pipe", timeout: 120_000 },
      );
      const pdf = join(outDir, "notice.pdf");
      expect(existsSync(pdf)).toBe(true);
      const t = flat(pdfToText(pdf));
      for (const s of ["ĐẢNG CỘNG SẢN VIỆT NAM", "Số 05-TB/TTCT", "ngày 05 tháng 03 năm 2026", "Nguyễn Thị Mai", "Nơi nhận:"])
        expect(t, s).toContain(s);
    },
    150_000,
  );
});
