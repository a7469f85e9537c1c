/** Dates as people write them in Vietnam (dd/mm/yyyy) ⇄ ISO "YYYY-MM-DD". Pure. */

export function parseVnDate(input: string): string | null {
  const s = input.trim();
  let d: number, m: number, y: number;
  let match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  if (match) [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s))) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

export function formatVnDate(iso: string | Date | null | undefined): string {
  if (!iso) return "";
  const s = typeof iso === "string" ? iso : vnDay(iso);
  const [y, m, d] = s.slice(0, 10).split("-");
  return `${d}/${m}/${y}`;
}

/** The calendar day in Asia/Ho_Chi_Minh (UTC+7, no daylight saving) of an instant. */
export function vnDay(at: Date): string {
  return new Date(at.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

/** "ngày 05 tháng 03 năm 2026", the form of the date line in Party documents. */
export function vnLongDate(iso: string): string {
  const [y, m, d] = iso.split("-");
  return `ngày ${d} tháng ${m} năm ${y}`;
}

/** "07/12/2026 16:05": an instant as a Vietnamese date and time in Asia/Ho_Chi_Minh. */
export function formatVnDateTime(at: Date | string | null | undefined): string {
  if (!at) return "";
  const t = new Date(at);
  if (Number.isNaN(t.getTime())) return "";
  const local = new Date(t.getTime() + 7 * 3600_000).toISOString();
  return `${local.slice(8, 10)}/${local.slice(5, 7)}/${local.slice(0, 4)} ${local.slice(11, 16)}`;
}
