// The shared shape every question-bank file format is read into and written from.
// Pure data: no database ids, no HTTP. The importer UI and the database layer build
// on these types, so fields may be added but never removed or renamed.

export type QuestionType = "single" | "multiple" | "true_false" | "essay";
export type Level = "nhan_biet" | "thong_hieu" | "van_dung";

export interface ImportedImage {
  name: string;
  mime: string;
  data: Uint8Array;
}

/**
 * One answer option. `fraction` is a Moodle-style weight in [-1, 1]: 1 = fully correct,
 * 0 = wrong, negative = penalty. For multiple-choice the weights of the correct options sum to 1.
 */
export interface ImportedOption {
  text: string;
  fraction: number;
  feedback?: string;
}

export interface ImportedQuestion {
  /** 1-based line (text formats), row (spreadsheets) or paragraph number (docx) where the question starts. */
  line: number;
  type: QuestionType;
  /** Title (GIFT ::title::, Moodle <name>). */
  name?: string;
  /** NFC-normalised; plain text, or sanitised HTML when stemFormat is "html". */
  stem: string;
  stemFormat: "plain" | "html";
  options: ImportedOption[];
  /** General feedback shown after answering. */
  explanation?: string;
  /** Slash-separated path, e.g. "HD61/Bài 1" (Moodle's "$course$/top/" prefix removed). */
  category?: string;
  lesson?: number;
  level?: Level;
  tags: string[];
  source?: string;
  /**
   * Images referenced by the stem. In an HTML stem they are referenced as
   * `<img src="@@PLUGINFILE@@/<name>">` (Moodle's convention, also used for docx pictures).
   */
  images: ImportedImage[];

  // ---- additions (optional, beyond the agreed interface) ----
  /** Stable question code: spreadsheet "Mã", Moodle <idnumber>, GIFT `// [id:…]`. */
  code?: string;
  /** The question's own number in the source document ("Câu 7" → 7); docx only. */
  number?: number;
  /** Moodle's shuffleanswers, when the source says so. */
  shuffleAnswers?: boolean;
  /**
   * Where the question may be drawn (issue 13, item 2): spreadsheet "Sử dụng", Word
   * "Sử dụng:" line, GIFT/Moodle tag "Sử dụng: Thi". Absent means both.
   */
  use?: "practice" | "exam" | "both";
}

export interface ParseIssue {
  line: number;
  column?: string;
  severity: "error" | "warning";
  /** Vietnamese, says what to fix. */
  message: string;
}

/** A question the file holds but this platform cannot represent (Moodle matching, cloze…): listed, never silently dropped. */
export interface Unsupported {
  line: number;
  kind: string;
  name?: string;
}

export interface ParseResult {
  /** Questions ready to import (no error-level issue). */
  questions: ImportedQuestion[];
  issues: ParseIssue[];
  unsupported: Unsupported[];
  /**
   * Addition: questions that were read but failed validation (each has at least one
   * error in `issues` with its line). Filled by `parseQuestionFile`; the per-format
   * parsers leave validation to it.
   */
  rejected?: ImportedQuestion[];
}

export type FormatId = "xlsx" | "csv" | "docx" | "gift" | "aiken" | "moodle-xml";

export const LEVEL_LABELS: Record<Level, string> = {
  nhan_biet: "Nhận biết",
  thong_hieu: "Thông hiểu",
  van_dung: "Vận dụng",
};

export const TYPE_LABELS: Record<QuestionType, string> = {
  single: "Một lựa chọn",
  multiple: "Nhiều lựa chọn",
  true_false: "Đúng/Sai",
  essay: "Tự luận",
};

/** Option texts used for true/false questions, in this order. */
export const TRUE_TEXT = "Đúng";
export const FALSE_TEXT = "Sai";
