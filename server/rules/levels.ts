/**
 * The result levels (xếp loại) by their codes, in one place (issue #17, item 4): the
 * default grading policy's bands (server/exams/scoring.ts), the committee's chart bands
 * (server/rules/figures.ts) and the dashboard page name them from here. Pure, so the
 * browser bundle may import it. A class or an exam may still store its own band labels
 * in its policy; these are the defaults and the chart's fixed five.
 */
export const LEVEL_LABELS = {
  xuat_sac: "Xuất sắc",
  gioi: "Giỏi",
  kha: "Khá",
  trung_binh: "Trung bình",
  khong_dat: "Không đạt",
} as const;

export type LevelCode = keyof typeof LEVEL_LABELS;

/** Highest first: the order of the chart and of a policy's bands. */
export const LEVEL_CODES = ["xuat_sac", "gioi", "kha", "trung_binh", "khong_dat"] as const satisfies readonly LevelCode[];
