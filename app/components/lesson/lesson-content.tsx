import { createElement, Fragment, useMemo, type ComponentType, type ReactNode } from "react";
import type { LessonNode } from "../../../server/curricula/lesson-tree";
import { urlRefusal } from "../../../server/curricula/lesson-urls";

/**
 * Renders a compiled lesson: a JSON tree of elements and text (decision 016), never
 * code. The server only stores trees built from sources that passed the closed
 * grammar; this renderer still draws only the tags and props listed here and checks
 * every href and src again, so a damaged or forged cache entry cannot add a script,
 * a handler or a javascript: link to the page.
 */

const TAGS = new Set([
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
  "section",
  "ul",
  "ol",
  "li",
  "dl",
  "dt",
  "dd",
  "table",
  "thead",
  "tbody",
  "tfoot",
  "tr",
  "th",
  "td",
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
  "a",
  "img",
  "input",
]);
const PROPS = new Set([
  "className",
  "id",
  "href",
  "src",
  "alt",
  "title",
  "lang",
  "align",
  "start",
  "colSpan",
  "rowSpan",
  "width",
  "height",
  "type",
  "checked",
  "disabled",
  "aria-describedby",
  "aria-label",
  "data-footnote-ref",
  "data-footnotes",
  "data-footnote-backref",
]);

/** The grammar fixed each component's props (LESSON_COMPONENT_SPECS), so props are not retyped here. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LessonComponents = Record<string, ComponentType<any>>;

export function LessonContent({ code, components }: { code: string; components: LessonComponents }) {
  const nodes = useMemo(() => JSON.parse(code) as LessonNode[], [code]);
  return createElement(Fragment, null, ...nodes.map((n) => render(n, components)));
}

function render(node: LessonNode, components: LessonComponents): ReactNode {
  if (typeof node === "string") return node;
  const kids = (node.c ?? []).map((c) => render(c, components));
  const component = Object.hasOwn(components, node.t) ? components[node.t] : undefined;
  if (component) return createElement(component, { ...node.p }, ...kids);
  if (!TAGS.has(node.t)) return null;
  const props: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node.p ?? {})) {
    if (!PROPS.has(k)) continue;
    if ((k === "href" && urlRefusal(String(v), "link")) || (k === "src" && urlRefusal(String(v), "image"))) continue;
    props[k] = v;
  }
  // Task-list boxes show the author's tick; a reader cannot change them.
  if (node.t === "input")
    return props.type === "checkbox"
      ? createElement("input", { type: "checkbox", checked: !!props.checked, disabled: true, readOnly: true })
      : null;
  return createElement(node.t, props, ...kids);
}
