import { z } from "zod";

/** The shapes of content files (docs/content-format.md), checked at every load. */

const text = z.string().trim().min(1, "không được để trống");

export const programmeManifestSchema = z.object({
  code: z.string().regex(/^[a-z0-9-]+$/, "mã chương trình chỉ gồm chữ thường không dấu, số và gạch ngang"),
  name: text,
  shortName: text.optional(),
  guideline: z.object({
    number: text,
    date: z.union([z.string(), z.date()]).transform((d) => (d instanceof Date ? d.toISOString().slice(0, 10) : d)),
    issuer: text,
  }),
  targetGroup: text,
  entryRules: z.array(text).default([]),
  assessment: z.enum(["essay", "test", "essay_and_test"], { error: "assessment phải là essay, test hoặc essay_and_test" }),
  assessmentLabel: text,
  totalPeriods: z.number().int().positive(),
  periodsPerSession: z.number().int().positive(),
  activities: z.array(z.object({ code: text, title: text, periods: z.number().int().positive() })).default([]),
  /** Least minutes on a lesson before it can be marked done (server/curricula/study-time.ts); default, unconfirmed. */
  minStudyMinutes: z.number({ error: "minStudyMinutes phải là số phút" }).int().min(0).max(240).default(10),
  unconfirmed: z.array(text).default([]),
});
export type ProgrammeManifest = z.infer<typeof programmeManifestSchema>;

export const lessonFrontmatterSchema = z.object({
  number: z.number().int().positive(),
  title: text,
  periods: z.number().int().positive(),
  summary: text,
  objectives: z.array(text).min(1, "cần ít nhất một mục tiêu"),
  sources: z.array(text).min(1, "cần ít nhất một văn bản làm căn cứ"),
  unconfirmed: z.boolean().default(false),
});
export type LessonFrontmatter = z.infer<typeof lessonFrontmatterSchema>;
