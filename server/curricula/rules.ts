/**
 * Period arithmetic and the self-study gate. Pure: used by the content check, the
 * class timetable and the exam page. One tiết is 45 minutes; one buổi is 5 tiết.
 */
export const PERIODS_PER_SESSION = 5;

export interface PeriodItem {
  label: string;
  periods: number;
}

export interface PeriodCheck {
  lessonPeriods: number;
  activityPeriods: number;
  total: number;
  expected: number;
  sessions: number;
  problems: string[];
}

export function checkPeriods(
  lessons: PeriodItem[],
  activities: PeriodItem[],
  expectedTotal: number,
  periodsPerSession: number,
): PeriodCheck {
  const lessonPeriods = lessons.reduce((s, l) => s + l.periods, 0);
  const activityPeriods = activities.reduce((s, a) => s + a.periods, 0);
  const total = lessonPeriods + activityPeriods;
  const problems: string[] = [];
  if (periodsPerSession !== PERIODS_PER_SESSION) problems.push(`Một buổi là ${PERIODS_PER_SESSION} tiết, không phải ${periodsPerSession}.`);
  if (total !== expectedTotal)
    problems.push(
      `Tổng số tiết là ${total} (${lessonPeriods} tiết bài học + ${activityPeriods} tiết hoạt động), khác với ${expectedTotal} tiết của chương trình.`,
    );
  if (expectedTotal % PERIODS_PER_SESSION !== 0)
    problems.push(`Tổng ${expectedTotal} tiết không chia hết thành các buổi ${PERIODS_PER_SESSION} tiết.`);
  return { lessonPeriods, activityPeriods, total, expected: expectedTotal, sessions: Math.ceil(total / PERIODS_PER_SESSION), problems };
}

/** Lesson numbers must run 1, 2, 3, … in file order. */
export function checkLessonNumbers(numbers: number[]): string[] {
  return numbers.flatMap((n, i) => (n === i + 1 ? [] : [`Bài thứ ${i + 1} theo thứ tự tệp lại mang số ${n}.`]));
}

/**
 * Which lessons must be completed before a trainee may open the class's test:
 * "all", "none", or a comma-separated list of lesson numbers (a class setting).
 */
export function parseExamRequirement(rule: string, lessonNumbers: number[]): number[] {
  const r = rule.trim().toLowerCase();
  if (r === "all" || r === "") return [...lessonNumbers];
  if (r === "none") return [];
  return r
    .split(",")
    .map((s) => Number(s.trim()))
    .filter((n) => lessonNumbers.includes(n));
}

export function examGate(required: number[], completed: Set<number>): { open: boolean; missing: number[] } {
  const missing = required.filter((n) => !completed.has(n));
  return { open: missing.length === 0, missing };
}

/** Reading time credited per heartbeat is capped, so a tab left open overnight does not count as study. */
export const MAX_HEARTBEAT_SECONDS = 60;
