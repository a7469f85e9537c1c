import { z } from "zod";
import { formatVnDate, parseVnDate, vnDay } from "./dates";

/**
 * Birth dates: one rule for every way a date of birth comes in (file imports, the
 * nomination form, the demo generator) and for every document that prints one
 * (docs/imports.md, "Ngày sinh"). The database holds the same range as a CHECK
 * constraint (migration 20261207_0014), so a bad date cannot be stored by a path
 * that forgot this module.
 */
export const BIRTH_DATE_MIN = "1900-01-01";

/** Why a stored or typed birth date (ISO) is not acceptable, in Vietnamese; null when it is fine. */
export function birthDateProblem(iso: string | null | undefined, today: string): string | null {
  if (!iso || !iso.trim()) return "chưa có ngày sinh";
  const s = iso.trim();
  if (parseVnDate(s) !== s || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return `ngày sinh “${s}” không phải ngày hợp lệ`;
  if (s < BIRTH_DATE_MIN) return `ngày sinh ${formatVnDate(s)} trước năm 1900`;
  if (s > today) return `ngày sinh ${formatVnDate(s)} sau ngày hôm nay`;
  return null;
}

/**
 * A birth date as typed (dd/mm/yyyy, or ISO from a date input) → ISO, with a message
 * that says what to fix. Callers put the row and column in front of it.
 */
export function birthDateSchema(today?: string) {
  return z
    .string({ error: "Chưa có ngày sinh." })
    .trim()
    .min(1, "Chưa có ngày sinh.")
    .transform((raw, ctx) => {
      // Today is read per parse: a schema built once at module load must not freeze it.
      const until = today ?? vnDay(new Date());
      const iso = parseVnDate(raw);
      if (!iso) {
        ctx.addIssue({ code: "custom", message: `“${raw}” không phải ngày hợp lệ; ghi theo dạng ngày/tháng/năm, ví dụ 05/03/2006.` });
        return z.NEVER;
      }
      if (iso < BIRTH_DATE_MIN || iso > until) {
        ctx.addIssue({
          code: "custom",
          message: `Ngày sinh ${formatVnDate(iso)} không hợp lý: phải từ 01/01/1900 đến hôm nay (${formatVnDate(until)}).`,
        });
        return z.NEVER;
      }
      return iso;
    });
}

/** An import cell's birth date: the ISO value, or "Dòng 5, cột “Ngày sinh”: …" saying what to fix. */
export function parseBirthDateCell(
  raw: string,
  at: { row: number; column: string; today: string },
): { value: string; message: null } | { value: null; message: string } {
  const r = birthDateSchema(at.today).safeParse(raw);
  if (r.success) return { value: r.data, message: null };
  return { value: null, message: `Dòng ${at.row}, cột “${at.column}”: ${r.error.issues[0]!.message}` };
}

/**
 * A birth date as a document prints it. A bad or blank one never stops the document
 * (issue 14): the cell says what is wrong, and the caller names the record on the page.
 */
export function birthDateCell(iso: string | null | undefined, today: string): { text: string; problem: string | null } {
  const problem = birthDateProblem(iso, today);
  if (!problem) return { text: formatVnDate(iso!), problem: null };
  const fix = iso && iso.trim() ? "cần sửa" : "cần bổ sung";
  return { text: `[${problem.charAt(0).toLocaleUpperCase("vi")}${problem.slice(1)} — ${fix}]`, problem };
}

/**
 * The records a document flagged, for the notice on the page that offers it: who, and
 * what to fix. Empty when every birth date is fine.
 */
export function birthDatesToFix<T extends { fullName: string; birthDate: string | null | undefined }>(
  people: T[],
  today: string,
): (T & { problem: string })[] {
  const out: (T & { problem: string })[] = [];
  for (const p of people) {
    const problem = birthDateProblem(p.birthDate, today);
    if (problem) out.push({ ...p, problem });
  }
  return out;
}
