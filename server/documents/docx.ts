import JSZip from "jszip";
import { DOCX_FONT_NAME, metricsDoc, textWidth } from "./fonts";
import { formatDocumentNumber, formatPlaceDate, parsePartyDocument, dashedLine, type Block, type PartyDocument } from "./model";
import { PARTY_TITLE, balancedLines, type TextStyle } from "./pdf-common";
import { PARTY_LAYOUT as L } from "./pdf";

/**
 * The same Party document as an editable Word file: centres often amend a notice before
 * signing it. WordprocessingML written by hand (no docx library): the header and the
 * signature are borderless two-column tables, data tables have borders and repeat their
 * header row on each page, page numbers start on page 2. Font "Times New Roman", which
 * Word has and LibreOffice maps to Liberation Serif (same metrics, so the same breaks).
 */
export async function renderPartyDocumentDocx(input: PartyDocument): Promise<Uint8Array> {
  const d = parsePartyDocument(input);
  const zip = new JSZip();
  const date = new Date(`${d.date}T00:00:00Z`);
  const add = (path: string, xml: string) => zip.file(path, xml, { date, createFolders: false });

  add("[Content_Types].xml", CONTENT_TYPES);
  add("_rels/.rels", ROOT_RELS);
  add("docProps/core.xml", coreXml(d));
  add("word/document.xml", documentXml(d));
  add("word/styles.xml", STYLES);
  add("word/_rels/document.xml.rels", DOCUMENT_RELS);
  add("word/header1.xml", headerXml(pageNumberParagraph()));
  add("word/header2.xml", headerXml(p([], {})));
  return zip.generateAsync({ type: "uint8array", compression: "DEFLATE", compressionOptions: { level: 6 } });
}

// ---- units and XML helpers -----------------------------------------------------------

const twips = (pt: number) => Math.round(pt * 20);
const halfPoints = (pt: number) => Math.round(pt * 2);

const PAGE = { w: 11906, h: 16838 }; // A4 in twips
const MARGIN = {
  top: twips(L.margins.top),
  bottom: twips(L.margins.bottom),
  left: twips(L.margins.left),
  right: twips(L.margins.right),
};
const TEXT_W = PAGE.w - MARGIN.left - MARGIN.right;

/** Escapes the five XML specials; text is already NFC and free of XML-illegal controls (model.cleanText). */
export function xmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);
}

interface RunStyle {
  bold?: boolean;
  italic?: boolean;
  size?: number;
}

function r(text: string, s: RunStyle = {}): string {
  const props =
    (s.bold ? "<w:b/><w:bCs/>" : "") +
    (s.italic ? "<w:i/><w:iCs/>" : "") +
    (s.size ? `<w:sz w:val="${halfPoints(s.size)}"/><w:szCs w:val="${halfPoints(s.size)}"/>` : "");
  const parts = text.split("\n").map((t) => `<w:t xml:space="preserve">${xmlEscape(t)}</w:t>`);
  return `<w:r>${props ? `<w:rPr>${props}</w:rPr>` : ""}${parts.join("<w:br/>")}</w:r>`;
}

interface ParaStyle {
  align?: "left" | "center" | "right" | "both";
  firstLine?: number; // pt
  indLeft?: number; // pt
  indRight?: number; // pt
  before?: number; // pt
  after?: number; // pt
  /** Line spacing as a multiple of single. */
  line?: number;
  keepNext?: boolean;
  /** A rule under the paragraph (between its indents). */
  ruleBelow?: boolean;
}

function p(runs: string[], s: ParaStyle): string {
  const ind =
    s.firstLine || s.indLeft || s.indRight
      ? `<w:ind${s.indLeft ? ` w:left="${twips(s.indLeft)}"` : ""}${s.indRight ? ` w:right="${twips(s.indRight)}"` : ""}${s.firstLine ? ` w:firstLine="${twips(s.firstLine)}"` : ""}/>`
      : "";
  const spacing = `<w:spacing w:before="${twips(s.before ?? 0)}" w:after="${twips(s.after ?? 0)}" w:line="${Math.round((s.line ?? 1) * 240)}" w:lineRule="auto"/>`;
  const props =
    (s.keepNext ? "<w:keepNext/>" : "") +
    (s.ruleBelow ? '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>' : "") +
    spacing +
    ind +
    (s.align ? `<w:jc w:val="${s.align}"/>` : "");
  return `<w:p><w:pPr>${props}</w:pPr>${runs.join("")}</w:p>`;
}

/** Centred lines broken as in the PDF (same metrics), joined by line breaks. */
function centredLines(text: string, style: TextStyle, widthPt: number, rs: RunStyle, ps: ParaStyle = {}): string {
  const lines = balancedLines(metricsDoc(), style, text, widthPt);
  return p([r(lines.join("\n"), rs)], { align: "center", ...ps });
}

interface CellSpec {
  width: number; // twips
  content: string; // paragraphs
  vAlign?: "top" | "center" | "bottom";
}

function tc(c: CellSpec): string {
  return `<w:tc><w:tcPr><w:tcW w:w="${c.width}" w:type="dxa"/>${c.vAlign ? `<w:vAlign w:val="${c.vAlign}"/>` : ""}</w:tcPr>${c.content || p([], {})}</w:tc>`;
}

function tbl(widths: number[], rows: string[], opts: { borders: boolean; cellMarginPt: number }): string {
  const edge = opts.borders ? 'w:val="single" w:sz="4" w:space="0" w:color="000000"' : 'w:val="nil"';
  const borders = ["top", "left", "bottom", "right", "insideH", "insideV"].map((e) => `<w:${e} ${edge}/>`).join("");
  const m = twips(opts.cellMarginPt);
  return (
    `<w:tbl><w:tblPr><w:tblW w:w="${widths.reduce((a, b) => a + b, 0)}" w:type="dxa"/><w:tblInd w:w="0" w:type="dxa"/>` +
    `<w:tblBorders>${borders}</w:tblBorders><w:tblLayout w:type="fixed"/>` +
    `<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="${m}" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="${m}" w:type="dxa"/></w:tblCellMar>` +
    `<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>` +
    `<w:tblGrid>${widths.map((w) => `<w:gridCol w:w="${w}"/>`).join("")}</w:tblGrid>${rows.join("")}</w:tbl>`
  );
}

function tr(cells: CellSpec[], opts: { header?: boolean } = {}): string {
  return `<w:tr><w:trPr><w:cantSplit/>${opts.header ? "<w:tblHeader/>" : ""}</w:trPr>${cells.map(tc).join("")}</w:tr>`;
}

// ---- the document --------------------------------------------------------------------

function documentXml(d: PartyDocument): string {
  const body = [header(d), ...d.body.map(block), closing(d)].join("");
  const sect =
    `<w:sectPr><w:headerReference w:type="default" r:id="rIdHeaderDefault"/><w:headerReference w:type="first" r:id="rIdHeaderFirst"/>` +
    `<w:pgSz w:w="${PAGE.w}" w:h="${PAGE.h}"/>` +
    `<w:pgMar w:top="${MARGIN.top}" w:right="${MARGIN.right}" w:bottom="${MARGIN.bottom}" w:left="${MARGIN.left}" w:header="567" w:footer="567" w:gutter="0"/>` +
    `<w:titlePg/></w:sectPr>`;
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document ${NS}><w:body>${body}${sect}</w:body></w:document>`;
}

function header(d: PartyDocument): string {
  const leftW = Math.round(TEXT_W * L.issuerColumn);
  const rightW = TEXT_W - leftW;
  const size = L.headerSize;
  const leftPt = leftW / 20;
  const rightPt = rightW / 20;
  // The rule under "ĐẢNG CỘNG SẢN VIỆT NAM" is as long as the title: a paragraph border
  // between indents that leave exactly the title's width.
  const titleW = textWidth(PARTY_TITLE, "bold", L.partyTitleSize) + 2;
  const side = Math.max(0, (rightPt - titleW) / 2);

  const left =
    centredLines(d.header.parentBody.toLocaleUpperCase("vi"), { face: "regular", size }, leftPt, { size }) +
    centredLines(d.header.issuer.toLocaleUpperCase("vi"), { face: "bold", size }, leftPt, { size, bold: true }) +
    p([r("*", { size })], { align: "center" });
  // The title gets the whole column, so a word processor whose metrics differ by a hair
  // (LibreOffice wrapped "NAM" onto a second line when the rule's indents squeezed it)
  // cannot break it; the rule is its own 1-pt paragraph right under it, indented to the
  // title's width.
  const rule =
    `<w:p><w:pPr><w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>` +
    `<w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/><w:ind w:left="${twips(side)}" w:right="${twips(side)}"/>` +
    `<w:rPr><w:sz w:val="2"/></w:rPr></w:pPr></w:p>`;
  const right = p([r(PARTY_TITLE, { bold: true, size: L.partyTitleSize })], { align: "center" }) + rule;

  const number = formatDocumentNumber(d.number.seq, d.number.typeAbbr, d.number.issuerAbbr);
  const placeDate = formatPlaceDate(d.place, d.date);
  const headerTable = tbl(
    [leftW, rightW],
    [
      tr([
        { width: leftW, content: left },
        { width: rightW, content: right },
      ]),
      tr([
        { width: leftW, content: p([r(number, { size })], { align: "center" }) },
        { width: rightW, content: centredLines(placeDate, { face: "italic", size }, rightPt, { italic: true, size }) },
      ]),
    ],
    { borders: false, cellMarginPt: 0 },
  );

  const typeName = p([r(d.typeName.toLocaleUpperCase("vi"), { bold: true, size: L.typeNameSize })], { align: "center", before: 20 });
  const summary = d.summary.trim()
    ? centredLines(d.summary, { face: "bold", size: L.summarySize }, (TEXT_W / 20) * 0.84, { bold: true, size: L.summarySize })
    : "";
  const dashes = p([r("-----", { size: L.summarySize })], { align: "center", after: 10 });
  return headerTable + typeName + summary + dashes;
}

const bodyPara: ParaStyle = { align: "both", firstLine: L.firstLineIndent, after: L.paragraphGap, line: 1.1 };

function block(b: Block): string {
  switch (b.kind) {
    case "paragraph":
      return p([r(b.text)], bodyPara);
    case "heading":
      return p([r(b.text, { bold: true })], { ...bodyPara, keepNext: true });
    case "list":
      return b.items.map((i) => p([r(dashedLine(i))], bodyPara)).join("");
    case "table":
      return table(b);
  }
}

function table(t: Extract<Block, { kind: "table" }>): string {
  const total = t.columns.reduce((s, c) => s + c.width, 0);
  const widths = t.columns.map((c) => Math.floor((c.width / total) * TEXT_W));
  widths[widths.length - 1] += TEXT_W - widths.reduce((a, b) => a + b, 0);
  const size = L.tableSize;
  const cell = (text: string, i: number, head: boolean): CellSpec => ({
    width: widths[i],
    vAlign: "center",
    content: p([r(text, { size, bold: head })], { align: head ? "center" : (t.columns[i].align ?? "left"), before: 2, after: 2 }),
  });
  const rows = [
    tr(
      t.columns.map((c, i) => cell(c.header, i, true)),
      { header: true },
    ),
    ...t.rows.map((row) => tr(row.map((c, i) => cell(c, i, false)))),
  ];
  return tbl(widths, rows, { borders: true, cellMarginPt: L.tablePadding.x }) + p([], { after: L.paragraphGap });
}

function closing(d: PartyDocument): string {
  const leftW = Math.round(TEXT_W * L.recipientsColumn);
  const rightW = TEXT_W - leftW;
  const sz = L.signatureSize;
  const s = d.signature;
  const caps = [s.onBehalfOf, s.deputyFor, s.title].filter((x): x is string => !!x);
  const signature =
    caps.map((c) => centredLines(c.toLocaleUpperCase("vi"), { face: "bold", size: sz }, rightW / 20, { bold: true, size: sz })).join("") +
    p([r(s.name, { bold: true, size: sz })], { align: "center", before: L.signatureRoom });
  const recipients = d.recipients.length
    ? p([r("Nơi nhận:", { bold: true, italic: true, size: L.recipientsHeading.size })], { before: 2 }) +
      d.recipients.map((l) => p([r(dashedLine(l), { size: L.recipientsLine.size })], {})).join("")
    : "";
  return (
    p([], { keepNext: true }) +
    tbl(
      [leftW, rightW],
      [
        tr([
          { width: leftW, content: recipients },
          { width: rightW, content: signature },
        ]),
      ],
      { borders: false, cellMarginPt: 0 },
    )
  );
}

function pageNumberParagraph(): string {
  const sz = `<w:rPr><w:sz w:val="${halfPoints(L.pageNumberSize)}"/></w:rPr>`;
  return (
    `<w:p><w:pPr><w:jc w:val="center"/></w:pPr>` +
    `<w:r>${sz}<w:fldChar w:fldCharType="begin"/></w:r><w:r>${sz}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>` +
    `<w:r>${sz}<w:fldChar w:fldCharType="separate"/></w:r><w:r>${sz}<w:t>2</w:t></w:r><w:r>${sz}<w:fldChar w:fldCharType="end"/></w:r></w:p>`
  );
}

function headerXml(content: string): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:hdr ${NS}>${content}</w:hdr>`;
}

function coreXml(d: PartyDocument): string {
  const when = `${d.date}T00:00:00Z`;
  const title = [d.typeName, d.summary].filter(Boolean).join(" ");
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
    `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    `<dc:title>${xmlEscape(title)}</dc:title><dc:subject>${xmlEscape(formatDocumentNumber(d.number.seq, d.number.typeAbbr, d.number.issuerAbbr))}</dc:subject>` +
    `<dc:creator>${xmlEscape(d.header.issuer.replace(/\s*\n\s*/g, " "))}</dc:creator><dc:language>vi-VN</dc:language>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${when}</dcterms:modified>` +
    `</cp:coreProperties>`
  );
}

const NS =
  'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';

const CONTENT_TYPES =
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
  `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
  `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
  `<Default Extension="xml" ContentType="application/xml"/>` +
  `<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
  `<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
  `<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>` +
  `<Override PartName="/word/header2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>` +
  `<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
  `</Types>`;

const ROOT_RELS =
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
  `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
  `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
  `<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
  `</Relationships>`;

const DOCUMENT_RELS =
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
  `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
  `<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
  `<Relationship Id="rIdHeaderDefault" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>` +
  `<Relationship Id="rIdHeaderFirst" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header2.xml"/>` +
  `</Relationships>`;

const STYLES =
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
  `<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
  `<w:docDefaults><w:rPrDefault><w:rPr>` +
  `<w:rFonts w:ascii="${DOCX_FONT_NAME}" w:hAnsi="${DOCX_FONT_NAME}" w:eastAsia="${DOCX_FONT_NAME}" w:cs="${DOCX_FONT_NAME}"/>` +
  `<w:sz w:val="${halfPoints(L.bodySize)}"/><w:szCs w:val="${halfPoints(L.bodySize)}"/><w:lang w:val="vi-VN" w:eastAsia="vi-VN" w:bidi="ar-SA"/>` +
  `</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>` +
  `<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>` +
  `<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>` +
  `<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>` +
  `</w:styles>`;
