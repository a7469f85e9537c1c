import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { parseYamlWith, type ContentProblem } from "../curricula/source";
import { projectRoot } from "../paths";
import type { QuestionLevel, QuestionType, StoredOption } from "../db/schema";

/** The seed banks in content/question-banks/<programme>/NN-slug.yaml (docs/content-format.md). */
const seedQuestion = z
  .object({
    key: z.string().regex(/^[a-z0-9-]+$/),
    type: z.enum(["single", "multiple", "true_false"]),
    level: z.enum(["nhan_biet", "thong_hieu", "van_dung"]),
    stem: z.string().trim().min(1),
    options: z.array(z.string().trim().min(1)).min(2).max(6),
    correct: z.array(z.number().int().min(0)).min(1),
    explanation: z.string().trim().optional(),
    source: z.string().trim().min(1),
  })
  .superRefine((q, ctx) => {
    if (q.correct.some((i) => i >= q.options.length))
      ctx.addIssue({ code: "custom", path: ["correct"], message: "đáp án trỏ tới phương án không có" });
    if (q.type !== "multiple" && q.correct.length !== 1)
      ctx.addIssue({ code: "custom", path: ["correct"], message: "câu một lựa chọn phải có đúng một đáp án" });
    if (q.type === "multiple" && q.correct.length < 2)
      ctx.addIssue({ code: "custom", path: ["correct"], message: "câu nhiều lựa chọn cần ít nhất hai đáp án đúng" });
    if (q.type === "true_false" && q.options.join("|") !== "Đúng|Sai")
      ctx.addIssue({ code: "custom", path: ["options"], message: "câu Đúng/Sai phải có hai phương án Đúng, Sai" });
  });

const seedFile = z.object({ programme: z.string(), lesson: z.number().int().positive(), questions: z.array(seedQuestion).min(1) });

export interface SeedQuestion {
  key: string;
  lesson: number;
  type: QuestionType;
  level: QuestionLevel;
  stem: string;
  options: StoredOption[];
  explanation: string | null;
  source: string;
}

export function readSeedBanks(
  root = process.env.BANKS_DIR ? path.resolve(process.env.BANKS_DIR) : path.join(projectRoot(), "content/question-banks"),
) {
  const banks = new Map<string, SeedQuestion[]>();
  const problems: ContentProblem[] = [];
  if (!fs.existsSync(root)) return { banks, problems };
  for (const programme of fs.readdirSync(root).sort()) {
    const dir = path.join(root, programme);
    if (!fs.statSync(dir).isDirectory()) continue;
    const list: SeedQuestion[] = [];
    for (const f of fs.readdirSync(dir).sort()) {
      if (!f.endsWith(".yaml")) continue;
      const file = path.join(dir, f);
      const { value, problems: p } = parseYamlWith(seedFile, fs.readFileSync(file, "utf8"), path.relative(process.cwd(), file));
      problems.push(...p);
      if (!value) continue;
      for (const q of value.questions) {
        // Correct options weigh equally and sum to 1 (Moodle's convention for multiple answers).
        const weight = 1 / q.correct.length;
        list.push({
          key: q.key,
          lesson: value.lesson,
          type: q.type,
          level: q.level,
          stem: q.stem.normalize("NFC"),
          options: q.options.map((text, i) => ({ text: text.normalize("NFC"), fraction: q.correct.includes(i) ? weight : 0 })),
          explanation: q.explanation?.normalize("NFC") ?? null,
          source: q.source.normalize("NFC"),
        });
      }
    }
    banks.set(programme, list);
  }
  return { banks, problems };
}
