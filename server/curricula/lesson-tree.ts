import { toHast } from "mdast-util-to-hast";
import { integerValue, type Root } from "./grammar";

/**
 * What a checked lesson compiles to: a plain JSON tree of elements and text that the
 * page renders with React's createElement (app/components/lesson/lesson-content.tsx).
 * No JavaScript is generated, so nothing from a lesson is ever evaluated, on the
 * server or in the browser, and the page's CSP needs no 'unsafe-eval' (decision 016).
 */
export type LessonNode = string | LessonElement;
export interface LessonElement {
  /** An HTML tag (lowercase) or a lesson component (Callout, KeyPoints, Cite, SelfCheck). */
  t: string;
  /** React props: only literal strings, numbers and booleans. */
  p?: Record<string, string | number | boolean>;
  c?: LessonNode[];
}

type HastNode = {
  type: string;
  tagName?: string;
  name?: string | null;
  value?: string;
  properties?: Record<string, unknown>;
  attributes?: { type: string; name?: string; value?: unknown }[];
  children?: HastNode[];
};

/** Tables cannot hold whitespace text in the DOM (React warns, and hydration would differ). */
const NO_TEXT_CHILDREN = new Set(["table", "thead", "tbody", "tfoot", "tr"]);
/** HTML attribute names an author may write, as React props. */
const REACT_ATTRIBUTE = { colspan: "colSpan", rowspan: "rowSpan" } as Record<string, string>;
const INTEGER_PROPS = new Set(["count", "start", "colspan", "rowspan", "width", "height"]);

/** Builds the lesson tree from a Markdown tree that passed checkLessonBody. */
export function toLessonTree(root: Root): LessonNode[] {
  const hast = toHast(root as Parameters<typeof toHast>[0], {
    passThrough: ["mdxJsxFlowElement", "mdxJsxTextElement"],
    footnoteLabel: "Chú thích",
    footnoteBackLabel: (i) => `Quay lại chỗ chú thích ${i + 1}`,
  }) as unknown as HastNode;
  return children(hast, "");
}

function children(node: HastNode, parent: string): LessonNode[] {
  const out: LessonNode[] = [];
  for (const child of node.children ?? []) {
    const converted = convert(child);
    if (converted === null) continue;
    if (typeof converted === "string" && NO_TEXT_CHILDREN.has(parent) && !converted.trim()) continue;
    out.push(converted);
  }
  return out;
}

function convert(node: HastNode): LessonNode | null {
  switch (node.type) {
    case "text":
      return node.value ?? "";
    case "element": {
      const tag = node.tagName!;
      const props: Record<string, string | number | boolean> = {};
      for (const [key, value] of Object.entries(node.properties ?? {})) {
        if (value === null || value === undefined || value === false) continue;
        props[reactName(key)] = Array.isArray(value)
          ? value.join(" ")
          : typeof value === "boolean" || typeof value === "number"
            ? value
            : String(value);
      }
      return element(tag, props, children(node, tag));
    }
    case "mdxJsxFlowElement":
    case "mdxJsxTextElement": {
      const name = node.name!;
      const props: Record<string, string | number | boolean> = {};
      for (const a of node.attributes ?? []) {
        if (a.type !== "mdxJsxAttribute" || !a.name) continue; // never reached: the grammar refuses them
        props[REACT_ATTRIBUTE[a.name] ?? a.name] = INTEGER_PROPS.has(a.name) ? integerValue(a.value) : String(a.value);
      }
      return element(name, props, children(node, name));
    }
    default:
      // Comments, raw nodes and anything else carry nothing a lesson needs.
      return null;
  }
}

function element(t: string, p: Record<string, string | number | boolean>, c: LessonNode[]): LessonElement {
  const e: LessonElement = { t };
  if (Object.keys(p).length) e.p = p;
  if (c.length) e.c = c;
  return e;
}

/** hast property names (className, dataFootnoteRef, ariaDescribedBy) to React's. */
function reactName(key: string): string {
  if (/^data[A-Z]/.test(key))
    return `data-${key
      .slice(4)
      .replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
      .slice(1)}`;
  if (/^aria[A-Z]/.test(key)) return `aria-${key.slice(4).toLowerCase()}`;
  return key;
}
