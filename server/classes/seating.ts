import { sortByVietnameseName } from "../rules/vietnamese-names";

/**
 * The seating plan of a class (sơ đồ chỗ ngồi): trainees in Vietnamese name order,
 * filled row by row from the front, `perRow` seats a row, split by a centre aisle.
 * Pure; the page prints it.
 */
export interface Seat<T> {
  /** "A1": row letter, seat number from the left as the lecturer faces the class. */
  label: string;
  trainee: T | null;
}

export function seatingPlan<T>(trainees: T[], name: (t: T) => string, opts: { perRow: number }): Seat<T>[][] {
  const perRow = Math.min(Math.max(Math.trunc(opts.perRow) || 1, 1), 20);
  const sorted = sortByVietnameseName(trainees, name);
  const rows: Seat<T>[][] = [];
  for (let r = 0; r * perRow < Math.max(sorted.length, 1); r++) {
    const letter = rowLetter(r);
    rows.push(Array.from({ length: perRow }, (_, s) => ({ label: `${letter}${s + 1}`, trainee: sorted[r * perRow + s] ?? null })));
  }
  return rows;
}

/** A, B, … Z, AA, AB, … */
export function rowLetter(i: number): string {
  let s = "";
  let n = i;
  do {
    s = String.fromCharCode(65 + (n % 26)) + s;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return s;
}
