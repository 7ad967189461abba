import Decimal from 'decimal.js';
import { DomainError, assert } from '../domain/domain-error';

/**
 * Money is CNY held as an integer number of fen (bigint). It enters and leaves the system only
 * as a decimal string with at most two decimals ("1250.00"); a JS number never carries money.
 */
export type Fen = bigint;

/** The largest single amount the ledger accepts: one trillion yuan. A limit on everything. */
export const MAX_AMOUNT_FEN: Fen = 1_000_000_000_000_00n;

export const AMOUNT_PATTERN = /^(0|[1-9][0-9]{0,29})(\.[0-9]{1,2})?$/;

/** Parses a positive amount string; throws `invalid-amount` naming `field` otherwise. */
export function parseAmount(value: unknown, field = 'amount'): Fen {
  if (typeof value !== 'string') {
    throw new DomainError(
      'invalid-amount',
      `${field} must be a string such as "1250.00", not a JSON ${typeof value}`,
      400,
      field,
    );
  }
  const match = AMOUNT_PATTERN.exec(value);
  if (!match) {
    throw new DomainError(
      'invalid-amount',
      `${field} must be a decimal string with at most two decimals, such as "1250.00" (got "${value}")`,
      400,
      field,
    );
  }
  const fraction = (match[2] ?? '.').slice(1).padEnd(2, '0');
  const fen = BigInt(match[1]) * 100n + BigInt(fraction);
  if (fen <= 0n) throw new DomainError('invalid-amount', `${field} must be greater than zero`, 400, field);
  if (fen > MAX_AMOUNT_FEN)
    throw new DomainError('amount-too-large', `${field} exceeds the limit of ${formatFen(MAX_AMOUNT_FEN)}`, 400, field);
  return fen;
}

/** Formats fen as a CNY string with exactly two decimals: 125000n → "1250.00". */
export function formatFen(fen: Fen): string {
  const negative = fen < 0n;
  const abs = negative ? -fen : fen;
  const yuan = abs / 100n;
  const cents = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${yuan}.${cents}`;
}

/** Fen as people read it in a message: 4209600n → "42,096.00" (withThousands of formatFen). */
export function readableFen(fen: Fen): string {
  return withThousands(formatFen(fen));
}

/** "1234567.80" → "1,234,567.80", for people to read (amounts are decimal strings: no float touches them). */
export function withThousands(amount: string): string {
  const [whole, cents = '00'] = amount.split('.');
  return `${groupThousands(whole)}.${cents.padEnd(2, '0')}`;
}

/** A whole number's digits in groups of three: "1234567" → "1,234,567". */
export function groupThousands(whole: string): string {
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function sumFen(values: Iterable<Fen>): Fen {
  let total = 0n;
  for (const v of values) total += v;
  return total;
}

/**
 * Splits `total` (an integer number of units, e.g. fen) in proportion to `weights` by the
 * largest-remainder method (domain.md R-CS5): exact rational shares, floored, then the units
 * left over go one each to the largest fractional remainders; ties go to the earlier weight
 * (callers order the weights by key, e.g. by householdId). The parts always sum to `total`.
 * Weights may be decimals (floor areas, coefficients); all-zero weights give all-zero parts
 * and require a zero total.
 */
export function splitLargestRemainder(total: bigint, weights: ReadonlyArray<Decimal.Value>): bigint[] {
  const w = weights.map((x) => new Decimal(x));
  assert(
    w.every((x) => x.isFinite() && x.gte(0)),
    'split weights are finite and not negative',
  );
  // Exact rationals (R-CS5): scale every weight by the same power of ten to an integer, so each
  // share is total × W_i / ΣW over one common denominator and remainders compare exactly. (A
  // rounded decimal quotient decided ties by truncation: 100 over 1 / 0.1 / 1.9 gave the fen to
  // the second key although all three remainders are exactly 1/3.)
  const scale = w.reduce((m, x) => Math.max(m, x.decimalPlaces()), 0);
  return splitByIntegerWeights(
    total,
    w.map((x) => BigInt(x.toFixed(scale).replace('.', ''))),
  );
}

/**
 * The one largest-remainder splitter (R-CS5), on weights already scaled to integers over one
 * common denominator (cost-sharing plans bring rational weights there; splitLargestRemainder
 * brings decimals). Part i is ⌊total × W_i / ΣW⌋, plus one unit for each of the
 * `total − Σ floors` largest remainders, ties to the earlier weight.
 */
export function splitByIntegerWeights(total: bigint, weights: readonly bigint[]): bigint[] {
  assert(total >= 0n, 'split total is not negative');
  let sum = 0n;
  for (const x of weights) {
    assert(x >= 0n, 'split weights are not negative');
    sum += x;
  }
  if (sum === 0n) {
    assert(total === 0n, 'a non-zero total needs a non-zero weight');
    return weights.map(() => 0n);
  }
  const numerators = weights.map((x) => total * x);
  const parts = numerators.map((n) => n / sum);
  let left = total - parts.reduce((a, b) => a + b, 0n);
  if (left > 0n) {
    const order = numerators
      .map((n, i) => ({ i, rem: n % sum }))
      .sort((a, b) => (a.rem === b.rem ? a.i - b.i : a.rem > b.rem ? -1 : 1));
    for (let k = 0; left > 0n; k++, left--) parts[order[k].i] += 1n;
  }
  assert(parts.reduce((a, b) => a + b, 0n) === total, 'split parts sum to the whole');
  return parts;
}

/**
 * Parses an amount that the ledger itself wrote (an event's data), without re-judging it: stored
 * events are never rejected. Negative amounts (report deltas) are allowed.
 */
export function fenOfStored(amount: string): Fen {
  // The ledger writes "yuan.ff": drop the point (the common case, on every replayed event).
  const point = amount.length - 3;
  if (point > 0 && amount.charCodeAt(point) === 46 /* . */ && amount.charCodeAt(0) !== 45 /* - */) {
    return BigInt(amount.slice(0, point) + amount.slice(point + 1));
  }
  const negative = amount.startsWith('-');
  const [yuan, cents = ''] = (negative ? amount.slice(1) : amount).split('.');
  const fen = BigInt(yuan) * 100n + BigInt(cents.padEnd(2, '0').slice(0, 2));
  return negative ? -fen : fen;
}
