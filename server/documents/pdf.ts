import type { Face } from "./fonts";
import { formatDocumentNumber, formatPlaceDate, parsePartyDocument, dashedLine, type Block, type PartyDocument } from "./model";
import {
  MM,
  centred,
  centredLines,
  finish,
  issuerBlock,
  lineHeight,
  newPdf,
  partyTitle,
  signatureBlock,
  signatureHeight,
  type TextStyle,
} from "./pdf-common";

/**
 * A Party document as PDF, after Hướng dẫn 36-HD/VPTW (2018): A4 portrait, Times-metric
 * serif, the header in two columns, the body, the signature at right and "Nơi nhận" at
 * left. The sizes below are the guideline's where it gives one (docs/documents.md).
 */
export const PARTY_LAYOUT = {
  margins: { top: 20 * MM, bottom: 20 * MM, left: 30 * MM, right: 15 * MM },
  /** Share of the text width taken by the issuer column (left of the header). */
  issuerColumn: 0.45,
  /** Share of the text width taken by "Nơi nhận" (left of the signature). */
  recipientsColumn: 0.45,
  headerSize: 14,
  partyTitleSize: 15,
  typeNameSize: 16,
  summarySize: 14,
  bodySize: 14,
  bodyLineGap: 2,
  paragraphGap: 6,
  firstLineIndent: 10 * MM,
  tableSize: 13,
  tablePadding: { x: 4, y: 3 },
  signatureSize: 14,
  /** Room left for the handwritten signature and the seal. */
  signatureRoom: 72,
  recipientsHeading: { face: "boldItalic", size: 12 } as TextStyle,
  recipientsLine: { face: "regular", size: 11 } as TextStyle,
  pageNumberSize: 13,
} as const;

const L = PARTY_LAYOUT;

export async function renderPartyDocumentPdf(input: PartyDocument): Promise<Uint8Array> {
  const d = parsePartyDocument(input);
  const number = formatDocumentNumber(d.number.seq, d.number.typeAbbr, d.number.issuerAbbr);
  const doc = newPdf({
    margins: L.margins,
    bufferPages: true,
    info: {
      Title: [d.typeName, d.summary].filter(Boolean).join(" "),
      Subject: number,
      Author: d.header.issuer.replace(/\s*\n\s*/g, " "),
      Creator: "Bồi Dưỡng",
    },
  });
  const page = geometry(doc);

  header(doc, d, number, page);
  for (const b of d.body) block(doc, b, page);
  closing(doc, d, page);
  pageNumbers(doc);
  return finish(doc);
}

interface Geometry {
  x: number;
  width: number;
  top: number;
  bottom: number;
}

function geometry(doc: PDFKit.PDFDocument): Geometry {
  const m = doc.page.margins;
  return { x: m.left, width: doc.page.width - m.left - m.right, top: m.top, bottom: doc.page.height - m.bottom };
}

function header(doc: PDFKit.PDFDocument, d: PartyDocument, number: string, g: Geometry): void {
  const leftW = g.width * L.issuerColumn;
  const rightX = g.x + leftW;
  const rightW = g.width - leftW;
  const size = L.headerSize;

  const belowStar = issuerBlock(doc, d.header, g.x, g.top, leftW, size);
  const belowTitle = partyTitle(doc, rightX, g.top, rightW, L.partyTitleSize);
  // The number (left) and the place-date line (right) share a line, under the star.
  const y = Math.max(belowStar, belowTitle + 6);
  const below = Math.max(
    centred(doc, { face: "regular", size }, number, g.x, y, leftW),
    centred(doc, { face: "italic", size }, formatPlaceDate(d.place, d.date), rightX, y, rightW),
  );

  let yy = below + 20;
  yy = centred(doc, { face: "bold", size: L.typeNameSize }, d.typeName.toLocaleUpperCase("vi"), g.x, yy, g.width);
  if (d.summary.trim()) yy = centred(doc, { face: "bold", size: L.summarySize }, d.summary, g.x + g.width * 0.08, yy, g.width * 0.84);
  yy = centredLines(doc, { face: "regular", size: L.summarySize }, ["-----"], g.x, yy, g.width);
  doc.x = g.x;
  doc.y = yy + 10;
}

const bodyStyle = { face: "regular" as Face, size: L.bodySize };

function paragraph(doc: PDFKit.PDFDocument, text: string, g: Geometry, face: Face = "regular"): void {
  doc.font(face).fontSize(L.bodySize).fillColor("black");
  doc.text(text, g.x, doc.y, {
    width: g.width,
    align: "justify",
    indent: L.firstLineIndent,
    lineGap: L.bodyLineGap,
    paragraphGap: L.paragraphGap,
  });
}

/** Starts a new page when fewer than `needed` points remain on this one. */
function ensureRoom(doc: PDFKit.PDFDocument, needed: number, g: Geometry): void {
  if (doc.y + needed > g.bottom) {
    doc.addPage();
    doc.y = g.top;
  }
}

function block(doc: PDFKit.PDFDocument, b: Block, g: Geometry): void {
  const line = lineHeight(doc, { ...bodyStyle, gap: L.bodyLineGap });
  switch (b.kind) {
    case "paragraph":
      paragraph(doc, b.text, g);
      return;
    case "heading": {
      // Keep a heading with at least two lines of what follows.
      const h = doc
        .font("bold")
        .fontSize(L.bodySize)
        .heightOfString(b.text, { width: g.width, indent: L.firstLineIndent, lineGap: L.bodyLineGap });
      ensureRoom(doc, h + 2 * line, g);
      paragraph(doc, b.text, g, "bold");
      return;
    }
    case "list":
      for (const item of b.items) paragraph(doc, dashedLine(item), g);
      return;
    case "table":
      table(doc, b, g);
      return;
  }
}

/**
 * A bordered table that breaks between rows and repeats its header row on every page.
 * A single row taller than a page is cut (with an ellipsis) rather than run off the page.
 */
function table(doc: PDFKit.PDFDocument, t: Extract<Block, { kind: "table" }>, g: Geometry): void {
  const total = t.columns.reduce((s, c) => s + c.width, 0);
  const widths = t.columns.map((c) => (c.width / total) * g.width);
  const pad = L.tablePadding;
  const size = L.tableSize;
  const textOpts = (w: number) => ({ width: w - 2 * pad.x, lineGap: 1 });

  const measure = (cells: string[], face: Face) => {
    doc.font(face).fontSize(size);
    return Math.max(...cells.map((c, i) => doc.heightOfString(c || " ", textOpts(widths[i])))) + 2 * pad.y;
  };
  const headerCells = t.columns.map((c) => c.header);
  const headerH = measure(headerCells, "bold");
  const maxRow = g.bottom - g.top - headerH;

  const draw = (cells: string[], face: Face, h: number, isHeader: boolean) => {
    let x = g.x;
    const y = doc.y;
    doc.lineWidth(0.6).strokeColor("black");
    cells.forEach((c, i) => {
      const w = widths[i];
      doc.rect(x, y, w, h).stroke();
      doc.font(face).fontSize(size).fillColor("black");
      const opts = { ...textOpts(w), align: isHeader ? "center" : (t.columns[i].align ?? "left"), height: h - 2 * pad.y, ellipsis: true };
      const th = Math.min(doc.heightOfString(c || " ", opts), h - 2 * pad.y);
      doc.text(c, x + pad.x, y + (h - th) / 2, opts);
      x += w;
    });
    doc.x = g.x;
    doc.y = y + h;
  };

  const rows = t.rows.map((r) => ({ cells: r, h: Math.min(measure(r, "regular"), maxRow) }));
  ensureRoom(doc, headerH + (rows[0]?.h ?? 0), g);
  draw(headerCells, "bold", headerH, true);
  for (const r of rows) {
    if (doc.y + r.h > g.bottom) {
      doc.addPage();
      doc.y = g.top;
      draw(headerCells, "bold", headerH, true);
    }
    draw(r.cells, "regular", r.h, false);
  }
  doc.y += L.paragraphGap + 4;
}

/** The signature at right and "Nơi nhận" at left, side by side, kept on one page. */
function closing(doc: PDFKit.PDFDocument, d: PartyDocument, g: Geometry): void {
  const leftW = g.width * L.recipientsColumn;
  const rightX = g.x + leftW;
  const rightW = g.width - leftW;
  const lines = d.recipients.map(dashedLine);

  const headH = d.recipients.length ? lineHeight(doc, L.recipientsHeading) : 0;
  doc.font(L.recipientsLine.face).fontSize(L.recipientsLine.size);
  const recH = headH + lines.reduce((s, l) => s + doc.heightOfString(l, { width: leftW - 6 }), 0);
  const sigH = signatureHeight(doc, d.signature, rightW, L.signatureSize, L.signatureRoom);

  doc.y += 6;
  ensureRoom(doc, Math.max(recH, sigH), g);
  const top = doc.y;

  signatureBlock(doc, d.signature, rightX, top, rightW, L.signatureSize, L.signatureRoom);

  if (lines.length) {
    const hs = L.recipientsHeading;
    doc
      .font(hs.face)
      .fontSize(hs.size)
      .fillColor("black")
      .text("Nơi nhận:", g.x, top + 2, { lineBreak: false });
    let y = top + 2 + lineHeight(doc, hs);
    doc.font(L.recipientsLine.face).fontSize(L.recipientsLine.size);
    for (const l of lines) {
      doc.text(l, g.x, y, { width: leftW - 6 });
      y = doc.y;
    }
  }
}

/** Page numbers from page 2, centred in the top margin, as 36-HD/VPTW asks. */
function pageNumbers(doc: PDFKit.PDFDocument): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start + 1; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const g = geometry(doc);
    const s: TextStyle = { face: "regular", size: L.pageNumberSize };
    centredLines(doc, s, [String(i + 1)], g.x, g.top / 2 - lineHeight(doc, s) / 2, g.width);
  }
}
