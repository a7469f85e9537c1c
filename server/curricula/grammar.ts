import { unified } from "unified";
import remarkParse from "remark-parse";
import remarkMdx from "remark-mdx";
import remarkGfm from "remark-gfm";
import { explainMdxError } from "./mdx-errors";
import { urlRefusal } from "./lesson-urls";

/**
 * The closed grammar of a lesson body (docs/content-format.md, decision 016).
 *
 * MDX is JavaScript: `{expressions}`, `import`/`export` and component props are code
 * that a compiler would run. A lesson is content, so its source is parsed to a
 * Markdown tree (parsing never runs anything) and every node is checked against the
 * lists below; anything not listed is refused with its line and a Vietnamese message
 * saying what to write instead. Only a text that passes is turned into a lesson tree.
 */

export interface GrammarProblem {
  line: number;
  column: number;
  message: string;
}

type AttrSpec =
  | { kind: "text" }
  | { kind: "enum"; values: readonly string[] }
  /** An integer, written "5" or {5}: the one expression the grammar accepts is a bare number. */
  | { kind: "integer"; min: number; max: number }
  | { kind: "url"; use: "link" | "image" };

interface ElementSpec {
  attributes: Record<string, AttrSpec>;
  required?: readonly string[];
}

/** The documented lesson components (app/components/lesson/mdx-components.tsx) and their props. */
export const LESSON_COMPONENT_SPECS: Record<string, ElementSpec> = {
  Callout: { attributes: { kind: { kind: "enum", values: ["note", "important", "remember", "example"] }, title: { kind: "text" } } },
  KeyPoints: { attributes: {} },
  Cite: { attributes: { doc: { kind: "text" }, part: { kind: "text" } }, required: ["doc"] },
  SelfCheck: { attributes: { count: { kind: "integer", min: 1, max: 20 } } },
};

const GLOBAL_HTML_ATTRIBUTES: Record<string, AttrSpec> = { title: { kind: "text" }, lang: { kind: "text" } };
const cellSpan = { colspan: { kind: "integer", min: 1, max: 50 }, rowspan: { kind: "integer", min: 1, max: 500 } } as const;

/**
 * Lowercase HTML an author may write: text structure only. Nothing that runs or loads
 * code or another document (script, iframe, object, embed, svg, math, style, form,
 * input, base, meta, link…), and no id or name (they can shadow page globals).
 */
export const LESSON_HTML_SPECS: Record<string, ElementSpec> = {
  ...Object.fromEntries(
    [
      "p",
      "br",
      "hr",
      "em",
      "strong",
      "b",
      "i",
      "u",
      "s",
      "del",
      "ins",
      "sub",
      "sup",
      "small",
      "mark",
      "abbr",
      "q",
      "blockquote",
      "code",
      "pre",
      "kbd",
      "span",
      "div",
      "ul",
      "li",
      "dl",
      "dt",
      "dd",
      "table",
      "thead",
      "tbody",
      "tfoot",
      "tr",
      "caption",
      "h1",
      "h2",
      "h3",
      "h4",
      "h5",
      "h6",
      "figure",
      "figcaption",
      "details",
      "summary",
    ].map((t) => [t, { attributes: {} }]),
  ),
  ol: { attributes: { start: { kind: "integer", min: 0, max: 10_000 } } },
  td: { attributes: { ...cellSpan } },
  th: { attributes: { ...cellSpan } },
  a: { attributes: { href: { kind: "url", use: "link" } }, required: ["href"] },
  img: {
    attributes: {
      src: { kind: "url", use: "image" },
      alt: { kind: "text" },
      width: { kind: "integer", min: 1, max: 4000 },
      height: { kind: "integer", min: 1, max: 4000 },
    },
    required: ["src", "alt"],
  },
};

export const LESSON_COMPONENTS = Object.keys(LESSON_COMPONENT_SPECS);
const COMPONENT_NAMES = LESSON_COMPONENTS.join(", ");

/** Tags refused with a reason of their own: each runs code, loads another document or takes input. */
const ACTIVE_TAGS = new Set([
  "script",
  "noscript",
  "iframe",
  "frame",
  "frameset",
  "object",
  "embed",
  "applet",
  "svg",
  "math",
  "style",
  "link",
  "meta",
  "base",
  "form",
  "input",
  "button",
  "select",
  "textarea",
  "option",
  "template",
  "slot",
  "portal",
  "video",
  "audio",
  "source",
  "track",
  "canvas",
  "map",
  "area",
  "dialog",
]);

type Node = { type: string; position?: { start: { line: number; column: number } }; children?: Node[]; [k: string]: unknown };
type JsxAttribute = { type: "mdxJsxAttribute" | "mdxJsxExpressionAttribute"; name?: string; value?: unknown; position?: Node["position"] };

const lessonParser = unified().use(remarkParse).use(remarkMdx).use(remarkGfm);
/** The Markdown tree of a lesson body (mdast with the MDX and GFM node types). */
export type Root = ReturnType<typeof lessonParser.parse>;

/** Parses a lesson body (MDX syntax) to a Markdown tree; nothing in it is evaluated. */
export function parseLessonBody(body: string): { tree: Root } | { problem: GrammarProblem } {
  try {
    return { tree: lessonParser.parse(body) };
  } catch (e) {
    const err = e as { message?: string; reason?: string; line?: number | null; column?: number | null };
    const raw = err.reason ?? err.message ?? String(e);
    // Unclosed tags carry their place only in the text: "(5:1-5:10)".
    const span = /\((\d+):(\d+)(?:-\d+:\d+)?\)/.exec(raw);
    return {
      problem: {
        line: err.line ?? (span ? Number(span[1]) : 1),
        column: err.column ?? (span ? Number(span[2]) : 1),
        message: explainMdxError(raw),
      },
    };
  }
}

/** Parses and checks a lesson body; `tree` is present only when there is no problem. */
export function checkLessonBody(body: string): { tree?: Root; problems: GrammarProblem[] } {
  const parsed = parseLessonBody(body);
  if ("problem" in parsed) return { problems: [parsed.problem] };
  const problems = checkTree(parsed.tree);
  return problems.length ? { problems } : { tree: parsed.tree, problems };
}

export function checkTree(root: Root): GrammarProblem[] {
  const problems: GrammarProblem[] = [];
  const at = (node: { position?: Node["position"] } | undefined, fallback: Node | undefined, message: string) => {
    const p = node?.position?.start ?? fallback?.position?.start;
    problems.push({ line: p?.line ?? 1, column: p?.column ?? 1, message });
  };

  const visit = (node: Node) => {
    switch (node.type) {
      case "mdxjsEsm":
        at(
          node,
          undefined,
          "Bài giảng không được có dòng import/export: bài giảng là nội dung, không phải mã. Xóa dòng này; các thành phần Callout, KeyPoints, Cite, SelfCheck dùng được mà không cần import.",
        );
        return;
      case "mdxFlowExpression":
      case "mdxTextExpression":
        at(
          node,
          undefined,
          "Dấu { … } là một biểu thức mã và không được dùng trong bài giảng. Nếu muốn viết dấu ngoặc nhọn trong văn bản, hãy dùng &#123; và &#125;.",
        );
        return;
      case "mdxJsxFlowElement":
      case "mdxJsxTextElement":
        checkElement(node, at);
        break;
      case "link":
      case "definition": {
        const refusal = urlRefusal(String(node.url ?? ""), "link");
        if (refusal) at(node, undefined, refusal);
        break;
      }
      case "image": {
        const refusal = urlRefusal(String(node.url ?? ""), "image");
        if (refusal) at(node, undefined, refusal);
        break;
      }
      case "html":
        // Not produced by the MDX parser today; refused should a future parser emit raw HTML.
        at(node, undefined, "Mã HTML thô không được dùng trong bài giảng.");
        return;
    }
    for (const child of node.children ?? []) visit(child);
  };
  visit(root as unknown as Node);
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}

function checkElement(node: Node, at: (n: { position?: Node["position"] } | undefined, f: Node | undefined, m: string) => void) {
  const name = typeof node.name === "string" ? node.name : null;
  if (name === null) {
    at(node, undefined, "Thẻ rỗng <>…</> không được dùng: bỏ cặp thẻ này đi.");
    return;
  }
  const isComponent = /^[A-Z]/.test(name);
  const spec = isComponent ? LESSON_COMPONENT_SPECS[name] : LESSON_HTML_SPECS[name];
  if (!spec) {
    if (isComponent || name.includes(".") || name.includes(":"))
      at(node, undefined, `Thành phần <${name}> không có; dùng một trong: ${COMPONENT_NAMES}.`);
    else if (ACTIVE_TAGS.has(name.toLowerCase()))
      at(
        node,
        undefined,
        `Thẻ <${name}> không được dùng trong bài giảng vì nó chạy mã, nhúng trang khác hoặc nhận dữ liệu nhập. Viết nội dung bằng Markdown hoặc các thành phần ${COMPONENT_NAMES}.`,
      );
    else
      at(
        node,
        undefined,
        `Thẻ <${name}> không nằm trong danh sách thẻ HTML được phép (xem docs/content-format.md); hãy dùng Markdown thay thế.`,
      );
    return;
  }
  const allowed: Record<string, AttrSpec> = isComponent ? spec.attributes : { ...GLOBAL_HTML_ATTRIBUTES, ...spec.attributes };
  const seen = new Set<string>();
  for (const attr of (node.attributes as JsxAttribute[] | undefined) ?? []) {
    if (attr.type === "mdxJsxExpressionAttribute") {
      at(attr, node, `Thẻ <${name}> không được nhận thuộc tính bằng biểu thức { … }: ghi từng thuộc tính dạng tên="giá trị".`);
      continue;
    }
    const attrName = attr.name ?? "";
    seen.add(attrName);
    const lower = attrName.toLowerCase();
    if (lower.startsWith("on")) {
      at(attr, node, `Thuộc tính ${attrName} chạy mã khi người học thao tác; xóa thuộc tính này.`);
      continue;
    }
    if (lower === "style" || lower === "srcdoc" || lower === "dangerouslysetinnerhtml") {
      at(
        attr,
        node,
        lower === "style"
          ? "Thuộc tính style không được dùng: cách trình bày do giao diện quy định; xóa thuộc tính này."
          : `Thuộc tính ${attrName} chèn mã hoặc trang khác vào bài; xóa thuộc tính này.`,
      );
      continue;
    }
    const attrSpec = Object.hasOwn(allowed, attrName) ? allowed[attrName] : undefined;
    if (!attrSpec) {
      const names = Object.keys(allowed);
      at(
        attr,
        node,
        `<${name}> không có thuộc tính “${attrName}”; ${names.length ? `chỉ dùng: ${names.join(", ")}` : "thẻ này không nhận thuộc tính nào"}.`,
      );
      continue;
    }
    const refusal = valueRefusal(name, attrName, attrSpec, attr.value);
    if (refusal) at(attr, node, refusal);
  }
  for (const r of spec.required ?? []) if (!seen.has(r)) at(node, undefined, `<${name}> cần thuộc tính ${r}="…".`);
}

function valueRefusal(element: string, name: string, spec: AttrSpec, value: unknown): string | null {
  if (value === null || value === undefined)
    return `Thuộc tính ${name} của <${element}> cần một giá trị trong dấu nháy, ví dụ ${name}="…".`;
  const expression = typeof value === "object" ? String((value as { value?: unknown }).value ?? "") : null;
  if (expression !== null) {
    // {5} is the only expression accepted: a bare integer for a numeric prop.
    if (spec.kind === "integer" && /^\s*\d{1,6}\s*$/.test(expression)) return integerRefusal(element, name, spec, expression.trim());
    return `Giá trị của thuộc tính ${name} là một biểu thức mã { … }; chỉ ghi giá trị cố định trong dấu nháy, ví dụ ${name}="…".`;
  }
  const text = String(value);
  switch (spec.kind) {
    case "text":
      return null;
    case "enum":
      return spec.values.includes(text)
        ? null
        : `${name}="${text}" không hợp lệ cho <${element}>; chọn một trong: ${spec.values.join(", ")}.`;
    case "integer":
      return integerRefusal(element, name, spec, text.trim());
    case "url":
      return urlRefusal(text, spec.use);
  }
}

function integerRefusal(element: string, name: string, spec: { min: number; max: number }, text: string): string | null {
  const n = /^\d{1,6}$/.test(text) ? Number(text) : NaN;
  return n >= spec.min && n <= spec.max ? null : `${name} của <${element}> phải là số nguyên từ ${spec.min} đến ${spec.max}.`;
}

/** The integer value of an attribute that passed the check ("5" or {5}). */
export function integerValue(value: unknown): number {
  return Number(typeof value === "object" && value !== null ? (value as { value: string }).value : value);
}
