/**
 * The one place pages format dates, times and numbers (issue 14, item 6).
 *
 * Every function here is deterministic: plain arithmetic in Asia/Ho_Chi_Minh (UTC+7,
 * no daylight saving) and the Vietnamese decimal comma, never `toLocaleString` or the
 * machine's time zone. The server renders a page and the browser hydrates it; if the
 * two printed "the same" date differently (another ICU version, a browser set to
 * another zone), React would throw errors #418/#423 and re-render the whole page.
 * Nothing here reads the clock either: "today" comes from the loader.
 */
import { formatVnDate, formatVnDateTime, vnDay } from "../../server/rules/dates";
export { formatCount, formatNumber, formatPercent, formatScore, formatShare } from "../../server/rules/numbers";

const VN_OFFSET_MS = 7 * 3600_000;

/** An instant's wall-clock parts in Vietnam, as zero-padded strings; null when not a date. */
function vnParts(at: string | Date | null | undefined) {
  if (!at) return null;
  const t = new Date(at);
  if (Number.isNaN(t.getTime())) return null;
  const s = new Date(t.getTime() + VN_OFFSET_MS).toISOString();
  return { y: s.slice(0, 4), m: s.slice(5, 7), d: s.slice(8, 10), hm: s.slice(11, 16), hms: s.slice(11, 19) };
}

/** "19:05 07/12/2026": time then date, as the pages have always shown an instant. */
export function formatDateTime(at: string | Date | null | undefined): string {
  const p = vnParts(at);
  return p ? `${p.hm} ${p.d}/${p.m}/${p.y}` : "";
}

/** "19:05:09": the time of day in Vietnam (event logs). */
export function formatTime(at: string | Date | null | undefined): string {
  return vnParts(at)?.hms ?? "";
}

/** "2026-12-07": today's (or an instant's) calendar day in Vietnam, for loaders to hand to pages. */
export const vnToday = (now: Date = new Date()) => vnDay(now);

/** "07/12/2026" for a day ("2026-12-07") or an instant; "07/12/2026 16:05" in documents. */
export { formatVnDate as formatDate, formatVnDateTime };
