import { DOCUMENT_NUMBER, type DocumentRegister, type RegisterEntry } from "./register";

/**
 * Pure rules for one line of content that cites documents. A line may cite a replaced
 * document only when the same line names a replacement or says it was replaced — the way a
 * lesson legitimately explains what changed ("Quy định 296 thay Quy định 22 năm 2021").
 */
export interface Citation {
  number: string;
  /** The year written right after the number ("(2021)", "ngày 28/7/2021", "năm 2021"), if any. */
  year: number | null;
  entry: RegisterEntry | null;
}

export interface CitationProblem {
  number: string;
  message: string;
}

const SAYS_REPLACED = /\bthay\b|đã được thay|trước đó/iu;

export function citationsIn(line: string, register: DocumentRegister): Citation[] {
  const out: Citation[] = [];
  for (const m of line.matchAll(DOCUMENT_NUMBER)) {
    const number = m[0];
    const after = line.slice(m.index! + number.length, m.index! + number.length + 40);
    const y = after.match(/^[^;]*?(?:\(|năm |ngày \d{1,2}\/\d{1,2}\/|\d{1,2}\/\d{1,2}\/)(\d{4})/u);
    const year = y ? Number(y[1]) : null;
    const candidates = register.byNumber.get(number) ?? [];
    const entry = candidates.length === 1 ? candidates[0] : (candidates.find((e) => e.year === year) ?? null);
    out.push({ number, year, entry });
  }
  return out;
}

/** Every number an entry's replacement chain leads to (24-QĐ/TW → 232-QĐ/TW → 294-QĐ/TW). */
function replacements(entry: RegisterEntry, register: DocumentRegister): Set<string> {
  const seen = new Set<string>();
  const queue = [...(entry.replaced_by ?? [])];
  while (queue.length) {
    const n = queue.shift()!;
    if (seen.has(n)) continue;
    seen.add(n);
    for (const e of register.byNumber.get(n) ?? []) queue.push(...(e.replaced_by ?? []));
  }
  return seen;
}

export function checkLine(line: string, register: DocumentRegister): CitationProblem[] {
  const problems: CitationProblem[] = [];
  const cited = citationsIn(line, register);
  const numbers = new Set(cited.map((c) => c.number));
  for (const c of cited) {
    const known = register.byNumber.get(c.number) ?? [];
    if (!known.length) {
      problems.push({
        number: c.number,
        message: `trích ${c.number}, văn bản chưa có trong sổ văn bản nguồn (content/documents/register.yaml): thêm văn bản vào sổ, hoặc sửa số hiệu.`,
      });
      continue;
    }
    if (!c.entry) {
      problems.push({
        number: c.number,
        message: `trích ${c.number} nhưng sổ có ${known.length} văn bản cùng số (${known.map((e) => e.year).join(", ")}): ghi năm ban hành ngay sau số hiệu, ví dụ "${c.number} (${known[0].year})".`,
      });
      continue;
    }
    if (c.entry.status !== "replaced" && c.entry.status !== "superseded") continue;
    const newer = replacements(c.entry, register);
    if ([...newer].some((n) => numbers.has(n)) || SAYS_REPLACED.test(line)) continue;
    const current = [...newer].filter((n) => register.byNumber.get(n)?.some((e) => e.status === "in_force"));
    problems.push({
      number: c.number,
      message: `trích ${c.number} như văn bản hiện hành, nhưng văn bản này đã được thay bằng ${(current.length ? current : [...newer]).join(", ")}: trích văn bản hiện hành, hoặc ghi rõ ${c.number} đã được thay thế.`,
    });
  }
  return problems;
}
