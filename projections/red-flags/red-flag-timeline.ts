/**
 * When a condition held, in business dates: the condition is evaluated as of the end of each
 * candidate day (the days on which what it reads changes), in order, and the days it turned true
 * and false again are its intervals. Between two candidates nothing it reads changes, so the
 * answer is exact when the candidates include every such day: each flow's date, and for a
 * condition with a delay (idle a year, due at the year's end) the day the delay runs out.
 */
export interface Interval {
  /** The first day it held. */
  from: string;
  /** The first day it no longer held; null: it still holds at the last day evaluated. */
  to: string | null;
}

/**
 * The intervals over which `holds` is true, evaluated on each of `days` (any order, repeats
 * allowed); with `until`, days after it are not evaluated (the reference date of a time travel).
 */
export function intervalsWhere(
  days: Iterable<string>,
  holds: (day: string) => boolean,
  until: string | null = null,
): Interval[] {
  const sorted = [...new Set(days)].filter((d) => until === null || d <= until).sort();
  const out: Interval[] = [];
  let open: Interval | null = null;
  for (const day of sorted) {
    const now = holds(day);
    if (now && open === null) {
      open = { from: day, to: null };
      out.push(open);
    } else if (!now && open !== null) {
      open.to = day;
      open = null;
    }
  }
  return out;
}

/** A signed amount on a day: + what a flow books, − what a reversal takes back. */
export interface DatedAmount {
  onDate: string;
  /** Fen, signed. */
  deltaFen: bigint;
}

/** The larger of two amounts (a peak, a commitment). */
export const maxFen = (a: bigint, b: bigint): bigint => (a > b ? a : b);

/** The sum of the amounts dated on or before `day`. */
export function sumUntil(amounts: readonly DatedAmount[], day: string): bigint {
  let total = 0n;
  for (const a of amounts) if (a.onDate <= day) total += a.deltaFen;
  return total;
}
