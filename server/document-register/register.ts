import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { parseYamlWith, type ContentProblem } from "../curricula/source";

/**
 * The register of source documents (content/documents/register.yaml): every Party document
 * a lesson or a question cites, with its status. It exists so that a replaced document is
 * never taught as current without anyone noticing (issue #16): `documents:check` reads
 * every citation against it.
 */
export const DOCUMENT_STATUSES = ["in_force", "amended", "replaced", "superseded", "historical", "unreviewed"] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

export const STATUS_LABELS: Record<DocumentStatus, string> = {
  in_force: "Đang có hiệu lực",
  amended: "Đã được sửa đổi, bổ sung",
  replaced: "Đã được thay thế",
  superseded: "Đã có văn bản mới cùng vấn đề",
  historical: "Văn bản lịch sử",
  unreviewed: "Chưa rà soát hiệu lực",
};

/** "294-QĐ/TW", "08-QĐi/TW", "36-HD/VPTW": the number as documents print it. */
export const DOCUMENT_NUMBER = /\b(\d{1,4})-(QĐi|QĐ|NQ|HD|CT|KL)\/(TW|BTGTW|VPTW|BTCTW)\b/gu;

const day = z.union([
  z.number().int().min(1930).max(2100),
  z.string().regex(/^\d{4}(-\d{2}-\d{2})?$/, "ngày ban hành: YYYY hoặc YYYY-MM-DD"),
]);

const entrySchema = z
  .object({
    number: z.string().regex(/^\d{1,4}-(QĐi|QĐ|NQ|HD|CT|KL)\/(TW|BTGTW|VPTW|BTCTW)$/u, "số hiệu dạng 294-QĐ/TW"),
    title: z.string().min(5),
    issuer: z.string().min(3),
    issued: day,
    status: z.enum(DOCUMENT_STATUSES),
    replaced_by: z.array(z.string()).optional(),
    checked: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
    checked_against: z.string().optional(),
    note: z.string().optional(),
  })
  .strict()
  .refine((e) => !["replaced", "superseded"].includes(e.status) || (e.replaced_by?.length ?? 0) > 0, {
    message: "văn bản đã được thay thế phải ghi replaced_by (văn bản thay thế)",
    path: ["replaced_by"],
  })
  .refine((e) => ["unreviewed", "historical"].includes(e.status) || (!!e.checked && !!e.checked_against), {
    message: "trạng thái đã rà soát phải ghi checked (ngày) và checked_against (nguồn đã đối chiếu)",
    path: ["checked"],
  });

const registerSchema = z.object({ documents: z.array(entrySchema).min(1) }).strict();

export type RegisterEntry = z.infer<typeof entrySchema> & { year: number };

export interface DocumentRegister {
  entries: RegisterEntry[];
  /** Entries by number; several entries share a number across terms (19-NQ/TW of 2017 and of 2022). */
  byNumber: Map<string, RegisterEntry[]>;
}

export const REGISTER_FILE = "content/documents/register.yaml";

export function parseRegister(text: string, file = REGISTER_FILE): { register: DocumentRegister | null; problems: ContentProblem[] } {
  const { value, problems } = parseYamlWith(registerSchema, text, file);
  if (!value) return { register: null, problems };
  const entries = value.documents.map((e) => ({ ...e, year: Number(String(e.issued).slice(0, 4)) }));
  const byNumber = new Map<string, RegisterEntry[]>();
  for (const e of entries) byNumber.set(e.number, [...(byNumber.get(e.number) ?? []), e]);
  const lines = text.split("\n");
  const lineOf = (number: string) => Math.max(1, lines.findIndex((l) => l.includes(`number: ${number}`)) + 1);
  for (const [number, same] of byNumber) {
    const years = same.map((e) => e.year);
    if (new Set(years).size !== years.length)
      problems.push({ file, line: lineOf(number), message: `${number} ghi hai lần cùng năm ${years.join(", ")}.` });
  }
  for (const e of entries) {
    for (const r of e.replaced_by ?? []) {
      if (!byNumber.has(r))
        problems.push({ file, line: lineOf(e.number), message: `${e.number}: văn bản thay thế ${r} chưa có trong sổ.` });
    }
  }
  return { register: problems.length ? null : { entries, byNumber }, problems };
}

export function readRegister(root = process.cwd()) {
  const file = path.join(root, REGISTER_FILE);
  if (!fs.existsSync(file)) return { register: null, problems: [{ file: REGISTER_FILE, line: 1, message: "Chưa có sổ văn bản nguồn." }] };
  return parseRegister(fs.readFileSync(file, "utf8"), REGISTER_FILE);
}
