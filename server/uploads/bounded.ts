// The one bounded reader for every upload (issue 13, item 8): trainee accounts,
// nominations and question banks (.xlsx, .docx, .csv, text) all come through here.
//
// Why: an upload is untrusted, and an Office file is a zip. A 150 KB .xlsx that inflates
// to 150 MB took the server's memory before this module existed. Every limit is checked
// as early and as cheaply as possible:
//   1. the request body, read with a byte cap (a missing or lying Content-Length does not
//      help: the stream is cut at the cap) — readUploadForm;
//   2. the file's size — assertUploadSize;
//   3. the zip's central directory (a few KB at the end; nothing inflated): number of
//      entries, each entry's and the total uncompressed size, the expansion ratio —
//      guardZip;
//   4. while inflating: no entry may exceed the size its directory declared (a zip that
//      lies about sizes is cut mid-stream) — readZipEntryLimited / openZip;
//   5. for spreadsheets, rows and cells are counted in the inflated sheet XML before
//      any spreadsheet library builds its model of them — loadWorkbook.
// Refusals are UploadError: a Vietnamese message that says which limit applies and what
// to do, HTTP status 400 (413 for a request body over the limit). Nothing is stored.

import JSZip from "jszip";
import { formatCount } from "../rules/numbers";
import { formatNumber } from "../rules/numbers";
import type ExcelJS from "exceljs";

export type UploadErrorCode =
  "too_large" | "empty" | "encoding" | "not_zip" | "zip_bomb" | "too_many_rows" | "unknown_format" | "legacy_office" | "unsupported_export";

/**
 * A whole file refused. `message` is Vietnamese and says what to do. Routes recognise
 * it by `status` (server/errors.ts, app/lib/guards.server.ts).
 */
export class UploadError extends Error {
  readonly code: UploadErrorCode;
  readonly status: number;
  /** 400: the user's file to fix; 413 when the request body itself was cut at the limit. */
  constructor(code: UploadErrorCode, message: string, status = 400) {
    super(message);
    this.name = "FormatError";
    this.code = code;
    this.status = status;
  }
}

export interface UploadLimits {
  /** Largest upload accepted, in bytes. */
  maxBytes: number;
  /** Largest total uncompressed size of a .docx/.xlsx. */
  maxUncompressedBytes: number;
  /** Largest uncompressed size of one entry of a .docx/.xlsx. */
  maxEntryBytes: number;
  /** Largest uncompressed:compressed ratio (whole archive, or any entry of 1 MB or more). */
  maxRatio: number;
  /** Most entries in a .docx/.xlsx. */
  maxEntries: number;
  /** Most rows over all sheets of a spreadsheet. */
  maxRows: number;
  /** Most cells over all sheets of a spreadsheet. */
  maxCells: number;
}

const MB = 1024 * 1024;

/** Question banks: Word files carry images, so more entries and bytes. */
export const QUESTION_LIMITS: UploadLimits = {
  maxBytes: 20 * MB,
  maxUncompressedBytes: 100 * MB,
  maxEntryBytes: 100 * MB,
  maxRatio: 100,
  maxEntries: 10_000,
  maxRows: 50_000,
  maxCells: 1_000_000,
};

/**
 * Lists of people (trainee accounts, nominations): a commune's list is hundreds of rows,
 * a province's a few tens of thousands; no picture belongs in them.
 */
export const TABLE_LIMITS: UploadLimits = {
  maxBytes: 10 * MB,
  maxUncompressedBytes: 50 * MB,
  maxEntryBytes: 40 * MB,
  maxRatio: 100,
  maxEntries: 1_000,
  maxRows: 20_000,
  maxCells: 400_000,
};

/** Human size in Vietnamese notation (decimal comma): "20 MB", "1,5 MB", "800 KB", "5 byte". */
export function mb(n: number): string {
  if (n < 1024) return `${n} byte`;
  if (n < MB) return `${Math.round(n / 1024)} KB`;
  const v = n / MB;
  return `${formatNumber(v >= 10 ? Math.round(v) : v, 1)} MB`;
}

const count = (n: number) => formatCount(n);

export function notZipMessage(kind: "docx" | "xlsx"): string {
  return kind === "docx"
    ? "Tệp .docx bị hỏng hoặc không phải tài liệu Word. Hãy mở tệp bằng Word và lưu lại dạng “Tài liệu Word (.docx)”."
    : "Tệp .xlsx bị hỏng hoặc không phải tài liệu Excel. Hãy mở tệp bằng Excel và lưu lại dạng “Sổ làm việc Excel (.xlsx)”.";
}

function tooLarge(size: number, maxBytes: number, hint: string, status = 400): UploadError {
  return new UploadError("too_large", `Tệp quá lớn (${mb(size)}); giới hạn là ${mb(maxBytes)}. ${hint}`, status);
}

/** Refuses an empty file or one over `maxBytes`; `hint` says how to make it smaller. */
export function assertUploadSize(
  bytes: Uint8Array,
  maxBytes: number,
  hint: string,
  emptyMessage = "Tệp rỗng (0 byte). Hãy chọn lại đúng tệp.",
): void {
  if (bytes.length === 0) throw new UploadError("empty", emptyMessage);
  if (bytes.length > maxBytes) throw tooLarge(bytes.length, maxBytes, hint);
}

// ---------------------------------------------------------------------------
// 1. The request body
// ---------------------------------------------------------------------------

/**
 * Reads a form post (multipart or urlencoded) with at most `maxBytes` of body, plus 64 KB
 * for the multipart framing and the small fields. `request.formData()` alone would read
 * any body to its end: a chunked upload carries no Content-Length to check first.
 */
export async function readUploadForm(request: Request, maxBytes: number, hint: string): Promise<FormData> {
  const cap = maxBytes + 64 * 1024;
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > cap) throw tooLarge(declared, maxBytes, hint, 413);
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > cap) {
        // Stop reading but do not cancel: cancelling destroys the connection before the 413
        // can be sent. Unread, the rest waits in TCP buffers (backpressure) until Node
        // closes the connection after the response.
        reader.releaseLock();
        throw new UploadError("too_large", `Tệp quá lớn (hơn ${mb(maxBytes)}); giới hạn là ${mb(maxBytes)}. ${hint}`, 413);
      }
      chunks.push(value);
    }
  }
  const body = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.byteLength;
  }
  try {
    return await new Response(body, { headers: { "content-type": request.headers.get("content-type") ?? "" } }).formData();
  } catch {
    throw new UploadError("unknown_format", "Không đọc được dữ liệu gửi lên. Hãy tải lại trang và chọn tệp một lần nữa.");
  }
}

// ---------------------------------------------------------------------------
// 3. The zip's central directory
// ---------------------------------------------------------------------------

export interface ZipEntryInfo {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
}

export function isZip(bytes: Uint8Array): boolean {
  const sig = (s: number[]) => s.every((b, i) => bytes[i] === b);
  return sig([0x50, 0x4b, 0x03, 0x04]) || sig([0x50, 0x4b, 0x05, 0x06]);
}

/**
 * Read a zip's central directory (no inflation). Throws UploadError("not_zip") if the
 * bytes are not a well-formed zip. ZIP64 sizes are honoured.
 */
export function readZipDirectory(
  bytes: Uint8Array,
  kind: "docx" | "xlsx" = "docx",
  maxEntries = Infinity,
): { entries: ZipEntryInfo[]; declaredEntries: number } {
  const bad = () => new UploadError("not_zip", notZipMessage(kind));
  if (!isZip(bytes) || bytes.length < 22) throw bad();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (o: number) => view.getUint16(o, true);
  const u32 = (o: number) => view.getUint32(o, true);
  const u64 = (o: number) => Number(view.getBigUint64(o, true));

  // End of central directory: the last 22 bytes plus a comment of up to 65,535 bytes.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (u32(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw bad();
  let total = u16(eocd + 10);
  let cdSize = u32(eocd + 12);
  let cdOffset = u32(eocd + 16);
  if (total === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || u32(loc) !== 0x07064b50) throw bad();
    const z64 = u64(loc + 8);
    if (z64 + 56 > bytes.length || u32(z64) !== 0x06064b50) throw bad();
    total = u64(z64 + 32);
    cdSize = u64(z64 + 40);
    cdOffset = u64(z64 + 48);
  }
  if (cdOffset + cdSize > bytes.length) throw bad();

  const entries: ZipEntryInfo[] = [];
  const names = new TextDecoder("utf-8");
  let p = cdOffset;
  const limit = Math.min(total, maxEntries + 1); // no need to walk further than the limit
  for (let n = 0; n < limit; n++) {
    if (p + 46 > bytes.length || u32(p) !== 0x02014b50) throw bad();
    const method = u16(p + 10);
    let compressedSize = u32(p + 20);
    let uncompressedSize = u32(p + 24);
    const nameLen = u16(p + 28);
    const extraLen = u16(p + 30);
    const commentLen = u16(p + 32);
    if (p + 46 + nameLen + extraLen + commentLen > bytes.length) throw bad();
    const name = names.decode(bytes.subarray(p + 46, p + 46 + nameLen));
    // ZIP64 extended information: the 64-bit sizes, in this order, for the fields set to 0xFFFFFFFF.
    let e = p + 46 + nameLen;
    const extraEnd = e + extraLen;
    while (e + 4 <= extraEnd) {
      const id = u16(e);
      const size = u16(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (uncompressedSize === 0xffffffff && q + 8 <= e + 4 + size) {
          uncompressedSize = u64(q);
          q += 8;
        }
        if (compressedSize === 0xffffffff && q + 8 <= e + 4 + size) compressedSize = u64(q);
      }
      e += 4 + size;
    }
    entries.push({ name, method, compressedSize, uncompressedSize });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return { entries, declaredEntries: total };
}

function bombError(kind: "docx" | "xlsx", why: string): UploadError {
  return new UploadError(
    "zip_bomb",
    `Tệp .${kind} bị từ chối vì có dấu hiệu “bom nén” (zip bomb): ${why}. Nếu đây là tài liệu thật, hãy lưu lại bằng ${kind === "docx" ? "Word" : "Excel"}, bỏ bớt hình ảnh hoặc chia thành nhiều tệp.`,
  );
}

/**
 * Refuse a .docx/.xlsx that is not a zip, or whose directory declares a zip bomb: more
 * than `maxEntries` entries, an entry over `maxEntryBytes`, more than
 * `maxUncompressedBytes` in total, or an expansion ratio above `maxRatio` (whole archive,
 * or any entry of 1 MB or more; tiny entries are exempt because deflate's fixed overhead
 * makes their ratio meaningless).
 */
export function guardZip(bytes: Uint8Array, kind: "docx" | "xlsx", limits: Partial<UploadLimits> = {}): ZipEntryInfo[] {
  const l = { ...QUESTION_LIMITS, ...limits };
  const { entries, declaredEntries } = readZipDirectory(bytes, kind, l.maxEntries);
  if (declaredEntries > l.maxEntries)
    throw bombError(kind, `có ${count(declaredEntries)} thành phần bên trong, vượt giới hạn ${count(l.maxEntries)}`);
  let totalIn = 0;
  let totalOut = 0;
  for (const e of entries) {
    totalIn += e.compressedSize;
    totalOut += e.uncompressedSize;
    if (e.uncompressedSize > l.maxEntryBytes)
      throw bombError(
        kind,
        `thành phần “${e.name}” giải nén ra ${mb(e.uncompressedSize)}, vượt giới hạn ${mb(l.maxEntryBytes)} cho mỗi thành phần`,
      );
    if (e.uncompressedSize >= MB && e.uncompressedSize > l.maxRatio * Math.max(1, e.compressedSize)) {
      throw bombError(
        kind,
        `thành phần “${e.name}” giải nén ra ${mb(e.uncompressedSize)} từ ${mb(e.compressedSize)} (tỉ lệ hơn ${l.maxRatio}:1)`,
      );
    }
  }
  if (totalIn > bytes.length) throw new UploadError("not_zip", notZipMessage(kind));
  if (totalOut > l.maxUncompressedBytes)
    throw bombError(kind, `khi giải nén sẽ chiếm ${mb(totalOut)}, vượt giới hạn ${mb(l.maxUncompressedBytes)}`);
  if (totalOut >= MB && totalOut > l.maxRatio * Math.max(1, totalIn)) throw bombError(kind, `tỉ lệ nén hơn ${l.maxRatio}:1`);
  return entries;
}

// ---------------------------------------------------------------------------
// 4. Inflating
// ---------------------------------------------------------------------------

/**
 * Inflate one zip entry, stopping as soon as it exceeds `maxBytes`: the directory check
 * trusts declared sizes, and this is the backstop for a zip that lies about them.
 */
export async function readZipEntryLimited(
  zip: JSZip,
  name: string,
  maxBytes: number,
  kind: "docx" | "xlsx" = "docx",
): Promise<Uint8Array | undefined> {
  const file = zip.file(name);
  if (!file) return undefined;
  return new Promise<Uint8Array>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const stream = file.nodeStream("nodebuffer");
    stream.on("data", (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) {
        stream.pause();
        stream.removeAllListeners("data");
        reject(bombError(kind, `thành phần “${name}” giải nén ra hơn ${mb(maxBytes)}`));
        return;
      }
      chunks.push(chunk);
    });
    stream.on("error", () => reject(new UploadError("not_zip", notZipMessage(kind))));
    stream.on("end", () => resolve(new Uint8Array(Buffer.concat(chunks))));
  });
}

export interface BoundedZip {
  entries: ZipEntryInfo[];
  /** One entry, inflated with a cap at its declared size; undefined if absent. */
  read(name: string): Promise<Uint8Array | undefined>;
}

/** guardZip, then a reader that inflates no entry past its declared size. */
export async function openZip(bytes: Uint8Array, kind: "docx" | "xlsx", limits: Partial<UploadLimits> = {}): Promise<BoundedZip> {
  const l = { ...QUESTION_LIMITS, ...limits };
  const entries = guardZip(bytes, kind, l);
  const declared = new Map(entries.map((e) => [e.name, e.uncompressedSize]));
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch {
    throw new UploadError("not_zip", notZipMessage(kind));
  }
  const cap = (name: string) => Math.min(l.maxEntryBytes, l.maxUncompressedBytes, declared.get(name) ?? l.maxEntryBytes);
  return { entries, read: (name) => readZipEntryLimited(zip, name, cap(name), kind) };
}

/**
 * Inflate every entry once, each capped at its declared size, before handing the file to a
 * library that inflates everything itself (exceljs). Costs one extra pass over at most
 * `maxUncompressedBytes`; buys the guarantee that no entry is bigger than it claims.
 */
export async function verifyZipSizes(bytes: Uint8Array, entries: ZipEntryInfo[], kind: "docx" | "xlsx"): Promise<void> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch {
    throw new UploadError("not_zip", notZipMessage(kind));
  }
  for (const e of entries) {
    if (e.name.endsWith("/")) continue;
    await readZipEntryLimited(zip, e.name, e.uncompressedSize, kind);
  }
}

// ---------------------------------------------------------------------------
// 5. Spreadsheets
// ---------------------------------------------------------------------------

function countMatches(text: string, re: RegExp): number {
  let n = 0;
  re.lastIndex = 0;
  while (re.exec(text)) n++;
  return n;
}

/**
 * An .xlsx as an ExcelJS workbook, after every check above. Each part is inflated with
 * its cap; the rows and cells of every sheet are counted in its XML (`<row>`, `<c>`), and
 * the shared strings (`<si>`) against the cell cap, before ExcelJS builds a model of
 * them — its model costs hundreds of bytes per cell. Office never writes a DTD, so a
 * part declaring one (entity expansion) is refused too.
 */
export async function loadWorkbook(bytes: Uint8Array, limits: UploadLimits): Promise<ExcelJS.Workbook> {
  const zip = await openZip(bytes, "xlsx", limits);
  let rows = 0;
  let cells = 0;
  let strings = 0;
  const text = new TextDecoder("utf-8");
  for (const e of zip.entries) {
    if (e.name.endsWith("/")) continue;
    const data = await zip.read(e.name);
    if (!data || !/\.(xml|rels|vml)$/i.test(e.name)) continue;
    const xml = text.decode(data);
    if (/<!(DOCTYPE|ENTITY)\b/i.test(xml)) throw new UploadError("not_zip", notZipMessage("xlsx"));
    if (/^xl\/worksheets\/[^/]+\.xml$/i.test(e.name)) {
      rows += countMatches(xml, /<(?:\w+:)?row[\s>/]/g);
      cells += countMatches(xml, /<(?:\w+:)?c[\s>/]/g);
    } else if (/^xl\/sharedStrings\.xml$/i.test(e.name)) {
      strings += countMatches(xml, /<(?:\w+:)?si[\s>/]/g);
    }
    if (rows > limits.maxRows) {
      throw new UploadError(
        "too_many_rows",
        `Tệp Excel có hơn ${count(limits.maxRows)} dòng, vượt giới hạn ${count(limits.maxRows)} dòng cho một lần nhập. Hãy chia danh sách thành nhiều tệp nhỏ hơn.`,
      );
    }
    if (cells > limits.maxCells || strings > limits.maxCells) {
      throw new UploadError(
        "too_many_rows",
        `Tệp Excel có hơn ${count(limits.maxCells)} ô dữ liệu, vượt giới hạn ${count(limits.maxCells)} ô cho một lần nhập. Hãy xóa các cột, trang tính thừa hoặc chia thành nhiều tệp.`,
      );
    }
  }
  const ExcelJSLib = (await import("exceljs")).default;
  const wb = new ExcelJSLib.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as Parameters<typeof wb.xlsx.load>[0]);
  } catch {
    throw new UploadError("not_zip", notZipMessage("xlsx"));
  }
  return wb;
}

/**
 * The row and cell caps for a CSV, counted on the text before parsing (a 10 MB file of
 * commas is ten million empty cells once parsed). Delimiters inside quotes count too,
 * so this errs towards refusing only files far past any real list.
 */
export function assertCsvSize(text: string, delimiter: string, limits: UploadLimits): void {
  let lines = 1;
  let cells = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\n") {
      lines++;
      cells++;
    } else if (ch === delimiter) cells++;
  }
  if (lines > limits.maxRows + 1) {
    throw new UploadError(
      "too_many_rows",
      `Tệp CSV có hơn ${count(limits.maxRows)} dòng, vượt giới hạn ${count(limits.maxRows)} dòng cho một lần nhập. Hãy chia danh sách thành nhiều tệp nhỏ hơn.`,
    );
  }
  if (cells > limits.maxCells) {
    throw new UploadError(
      "too_many_rows",
      `Tệp CSV có hơn ${count(limits.maxCells)} ô dữ liệu, vượt giới hạn ${count(limits.maxCells)} ô cho một lần nhập. Hãy xóa các cột thừa hoặc chia thành nhiều tệp.`,
    );
  }
}
