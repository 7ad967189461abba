/**
 * The residents' share of a cost-sharing plan (domain.md §4), as pure exact arithmetic: the
 * weight of each household under the plan's key (R-CS1, R-CS3), then the amount split over the
 * weights to the fen by largest remainder (R-CS5). No store, no framework: the project decider
 * calls these when a plan is recorded, and a projection may call them again to show a plan.
 *
 * Units: areas are integer hundredths of a m² (as registered: "60.00" → 6000n), money is integer
 * fen. A weight is an exact Rational in the key's own unit, so it reads like domain.md: the
 * area keys weigh in m² (60.00 m² → 60), the household key weighs 1, the floor-coefficient key
 * weighs coefficient × m² (0.7 × 60 → 42, Example A), a custom key its own decimal.
 */
import { DomainError, assert } from '../shared/domain/domain-error';
import { Rational, gcd, multiply, rational } from '../shared/domain/rational';
import { splitByIntegerWeights } from '../shared/money/money';

export type { Rational } from '../shared/domain/rational';

export type AreaBasis = 'building_area' | 'exclusive_area';

/** How a plan weighs its households (the `key` of POST /api/projects/:id/cost-shares). */
export type CostShareKey =
  | { kind: 'building_area' }
  | { kind: 'exclusive_area' }
  | { kind: 'household' }
  | { kind: 'floor_coefficient'; coefficients: Record<string, string>; basis: AreaBasis }
  | { kind: 'custom'; weights: Record<string, string> };

export const COST_SHARE_KEY_KINDS: readonly CostShareKey['kind'][] = [
  'building_area',
  'exclusive_area',
  'household',
  'floor_coefficient',
  'custom',
];

/** What the arithmetic needs of a registered household. */
export interface HouseholdFacts {
  householdId: string;
  floor: number;
  /** Hundredths of a m². */
  buildingArea: bigint;
  /** Hundredths of a m²; absent where the register has none. */
  exclusiveArea?: bigint;
}

export interface HouseholdWeight {
  householdId: string;
  weight: Rational;
}

export interface HouseholdShare extends HouseholdWeight {
  shareFen: bigint;
}

/**
 * A coefficient or custom weight: a decimal string ≥ 0 with at most 6 decimals and 9 digits
 * before the point (a limit on everything; a real coefficient is about 1, a custom weight an
 * area or a count).
 */
export const WEIGHT_PATTERN = /^(0|[1-9][0-9]{0,8})(\.[0-9]{1,6})?$/;
const WEIGHT_DECIMALS = 6;

/** A floor as the coefficients name it: the floor number's own digits ("3", "-1"), nothing else. */
const FLOOR_KEY_PATTERN = /^(0|-?[1-9][0-9]{0,2})$/;

export const CostShareErrors = {
  invalidKey: (field: string, problem: string) => new DomainError('invalid-field', `${field} ${problem}`, 400, field),
  invalidWeight: (field: string, value: unknown) =>
    new DomainError(
      'invalid-weight',
      `${field} must be a decimal string ≥ 0 with at most ${WEIGHT_DECIMALS} decimals, such as "0.7" (got ${JSON.stringify(value) ?? String(value)})`,
      400,
      field,
    ),
  exclusiveAreaMissing: (householdId: string) =>
    new DomainError(
      'exclusive-area-missing',
      `household ${householdId} has no exclusive area registered, and the key weighs exclusive area: register it (a correction) or weigh by building area`,
      422,
      'key',
      undefined,
      [householdId],
    ),
  floorCoefficientMissing: (floor: number, householdId: string) =>
    new DomainError(
      'floor-coefficient-missing',
      `the key has no coefficient for floor ${floor} (household ${householdId} is on it): give every floor in the scope a coefficient, "0" for a floor that does not pay`,
      422,
      'key.coefficients',
      undefined,
      [householdId],
    ),
  customWeightMissing: (householdId: string) =>
    new DomainError(
      'custom-weight-missing',
      `the key gives no weight to household ${householdId}, which is in the plan's scope: give every household a weight, "0" for one that does not pay`,
      422,
      'key.weights',
      undefined,
      [householdId],
    ),
  customWeightUnknownHousehold: (householdId: string) =>
    new DomainError(
      'custom-weight-unknown-household',
      `the key weighs household ${householdId}, which is not in the plan's scope`,
      422,
      'key.weights',
      undefined,
      [householdId],
    ),
  weightsAllZero: (households: number) =>
    new DomainError(
      'weights-all-zero',
      households === 0
        ? 'the plan has no household to share the amount'
        : `every one of the ${households} households in the plan weighs 0 under its key: nobody would pay`,
      422,
      'key',
    ),
};

/**
 * The weight of each household under `key`, in the order given (R-CS1, R-CS3). Refuses a key that
 * cannot weigh every household: an exclusive area, a floor's coefficient or a custom weight
 * missing, a custom weight for a household outside the scope, or weights that are all zero.
 */
export function weightsOf(key: CostShareKey, households: readonly HouseholdFacts[]): HouseholdWeight[] {
  const weighOne = weigher(key, households);
  const weights = households.map((h) => ({ householdId: h.householdId, weight: weighOne(h) }));
  if (!weights.some((w) => w.weight.num > 0n)) throw CostShareErrors.weightsAllZero(households.length);
  return weights;
}

/** The weight function of a key, after the key itself is judged (malformed: 400; incomplete: 422). */
function weigher(key: CostShareKey, households: readonly HouseholdFacts[]): (h: HouseholdFacts) => Rational {
  switch (key?.kind) {
    case 'building_area':
      return (h) => areaOf(h, 'building_area');
    case 'exclusive_area':
      return (h) => areaOf(h, 'exclusive_area');
    case 'household':
      return () => rational(1n);
    case 'floor_coefficient': {
      if (key.basis !== 'building_area' && key.basis !== 'exclusive_area')
        throw CostShareErrors.invalidKey(
          'key.basis',
          `must be building_area or exclusive_area (got ${String(key.basis)})`,
        );
      const coefficients = decimalsByKey(key.coefficients, 'key.coefficients', (floor) => {
        if (!FLOOR_KEY_PATTERN.test(floor))
          throw CostShareErrors.invalidKey(
            'key.coefficients',
            `names floors by their number, such as "3" (got "${floor}")`,
          );
      });
      return (h) => {
        const coefficient = coefficients.get(String(h.floor));
        if (coefficient === undefined) throw CostShareErrors.floorCoefficientMissing(h.floor, h.householdId);
        return multiply(coefficient, areaOf(h, key.basis));
      };
    }
    case 'custom': {
      const weights = decimalsByKey(key.weights, 'key.weights', () => {});
      const inScope = new Set(households.map((h) => h.householdId));
      for (const householdId of weights.keys())
        if (!inScope.has(householdId)) throw CostShareErrors.customWeightUnknownHousehold(householdId);
      return (h) => {
        const weight = weights.get(h.householdId);
        if (weight === undefined) throw CostShareErrors.customWeightMissing(h.householdId);
        return weight;
      };
    }
    default:
      throw CostShareErrors.invalidKey(
        'key.kind',
        `must be one of ${COST_SHARE_KEY_KINDS.join(', ')} (got ${String((key as { kind?: unknown } | null)?.kind)})`,
      );
  }
}

/** A household's area in m² as a Rational (the register holds hundredths). */
function areaOf(h: HouseholdFacts, basis: AreaBasis): Rational {
  const hundredths = basis === 'building_area' ? h.buildingArea : h.exclusiveArea;
  if (hundredths === undefined) throw CostShareErrors.exclusiveAreaMissing(h.householdId);
  assert(hundredths >= 0n, `household ${h.householdId}'s ${basis} is not negative`);
  return rational(hundredths, 100n);
}

/** An object of decimal strings (coefficients by floor, weights by household) as exact Rationals. */
function decimalsByKey(
  value: Record<string, string> | undefined,
  field: string,
  checkKey: (key: string) => void,
): Map<string, Rational> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw CostShareErrors.invalidKey(field, 'must be an object of decimal strings');
  // Own entries only, so a key named like Object.prototype's members ("constructor") is data.
  const parsed = new Map<string, Rational>();
  for (const [k, v] of Object.entries(value)) {
    checkKey(k);
    parsed.set(k, parseWeight(v, `${field}.${k}`));
  }
  return parsed;
}

/** A decimal weight string ("0.7", "1.125") as an exact Rational. */
export function parseWeight(value: unknown, field: string): Rational {
  const match = typeof value === 'string' ? WEIGHT_PATTERN.exec(value) : null;
  if (!match) throw CostShareErrors.invalidWeight(field, value);
  const fraction = (match[2] ?? '.').slice(1);
  return rational(BigInt(match[1] + fraction), 10n ** BigInt(fraction.length));
}

/**
 * Splits `totalFen` over the weights to the fen (R-CS5): raw_i = total × w_i / Σw in exact
 * rationals, floored, then the fen left over one each to the largest remainders, ties to the
 * smaller householdId (string order). Σ shares = total; a zero weight gets 0 and stays listed.
 * The answer keeps the order of `weights`.
 */
export function splitShares(totalFen: bigint, weights: readonly HouseholdWeight[]): HouseholdShare[] {
  assert(totalFen >= 0n, 'a plan shares an amount that is not negative');
  if (totalFen > 0n && !weights.some((w) => w.weight.num > 0n)) throw CostShareErrors.weightsAllZero(weights.length);
  // The splitter gives ties to the earlier weight: order by householdId first.
  const byId = weights.map((w, i) => ({ w, i })).sort((a, b) => compareIds(a.w.householdId, b.w.householdId));
  for (let k = 1; k < byId.length; k++)
    assert(byId[k - 1].w.householdId !== byId[k].w.householdId, 'a plan lists each household once');
  const parts = splitByIntegerWeights(totalFen, overCommonDenominator(byId.map((x) => x.w.weight)));
  const shares = new Array<HouseholdShare>(weights.length);
  byId.forEach(({ w, i }, k) => (shares[i] = { householdId: w.householdId, weight: w.weight, shareFen: parts[k] }));
  assert(shares.reduce((t, s) => t + s.shareFen, 0n) === totalFen, 'the shares sum to the amount');
  return shares;
}

/** String order of ids (UTF-16 code units, which for the ASCII ids the ledger takes is byte order). */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The numerators of the weights over their least common denominator: integers in the same
 * proportion, which the splitter divides exactly. Weights of one key share a denominator (a
 * power of ten), so the fast path is one comparison per weight.
 */
function overCommonDenominator(weights: readonly Rational[]): bigint[] {
  let lcm = 1n;
  for (const w of weights) {
    assert(w.num >= 0n && w.den > 0n, 'a weight is not negative');
    if (lcm % w.den !== 0n) lcm = (lcm / gcd(lcm, w.den)) * w.den;
  }
  return weights.map((w) => w.num * (lcm / w.den));
}
