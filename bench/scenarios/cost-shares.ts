/**
 * (h) Computing the shares of a 5,000-household cost-sharing plan (issue 15, point 8).
 *
 * Ours: what the project decider does when a plan is recorded, from the register's facts
 * (areas in hundredths of a m² as bigints) and a floor-coefficient key (coefficients as decimal
 * strings with up to six decimals): weightsOf (exact rationals) then splitShares (largest
 * remainder to the fen, ties by householdId). Baseline: a plain loop over the same data as JS
 * numbers, as a naive implementation would write it: weight = coefficient × area, share =
 * round(total × weight / Σ weight) to the fen. Rounds alternate ours and the baseline; each
 * figure is the median of its rounds. The details say how far the naive loop is from the
 * amount it should share: the fen it loses or invents and the households it charges differently.
 */
import { CostShareKey, HouseholdFacts, splitShares, weightsOf } from '../../src/project/cost-sharing';
import { ScenarioResult, compare } from '../lib/report';
import { median, nowMs, seededRandom } from '../lib/util';

const HOUSEHOLDS = 5_000;
const FLOORS = 33;
/** 12,345,678.91 to share: an amount whose fen do not divide evenly. */
const TOTAL_FEN = 1_234_567_891n;

interface Plan {
  households: HouseholdFacts[];
  key: Extract<CostShareKey, { kind: 'floor_coefficient' }>;
  /** The same facts as a naive implementation holds them. */
  naive: { householdId: string; areaM2: number; coefficient: number }[];
}

/** A community of 5,000 units on 33 floors, 55-140 m² each, coefficients like "0.812345" (seeded). */
function planOf(): Plan {
  const random = seededRandom(20211125);
  const coefficients: Record<string, string> = { '1': '0', '2': '0' };
  for (let floor = 3; floor <= FLOORS; floor++)
    coefficients[String(floor)] = (0.6 + floor * 0.05 + Math.floor(random() * 1_000_000) / 1e7).toFixed(6);
  const households: HouseholdFacts[] = Array.from({ length: HOUSEHOLDS }, (_, i) => ({
    householdId: `B${String(1 + Math.floor(i / 500)).padStart(2, '0')}-${String(i).padStart(5, '0')}`,
    floor: 1 + (i % FLOORS),
    buildingArea: BigInt(5_500 + Math.floor(random() * 8_500)),
  }));
  const naive = households.map((h) => ({
    householdId: h.householdId,
    areaM2: Number(h.buildingArea) / 100,
    coefficient: Number(coefficients[String(h.floor)]),
  }));
  return { households, key: { kind: 'floor_coefficient', coefficients, basis: 'building_area' }, naive };
}

function ours(plan: Plan): bigint[] {
  return splitShares(TOTAL_FEN, weightsOf(plan.key, plan.households)).map((s) => s.shareFen);
}

/** The plain loop: floats, each share rounded to the fen on its own. */
function naiveLoop(plan: Plan, totalFen = TOTAL_FEN): number[] {
  const total = Number(totalFen) / 100;
  let sum = 0;
  for (const h of plan.naive) sum += h.coefficient * h.areaM2;
  const shares = new Array<number>(plan.naive.length);
  for (let i = 0; i < plan.naive.length; i++) {
    const h = plan.naive[i];
    shares[i] = Math.round(((total * h.coefficient * h.areaM2) / sum) * 100) / 100;
  }
  return shares;
}

export async function costSharesScenario(quick: boolean): Promise<Omit<ScenarioResult, 'seconds'>> {
  const rounds = quick ? 11 : 31;
  const plan = planOf();
  const exact = ours(plan);
  const naive = naiveLoop(plan);
  const exactSum = exact.reduce((t, s) => t + s, 0n);
  if (exactSum !== TOTAL_FEN) throw new Error(`cost-shares bench: shares sum to ${exactSum}, not ${TOTAL_FEN}`);
  const naiveFen = naive.map((yuan) => BigInt(Math.round(yuan * 100)));
  const naiveDiffering = naiveFen.filter((s, i) => s !== exact[i]).length;
  // Whether the naive loop's shares add up depends on the amount: try 100 amounts (untimed).
  const misses: bigint[] = [];
  for (let k = 0n; k < 100n; k++) {
    const amountFen = TOTAL_FEN + k * 7_919_333n;
    const sum = naiveLoop(plan, amountFen).reduce((t, yuan) => t + BigInt(Math.round(yuan * 100)), 0n);
    if (sum !== amountFen) misses.push(sum > amountFen ? sum - amountFen : amountFen - sum);
  }
  const worstMissFen = misses.reduce((m, x) => (x > m ? x : m), 0n);

  for (let i = 0; i < 3; i++) {
    // Warm-up, discarded.
    ours(plan);
    naiveLoop(plan);
  }
  const oursMs: number[] = [];
  const baseMs: number[] = [];
  let sink = 0;
  for (let r = 0; r < rounds; r++) {
    // Alternate which goes first, so neither always runs right after the other's garbage.
    const runOurs = () => {
      const t = nowMs();
      sink += ours(plan).length;
      oursMs.push(nowMs() - t);
    };
    const runBase = () => {
      const t = nowMs();
      sink += naiveLoop(plan).length;
      baseMs.push(nowMs() - t);
    };
    if (r % 2 === 0) {
      runOurs();
      runBase();
    } else {
      runBase();
      runOurs();
    }
  }
  if (sink !== rounds * 2 * HOUSEHOLDS) throw new Error(`cost-shares bench: unexpected count ${sink}`);
  const figure = (key: string, label: string, value: number) => ({ key, label, value, unit: 'ms' });
  return {
    id: 'h',
    title: `Shares of a ${HOUSEHOLDS.toLocaleString('en-US')}-household floor-coefficient plan, in process`,
    comparisons: [
      compare(
        'plan_shares_5000',
        `weights and shares of one ${HOUSEHOLDS.toLocaleString('en-US')}-household plan, ms (median of ${rounds} rounds)`,
        figure('ours_ms', 'weightsOf + splitShares (exact)', median(oursMs)),
        figure('naive_float_loop_ms', 'plain float loop (not exact)', median(baseMs)),
        'ratio_ours_over_naive_loop',
        ({ ours: v }) => ({ text: '< 100 ms a plan', met: v < 100 }),
      ),
    ],
    details: {
      households: HOUSEHOLDS,
      floors: FLOORS,
      total_fen: TOTAL_FEN.toString(),
      rounds,
      ours_ms_min: Math.min(...oursMs),
      naive_ms_min: Math.min(...baseMs),
      naive_households_charged_differently: naiveDiffering,
      naive_amounts_not_summing_of_100: misses.length,
      naive_worst_miss_fen: worstMissFen.toString(),
    },
    notes: [
      `one plan of ${HOUSEHOLDS} households on ${FLOORS} floors (55-140 m², coefficients with six decimals, floors 1-2 at 0) sharing ${TOTAL_FEN} fen; rounds alternate ours and the baseline, each figure the median of its rounds. The naive float loop charges ${naiveDiffering} of the households differently from R-CS5 on this amount, and over 100 amounts its shares miss the amount ${misses.length} times, by up to ${worstMissFen} fen: what the exact arithmetic costs buys shares that add up, every time.`,
    ],
  };
}
