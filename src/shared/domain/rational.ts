import { assert } from './domain-error';

/**
 * An exact fraction of bigints, den > 0. Cost-sharing weights (floor coefficient × area) and vote
 * figures (area and heads over a total) are such fractions: a float would decide a tie or a
 * threshold ("以上" includes the bound) by a rounding error.
 */
export interface Rational {
  num: bigint;
  den: bigint;
}

export function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** num/den in lowest terms with a positive denominator. */
export function rational(num: bigint, den = 1n): Rational {
  assert(den !== 0n, 'a rational has a non-zero denominator');
  const sign = den < 0n ? -1n : 1n;
  const g = gcd(num, den) || 1n;
  return { num: (sign * num) / g, den: (sign * den) / g };
}

export function multiply(a: Rational, b: Rational): Rational {
  return rational(a.num * b.num, a.den * b.den);
}

/** a ≥ b (inclusive) or a > b, by cross-multiplying: exact whatever the sizes. */
export function isAtLeast(a: Rational, b: Rational, inclusive: boolean): boolean {
  const left = a.num * b.den;
  const right = b.num * a.den;
  return inclusive ? left >= right : left > right;
}

/**
 * The exact decimal of a fraction whose denominator divides a power of ten (areas × coefficients
 * and decimal weights always do), with no trailing zeros: 42/1 → "42", 3879/100 → "38.79".
 */
export function exactDecimal(r: Rational): string {
  let den = r.den;
  let decimals = 0;
  while (den % 10n === 0n) [den, decimals] = [den / 10n, decimals + 1];
  while (den % 2n === 0n || den % 5n === 0n) [den, decimals] = [den % 2n === 0n ? den / 2n : den / 5n, decimals + 1];
  assert(den === 1n, `${r.num}/${r.den} has an exact decimal`);
  const scaled = (r.num * 10n ** BigInt(decimals)) / r.den;
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}
