/**
 * Numbers as Vietnamese writes them: a decimal comma, no thousands separator in figures
 * this small (issue 20, point 6). Pure and used by pages, exports and documents alike,
 * so no screen prints "91.4%" beside another's "91,4%".
 *
 * The digits come from `Intl.NumberFormat("vi-VN")` (issue 17, item 4); the rounding is
 * done here first, by arithmetic with a small nudge (7.35 → 7,4 as a person rounds it,
 * not 7,3 as its binary value would), so Intl only prints a number that already has
 * its final digits and the server and the browser print the same.
 */

const formats = new Map<string, Intl.NumberFormat>();
/** A cached vi-VN format: `decimals` at most (or exactly, when `fixed`), grouping only for counts. */
function vi(decimals: number, fixed = false, grouping = false): Intl.NumberFormat {
  const key = `${decimals}/${fixed}/${grouping}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.NumberFormat("vi-VN", {
      minimumFractionDigits: fixed ? decimals : 0,
      maximumFractionDigits: decimals,
      useGrouping: grouping,
    });
    formats.set(key, f);
  }
  return f;
}

/** 7.25 → "7,25"; at most `decimals` decimals, trailing zeros dropped; null → "—". */
export function formatNumber(x: number | string | null | undefined, decimals = 2): string {
  if (x === null || x === undefined || x === "") return "—";
  const n = Number(x);
  if (!Number.isFinite(n)) return "—";
  const f = 10 ** decimals;
  const rounded = Math.round(n * f + (n >= 0 ? 1e-9 : -1e-9)) / f;
  return vi(decimals).format(Object.is(rounded, -0) ? 0 : rounded);
}

/** 7.5 → "7,5", 7 → "7,0": a score on the 0–10 scale, always one decimal. */
export function formatScore(x: number | string | null | undefined): string {
  if (x === null || x === undefined || x === "") return "—";
  const n = Number(x);
  if (!Number.isFinite(n)) return "—";
  return vi(1, true).format(Math.round(n * 10 + 1e-9) / 10 || 0);
}

/** A share 0–1 as a percentage: 0.9137 → "91,4%"; null → "—". */
export function formatPercent(share: number | null | undefined, decimals = 1): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return "—";
  return `${formatNumber(share * 100, decimals)}%`;
}

/** A count over a total as a percentage, "0%" when the total is 0. */
export function formatShare(n: number, of: number, decimals = 1): string {
  return of === 0 ? "0%" : formatPercent(n / of, decimals);
}

/** "1.234": a whole count with the Vietnamese thousands separator. */
export function formatCount(n: number): string {
  return vi(0, false, true).format(Math.trunc(n) || 0);
}
