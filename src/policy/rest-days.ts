/**
 * Deadlines counted in days as 民法典 第二百零一条 and 第二百零三条 count them: the day the period
 * starts is not counted, and a last day that is a statutory rest day moves to the next working day.
 * Rest days are weekends and public holidays, except the weekend days the State Council's yearly
 * notice makes working days (调休上班). The calendar is data (`REST_DAY_CALENDAR`), one entry per
 * year; a deadline outside the years it covers is refused rather than guessed.
 *
 * STUB (lead): weekends only, no holidays yet; the calendar for 2020-2026 and its specs are to come.
 */

/** A year's exceptions to the weekend rule, from the 国务院办公厅 notice on that year's holidays. */
export interface RestDayYear {
  year: number;
  /** The notice, e.g. 国办发明电〔2021〕14号. */
  notice: string;
  /** Weekdays off (holidays and the days moved to join them). */
  holidays: readonly string[];
  /** Saturdays and Sundays that are working days (调休上班). */
  workingWeekends: readonly string[];
}

export const REST_DAY_CALENDAR: readonly RestDayYear[] = [];

/** Whether `date` (YYYY-MM-DD) is a statutory rest day. */
export function isRestDay(date: string): boolean {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 || day === 6;
}

/**
 * The last day of a period of `days` days that starts on `startDate`: startDate + days, moved to
 * the next working day when that is a rest day. E.g. accepted 2022-06-10, 15 days: 2022-06-25 is a
 * Saturday, so the deadline is Monday 2022-06-27 (domain.md §2.22).
 */
export function deadlineAfter(startDate: string, days: number): string {
  let d = addDays(startDate, days);
  while (isRestDay(d)) d = addDays(d, 1);
  return d;
}

export function addDays(date: string, days: number): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 10);
}
