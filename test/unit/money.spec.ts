import Decimal from 'decimal.js';
import { SeededRandom } from '../../src/demo/seeded-random';
import { DomainError } from '../../src/shared/domain/domain-error';
import { MAX_AMOUNT_FEN, formatFen, parseAmount, splitLargestRemainder, sumFen } from '../../src/shared/money/money';
import { EXAMPLE_A, EXAMPLE_A_UNITS } from '../support/cost-sharing-examples';

/** A seeded PRNG (mulberry32), so the property loops run the same cases every time. */
function seeded(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.uint32() / 4294967296;
}
const randomInt = (next: () => number, max: number) => Math.floor(next() * max);

function refusal(value: unknown, field?: string): DomainError {
  try {
    parseAmount(value, field);
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error(`parseAmount(${JSON.stringify(value)}) was accepted`);
}

describe('parseAmount and formatFen', () => {
  // "CNY, exactly two decimals, on the wire as a string: "1250.00" … Inside: decimal.js or integer
  // fen; never a float" (product.md, Money).
  it.each([
    ['1250.00', 125000n],
    ['0.01', 1n],
    ['0.10', 10n],
    // Fewer than two decimals are read as such (product.md refuses a third decimal, not fewer).
    ['1.5', 150n],
    ['1', 100n],
    ['10000000.00', 1_000_000_000n],
    ['1000000000000.00', MAX_AMOUNT_FEN],
  ])('parses %s as %p fen', (text, fen) => {
    expect(parseAmount(text)).toBe(fen);
  });

  it.each([
    [125000n, '1250.00'],
    [1n, '0.01'],
    [0n, '0.00'],
    [-1n, '-0.01'],
    [-125050n, '-1250.50'],
    [MAX_AMOUNT_FEN, '1000000000000.00'],
  ])('formats %p fen as %s', (fen, text) => {
    expect(formatFen(fen)).toBe(text);
  });

  it('round-trips every two-decimal string, and every fen amount (seeded)', () => {
    const next = seeded(20211125);
    for (let i = 0; i < 2000; i++) {
      const fen = BigInt(1 + randomInt(next, 1e9)) * BigInt(1 + randomInt(next, 1e5));
      expect(parseAmount(formatFen(fen))).toBe(fen);
      const text = `${1 + randomInt(next, 1e9)}.${String(randomInt(next, 100)).padStart(2, '0')}`;
      expect(formatFen(parseAmount(text))).toBe(text);
    }
  });

  // "A JSON number, a third decimal, an exponent, a negative where one makes no sense: 400 with a
  // message that names the field."
  it.each([
    ['a JSON number', 1250],
    ['a bigint', 125000n],
    ['a third decimal', '1250.001'],
    ['an exponent', '1e3'],
    ['a negative', '-1.00'],
    ['zero', '0.00'],
    ['empty', ''],
    ['leading zeros', '007.00'],
    ['a sign', '+1.00'],
    ['whitespace', '1.00 '],
    ['a comma', '1,00'],
    ['Infinity', 'Infinity'],
    ['NaN', 'NaN'],
    ['null', null],
    ['undefined', undefined],
    ['an object', { amount: '1.00' }],
  ])('refuses %s: invalid-amount, 400, naming the field', (_what, value) => {
    const e = refusal(value, 'estimatedCost');
    expect({ code: e.code, status: e.status, field: e.field }).toEqual({
      code: 'invalid-amount',
      status: 400,
      field: 'estimatedCost',
    });
    expect(e.message).toContain('estimatedCost');
  });

  it('names the field amount when none is given', () => {
    expect(refusal('1e3').field).toBe('amount');
  });

  // "The largest single amount the ledger accepts: one trillion yuan. A limit on everything."
  it('refuses one fen above one trillion yuan: amount-too-large', () => {
    const e = refusal('1000000000000.01', 'amount');
    expect({ code: e.code, status: e.status, field: e.field }).toEqual({
      code: 'amount-too-large',
      status: 400,
      field: 'amount',
    });
  });

  it('sums fen exactly', () => {
    expect(sumFen([10n, 20n, 30n])).toBe(60n);
    expect(sumFen([])).toBe(0n);
  });
});

describe('splitLargestRemainder', () => {
  // R-CS5 (domain.md §4): "raw_i = total × w_i / Σw, computed exactly with rationals. Floor each
  // raw_i to whole fen. Give the remaining fen one each to the largest fractional remainders.
  // Break ties by ascending householdId. Invariant: Σshares = total exactly."
  it('splits 100.00 over 3 equal units as 33.34 / 33.33 / 33.33', () => {
    expect(splitLargestRemainder(10000n, [1, 1, 1])).toEqual([3334n, 3333n, 3333n]);
  });

  it('Example B, area key: 100,000.00 over 55.3 / 72.1 / 88.6 m² is 25,601.85 / 33,379.63 / 41,018.52', () => {
    const parts = splitLargestRemainder(10_000_000n, ['55.3', '72.1', '88.6']);
    expect(parts.map(formatFen)).toEqual(['25601.85', '33379.63', '41018.52']);
    expect(sumFen(parts)).toBe(10_000_000n);
  });

  it('Example A, elevator floor coefficients: 400,000.00 over a six-storey stairwell', () => {
    const units = EXAMPLE_A_UNITS.map((u) => ({
      ...u,
      weight: new Decimal(EXAMPLE_A.coefficients[u.floor]).times(EXAMPLE_A.unitArea),
    }));
    const parts = splitLargestRemainder(
      EXAMPLE_A.totalFen,
      units.map((u) => u.weight),
    );
    const perUnit = Object.fromEntries(units.map((u, i) => [u.householdId, formatFen(parts[i])]));
    expect(perUnit).toEqual(EXAMPLE_A.sharesByUnit);
    expect(formatFen(sumFen(parts))).toBe('400000.00');
  });

  it('breaks an exact tie in favour of the earlier key', () => {
    expect(splitLargestRemainder(2n, [1, 1, 1])).toEqual([1n, 1n, 0n]);
    expect(splitLargestRemainder(10n, [1, 3])).toEqual([3n, 7n]);
  });

  // 100 over 1 / 0.1 / 1.9 is 33⅓ / 3⅓ / 63⅓: three equal remainders, so the earlier key gets the
  // fen. A rounded decimal quotient has more digits of ⅓ after 3 than after 33 and gave it to the
  // second key (fixed in money.ts by exact integer arithmetic).
  it('compares remainders exactly, not after rounding the quotient', () => {
    expect(splitLargestRemainder(100n, ['1', '0.1', '1.9'])).toEqual([34n, 3n, 63n]);
    expect(splitLargestRemainder(10n, ['1.00000000000000000001', '3.00000000000000000003'])).toEqual([3n, 7n]);
  });

  it('gives nothing to a zero weight and everything to a sole weight', () => {
    expect(splitLargestRemainder(12345n, [0, '2.5', 0])).toEqual([0n, 12345n, 0n]);
  });

  it('splits a zero total into zeros, even over zero weights', () => {
    expect(splitLargestRemainder(0n, [1, 2])).toEqual([0n, 0n]);
    expect(splitLargestRemainder(0n, [0, 0])).toEqual([0n, 0n]);
    expect(splitLargestRemainder(0n, [])).toEqual([]);
  });

  it('refuses what has no meaning: a negative total, a negative weight, a total over zero weights', () => {
    expect(() => splitLargestRemainder(-1n, [1])).toThrow(/invariant/);
    expect(() => splitLargestRemainder(1n, [1, -1])).toThrow(/invariant/);
    expect(() => splitLargestRemainder(1n, [0, 0])).toThrow(/invariant/);
    expect(() => splitLargestRemainder(1n, [Number.POSITIVE_INFINITY])).toThrow(/invariant/);
  });

  it('always adds the parts up to the whole, each within one fen of its exact share (seeded)', () => {
    const next = seeded(71);
    for (let run = 0; run < 1000; run++) {
      const total = BigInt(randomInt(next, 1e9)) * BigInt(1 + randomInt(next, 1000));
      const count = 1 + randomInt(next, 40);
      // Weights like floor areas and coefficients: up to three decimals, some of them zero.
      const weights = Array.from({ length: count }, () =>
        next() < 0.1 ? '0' : (randomInt(next, 2_000_000) / 1000).toFixed(randomInt(next, 4)),
      );
      if (weights.every((w) => new Decimal(w).isZero())) weights[0] = '1';

      const parts = splitLargestRemainder(total, weights);

      expect(parts).toHaveLength(count);
      expect(sumFen(parts)).toBe(total);
      // Exact check in integers: |part × Σw − total × w| < Σw, i.e. part is the floor or ceiling of the share.
      const scaled = weights.map((w) => BigInt(new Decimal(w).times(1000).toFixed(0)));
      const sum = sumFen(scaled);
      parts.forEach((part, i) => {
        const gap = part * sum - total * scaled[i];
        expect(gap > -sum && gap < sum).toBe(true);
      });
      expect(splitLargestRemainder(total, weights)).toEqual(parts);
    }
  });
});

describe('amount-too-large names the limit, however many digits', () => {
  // "A limit on everything" (TIGER_STYLE): above 1,000,000,000,000.00 is amount-too-large, not a malformed amount.
  it.each(['1000000000000.01', '9999999999999999', '123456789012345678901234567890.00'])('%s', (value) => {
    expect(() => parseAmount(value)).toThrow(expect.objectContaining({ code: 'amount-too-large', field: 'amount' }));
  });
});
