/**
 * Invented birth dates for demo trainees. The first version wrote the year as
 * `19${80 + n}`, which gave "19100-05-18" once n passed 19: dates PostgreSQL stores
 * happily and every document then refused (issue 14). The year is now a number, the day
 * at most 28, and three draws of `rand` are made as before so the rest of the demo data
 * (names, scores) stays what it was.
 */
export const DEMO_BIRTH_YEARS = { from: 1980, to: 2004 } as const;

export function demoBirthDate(rand: () => number): string {
  const year = DEMO_BIRTH_YEARS.from + Math.floor(rand() * (DEMO_BIRTH_YEARS.to - DEMO_BIRTH_YEARS.from + 1));
  const month = 1 + Math.floor(rand() * 12);
  const day = 1 + Math.floor(rand() * 28);
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}
