import { z } from "zod";
import { DEFAULT_POLICY, type GradingPolicy } from "../exams/scoring";

/**
 * The rules that turn attendance, conduct and the assessment into a result (domain
 * brief §4). Every number is editable data per class; the defaults below are the
 * brief's "(default, unconfirmed)" values, never constants in the rules themselves.
 */
export interface RecordsPolicy {
  /** Pass mark and bands (xếp loại), highest band first. */
  passMark: number;
  bands: GradingPolicy["bands"];
  /** Absent from MORE than this share of the programme's periods ⇒ may not sit (0.2 = 20 %). */
  maxAbsentShare: number;
  /** Whether an excused absence (vắng có phép) counts towards the threshold. */
  excusedCounts: boolean;
  /** How many periods of a session a late arrival (đi muộn) costs; 0 counts it as present. */
  latePeriods: number;
  /** Re-sits allowed after a failed first attempt, then re-study with a later class. */
  maxResits: number;
  /** A serious conduct breach withholds the certificate. */
  seriousBreachWithholds: boolean;
}

export const DEFAULT_RECORDS_POLICY: RecordsPolicy = {
  passMark: DEFAULT_POLICY.passMark,
  bands: DEFAULT_POLICY.bands,
  maxAbsentShare: 0.2,
  excusedCounts: true,
  latePeriods: 0,
  maxResits: 1,
  seriousBreachWithholds: true,
};

/** Which values are unconfirmed defaults (shown next to the form so nobody mistakes them for rules). */
export const UNCONFIRMED_POLICY_KEYS: (keyof RecordsPolicy)[] = ["bands", "maxAbsentShare", "maxResits", "seriousBreachWithholds"];

export const recordsPolicySchema = z.object({
  passMark: z.number({ error: "Điểm đạt phải là số" }).min(0, "Điểm đạt từ 0 đến 10").max(10, "Điểm đạt từ 0 đến 10"),
  bands: z
    .array(z.object({ code: z.string().min(1), label: z.string().min(1), min: z.number().min(0).max(10) }))
    .min(1, "Cần ít nhất một mức xếp loại"),
  maxAbsentShare: z.number({ error: "Tỉ lệ vắng phải là số" }).min(0, "Tỉ lệ vắng từ 0 đến 100%").max(1, "Tỉ lệ vắng từ 0 đến 100%"),
  excusedCounts: z.boolean(),
  latePeriods: z.number().int().min(0, "Số tiết tính cho đi muộn không được âm").max(10),
  maxResits: z.number().int().min(0, "Số lần thi lại không được âm").max(5, "Tối đa 5 lần thi lại"),
  seriousBreachWithholds: z.boolean(),
}) satisfies z.ZodType<RecordsPolicy>;

/** A stored policy merged over the defaults (a class may store only what it changed). */
export function resolvePolicy(stored: unknown): RecordsPolicy {
  if (!stored || typeof stored !== "object") return DEFAULT_RECORDS_POLICY;
  const merged = { ...DEFAULT_RECORDS_POLICY, ...(stored as Partial<RecordsPolicy>) };
  const parsed = recordsPolicySchema.safeParse(merged);
  if (!parsed.success) return DEFAULT_RECORDS_POLICY;
  // Bands are searched highest first.
  return { ...parsed.data, bands: [...parsed.data.bands].sort((a, b) => b.min - a.min) };
}
