import fs from "node:fs";
import path from "node:path";
import type { ContentProblem } from "../curricula/source";
import { checkLine } from "./citations";
import { DOCUMENT_NUMBER, readRegister, type DocumentRegister } from "./register";

/** The content folders whose citations the register covers. */
export const CITING_DIRS = ["content/curricula", "content/question-banks"];

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((d) => (d.isDirectory() ? filesUnder(path.join(dir, d.name)) : /\.(mdx|ya?ml)$/.test(d.name) ? [path.join(dir, d.name)] : []))
    .sort();
}

/**
 * Line indexes of a bank file's wrong options. A replaced document may be offered as a wrong
 * answer ("Quy định 66-QĐ/TW" among the choices of a question about layout); the stem, the
 * correct options, the explanation and the source are checked.
 */
export function distractorLines(lines: string[]): Set<number> {
  const out = new Set<number>();
  let block: number[] = [];
  const flush = () => {
    const text = block.map((i) => lines[i]).join("\n");
    const correct = new Set(
      (text.match(/^\s*correct:\s*\[([^\]]*)\]/m)?.[1] ?? "")
        .split(",")
        .map((x) => Number(x.trim()))
        .filter((n) => Number.isInteger(n)),
    );
    let inOptions = false;
    let indent = -1;
    let index = 0;
    for (const i of block) {
      const line = lines[i];
      if (/^\s*options:\s*$/.test(line)) {
        inOptions = true;
        indent = -1;
        index = 0;
        continue;
      }
      if (!inOptions) continue;
      const item = line.match(/^(\s*)- /);
      if (item && (indent < 0 || item[1].length === indent)) {
        indent = item[1].length;
        if (!correct.has(index)) out.add(i);
        index++;
      } else if (line.trim() && !line.startsWith(" ".repeat(indent + 2))) inOptions = false;
    }
    block = [];
  };
  lines.forEach((line, i) => {
    if (/^\s*- key:/.test(line)) flush();
    block.push(i);
  });
  flush();
  return out;
}

/** Checks every line of every lesson and bank file; `root` is the project (or a copy of its content). */
export function checkCitations(
  register: DocumentRegister,
  root = process.cwd(),
  dirs = CITING_DIRS,
): { problems: ContentProblem[]; citedNumbers: Map<string, number> } {
  const problems: ContentProblem[] = [];
  const citedNumbers = new Map<string, number>();
  for (const dir of dirs) {
    for (const file of filesUnder(path.join(root, dir))) {
      const rel = path.relative(root, file);
      const lines = fs.readFileSync(file, "utf8").split("\n");
      const distractors = file.endsWith(".mdx") ? new Set<number>() : distractorLines(lines);
      lines.forEach((line, i) => {
        if (!distractors.has(i)) for (const p of checkLine(line, register)) problems.push({ file: rel, line: i + 1, message: p.message });
        for (const m of line.matchAll(DOCUMENT_NUMBER)) citedNumbers.set(m[0], (citedNumbers.get(m[0]) ?? 0) + 1);
      });
    }
  }
  return { problems, citedNumbers };
}

export interface RegisterReport {
  problems: ContentProblem[];
  documents: number;
  unreviewed: string[];
  replacedStillCited: string[];
}

export function checkDocumentRegister(root = process.cwd(), dirs = CITING_DIRS): RegisterReport {
  const { register, problems } = readRegister(root);
  if (!register) return { problems, documents: 0, unreviewed: [], replacedStillCited: [] };
  const cited = checkCitations(register, root, dirs);
  return {
    problems: cited.problems,
    documents: register.entries.length,
    unreviewed: register.entries.filter((e) => e.status === "unreviewed").map((e) => e.number),
    replacedStillCited: register.entries
      .filter((e) => (e.status === "replaced" || e.status === "superseded") && cited.citedNumbers.has(e.number))
      .map((e) => e.number),
  };
}
