// A small allow-list HTML sanitiser and HTML↔text helpers.
//
// Why our own instead of a DOM library: question stems from Moodle/GIFT carry only simple
// formatting, the platform has no DOM on the server, and an allow-list tokenizer that
// re-serialises everything it keeps is easy to audit: nothing the list does not name
// survives, attributes included. The output is always well-formed (tags closed, text escaped).

/** Tags kept (with their content). */
const ALLOWED_TAGS = new Set([
  "p", "br", "b", "strong", "i", "em", "u", "sub", "sup", "ul", "ol", "li", "img",
  "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col",
]);
/** Tags dropped together with everything inside them. */
const DROP_WITH_CONTENT = new Set([
  "script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math",
  "head", "title", "textarea", "select", "button", "frameset", "frame", "applet", "xml",
]);
const VOID_TAGS = new Set(["br", "img", "col", "hr", "meta", "link", "input", "wbr", "area", "base", "source"]);
/** Attributes kept, per tag; everything else (style, class, on*, href…) is dropped. */
const ALLOWED_ATTRS: Record<string, string[]> = {
  img: ["src", "alt", "width", "height"],
  td: ["colspan", "rowspan"],
  th: ["colspan", "rowspan"],
  col: ["span"],
  colgroup: ["span"],
  ol: ["start"],
};
/** Block-level tags: become line breaks when HTML is flattened to text. */
const BLOCK_TAGS = new Set(["p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "blockquote", "pre", "caption"]);

const NAMED_ENTITIES: Record<string, string> = {
  amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0", ndash: "–", mdash: "—",
  hellip: "…", laquo: "«", raquo: "»", lsquo: "‘", rsquo: "’", ldquo: "“", rdquo: "”", bull: "•",
  middot: "·", deg: "°", times: "×", divide: "÷", copy: "©", reg: "®", sect: "§", para: "¶", shy: "\u00ad",
  agrave: "à", aacute: "á", acirc: "â", atilde: "ã", egrave: "è", eacute: "é", ecirc: "ê",
  igrave: "ì", iacute: "í", ograve: "ò", oacute: "ó", ocirc: "ô", otilde: "õ", ugrave: "ù",
  uacute: "ú", yacute: "ý", Agrave: "À", Aacute: "Á", Acirc: "Â", Atilde: "Ã", Egrave: "È",
  Eacute: "É", Ecirc: "Ê", Igrave: "Ì", Iacute: "Í", Ograve: "Ò", Oacute: "Ó", Ocirc: "Ô",
  Otilde: "Õ", Ugrave: "Ù", Uacute: "Ú", Yacute: "Ý",
};

export function decodeEntities(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z][a-z0-9]{1,31});/gi, (whole, body: string) => {
    if (body[0] === "#") {
      const code = body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      // Invalid code points and NUL would be a way to smuggle odd bytes: replace them.
      if (!Number.isFinite(code) || code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return "\ufffd";
      return String.fromCodePoint(code);
    }
    return NAMED_ENTITIES[body] ?? whole;
  });
}

/** Escape for element content (quotes may stay). */
export function escapeText(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Escape for element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

type Token =
  | { kind: "text"; text: string }
  | { kind: "open"; name: string; attrs: [string, string][]; selfClosing: boolean }
  | { kind: "close"; name: string };

const TAG_RE = /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<![^>]*>?|<\?[^>]*>?|<\/?([a-zA-Z][a-zA-Z0-9:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;
const ATTR_RE = /([^\s"'<>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

function tokenize(html: string): Token[] {
  const tokens: Token[] = [];
  let last = 0;
  for (const m of html.matchAll(TAG_RE)) {
    const start = m.index ?? 0;
    if (start > last) tokens.push({ kind: "text", text: html.slice(last, start) });
    last = start + m[0].length;
    const name = m[1]?.toLowerCase();
    if (!name) continue; // comment, CDATA, doctype, processing instruction: dropped
    if (m[0][1] === "/") {
      tokens.push({ kind: "close", name });
      continue;
    }
    const rawAttrs = m[2] ?? "";
    const attrs: [string, string][] = [];
    for (const a of rawAttrs.matchAll(ATTR_RE)) {
      attrs.push([a[1].toLowerCase(), decodeEntities(a[2] ?? a[3] ?? a[4] ?? "")]);
    }
    tokens.push({ kind: "open", name, attrs, selfClosing: /\/\s*$/.test(rawAttrs) });
  }
  if (last < html.length) tokens.push({ kind: "text", text: html.slice(last) });
  return tokens;
}

/** Image sources allowed in a stem: embedded raster data or a file shipped with the question. */
export function isSafeImageSrc(src: string): boolean {
  // Browsers ignore whitespace/control characters inside a scheme ("java\tscript:"), so do we.
  const compact = src.replace(/[\u0000-\u0020\u007f-\u009f]/g, "").toLowerCase();
  if (compact.startsWith("@@pluginfile@@/")) return true;
  // No SVG: it can carry script.
  return /^data:image\/(png|jpe?g|gif|webp|bmp);base64,[a-z0-9+/=]*$/.test(compact);
}

export interface SanitiseResult {
  html: string;
  /** What was removed, for a warning: "script", "style", "attribute:onclick", "img:external", … */
  removed: string[];
}

export function sanitiseHtml(input: string): SanitiseResult {
  const removed = new Set<string>();
  const out: string[] = [];
  const stack: string[] = [];
  let dropDepth = 0; // > 0 while inside a dropped-with-content element
  let dropName = "";

  for (const t of tokenize(input)) {
    if (dropDepth > 0) {
      if (t.kind === "open" && t.name === dropName && !t.selfClosing) dropDepth++;
      else if (t.kind === "close" && t.name === dropName) dropDepth--;
      continue;
    }
    if (t.kind === "text") {
      out.push(escapeText(decodeEntities(t.text)));
      continue;
    }
    if (t.kind === "open") {
      if (DROP_WITH_CONTENT.has(t.name)) {
        removed.add(t.name);
        if (!t.selfClosing && !VOID_TAGS.has(t.name)) {
          dropDepth = 1;
          dropName = t.name;
        }
        continue;
      }
      if (!ALLOWED_TAGS.has(t.name)) {
        // Unknown/disallowed wrapper (span, div, a, font…): keep its content, drop the tag.
        // A div/heading still separates lines.
        if (BLOCK_TAGS.has(t.name) && out.length > 0) out.push("<br>");
        continue;
      }
      const allowed = ALLOWED_ATTRS[t.name] ?? [];
      const kept: string[] = [];
      let dropElement = false;
      for (const [name, value] of t.attrs) {
        if (!allowed.includes(name)) {
          removed.add(name.startsWith("on") ? "attribute:on*" : `attribute:${name}`);
          continue;
        }
        if (name === "src") {
          if (!isSafeImageSrc(value)) {
            removed.add(/^javascript:/i.test(value.replace(/[\u0000-\u0020\u007f-\u009f]/g, "")) ? "javascript-url" : "img:external");
            dropElement = true;
            break;
          }
        } else if (name !== "alt" && !/^\s*\d{1,4}(%|px)?\s*$/.test(value)) {
          // Numeric attributes only (width, colspan…): anything else is dropped.
          removed.add(`attribute:${name}`);
          continue;
        }
        kept.push(` ${name}="${escapeHtml(value.trim())}"`);
      }
      if (t.name === "img" && (dropElement || !t.attrs.some(([n]) => n === "src"))) {
        if (!dropElement) removed.add("img:nosrc");
        continue;
      }
      // Implied end tags (HTML lets <li>, <p>, <tr>, <td> omit them): close the open sibling.
      const top = stack[stack.length - 1];
      if (top && (top === t.name || ((t.name === "td" || t.name === "th") && (top === "td" || top === "th"))) && ["li", "p", "tr", "td", "th"].includes(t.name)) {
        out.push(`</${stack.pop()}>`);
      }
      out.push(`<${t.name}${kept.join("")}>`);
      if (!VOID_TAGS.has(t.name) && !t.selfClosing) stack.push(t.name);
      continue;
    }
    // Closing tag: only close what is open; stray closers are dropped.
    if (!ALLOWED_TAGS.has(t.name)) {
      if (BLOCK_TAGS.has(t.name)) out.push("<br>");
      continue;
    }
    const at = stack.lastIndexOf(t.name);
    if (at < 0) continue;
    while (stack.length > at) out.push(`</${stack.pop()}>`);
  }
  while (stack.length) out.push(`</${stack.pop()}>`);
  let html = out.join("");
  // Tidy the <br> that unwrapped blocks leave at the edges.
  html = html.replace(/^(\s*<br>)+/, "").replace(/(<br>\s*)+$/, "");
  return { html: html.trim(), removed: [...removed] };
}

/** Flatten HTML to plain text: block ends and <br> become newlines, tags go, entities are decoded. */
export function htmlToText(html: string): string {
  const parts: string[] = [];
  let dropDepth = 0;
  let dropName = "";
  for (const t of tokenize(html)) {
    if (dropDepth > 0) {
      if (t.kind === "open" && t.name === dropName) dropDepth++;
      else if (t.kind === "close" && t.name === dropName) dropDepth--;
      continue;
    }
    if (t.kind === "text") parts.push(decodeEntities(t.text).replace(/\s+/g, " "));
    else if (t.kind === "open") {
      if (DROP_WITH_CONTENT.has(t.name) && !t.selfClosing) {
        dropDepth = 1;
        dropName = t.name;
      } else if (t.name === "br") parts.push("\n");
      else if (t.name === "td" || t.name === "th") parts.push(" ");
      else if (BLOCK_TAGS.has(t.name)) parts.push("\n");
    } else if (BLOCK_TAGS.has(t.name)) parts.push("\n");
  }
  return parts
    .join("")
    .split("\n")
    .map((l) => l.replace(/[ \t\u00a0]+/g, " ").trim())
    .join("\n")
    .replace(/\n{2,}/g, "\n")
    .trim();
}

/**
 * True when sanitised HTML carries nothing but paragraphs and line breaks, so it can be
 * stored as plain text without losing anything (Moodle wraps every text in <p>).
 */
export function isTrivialHtml(sanitised: string): boolean {
  return !/<(?!\/?(p|br)\b)[a-z]/i.test(sanitised);
}

/** Plain text (with newlines) to an HTML paragraph: the inverse of htmlToText for trivial HTML. */
export function plainToHtml(text: string): string {
  return `<p>${escapeText(text).replace(/\n/g, "<br>")}</p>`;
}

const REMOVED_LABELS: Record<string, string> = {
  script: "mã script",
  style: "thẻ style",
  iframe: "khung nhúng iframe",
  object: "đối tượng nhúng",
  embed: "đối tượng nhúng",
  svg: "hình SVG",
  "attribute:on*": "thuộc tính sự kiện (onclick, onerror…)",
  "javascript-url": "liên kết javascript:",
  "img:external": "hình ảnh lấy từ địa chỉ bên ngoài",
  "img:nosrc": "thẻ ảnh không có nguồn",
};

/**
 * Vietnamese list of what the sanitiser removed that changes what the reader sees or could
 * have been an attack; undefined when only cosmetic attributes (style, class, dir…) went,
 * which Moodle puts on every paragraph and is not worth a warning.
 */
export function describeRemoved(removed: string[]): string | undefined {
  const notable = removed.filter((r) => !r.startsWith("attribute:") || r === "attribute:on*");
  if (!notable.length) return undefined;
  return [...new Set(notable.map((r) => REMOVED_LABELS[r] ?? r))].join(", ");
}
