import fs from "node:fs";
import path from "node:path";
import { checkLessonNumbers, checkPeriods } from "./rules";
import { programmeManifestSchema, type LessonFrontmatter, type ProgrammeManifest } from "./schema";
import { parseLessonSource, parseYamlWith, type ContentProblem } from "./source";
import { projectRoot } from "../paths";
import { compileLesson } from "./compile";

/** The programmes as they stand in content/curricula/: one folder each, one MDX file per lesson. */
export interface ProgrammeFiles {
  dir: string;
  manifest: ProgrammeManifest | null;
  lessons: LessonFile[];
}

export interface LessonFile {
  file: string;
  slug: string;
  position: number;
  source: string;
  frontmatter: LessonFrontmatter | null;
  body: string;
  bodyLineOffset: number;
}

const LESSON_FILE = /^(\d{2})-([a-z0-9-]+)\.mdx$/;

export function defaultContentRoot(): string {
  // The shipped programmes sit beside the code, wherever the process was started from (decision 030).
  return process.env.CONTENT_DIR ? path.resolve(process.env.CONTENT_DIR) : path.join(projectRoot(), "content/curricula");
}

export function readProgrammes(root = defaultContentRoot()): { programmes: ProgrammeFiles[]; problems: ContentProblem[] } {
  const problems: ContentProblem[] = [];
  const programmes: ProgrammeFiles[] = [];
  const rel = (f: string) => path.relative(process.cwd(), f) || f;
  for (const name of fs.readdirSync(root).sort()) {
    const dir = path.join(root, name);
    if (!fs.statSync(dir).isDirectory()) continue;
    const manifestFile = path.join(dir, "programme.yaml");
    let manifest: ProgrammeManifest | null = null;
    if (!fs.existsSync(manifestFile)) problems.push({ file: rel(dir), line: 0, message: "Thiếu tệp programme.yaml" });
    else {
      const r = parseYamlWith(programmeManifestSchema, fs.readFileSync(manifestFile, "utf8"), rel(manifestFile));
      manifest = r.value;
      problems.push(...r.problems);
      if (manifest && manifest.code !== name)
        problems.push({ file: rel(manifestFile), line: 1, message: `code “${manifest.code}” phải trùng tên thư mục “${name}”` });
    }
    const lessons: LessonFile[] = [];
    for (const f of fs.readdirSync(dir).sort()) {
      if (!f.endsWith(".mdx")) continue;
      const file = path.join(dir, f);
      const m = LESSON_FILE.exec(f);
      if (!m) {
        problems.push({
          file: rel(file),
          line: 0,
          message: "Tên tệp bài học phải có dạng NN-ten-bai.mdx (hai chữ số, chữ thường không dấu)",
        });
        continue;
      }
      const source = fs.readFileSync(file, "utf8");
      if (source !== source.normalize("NFC"))
        problems.push({
          file: rel(file),
          line: 1,
          message: "Văn bản chưa chuẩn hóa Unicode NFC (dấu tiếng Việt tổ hợp); hãy lưu lại ở dạng dựng sẵn.",
        });
      const parsed = parseLessonSource(source, rel(file));
      problems.push(...parsed.problems);
      lessons.push({
        file: rel(file),
        slug: m[2]!,
        position: Number(m[1]),
        source,
        frontmatter: parsed.frontmatter,
        body: parsed.body,
        bodyLineOffset: parsed.bodyLineOffset,
      });
    }
    if (manifest && lessons.every((l) => l.frontmatter)) {
      const numbers = checkLessonNumbers(lessons.map((l) => l.frontmatter!.number));
      for (const msg of numbers) problems.push({ file: rel(dir), line: 0, message: msg });
      lessons.forEach((l) => {
        if (l.frontmatter!.number !== l.position)
          problems.push({
            file: l.file,
            line: 2,
            message: `number: ${l.frontmatter!.number} không khớp với tiền tố tên tệp ${String(l.position).padStart(2, "0")}`,
          });
      });
      const periods = checkPeriods(
        lessons.map((l) => ({ label: l.frontmatter!.title, periods: l.frontmatter!.periods })),
        manifest.activities.map((a) => ({ label: a.title, periods: a.periods })),
        manifest.totalPeriods,
        manifest.periodsPerSession,
      );
      for (const msg of periods.problems) problems.push({ file: rel(manifestFile), line: 1, message: msg });
    }
    programmes.push({ dir: rel(dir), manifest, lessons });
  }
  return { programmes, problems };
}

/**
 * Everything `curricula:check` verifies: shapes, numbering, periods, and that every
 * lesson passes the closed grammar and compiles (the compiler checks first; decision 016).
 */
export async function checkProgrammes(root = defaultContentRoot()): Promise<{ programmes: ProgrammeFiles[]; problems: ContentProblem[] }> {
  const { programmes, problems } = readProgrammes(root);
  for (const p of programmes) {
    for (const l of p.lessons) {
      const r = await compileLesson(l.body);
      if (!r.ok) for (const p of r.problems) problems.push({ file: l.file, line: l.bodyLineOffset + p.line, message: p.message });
    }
  }
  problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return { programmes, problems };
}
