import Decimal from 'decimal.js';
import { DomainError, assert } from '../domain/domain-error';

/**
 * Money is CNY held as an integer number of fen (bigint). It enters and leaves the system only
 * as a decimal string with at most two decimals ("1250.00"); a JS number never carries money.
 */
export type Fen = bigint;

/** The largest single amount the ledger accepts: one trillion yuan. A limit on everything. */
export const MAX_AMOUNT_FEN: Fen = 1_000_000_000_000_00n;

const AMOUNT_PATTERN = /^(0|[1-9][0-9]{0,14})(\.[0-9]{1,2})?$/;

/** Parses a positive amount string; throws `invalid-amount` naming `field` otherwise. */
export function parseAmount(value: unknown, field = 'amount'): Fen {
  if (typeof value !== 'string') {
    throw new DomainError('invalid-amount', `${field} must be a string such as "1250.00", not a JSON ${typeof value}`, 400, field);
  }
  const match = AMOUNT_PATTERN.exec(value);
  if (!match) {
    throw new DomainError('invalid-amount', `${field} must be a decimal string with at most two decimals, such as "1250.00" (got "${value}")`, 400, field);
  }
  const fraction = (match[2] ?? '.').slice(1).padEnd(2, '0');
  const fen = BigInt(match[1]) * 100n + BigInt(fraction);
  if (fen <= 0n) throw new DomainError('invalid-amount', `${field} must be greater than zero`, 400, field);
  if (fen > MAX_AMOUNT_FEN) throw new DomainError('amount-too-large', `${field} exceeds the limit of ${formatFen(MAX_AMOUNT_FEN)}`, 400, field);
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

export function sumFen(values: Iterable<Fen>): Fen {
  let total = 0n;
  for (const v of values) total += v;
  return total;
}

/**
 * Splits `total` (an integer number of units, e.g. fen) in proportion to `weights` by the
 * largest-remainder method (domain.md R-CS5): exact rational shares, floored, then the units
 * left over go one each to the largest fractional remainders; ties go to the earlier key in
 * `keys` order (callers sort keys, e.g. by householdId). The parts always sum to `total`.
 * Weights may be decimals (floor areas, coefficients); all-zero weights give all-zero parts
 * and require a zero total.
 */
export function splitLargestRemainder(total: bigint, weights: ReadonlyArray<Decimal.Value>): bigint[] {
  assert(total >= 0n, 'split total is not negative');
  const w = weights.map((x) => new Decimal(x));
  assert(w.every((x) => x.isFinite() && x.gte(0)), 'split weights are finite and not negative');
  const sum = w.reduce((a, b) => a.plus(b), new Decimal(0));
  if (sum.isZero()) {
    assert(total === 0n, 'a non-zero total needs a non-zero weight');
    return w.map(() => 0n);
  }
  // Decimal division is exact enough only with headroom: raise precision for this computation.
  const D = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_DOWN });
  const totalD = new D(total.toString());
  const raw = w.map((x) => totalD.times(x).div(sum));
  const floors = raw.map((r) => BigInt(r.floor().toFixed(0)));
  let left = total - floors.reduce((a, b) => a + b, 0n);
  const order = raw
    .map((r, i) => ({ i, rem: r.minus(r.floor()) }))
    .sort((a, b) => b.rem.comparedTo(a.rem) || a.i - b.i);
  const parts = floors.slice();
  for (let k = 0; left > 0n; k++, left--) parts[order[k].i] += 1n;
  assert(parts.reduce((a, b) => a + b, 0n) === total, 'split parts sum to the whole');
  return parts;
}
