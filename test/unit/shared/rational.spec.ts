/**
 * Exact fractions (src/shared/domain/rational.ts): cost-sharing weights and vote figures are
 * compared and shown without a float anywhere, so a tie or a bound ("以上") is decided exactly.
 */
import { exactDecimal, gcd, isAtLeast, multiply, rational } from '../../../src/shared/domain/rational';

describe('rational', () => {
  it('keeps a fraction in lowest terms with a positive denominator', () => {
    expect(rational(6000n, 100n)).toEqual({ num: 60n, den: 1n });
    expect(rational(3n, -6n)).toEqual({ num: -1n, den: 2n });
    expect(rational(0n, 7n)).toEqual({ num: 0n, den: 1n });
    expect(gcd(-12n, 18n)).toBe(6n);
  });

  it('refuses a zero denominator as a bug', () => {
    expect(() => rational(1n, 0n)).toThrow(/invariant/);
  });

  it('multiplies exactly: 0.7 × 60.00 m² is 42', () => {
    expect(multiply(rational(7n, 10n), rational(6000n, 100n))).toEqual({ num: 42n, den: 1n });
  });

  it('compares by cross-multiplying: ≥ includes the bound, > does not', () => {
    expect(isAtLeast(rational(6n, 8n), rational(3n, 4n), true)).toBe(true);
    expect(isAtLeast(rational(6n, 8n), rational(3n, 4n), false)).toBe(false);
    expect(isAtLeast(rational(30001n, 60000n), rational(1n, 2n), false)).toBe(true);
  });

  it('writes a decimal fraction exactly, without trailing zeros', () => {
    expect(exactDecimal(rational(42n))).toBe('42');
    expect(exactDecimal(rational(3879n, 100n))).toBe('38.79');
    expect(exactDecimal(rational(1n, 8n))).toBe('0.125');
    expect(exactDecimal(rational(-1n, 20n))).toBe('-0.05');
    expect(exactDecimal(rational(1_000_001n, 1_000_000n))).toBe('1.000001');
    expect(() => exactDecimal(rational(1n, 3n))).toThrow(/invariant/);
  });
});
