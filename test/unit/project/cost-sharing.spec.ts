/**
 * R-CS1, R-CS3 and R-CS5 (domain.md §4): a plan weighs its households by its key, then splits the
 * amount "raw_i = total × w_i / Σw, computed exactly with rationals. Floor each raw_i to whole fen.
 * Give the remaining fen one each to the largest fractional remainders. Break ties by ascending
 * householdId. Invariant: Σshares = total exactly."
 */
import fc from 'fast-check';
import {
  CostShareKey,
  HouseholdFacts,
  HouseholdShare,
  HouseholdWeight,
  splitShares,
  weightsOf,
} from '../../../src/project/cost-sharing';
import { Rational, exactDecimal, rational } from '../../../src/shared/domain/rational';
import { formatFen, parseAmount } from '../../../src/shared/money/money';
import { EXAMPLE_A, EXAMPLE_A_UNITS } from '../../support/cost-sharing-examples';

const m2 = (value: string): bigint => parseAmount(value, 'area');

const stairwell: HouseholdFacts[] = EXAMPLE_A_UNITS.map((u) => ({ ...u, buildingArea: m2(EXAMPLE_A.unitArea) }));

const byHousehold = (shares: readonly HouseholdShare[]) =>
  Object.fromEntries(shares.map((s) => [s.householdId, formatFen(s.shareFen)]));
const total = (shares: readonly HouseholdShare[]) => shares.reduce((t, s) => t + s.shareFen, 0n);

describe('Example A: an elevator by floor coefficient × area (R-CS3)', () => {
  const key: CostShareKey = { kind: 'floor_coefficient', coefficients: EXAMPLE_A.coefficients, basis: 'building_area' };

  it('weighs floors 1-2 at 0 and floors 3-6 at 42 / 48 / 54 / 60 (Σw = 408)', () => {
    const weights = weightsOf(key, stairwell);
    expect(weights.map((w) => [w.householdId, exactDecimal(w.weight)])).toEqual([
      ['101', '0'],
      ['102', '0'],
      ['201', '0'],
      ['202', '0'],
      ['301', '42'],
      ['302', '42'],
      ['401', '48'],
      ['402', '48'],
      ['501', '54'],
      ['502', '54'],
      ['601', '60'],
      ['602', '60'],
    ]);
  });

  it('shares 400,000.00 as 41,176.47 / 47,058.82 / 52,941.18 / 58,823.53, the 4 fen to 601, 602, 501, 502', () => {
    const shares = splitShares(EXAMPLE_A.totalFen, weightsOf(key, stairwell));
    expect(byHousehold(shares)).toEqual(EXAMPLE_A.sharesByUnit);
    expect(total(shares)).toBe(40_000_000n);
    // The floors (⌊40,000,000 × w / 408⌋) and who got the 4 fen above them.
    const floors: Record<string, bigint> = { 0: 0n, 42: 4117647n, 48: 4705882n, 54: 5294117n, 60: 5882352n };
    const topped = shares.filter((s) => s.shareFen > floors[exactDecimal(s.weight)]).map((s) => s.householdId);
    expect(topped.sort()).toEqual(['501', '502', '601', '602']);
  });

  it('weighs the exclusive area when the basis says so', () => {
    const withExclusive = stairwell.map((h) => ({ ...h, exclusiveArea: m2('50.00') }));
    const weights = weightsOf({ ...key, basis: 'exclusive_area' }, withExclusive);
    expect(exactDecimal(weights[11].weight)).toBe('50');
    expect(exactDecimal(weights[4].weight)).toBe('35');
  });
});

describe('Example B: by area (R-CS1)', () => {
  const units: HouseholdFacts[] = [
    { householdId: 'A', floor: 1, buildingArea: m2('55.30'), exclusiveArea: m2('55.30') },
    { householdId: 'B', floor: 2, buildingArea: m2('72.10'), exclusiveArea: m2('72.10') },
    { householdId: 'C', floor: 3, buildingArea: m2('88.60'), exclusiveArea: m2('88.60') },
  ];

  it.each(['building_area', 'exclusive_area'] as const)(
    '100,000.00 over 55.3 / 72.1 / 88.6 m² by %s is 25,601.85 / 33,379.63 / 41,018.52',
    (kind) => {
      const shares = splitShares(10_000_000n, weightsOf({ kind }, units));
      expect(byHousehold(shares)).toEqual({ A: '25601.85', B: '33379.63', C: '41018.52' });
      expect(shares.map((s) => exactDecimal(s.weight))).toEqual(['55.3', '72.1', '88.6']);
    },
  );

  it('weighs by the exclusive area, not the building area, when the key says exclusive_area', () => {
    const mixed = units.map((u) => ({ ...u, buildingArea: m2('100.00') }));
    expect(byHousehold(splitShares(10_000_000n, weightsOf({ kind: 'exclusive_area' }, mixed)))).toEqual({
      A: '25601.85',
      B: '33379.63',
      C: '41018.52',
    });
  });
});

describe('equal weights (R-CS5 ties)', () => {
  const units = (ids: string[]): HouseholdFacts[] =>
    ids.map((householdId) => ({ householdId, floor: 1, buildingArea: m2('60.00') }));

  it('splits 100.00 over 3 equal units as 33.34 / 33.33 / 33.33, the extra fen to the smallest id', () => {
    const shares = splitShares(10_000n, weightsOf({ kind: 'household' }, units(['h-2', 'h-3', 'h-1'])));
    expect(byHousehold(shares)).toEqual({ 'h-1': '33.34', 'h-2': '33.33', 'h-3': '33.33' });
    expect(shares.map((s) => s.householdId)).toEqual(['h-2', 'h-3', 'h-1']); // the order given
  });

  it('orders ids as strings: "10" comes before "9"', () => {
    const shares = splitShares(200n, weightsOf({ kind: 'building_area' }, units(['9', '10', '11'])));
    expect(byHousehold(shares)).toEqual({ 9: '0.66', 10: '0.67', 11: '0.67' });
  });

  it('gives 0 to a zero weight and keeps it listed', () => {
    const key: CostShareKey = { kind: 'custom', weights: { a: '0', b: '1', c: '0' } };
    const shares = splitShares(12_345n, weightsOf(key, units(['a', 'b', 'c'])));
    expect(byHousehold(shares)).toEqual({ a: '0.00', b: '123.45', c: '0.00' });
  });
});

describe('custom weights', () => {
  const units = ['601', '602', '603'].map((householdId) => ({ householdId, floor: 6, buildingArea: m2('60.00') }));

  it('weighs each household by its own decimal, up to six decimals', () => {
    const key: CostShareKey = { kind: 'custom', weights: { '601': '1.000001', '602': '2', '603': '0.5' } };
    const weights = weightsOf(key, units);
    expect(weights.map((w) => exactDecimal(w.weight))).toEqual(['1.000001', '2', '0.5']);
    expect(total(splitShares(1_000_000n, weights))).toBe(1_000_000n);
  });
});

describe('refusals, each with its code', () => {
  const units: HouseholdFacts[] = [
    { householdId: '301', floor: 3, buildingArea: m2('60.00'), exclusiveArea: m2('52.00') },
    { householdId: '401', floor: 4, buildingArea: m2('60.00') },
  ];
  const refuses = (key: unknown, code: string, status: number, field?: string, households = units) =>
    expect(() => weightsOf(key as CostShareKey, households)).toThrow(
      expect.objectContaining({ code, status, ...(field ? { field } : {}) }),
    );

  it('exclusive-area-missing names the household without one', () => {
    refuses({ kind: 'exclusive_area' }, 'exclusive-area-missing', 422);
    expect(() => weightsOf({ kind: 'exclusive_area' }, units)).toThrow(/household 401/);
    refuses(
      { kind: 'floor_coefficient', coefficients: { 3: '1', 4: '1' }, basis: 'exclusive_area' },
      'exclusive-area-missing',
      422,
    );
  });

  it('floor-coefficient-missing names the floor', () => {
    const key = { kind: 'floor_coefficient', coefficients: { 3: '0.7' }, basis: 'building_area' };
    refuses(key, 'floor-coefficient-missing', 422, 'key.coefficients');
    expect(() => weightsOf(key as CostShareKey, units)).toThrow(/floor 4/);
  });

  it('custom-weight-missing and custom-weight-unknown-household', () => {
    refuses({ kind: 'custom', weights: { 301: '1' } }, 'custom-weight-missing', 422, 'key.weights');
    refuses({ kind: 'custom', weights: { 301: '1', 401: '1', 999: '1' } }, 'custom-weight-unknown-household', 422);
    // A name of Object.prototype's is an unknown household, not a weight found on the prototype.
    refuses(
      { kind: 'custom', weights: { 301: '1', 401: '1', constructor: '1' } },
      'custom-weight-unknown-household',
      422,
    );
    refuses({ kind: 'custom', weights: { 301: '1', 401: '1' } }, 'custom-weight-missing', 422, 'key.weights', [
      ...units,
      { householdId: 'toString', floor: 1, buildingArea: 100n },
    ]);
  });

  it.each([['-1'], ['0.1234567'], ['1e3'], ['01'], ['.5'], [''], ['1,5'], ['1234567890']])(
    'invalid-weight: %p is not a weight',
    (value) => {
      refuses({ kind: 'custom', weights: { 301: value, 401: '1' } }, 'invalid-weight', 400, 'key.weights.301');
      refuses(
        { kind: 'floor_coefficient', coefficients: { 3: '1', 4: value }, basis: 'building_area' },
        'invalid-weight',
        400,
        'key.coefficients.4',
      );
    },
  );

  it('invalid-weight: a JSON number is not a decimal string', () => {
    refuses({ kind: 'custom', weights: { 301: 1, 401: '1' } }, 'invalid-weight', 400, 'key.weights.301');
  });

  it('weights-all-zero: nobody would pay', () => {
    refuses({ kind: 'custom', weights: { 301: '0', 401: '0.000000' } }, 'weights-all-zero', 422);
    refuses({ kind: 'household' }, 'weights-all-zero', 422, 'key', []);
    expect(() => splitShares(1n, [{ householdId: 'a', weight: rational(0n) }])).toThrow(
      expect.objectContaining({ code: 'weights-all-zero' }),
    );
  });

  it('invalid-field: a key of no known kind, basis or floor', () => {
    refuses({ kind: 'by_mood' }, 'invalid-field', 400, 'key.kind');
    refuses(null, 'invalid-field', 400, 'key.kind');
    refuses(
      { kind: 'floor_coefficient', coefficients: { 3: '1', 4: '1' }, basis: 'volume' },
      'invalid-field',
      400,
      'key.basis',
    );
    refuses({ kind: 'floor_coefficient', coefficients: { '03': '1' }, basis: 'building_area' }, 'invalid-field', 400);
    refuses({ kind: 'floor_coefficient', coefficients: ['1'], basis: 'building_area' }, 'invalid-field', 400);
    refuses({ kind: 'custom' }, 'invalid-field', 400, 'key.weights');
  });
});

// ---- properties (seeded) ----------------------------------------------------------------------

function add(a: Rational, b: Rational): Rational {
  return rational(a.num * b.den + b.num * a.den, a.den * b.den);
}
const sumOf = (weights: readonly HouseholdWeight[]) => weights.reduce((t, w) => add(t, w.weight), rational(0n));
const compare = (a: Rational, b: Rational) => {
  const d = a.num * b.den - b.num * a.den;
  return d < 0n ? -1 : d > 0n ? 1 : 0;
};

/** A stairwell-sized or community-sized plan: households on floors with areas, coefficients with up to 6 decimals. */
const planArb = (minHouseholds: number, maxHouseholds: number) =>
  fc
    .record({
      areas: fc.array(fc.integer({ min: 2_000, max: 20_000 }), { minLength: minHouseholds, maxLength: maxHouseholds }),
      coefficients: fc.array(
        fc.oneof(
          fc.constant('0'),
          fc.integer({ min: 0, max: 3_000_000 }).map((micro) => exactDecimal(rational(BigInt(micro), 1_000_000n))),
        ),
        { minLength: 12, maxLength: 12 },
      ),
      totalFen: fc.bigInt({ min: 1n, max: 100_000_000_000_000n }),
    })
    .map(({ areas, coefficients, totalFen }) => {
      const households: HouseholdFacts[] = areas.map((a, i) => ({
        householdId: `H${String(i).padStart(5, '0')}`,
        floor: 1 + (i % 12),
        buildingArea: BigInt(a),
      }));
      const key: CostShareKey = {
        kind: 'floor_coefficient',
        coefficients: Object.fromEntries(coefficients.map((c, i) => [String(i + 1), c])),
        basis: 'building_area',
      };
      return { households, key, totalFen };
    })
    .filter(({ households, key }) => households.some((h) => key.coefficients[String(h.floor)] !== '0'));

describe('splitShares, for any plan (fast-check, seeded)', () => {
  it('sums to the amount, each share within 1 fen of its exact share, for thousands of households', () => {
    fc.assert(
      fc.property(planArb(1_000, 5_000), ({ households, key, totalFen }) => {
        const weights = weightsOf(key, households);
        const shares = splitShares(totalFen, weights);
        expect(shares).toHaveLength(households.length);
        expect(total(shares)).toBe(totalFen);
        const sum = sumOf(weights);
        for (const s of shares) {
          // |share − total × w / Σw| < 1, i.e. |share × Σw − total × w| < Σw, in rationals.
          const gap = add(rational(s.shareFen * sum.num, sum.den), rational(-totalFen * s.weight.num, s.weight.den));
          expect(compare(rational(gap.num < 0n ? -gap.num : gap.num, gap.den), sum)).toBe(-1);
        }
      }),
      { seed: 2021_01_01, numRuns: 12 },
    );
  });

  it('is monotone in weight: a heavier household never pays less', () => {
    fc.assert(
      fc.property(planArb(1, 300), ({ households, key, totalFen }) => {
        const shares = splitShares(totalFen, weightsOf(key, households));
        const sorted = shares.slice().sort((a, b) => compare(a.weight, b.weight));
        // Across weight groups: the largest share of a lighter group ≤ the smallest of a heavier one.
        let lighterMax = -1n;
        let k = 0;
        while (k < sorted.length) {
          let j = k;
          let groupMin = sorted[k].shareFen;
          let groupMax = sorted[k].shareFen;
          while (j < sorted.length && compare(sorted[j].weight, sorted[k].weight) === 0) {
            groupMin = sorted[j].shareFen < groupMin ? sorted[j].shareFen : groupMin;
            groupMax = sorted[j].shareFen > groupMax ? sorted[j].shareFen : groupMax;
            j++;
          }
          expect(groupMin >= lighterMax).toBe(true);
          expect(groupMax - groupMin <= 1n).toBe(true); // equal weights differ by at most the one fen
          lighterMax = groupMax;
          k = j;
        }
      }),
      { seed: 71, numRuns: 300 },
    );
  });

  it('gives the fen of equal remainders to the smallest ids, whatever the order given', () => {
    const idsArb = fc.uniqueArray(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,8}$/), {
      minLength: 1,
      maxLength: 200,
    });
    fc.assert(
      fc.property(idsArb, fc.bigInt({ min: 0n, max: 10_000_000n }), (ids, totalFen) => {
        const households = ids.map((householdId) => ({ householdId, floor: 1, buildingArea: 6000n }));
        const shares = splitShares(totalFen, weightsOf({ kind: 'household' }, households));
        const n = BigInt(ids.length);
        const extra = Number(totalFen % n);
        const inIdOrder = [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        const expected = new Map(inIdOrder.map((id, i) => [id, totalFen / n + (i < extra ? 1n : 0n)]));
        for (const s of shares) expect(s.shareFen).toBe(expected.get(s.householdId));
      }),
      { seed: 100, numRuns: 300 },
    );
  });

  it('agrees with a plain reference split (sort every remainder, ties by id), also when the order is shuffled', () => {
    const smallPlan = fc.record({
      weights: fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 40 }),
      totalFen: fc.bigInt({ min: 0n, max: 1_000_000n }),
      seed: fc.integer(),
    });
    fc.assert(
      fc.property(smallPlan, ({ weights, totalFen, seed }) => {
        fc.pre(weights.some((w) => w > 0));
        // Weights as decimals with one place (0.0 ... 0.6): many equal remainders.
        const ws: HouseholdWeight[] = weights.map((w, i) => ({
          householdId: `u${i}`,
          weight: rational(BigInt(w), 10n),
        }));
        const shuffled = ws.map((w, i) => ({ w, r: (i * 7919 + seed) % 104729 })).sort((a, b) => a.r - b.r);
        const fromShuffled = new Map(
          splitShares(
            totalFen,
            shuffled.map((x) => x.w),
          ).map((s) => [s.householdId, s.shareFen]),
        );
        const expected = referenceSplit(totalFen, ws);
        expect(Object.fromEntries(fromShuffled)).toEqual(Object.fromEntries(expected));
      }),
      { seed: 5, numRuns: 500 },
    );
  });
});

/** R-CS5 read literally, with integer weights (den 10): floor, then the largest remainders, ties by id. */
function referenceSplit(totalFen: bigint, weights: readonly HouseholdWeight[]): Map<string, bigint> {
  const sum = weights.reduce((t, w) => t + w.weight.num * (10n / w.weight.den), 0n);
  const rows = weights.map((w) => {
    const scaled = totalFen * w.weight.num * (10n / w.weight.den);
    return { id: w.householdId, share: scaled / sum, rem: scaled % sum };
  });
  let left = totalFen - rows.reduce((t, r) => t + r.share, 0n);
  rows
    .slice()
    .sort((a, b) => (a.rem !== b.rem ? (a.rem > b.rem ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .forEach((r) => {
      if (left > 0n) [r.share, left] = [r.share + 1n, left - 1n];
    });
  return new Map(rows.map((r) => [r.id, r.share]));
}
