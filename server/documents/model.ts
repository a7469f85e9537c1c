import { z } from "zod";
import { BadRequest } from "../errors";
import { parseVnDate, vnLongDate } from "../rules/dates";

/**
 * The model of an official Party document (notice, report, call-up letter…), laid out
 * by pdf.ts and docx.ts after Hướng dẫn 36-HD/VPTW (domain brief §6; docs/documents.md).
 * Pure: no I/O. Everything the layout shows comes from here — abbreviations, names and
 * signers are organisation data, never constants.
 */

export type Block =
  | { kind: "paragraph"; text: string }
  | { kind: "heading"; text: string }
  | {
      kind: "table";
      /** `width` is a relative weight: the columns share the text width in proportion. */
      columns: { header: string; width: number; align?: "left" | "center" | "right" }[];
      rows: string[][];
    }
  | { kind: "list"; items: string[] };

export interface PartyDocument {
  header: {
    /** Parent body, caps: "ĐẢNG BỘ TỈNH AN KHÁNH". A "\n" forces a line break. */
    parentBody: string;
    /** Issuing body, bold caps: "TRUNG TÂM CHÍNH TRỊ XÃ TÂN LẬP". A "\n" forces a line break. */
    issuer: string;
  };
  number: { seq: number; typeAbbr: string; issuerAbbr: string };
  place: string;
  /** ISO YYYY-MM-DD. */
  date: string;
  /** "THÔNG BÁO", "BÁO CÁO", "GIẤY TRIỆU TẬP"… */
  typeName: string;
  /** The bold summary line (trích yếu) under the type name. */
  summary: string;
  body: Block[];
  signature: {
    /** "T/M BAN THƯỜNG VỤ" */
    onBehalfOf?: string;
    /** "K/T GIÁM ĐỐC" */
    deputyFor?: string;
    /** "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "BÍ THƯ" */
    title: string;
    name: string;
  };
  /** "Nơi nhận:" lines without the leading "- " (added by the layout); the last is "Lưu …". */
  recipients: string[];
}

/** "Số 05-TB/TTCT": numbers run from 01 per type per term, with a leading zero below 10. */
export function formatDocumentNumber(seq: number, typeAbbr: string, issuerAbbr: string): string {
  if (!Number.isInteger(seq) || seq < 1) throw new RangeError(`document number must be a positive integer, got ${seq}`);
  return `Số ${String(seq).padStart(2, "0")}-${typeAbbr.trim()}/${issuerAbbr.trim()}`;
}

/** "Tân Lập, ngày 05 tháng 03 năm 2026": day and month below 10 take a leading zero. */
export function formatPlaceDate(place: string, isoDate: string): string {
  return `${place.trim().normalize("NFC")}, ${vnLongDate(requireIsoDate(isoDate))}`;
}

/** "05/03/2026" from an ISO date, for certificates and tables. */
export function formatShortDate(isoDate: string): string {
  const [y, m, d] = requireIsoDate(isoDate).split("-");
  return `${d}/${m}/${y}`;
}

export function isIsoDate(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && parseVnDate(s) === s;
}

function requireIsoDate(s: string): string {
  if (!isIsoDate(s)) throw new RangeError(`expected an ISO date YYYY-MM-DD, got "${s}"`);
  return s;
}

/** A recipients line or list item as printed: "- Ban Tổ chức Đảng ủy xã," (a dash or bullet the caller wrote is kept, not doubled). */
export function dashedLine(line: string): string {
  return /^[-–+•]\s/.test(line) ? line : `- ${line}`;
}

// ---- input checks ------------------------------------------------------------------

/**
 * Text as the layout wants it: NFC (imports from Excel or macOS often arrive decomposed,
 * which would print as base letters plus loose combining marks and break text search)
 * and without the control characters XML 1.0 cannot carry.
 */
export function cleanText(s: string): string {
  return (
    s
      .normalize("NFC")
      // eslint-disable-next-line no-control-regex -- these are exactly the characters to remove
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "")
      .replace(/\r\n?/g, "\n")
  );
}

const text = z.string().transform(cleanText);
const line = text.pipe(z.string().trim().min(1, "không được để trống"));
export const isoDateSchema = z.string().refine(isIsoDate, "phải là ngày dạng YYYY-MM-DD");

const blockSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("paragraph"), text: line }),
  z.object({ kind: z.literal("heading"), text: line }),
  z
    .object({
      kind: z.literal("table"),
      columns: z
        .array(
          z.object({
            header: text,
            width: z.number().positive("độ rộng cột phải lớn hơn 0"),
            align: z.enum(["left", "center", "right"]).optional(),
          }),
        )
        .min(1, "bảng cần ít nhất một cột"),
      rows: z.array(z.array(text)),
    })
    .refine((t) => t.rows.every((r) => r.length === t.columns.length), "mỗi dòng của bảng phải có đúng số ô bằng số cột"),
  z.object({ kind: z.literal("list"), items: z.array(line).min(1, "danh sách cần ít nhất một mục") }),
]);

export const partyDocumentSchema = z.object({
  header: z.object({ parentBody: line, issuer: line }),
  number: z.object({
    seq: z.number().int().positive("số văn bản phải là số nguyên dương"),
    typeAbbr: line,
    issuerAbbr: line,
  }),
  place: line,
  date: isoDateSchema,
  typeName: line,
  summary: text,
  body: z.array(blockSchema),
  signature: z.object({ onBehalfOf: line.optional(), deputyFor: line.optional(), title: line, name: line }),
  recipients: z.array(line),
}) satisfies z.ZodType<PartyDocument>;

/** Checks and normalises (NFC) a document; throws BadRequest with a Vietnamese list of problems. */
export function parsePartyDocument(doc: PartyDocument): PartyDocument {
  return parseOrThrow(partyDocumentSchema, doc, "Dữ liệu văn bản không hợp lệ");
}

export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new BadRequest(`${what}:\n${z.prettifyError(r.error)}`);
  return r.data;
}
