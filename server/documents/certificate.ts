import QRCode from "qrcode";
import { birthDateCell } from "../rules/birth-date";
import { z } from "zod";
import { BadRequest } from "../errors";
import type { Face } from "./fonts";
import { cleanText, formatPlaceDate, formatShortDate, isoDateSchema, parseOrThrow } from "./model";
import {
  balancedLines,
  centred,
  centredLines,
  finish,
  issuerBlock,
  lineHeight,
  newPdf,
  partyTitle,
  signatureBlock,
  type TextStyle,
} from "./pdf-common";

/**
 * Certificates (giấy chứng nhận) of completing a programme, one A4 landscape page each,
 * a whole class in one PDF. Numbered in the register (sổ cấp) and signed by the centre's
 * director or an authorised deputy (Hướng dẫn 154-HD/BTGTW; domain brief §4). The QR code
 * carries the public verification URL.
 */
export interface CertificateData {
  /** The formatted register number, printed after "Số vào sổ cấp: ": "0123/GCN-TTCT". */
  registerNumber: string;
  verifyUrl: string;
  fullName: string;
  /**
   * ISO YYYY-MM-DD, like every date here; printed dd/mm/yyyy. A blank or impossible one
   * is printed as a flag to fix, never a failed batch (issue 14).
   */
  birthDate: string | null;
  unitName: string;
  /** "Bồi dưỡng nhận thức về Đảng" */
  programmeName: string;
  /** "Khóa I năm 2026" */
  classLabel: string;
  fromDate: string;
  toDate: string;
  /** "Giỏi", "Khá", "Trung bình"… */
  classification: string;
  issuerHeader: { parentBody: string; issuer: string };
  place: string;
  issueDate: string;
  signature: { deputyFor?: string; title: string; name: string };
}

const line = z.string().transform(cleanText).pipe(z.string().trim().min(1, "không được để trống"));

export const certificateDataSchema = z
  .object({
    registerNumber: line,
    verifyUrl: z.url({ protocol: /^https?$/, error: "phải là địa chỉ http(s)" }),
    fullName: line,
    birthDate: z.string().nullable(),
    unitName: line,
    programmeName: line,
    classLabel: line,
    fromDate: isoDateSchema,
    toDate: isoDateSchema,
    classification: line,
    issuerHeader: z.object({ parentBody: line, issuer: line }),
    place: line,
    issueDate: isoDateSchema,
    signature: z.object({ deputyFor: line.optional(), title: line, name: line }),
  })
  .refine((c) => c.fromDate <= c.toDate, {
    message: "ngày kết thúc không được trước ngày bắt đầu",
    path: ["toDate"],
  }) satisfies z.ZodType<CertificateData>;

export interface RenderCertificatesOptions {
  /** Called after each page, for the progress of a bulk run. */
  onProgress?: (done: number, total: number) => void;
}

export const CERTIFICATE_LAYOUT = {
  /** Red of the border and the title. */
  accent: "#A3161A",
  borderOuter: 18,
  borderInner: 26,
  margin: 56,
  headerSize: 13,
  titleSize: 34,
  nameSize: 28,
  textSize: 16,
  qrSize: 78,
} as const;

const C = CERTIFICATE_LAYOUT;

export async function renderCertificatesPdf(certs: CertificateData[], options: RenderCertificatesOptions = {}): Promise<Uint8Array> {
  if (certs.length === 0) throw new BadRequest("Không có giấy chứng nhận nào để in.");
  const list = certs.map((c, i) => parseOrThrow(certificateDataSchema, c, `Dữ liệu giấy chứng nhận thứ ${i + 1} không hợp lệ`));
  const doc = newPdf({
    layout: "landscape",
    autoFirstPage: false,
    // Every line is placed at an explicit position; small margins keep pdfkit from paging on its own.
    margin: 8,
    info: {
      Title: list.length === 1 ? `Giấy chứng nhận ${list[0].registerNumber}` : `Giấy chứng nhận (${list.length})`,
      Author: list[0].issuerHeader.issuer.replace(/\s*\n\s*/g, " "),
      Creator: "Bồi Dưỡng",
    },
  });
  for (const [i, c] of list.entries()) {
    doc.addPage();
    await page(doc, c);
    options.onProgress?.(i + 1, list.length);
  }
  return finish(doc);
}

/** The QR code as a grayscale PNG (no alpha: pdfkit then embeds it without decoding). */
function qrPng(url: string): Promise<Buffer> {
  const opts = {
    errorCorrectionLevel: "M",
    margin: 0,
    scale: 4,
    type: "png",
    rendererOpts: { colorType: 0 },
  } as QRCode.QRCodeToBufferOptions;
  return QRCode.toBuffer(url, opts);
}

async function page(doc: PDFKit.PDFDocument, c: CertificateData): Promise<void> {
  const W = doc.page.width;
  const H = doc.page.height;
  border(doc, W, H);

  const x0 = C.margin;
  const width = W - 2 * C.margin;
  const colW = width * 0.44;
  const rightX = W - C.margin - colW;
  const top = C.margin - 6;

  const belowHeader = Math.max(
    issuerBlock(doc, c.issuerHeader, x0, top, colW, C.headerSize),
    partyTitle(doc, rightX, top, colW, C.headerSize + 1),
  );

  let y = Math.max(128, belowHeader + 12);
  y = centred(doc, { face: "bold", size: C.titleSize, color: C.accent }, "GIẤY CHỨNG NHẬN", x0, y, width);
  y += 10;
  y = centred(doc, { face: "italic", size: C.textSize }, "Chứng nhận", x0, y, width);
  y = centred(doc, { face: "bold", size: C.nameSize }, c.fullName, x0, y + 4, width) + 10;

  const field = (label: string, value: string): Run[] => [
    [label, "regular"],
    [value, "bold"],
  ];
  const lines: Run[][][] = [
    [field("Sinh ngày: ", birthDateCell(c.birthDate, c.issueDate).text), field("     Đơn vị: ", c.unitName)],
    [field("Đã hoàn thành chương trình ", c.programmeName)],
    [field("Lớp: ", c.classLabel)],
    [
      [
        ["Thời gian: từ ngày ", "regular"],
        [formatShortDate(c.fromDate), "bold"],
        [" đến ngày ", "regular"],
        [formatShortDate(c.toDate), "bold"],
      ],
    ],
    [field("Xếp loại: ", c.classification)],
  ];
  for (const groups of lines) y = runLines(doc, groups, x0, y, width, C.textSize) + 7;

  // Bottom: register number and QR code at left, date and signature at right; lower when
  // long names or units pushed the text down, as far as the border allows.
  const bottomTop = Math.min(Math.max(H - C.margin - 150, y + 4), H - C.margin - 118);
  const sigY = centred(doc, { face: "italic", size: 14 }, formatPlaceDate(c.place, c.issueDate), rightX, bottomTop, colW);
  signatureBlock(doc, c.signature, rightX, sigY, colW, 14, 56);

  const qrX = x0 + 36;
  const qrTop = bottomTop + 4;
  const small: TextStyle = { face: "regular", size: 12 };
  doc.font("regular").fontSize(12).fillColor("black").text(`Số vào sổ cấp: ${c.registerNumber}`, qrX, qrTop, { lineBreak: false });
  const imgY = qrTop + lineHeight(doc, small) + 8;
  doc.image(await qrPng(c.verifyUrl), qrX, imgY, { width: C.qrSize, height: C.qrSize });
  doc
    .font("italic")
    .fontSize(11)
    .text("Quét mã để kiểm tra", qrX, imgY + C.qrSize + 5, { lineBreak: false });
}

/** A decorative double border: a heavy outer rule, a thin inner one, ornaments at the corners. */
function border(doc: PDFKit.PDFDocument, W: number, H: number): void {
  const o = C.borderOuter;
  const i = C.borderInner;
  doc.save().strokeColor(C.accent).fillColor(C.accent);
  doc
    .lineWidth(3)
    .rect(o, o, W - 2 * o, H - 2 * o)
    .stroke();
  doc
    .lineWidth(0.8)
    .rect(i, i, W - 2 * i, H - 2 * i)
    .stroke();
  const m = (o + i) / 2;
  for (const [cx, cy] of [
    [m, m],
    [W - m, m],
    [m, H - m],
    [W - m, H - m],
  ]) {
    const r = 7;
    doc.polygon([cx, cy - r], [cx + r, cy], [cx, cy + r], [cx - r, cy]).fill();
    doc.circle(cx, cy, 2).fill("white").fillColor(C.accent);
  }
  doc.restore();
}

type Run = [text: string, face: Face];

/**
 * Centred lines of mixed regular and bold runs, in groups kept together on a line while
 * they fit ("Sinh ngày: 01/01/1994" · "Đơn vị: Chi bộ …"); a group wider than a line is
 * set run by run, each wrapped on lines of its own. Returns the y below.
 */
function runLines(doc: PDFKit.PDFDocument, groups: Run[][], x: number, y: number, width: number, size: number): number {
  const lh = lineHeight(doc, { face: "regular", size });
  const w = (runs: Run[]) => runs.reduce((a, [t, f]) => a + doc.font(f).fontSize(size).widthOfString(t), 0);
  const lead = (runs: Run[]): Run[] => (runs.length ? [[runs[0][0].trimStart(), runs[0][1]], ...runs.slice(1)] : runs);
  const draw = (runs: Run[]) => {
    let cx = x + (width - w(runs)) / 2;
    for (const [t, f] of runs) {
      doc.font(f).fontSize(size).fillColor("black").text(t, cx, y, { lineBreak: false });
      cx += doc.widthOfString(t);
    }
    y += lh;
  };
  let line: Run[] = [];
  for (const g of groups) {
    if (w(lead([...line, ...g])) <= width) {
      line = lead([...line, ...g]);
      continue;
    }
    if (line.length) draw(line);
    line = [];
    if (w(lead(g)) <= width) line = lead(g);
    else
      for (const [t, f] of g) {
        const st: TextStyle = { face: f, size };
        y = centredLines(doc, st, balancedLines(doc, st, t.trim(), width), x, y, width);
      }
  }
  if (line.length) draw(line);
  return y;
}
