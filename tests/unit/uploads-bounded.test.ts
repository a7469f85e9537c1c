import { describe, expect, it } from "vitest";
import { readTable } from "../../server/imports/table";
import { parseQuestionFile } from "../../server/questions/formats";
import { readUploadForm, TABLE_LIMITS, UploadError } from "../../server/uploads/bounded";
import {
  docxBomb,
  lyingZip,
  realDocx,
  realXlsx,
  xlsxBomb,
  xlsxHugeSharedStrings,
  xlsxManyEntries,
  xlsxManyRows,
} from "../fixtures/hostile-uploads";

/**
 * The one bounded reader (issue 13, item 8) on every path that reads an upload: the
 * people lists (readTable: trainee accounts and nominations) and the question banks.
 */
async function refused(p: Promise<unknown>, code: string, ...fragments: (string | RegExp)[]) {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e, "the file should have been refused").toBeInstanceOf(UploadError);
  const u = e as UploadError;
  expect(u.code).toBe(code);
  expect(u.status).toBeGreaterThanOrEqual(400);
  for (const f of fragments) expect(u.message).toMatch(f);
  return u;
}

describe("people lists (.xlsx/.csv for trainee accounts and nominations)", () => {
  it("still reads a real workbook", async () => {
    const t = await readTable("danh-sach.xlsx", await realXlsx());
    expect(t.header).toEqual(["Họ và tên", "Ngày sinh", "Đơn vị"]);
    expect(t.rows).toHaveLength(1);
  });

  it("refuses a zip bomb from its directory, before inflating", async () => {
    const bomb = await xlsxBomb(20);
    expect(bomb.length).toBeLessThan(200 * 1024);
    await refused(readTable("bom.xlsx", bomb), "zip_bomb", "bom nén", "100:1");
  }, 30_000);

  it("refuses more entries than a spreadsheet ever has", async () => {
    await refused(
      readTable("nhieu.xlsx", await xlsxManyEntries(TABLE_LIMITS.maxEntries + 5)),
      "zip_bomb",
      "thành phần bên trong",
      "vượt giới hạn 1.000",
    );
  }, 30_000);

  it("refuses a huge shared-strings part by its count, before ExcelJS builds it", async () => {
    await refused(
      readTable("chuoi.xlsx", await xlsxHugeSharedStrings(TABLE_LIMITS.maxCells + 1000)),
      "too_many_rows",
      "ô dữ liệu",
      "400.000",
    );
  }, 60_000);

  it("refuses more rows than the cap", async () => {
    await refused(readTable("dong.xlsx", await xlsxManyRows(TABLE_LIMITS.maxRows + 1)), "too_many_rows", "20.000 dòng");
  }, 30_000);

  it("stops inflating a part that lies about its size", async () => {
    await refused(
      readTable("noi-doi.xlsx", await lyingZip(await realXlsx(), "xl/worksheets/sheet1.xml")),
      "zip_bomb",
      "xl/worksheets/sheet1.xml",
    );
  }, 30_000);

  it("refuses a file over the size limit, and a CSV with more rows than the cap", async () => {
    await refused(readTable("lon.xlsx", new Uint8Array(TABLE_LIMITS.maxBytes + 1)), "too_large", "Tệp quá lớn", "giới hạn là 10 MB");
    const csv = new TextEncoder().encode("Họ và tên,Ngày sinh\n" + "a,b\n".repeat(TABLE_LIMITS.maxRows + 1));
    await refused(readTable("dai.csv", csv), "too_many_rows", "Tệp CSV", "20.000 dòng");
  });
});

describe("question banks (.xlsx/.docx)", () => {
  it("refuses a Word and an Excel zip bomb", async () => {
    await refused(parseQuestionFile("bom.docx", await docxBomb(20)), "zip_bomb", "Tệp .docx", "bom nén");
    await refused(parseQuestionFile("bom.xlsx", await xlsxBomb(20)), "zip_bomb", "Tệp .xlsx");
  }, 30_000);

  it("refuses a question spreadsheet past the row or shared-strings cap, which it read whole before", async () => {
    await refused(parseQuestionFile("dong.xlsx", await xlsxManyRows(50_001)), "too_many_rows", "50.000 dòng");
    await refused(
      parseQuestionFile("chuoi.xlsx", await xlsxHugeSharedStrings(10_000), { limits: { maxCells: 5_000 } }),
      "too_many_rows",
      "5.000 ô",
    );
  }, 60_000);

  it("still reads a real Word file", async () => {
    const r = await parseQuestionFile("cau-hoi.docx", await realDocx());
    expect(r).toHaveProperty("questions");
  });
});

describe("the request body", () => {
  const hint = "Hãy chia nhỏ danh sách.";
  function multipart(fileBytes: number, opts: { stream?: boolean } = {}): Request {
    const boundary = "----bd";
    const head = new TextEncoder().encode(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\n`,
    );
    const tail = new TextEncoder().encode(`\r\n--${boundary}--\r\n`);
    const body = new Uint8Array(head.length + fileBytes + tail.length);
    body.set(head);
    body.fill(0x61, head.length, head.length + fileBytes);
    body.set(tail, head.length + fileBytes);
    const headers = { "content-type": `multipart/form-data; boundary=${boundary}` };
    if (!opts.stream) return new Request("http://x/", { method: "POST", headers, body });
    // Chunked: no Content-Length to check first.
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent >= body.length) return c.close();
        c.enqueue(body.subarray(sent, sent + 64 * 1024));
        sent += 64 * 1024;
      },
    });
    return new Request("http://x/", { method: "POST", headers, body: stream, duplex: "half" } as RequestInit);
  }

  it("reads a form within the limit", async () => {
    const form = await readUploadForm(multipart(1000), 10_000, hint);
    expect((form.get("file") as File).size).toBe(1000);
  });

  it("cuts a chunked body (no Content-Length) at the limit with 413", async () => {
    const e = await refused(
      readUploadForm(multipart(3 * 1024 * 1024, { stream: true }), 1024 * 1024, hint),
      "too_large",
      "giới hạn là 1 MB",
      hint,
    );
    expect(e.status).toBe(413);
    await refused(readUploadForm(multipart(3 * 1024 * 1024), 1024 * 1024, hint), "too_large");
  });
});
