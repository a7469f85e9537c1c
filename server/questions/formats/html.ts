// The HTML sanitiser of question stems and HTML↔text helpers.
//
// Sanitising is done by sanitize-html (a maintained, parser-based library; no DOM needed)
// under a strict allow-list: stems render as HTML on the exam screen, so this is
// security-critical and a home-made tokenizer was the wrong place to save a dependency.
// htmlToText below keeps a small tokenizer: its output is plain text that React escapes.

import sanitizeHtml from "sanitize-html";

/** Tags dropped together with everything inside them. */
const DROP_FOR_TEXT = new Set([
  "script",
  "style",
  "iframe",
  "object",
  "embed",
  "noscript",
  "template",
  "svg",
  "math",
  "head",
  "title",
  "textarea",
  "select",
  "button",
  "frameset",
  "frame",
  "applet",
  "xml",
]);
/** Block-level tags: become line breaks when HTML is flattened to text. */
const BLOCK_TAGS = new Set([
  "p",
  "div",
  "li",
  "tr",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "table",
  "ul",
  "ol",
  "blockquote",
  "pre",
  "caption",
]);

const NAMED_ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00a0",
  ndash: "–",
  mdash: "—",
  hellip: "…",
  laquo: "«",
  raquo: "»",
  lsquo: "‘",
  rsquo: "’",
  ldquo: "“",
  rdquo: "”",
  bull: "•",
  middot: "·",
  deg: "°",
  times: "×",
  divide: "÷",
  copy: "©",
  reg: "®",
  sect: "§",
  para: "¶",
  shy: "\u00ad",
  agrave: "à",
  aacute: "á",
  acirc: "â",
  atilde: "ã",
  egrave: "è",
  eacute: "é",
  ecirc: "ê",
  igrave: "ì",
  iacute: "í",
  ograve: "ò",
  oacute: "ó",
  ocirc: "ô",
  otilde: "õ",
  ugrave: "ù",
  uacute: "ú",
  yacute: "ý",
  Agrave: "À",
  Aacute: "Á",
  Acirc: "Â",
  Atilde: "Ã",
  Egrave: "È",
  Eacute: "É",
  Ecirc: "Ê",
  Igrave: "Ì",
  Iacute: "Í",
  Ograve: "Ò",
  Oacute: "Ó",
  Ocirc: "Ô",
  Otilde: "Õ",
  Ugrave: "Ù",
  Uacute: "Ú",
  Yacute: "Ý",
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

const TAG_RE =
  /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<![^>]*>?|<\?[^>]*>?|<\/?([a-zA-Z][a-zA-Z0-9:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;
const ATTR_RE = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

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

/** The reference an imported image has inside a stored stem (Moodle's convention, also used for docx pictures). */
export const PLUGINFILE = "@@PLUGINFILE@@/";

/** Browsers ignore whitespace/control characters inside a scheme ("java\tscript:"), so do we. */
function compactUrl(src: string): string {
  // eslint-disable-next-line no-control-regex -- browsers ignore control characters in a URL, so the check must too
  return src.replace(/[\u0000-\u0020\u007f-\u009f]/g, "").toLowerCase();
}

/**
 * Image sources a *stored* stem may hold: only a reference to a file imported with the
 * question. No data: URLs (they are turned into stored files on import), no addresses of
 * other sites (a remote image tells that site who reads the question, and when).
 */
export function isSafeImageSrc(src: string): boolean {
  return src.startsWith(PLUGINFILE) && !/[\\<>"'`]/.test(src) && compactUrl(src).startsWith("@@pluginfile@@/");
}

/** The placeholder prefix of a rendered stem before its address is known (server/questions/media.ts). */
export const MEDIA_PLACEHOLDER = "@@MEDIA@@/";

export interface SanitiseResult {
  html: string;
  /** What was removed, for a warning: "script", "style", "attribute:onclick", "img:external", … */
  removed: string[];
}

export interface SanitiseOptions {
  /**
   * Decides each <img>: the src to keep, or null to drop the image. Default: keep only
   * references to imported files (`@@PLUGINFILE@@/name`), as stored stems hold them.
   */
  image?: (src: string, alt: string) => { src: string; alt: string } | null;
}

/**
 * The allow-list (docs/security.md, "Question HTML"). Nothing else survives: no style,
 * no class, no event handlers, no links, no forms, no SVG or MathML, no comments.
 */
const ALLOWED_TAGS = [
  "p",
  "br",
  "b",
  "strong",
  "i",
  "em",
  "u",
  "sub",
  "sup",
  "ul",
  "ol",
  "li",
  "img",
  "span",
  "table",
  "thead",
  "tbody",
  "tfoot",
  "tr",
  "th",
  "td",
  "caption",
];
const ALLOWED_ATTRS: Record<string, string[]> = {
  img: ["src", "alt", "width", "height"],
  td: ["colspan", "rowspan"],
  th: ["colspan", "rowspan"],
  ol: ["start"],
};
/** Elements dropped together with everything inside them (their text is code or chrome, not content). */
const DROP_WITH_CONTENT = [
  "script",
  "style",
  "textarea",
  "option",
  "noscript",
  "iframe",
  "object",
  "embed",
  "svg",
  "math",
  "template",
  "title",
  "head",
  "select",
  "button",
  "xmp",
  "noembed",
  "noframes",
  "frameset",
  "applet",
  "xml",
];
/** Block wrappers Moodle and Word write that are not on the list: kept as paragraphs so lines stay apart. */
const AS_PARAGRAPH = ["div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "center", "section", "article"];
const NUMERIC = /^\s*\d{1,4}\s*$/;

const keepStoredImage = (src: string, alt: string) => (isSafeImageSrc(src) ? { src, alt } : null);

/**
 * Sanitise untrusted HTML with sanitize-html (a maintained parser-based sanitiser; it
 * replaced a regex tokenizer, issue 17 item 8) under a strict allow-list. Used on import
 * and again when a stem is rendered (defence in depth): the stored copy is never trusted.
 */
export function sanitiseHtml(input: string, options: SanitiseOptions = {}): SanitiseResult {
  const removed = new Set<string>();
  const decide = options.image ?? keepStoredImage;
  const html = sanitizeHtml(input, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: ALLOWED_ATTRS,
    // No attribute may carry a URL scheme: image sources are checked by `decide` below.
    allowedSchemes: [],
    allowedSchemesByTag: {},
    allowProtocolRelative: false,
    disallowedTagsMode: "discard",
    nonTextTags: DROP_WITH_CONTENT,
    allowVulnerableTags: false,
    nestingLimit: 40,
    parser: { lowerCaseTags: true, lowerCaseAttributeNames: true, decodeEntities: true },
    onOpenTag(name, attribs) {
      if (DROP_WITH_CONTENT.includes(name)) removed.add(name);
      for (const [a, v] of Object.entries(attribs)) {
        if (/^on/.test(a)) removed.add("attribute:on*");
        else if (!(ALLOWED_ATTRS[name] ?? []).includes(a)) removed.add(`attribute:${a}`);
        if (/^(javascript|vbscript):/.test(compactUrl(v))) removed.add("javascript-url");
      }
    },
    transformTags: {
      ...Object.fromEntries(AS_PARAGRAPH.map((t) => [t, "p"])),
      img(tagName, attribs) {
        const out: Record<string, string> = {};
        const src = attribs.src;
        const kept = src === undefined ? null : decide(src, attribs.alt ?? "");
        if (src === undefined) removed.add("img:nosrc");
        else if (!kept)
          removed.add(
            /^(javascript|vbscript):/.test(compactUrl(src))
              ? "javascript-url"
              : /^data:/.test(compactUrl(src))
                ? "img:data"
                : "img:external",
          );
        if (kept) {
          out.src = kept.src;
          out.alt = kept.alt;
          for (const a of ["width", "height"]) if (attribs[a] !== undefined && NUMERIC.test(attribs[a]!)) out[a] = attribs[a]!.trim();
        }
        return { tagName, attribs: out };
      },
      ...Object.fromEntries(
        ["td", "th", "ol"].map((t) => [
          t,
          (tagName: string, attribs: Record<string, string>) => ({
            tagName,
            attribs: Object.fromEntries(
              Object.entries(attribs).filter(([a, v]) => (ALLOWED_ATTRS[t] ?? []).includes(a) && NUMERIC.test(v)),
            ),
          }),
        ]),
      ),
    },
    // An image whose source was refused goes whole (an <img> without src is a broken box).
    exclusiveFilter: (frame) => frame.tag === "img" && !frame.attribs.src,
  });
  const out = html
    .replace(/<br \/>/g, "<br>")
    .replace(/<img ([^>]*?) \/>/g, "<img $1>")
    // The <br> an unwrapped link or block leaves at the edges says nothing.
    .replace(/<p>\s*<\/p>/g, "")
    .replace(/^(\s*<br>)+/, "")
    .replace(/(<br>\s*)+$/, "")
    .trim();
  return { html: out, removed: [...removed] };
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
      if (DROP_FOR_TEXT.has(t.name) && !t.selfClosing) {
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
  "img:data": "hình ảnh nhúng không phải PNG/JPEG/GIF/WebP",
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
