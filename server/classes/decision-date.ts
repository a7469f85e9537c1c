import { formatVnDate } from "../rules/dates";

/**
 * The date of the decision to open a class (domain brief §5: the decision opens the
 * class, then the call-up letters go out, then teaching starts). A decision numbered
 * when someone first prints it after the class ran was dated that day — after the class
 * (issue 14, item 9). The default is now the day it is made when that is before the
 * start, else `daysBeforeStart` days before the start; the centre can change it on the
 * class papers page. The lead time is policy data, **(default, unconfirmed)**: the brief
 * gives no official number of days (docs/class-plan.md).
 */
export const DECISION_DATE_RULE = { daysBeforeStart: 7 };

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Today when the class has not started (or has no start date), else the start date less the lead time. */
export function defaultDecisionDate(today: string, startsOn: string | null, rule = DECISION_DATE_RULE): string {
  if (!startsOn || today < startsOn) return today;
  return addDays(startsOn, -rule.daysBeforeStart);
}

/** Why a chosen decision date is refused, in Vietnamese; null when it is acceptable. */
export function decisionDateProblem(date: string, startsOn: string | null, today: string): string | null {
  if (date > today) return `Ngày ký quyết định ${formatVnDate(date)} chưa đến: chọn một ngày từ hôm nay trở về trước.`;
  if (startsOn && date > startsOn)
    return `Ngày ký quyết định ${formatVnDate(date)} sau ngày khai giảng ${formatVnDate(startsOn)}: quyết định mở lớp phải có trước khi lớp học.`;
  if (startsOn && date < addDays(startsOn, -366)) return `Ngày ký quyết định ${formatVnDate(date)} sớm hơn ngày khai giảng quá một năm.`;
  return null;
}
