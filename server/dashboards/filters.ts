import type { DashboardFilters } from "./service";

/** Query string (Vietnamese names) → filters; anything unparsable is simply ignored. Pure. */
export function parseDashboardFilters(q: URLSearchParams): DashboardFilters {
  const int = (k: string, min: number, max: number) => {
    const n = Number(q.get(k));
    return Number.isInteger(n) && n >= min && n <= max ? n : undefined;
  };
  const programme = q.get("chuong-trinh") ?? "";
  const lecturer = (q.get("giang-vien") ?? "").trim();
  return {
    year: int("nam", 2000, 2100),
    quarter: int("quy", 1, 4),
    centreId: int("trung-tam", 1, 2 ** 31 - 1),
    programme: /^[a-z0-9_-]{1,20}$/.test(programme) ? programme : undefined,
    lecturer: lecturer ? lecturer.slice(0, 200) : undefined,
  };
}
