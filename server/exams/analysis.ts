/**
 * Results statistics. Pure.
 * - distribution: counts of scores in 1-point bins on the 0–10 scale;
 * - item analysis per question version: facility (share of the item's points earned),
 *   discrimination (upper 27 % minus lower 27 % facility, by total score), and how often
 *   each stored option was chosen.
 */
export interface AttemptForAnalysis {
  score: number;
  items: { versionId: number; earned: number; points: number; chosen: number[]; optionCount: number }[];
}

export interface ItemStats {
  versionId: number;
  n: number;
  facility: number;
  discrimination: number | null;
  optionCounts: number[];
  unanswered: number;
}

export function distribution(scores: number[], scale = 10): number[] {
  const bins = Array.from({ length: scale + 1 }, () => 0);
  for (const s of scores) bins[Math.min(scale, Math.max(0, Math.floor(s)))]!++;
  return bins;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export function itemAnalysis(attempts: AttemptForAnalysis[]): ItemStats[] {
  const sorted = [...attempts].sort((a, b) => b.score - a.score);
  const k = Math.floor(sorted.length * 0.27);
  const upper = new Set(sorted.slice(0, k));
  const lower = new Set(sorted.slice(sorted.length - k));
  const byItem = new Map<number, { a: AttemptForAnalysis; item: AttemptForAnalysis["items"][number] }[]>();
  for (const a of attempts) for (const item of a.items) byItem.set(item.versionId, [...(byItem.get(item.versionId) ?? []), { a, item }]);
  const facility = (rows: { item: AttemptForAnalysis["items"][number] }[]) =>
    rows.length ? rows.reduce((s, r) => s + r.item.earned / r.item.points, 0) / rows.length : 0;
  return [...byItem.entries()].map(([versionId, rows]) => {
    const up = rows.filter((r) => upper.has(r.a));
    const low = rows.filter((r) => lower.has(r.a));
    const optionCounts = Array.from({ length: Math.max(...rows.map((r) => r.item.optionCount)) }, () => 0);
    let unanswered = 0;
    for (const r of rows) {
      if (!r.item.chosen.length) unanswered++;
      for (const c of r.item.chosen) optionCounts[c] = (optionCounts[c] ?? 0) + 1;
    }
    return {
      versionId,
      n: rows.length,
      facility: round(facility(rows)),
      discrimination: up.length && low.length ? round(facility(up) - facility(low)) : null,
      optionCounts,
      unanswered,
    };
  });
}
