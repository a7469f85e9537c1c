import { readFileSync } from "node:fs";
import path from "node:path";
import PDFDocument from "pdfkit";
import { projectRoot } from "../paths";

/**
 * Liberation Serif 2.1 (SIL OFL 1.1, assets/fonts/LICENSE-OFL.txt): metric-compatible
 * with Times New Roman, the face Party documents are set in, and it covers Vietnamese
 * (Liberation 1.x, still Debian's `fonts-liberation`, does not: no ạ, ơ, ư…). The files
 * ship in the repository so a PDF never depends on the fonts of the machine it is made on.
 */
export const FONT_DIR = path.join(projectRoot(), "assets/fonts") + path.sep;

export type Face = "regular" | "bold" | "italic" | "boldItalic";

const FILES: Record<Face, string> = {
  regular: "LiberationSerif-Regular.ttf",
  bold: "LiberationSerif-Bold.ttf",
  italic: "LiberationSerif-Italic.ttf",
  boldItalic: "LiberationSerif-BoldItalic.ttf",
};

/** The name the DOCX asks for: Word and LibreOffice map it to Times New Roman or to Liberation Serif. */
export const DOCX_FONT_NAME = "Times New Roman";

const cache = new Map<Face, Buffer>();

export function fontBytes(face: Face): Buffer {
  let b = cache.get(face);
  if (!b) {
    b = readFileSync(FONT_DIR + FILES[face]);
    cache.set(face, b);
  }
  return b;
}

/**
 * Registers the four faces under their Face names. pdfkit embeds each registered face at
 * most once per document, as a subset of the glyphs used, however many pages use it.
 */
export function registerFonts(doc: PDFKit.PDFDocument): void {
  for (const face of Object.keys(FILES) as Face[]) doc.registerFont(face, fontBytes(face));
  doc.font("regular");
}

let meter: PDFKit.PDFDocument | undefined;

/** A page-less document kept only to measure text with the PDF's own font metrics (used by the DOCX layout). */
export function metricsDoc(): PDFKit.PDFDocument {
  if (!meter) {
    meter = new PDFDocument({ autoFirstPage: false });
    registerFonts(meter);
  }
  return meter;
}

/** Width in points of a single line of text. */
export function textWidth(text: string, face: Face, size: number): number {
  return metricsDoc().font(face).fontSize(size).widthOfString(text);
}
