import PDFDocument from "pdfkit";
import { registerFonts, type Face } from "./fonts";

/** Drawing helpers shared by the Party-document and the certificate layouts. */

export const MM = 72 / 25.4;

export const PARTY_TITLE = "ĐẢNG CỘNG SẢN VIỆT NAM";

export function newPdf(options: PDFKit.PDFDocumentOptions): PDFKit.PDFDocument {
  const doc = new PDFDocument({ size: "A4", pdfVersion: "1.7", displayTitle: true, lang: "vi-VN", ...options });
  registerFonts(doc);
  return doc;
}

/** Ends the document and resolves with its bytes. */
export function finish(doc: PDFKit.PDFDocument): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => {
      const all = Buffer.concat(chunks);
      resolve(new Uint8Array(all.buffer, all.byteOffset, all.byteLength));
    });
    doc.on("error", reject);
    doc.end();
  });
}

export interface TextStyle {
  face: Face;
  size: number;
  /** Extra points between lines. */
  gap?: number;
  color?: string;
}

export function lineHeight(doc: PDFKit.PDFDocument, s: TextStyle): number {
  return doc.font(s.face).fontSize(s.size).currentLineHeight(true) + (s.gap ?? 0);
}

/** Greedy word wrap of one paragraph at `width` points. */
function wrapGreedy(doc: PDFKit.PDFDocument, words: string[], width: number): string[] {
  const lines: string[] = [];
  let cur = "";
  for (const w of words) {
    const next = cur ? `${cur} ${w}` : w;
    if (cur && doc.widthOfString(next) > width) {
      lines.push(cur);
      cur = w;
    } else cur = next;
  }
  if (cur) lines.push(cur);
  return lines;
}

/**
 * What breaking before words[k] costs: nothing after a comma or before the locality
 * ("… / XÃ TÂN LẬP"), a little before a joining word ("… / cho đảng viên mới"), more
 * anywhere else, where it may split a compound ("CHÍNH / TRỊ").
 */
const LOCALITY = /^(xã|phường|thị trấn|thị xã|đặc khu|huyện|quận|thành phố|tỉnh)$/;
const JOINING = /^(và|cho|của|về|trong|tại)$/;

function breakCost(words: string[], k: number): number {
  if (/[,;:]$/.test(words[k - 1])) return 0;
  const one = words[k].toLocaleLowerCase("vi");
  const two = `${one} ${words[k + 1] ?? ""}`.toLocaleLowerCase("vi");
  if (LOCALITY.test(one) || LOCALITY.test(two)) return 0;
  return JOINING.test(one) ? 1 : 3;
}

/**
 * Lines of centred text broken as a typist breaks a heading: as many lines as a greedy
 * wrap needs, with the cheapest breaks (breakCost) ("TRUNG TÂM CHÍNH TRỊ /
 * XÃ TÂN LẬP", never "TRUNG TÂM CHÍNH / TRỊ XÃ TÂN LẬP"), then lines of even length.
 * An explicit "\n" in the text always breaks.
 */
export function balancedLines(doc: PDFKit.PDFDocument, s: TextStyle, text: string, width: number): string[] {
  doc.font(s.face).fontSize(s.size);
  return text.split("\n").flatMap((para) => {
    const words = para.trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) return [""];
    const n = wrapGreedy(doc, words, width).length;
    if (n === 1) return [words.join(" ")];
    // best[k][i]: the best way to set words[0..i) on k lines, compared by (cost of its breaks, widest line).
    type Best = { cost: number; widest: number; from: number };
    const N = words.length;
    const best: (Best | undefined)[][] = Array.from({ length: n + 1 }, () => new Array<Best | undefined>(N + 1));
    best[0][0] = { cost: 0, widest: 0, from: -1 };
    const widths = new Map<number, number>();
    const lineWidth = (j: number, i: number) => {
      let w = widths.get(j * (N + 1) + i);
      if (w === undefined) widths.set(j * (N + 1) + i, (w = doc.widthOfString(words.slice(j, i).join(" "))));
      return w;
    };
    for (let k = 1; k <= n; k++) {
      for (let i = 1; i <= N; i++) {
        for (let j = i - 1; j >= 0; j--) {
          const w = lineWidth(j, i);
          if (w > width && i - j > 1) break;
          const prev = best[k - 1][j];
          if (!prev) continue;
          const cand = { cost: prev.cost + (j > 0 ? breakCost(words, j) : 0), widest: Math.max(prev.widest, w), from: j };
          const cur = best[k][i];
          if (!cur || cand.cost < cur.cost || (cand.cost === cur.cost && cand.widest < cur.widest)) best[k][i] = cand;
        }
      }
    }
    if (!best[n][N]) return wrapGreedy(doc, words, width);
    const lines: string[] = [];
    for (let k = n, i = N; k > 0; k--) {
      const from = best[k][i]!.from;
      lines.unshift(words.slice(from, i).join(" "));
      i = from;
    }
    return lines;
  });
}

/** Draws lines centred in [x, x + width] from the top `y`; returns the y below the last line. */
export function centredLines(doc: PDFKit.PDFDocument, s: TextStyle, lines: string[], x: number, y: number, width: number): number {
  const lh = lineHeight(doc, s);
  doc.fillColor(s.color ?? "black");
  for (const l of lines) {
    const w = doc.widthOfString(l);
    doc.text(l, x + (width - w) / 2, y, { lineBreak: false });
    y += lh;
  }
  return y;
}

export function centred(doc: PDFKit.PDFDocument, s: TextStyle, text: string, x: number, y: number, width: number): number {
  return centredLines(doc, s, balancedLines(doc, s, text, width), x, y, width);
}

/** Height centred() would take, without drawing. */
export function centredHeight(doc: PDFKit.PDFDocument, s: TextStyle, text: string, width: number): number {
  return balancedLines(doc, s, text, width).length * lineHeight(doc, s);
}

/**
 * "ĐẢNG CỘNG SẢN VIỆT NAM" centred in its column with the rule under it as long as the
 * title (36-HD/VPTW II.1.1). The rule is drawn below the descent, not as a text
 * underline, which would cut through the dots under Ộ and Ệ. Returns the y below the rule.
 */
export function partyTitle(doc: PDFKit.PDFDocument, x: number, y: number, width: number, size = 15): number {
  const s: TextStyle = { face: "bold", size };
  const bottom = centredLines(doc, s, [PARTY_TITLE], x, y, width);
  const w = doc.widthOfString(PARTY_TITLE);
  const ruleY = bottom + 1;
  doc
    .moveTo(x + (width - w) / 2, ruleY)
    .lineTo(x + (width + w) / 2, ruleY)
    .lineWidth(0.6)
    .strokeColor("black")
    .stroke();
  return ruleY + 1;
}

export interface IssuerLines {
  parentBody: string;
  issuer: string;
}

/**
 * The issuing body at top left: the parent body in caps, the issuer in bold caps, and a
 * "*" under it (36-HD/VPTW II.1.2). Returns the y below the star.
 */
export function issuerBlock(doc: PDFKit.PDFDocument, h: IssuerLines, x: number, y: number, width: number, size = 14): number {
  y = centred(doc, { face: "regular", size }, h.parentBody.toLocaleUpperCase("vi"), x, y, width);
  y = centred(doc, { face: "bold", size }, h.issuer.toLocaleUpperCase("vi"), x, y, width);
  return centredLines(doc, { face: "regular", size }, ["*"], x, y, width);
}

export interface SignatureLines {
  onBehalfOf?: string;
  deputyFor?: string;
  title: string;
  name: string;
}

/**
 * The signature block, centred in its column: "T/M …" and/or "K/T …", the title, room
 * for the signature and the seal, then the name in bold. Returns the y below the name.
 */
export function signatureBlock(
  doc: PDFKit.PDFDocument,
  sig: SignatureLines,
  x: number,
  y: number,
  width: number,
  size = 14,
  room = 72,
): number {
  const caps: TextStyle = { face: "bold", size };
  for (const l of [sig.onBehalfOf, sig.deputyFor, sig.title]) if (l) y = centred(doc, caps, l.toLocaleUpperCase("vi"), x, y, width);
  return centred(doc, { face: "bold", size }, sig.name, x, y + room, width);
}

export function signatureHeight(doc: PDFKit.PDFDocument, sig: SignatureLines, width: number, size = 14, room = 72): number {
  const caps: TextStyle = { face: "bold", size };
  let h = room;
  for (const l of [sig.onBehalfOf, sig.deputyFor, sig.title, sig.name]) if (l) h += centredHeight(doc, caps, l, width);
  return h;
}
