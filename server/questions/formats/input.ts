// Guards for raw uploads, applied before any parser sees the bytes.
//
// Why: an upload is untrusted. A renamed file, a legacy-encoded text file or a zip bomb
// must be refused with a message the lecturer can act on, before we spend memory on it.
// The zip guard reads only the central directory (a few KB at the end of the file), so a
// 100:1 bomb is refused without inflating a single byte.

import JSZip from "jszip";
import type { FormatId } from "./model";
import { formatNumber } from "../../rules/numbers";

export type FormatErrorCode =
  | "too_large"
  | "empty"
  | "encoding"
  | "not_zip"
  | "zip_bomb"
  | "unknown_format"
  | "legacy_office"
  | "unsupported_export";

/** A whole file refused. `message` is Vietnamese and says what to do. */
export class FormatError extends Error {
  readonly code: FormatErrorCode;
  /** A refused upload is the user's to fix: HTTP 400 where routes see it (server/errors.ts). */
  readonly status = 400;
  constructor(code: FormatErrorCode, message: string) {
    super(message);
    this.name = "FormatError";
    this.code = code;
  }
}

export interface InputLimits {
  /** Largest upload accepted, in bytes. Default 20 MB. */
  maxBytes: number;
  /** Largest total uncompressed size of a .docx/.xlsx. Default 100 MB. */
  maxUncompressedBytes: number;
  /** Largest uncompressed:compressed ratio. Default 100. */
  maxRatio: number;
  /** Most entries in a .docx/.xlsx. Default 10,000. */
  maxEntries: number;
}

export const DEFAULT_LIMITS: InputLimits = {
  maxBytes: 20 * 1024 * 1024,
  maxUncompressedBytes: 100 * 1024 * 1024,
  maxRatio: 100,
  maxEntries: 10_000,
};

const MB = 1024 * 1024;
/** Human size in Vietnamese notation (decimal comma): "20 MB", "1,5 MB", "800 KB", "5 byte". */
function mb(n: number): string {
  if (n < 1024) return `${n} byte`;
  if (n < MB) return `${Math.round(n / 1024)} KB`;
  const v = n / MB;
  return `${formatNumber(v >= 10 ? Math.round(v) : v, 1)} MB`;
}

export function assertSize(bytes: Uint8Array, maxBytes = DEFAULT_LIMITS.maxBytes): void {
  if (bytes.length === 0) throw new FormatError("empty", "Tệp rỗng (0 byte). Hãy chọn lại đúng tệp ngân hàng câu hỏi.");
  if (bytes.length > maxBytes) {
    throw new FormatError(
      "too_large",
      `Tệp quá lớn (${mb(bytes.length)}); giới hạn là ${mb(maxBytes)}. Hãy chia ngân hàng câu hỏi thành nhiều tệp nhỏ hơn (ví dụ mỗi bài một tệp) hoặc nén nhỏ hình ảnh.`,
    );
  }
}

// ---------------------------------------------------------------------------
// Format detection
// ---------------------------------------------------------------------------

function startsWith(bytes: Uint8Array, sig: number[]): boolean {
  return sig.every((b, i) => bytes[i] === b);
}
export function isZip(bytes: Uint8Array): boolean {
  return startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06]);
}
/** OLE compound file: Word 97–2003 .doc, Excel 97–2003 .xls. */
function isOle(bytes: Uint8Array): boolean {
  return startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
}

function extensionOf(filename: string): string {
  const base = filename.split(/[\\/]/).pop() ?? "";
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : "";
}

function notZipMessage(kind: "docx" | "xlsx"): string {
  return kind === "docx"
    ? "Tệp .docx bị hỏng hoặc không phải tài liệu Word. Hãy mở tệp bằng Word và lưu lại dạng “Tài liệu Word (.docx)”."
    : "Tệp .xlsx bị hỏng hoặc không phải tài liệu Excel. Hãy mở tệp bằng Excel và lưu lại dạng “Sổ làm việc Excel (.xlsx)”.";
}

function sniffText(bytes: Uint8Array): FormatId | undefined {
  let text: string;
  try {
    text = decodeText(bytes.subarray(0, 64 * 1024), { legacy: "guess", partial: true });
  } catch {
    return undefined;
  }
  const t = text.replace(/^\ufeff/, "").trimStart();
  if (/^<\?xml/i.test(t) || /^<quiz[\s>]/i.test(t)) return "moodle-xml";
  if (/^ANSWER\s*:\s*[A-Z]\s*$/im.test(t) && /^[A-Z][.)]\s/m.test(t)) return "aiken";
  if (/\{[\s\S]*\}/.test(t) || /^\$CATEGORY:/m.test(t) || /^::/m.test(t)) return "gift";
  const first = t.split(/\r?\n/, 1)[0] ?? "";
  if (/[,;\t]/.test(first) && /n[ộo]i dung|đáp án|dap an/i.test(first)) return "csv";
  return undefined;
}

/**
 * Which parser a file needs. The extension decides when it is known (a lecturer's
 * .txt may be GIFT or Aiken: the content decides); unknown extensions are sniffed.
 * Throws FormatError for Office 97–2003 files and for files nothing recognises.
 */
export function detectFormat(filename: string, bytes: Uint8Array): FormatId {
  const ext = extensionOf(filename);
  if (ext === "doc" || ext === "xls" || (isOle(bytes) && ext !== "docx" && ext !== "xlsx")) {
    const word = ext === "doc" || (ext !== "xls" && !/xl/.test(ext));
    throw new FormatError(
      "legacy_office",
      word
        ? "Tệp Word 97–2003 (.doc) chưa được hỗ trợ. Hãy mở bằng Word, chọn Lưu thành… và lưu dạng .docx rồi tải lên lại."
        : "Tệp Excel 97–2003 (.xls) chưa được hỗ trợ. Hãy mở bằng Excel, chọn Lưu thành… và lưu dạng .xlsx rồi tải lên lại.",
    );
  }
  switch (ext) {
    case "xlsx":
    case "xlsm":
      return "xlsx";
    case "docx":
      return "docx";
    case "csv":
      return "csv";
    case "xml":
      return "moodle-xml";
    case "gift":
      return "gift";
    case "aiken":
      return "aiken";
  }
  if (isZip(bytes)) {
    const names = new Set(readZipDirectory(bytes).entries.map((e) => e.name));
    if (names.has("word/document.xml")) return "docx";
    if (names.has("xl/workbook.xml")) return "xlsx";
    throw new FormatError(
      "unknown_format",
      `Tệp “${filename}” là tệp nén nhưng không phải tài liệu Word (.docx) hay Excel (.xlsx). Hãy tải lên tệp .docx, .xlsx, .csv, .xml (Moodle), .txt (GIFT hoặc Aiken).`,
    );
  }
  const sniffed = sniffText(bytes);
  if (sniffed) return sniffed;
  throw new FormatError(
    "unknown_format",
    `Không nhận ra định dạng của tệp “${filename}”. Hãy dùng mẫu Excel (.xlsx/.csv), tài liệu Word (.docx) theo quy ước, Moodle XML (.xml), GIFT hoặc Aiken (.txt).`,
  );
}

// ---------------------------------------------------------------------------
// Text decoding
// ---------------------------------------------------------------------------

export type TextEncodingName = "utf-8" | "utf-16le" | "utf-16be" | "windows-1258" | "windows-1252";

/**
 * Guess the legacy 8-bit code page of bytes that are not UTF-8. Vietnamese Windows
 * (Windows-1258) is told apart from Western (CP1252) by the bytes only Vietnamese uses
 * there: Đ/đ, Ă/ă, Ơ/ơ, Ư/ư and the combining tone marks after a letter.
 */
export function guessLegacyEncoding(bytes: Uint8Array): "windows-1258" | "windows-1252" {
  let vietnamese = 0;
  const strong = new Set([0xd0, 0xf0, 0xc3, 0xe3, 0xd5, 0xf5, 0xdd, 0xfd]);
  const tones = new Set([0xcc, 0xec, 0xd2, 0xde, 0xf2]);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (strong.has(b)) vietnamese++;
    else if (tones.has(b) && i > 0) {
      const prev = bytes[i - 1];
      if ((prev >= 0x41 && prev <= 0x7a) || prev >= 0xc0) vietnamese++;
    }
  }
  return vietnamese > 0 ? "windows-1258" : "windows-1252";
}

const LEGACY_LABEL: Record<string, string> = {
  "windows-1258": "Windows-1258 – tiếng Việt",
  "windows-1252": "Windows-1252 / ANSI",
};

function looksUtf16(bytes: Uint8Array): "utf-16le" | "utf-16be" | undefined {
  // ASCII-heavy UTF-16 without a BOM has a zero in every other byte.
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 8) return undefined;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero > pairs * 0.3 && evenZero < pairs * 0.05) return "utf-16le";
  if (evenZero > pairs * 0.3 && oddZero < pairs * 0.05) return "utf-16be";
  return undefined;
}

export interface DecodeOptions {
  /** What to do with text that is not UTF-8/UTF-16: refuse (default) or decode with the guessed code page. */
  legacy?: "reject" | "guess";
  /** The bytes may end mid-character (sniffing a prefix): do not fail on that. */
  partial?: boolean;
}

/** Decode and report which encoding was used. */
export function decodeTextDetailed(bytes: Uint8Array, options: DecodeOptions = {}): { text: string; encoding: TextEncodingName } {
  const decode = (enc: TextEncodingName, body: Uint8Array): string => {
    try {
      return new TextDecoder(enc, { fatal: !options.partial }).decode(body);
    } catch {
      throw new FormatError(
        "encoding",
        `Tệp không phải văn bản ${enc.toUpperCase()} hợp lệ (có ký tự hỏng). Hãy mở tệp và lưu lại với mã hóa UTF-8.`,
      );
    }
  };
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return { text: decode("utf-8", bytes.subarray(3)), encoding: "utf-8" };
  if (startsWith(bytes, [0xff, 0xfe])) return { text: decode("utf-16le", bytes.subarray(2)), encoding: "utf-16le" };
  if (startsWith(bytes, [0xfe, 0xff])) return { text: decode("utf-16be", bytes.subarray(2)), encoding: "utf-16be" };
  const utf16 = looksUtf16(bytes);
  if (utf16) return { text: decode(utf16, bytes), encoding: utf16 };
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), encoding: "utf-8" };
  } catch {
    // A prefix cut inside a multi-byte character is still UTF-8.
    if (options.partial) {
      for (let cut = 1; cut <= 3 && cut < bytes.length; cut++) {
        try {
          return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, bytes.length - cut)), encoding: "utf-8" };
        } catch {
          /* try a shorter prefix */
        }
      }
    }
  }
  const guess = guessLegacyEncoding(bytes);
  if (options.legacy === "guess") {
    // Windows-1258 writes tones as combining marks: NFC folds them into the usual letters.
    return { text: new TextDecoder(guess).decode(bytes).normalize("NFC"), encoding: guess };
  }
  throw new FormatError(
    "encoding",
    `Tệp không phải văn bản UTF-8 (có vẻ được lưu bằng bảng mã ${LEGACY_LABEL[guess]}) nên chữ tiếng Việt sẽ bị lỗi; hãy lưu lại với mã hóa UTF-8 (Notepad: Lưu thành… → Mã hóa: UTF-8; Excel: Lưu thành… → CSV UTF-8).`,
  );
}

/** UTF-8 (with or without BOM) or UTF-16 LE/BE (by BOM, or by the zero-byte pattern). Throws FormatError otherwise. */
export function decodeText(bytes: Uint8Array, options: DecodeOptions = {}): string {
  return decodeTextDetailed(bytes, options).text;
}

// ---------------------------------------------------------------------------
// Zip guard
// ---------------------------------------------------------------------------

export interface ZipEntryInfo {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
}

/**
 * Read a zip's central directory (no inflation). Throws FormatError("not_zip") if the
 * bytes are not a well-formed zip. ZIP64 sizes are honoured.
 */
export function readZipDirectory(bytes: Uint8Array, kind: "docx" | "xlsx" = "docx", maxEntries = Infinity): { entries: ZipEntryInfo[]; declaredEntries: number } {
  const bad = () => new FormatError("not_zip", notZipMessage(kind));
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

/**
 * Refuse a .docx/.xlsx that is not a zip, or whose directory declares a zip bomb:
 * more than `maxEntries` entries, more than `maxUncompressedBytes` in total, or an
 * expansion ratio above `maxRatio` (whole archive, or any entry of 1 MB or more; tiny
 * entries are exempt because deflate's fixed overhead makes their ratio meaningless).
 */
export function guardZip(bytes: Uint8Array, kind: "docx" | "xlsx", limits: Partial<InputLimits> = {}): ZipEntryInfo[] {
  const l = { ...DEFAULT_LIMITS, ...limits };
  const { entries, declaredEntries } = readZipDirectory(bytes, kind, l.maxEntries);
  const bomb = (why: string) =>
    new FormatError(
      "zip_bomb",
      `Tệp .${kind} bị từ chối vì có dấu hiệu “bom nén” (zip bomb): ${why}. Nếu đây là tài liệu thật, hãy lưu lại bằng ${kind === "docx" ? "Word" : "Excel"}, bỏ bớt hình ảnh hoặc chia thành nhiều tệp.`,
    );
  if (declaredEntries > l.maxEntries) throw bomb(`có ${declaredEntries.toLocaleString("vi-VN")} thành phần bên trong, vượt giới hạn ${l.maxEntries.toLocaleString("vi-VN")}`);
  let totalIn = 0;
  let totalOut = 0;
  for (const e of entries) {
    totalIn += e.compressedSize;
    totalOut += e.uncompressedSize;
    if (e.uncompressedSize >= MB && e.uncompressedSize > l.maxRatio * Math.max(1, e.compressedSize)) {
      throw bomb(`thành phần “${e.name}” giải nén ra ${mb(e.uncompressedSize)} từ ${mb(e.compressedSize)} (tỉ lệ hơn ${l.maxRatio}:1)`);
    }
  }
  if (totalIn > bytes.length) throw new FormatError("not_zip", notZipMessage(kind));
  if (totalOut > l.maxUncompressedBytes) throw bomb(`khi giải nén sẽ chiếm ${mb(totalOut)}, vượt giới hạn ${mb(l.maxUncompressedBytes)}`);
  if (totalOut >= MB && totalOut > l.maxRatio * Math.max(1, totalIn)) throw bomb(`tỉ lệ nén hơn ${l.maxRatio}:1`);
  return entries;
}

/**
 * Inflate one zip entry, stopping as soon as it exceeds `maxBytes`: the directory check
 * trusts declared sizes, and this is the backstop for a zip that lies about them.
 */
export async function readZipEntryLimited(zip: JSZip, name: string, maxBytes: number, kind: "docx" | "xlsx" = "docx"): Promise<Uint8Array | undefined> {
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
        reject(
          new FormatError(
            "zip_bomb",
            `Tệp .${kind} bị từ chối vì có dấu hiệu “bom nén” (zip bomb): thành phần “${name}” giải nén ra hơn ${mb(maxBytes)}. Hãy lưu lại tài liệu bằng ${kind === "docx" ? "Word" : "Excel"}.`,
          ),
        );
        return;
      }
      chunks.push(chunk);
    });
    stream.on("error", () => reject(new FormatError("not_zip", notZipMessage(kind))));
    stream.on("end", () => resolve(new Uint8Array(Buffer.concat(chunks))));
  });
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
    throw new FormatError("not_zip", notZipMessage(kind));
  }
  for (const e of entries) {
    if (e.name.endsWith("/")) continue;
    await readZipEntryLimited(zip, e.name, e.uncompressedSize, kind);
  }
}

export { notZipMessage };
