/**
 * Rule (民法典 第二百零一条、第二百零三条; domain.md §2.22): a period of days starts counting the
 * day after its start; a last day that is a statutory rest day moves to the next working day. Rest
 * days are weekends and the holidays of the 国务院办公厅 notice of the year, less the weekend days
 * it makes working days (调休上班). Real dates from the 2020-2026 notices.
 */
import { REST_DAY_NOTICES } from '../../../src/policy/rest-day-calendar.data';
import { REST_DAY_CALENDAR, addDays, deadlineAfter, isRestDay, recordedDeadline } from '../../../src/policy/rest-days';

const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

const NO_CALENDAR = expect.objectContaining({ code: 'no-calendar-for-year' });

describe('deadlineAfter: the 15 days to file an acceptance report', () => {
  it('moves a deadline falling on a weekend to the Monday (accepted 2022-06-10 → 2022-06-27)', () => {
    expect(addDays('2022-06-10', 15)).toBe('2022-06-25'); // a Saturday
    expect(deadlineAfter('2022-06-10', 15)).toBe('2022-06-27');
  });

  it('does not lengthen a period that only spans holidays (accepted 2021-09-15 → 2021-09-30, a Thursday)', () => {
    // 中秋节 2021-09-19..21 and the working Sunday 2021-09-26 lie inside the period: days are calendar days.
    expect(deadlineAfter('2021-09-15', 15)).toBe('2021-09-30');
  });

  it('moves a deadline falling in 国庆 to the first working day, a 调休 Saturday (2022-09-16 → 2022-10-08)', () => {
    expect(addDays('2022-09-16', 15)).toBe('2022-10-01');
    expect(weekday('2022-10-08')).toBe(6);
    expect(deadlineAfter('2022-09-16', 15)).toBe('2022-10-08');
  });

  it('moves a deadline falling on a weekday holiday (清明 2023-04-05, a Wednesday) to the next day', () => {
    expect(deadlineAfter('2023-03-21', 15)).toBe('2023-04-06');
  });

  it('does not count the start day (accepted Wednesday 2023-03-01: the 15th day is Thursday 2023-03-16)', () => {
    expect(deadlineAfter('2023-03-01', 15)).toBe('2023-03-16');
    expect(deadlineAfter('2023-03-01', 1)).toBe('2023-03-02');
  });

  it('refuses a deadline in a year the calendar does not hold (no-calendar-for-year), rather than guess', () => {
    expect(() => deadlineAfter('2026-12-25', 15)).toThrow(NO_CALENDAR); // 2027-01-09
    expect(() => deadlineAfter('2019-06-01', 15)).toThrow(NO_CALENDAR);
    expect(deadlineAfter('2019-12-25', 15)).toBe('2020-01-09'); // the start's year needs no calendar
  });
});

describe('isRestDay', () => {
  it('a 调休 working Saturday or Sunday is not a rest day', () => {
    for (const date of ['2022-10-08', '2022-10-09', '2021-09-18', '2021-09-26', '2024-02-18', '2026-02-28']) {
      expect([0, 6]).toContain(weekday(date));
      expect(isRestDay(date)).toBe(false);
    }
  });

  it('a holiday on a weekday is a rest day; an ordinary weekday is not; an ordinary weekend is', () => {
    expect(isRestDay('2022-10-03')).toBe(true); // Monday of 国庆
    expect(isRestDay('2025-01-28')).toBe(true); // 除夕, a holiday from 2025
    expect(isRestDay('2024-02-09')).toBe(false); // 除夕 2024 only "encouraged" off: a Friday worked
    expect(isRestDay('2022-06-24')).toBe(false);
    expect(isRestDay('2022-06-25')).toBe(true);
  });

  it('2020-02-01 is a rest day: the Spring Festival was extended to 2 February (国办发明电〔2020〕1号)', () => {
    expect(isRestDay('2020-02-01')).toBe(true);
    expect(isRestDay('2020-01-31')).toBe(true);
    expect(isRestDay('2020-02-03')).toBe(false);
  });

  it('refuses a day of a year without a notice', () => {
    expect(() => isRestDay('2027-01-04')).toThrow(NO_CALENDAR);
  });
});

describe('the calendar data', () => {
  it('holds one notice per year, 2020 to 2026, each with its 文号', () => {
    expect(REST_DAY_CALENDAR.map((y) => y.year)).toEqual([2020, 2021, 2022, 2023, 2024, 2025, 2026]);
    for (const y of REST_DAY_CALENDAR) expect(y.notice).toMatch(/^国办发明电〔\d{4}〕\d+号/);
  });

  it('names only Saturdays and Sundays of its own year as working weekends, none inside a holiday', () => {
    for (const y of REST_DAY_CALENDAR) {
      for (const d of y.workingWeekends) {
        expect({ d, weekend: [0, 6].includes(weekday(d)) }).toEqual({ d, weekend: true });
        expect(d.slice(0, 4)).toBe(String(y.year));
        expect(y.holidays).not.toContain(d);
      }
    }
  });

  it("writes each period in order, within its notice's year (2023's 元旦 starts on 2022-12-31, a Saturday)", () => {
    for (const n of REST_DAY_NOTICES) {
      for (const p of n.periods) {
        expect(p.from <= p.to).toBe(true);
        if (p.from.slice(0, 4) !== String(n.year)) expect([n.year, p.from]).toEqual([2023, '2022-12-31']);
        expect(p.to.slice(0, 4)).toBe(String(n.year));
      }
    }
  });
});

describe('a deadline that reaches a year the calendar lacks', () => {
  it('is counted by weekends alone and marked provisional, not refused (a filing is recorded whatever the calendar holds)', () => {
    // Accepted 2026-12-20 (a Sunday): 15 days later is 2027-01-04, a Monday; 2027's notice is not in the calendar.
    expect(recordedDeadline('2026-12-20', 15)).toEqual({ deadline: '2027-01-04', provisional: true });
    // 2027-01-02 is a Saturday: moved to Monday 2027-01-04, still provisional.
    expect(recordedDeadline('2026-12-18', 15)).toEqual({ deadline: '2027-01-04', provisional: true });
  });
  it('is the calendar figure, not provisional, within the years the calendar holds', () => {
    expect(recordedDeadline('2022-06-10', 15)).toEqual({ deadline: '2022-06-27', provisional: false });
  });
});
