import { parse } from "yaml";

/**
 * The lesson frontmatter as a form (decision 025). The source text stays the one truth:
 * the form reads its fields from the YAML and an edit rewrites only the lines of the
 * field that changed, so every other byte (order, quoting, comments, unknown keys) is
 * kept and a lesson opened and saved without edits is saved unchanged.
 */

export const NUMBER_FIELDS = ["number", "periods"] as const;
export const TEXT_FIELDS = ["title", "summary"] as const;
export const LIST_FIELDS = ["objectives", "sources"] as const;
export const BOOLEAN_FIELDS = ["unconfirmed"] as const;
/** The order of the schema (server/curricula/schema.ts), used when a key is added. */
export const FIELD_ORDER = ["number", "title", "periods", "summary", "objectives", "sources", "unconfirmed"] as const;
export type FieldName = (typeof FIELD_ORDER)[number];

/** What the form shows: numbers and texts as text, lists one item a line, a flag. */
export interface FormValues {
  number: string;
  title: string;
  periods: string;
  summary: string;
  objectives: string;
  sources: string;
  unconfirmed: boolean;
}

const FRONTMATTER = /^---\n([\s\S]*?)\n---\n?/;

/** Splits a lesson file as the server does (server/curricula/source.ts): `head + body === source`. */
export function splitSource(source: string): { head: string; yaml: string; body: string } | null {
  const m = FRONTMATTER.exec(source);
  if (!m) return null;
  return { head: m[0], yaml: m[1]!, body: source.slice(m[0].length) };
}

/** The whole file with a new YAML text between the two `---` lines, the rest kept as it was. */
export function withYaml(source: string, yaml: string): string {
  const split = splitSource(source);
  if (!split) return `---\n${yaml}\n---\n\n${source}`;
  return split.head.replace(split.yaml, () => yaml) + split.body;
}

export function withBody(source: string, body: string): string {
  const split = splitSource(source);
  return split ? split.head + body : body;
}

export function readForm(yaml: string): { values: FormValues } | { error: string } {
  let data: unknown;
  try {
    data = parse(yaml);
  } catch (e) {
    return { error: `Phần đầu bài giảng (YAML) có lỗi: ${String((e as Error).message ?? e).split("\n")[0]}` };
  }
  if (data === null || data === undefined) data = {};
  if (typeof data !== "object" || Array.isArray(data)) return { error: "Phần đầu bài giảng (YAML) phải là một danh sách khóa: giá trị." };
  const d = data as Record<string, unknown>;
  const text = (v: unknown) => (v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v));
  const list = (v: unknown) => (Array.isArray(v) ? v.map(text).join("\n") : text(v));
  return {
    values: {
      number: text(d.number),
      title: text(d.title),
      periods: text(d.periods),
      summary: text(d.summary),
      objectives: list(d.objectives),
      sources: list(d.sources),
      unconfirmed: d.unconfirmed === true,
    },
  };
}

/** A YAML scalar for a text: plain when YAML reads it back as the same text, else double-quoted (JSON is valid YAML). */
export function yamlScalar(s: string): string {
  if (s !== "" && !/[\n\r\t]/.test(s)) {
    try {
      const back = parse(`k: ${s}`) as { k?: unknown } | null;
      if (back && back.k === s) return s;
    } catch {
      /* not plain: quoted below */
    }
  }
  return JSON.stringify(s);
}

function block(name: FieldName, value: string | boolean): string {
  if (typeof value === "boolean") return `${name}: ${value}`;
  if ((NUMBER_FIELDS as readonly string[]).includes(name)) {
    const t = value.trim();
    return /^\d{1,9}$/.test(t) ? `${name}: ${Number(t)}` : t === "" ? `${name}:` : `${name}: ${yamlScalar(value)}`;
  }
  if ((LIST_FIELDS as readonly string[]).includes(name)) {
    if (value === "") return `${name}: []`;
    return `${name}:\n${value
      .split("\n")
      .map((item) => `  - ${yamlScalar(item)}`)
      .join("\n")}`;
  }
  return `${name}: ${yamlScalar(value)}`;
}

/** Lines [start, end) of a top-level key's block: its line and every indented, blank or `- ` line after it. */
function findKey(lines: string[], name: string): [number, number] | null {
  const start = lines.findIndex((l) => l.startsWith(`${name}:`) && (l.length === name.length + 1 || /\s/.test(l[name.length + 1]!)));
  if (start < 0) return null;
  let end = start + 1;
  while (end < lines.length && (lines[end] === "" || /^[\s]/.test(lines[end]!) || /^-(\s|$)/.test(lines[end]!))) end++;
  // Trailing blank lines belong between keys, not to this one.
  while (end > start + 1 && lines[end - 1] === "") end--;
  return [start, end];
}

/** The YAML with one field set from the form; every other line is kept. */
export function writeField(yaml: string, name: FieldName, value: string | boolean): string {
  const lines = yaml === "" ? [] : yaml.split("\n");
  const fresh = block(name, value).split("\n");
  const at = findKey(lines, name);
  if (at) {
    lines.splice(at[0], at[1] - at[0], ...fresh);
    return lines.join("\n");
  }
  // A missing key goes after the last present key that comes before it in the schema's order.
  let insertAt = 0;
  for (const prior of FIELD_ORDER.slice(0, FIELD_ORDER.indexOf(name))) {
    const p = findKey(lines, prior);
    if (p) insertAt = Math.max(insertAt, p[1]);
  }
  lines.splice(insertAt, 0, ...fresh);
  return lines.join("\n");
}
