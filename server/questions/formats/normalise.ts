// Text normalisation shared by every format, Vietnamese label parsing, and near-duplicate search.
//
// Why NFC everywhere: the same Vietnamese word can arrive precomposed ("ả" = U+1EA3) or
// decomposed ("a" + U+0309) depending on the editor/OS (macOS, Windows-1258 files, some
// Word versions). Without NFC, equal questions would not compare equal and search would miss.

import type { ImportedQuestion, Level } from "./model";
import { LEVEL_LABELS } from "./model";
import { htmlToText, sanitiseHtml } from "./html";
import { parseUse, USE_LABELS } from "../use";

export function nfc(s: string): string {
  return s.normalize("NFC");
}

// Zero-width characters and the BOM: invisible, break matching, never meaningful in a question.
const INVISIBLE_RE = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;
// Every Unicode space except newline becomes an ordinary space (NBSP from Word/HTML mostly).
const SPACES_RE = /[\t\v\f\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+/g;

/** NFC, unified newlines and spaces, each line trimmed, blank lines removed, outer trim. Keeps line structure. */
export function cleanText(s: string): string {
  return nfc(s)
    .replace(/\r\n?|\u2028|\u2029/g, "\n")
    .replace(INVISIBLE_RE, "")
    .replace(SPACES_RE, " ")
    .split("\n")
    .map((l) => l.replace(/ {2,}/g, " ").trim())
    .join("\n")
    .replace(/\n{2,}/g, "\n") // blank lines carry no meaning in a question and no format keeps them alike
    .trim();
}

/** cleanText on one line: for option texts, names, tags, categories. */
export function cleanInline(s: string): string {
  return cleanText(s).replace(/\s*\n\s*/g, " ");
}

/** Remove Vietnamese (and other Latin) diacritics, đ→d: for lenient label matching and duplicate keys. */
export function foldDiacritics(s: string): string {
  return s
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .normalize("NFC");
}

/** Lower-case, diacritic-free, single-spaced key for matching labels and headers. */
export function labelKey(s: string): string {
  return foldDiacritics(cleanInline(s)).toLowerCase().replace(/\s+/g, " ").trim();
}

const LEVEL_KEYS: [RegExp, Level][] = [
  [/^(nhan biet|nb|nhan_biet|biet|muc 1|muc do 1|1)$/, "nhan_biet"],
  [/^(thong hieu|th|thong_hieu|hieu|muc 2|muc do 2|2)$/, "thong_hieu"],
  [/^(van dung|vd|van_dung|van dung thap|van dung cao|vdc|muc 3|muc do 3|3)$/, "van_dung"],
];

/** "Nhận biết" / "nhan biet" / "NB" / "nhan_biet" → Level. */
export function parseLevel(label: string | undefined | null): Level | undefined {
  if (!label) return undefined;
  const k = labelKey(label).replace(/^muc do\s*:?\s*/, "");
  for (const [re, level] of LEVEL_KEYS) if (re.test(k)) return level;
  return undefined;
}

/** "Bài 2", "bai 02", "Bài 2: Cương lĩnh…", "2" → 2. */
export function parseLesson(label: string | number | undefined | null): number | undefined {
  if (label === undefined || label === null) return undefined;
  if (typeof label === "number") return Number.isInteger(label) && label > 0 ? label : undefined;
  const k = labelKey(label);
  const m = /^(?:bai\s*(?:so\s*)?:?\s*)?0*(\d{1,3})(?:\s*$|\s*[.:\-–—)]|\s+\D)/.exec(k);
  if (!m) return undefined;
  // A bare number is only a lesson when it is the whole label (avoid "2011 …").
  if (!k.startsWith("bai") && !/^\d{1,3}$/.test(k)) return undefined;
  const n = Number(m[1]);
  return n > 0 ? n : undefined;
}

/** A label that names a lesson or a level ("Bài 2", "Nhận biết"): these tags are consumed into fields. */
export function isMetaLabel(label: string): boolean {
  return /^bai\s*\d/.test(labelKey(label)) || parseLevel(label) !== undefined;
}

/**
 * Fill lesson/level from a category path ("HD61/Bài 2/Nhận biết") and from tags.
 * Tags that name a lesson or level are moved into the fields (so a round trip does not
 * duplicate them); a tag wins over the category when both say something.
 */
export function applyMetaLabels(q: ImportedQuestion): void {
  if (q.category) {
    q.lesson ??= lessonFromCategory(q.category);
    for (const part of q.category.split("/")) q.level ??= parseLevel(part);
  }
  const rest: string[] = [];
  for (const tag of q.tags) {
    const lesson = /^bai\s*\d/.test(labelKey(tag)) ? parseLesson(tag) : undefined;
    const level = parseLevel(tag);
    const use = parseUseTag(tag);
    if (lesson !== undefined) q.lesson = lesson;
    else if (level !== undefined) q.level = level;
    else if (use) q.use = use;
    else rest.push(tag);
  }
  q.tags = rest;
}

/** The use tag of GIFT and Moodle XML ("Sử dụng: Thi"): a tag, so older importers keep it as a plain tag. */
export function parseUseTag(tag: string): "practice" | "exam" | "both" | undefined {
  const m = /^su dung\s*:\s*(.+)$/.exec(labelKey(tag));
  return m ? (parseUse(m[1]) ?? undefined) : undefined;
}

/**
 * Tags to write for formats that carry lesson/level only as tags (GIFT, Moodle XML):
 * "Bài N" unless the category already names that lesson, and the level label.
 */
export function metaTags(q: ImportedQuestion): string[] {
  const tags = [...q.tags];
  if (q.lesson !== undefined && lessonFromCategory(q.category) !== q.lesson) tags.unshift(`Bài ${q.lesson}`);
  if (q.level) tags.push(LEVEL_LABELS[q.level]);
  if (q.use && q.use !== "both") tags.push(`Sử dụng: ${USE_LABELS[q.use]}`);
  return tags;
}

/** The name Moodle formats need when a question has none; recognised and dropped again on import. */
export function defaultQuestionName(stem: string, stemFormat: "plain" | "html"): string {
  const text = (stemFormat === "html" ? htmlToText(stem) : stem).replace(/\s+/g, " ").trim();
  return text.length > 60 ? `${text.slice(0, 59).trimEnd()}…` : text;
}

/** The lesson named by a category path component ("HD61/Bài 2" → 2). */
export function lessonFromCategory(category: string | undefined): number | undefined {
  for (const part of (category ?? "").split("/")) {
    if (/^bai\s*\d/.test(labelKey(part))) {
      const n = parseLesson(part);
      if (n !== undefined) return n;
    }
  }
  return undefined;
}

/** Strip a Moodle context prefix: "$course$/top/HD61/Bài 2" → "HD61/Bài 2". */
export function cleanCategory(path: string): string | undefined {
  const parts = cleanInline(path)
    .replace(/^\$[a-z]+\$\/?/i, "")
    .split("/")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  if (parts[0]?.toLowerCase() === "top") parts.shift();
  return parts.length ? parts.join("/") : undefined;
}

/** Apply NFC + whitespace cleanup to every text field of a question (in place). */
export function normaliseQuestion(q: ImportedQuestion): ImportedQuestion {
  // HTML is sanitised again whatever its origin: cheap, idempotent, and the one place that guarantees it.
  q.stem = q.stemFormat === "html" ? sanitiseHtml(nfc(q.stem).replace(INVISIBLE_RE, "")).html : cleanText(q.stem);
  if (q.name !== undefined) q.name = cleanInline(q.name) || undefined;
  if (q.name === undefined) delete q.name;
  q.options = q.options.map((o) => {
    const opt = { ...o, text: cleanText(o.text) };
    if (opt.feedback !== undefined) {
      opt.feedback = cleanText(opt.feedback);
      if (!opt.feedback) delete opt.feedback;
    }
    return opt;
  });
  for (const key of ["explanation", "source", "category", "code"] as const) {
    const v = q[key];
    if (v !== undefined) {
      const c = key === "explanation" ? cleanText(v) : cleanInline(v);
      if (c) q[key] = c;
      else delete q[key];
    }
  }
  q.tags = [...new Set(q.tags.map(cleanInline).filter(Boolean))];
  return q;
}

// ---------------------------------------------------------------------------
// Near-duplicate search
// ---------------------------------------------------------------------------

export interface DuplicateCandidate {
  stem: string;
  stemFormat?: "plain" | "html";
  options?: { text: string }[];
}
export interface ExistingQuestion extends DuplicateCandidate {
  id?: string | number;
}
export interface NearDuplicate {
  /** Index into `candidates`. */
  candidate: number;
  /** "file": `other` indexes an earlier candidate; "bank": `other` indexes `existing`. */
  in: "file" | "bank";
  other: number;
  otherId?: string | number;
  /** 1 for identical text (case and spacing aside); ≥ threshold otherwise. */
  similarity: number;
}

function tokens(s: string): string[] {
  return s
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

function docText(c: DuplicateCandidate): string {
  const stem = c.stemFormat === "html" ? htmlToText(c.stem) : c.stem;
  // Options are part of the identity: "Chọn đáp án đúng:" alone says nothing.
  return nfc([stem, ...(c.options ?? []).map((o) => o.text)].join("\n"));
}

/** |a ∩ b| of two ascending integer arrays. */
function overlap(a: Int32Array, b: Int32Array): number {
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      n++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return n;
}
function jaccardOf(a: Int32Array, b: Int32Array): number {
  const inter = overlap(a, b);
  const union = a.length + b.length - inter;
  return union === 0 ? 1 : inter / union;
}

/**
 * Similarity of two questions: word-set Jaccard on diacritic-folded text, lowered a little
 * (at most 0.05) by how much the exact, accented words differ. So "Đảng" vs "Dang" still
 * counts as a near duplicate, a question retyped without accents scores ≈ 0.95, and only
 * identical text (case and spacing aside) reaches 1.0.
 */
export function questionSimilarity(a: DuplicateCandidate, b: DuplicateCandidate): number {
  const ids = new Map<string, number>();
  const enc = (words: string[]) => Int32Array.from(new Set(words.map((w) => ids.get(w) ?? (ids.set(w, ids.size), ids.size - 1)))).sort();
  const ta = docText(a);
  const tb = docText(b);
  const folded = jaccardOf(enc(tokens(foldDiacritics(ta))), enc(tokens(foldDiacritics(tb))));
  return Math.max(0, folded - 0.05 * (1 - jaccardOf(enc(tokens(ta)), enc(tokens(tb)))));
}

interface Doc {
  /** Folded token ids, ascending by global rarity (rarest first): for prefix filtering and merging. */
  folded: Int32Array;
  /** Exact (accented) token ids, ascending. */
  exact: Int32Array;
}

/**
 * Pairs of near-duplicate questions, within `candidates` (each against the earlier ones)
 * and between `candidates` and `existing` (the bank). Prefix filtering keeps 5,000 ×
 * 50,000 questions fast: under a common rarity order of tokens, two sets whose Jaccard
 * reaches t share one of the first |x| − ⌈t·|x|⌉ + 1 tokens of each, so only questions
 * sharing a rare prefix token are compared, after a length filter.
 */
export function findNearDuplicates(
  candidates: DuplicateCandidate[],
  existing: ExistingQuestion[] = [],
  options: { threshold?: number } = {},
): NearDuplicate[] {
  const threshold = Math.min(1, Math.max(0.01, options.threshold ?? 0.9));
  const texts = [...candidates, ...existing].map(docText);
  const foldedWords = texts.map((t) => [...new Set(tokens(foldDiacritics(t)))]);
  const exactWords = texts.map((t) => [...new Set(tokens(t))]);

  // Folded tokens get ids in order of rarity, so "ascending id" is the prefix order.
  const freq = new Map<string, number>();
  for (const ws of foldedWords) for (const w of ws) freq.set(w, (freq.get(w) ?? 0) + 1);
  const byRarity = [...freq.keys()].sort((a, b) => freq.get(a)! - freq.get(b)! || (a < b ? -1 : a > b ? 1 : 0));
  const foldedId = new Map(byRarity.map((w, i) => [w, i]));
  const exactId = new Map<string, number>();
  const docs: Doc[] = texts.map((_, i) => ({
    folded: Int32Array.from(foldedWords[i].map((w) => foldedId.get(w)!)).sort(),
    exact: Int32Array.from(exactWords[i].map((w) => exactId.get(w) ?? (exactId.set(w, exactId.size), exactId.size - 1))).sort(),
  }));
  const nc = candidates.length;
  const prefixLen = (d: Doc) => Math.min(d.folded.length, d.folded.length - Math.ceil(threshold * d.folded.length) + 1);

  // Inverted index over prefixes: token id → [doc, position] pairs (candidates 0..nc-1, bank nc..).
  const index = new Map<number, number[]>();
  const add = (doc: number) => {
    const d = docs[doc];
    for (let k = 0, p = prefixLen(d); k < p; k++) {
      let list = index.get(d.folded[k]);
      if (!list) index.set(d.folded[k], (list = []));
      list.push(doc, k);
    }
  };
  for (let b = nc; b < docs.length; b++) add(b);

  const results: NearDuplicate[] = [];
  const seenBy = new Int32Array(docs.length).fill(-1);
  for (let ci = 0; ci < nc; ci++) {
    const d = docs[ci];
    if (d.folded.length === 0) continue;
    const n = d.folded.length;
    for (let k = 0, p = prefixLen(d); k < p; k++) {
      const list = index.get(d.folded[k]);
      if (!list) continue;
      for (let e = 0; e < list.length; e += 2) {
        const other = list[e];
        if (seenBy[other] === ci) continue;
        seenBy[other] = ci;
        const o = docs[other];
        const m = o.folded.length;
        if (m < threshold * n || n < threshold * m) continue; // length filter
        // Positional filter (PPJoin): this is the first shared token, at k in x and list[e+1]
        // in y, so everything shared lies after it in both.
        const needed = Math.ceil((threshold / (1 + threshold)) * (n + m) - 1e-9);
        if (1 + Math.min(n - k - 1, m - list[e + 1] - 1) < needed) continue;
        const folded = jaccardOf(d.folded, o.folded);
        if (folded < threshold) continue;
        const s = Math.max(0, folded - 0.05 * (1 - jaccardOf(d.exact, o.exact)));
        if (s < threshold) continue;
        const similarity = Math.round(s * 1000) / 1000;
        if (other >= nc) {
          const id = existing[other - nc].id;
          results.push({ candidate: ci, in: "bank", other: other - nc, ...(id !== undefined ? { otherId: id } : {}), similarity });
        } else {
          results.push({ candidate: ci, in: "file", other, similarity });
        }
      }
    }
    add(ci); // later candidates are compared with this one
  }
  return results.sort((a, b) => a.candidate - b.candidate || b.similarity - a.similarity || a.other - b.other);
}

// ---------------------------------------------------------------------------
// Fractions
// ---------------------------------------------------------------------------

/**
 * Snap a weight read from a file to the nearest simple fraction k/n (n ≤ 20) when within
 * 1e-5: Moodle writes 1/3 as 33.33333 %, and without snapping three such options would
 * sum to 0.9999999 and a round trip would drift.
 */
export function snapFraction(x: number): number {
  if (!Number.isFinite(x)) return x;
  for (let n = 1; n <= 20; n++) {
    const k = Math.round(x * n);
    if (Math.abs(x - k / n) < 1e-5) return k / n;
  }
  return x;
}

/** "50", "-33.33333", "12,5" (Vietnamese decimal comma) percent → fraction; undefined if not a number. */
export function percentToFraction(s: string): number | undefined {
  const t = s.trim().replace(",", ".");
  if (!/^[-+]?\d+(\.\d+)?$/.test(t)) return undefined;
  return snapFraction(Number(t) / 100);
}

/** Fraction → percent text as Moodle writes it: 1 → "100", 1/3 → "33.33333", -0.5 → "-50". */
export function fractionToPercent(f: number): string {
  return String(Number((f * 100).toFixed(5)));
}
