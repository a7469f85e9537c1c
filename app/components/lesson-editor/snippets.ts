/**
 * The editor's buttons as pure edits of the lesson body: each takes the text and the
 * selection and returns the new text and selection. Everything they write stays inside
 * the closed grammar (docs/content-format.md): Markdown, the four lesson components
 * with literal props, and text escaped so a typed brace or angle bracket stays text.
 */

export interface Edit {
  text: string;
  start: number;
  end: number;
}

/** Text typed into a form, made safe as Markdown text: no tag, expression or link syntax. */
export function escapeText(s: string): string {
  return s
    .replace(/\\/g, "\\\\")
    .replace(/[[\]*_`]/g, (c) => `\\${c}`)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\{/g, "&#123;")
    .replace(/\}/g, "&#125;")
    .replace(/[\r\n]+/g, " ");
}

/** A literal JSX attribute value in double quotes. */
export function escapeAttr(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/"/g, "&quot;")
    .replace(/[\r\n]+/g, " ");
}

/** A link or image address: spaces and the characters that end a Markdown destination are encoded. */
export function escapeUrl(s: string): string {
  return s.trim().replace(/[\s()<>]/g, (c) => encodeURIComponent(c));
}

/** Wraps the selection (or a placeholder, then selected) in inline marks such as `**`. */
export function wrapInline(e: Edit, before: string, after: string, placeholder: string): Edit {
  const selected = e.text.slice(e.start, e.end);
  const inner = selected || placeholder;
  const text = e.text.slice(0, e.start) + before + inner + after + e.text.slice(e.end);
  return { text, start: e.start + before.length, end: e.start + before.length + inner.length };
}

/** The start of the line holding `pos` and the end of the line holding `end`. */
function lineSpan(text: string, start: number, end: number): [number, number] {
  const from = text.lastIndexOf("\n", start - 1) + 1;
  let to = text.indexOf("\n", Math.max(end - (end > start && text[end - 1] === "\n" ? 1 : 0), start));
  if (to < 0) to = text.length;
  return [from, to];
}

/**
 * Gives each selected line a prefix (a heading's `## `, a list's `- ` or `1. `),
 * replacing any heading or list mark it had; on an empty line, adds a placeholder.
 */
export function prefixLines(e: Edit, prefix: (i: number) => string, placeholder: string): Edit {
  const [from, to] = lineSpan(e.text, e.start, e.end);
  const lines = e.text.slice(from, to).split("\n");
  const out = lines.map((line, i) => {
    const bare = line.replace(/^\s{0,3}(#{1,6}\s+|[-*+]\s+|\d{1,9}[.)]\s+)/, "");
    return prefix(i) + (bare.trim() ? bare : lines.length === 1 ? placeholder : bare);
  });
  const replaced = out.join("\n");
  const text = e.text.slice(0, from) + replaced + e.text.slice(to);
  if (lines.length === 1) {
    const p = prefix(0).length;
    return { text, start: from + p, end: from + replaced.length };
  }
  return { text, start: from, end: from + replaced.length };
}

/**
 * Inserts a block at the selection's line, with a blank line before and after it
 * (components that wrap Markdown need them); `select` picks a range inside the block.
 */
export function insertBlock(e: Edit, block: string, select?: [number, number]): Edit {
  // After the line holding the cursor, so a block never splits a paragraph's line.
  let at = e.text.indexOf("\n", e.end);
  if (e.end > 0 && e.text[e.end - 1] === "\n") at = e.end - 1;
  if (at < 0) at = e.text.length;
  const before = e.text.slice(0, at);
  const after = e.text.slice(at);
  const lead = before === "" ? "" : before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
  const trail =
    after.trim() === "" ? (after.startsWith("\n") ? "" : "\n") : after.startsWith("\n\n") ? "" : after.startsWith("\n") ? "\n" : "\n\n";
  const text = before + lead + block + trail + after;
  const base = before.length + lead.length;
  const [s, t] = select ?? [block.length, block.length];
  return { text, start: base + s, end: base + t };
}

/** Inserts inline text at the selection, replacing it. */
export function insertInline(e: Edit, snippet: string): Edit {
  const text = e.text.slice(0, e.start) + snippet + e.text.slice(e.end);
  return { text, start: e.start + snippet.length, end: e.start + snippet.length };
}

export const CALLOUT_KINDS = [
  { value: "note", label: "Ghi chú" },
  { value: "important", label: "Quan trọng" },
  { value: "remember", label: "Ghi nhớ" },
  { value: "example", label: "Ví dụ" },
] as const;

export function tableBlock(columns: number, rows: number): string {
  const c = Math.min(Math.max(Math.trunc(columns) || 2, 1), 8);
  const r = Math.min(Math.max(Math.trunc(rows) || 2, 1), 30);
  const row = (cells: string[]) => `| ${cells.join(" | ")} |`;
  const head = row(Array.from({ length: c }, (_, i) => `Cột ${i + 1}`));
  const rule = row(Array.from({ length: c }, () => "---"));
  const body = Array.from({ length: r }, () => row(Array.from({ length: c }, () => " ")));
  return [head, rule, ...body].join("\n");
}

export function imageSnippet(path: string, alt: string): string {
  return `![${escapeText(alt)}](${escapeUrl(path)})`;
}

export function linkSnippet(label: string, url: string): string {
  return `[${escapeText(label || url)}](${escapeUrl(url)})`;
}

export function calloutBlock(kind: string, title: string): { block: string; select: [number, number] } {
  const open = `<Callout kind="${escapeAttr(kind)}"${title.trim() ? ` title="${escapeAttr(title.trim())}"` : ""}>\n\n`;
  const body = "Nội dung cần làm nổi bật.";
  return { block: `${open}${body}\n\n</Callout>`, select: [open.length, open.length + body.length] };
}

export function keyPointsBlock(): { block: string; select: [number, number] } {
  const open = "<KeyPoints>\n\n- ";
  const first = "Ý chính thứ nhất";
  return { block: `${open}${first}\n- Ý chính thứ hai\n\n</KeyPoints>`, select: [open.length, open.length + first.length] };
}

export function citeSnippet(doc: string, part: string): string {
  return `<Cite doc="${escapeAttr(doc.trim())}"${part.trim() ? ` part="${escapeAttr(part.trim())}"` : ""} />`;
}

export function selfCheckBlock(count: number): string {
  const n = Math.min(Math.max(Math.trunc(count) || 5, 1), 20);
  return `<SelfCheck count={${n}} />`;
}

/** Relative image addresses already used in a lesson body, offered by the image button. */
export function imagesIn(body: string): string[] {
  const found = new Set<string>();
  for (const m of body.matchAll(/!\[[^\]]*\]\(\s*<?([^)\s>]+)>?/g)) found.add(m[1]!);
  for (const m of body.matchAll(/<img\b[^>]*\bsrc="([^"]+)"/g)) found.add(m[1]!);
  return [...found].filter((u) => !/^[a-z][a-z0-9+.-]*:/i.test(u));
}
