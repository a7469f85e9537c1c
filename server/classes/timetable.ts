/**
 * Period arithmetic of a class timetable against its programme (domain brief §3): a
 * buổi is normally 5 tiết; the lessons and activities must add up to the programme's
 * periods. Localities may stretch or compress a schedule, so a deviation is allowed
 * but needs a recorded reason; malformed rows are errors. Pure.
 */
export interface ProgrammeOutline {
  totalPeriods: number;
  periodsPerSession: number;
  lessons: { position: number; title: string; periods: number }[];
  activities: { code: string; title: string; periods: number }[];
}

export type SessionPart = "sang" | "chieu" | "toi";
export const PART_LABELS: Record<SessionPart, string> = { sang: "Sáng", chieu: "Chiều", toi: "Tối" };

export interface TimetableRow {
  onDate: string;
  part: SessionPart;
  /** "bai:2" or "hd:thao-luan". */
  topic: string;
  periods: number;
  lecturerName?: string | null;
}

export interface TopicOption {
  topic: string;
  title: string;
  periods: number;
}

export function topicOptions(p: ProgrammeOutline): TopicOption[] {
  return [
    ...p.lessons.map((l) => ({ topic: `bai:${l.position}`, title: `Bài ${l.position}. ${l.title}`, periods: l.periods })),
    ...p.activities.map((a) => ({ topic: `hd:${a.code}`, title: a.title, periods: a.periods })),
  ];
}

export interface TimetableCheck {
  /** Rows that cannot be saved (row numbers from 1). */
  errors: string[];
  /** Differences from the programme: allowed with a reason. */
  deviations: string[];
  totalPeriods: number;
  sessions: number;
}

/** A default timetable: the programme's topics in order, one buổi of `periodsPerSession` each, mornings and afternoons from `startDate` (weekdays). */
export function defaultTimetable(p: ProgrammeOutline, startDate: string): TimetableRow[] {
  const rows: TimetableRow[] = [];
  let day = new Date(`${startDate}T00:00:00Z`);
  let part: SessionPart = "sang";
  const next = () => {
    if (part === "sang") part = "chieu";
    else {
      part = "sang";
      do day = new Date(day.getTime() + 86_400_000);
      while (day.getUTCDay() === 0 || day.getUTCDay() === 6);
    }
  };
  for (const t of topicOptions(p)) {
    let left = t.periods;
    while (left > 0) {
      const n = Math.min(left, p.periodsPerSession);
      rows.push({ onDate: day.toISOString().slice(0, 10), part, topic: t.topic, periods: n });
      left -= n;
      next();
    }
  }
  return rows;
}

export function checkTimetable(rows: TimetableRow[], p: ProgrammeOutline): TimetableCheck {
  const errors: string[] = [];
  const deviations: string[] = [];
  const options = new Map(topicOptions(p).map((t) => [t.topic, t]));
  const seen = new Map<string, number>();
  const planned = new Map<string, number>();
  rows.forEach((r, i) => {
    const n = i + 1;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(r.onDate) || Number.isNaN(Date.parse(`${r.onDate}T00:00:00Z`)))
      errors.push(`Buổi ${n}: ngày không hợp lệ.`);
    if (!(r.part in PART_LABELS)) errors.push(`Buổi ${n}: buổi phải là sáng, chiều hoặc tối.`);
    if (!options.has(r.topic)) errors.push(`Buổi ${n}: nội dung không thuộc chương trình.`);
    if (!Number.isInteger(r.periods) || r.periods < 1 || r.periods > 10) errors.push(`Buổi ${n}: số tiết phải là số nguyên từ 1 đến 10.`);
    const key = `${r.onDate}/${r.part}`;
    if (seen.has(key)) errors.push(`Buổi ${n}: trùng ngày và buổi với buổi ${seen.get(key)}.`);
    else seen.set(key, n);
    if (Number.isInteger(r.periods) && r.periods !== p.periodsPerSession && r.periods >= 1)
      deviations.push(`Buổi ${n} có ${r.periods} tiết (một buổi theo chương trình là ${p.periodsPerSession} tiết).`);
    planned.set(r.topic, (planned.get(r.topic) ?? 0) + (Number.isInteger(r.periods) ? r.periods : 0));
  });
  for (const [topic, t] of options) {
    const got = planned.get(topic) ?? 0;
    if (got === 0) deviations.push(`Chưa xếp lịch: ${t.title} (${t.periods} tiết).`);
    else if (got !== t.periods) deviations.push(`${t.title}: xếp ${got} tiết, chương trình quy định ${t.periods} tiết.`);
  }
  const total = rows.reduce((s, r) => s + (Number.isInteger(r.periods) ? r.periods : 0), 0);
  if (total !== p.totalPeriods) deviations.push(`Tổng cộng ${total} tiết, chương trình quy định ${p.totalPeriods} tiết.`);
  return { errors, deviations, totalPeriods: total, sessions: rows.length };
}
