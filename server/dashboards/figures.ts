/**
 * Dashboard arithmetic over precomputed class rows. Pure, so the figures the committee
 * sees are unit-tested against hand-computed fixtures.
 */
export interface ClassFigures {
  class_id: number;
  centre_id: number;
  programme_code: string;
  year: number;
  quarter: number;
  ends_on: string | null;
  enrolled: number;
  assessed: number;
  scored: number;
  passed: number;
  xuat_sac: number;
  gioi: number;
  kha: number;
  trung_binh: number;
  khong_dat: number;
  score_sum: number;
  certificates: number;
}

export interface Totals {
  classes: number;
  held: number;
  enrolled: number;
  assessed: number;
  passed: number;
  /** Shares 0–1 of the assessed; null when nobody was assessed. */
  passRate: number | null;
  goodShare: number | null;
  meanScore: number | null;
  bands: { xuat_sac: number; gioi: number; kha: number; trung_binh: number; khong_dat: number };
  certificates: number;
}

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

/** A class is held once it has ended (on or before `today`). */
export function totals(rows: ClassFigures[], today: string): Totals {
  const sum = (f: (r: ClassFigures) => number) => rows.reduce((s, r) => s + f(r), 0);
  const assessed = sum((r) => r.assessed);
  const scored = sum((r) => r.scored);
  const passed = sum((r) => r.passed);
  const good = sum((r) => r.xuat_sac + r.gioi + r.kha);
  return {
    classes: rows.length,
    held: rows.filter((r) => r.ends_on !== null && r.ends_on <= today).length,
    enrolled: sum((r) => r.enrolled),
    assessed,
    passed,
    passRate: assessed ? round(passed / assessed) : null,
    goodShare: assessed ? round(good / assessed) : null,
    meanScore: scored ? round(sum((r) => Number(r.score_sum)) / scored, 2) : null,
    bands: {
      xuat_sac: sum((r) => r.xuat_sac),
      gioi: sum((r) => r.gioi),
      kha: sum((r) => r.kha),
      trung_binh: sum((r) => r.trung_binh),
      khong_dat: sum((r) => r.khong_dat),
    },
    certificates: sum((r) => r.certificates),
  };
}

export function groupTotals<K extends string | number>(
  rows: ClassFigures[],
  key: (r: ClassFigures) => K,
  today: string,
): { key: K; totals: Totals }[] {
  const groups = new Map<K, ClassFigures[]>();
  for (const r of rows) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
  return [...groups.entries()].map(([k, list]) => ({ key: k, totals: totals(list, today) }));
}

export interface Targets {
  classesPlanned: number | null;
  /** Percent. */
  passTarget: number;
  goodTarget: number;
}

/** Met, or how far off: the committee's targets are 100 % pass and more than 80 % khá/giỏi. */
export function againstTargets(t: Totals, targets: Targets) {
  const pct = (x: number | null) => (x === null ? null : round(x * 100, 1));
  const pass = pct(t.passRate);
  const good = pct(t.goodShare);
  return {
    classes: {
      actual: t.held,
      planned: targets.classesPlanned,
      met: targets.classesPlanned === null ? null : t.held >= targets.classesPlanned,
    },
    pass: { actual: pass, target: targets.passTarget, met: pass === null ? null : pass >= targets.passTarget },
    // "More than 80 %" (domain brief §4): strictly above the target.
    good: { actual: good, target: targets.goodTarget, met: good === null ? null : good > targets.goodTarget },
  };
}

export function quarterLabel(year: number, quarter: number): string {
  return `Quý ${["I", "II", "III", "IV"][quarter - 1]}/${year}`;
}
