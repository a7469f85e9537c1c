// Moodle XML reader and writer.
//
// Reads what Moodle's own "Export questions → Moodle XML" writes: <quiz> holding
// <question type="category"> switches and questions; multichoice (single or multiple
// answers, fractions in percent, shuffleanswers, per-answer feedback, generalfeedback),
// truefalse and essay. HTML texts (usually in CDATA) are sanitised; stem images come as
// <file name=… encoding="base64"> referenced by @@PLUGINFILE@@/name. Every other Moodle
// type is listed in `unsupported` with its name and line.
//
// A malformed or truncated file gives exactly one error with a line number and nothing
// else: half a quiz is worse than none, because the lecturer would not notice what is missing.

import { XMLParser, XMLValidator } from "fast-xml-parser";
import type { ImportedImage, ImportedOption, ImportedQuestion, ParseIssue, ParseResult, Unsupported } from "./model";
import { FALSE_TEXT, TRUE_TEXT } from "./model";
import { describeRemoved, escapeHtml, escapeText, htmlToText, isTrivialHtml, plainToHtml, sanitiseHtml } from "./html";
import { applyMetaLabels, cleanCategory, defaultQuestionName, fractionToPercent, metaTags, percentToFraction } from "./normalise";

type Node = Record<string, unknown>;

const ARRAY_TAGS = new Set(["question", "answer", "file", "tag", "subquestion"]);

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}
function lineAt(starts: number[], index: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

function str(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (typeof v === "object" && "#text" in (v as Node)) return str((v as Node)["#text"]);
  return "";
}
/** The <text> child of a Moodle text element (<name>, <questiontext>, <feedback>…). */
function textOf(node: unknown): string {
  if (node === undefined || node === null) return "";
  if (typeof node !== "object") return str(node);
  return str((node as Node).text);
}
function formatOf(node: unknown): string {
  return node && typeof node === "object" ? str((node as Node)["@_format"]) : "";
}
function asArray<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}
function bool(v: unknown, fallback: boolean): boolean {
  const s = str(v).trim().toLowerCase();
  if (s === "true" || s === "1") return true;
  if (s === "false" || s === "0") return false;
  return fallback;
}

/** Any Moodle text to plain: HTML and auto-format are flattened, plain/markdown kept. */
function plainOf(node: unknown): string {
  const text = textOf(node);
  const format = formatOf(node) || "html";
  if (format === "plain_text" || format === "markdown") return text.trim();
  if (format === "moodle_auto_format" && !/<[a-z!/]/i.test(text)) return text.trim();
  return htmlToText(text);
}

/** The largest image a question may carry (a photo of a document page fits; a poster scan does not). */
export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;

/**
 * The image type of a file from its first bytes; undefined for anything but PNG, JPEG,
 * GIF and WebP. The name and the declared type are never trusted: an SVG (which can carry
 * script) or an HTML file renamed to .png stays out.
 */
export function imageMime(_name: string, data?: Uint8Array): string | undefined {
  if (!data || data.length < 12) return undefined;
  if (
    data[0] === 0x89 &&
    data[1] === 0x50 &&
    data[2] === 0x4e &&
    data[3] === 0x47 &&
    data[4] === 0x0d &&
    data[5] === 0x0a &&
    data[6] === 0x1a &&
    data[7] === 0x0a
  )
    return "image/png";
  if (data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return "image/jpeg";
  if (
    data[0] === 0x47 &&
    data[1] === 0x49 &&
    data[2] === 0x46 &&
    data[3] === 0x38 &&
    (data[4] === 0x37 || data[4] === 0x39) &&
    data[5] === 0x61
  )
    return "image/gif";
  if (
    data[0] === 0x52 &&
    data[1] === 0x49 &&
    data[2] === 0x46 &&
    data[3] === 0x46 &&
    data[8] === 0x57 &&
    data[9] === 0x45 &&
    data[10] === 0x42 &&
    data[11] === 0x50
  )
    return "image/webp";
  return undefined;
}

function safeDecodeUri(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const SUPPORTED = new Set(["multichoice", "truefalse", "essay"]);

export function parseMoodleXml(text: string): ParseResult {
  const questions: ImportedQuestion[] = [];
  const issues: ParseIssue[] = [];
  const unsupported: Unsupported[] = [];
  const source = text.replace(/^\ufeff/, "");
  const fail = (line: number, message: string): ParseResult => ({
    questions: [],
    issues: [{ line, severity: "error", message }],
    unsupported: [],
  });

  // Entity declarations are how "billion laughs" attacks work, and Moodle never writes them.
  const doctype = /<!(DOCTYPE|ENTITY)\b/i.exec(source);
  if (doctype) {
    return fail(
      lineAt(lineStarts(source), doctype.index),
      `Dòng ${lineAt(lineStarts(source), doctype.index)}: tệp XML có khai báo <!${doctype[1].toUpperCase()}>, không được chấp nhận. Hãy xuất lại tệp từ Moodle (Ngân hàng câu hỏi → Xuất → Moodle XML).`,
    );
  }

  const valid = XMLValidator.validate(source);
  if (valid !== true) {
    const err = valid.err;
    const starts = lineStarts(source);
    // fast-xml-parser reports unclosed tags at the end of a truncated file as line 1;
    // the useful place to point at is where the file stops.
    const truncated = /^Invalid '\[/.test(err.msg) || /Unclosed|unexpected end/i.test(err.msg);
    let line = err.line;
    if (truncated) {
      line = starts.length;
      while (line > 1 && source.slice(starts[line - 1]).trim() === "") line--;
    }
    const unclosed = truncated
      ? [...err.msg.matchAll(/"([^"]+)"/g)]
          .map((m) => `</${m[1]}>`)
          .reverse()
          .join(", ")
      : "";
    return fail(
      line,
      truncated
        ? `Dòng ${line}: tệp XML bị cắt cụt hoặc thiếu thẻ đóng${unclosed ? ` (${unclosed})` : ""}. Có thể tệp tải về chưa hết; hãy xuất lại từ Moodle và tải lên lại.`
        : `Dòng ${line}, cột ${err.col}: tệp XML bị lỗi cú pháp (${err.msg}). Hãy sửa dòng này hoặc xuất lại tệp từ Moodle.`,
    );
  }

  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@_",
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    cdataPropName: false,
    captureMetaData: true,
    isArray: (name) => ARRAY_TAGS.has(name),
  });
  const doc = parser.parse(source) as Node;
  const quiz = doc.quiz as Node | string | undefined;
  if (quiz === undefined) {
    return fail(
      1,
      "Dòng 1: tệp XML không phải định dạng Moodle XML (không có thẻ <quiz>). Hãy xuất câu hỏi từ Moodle theo định dạng “Moodle XML”.",
    );
  }
  const meta = XMLParser.getMetaDataSymbol();
  const starts = lineStarts(source);
  let category: string | undefined;

  for (const qn of asArray((typeof quiz === "object" ? quiz.question : undefined) as Node[] | undefined)) {
    const m = (qn as unknown as Record<symbol, { startIndex?: number }>)[meta as unknown as symbol];
    const line = m?.startIndex !== undefined ? lineAt(starts, m.startIndex) : 1;
    const type = str(qn["@_type"]).trim().toLowerCase();
    const name = textOf(qn.name).trim() || undefined;

    if (type === "category") {
      category = cleanCategory(textOf(qn.category));
      continue;
    }
    if (!SUPPORTED.has(type)) {
      unsupported.push({ line, kind: type || "unknown", ...(name ? { name } : {}) });
      continue;
    }

    const q: ImportedQuestion = { line, type: "single", stem: "", stemFormat: "plain", options: [], tags: [], images: [] };

    // Stem: sanitised HTML, stored as plain text when it is only paragraphs.
    const qt = qn.questiontext;
    const qtFormat = formatOf(qt) || "html";
    const rawStem = textOf(qt);
    if (qtFormat === "html" || (qtFormat === "moodle_auto_format" && /<[a-z!/]/i.test(rawStem))) {
      const clean = sanitiseHtml(rawStem);
      const removed = describeRemoved(clean.removed);
      if (removed)
        issues.push({
          line,
          severity: "warning",
          message: `Dòng ${line}: đã bỏ phần HTML không an toàn trong nội dung câu hỏi (${removed}).`,
        });
      let html = clean.html;
      // Files: keep those the stem references; drop <img> whose file is missing or not an image.
      const files = new Map<string, Node>();
      for (const f of asArray((qt as Node | undefined)?.file as Node[] | undefined)) files.set(str(f["@_name"]), f);
      html = html.replace(/<img\b[^>]*\bsrc="@@PLUGINFILE@@\/([^"]*)"[^>]*>/gi, (tag, ref: string) => {
        const fname = safeDecodeUri(ref.replace(/&amp;/g, "&"));
        const f = files.get(fname) ?? files.get(fname.split("/").pop() ?? "");
        if (!f) {
          issues.push({
            line,
            severity: "warning",
            message: `Dòng ${line}: câu hỏi dùng hình “${fname}” nhưng tệp XML không kèm hình này; đã bỏ hình.`,
          });
          return "";
        }
        if (q.images.some((i) => i.name === str(f["@_name"]))) return tag;
        const data = new Uint8Array(Buffer.from(str(f).replace(/\s+/g, ""), "base64"));
        const mime = imageMime(str(f["@_name"]), data);
        if (!mime) {
          issues.push({
            line,
            severity: "warning",
            message: `Dòng ${line}: tệp “${fname}” không phải hình PNG/JPEG/GIF/WebP nên đã bị bỏ.`,
          });
          return "";
        }
        if (data.length > MAX_IMAGE_BYTES) {
          issues.push({
            line,
            severity: "warning",
            message: `Dòng ${line}: hình “${fname}” lớn hơn 2 MB nên đã bị bỏ; hãy thu nhỏ hình rồi nhập lại.`,
          });
          return "";
        }
        const image: ImportedImage = { name: str(f["@_name"]), mime, data };
        q.images.push(image);
        return tag;
      });
      if (isTrivialHtml(html)) q.stem = htmlToText(html);
      else {
        q.stem = html;
        q.stemFormat = "html";
      }
    } else {
      q.stem = rawStem.trim();
    }

    const explanation = plainOf(qn.generalfeedback);
    if (explanation) q.explanation = explanation;
    const code = str(qn.idnumber).trim();
    if (code) q.code = code;
    if (name && name !== defaultQuestionName(q.stem, q.stemFormat)) q.name = name;
    if (category) q.category = category;
    q.tags = asArray((qn.tags as Node | undefined)?.tag as Node[] | undefined)
      .map((t) => textOf(t).trim())
      .filter(Boolean);

    const answers = asArray(qn.answer as Node[] | undefined);
    const answerHasFiles = answers.some((a) => asArray((a as Node).file as Node[]).length > 0 || /@@PLUGINFILE@@/.test(textOf(a)));
    if (answerHasFiles) {
      issues.push({
        line,
        severity: "warning",
        message: `Dòng ${line}: hình ảnh trong phương án trả lời không được hỗ trợ và đã bị bỏ; hãy đưa hình vào nội dung câu hỏi.`,
      });
    }
    const option = (a: Node, text?: string): ImportedOption => {
      const fraction = percentToFraction(str(a["@_fraction"]) || "0");
      if (fraction === undefined) {
        issues.push({
          line,
          severity: "error",
          message: `Dòng ${line}: điểm phương án “${str(a["@_fraction"])}” không phải là số (fraction phải là phần trăm, ví dụ 100, 50, -25).`,
        });
      }
      const o: ImportedOption = { text: text ?? plainOf(a), fraction: fraction ?? 0 };
      const fb = plainOf(a.feedback);
      if (fb) o.feedback = fb;
      return o;
    };

    if (type === "multichoice") {
      q.type = bool(qn.single, true) ? "single" : "multiple";
      if (qn.shuffleanswers !== undefined) q.shuffleAnswers = bool(qn.shuffleanswers, true);
      q.options = answers.map((a) => option(a));
    } else if (type === "truefalse") {
      q.type = "true_false";
      const isTrue = (a: Node) => /^(true|đúng|dung|t|1)$/i.test(plainOf(a).trim());
      const t = answers.find(isTrue);
      const f = answers.find((a) => a !== t);
      if (!t || !f) {
        issues.push({ line, severity: "error", message: `Dòng ${line}: câu Đúng/Sai phải có hai phương án “true” và “false”.` });
      }
      q.options = [
        t ? option(t, TRUE_TEXT) : { text: TRUE_TEXT, fraction: 0 },
        f ? option(f, FALSE_TEXT) : { text: FALSE_TEXT, fraction: 0 },
      ];
    } else {
      q.type = "essay";
    }
    applyMetaLabels(q);
    questions.push(q);
  }
  return { questions, issues, unsupported };
}

// ---------------------------------------------------------------------------
// Writer
// ---------------------------------------------------------------------------

function cdata(s: string): string {
  return `<![CDATA[${s.replace(/]]>/g, "]]]]><![CDATA[>")}]]>`;
}
function xmlText(s: string): string {
  return /[<>&]/.test(s) ? cdata(s) : s;
}
function xmlAttr(s: string): string {
  return escapeHtml(s).replace(/'/g, "&apos;");
}

export function toMoodleXml(questions: ImportedQuestion[]): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"];
  let category: string | undefined;
  let n = 0;
  for (const q of questions) {
    if ((q.category ?? "") !== (category ?? "")) {
      category = q.category;
      out.push(
        `<!-- question: 0  -->`,
        `  <question type="category">`,
        `    <category>`,
        `      <text>${xmlText(`$course$/top${category ? `/${category}` : ""}`)}</text>`,
        `    </category>`,
        `    <info format="html">`,
        `      <text></text>`,
        `    </info>`,
        `  </question>`,
      );
    }
    n++;
    const mtype = q.type === "true_false" ? "truefalse" : q.type === "essay" ? "essay" : "multichoice";
    const stemHtml = q.stemFormat === "html" ? q.stem : plainToHtml(q.stem);
    const referenced = q.images.filter(
      (img) => stemHtml.includes(`@@PLUGINFILE@@/${img.name}`) || stemHtml.includes(`@@PLUGINFILE@@/${encodeURIComponent(img.name)}`),
    );
    const html = (s: string) => xmlText(escapeText(s).replace(/\n/g, "<br>"));
    out.push(
      `<!-- question: ${n}  -->`,
      `  <question type="${mtype}">`,
      `    <name>`,
      `      <text>${xmlText(q.name ?? defaultQuestionName(q.stem, q.stemFormat))}</text>`,
      `    </name>`,
      `    <questiontext format="html">`,
      `      <text>${cdata(stemHtml)}</text>`,
      ...referenced.map(
        (img) => `      <file name="${xmlAttr(img.name)}" path="/" encoding="base64">${Buffer.from(img.data).toString("base64")}</file>`,
      ),
      `    </questiontext>`,
      `    <generalfeedback format="html">`,
      `      <text>${q.explanation ? html(q.explanation) : ""}</text>`,
      `    </generalfeedback>`,
      `    <defaultgrade>1.0000000</defaultgrade>`,
      `    <penalty>${q.type === "true_false" ? "1.0000000" : "0.3333333"}</penalty>`,
      `    <hidden>0</hidden>`,
      `    <idnumber>${q.code ? xmlText(q.code) : ""}</idnumber>`,
    );
    if (mtype === "multichoice") {
      out.push(
        `    <single>${q.type === "single" ? "true" : "false"}</single>`,
        `    <shuffleanswers>${q.shuffleAnswers === false ? "false" : "true"}</shuffleanswers>`,
        `    <answernumbering>ABCD</answernumbering>`,
        `    <showstandardinstruction>0</showstandardinstruction>`,
        `    <correctfeedback format="html"><text></text></correctfeedback>`,
        `    <partiallycorrectfeedback format="html"><text></text></partiallycorrectfeedback>`,
        `    <incorrectfeedback format="html"><text></text></incorrectfeedback>`,
      );
    }
    if (mtype === "essay") {
      out.push(
        `    <responseformat>editor</responseformat>`,
        `    <responserequired>1</responserequired>`,
        `    <responsefieldlines>15</responsefieldlines>`,
        `    <attachments>0</attachments>`,
        `    <attachmentsrequired>0</attachmentsrequired>`,
        `    <graderinfo format="html"><text></text></graderinfo>`,
        `    <responsetemplate format="html"><text></text></responsetemplate>`,
      );
    }
    for (const o of q.options) {
      const text =
        mtype === "truefalse" ? (o.text === TRUE_TEXT || (o === q.options[0] && o.text !== FALSE_TEXT) ? "true" : "false") : o.text;
      out.push(
        `    <answer fraction="${fractionToPercent(o.fraction)}" format="${mtype === "truefalse" ? "moodle_auto_format" : "html"}">`,
        `      <text>${mtype === "truefalse" ? text : html(text)}</text>`,
        `      <feedback format="html">`,
        `        <text>${o.feedback ? html(o.feedback) : ""}</text>`,
        `      </feedback>`,
        `    </answer>`,
      );
    }
    const tags = metaTags(q);
    if (tags.length) {
      out.push(`    <tags>`, ...tags.map((t) => `      <tag><text>${xmlText(t)}</text></tag>`), `    </tags>`);
    }
    out.push(`  </question>`);
  }
  out.push("</quiz>", "");
  return out.join("\n");
}
