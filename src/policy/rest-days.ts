/**
 * Deadlines counted in days as 民法典 第二百零一条 and 第二百零三条 count them: the day the period
 * starts is not counted, and a last day that is a statutory rest day moves to the next working day.
 * Rest days are weekends and public holidays, except the weekend days the State Council's yearly
 * notice makes working days (调休上班). The calendar is data (rest-day-calendar.data.ts, one notice
 * per year, 2020-2026); a day outside the years it covers is refused (`no-calendar-for-year`)
 * rather than guessed: next year's holidays are not known until its notice is published.
 */
import { DomainError } from '../shared/domain/domain-error';
import { REST_DAY_NOTICES, RestDayNotice } from './rest-day-calendar.data';

/** A year's exceptions to the weekend rule, from the 国务院办公厅 notice on that year's holidays. */
export interface RestDayYear {
  year: number;
  /** The notice, e.g. 国办发明电〔2021〕11号. */
  notice: string;
  /** Every day of the notice's holiday periods (weekdays off, and the weekend days inside them). */
  holidays: readonly string[];
  /** Saturdays and Sundays that are working days (调休上班). */
  workingWeekends: readonly string[];
}

export const REST_DAY_CALENDAR: readonly RestDayYear[] = REST_DAY_NOTICES.map(yearOf);

function yearOf(n: RestDayNotice): RestDayYear {
  const holidays: string[] = [];
  for (const p of n.periods) for (let d = p.from; d <= p.to; d = addDays(d, 1)) holidays.push(d);
  return { year: n.year, notice: n.notice, holidays, workingWeekends: n.workingWeekends };
}

const HOLIDAYS: ReadonlySet<string> = new Set(REST_DAY_CALENDAR.flatMap((y) => y.holidays));
const WORKING_WEEKENDS: ReadonlySet<string> = new Set(REST_DAY_CALENDAR.flatMap((y) => y.workingWeekends));
const YEARS: ReadonlySet<number> = new Set(REST_DAY_CALENDAR.map((y) => y.year));

export const RestDayErrors = {
  noCalendar: (date: string) =>
    new DomainError(
      'no-calendar-for-year',
      `the ledger has no rest-day calendar for ${date.slice(0, 4)} (it holds the State Council's notices for ${[...YEARS].join(', ')}): it cannot tell whether ${date} is a working day, and does not guess`,
      422,
    ),
};

/** Whether `date` (YYYY-MM-DD) is a statutory rest day; a date of a year the calendar lacks is refused. */
export function isRestDay(date: string): boolean {
  if (!YEARS.has(Number(date.slice(0, 4)))) throw RestDayErrors.noCalendar(date);
  if (HOLIDAYS.has(date)) return true;
  if (WORKING_WEEKENDS.has(date)) return false;
  return isWeekend(date);
}

/**
 * The last day of a period of `days` days that starts on `startDate`: startDate + days, moved to
 * the next working day when that is a rest day. E.g. accepted 2022-06-10, 15 days: 2022-06-25 is a
 * Saturday, so the deadline is Monday 2022-06-27 (domain.md §2.22). A day it reaches in a year the
 * calendar lacks is refused (`no-calendar-for-year`).
 */
export function deadlineAfter(startDate: string, days: number): string {
  const { deadline, uncovered } = countDeadline(startDate, days);
  if (uncovered !== null) throw RestDayErrors.noCalendar(uncovered);
  return deadline;
}

/**
 * A deadline as the ledger records it: deadlineAfter; or, when the period reaches a year whose
 * notice the calendar does not hold yet (next year's is published late in the year), with the
 * days of that year counted by weekends alone and marked provisional, so that an act is still
 * recorded with the best figure there is, and a reader knows to check it once the notice is in
 * the calendar.
 */
export function recordedDeadline(startDate: string, days: number): { deadline: string; provisional: boolean } {
  const { deadline, uncovered } = countDeadline(startDate, days);
  return { deadline, provisional: uncovered !== null };
}

/** The count both share; `uncovered`: the first day it looked at of a year the calendar lacks (taken as a weekday or weekend alone). */
function countDeadline(startDate: string, days: number): { deadline: string; uncovered: string | null } {
  let uncovered: string | null = null;
  for (let d = addDays(startDate, days); ; d = addDays(d, 1)) {
    if (YEARS.has(Number(d.slice(0, 4)))) {
      if (!isRestDay(d)) return { deadline: d, uncovered };
    } else {
      uncovered ??= d;
      if (!isWeekend(d)) return { deadline: d, uncovered };
    }
  }
}

function isWeekend(date: string): boolean {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 || day === 6;
}

export function addDays(date: string, days: number): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 10);
}
