// GIFT (Moodle's "General Import Format Template") reader and writer.
//
// Follows Moodle's own qformat_gift rules so a file that imports in Moodle imports here
// the same way: questions are separated by blank lines; `//` lines are comments (and may
// carry `[id:…]` and `[tag:…]` as in Moodle 4); `$CATEGORY:` switches category; `::title::`;
// `[html]`/`[plain]`/`[markdown]`/`[moodle]` format markers; escapes `\~ \= \# \{ \} \: \\`
// and `\n`; the answer block is the first `{…}`: `=` right, `~` wrong, `~%50%` weights
// (negative too), `#feedback` per answer, `####` general feedback; `{T}`/`{TRUE}`/`{F}`/
// `{FALSE}` with `#wrong#right` feedback; `{}` essay.
//
// Two leniencies Moodle lacks (both common in hand-written files): a blank line inside an
// open `{…}` does not end the question when the next line continues the answers, and a
// `$CATEGORY:` line may be followed by its first question without a blank line between.

import type { ImportedOption, ImportedQuestion, ParseIssue, ParseResult, Unsupported } from "./model";
import { FALSE_TEXT, TRUE_TEXT } from "./model";
import { describeRemoved, escapeText, htmlToText, isTrivialHtml, sanitiseHtml } from "./html";
import { applyMetaLabels, cleanCategory, fractionToPercent, metaTags, percentToFraction } from "./normalise";

// Escaped control characters are swapped for private-use placeholders before parsing
// (as Moodle swaps them for "&&058;"…), then restored in every text we keep.
const ESCAPES: Record<string, string> = {
  ":": "\ue001",
  "#": "\ue002",
  "=": "\ue003",
  "{": "\ue004",
  "}": "\ue005",
  "~": "\ue006",
  n: "\ue007",
  "\\": "\ue008",
};
const RESTORE: Record<string, string> = {
  "\ue001": ":",
  "\ue002": "#",
  "\ue003": "=",
  "\ue004": "{",
  "\ue005": "}",
  "\ue006": "~",
  "\ue007": "\n",
  "\ue008": "\\",
};
function escapePre(s: string): string {
  return s.replace(/\\([:#={}~n\\])/g, (_, c: string) => ESCAPES[c]);
}
function escapePost(s: string): string {
  return s.replace(/[\ue001-\ue008]/g, (c) => RESTORE[c]);
}

type TextFormat = "moodle" | "html" | "plain" | "markdown";

/** Strip a leading [format] marker (only the four Moodle knows; anything else stays as text). */
function splitFormat(s: string, fallback: TextFormat): { format: TextFormat; text: string } {
  const m = /^\s*\[(moodle|html|plain|markdown)\]/.exec(s);
  return m ? { format: m[1] as TextFormat, text: s.slice(m[0].length) } : { format: fallback, text: s };
}

interface Line {
  no: number;
  text: string;
}

/** Lines that continue an open answer block after a blank line. */
const ANSWER_CONTINUATION = /^\s*[=~}#%]/;

function countBraces(s: string): number {
  const t = escapePre(s);
  let depth = 0;
  for (const ch of t) {
    if (ch === "{") depth++;
    else if (ch === "}") depth = Math.max(0, depth - 1);
  }
  return depth;
}

function splitBlocks(text: string): Line[][] {
  const lines = text.replace(/^\ufeff/, "").split(/\r\n|\r|\n/);
  const blocks: Line[][] = [];
  let current: Line[] = [];
  let open = 0; // brace depth of the current block (comments excluded)
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    if (raw.trim() === "") {
      if (current.length === 0) continue;
      if (open > 0) {
        // Keep the block open only if the next non-blank line continues the answers.
        let j = i + 1;
        while (j < lines.length && lines[j].trim() === "") j++;
        if (j < lines.length && ANSWER_CONTINUATION.test(lines[j])) continue;
      }
      blocks.push(current);
      current = [];
      open = 0;
      continue;
    }
    current.push({ no: i + 1, text: raw.trim() });
    open = countBraces(
      current
        .filter((l) => !l.text.startsWith("//"))
        .map((l) => l.text)
        .join("\n"),
    );
  }
  if (current.length) blocks.push(current);
  return blocks;
}

interface CommentMeta {
  code?: string;
  tags: string[];
  source?: string;
}

/** Moodle 4 comment conventions `[id:…]`, `[tag:…]` (with `\]` escaping) plus our `// Nguồn: …`. */
function parseComments(comments: string[]): CommentMeta {
  const meta: CommentMeta = { tags: [] };
  const all = comments.join("\n");
  // eslint-disable-next-line no-control-regex -- control characters end an id on purpose
  const id = /\[id:((?:\\\]|[^\][\u0000-\u001f])+)\]/.exec(all);
  if (id) meta.code = id[1].replace(/\\\]/g, "]").trim();
  // eslint-disable-next-line no-control-regex -- control characters end a tag on purpose
  for (const m of all.matchAll(/\[tag:((?:\\\]|[^\][\u0000-\u001f])+)\]/g)) meta.tags.push(m[1].replace(/\\\]/g, "]").trim());
  for (const c of comments) {
    const s = /^\s*(?:Nguồn|Nguon|Source)\s*:\s*(.+)$/i.exec(c);
    if (s) meta.source = s[1].trim();
  }
  return meta;
}

const CLOZE_RE =
  /^\s*\d*\s*:\s*(MULTICHOICE|MULTICHOICE_[A-Z]+|MC[A-Z]*|SHORTANSWER[_A-Z]*|SA|MW|NUMERICAL|NM|MULTIRESPONSE[_A-Z]*|MR[A-Z]*)\s*:/i;

export function parseGift(text: string): ParseResult {
  const questions: ImportedQuestion[] = [];
  const issues: ParseIssue[] = [];
  const unsupported: Unsupported[] = [];
  let category: string | undefined;

  for (const block of splitBlocks(text)) {
    const comments = block.filter((l) => l.text.startsWith("//")).map((l) => l.text.replace(/^\/\/\s?/, ""));
    let body = block.filter((l) => !l.text.startsWith("//"));
    if (body.length === 0) continue;

    // $CATEGORY: — the rest of its line; what follows in the same block is a question.
    if (/^\$CATEGORY:/i.test(body[0].text)) {
      category = cleanCategory(escapePost(escapePre(body[0].text.slice(10))));
      body = body.slice(1);
      if (body.length === 0) continue;
    }

    const line = body[0].no;
    const lineOf = (offset: number, s: string): number => {
      // Line number of a character offset in the joined block text.
      const before = s.slice(0, offset).split("\n").length - 1;
      return body[Math.min(before, body.length - 1)].no;
    };
    let t = escapePre(body.map((l) => l.text).join("\n"));
    const meta = parseComments(comments);

    // ::title::
    let name: string | undefined;
    if (t.startsWith("::")) {
      const end = t.indexOf("::", 2);
      if (end < 0) {
        issues.push({
          line,
          severity: "warning",
          message: `Dòng ${line}: tiêu đề bắt đầu bằng “::” nhưng thiếu “::” đóng; đã bỏ qua tiêu đề.`,
        });
        t = t.slice(2);
      } else {
        name = escapePost(t.slice(2, end)).trim() || undefined;
        t = t.slice(end + 2).trim();
      }
    }

    const open = t.indexOf("{");
    const close = t.indexOf("}");
    if (open < 0 && close < 0) {
      unsupported.push({ line, kind: "description", ...(name ? { name } : {}) });
      continue;
    }
    if (open < 0 || close < 0 || close < open) {
      const missingOpen = close >= 0 && (open < 0 || close < open);
      const at = lineOf(missingOpen ? close : open, t);
      issues.push({
        line: at,
        severity: "error",
        message: missingOpen
          ? `Dòng ${at}: có dấu “}” nhưng thiếu dấu “{” mở phần đáp án. Nếu “}” là chữ trong câu hỏi, hãy viết “\\}”.`
          : `Dòng ${at}: thiếu dấu “}” đóng phần đáp án (mở bằng “{”). Nếu “{” là chữ trong câu hỏi, hãy viết “\\{”.`,
      });
      continue;
    }
    const after = t.slice(close + 1);
    let answerText = t.slice(open + 1, close).trim();
    if (after.includes("{") || CLOZE_RE.test(answerText)) {
      unsupported.push({ line, kind: "cloze", ...(name ? { name } : {}) });
      continue;
    }
    if (after.trim() !== "") {
      unsupported.push({ line, kind: "missing_word", ...(name ? { name } : {}) });
      continue;
    }

    // General feedback: after the last ####.
    let generalFeedback: string | undefined;
    const gf = answerText.lastIndexOf("####");
    if (gf >= 0) {
      generalFeedback = answerText.slice(gf + 4);
      answerText = answerText.slice(0, gf).trim();
    }

    const stemPart = splitFormat(t.slice(0, open).trim(), "moodle");
    const isHtml = stemPart.format === "html";
    // Texts inside an [html] question are HTML too; options and feedback are kept as plain text.
    const toPlain = (s: string): string => {
      const { text: inner, format } = splitFormat(s.trim(), stemPart.format);
      const restored = escapePost(inner).trim();
      return format === "html" ? htmlToText(restored) : restored;
    };

    const q: ImportedQuestion = {
      line,
      type: "single",
      stem: "",
      stemFormat: "plain",
      options: [],
      tags: meta.tags,
      images: [],
      ...(name ? { name } : {}),
      ...(category ? { category } : {}),
      ...(meta.code ? { code: meta.code } : {}),
      ...(meta.source ? { source: meta.source } : {}),
    };
    const stemText = escapePost(stemPart.text).trim();
    if (isHtml) {
      const clean = sanitiseHtml(stemText);
      const removed = describeRemoved(clean.removed);
      if (removed)
        issues.push({ line, severity: "warning", message: `Dòng ${line}: đã bỏ phần HTML không an toàn trong câu hỏi (${removed}).` });
      if (isTrivialHtml(clean.html)) q.stem = htmlToText(clean.html);
      else {
        q.stem = clean.html;
        q.stemFormat = "html";
      }
    } else {
      q.stem = stemText;
    }
    if (generalFeedback !== undefined) {
      const g = toPlain(generalFeedback);
      if (g) q.explanation = g;
    }

    // Question type, in Moodle's order of checks.
    const tfCheck = (answerText.includes("#") ? answerText.slice(0, answerText.indexOf("#")) : answerText).trim().toUpperCase();
    if (answerText === "") {
      q.type = "essay";
    } else if (answerText.startsWith("#")) {
      unsupported.push({ line, kind: "numerical", ...(name ? { name } : {}) });
      continue;
    } else if (answerText.includes("~")) {
      q.type = answerText.includes("=") ? "single" : "multiple";
      const pieces = answerText.replace(/=/g, "~=").split("~");
      const lead = pieces.shift()!.trim();
      if (lead !== "") {
        issues.push({
          line,
          severity: "error",
          message: `Dòng ${line}: có chữ “${escapePost(lead).slice(0, 40)}” trước phương án đầu tiên; mỗi phương án phải bắt đầu bằng “=” (đúng) hoặc “~” (sai).`,
        });
      }
      for (const raw of pieces) {
        let a = raw.trim();
        let fraction = 0;
        if (a.startsWith("=")) {
          fraction = 1;
          a = a.slice(1).trim();
        }
        const w = /^%\s*([-+]?\d+(?:[.,]\d+)?)\s*%/.exec(a);
        if (w) {
          fraction = percentToFraction(w[1]) ?? 0;
          a = a.slice(w[0].length);
        }
        const hash = a.indexOf("#");
        const opt: ImportedOption = { text: toPlain(hash >= 0 ? a.slice(0, hash) : a), fraction };
        if (hash >= 0) {
          const fb = toPlain(a.slice(hash + 1));
          if (fb) opt.feedback = fb;
        }
        q.options.push(opt);
      }
    } else if (answerText.includes("=") && answerText.includes("->")) {
      unsupported.push({ line, kind: "matching", ...(name ? { name } : {}) });
      continue;
    } else if (["T", "TRUE", "F", "FALSE"].includes(tfCheck)) {
      q.type = "true_false";
      // Moodle: explode('#', …, 3) → answer, feedback when wrong, feedback when right.
      const bits = answerText.split("#");
      const isTrue = tfCheck.startsWith("T");
      const wrongFb = toPlain(bits[1] ?? "");
      const rightFb = toPlain(bits.slice(2).join("#"));
      const t1: ImportedOption = { text: TRUE_TEXT, fraction: isTrue ? 1 : 0 };
      const f1: ImportedOption = { text: FALSE_TEXT, fraction: isTrue ? 0 : 1 };
      const trueFb = isTrue ? rightFb : wrongFb;
      const falseFb = isTrue ? wrongFb : rightFb;
      if (trueFb) t1.feedback = trueFb;
      if (falseFb) f1.feedback = falseFb;
      q.options = [t1, f1];
    } else {
      unsupported.push({ line, kind: "short_answer", ...(name ? { name } : {}) });
      continue;
    }

    applyMetaLabels(q);
    questions.push(q);
  }
  return { questions, issues, unsupported };
}

// ---------------------------------------------------------------------------
// Writer
// ---------------------------------------------------------------------------

/** Moodle's repchar: escape the control characters and turn newlines into \n. */
function esc(s: string): string {
  return s.replace(/[\\#=~{}:]/g, (c) => `\\${c}`).replace(/\r?\n/g, "\\n");
}

function weight(f: number): string {
  return `%${fractionToPercent(f)}%`;
}

export function toGift(questions: ImportedQuestion[]): string {
  const out: string[] = ["// Ngân hàng câu hỏi — xuất từ Bồi Dưỡng (định dạng GIFT của Moodle, UTF-8)", ""];
  let category: string | undefined;
  for (const q of questions) {
    if ((q.category ?? "") !== (category ?? "")) {
      category = q.category;
      out.push(`$CATEGORY: $course$/top${category ? `/${category}` : ""}`, "");
    }
    const html = q.stemFormat === "html";
    // Inside an [html] question Moodle reads every text as HTML: escape plain texts for it.
    const text = (s: string) => esc(html ? escapeText(s).replace(/\n/g, "<br>") : s);

    const tags = metaTags(q);
    const markers = [...(q.code ? [`[id:${q.code.replace(/]/g, "\\]")}]`] : []), ...tags.map((t) => `[tag:${t.replace(/]/g, "\\]")}]`)];
    if (markers.length) out.push(`// ${markers.join(" ")}`);
    if (q.source) out.push(`// Nguồn: ${q.source.replace(/\s*\n\s*/g, " ")}`);

    let head = "";
    if (q.name) head += `::${esc(q.name)}::`;
    head += (html ? "[html]" : "") + esc(q.stem);
    const general = q.explanation ? `####${text(q.explanation)}` : "";

    switch (q.type) {
      case "essay":
        out.push(`${head}{${general}}`);
        break;
      case "true_false": {
        const tOpt = q.options.find((o) => o.text === TRUE_TEXT) ?? q.options[0];
        const fOpt = q.options.find((o) => o !== tOpt) ?? q.options[1];
        const isTrue = (tOpt?.fraction ?? 0) > 0;
        const right = (isTrue ? tOpt : fOpt)?.feedback ?? "";
        const wrong = (isTrue ? fOpt : tOpt)?.feedback ?? "";
        let body = isTrue ? "TRUE" : "FALSE";
        if (wrong) body += `#${text(wrong)}`;
        else if (right) body += "#";
        if (right) body += `#${text(right)}`;
        out.push(`${head}{${body}${general}}`);
        break;
      }
      default: {
        out.push(`${head}{`);
        for (const o of q.options) {
          const mark = q.type === "single" && o.fraction === 1 ? "=" : o.fraction === 0 ? "~" : `~${weight(o.fraction)}`;
          out.push(`\t${mark}${text(o.text)}${o.feedback ? `#${text(o.feedback)}` : ""}`);
        }
        if (general) out.push(`\t${general}`);
        out.push("}");
      }
    }
    out.push("");
  }
  return out.join("\n");
}
