// Guards for raw uploads, applied before any parser sees the bytes.
//
// Why: an upload is untrusted. A renamed file, a legacy-encoded text file or a zip bomb
// must be refused with a message the lecturer can act on, before we spend memory on it.
// The zip guard reads only the central directory (a few KB at the end of the file), so a
// 100:1 bomb is refused without inflating a single byte.

import type { FormatId } from "./model";
import {
  QUESTION_LIMITS,
  UploadError,
  assertUploadSize,
  isZip,
  readZipDirectory,
  type UploadErrorCode,
  type UploadLimits,
} from "../../uploads/bounded";

// The zip guard and the error type live in the one bounded reader every upload uses
// (server/uploads/bounded.ts); these names are kept for the question-format library.
export {
  guardZip,
  isZip,
  notZipMessage,
  readZipDirectory,
  readZipEntryLimited,
  verifyZipSizes,
  type ZipEntryInfo,
} from "../../uploads/bounded";
export type FormatErrorCode = UploadErrorCode;
/** A whole file refused. `message` is Vietnamese and says what to do. */
export const FormatError = UploadError;
export type FormatError = UploadError;
export type InputLimits = UploadLimits;
export const DEFAULT_LIMITS: InputLimits = QUESTION_LIMITS;

export function assertSize(bytes: Uint8Array, maxBytes = DEFAULT_LIMITS.maxBytes): void {
  assertUploadSize(
    bytes,
    maxBytes,
    "Hãy chia ngân hàng câu hỏi thành nhiều tệp nhỏ hơn (ví dụ mỗi bài một tệp) hoặc nén nhỏ hình ảnh.",
    "Tệp rỗng (0 byte). Hãy chọn lại đúng tệp ngân hàng câu hỏi.",
  );
}

// ---------------------------------------------------------------------------
// Format detection
// ---------------------------------------------------------------------------

function startsWith(bytes: Uint8Array, sig: number[]): boolean {
  return sig.every((b, i) => bytes[i] === b);
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
