/**
 * The party-development pipeline as pure rules (issue #8; domain brief §5): each
 * person's path, the plan-vs-actual counts per quarter and the alerts, all as of a date.
 */
export type Stage = "nominated" | "hd61" | "admitted" | "hd60" | "full";
export const STAGES: { key: Stage; label: string }[] = [
  { key: "nominated", label: "Được giới thiệu" },
  { key: "hd61", label: "Có giấy chứng nhận HD 61" },
  { key: "admitted", label: "Được kết nạp" },
  { key: "hd60", label: "Có giấy chứng nhận HD 60" },
  { key: "full", label: "Đảng viên chính thức" },
];

export interface PipelinePerson {
  personId: number;
  name: string;
  group: string;
  nominatedOn: string | null;
  /** HD 61 class the person was sent to (class start date), if any. */
  sentHd61On: string | null;
  hd61On: string | null;
  filesDoneOn: string | null;
  admittedOn: string | null;
  hd60On: string | null;
  fullOn: string | null;
}

export interface Alert {
  personId: number;
  name: string;
  level: "urgent" | "warning";
  message: string;
}

/** Steps reached, with their dates, in the order of the path. */
export function pathOf(p: PipelinePerson): { key: Stage; label: string; on: string | null }[] {
  const on: Record<Stage, string | null> = {
    nominated: p.nominatedOn,
    hd61: p.hd61On,
    admitted: p.admittedOn,
    hd60: p.hd60On,
    full: p.fullOn,
  };
  return STAGES.map((s) => ({ ...s, on: on[s.key] }));
}

export function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${ny}-${String(nm).padStart(2, "0")}-${String(Math.min(d, last)).padStart(2, "0")}`;
}

export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

export function quarterOf(iso: string): number {
  return Math.floor((Number(iso.slice(5, 7)) - 1) / 3) + 1;
}

function fmt(iso: string) {
  const [y, m, d] = iso.split("-");
  return `${d}/${m}/${y}`;
}

/** How long before the 12-month mark a missing HD 60 certificate is flagged (default, editable by caller). */
export const PROBATION_WARNING_DAYS = 90;
/** A candidate built up this long without the HD 61 certificate is flagged. */
export const CANDIDATE_WAIT_DAYS = 180;

/**
 * Alerts as of `today`:
 * - a probationary member within PROBATION_WARNING_DAYS of 12 months (or past them)
 *   without an HD 60 certificate: recognition as a full member needs it;
 * - a person admitted, or whose admission file is complete, without an HD 61 certificate;
 * - a candidate waiting more than CANDIDATE_WAIT_DAYS without being sent to an HD 61 class.
 */
export function alertsFor(
  people: PipelinePerson[],
  today: string,
  opts = { probationWarningDays: PROBATION_WARNING_DAYS, candidateWaitDays: CANDIDATE_WAIT_DAYS },
): Alert[] {
  const out: Alert[] = [];
  for (const p of people) {
    if (p.admittedOn && !p.fullOn && !p.hd60On) {
      const due = addMonths(p.admittedOn, 12);
      const left = daysBetween(today, due);
      if (left < 0)
        out.push({
          personId: p.personId,
          name: p.name,
          level: "urgent",
          message: `Đã quá hạn 12 tháng dự bị (${fmt(due)}) mà chưa có giấy chứng nhận HD 60.`,
        });
      else if (left <= opts.probationWarningDays)
        out.push({
          personId: p.personId,
          name: p.name,
          level: left <= 30 ? "urgent" : "warning",
          message: `Còn ${left} ngày đến hạn 12 tháng dự bị (${fmt(due)}), chưa có giấy chứng nhận HD 60.`,
        });
    }
    if (!p.hd61On && (p.admittedOn || p.filesDoneOn))
      out.push({
        personId: p.personId,
        name: p.name,
        level: "urgent",
        message: p.admittedOn
          ? "Đã kết nạp nhưng không có giấy chứng nhận HD 61 trong hồ sơ."
          : "Hồ sơ kết nạp đã hoàn thiện nhưng còn thiếu giấy chứng nhận HD 61.",
      });
    else if (!p.hd61On && !p.sentHd61On && !p.admittedOn && p.nominatedOn && daysBetween(p.nominatedOn, today) > opts.candidateWaitDays)
      out.push({
        personId: p.personId,
        name: p.name,
        level: "warning",
        message: `Được giới thiệu từ ${fmt(p.nominatedOn)} nhưng chưa được cử đi học lớp HD 61.`,
      });
  }
  return out.sort((a, b) => (a.level === b.level ? 0 : a.level === "urgent" ? -1 : 1));
}

export type Measure = "candidates" | "sent_hd61" | "files_done" | "made_full";
export const MEASURES: { key: Measure; label: string }[] = [
  { key: "candidates", label: "Bồi dưỡng quần chúng ưu tú" },
  { key: "sent_hd61", label: "Cử đi học lớp HD 61" },
  { key: "files_done", label: "Hoàn thiện hồ sơ kết nạp" },
  { key: "made_full", label: "Công nhận đảng viên chính thức" },
];

/** What actually happened in `year`, per group, measure and quarter. */
export function actuals(people: PipelinePerson[], year: number): Map<string, Record<Measure, number[]>> {
  const out = new Map<string, Record<Measure, number[]>>();
  const bump = (group: string, m: Measure, iso: string | null) => {
    if (!iso || Number(iso.slice(0, 4)) !== year) return;
    const g = out.get(group) ?? { candidates: [0, 0, 0, 0], sent_hd61: [0, 0, 0, 0], files_done: [0, 0, 0, 0], made_full: [0, 0, 0, 0] };
    g[m][quarterOf(iso) - 1]!++;
    out.set(group, g);
  };
  for (const p of people) {
    bump(p.group, "candidates", p.nominatedOn);
    bump(p.group, "sent_hd61", p.sentHd61On);
    bump(p.group, "files_done", p.filesDoneOn);
    bump(p.group, "made_full", p.fullOn);
  }
  return out;
}
