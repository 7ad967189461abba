/**
 * The input rules every door applies to ids, free text, dates and fiscal years: the HTTP DTOs
 * judge a body's shape with them (src/http/validation.ts), and the deciders hold them again on
 * every command, whatever door it came through (HTTP, a flow between streams, a test). One set
 * of constants and of messages, so the two can never disagree on what a valid id or date is.
 */
import Decimal from 'decimal.js';
import { describeValue } from './data-shape';
import { DomainError } from './domain-error';

/** An id goes into stream names, URLs and exports unchanged. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const ID_RULE = "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit";

/** Free text: names, payers, payees, references, vouchers, reasons, document numbers. */
export const TEXT_MAX = 200;

/**
 * What free text may not hold: control characters (C0 with NUL, tab and line feeds, DEL, C1), line
 * and paragraph separators, format characters (\p{Cf}: the bidirectional controls, U+202E turning
 * "txt.exe" round on screen, the zero-width space and joiners, the soft hyphen, the BOM, the tag
 * characters), noncharacters (U+FDD0-FDEF, U+xFFFE/xFFFF) and lone surrogates (no character at
 * all; they break UTF-8 exports). A text is one line of what a person reads, shown in exports and
 * on screens exactly as stored, so nothing in it may change how the rest reads, and nothing unseen
 * may tell two texts apart that read the same ("梓潼街道" and "梓潼街道\u200b" would be two towns).
 */
const FORBIDDEN_IN_TEXT = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Noncharacter_Code_Point}]/u;

/**
 * What shows nothing: spaces of every width (U+3000 全角 too), the fillers (U+115F, U+1160, U+3164,
 * U+FFA0, which the Default_Ignorable property holds, and the blank Braille pattern U+2800) and
 * what is default-ignorable (variation selectors, the grapheme joiner). A text must hold a character
 * outside it, and may neither start nor end with a space or a filler: "梓潼街道 " is not a second
 * 梓潼街道. Inside, a space stays (全角 spaces in names are written on purpose).
 */
const VISIBLE = /[^\p{White_Space}\p{Default_Ignorable_Code_Point}\u2800]/u;
const BLANK_AT_EDGE =
  /^[\p{White_Space}\u115F\u1160\u3164\uFFA0\u2800]|[\p{White_Space}\u115F\u1160\u3164\uFFA0\u2800]$/u;

/** A business date (receivedOn, paidOn, ...): a real calendar date written YYYY-MM-DD. */
export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
export const DATE_RULE = 'must be a date written YYYY-MM-DD';

/** Fiscal year = calendar year (预算法 art.18): the years the ledger takes (also the reports' range). */
export const FISCAL_YEAR_MIN = 2000;
export const FISCAL_YEAR_MAX = 2100;

/**
 * A business date lies in a fiscal year the ledger takes: 0000-01-01 or 9999-12-31 is a typing
 * error, never a receipt. Whether a date fits its own entry's fiscal year is the deciders' rule.
 */
export const DATE_MIN = `${FISCAL_YEAR_MIN}-01-01`;
export const DATE_MAX = `${FISCAL_YEAR_MAX}-12-31`;

/** The year a project's buildings were built. */
export const BUILT_YEAR_MIN = 1900;
export const BUILT_YEAR_MAX = 2100;

/** A project's building area in m² (two decimals) and its households: the decider's bounds. */
export const BUILDING_AREA_MAX = 1e8;
export const HOUSEHOLDS_MAX = 1e6;

/**
 * A household's area (建筑面积, 专有部分面积): a decimal string in m² with at most two decimals,
 * held as an integer number of hundredths of a m² (a bigint), because areas are the weights of
 * cost shares and votes, computed exactly (domain.md §1, R-CS5), never as floats. The largest
 * single unit the ledger takes is 10,000.00 m².
 */
export const AREA_PATTERN = /^(0|[1-9][0-9]{0,4})(\.[0-9]{1,2})?$/;
export const AREA_MAX_HUNDREDTHS = 10_000_00n;
export const AREA_RULE =
  'must be an area in m² written as a string with at most two decimals, such as "72.15", from 0.01 to 10000.00';

/** A floor of a building: basements are negative, the ground floor 1. */
export const FLOOR_MIN = -9;
export const FLOOR_MAX = 200;

export const InputErrors = {
  invalidDate: (field: string, value: unknown) =>
    new DomainError('invalid-date', `${field} ${dayProblem(value) ?? DATE_RULE}`, 400, field),
  invalidFiscalYear: (value: unknown) =>
    new DomainError(
      'invalid-fiscal-year',
      `fiscalYear must be a year between ${FISCAL_YEAR_MIN} and ${FISCAL_YEAR_MAX} (got ${String(value)})`,
      400,
      'fiscalYear',
    ),
  invalidText: (field: string, problem = `must be a non-empty string of at most ${TEXT_MAX} characters`) =>
    new DomainError('invalid-field', `${field} ${problem}`, 400, field),
  invalidId: (field: string, value: string) =>
    new DomainError('invalid-id', `${field} ${ID_RULE} (got ${value})`, 400, field),
  invalidArea: (field: string, value: unknown) =>
    new DomainError('invalid-area', `${field} ${AREA_RULE} (got ${describeValue(value)})`, 400, field),
  dateInFuture: (field: string, date: string, recordedOn: string, why = 'money is booked when it moves') =>
    new DomainError(
      'date-in-future',
      `${field} ${date} is after the day it is recorded (${recordedOn}, UTC, with one day for the time zones): ${why}`,
      422,
      field,
    ),
};

/** True for a real calendar date written YYYY-MM-DD (2021-02-30 is refused). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE_PATTERN.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

export function checkId(field: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || !ID_PATTERN.test(value)) throw InputErrors.invalidId(field, String(value));
}

/**
 * Why a value is not a business date (a calendar day from DATE_MIN to DATE_MAX written
 * YYYY-MM-DD), or null when it is one. Said apart, so a client learns which it got wrong.
 */
export function dayProblem(value: unknown): string | null {
  if (typeof value !== 'string') return `must be a date string written YYYY-MM-DD (got ${describeValue(value)})`;
  if (!DATE_PATTERN.test(value)) return `${DATE_RULE} (got ${describeValue(value)})`;
  if (!isCalendarDate(value)) return `is not a day of the calendar: ${value} does not exist`;
  if (value < DATE_MIN || value > DATE_MAX) return `must be from ${DATE_MIN} to ${DATE_MAX} (got ${value})`;
  return null;
}

/** Why a value is not free text the ledger takes, or null when it is. */
export function textProblem(value: unknown): string | null {
  if (typeof value !== 'string') return `must be a string (got ${describeValue(value)})`;
  if (value.length > TEXT_MAX) return `must be at most ${TEXT_MAX} characters (got ${value.length})`;
  if (!VISIBLE.test(value)) return 'must not be empty or only spaces: it holds no visible character';
  const edge = BLANK_AT_EDGE.exec(value);
  if (edge) return `must not start or end with a space or a filler (${codePoint(edge[0])} at position ${edge.index})`;
  const forbidden = FORBIDDEN_IN_TEXT.exec(value);
  if (forbidden)
    return `must not hold control characters, format characters (invisible or bidirectional), line separators, noncharacters or lone surrogates (${codePoint(forbidden[0])} at position ${forbidden.index})`;
  return null;
}

function codePoint(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

export function checkText(field: string, value: unknown): asserts value is string {
  const problem = textProblem(value);
  if (problem !== null) throw InputErrors.invalidText(field, problem);
}

export function checkDate(field: string, value: unknown): asserts value is string {
  if (dayProblem(value) !== null) throw InputErrors.invalidDate(field, value);
}

/**
 * A business date is not after the day it is recorded (`recordedOn`, UTC, by the ledger's own
 * clock), give or take the one day between UTC and the district's UTC+8: what happened is booked
 * once it happened, never years ahead. `why` says it in the words of what is dated.
 */
export function checkNotAfterRecording(field: string, date: string, recordedOn: string, why?: string): void {
  checkDate('recordedOn', recordedOn);
  if (date > dayAfter(recordedOn)) throw InputErrors.dateInFuture(field, date, recordedOn, why);
}

function dayAfter(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

export function checkFiscalYear(value: unknown): void {
  if (!Number.isInteger(value) || (value as number) < FISCAL_YEAR_MIN || (value as number) > FISCAL_YEAR_MAX)
    throw InputErrors.invalidFiscalYear(value);
}

/** An area in hundredths of a m² (see AREA_PATTERN), or `invalid-area` naming `field`. */
export function parseArea(field: string, value: unknown): bigint {
  const hundredths = areaHundredths(value);
  if (hundredths === null) throw InputErrors.invalidArea(field, value);
  return hundredths;
}

/** Why a value is not an area the ledger takes, or null when it is one. */
export function areaProblem(value: unknown): string | null {
  return areaHundredths(value) === null ? `${AREA_RULE} (got ${describeValue(value)})` : null;
}

function areaHundredths(value: unknown): bigint | null {
  const hundredths = hundredthsOf(value, AREA_PATTERN);
  return hundredths !== null && hundredths > 0n && hundredths <= AREA_MAX_HUNDREDTHS ? hundredths : null;
}

/**
 * The hundredths a decimal of at most two places writes ("72.1" → 7210n), read by `pattern`: its
 * first group the whole part, its second the optional "." and one or two digits. Null when the
 * value is not a string the pattern matches (the pattern bounds the digits, the caller the value).
 */
export function hundredthsOf(value: unknown, pattern: RegExp): bigint | null {
  const match = typeof value === 'string' ? pattern.exec(value) : null;
  return match ? BigInt(match[1]) * 100n + BigInt((match[2] ?? '.').slice(1).padEnd(2, '0')) : null;
}

/** Hundredths of a m² as the ledger writes an area: 7215n → "72.15". */
export function formatArea(hundredths: bigint): string {
  return `${hundredths / 100n}.${(hundredths % 100n).toString().padStart(2, '0')}`;
}

/**
 * A project's building area as its registration stores it (a JSON number of m², BUILDING_AREA_MAX
 * at most), in hundredths of a m², so that areas are summed exactly. The number is read from its
 * shortest decimal text, the one JSON wrote ("12500.5"), never by multiplying the double; more
 * than two decimals (which no door lets in, but an old event could hold) round half up.
 */
export function areaHundredthsOfNumber(m2: number): bigint {
  if (!Number.isFinite(m2) || m2 < 0 || m2 > BUILDING_AREA_MAX)
    throw new RangeError(`a building area is a number of m² from 0 to ${BUILDING_AREA_MAX} (got ${m2})`);
  return BigInt(new Decimal(m2).times(100).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toFixed(0));
}

/** Why a value is not a whole floor number the ledger takes, or null when it is. */
export function floorProblem(value: unknown): string | null {
  if (!Number.isInteger(value) || (value as number) < FLOOR_MIN || (value as number) > FLOOR_MAX)
    return `must be a whole floor number from ${FLOOR_MIN} to ${FLOOR_MAX} (got ${describeValue(value)})`;
  return null;
}

/**
 * 统一社会信用代码 (GB 32100-2015): 18 characters of the code's alphabet (digits and capital
 * letters but I, O, S, V, Z), the 3rd to 8th the administrative division (digits), the last a
 * check character: 31 less the sum of each of the first 17 characters' values times its weight,
 * modulo 31 (31 giving 0).
 */
const CREDIT_CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character the first 17 characters of a credit code call for. */
export function creditCodeCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CODE_CHARS.indexOf(first17[i]) * CREDIT_CODE_WEIGHTS[i];
  return CREDIT_CODE_CHARS[(31 - (sum % 31)) % 31];
}

/** Why a value is not a 统一社会信用代码, or null when it is one (its check character included). */
export function creditCodeProblem(value: unknown): string | null {
  if (typeof value !== 'string') return `must be a string of 18 characters (got ${describeValue(value)})`;
  if (value.length !== 18) return `must be 18 characters long (got ${value.length})`;
  const bad = [...value].findIndex((ch) => !CREDIT_CODE_CHARS.includes(ch));
  if (bad >= 0)
    return `character ${bad + 1} (${value[bad]}) is not in its alphabet (digits and capitals but I, O, S, V, Z)`;
  if (!/^\d{6}$/.test(value.slice(2, 8))) return 'characters 3 to 8 must be digits (the administrative division)';
  const check = creditCodeCheck(value.slice(0, 17));
  if (value[17] !== check) return `its check character is ${value[17]}, and the first 17 characters call for ${check}`;
  return null;
}
