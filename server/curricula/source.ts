import { LineCounter, parseDocument, isNode } from "yaml";
import type { z } from "zod";
import { lessonFrontmatterSchema, type LessonFrontmatter } from "./schema";

/** A problem found in a content file, pointing at a line a person can open. */
export interface ContentProblem {
  file: string;
  line: number;
  message: string;
}

/**
 * Parses YAML and validates it with a zod schema, mapping each issue back to the
 * line of the offending key (so `curricula:check` prints file:line).
 */
export function parseYamlWith<T extends z.ZodType>(
  schema: T,
  yamlText: string,
  file: string,
  lineOffset = 0,
): { value: z.infer<T> | null; problems: ContentProblem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: false });
  if (doc.errors.length) {
    return {
      value: null,
      problems: doc.errors.map((e) => ({
        file,
        line: lineOffset + (e.linePos?.[0]?.line ?? 1),
        message: `YAML không hợp lệ: ${e.message.split("\n")[0]}`,
      })),
    };
  }
  const parsed = schema.safeParse(doc.toJS());
  if (parsed.success) return { value: parsed.data, problems: [] };
  return {
    value: null,
    problems: parsed.error.issues.map((issue) => {
      let path = issue.path as (string | number)[];
      let node: unknown = null;
      // The deepest existing node on the path: a missing key points at its parent.
      while (path.length && !isNode((node = doc.getIn(path, true)))) path = path.slice(0, -1);
      const offset = isNode(node) && node.range ? node.range[0] : 0;
      const line = lineCounter.linePos(offset).line;
      return { file, line: lineOffset + line, message: `${issue.path.join(".") || "(gốc)"}: ${issue.message}` };
    }),
  };
}

export interface LessonSource {
  frontmatter: LessonFrontmatter | null;
  body: string;
  /** Lines before the body: add to a body line number to get the file's line. */
  bodyLineOffset: number;
  problems: ContentProblem[];
}

/**
 * Splits a lesson file into frontmatter (checked here) and body. The body is checked
 * by the closed grammar (./grammar.ts) wherever it is read or compiled.
 */
export function parseLessonSource(source: string, file: string): LessonSource {
  const text = source.replace(/\r\n?/g, "\n");
  const m = /^---\n([\s\S]*?)\n---\n?/.exec(text);
  if (!m)
    return {
      frontmatter: null,
      body: text,
      bodyLineOffset: 0,
      problems: [{ file, line: 1, message: "Thiếu phần đầu (frontmatter) giữa hai dòng ---" }],
    };
  const { value, problems } = parseYamlWith(lessonFrontmatterSchema, m[1]!, file, 1);
  const bodyLineOffset = m[0].split("\n").length - 1;
  const body = text.slice(m[0].length);
  return { frontmatter: value, body, bodyLineOffset, problems };
}
