// Over 500 lines (756, 642 before the reformat of decision 034): one parser of one document convention, read top
// to bottom; splitting it (paragraph reading, media, question assembly) is listed in issue #17.
// Word (.docx) question documents written by lecturers, following the convention in
// docs/question-formats.md:
//
//   Câu 7. Đảng Cộng sản Việt Nam ra đời vào thời gian nào?
//   A. 03/02/1930
//   *B. 19/5/1941            ← correct: a leading "*", or the whole option bold/underlined/red,
//   C. 02/9/1945               or a line "Đáp án: B" after the options
//   Mức độ: Nhận biết        ← optional: Mức độ, Bài, Nguồn, Giải thích, Loại, Thẻ, Mã
//
// We read word/document.xml ourselves (no Word renderer on a server): paragraphs in
// document order (table cells included), runs with their text (Word splits a word across
// runs whenever formatting or spell-check state changes, so text is joined before any
// matching) and the run formatting that marks answers. Automatic list numbering is
// rendered from numbering.xml, because lecturers often number "Câu 1." and "A." with
// Word's list feature, in which case the labels are not in the text at all.
//
// Positions are paragraph numbers: every <w:p> of the body, empty ones included, counted from 1.

import { XMLParser } from "fast-xml-parser";
import type { ImportedImage, ImportedQuestion, ParseIssue, ParseResult, QuestionType } from "./model";
import { FALSE_TEXT, TRUE_TEXT } from "./model";
import { DEFAULT_LIMITS, FormatError, notZipMessage, type InputLimits } from "./input";
import { openZip } from "../../uploads/bounded";
import { escapeText } from "./html";
import { imageMime, MAX_IMAGE_BYTES } from "./moodle-xml";
import { labelKey, parseLesson, parseLevel } from "./normalise";
import { parseUse } from "../use";

// ---------------------------------------------------------------------------
// OOXML reading
// ---------------------------------------------------------------------------

type XNode = Record<string, unknown>;

const BOLD = 1;
const UNDERLINE = 2;
const RED = 4;

interface Para {
  /** 1-based paragraph number. */
  index: number;
  text: string;
  /** Formatting bits per UTF-16 unit of `text`. */
  flags: number[];
  /** Relationship ids of pictures in the paragraph. */
  images: string[];
}

function tagOf(n: XNode): string {
  for (const k of Object.keys(n)) if (k !== ":@") return k;
  return "";
}
function kids(n: XNode): XNode[] {
  const v = n[tagOf(n)];
  return Array.isArray(v) ? (v as XNode[]) : [];
}
function attr(n: XNode, name: string): string | undefined {
  const a = n[":@"] as Record<string, string> | undefined;
  return a?.[name];
}
function onOff(n: XNode | undefined): boolean {
  if (!n) return false;
  const v = attr(n, "val");
  return v === undefined || !["0", "false", "off", "none"].includes(v.toLowerCase());
}
function isRed(hex: string | undefined): boolean {
  if (!hex || !/^[0-9a-f]{6}$/i.test(hex)) return false;
  const r = parseInt(hex.slice(0, 2), 16);
  const g = parseInt(hex.slice(2, 4), 16);
  const b = parseInt(hex.slice(4, 6), 16);
  return r >= 0xb0 && g <= 0x50 && b <= 0x50;
}
function textContent(nodes: XNode[]): string {
  let s = "";
  for (const n of nodes) {
    if ("#text" in n) s += String(n["#text"]);
    else s += textContent(kids(n));
  }
  return s;
}
function findAll(nodes: XNode[], tag: string, out: XNode[] = []): XNode[] {
  for (const n of nodes) {
    if ("#text" in n) continue;
    if (tagOf(n) === tag) out.push(n);
    findAll(kids(n), tag, out);
  }
  return out;
}

/** Containers whose content is not part of the visible text. */
const SKIP_IN_PARAGRAPH = new Set([
  "pPr",
  "rPr",
  "del",
  "moveFrom",
  "instrText",
  "delText",
  "commentReference",
  "footnoteReference",
  "endnoteReference",
  "proofErr",
  "bookmarkStart",
  "bookmarkEnd",
]);

interface Numbering {
  /** numId → abstractNumId */
  nums: Map<string, { abstract: string; startOverride: Map<number, number> }>;
  /** abstractNumId → level → definition */
  levels: Map<string, Map<number, { fmt: string; text: string; start: number }>>;
  counters: Map<string, number[]>;
  started: Set<string>;
}

function readNumbering(xml: XNode[] | undefined): Numbering {
  const numbering: Numbering = { nums: new Map(), levels: new Map(), counters: new Map(), started: new Set() };
  if (!xml) return numbering;
  for (const abs of findAll(xml, "abstractNum")) {
    const id = attr(abs, "abstractNumId") ?? "";
    const levels = new Map<number, { fmt: string; text: string; start: number }>();
    for (const lvl of kids(abs).filter((k) => tagOf(k) === "lvl")) {
      const get = (t: string) => kids(lvl).find((k) => tagOf(k) === t);
      levels.set(Number(attr(lvl, "ilvl") ?? 0), {
        fmt: (get("numFmt") && attr(get("numFmt")!, "val")) || "decimal",
        text: (get("lvlText") && attr(get("lvlText")!, "val")) ?? "",
        start: Number((get("start") && attr(get("start")!, "val")) ?? 1),
      });
    }
    numbering.levels.set(id, levels);
  }
  for (const num of findAll(xml, "num")) {
    const absNode = kids(num).find((k) => tagOf(k) === "abstractNumId");
    const startOverride = new Map<number, number>();
    for (const o of kids(num).filter((k) => tagOf(k) === "lvlOverride")) {
      const so = kids(o).find((k) => tagOf(k) === "startOverride");
      if (so) startOverride.set(Number(attr(o, "ilvl") ?? 0), Number(attr(so, "val") ?? 1));
    }
    numbering.nums.set(attr(num, "numId") ?? "", { abstract: (absNode && attr(absNode, "val")) ?? "", startOverride });
  }
  return numbering;
}

function roman(n: number): string {
  const table: [number, string][] = [
    [1000, "M"],
    [900, "CM"],
    [500, "D"],
    [400, "CD"],
    [100, "C"],
    [90, "XC"],
    [50, "L"],
    [40, "XL"],
    [10, "X"],
    [9, "IX"],
    [5, "V"],
    [4, "IV"],
    [1, "I"],
  ];
  let s = "";
  for (const [v, r] of table)
    while (n >= v) {
      s += r;
      n -= v;
    }
  return s;
}
function formatNumber(n: number, fmt: string): string {
  switch (fmt) {
    case "upperLetter":
      return String.fromCharCode(65 + ((n - 1) % 26));
    case "lowerLetter":
      return String.fromCharCode(97 + ((n - 1) % 26));
    case "upperRoman":
      return roman(n);
    case "lowerRoman":
      return roman(n).toLowerCase();
    default:
      return String(n);
  }
}

/** The label Word shows for a numbered paragraph ("Câu 3.", "B."), advancing the counters as Word does. */
function listLabel(numbering: Numbering, numId: string, ilvl: number): string {
  const num = numbering.nums.get(numId);
  if (!num) return "";
  const levels = numbering.levels.get(num.abstract);
  const def = levels?.get(ilvl);
  if (!levels || !def || def.fmt === "bullet" || def.fmt === "none") return "";
  const key = num.abstract;
  let counters = numbering.counters.get(key);
  if (!counters) numbering.counters.set(key, (counters = []));
  if (!numbering.started.has(numId)) {
    numbering.started.add(numId);
    for (const [lvl, start] of num.startOverride) counters[lvl] = start - 1;
  }
  counters[ilvl] = (counters[ilvl] ?? def.start - 1) + 1;
  for (let deeper = ilvl + 1; deeper < 9; deeper++) counters[deeper] = (levels.get(deeper)?.start ?? 1) - 1;
  return def.text.replace(/%([1-9])/g, (_, d: string) => {
    const lvl = Number(d) - 1;
    return formatNumber(counters![lvl] ?? levels.get(lvl)?.start ?? 1, levels.get(lvl)?.fmt ?? "decimal");
  });
}

function readParagraphs(body: XNode[], numbering: Numbering): Para[] {
  const paras: Para[] = [];
  const visitBlock = (nodes: XNode[]) => {
    for (const n of nodes) {
      if ("#text" in n) continue;
      const tag = tagOf(n);
      if (tag === "p") paras.push(readParagraph(n, paras.length + 1, numbering));
      else if (tag !== "sectPr" && tag !== "del") visitBlock(kids(n)); // tables, rows, cells, content controls
    }
  };
  visitBlock(body);
  return paras;
}

function readParagraph(p: XNode, index: number, numbering: Numbering): Para {
  const para: Para = { index, text: "", flags: [], images: [] };
  const push = (s: string, f: number) => {
    para.text += s;
    for (let i = 0; i < s.length; i++) para.flags.push(f);
  };
  const pPr = kids(p).find((k) => tagOf(k) === "pPr");
  const numPr = pPr && kids(pPr).find((k) => tagOf(k) === "numPr");
  if (numPr) {
    const numId = kids(numPr).find((k) => tagOf(k) === "numId");
    const ilvl = kids(numPr).find((k) => tagOf(k) === "ilvl");
    const label = listLabel(numbering, (numId && attr(numId, "val")) ?? "", Number((ilvl && attr(ilvl, "val")) ?? 0));
    if (label) push(`${label} `, 0);
  }
  const visit = (nodes: XNode[]) => {
    for (const n of nodes) {
      if ("#text" in n) continue;
      const tag = tagOf(n);
      if (SKIP_IN_PARAGRAPH.has(tag)) continue;
      if (tag === "r") readRun(n, push, para);
      else if (tag === "AlternateContent")
        visit(
          kids(n)
            .filter((k) => tagOf(k) === "Choice")
            .slice(0, 1),
        );
      else visit(kids(n)); // hyperlink, ins, smartTag, fldSimple, sdt, customXml…
    }
  };
  visit(kids(p));
  return para;
}

function readRun(r: XNode, push: (s: string, f: number) => void, para: Para): void {
  const rPr = kids(r).find((k) => tagOf(k) === "rPr");
  let f = 0;
  if (rPr) {
    const get = (t: string) => kids(rPr).find((k) => tagOf(k) === t);
    if (onOff(get("b"))) f |= BOLD;
    const u = get("u");
    if (u && (attr(u, "val") ?? "single") !== "none") f |= UNDERLINE;
    if (isRed(get("color") && attr(get("color")!, "val"))) f |= RED;
  }
  for (const c of kids(r)) {
    if ("#text" in c) continue;
    switch (tagOf(c)) {
      case "t":
        push(textContent(kids(c)), f);
        break;
      case "tab":
      case "ptab":
        push("\t", f);
        break;
      case "br":
      case "cr":
        push("\n", f);
        break;
      case "noBreakHyphen":
        push("-", f);
        break;
      case "drawing":
      case "pict":
      case "AlternateContent": {
        const nodes =
          tagOf(c) === "AlternateContent"
            ? kids(c)
                .filter((k) => tagOf(k) === "Choice")
                .slice(0, 1)
            : [c];
        for (const blip of findAll(nodes, "blip")) {
          const id = attr(blip, "embed");
          if (id) para.images.push(id);
        }
        for (const img of findAll(nodes, "imagedata")) {
          const id = attr(img, "id");
          if (id) para.images.push(id);
        }
        break;
      }
    }
  }
}

// ---------------------------------------------------------------------------
// The question convention
// ---------------------------------------------------------------------------

const QUESTION_RE = /^\s*c[âa]u(?:\s+h[ỏo]i)?\s*(\d{1,4})\s*(?:\([^)]*\))?\s*(?:[.:)\-–—]\s*|$)/iu;
const BARE_NUMBER_RE = /^\s*(\d{1,4})\s*[.)]\s+/u;
const OPTION_AT_RE = /^\s*(\*?)\s*([A-Ha-h])\s*[.)]\s*/u;
const META_RE =
  /^\s*(đáp án(?: đúng)?|dap an(?: dung)?|đa|mức độ|muc do|bài|bai|nguồn|nguon|giải thích|giai thich|loại|loai|thẻ|the|mã|ma|sử dụng|su dung)\s*[:：]\s*(.*)$/iu;
const HEADING_RE = /^\s*(phần|phan|chương|chuong|chuyên đề|chuyen de|bài|bai)\s+([0-9IVXLC]+)\b/iu;

interface DraftOption {
  letter: string;
  text: string;
  star: boolean;
  flags: number; // formatting bits present on every non-space char of the body
}
interface Draft {
  number: number;
  para: number;
  stem: string[];
  stemImages: string[];
  /** Stem text lines and pictures in document order: a string, or { rid } for a picture. */
  stemParts: (string | { rid: string })[];
  options: DraftOption[];
  answer?: { letters: string[]; raw: string; para: number };
  meta: Partial<Record<"level" | "lesson" | "source" | "explanation" | "type" | "tags" | "code" | "use", string>>;
  metaPara: Partial<Record<string, number>>;
  lastMeta?: string;
  lessonFromHeading?: number;
}

function metaKey(label: string): string {
  const k = labelKey(label);
  if (k.startsWith("dap an") || k === "da") return "answer";
  if (k === "muc do") return "level";
  if (k === "bai") return "lesson";
  if (k === "nguon") return "source";
  if (k === "giai thich") return "explanation";
  if (k === "loai") return "type";
  if (k === "the") return "tags";
  if (k === "su dung") return "use";
  return "code";
}

/** Formatting bits set on every non-space character of text[start, end). */
function commonFlags(para: Para, start: number, end: number): number {
  let f = BOLD | UNDERLINE | RED;
  let any = false;
  for (let i = start; i < end; i++) {
    if (/\s/.test(para.text[i])) continue;
    any = true;
    f &= para.flags[i];
  }
  return any ? f : 0;
}

/** Options in one paragraph: "A. …" alone, or several separated by tabs / wide spaces ("A. 1930\tB. 1945"). */
function splitOptions(para: Para, from: number): DraftOption[] {
  const text = para.text;
  const first = OPTION_AT_RE.exec(text.slice(from));
  if (!first) return [];
  const starts: { at: number; m: RegExpExecArray }[] = [{ at: from, m: first }];
  let expected = first[2].toUpperCase().charCodeAt(0) + 1;
  const re = /(?:\t| {2,})(\*?)\s*([A-Ha-h])\s*[.)]\s+/gu;
  re.lastIndex = from + first[0].length;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[2].toUpperCase().charCodeAt(0) !== expected) continue;
    expected++;
    const at = m.index + m[0].search(/\S/);
    starts.push({ at, m: OPTION_AT_RE.exec(text.slice(at))! });
  }
  return starts.map(({ at, m }, k) => {
    const bodyStart = at + m[0].length;
    const end = k + 1 < starts.length ? starts[k + 1].at : text.length;
    let body = text.slice(bodyStart, end);
    let star = m[1] === "*";
    if (body.startsWith("*")) {
      star = true;
      body = body.slice(1);
    }
    return { letter: m[2].toUpperCase(), text: body.replace(/\s+/g, " ").trim(), star, flags: commonFlags(para, bodyStart, end) };
  });
}

function parseTypeLabel(s: string): QuestionType | undefined {
  const k = labelKey(s);
  if (/^(mot lua chon|1 lua chon|mot dap an|single|trac nghiem)$/.test(k)) return "single";
  if (/^(nhieu lua chon|nhieu dap an|multiple)$/.test(k)) return "multiple";
  if (/^(dung\s*\/\s*sai|dung sai|true\s*\/\s*false|true_false)$/.test(k)) return "true_false";
  if (/^(tu luan|essay)$/.test(k)) return "essay";
  return undefined;
}

export interface DocxOptions {
  limits?: Partial<InputLimits>;
}

export async function parseDocx(bytes: Uint8Array, options: DocxOptions = {}): Promise<ParseResult> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  // The bounded reader (server/uploads/bounded.ts): the directory is checked first, and no
  // entry inflates past the size it declares (a zip that lies is stopped mid-inflation).
  const zip = await openZip(bytes, "docx", limits);
  const read = async (name: string) => {
    const data = await zip.read(name);
    if (!data) return undefined;
    const text = new TextDecoder("utf-8").decode(data);
    // Word never writes DTDs; entity declarations in a part can only be an expansion attack.
    if (/<!(DOCTYPE|ENTITY)\b/i.test(text)) throw new FormatError("not_zip", notZipMessage("docx"));
    return text;
  };
  const documentXml = await read("word/document.xml");
  if (documentXml === undefined) throw new FormatError("not_zip", notZipMessage("docx"));

  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: "",
    removeNSPrefix: true,
    trimValues: false,
    parseTagValue: false,
    parseAttributeValue: false,
  });
  let doc: XNode[];
  try {
    doc = parser.parse(documentXml) as XNode[];
  } catch {
    throw new FormatError("not_zip", notZipMessage("docx"));
  }
  const body = findAll(doc, "body")[0];
  if (!body) throw new FormatError("not_zip", notZipMessage("docx"));

  const numberingXml = await read("word/numbering.xml");
  const numbering = readNumbering(numberingXml ? (parser.parse(numberingXml) as XNode[]) : undefined);
  const relsXml = await read("word/_rels/document.xml.rels");
  const rels = new Map<string, string>();
  if (relsXml)
    for (const r of findAll(parser.parse(relsXml) as XNode[], "Relationship")) rels.set(attr(r, "Id") ?? "", attr(r, "Target") ?? "");

  const paras = readParagraphs(kids(body), numbering);
  const issues: ParseIssue[] = [];
  const drafts: Draft[] = [];
  const explicitQuestions = paras.some((p) => QUESTION_RE.test(p.text) && !META_RE.test(p.text));
  let current: Draft | undefined;
  let lesson: number | undefined;

  for (const para of paras) {
    const text = para.text.replace(/\s+$/u, "");
    if (text.trim() === "" && para.images.length === 0) continue;

    // 1. A new question?
    const qm = QUESTION_RE.exec(text);
    const bm = explicitQuestions ? null : BARE_NUMBER_RE.exec(text);
    const bareStarts = bm && (!current || Number(bm[1]) === current.number + 1) && !OPTION_AT_RE.test(text);
    if ((qm && !META_RE.test(text)) || bareStarts) {
      const m = (qm ?? bm)!;
      current = {
        number: Number(m[1]),
        para: para.index,
        stem: [],
        stemImages: [...para.images],
        stemParts: [],
        options: [],
        meta: {},
        metaPara: {},
        lessonFromHeading: lesson,
      };
      const rest = text.slice(m[0].length).trim();
      if (rest) current.stem.push(rest);
      if (rest) current.stemParts.push(rest);
      current.stemParts.push(...para.images.map((rid) => ({ rid })));
      drafts.push(current);
      continue;
    }

    // 2. A metadata line ("Đáp án: B", "Mức độ: Nhận biết"…)
    const mm = META_RE.exec(text);
    if (mm && current) {
      const key = metaKey(mm[1]);
      const value = mm[2].trim();
      if (key === "answer") current.answer = { letters: [], raw: value, para: para.index };
      else (current.meta as Record<string, string>)[key] = value;
      current.metaPara[key] = para.index;
      current.lastMeta = key;
      continue;
    }

    // 3. A heading between questions ("BÀI 2. CƯƠNG LĨNH…", "PHẦN II. TỰ LUẬN")
    const hm = HEADING_RE.exec(text);
    const shouting = /\p{Lu}/u.test(text) && text === text.toUpperCase() && text.trim().length > 3;
    if (
      (hm || (shouting && !OPTION_AT_RE.test(text))) &&
      (!current || current.options.length > 0 || current.lastMeta !== undefined || shouting)
    ) {
      if (!hm) {
        current = undefined;
        continue;
      }
      if (/^b/i.test(labelKey(hm[1]))) lesson = parseLesson(`Bài ${hm[2]}`);
      current = undefined;
      continue;
    }
    if (!current) continue; // title lines before the first question

    // 4. Options
    // (Options may also follow a metadata line written right under the stem.)
    const canTakeOptions = current.lastMeta === undefined || (current.options.length === 0 && current.lastMeta !== "explanation");
    const opts = canTakeOptions ? splitOptions(para, 0) : [];
    const startsOptions = opts.length > 0 && (current.options.length > 0 || opts[0].letter === "A");
    if (startsOptions && current.stem.length + current.stemImages.length > 0) {
      current.options.push(...opts);
      current.lastMeta = undefined;
      if (para.images.length) {
        issues.push({
          line: para.index,
          severity: "warning",
          message: `Câu ${current.number} (đoạn ${para.index}): hình ảnh trong phương án không được hỗ trợ và đã bị bỏ; hãy đưa hình vào nội dung câu hỏi.`,
        });
      }
      continue;
    }

    // 5. Text that continues something
    if (current.lastMeta === "explanation") {
      current.meta.explanation = `${current.meta.explanation ?? ""}\n${text.trim()}`;
    } else if (current.options.length === 0 && current.lastMeta === undefined) {
      if (text.trim()) {
        current.stem.push(text.trim());
        current.stemParts.push(text.trim());
      }
      current.stemImages.push(...para.images);
      current.stemParts.push(...para.images.map((rid) => ({ rid })));
    } else {
      issues.push({
        line: para.index,
        severity: "warning",
        message: `Câu ${current.number} (đoạn ${para.index}): không rõ đoạn “${text.trim().slice(0, 40)}” thuộc phần nào của câu hỏi nên đã bỏ qua. Phương án phải bắt đầu bằng “A.”, “B.”…; thông tin thêm dùng “Giải thích:”, “Nguồn:”.`,
      });
    }
  }

  // Sequence check: a skipped or repeated number usually means a lost question.
  for (let i = 1; i < drafts.length; i++) {
    const prev = drafts[i - 1].number;
    const d = drafts[i];
    if (d.number === prev) {
      issues.push({
        line: d.para,
        severity: "warning",
        message: `Câu ${d.number} (đoạn ${d.para}): số câu bị lặp lại (câu trước cũng là câu ${prev}).`,
      });
    } else if (d.number > prev + 1 && d.number - prev < 50) {
      issues.push({
        line: d.para,
        severity: "warning",
        message: `Câu ${d.number} (đoạn ${d.para}): không thấy câu ${prev + 1}${d.number - prev > 2 ? `–${d.number - 1}` : ""}; hãy kiểm tra xem có thiếu câu không.`,
      });
    }
  }

  const imageCache = new Map<string, ImportedImage | null>();
  const loadImage = async (rid: string, where: string, line: number): Promise<ImportedImage | undefined> => {
    if (imageCache.has(rid)) return imageCache.get(rid) ?? undefined;
    const target = rels.get(rid);
    const path = target ? (target.startsWith("/") ? target.slice(1) : `word/${target}`).replace(/\/\.\//g, "/") : undefined;
    const data = path ? await zip.read(path) : undefined;
    const name = path?.split("/").pop() ?? rid;
    const mime = data && imageMime(name, data);
    if (!data || !mime) {
      issues.push({
        line,
        severity: "warning",
        message: `${where}: hình “${name}” không đọc được hoặc không phải PNG/JPEG/GIF (ví dụ hình vẽ EMF/WMF); đã bỏ hình. Hãy chèn lại hình dạng PNG hoặc JPEG.`,
      });
      imageCache.set(rid, null);
      return undefined;
    }
    if (data.length > MAX_IMAGE_BYTES) {
      issues.push({
        line,
        severity: "warning",
        message: `${where}: hình “${name}” lớn hơn 2 MB nên đã bị bỏ; hãy thu nhỏ hình rồi nhập lại.`,
      });
      imageCache.set(rid, null);
      return undefined;
    }
    const img = { name, mime, data };
    imageCache.set(rid, img);
    return img;
  };

  const questions: ImportedQuestion[] = [];
  for (const d of drafts) {
    const where = `Câu ${d.number} (đoạn ${d.para})`;
    const q: ImportedQuestion = {
      line: d.para,
      number: d.number,
      type: "single",
      stem: d.stem.join("\n"),
      stemFormat: "plain",
      options: [],
      tags: [],
      images: [],
    };

    // Pictures in the stem: an HTML stem referencing them like Moodle does, in place.
    const html: string[] = [];
    for (const part of d.stemParts) {
      if (typeof part === "string") {
        html.push(`<p>${escapeText(part)}</p>`);
        continue;
      }
      const img = await loadImage(part.rid, where, d.para);
      if (!img) continue;
      if (!q.images.includes(img)) q.images.push(img);
      html.push(`<p><img src="@@PLUGINFILE@@/${encodeURI(img.name)}" alt=""></p>`);
    }
    if (q.images.length) {
      q.stemFormat = "html";
      q.stem = html.join("");
    }

    const level = d.meta.level !== undefined ? parseLevel(d.meta.level) : undefined;
    if (d.meta.level !== undefined && !level) {
      issues.push({
        line: d.metaPara.level ?? d.para,
        severity: "warning",
        message: `${where}: mức độ “${d.meta.level}” không hợp lệ; dùng “Nhận biết”, “Thông hiểu” hoặc “Vận dụng”.`,
      });
    }
    if (level) q.level = level;
    const lessonValue = d.meta.lesson !== undefined ? parseLesson(d.meta.lesson) : d.lessonFromHeading;
    if (d.meta.lesson !== undefined && lessonValue === undefined) {
      issues.push({
        line: d.metaPara.lesson ?? d.para,
        severity: "warning",
        message: `${where}: “Bài: ${d.meta.lesson}” không phải số bài; ghi ví dụ “Bài: 2”.`,
      });
    }
    if (lessonValue !== undefined) q.lesson = lessonValue;
    if (d.meta.source) q.source = d.meta.source;
    if (d.meta.explanation?.trim()) q.explanation = d.meta.explanation.trim();
    if (d.meta.code) q.code = d.meta.code;
    if (d.meta.tags)
      q.tags = d.meta.tags
        .split(/[,;]/)
        .map((t) => t.trim())
        .filter(Boolean);
    if (d.meta.use !== undefined) {
      const use = parseUse(d.meta.use);
      if (use === null)
        issues.push({
          line: d.metaPara.use ?? d.para,
          severity: "warning",
          message: `${where}: “Sử dụng: ${d.meta.use}” không hợp lệ; ghi “Ôn tập”, “Thi” hoặc “Cả hai”.`,
        });
      else if (use) q.use = use;
    }

    // Which options are correct: explicit marks ("*", "Đáp án:") beat formatting.
    const letters = d.options.map((o) => o.letter);
    const starred = d.options.filter((o) => o.star).map((o) => o.letter);
    let answerLetters: string[] | undefined;
    let answerTF: boolean | undefined;
    if (d.answer) {
      const raw = d.answer.raw;
      const k = labelKey(raw);
      if (/^(dung|true|d|t)\b/.test(k) && !letters.includes("D")) answerTF = true;
      else if (/^(sai|false|s|f)\b/.test(k)) answerTF = false;
      else {
        const found = raw.toUpperCase().match(/^[\s*]*([A-H](?:\s*(?:[,;&/+]|VÀ)?\s*[A-H])*)(?![\p{L}])/u);
        answerLetters = found ? [...new Set(found[1].match(/[A-H]/g) ?? [])] : [];
        if (!answerLetters.length) {
          issues.push({
            line: d.para,
            severity: "error",
            message: `${where}: không đọc được dòng “Đáp án: ${raw}”; ghi chữ cái của phương án đúng, ví dụ “Đáp án: B” hoặc “Đáp án: A, C”.`,
          });
        }
        const missing = answerLetters.filter((l) => !letters.includes(l));
        if (missing.length) {
          issues.push({
            line: d.para,
            severity: "error",
            message: `${where}: “Đáp án: ${raw}” nhưng câu hỏi không có phương án ${missing.join(", ")}.`,
          });
          answerLetters = answerLetters.filter((l) => letters.includes(l));
        }
      }
    }
    if (answerLetters?.length && starred.length && [...answerLetters].sort().join() !== [...starred].sort().join()) {
      issues.push({
        line: d.para,
        severity: "error",
        message: `${where}: dấu * đánh ở phương án ${starred.join(", ")} nhưng dòng “Đáp án” ghi ${answerLetters.join(", ")}; hãy giữ một cách đánh dấu.`,
      });
    }
    let correct: string[] = answerLetters?.length ? answerLetters : starred;
    if (correct.length === 0 && answerTF === undefined) {
      // Formatting marks count only when they single options out: a document that sets
      // every option in bold has marked nothing.
      for (const bit of [BOLD, UNDERLINE, RED]) {
        const marked = d.options.filter((o) => o.flags & bit).map((o) => o.letter);
        if (marked.length > 0 && marked.length < d.options.length) correct = [...new Set([...correct, ...marked])];
      }
    }

    const typeLabel = d.meta.type !== undefined ? parseTypeLabel(d.meta.type) : undefined;
    if (d.meta.type !== undefined && !typeLabel) {
      issues.push({
        line: d.metaPara.type ?? d.para,
        severity: "warning",
        message: `${where}: loại “${d.meta.type}” không hợp lệ; dùng “Một lựa chọn”, “Nhiều lựa chọn”, “Đúng/Sai” hoặc “Tự luận”.`,
      });
    }
    const tfOptions = d.options.length === 2 && labelKey(d.options[0].text) === "dung" && labelKey(d.options[1].text) === "sai";
    let type: QuestionType =
      typeLabel ??
      (tfOptions || (d.options.length === 0 && answerTF !== undefined)
        ? "true_false"
        : d.options.length === 0
          ? "essay"
          : correct.length > 1
            ? "multiple"
            : "single");
    if (type === "true_false") {
      let isTrue = answerTF;
      if (isTrue === undefined && tfOptions && correct.length === 1) isTrue = correct[0] === d.options[0].letter;
      q.options = [
        { text: TRUE_TEXT, fraction: isTrue === true ? 1 : 0 },
        { text: FALSE_TEXT, fraction: isTrue === false ? 1 : 0 },
      ];
      if (d.options.length && !tfOptions) {
        issues.push({ line: d.para, severity: "error", message: `${where}: câu Đúng/Sai chỉ có hai phương án “Đúng” và “Sai”.` });
      }
    } else if (type === "essay") {
      if (d.options.length) type = "single";
    }
    if (type === "single" || type === "multiple") {
      const weight = type === "multiple" && correct.length ? 1 / correct.length : 1;
      q.options = d.options.map((o) => ({ text: o.text, fraction: correct.includes(o.letter) ? weight : 0 }));
      // Letters out of order ("A, B, D") hint at a lost option.
      const expected = d.options.map((_, k) => String.fromCharCode(65 + k)).join("");
      if (letters.join("") !== expected) {
        issues.push({
          line: d.para,
          severity: "warning",
          message: `${where}: các phương án được đánh ${letters.join(", ")}, không liên tục từ A; hãy kiểm tra có thiếu phương án không.`,
        });
      }
    }
    q.type = type;
    questions.push(q);
  }
  return { questions, issues, unsupported: [] };
}
