/**
 * The residents' side of a demo project (issue 15, point 7; domain.md §1 and §4): the households
 * of the stairwells that get an elevator and of the homes renovated for the elderly, the owners'
 * votes, the cost-sharing plans and what each household has paid of its share so far.
 *
 * A project with elevators or own-home works registers those households. Each elevator stairwell
 * votes on it (改建: ¾ of the participants' area and heads) and adopts a plan by floor coefficient
 * (domain.md R-CS3, floors 1-2 at 0) for the cost net of its subsidy; in the first such project
 * (the showcase) the first stairwell first fails the vote on area though it passes on heads (its
 * units are domain.md §1's: 80 m² on the ground floor, 40 m² on the third), and passes it a month
 * later; that project's elevator building also shares a part of the roof and facade by building
 * area. Own-home works are shared by each home's own cost (a custom key). The maintenance fund is
 * used under the owners' fund_use vote over the whole register. Households pay their shares
 * directly or from their provident fund (R-CS7: within the share), some in part and some not yet.
 *
 * The shares are computed by the ledger's own arithmetic (cost-sharing.ts) and the votes counted
 * by its own tally (owner-votes.ts), so the generator knows what the ledger will answer and
 * asserts it: a vote designed to pass passes, the failing one fails on area alone. Draws come from
 * a generator of the residents' own, so the rest of the district does not depend on them.
 */
import { CostShareKey, HouseholdFacts, splitShares, weightsOf } from '../project/cost-sharing';
import { Ballot, BallotChoice, VoteFraction, VoteMatter, Threshold, tallyVote } from '../project/owner-votes';
import { Household } from '../project/residents';
import { SeededRandom } from './seeded-random';
import { FIRST, HUNDRED_YUAN, LAST, YUAN, dayOf, floorTo, isoOf, percentOf } from './demo-units';

/** A household as the register holds it (areas in hundredths of a m²). */
export type DemoHousehold = Household;

export type DemoScope = { all: true } | { building: string; unit?: string } | { householdIds: string[] };

export interface DemoVote {
  voteId: string;
  matter: VoteMatter;
  scope: DemoScope;
  day: number;
  ballots: Ballot[];
  /** As the ledger's tally answers: passed, and whether agreement was enough by area and by heads. */
  passed: boolean;
  areaMet: boolean;
  ownersMet: boolean;
}

export interface DemoPlan {
  planId: string;
  kind: 'elevator' | 'own_home' | 'roof_facade';
  lineIds: string[];
  amountFen: bigint;
  scope: DemoScope;
  key: CostShareKey;
  voteId?: string;
  /** Adopted on this day (after its vote, the same day: the timeline ranks a plan after a vote). */
  day: number;
  /** Ascending by household id, as the ledger records them. */
  shares: { householdId: string; shareFen: bigint }[];
  /** What of each line the plan shares: what its payments go to. */
  lines: { lineId: string; amountFen: bigint }[];
}

export interface DemoSharePayment {
  planId: string;
  householdId: string;
  source: 'resident_direct' | 'provident_fund';
  amountFen: bigint;
  day: number;
}

export interface DemoResidents {
  households: DemoHousehold[];
  votes: DemoVote[];
  plans: DemoPlan[];
  payments: DemoSharePayment[];
  /** The fund_use vote a maintenance-fund receipt of the project names. */
  fundVoteId: string;
  /** Per line, what the plans share of it: the other sources fund the rest. */
  reservedFen: Map<string, bigint>;
  /** The district's grant to the own-home line (the plan shares the rest). */
  ownHomeDistrictFen?: bigint;
  /** A household with a provident-fund withdrawal and a balance still outstanding (the demo's statement to try). */
  statementHouseholdId?: string;
}

export interface ResidentsInput {
  projectId: string;
  approvalDay: number;
  /** The showcase: the failing vote and the roof and facade plan. */
  showcase: boolean;
  elevator?: { lineId: string; count: number; costEachFen: bigint; subsidyEachFen: bigint };
  ownHome?: { lineId: string; costFen: bigint; householdCostsFen: bigint[] };
  roof?: { lineId: string; costFen: bigint };
  facade?: { lineId: string; costFen: bigint };
}

/** domain.md R-CS3: floors 1-2 pay nothing, 3 = 0.7 … 6 = 1.0 (agreed per plan, never global). */
const ELEVATOR_COEFFICIENTS: Record<string, string> = {
  '1': '0',
  '2': '0',
  '3': '0.7',
  '4': '0.8',
  '5': '0.9',
  '6': '1.0',
};
/** domain.md §1's stairwell of 720 m²: 80 m² on the ground floor, 40 m² on the third, 60 m² elsewhere. */
const SECTION_1_AREAS: Record<number, bigint> = { 1: 8_000n, 3: 4_000n };

export function planResidents(seed: number, index: number, input: ResidentsInput): DemoResidents {
  const rng = new SeededRandom(seed * 7_919 + index);
  const out: DemoResidents = {
    households: [],
    votes: [],
    plans: [],
    payments: [],
    fundVoteId: 'V-FUND-USE',
    reservedFen: new Map(),
  };
  const elevatorBuilding = input.elevator ? String(rng.int(1, 8)) : undefined;
  if (input.elevator) elevatorPlans(rng, input, elevatorBuilding!, out);
  if (input.ownHome) ownHomePlan(rng, input, out);
  if (input.showcase && elevatorBuilding !== undefined && input.roof && input.facade)
    roofFacadePlan(rng, input, elevatorBuilding, out);
  out.votes.unshift(fundUseVote(rng, input, out.households));
  out.payments.sort((a, b) => a.day - b.day);
  return out;
}

function elevatorPlans(rng: SeededRandom, input: ResidentsInput, building: string, out: DemoResidents): void {
  const e = input.elevator!;
  for (let stair = 1; stair <= e.count; stair++) {
    const unit = String(stair);
    const section1 = input.showcase && stair === 1;
    const households = [1, 2, 3, 4, 5, 6].flatMap((floor) =>
      [1, 2].map((door) => {
        const room = `${floor}0${door}`;
        const area = section1 ? (SECTION_1_AREAS[floor] ?? 6_000n) : BigInt(rng.int(5_800, 8_600));
        return household(input.projectId, building, unit, floor, room, area);
      }),
    );
    out.households.push(...households);
    // Every stairwell of the first project votes first on the ground floor's terms; this one's
    // first vote fails on area (floors 3-6 agree, 440 of the 600 m² taking part) though 8 of 10
    // owners agree, and the second, with the second floor won over, passes.
    const votedDay = Math.max(FIRST + 40, input.approvalDay - rng.int(10, 40));
    const scope = { building, unit };
    // The showcase's stairwell agrees only in the demo's last year, once its second floor is won
    // over: its plan is the one still being paid at the end (shares are due a year after, RF-16).
    const day = section1 ? SHOWCASE_AGREED + (votedDay % 60) : votedDay;
    if (section1) {
      const failed = vote(
        `V-ELEV-${building}-${unit}-FIRST`,
        'alteration',
        scope,
        votedDay - rng.int(20, 39),
        households,
        (h) => (h.floor >= 3 ? 'agree' : h.floor === 1 ? 'disagree' : null),
      );
      if (failed.passed || failed.areaMet || !failed.ownersMet)
        throw new Error(`demo: vote ${failed.voteId} should fail on area and pass on heads`);
      out.votes.push(failed);
    }
    const passed = vote(`V-ELEV-${building}-${unit}`, 'alteration', scope, day, households, (h) =>
      h.floor >= 2 ? 'agree' : 'disagree',
    );
    if (!passed.passed) throw new Error(`demo: vote ${passed.voteId} should pass`);
    out.votes.push(passed);
    const amountFen = e.costEachFen - e.subsidyEachFen;
    const key: CostShareKey = {
      kind: 'floor_coefficient',
      coefficients: ELEVATOR_COEFFICIENTS,
      basis: 'building_area',
    };
    const plan = adopt(
      `PL-ELEV-${building}-${unit}`,
      'elevator',
      [{ lineId: e.lineId, amountFen }],
      scope,
      key,
      households,
      day,
    );
    out.plans.push({ ...plan, voteId: passed.voteId });
    reserve(out, e.lineId, amountFen);
    // A few upper-floor households draw their share from the provident fund, the others pay it
    // themselves: in full, in part, or not yet.
    const upper = plan.shares.filter((s) => s.shareFen > 0n && Number(s.householdId.slice(-3, -2)) >= 5);
    const provident = new Set(rng.sample(upper, rng.int(1, 2)).map((s) => s.householdId));
    for (const s of plan.shares.filter((x) => x.shareFen > 0n)) {
      if (provident.has(s.householdId)) {
        const withdrawn = rng.chance(60) ? s.shareFen : percentOf(s.shareFen, rng.int(40, 90), YUAN);
        pay(out, rng, plan, s.householdId, 'provident_fund', withdrawn);
        if (rng.chance(50) || settled(plan))
          pay(out, rng, plan, s.householdId, 'resident_direct', s.shareFen - withdrawn);
      } else payOwn(out, rng, plan, s, [50, 30]);
    }
  }
  // The statement to try: the showcase's 601 of the first stairwell, in part from its provident
  // fund and in part directly, still owing the rest.
  if (input.showcase) {
    const plan = out.plans.find((p) => p.kind === 'elevator')!;
    const share = plan.shares.find((s) => s.householdId.endsWith('-601'))!;
    out.payments = out.payments.filter((p) => p.householdId !== share.householdId);
    const day = plan.day + rng.int(15, 60);
    for (const [source, percent] of [
      ['provident_fund', 50],
      ['resident_direct', 20],
    ] as const)
      out.payments.push({
        planId: plan.planId,
        householdId: share.householdId,
        source,
        amountFen: percentOf(share.shareFen, percent, YUAN),
        day,
      });
    out.statementHouseholdId = share.householdId;
  }
}

/** 自住住房改造: each home shares by its own works' cost; the first two draw on their provident fund. */
function ownHomePlan(rng: SeededRandom, input: ResidentsInput, out: DemoResidents): void {
  const o = input.ownHome!;
  const building = String(rng.int(11, 16)); // apart from the elevator buildings (1-8)
  const households = o.householdCostsFen.map((_, i) => {
    const floor = 1 + (i % 6);
    const room = `${floor}0${1 + (Math.floor(i / 6) % 2)}`;
    return household(
      input.projectId,
      building,
      String(1 + Math.floor(i / 12)),
      floor,
      room,
      BigInt(rng.int(5_800, 9_200)),
    );
  });
  out.households.push(...households);
  const districtFen = floorTo(percentOf(o.costFen, rng.int(20, 30), YUAN), HUNDRED_YUAN);
  out.ownHomeDistrictFen = districtFen;
  const amountFen = o.costFen - districtFen;
  const weights = Object.fromEntries(households.map((h, i) => [h.householdId, String(o.householdCostsFen[i] / YUAN)]));
  const day = Math.max(FIRST, input.approvalDay + rng.int(0, 30));
  const plan = adopt(
    'PL-OWN-HOME',
    'own_home',
    [{ lineId: o.lineId, amountFen }],
    { householdIds: households.map((h) => h.householdId) },
    { kind: 'custom', weights },
    households,
    day,
  );
  out.plans.push(plan);
  reserve(out, o.lineId, amountFen);
  plan.shares.forEach((s, i) => {
    if (i < 2) {
      const withdrawn = percentOf(s.shareFen, rng.int(50, 90), YUAN);
      pay(out, rng, plan, s.householdId, 'provident_fund', withdrawn);
      if (rng.chance(60) || settled(plan))
        pay(out, rng, plan, s.householdId, 'resident_direct', s.shareFen - withdrawn);
    } else payOwn(out, rng, plan, s, [70, 20]);
  });
}

/** The showcase's elevator building shares 4-6% of the roof and of the facade by building area. */
function roofFacadePlan(rng: SeededRandom, input: ResidentsInput, building: string, out: DemoResidents): void {
  const lines = [input.roof!, input.facade!].map((l) => ({
    lineId: l.lineId,
    amountFen: floorTo(percentOf(l.costFen, rng.int(4, 6), YUAN), HUNDRED_YUAN),
  }));
  const households = out.households.filter((h) => h.building === building);
  const day = Math.max(FIRST, input.approvalDay + rng.int(0, 20));
  const plan = adopt(
    `PL-ROOF-FACADE-${building}`,
    'roof_facade',
    lines,
    { building },
    { kind: 'building_area' },
    households,
    day,
  );
  out.plans.push(plan);
  for (const l of lines) reserve(out, l.lineId, l.amountFen);
  for (const s of plan.shares) payOwn(out, rng, plan, s, [60, 25]);
}

/** The owners' fund_use vote over the whole register (民法典 第二百七十八条: more than ½ of the participants). */
function fundUseVote(rng: SeededRandom, input: ResidentsInput, households: DemoHousehold[]): DemoVote {
  const day = Math.max(FIRST, input.approvalDay - rng.int(35, 60));
  const choices: (BallotChoice | null)[] = ['agree', 'disagree', 'abstain', null];
  const v = vote('V-FUND-USE', 'fund_use', { all: true }, day, households, () => {
    const roll = rng.int(0, 99);
    return choices[roll < 80 ? 0 : roll < 88 ? 1 : roll < 92 ? 2 : 3];
  });
  if (v.passed) return v;
  // A register of a few own-home households: one owner staying away can leave the quorum short.
  return vote('V-FUND-USE', 'fund_use', { all: true }, day, households, () => 'agree');
}

function household(projectId: string, building: string, unit: string, floor: number, room: string, areaH: bigint) {
  const householdId = `H-${building}-${unit}-${room}`;
  return {
    householdId,
    building,
    unit,
    floor,
    room,
    buildingAreaH: areaH,
    ownerKey: `OK-${projectId}-${building}-${unit}-${room}`,
  };
}

/** A vote of `households` with the choice `choose` gives each (null: did not take part), counted as the ledger counts it. */
function vote(
  voteId: string,
  matter: VoteMatter,
  scope: DemoScope,
  day: number,
  households: DemoHousehold[],
  choose: (h: DemoHousehold) => BallotChoice | null,
): DemoVote {
  const ballots = households.flatMap((h) => {
    const choice = choose(h);
    return choice === null ? [] : [{ householdId: h.householdId, choice }];
  });
  const voters = households.map((h) => ({ householdId: h.householdId, ownerKey: h.ownerKey, area: h.buildingAreaH }));
  const { passed, approval } = tallyVote(matter, isoOf(day), voters, ballots);
  return {
    voteId,
    matter,
    scope,
    day,
    ballots,
    passed,
    areaMet: meets(approval.area, approval.required.area),
    ownersMet: meets(approval.owners, approval.required.owners),
  };
}

function meets(f: VoteFraction, t: Threshold): boolean {
  return t.inclusive ? f.num * t.den >= t.num * f.den : f.num * t.den > t.num * f.den;
}

/** A plan's shares by the ledger's own arithmetic (R-CS5): what the ledger will record. */
function adopt(
  planId: string,
  kind: DemoPlan['kind'],
  lines: DemoPlan['lines'],
  scope: DemoScope,
  key: CostShareKey,
  households: DemoHousehold[],
  day: number,
): DemoPlan {
  const facts: HouseholdFacts[] = households
    .map((h) => ({ householdId: h.householdId, floor: h.floor, buildingArea: h.buildingAreaH }))
    .sort((a, b) => (a.householdId < b.householdId ? -1 : 1));
  const amountFen = lines.reduce((t, l) => t + l.amountFen, 0n);
  const shares = splitShares(amountFen, weightsOf(key, facts)).map((s) => ({
    householdId: s.householdId,
    shareFen: s.shareFen,
  }));
  return { planId, kind, lineIds: lines.map((l) => l.lineId), amountFen, scope, key, day, shares, lines };
}

function reserve(out: DemoResidents, lineId: string, fen: bigint): void {
  out.reservedFen.set(lineId, (out.reservedFen.get(lineId) ?? 0n) + fen);
}

/** A household paying its own share: in full (`full` percent), in part (`part` percent), else not yet. */
function payOwn(
  out: DemoResidents,
  rng: SeededRandom,
  plan: DemoPlan,
  s: { householdId: string; shareFen: bigint },
  [full, part]: [number, number],
): void {
  const roll = rng.int(0, 99);
  if (roll < full || settled(plan)) pay(out, rng, plan, s.householdId, 'resident_direct', s.shareFen);
  else if (roll < full + part)
    pay(out, rng, plan, s.householdId, 'resident_direct', percentOf(s.shareFen, rng.int(30, 90), YUAN));
}

/**
 * A plan adopted a year or more before the demo's last day is paid in full within that year (RF-16:
 * shares are due a year after the plan); a later one is still being paid, in full, in part or not yet.
 */
function settled(plan: DemoPlan): boolean {
  return plan.day + SHARE_DUE_DAYS <= LAST;
}
const SHARE_DUE_DAYS = 365;
/** The day from which the showcase's stairwell agrees to its elevator (a day of 2023). */
const SHOWCASE_AGREED = dayOf('2023-04-03');

/** A payment into a share, some months after the plan (within its year when the year is over); none past the demo's last day (still owed). */
function pay(
  out: DemoResidents,
  rng: SeededRandom,
  plan: DemoPlan,
  householdId: string,
  source: DemoSharePayment['source'],
  amountFen: bigint,
): void {
  const after = rng.int(15, 420);
  const day = plan.day + (settled(plan) ? 15 + Math.floor(((after - 15) * 300) / 405) : after);
  if (amountFen <= 0n || day > LAST) return;
  out.payments.push({ planId: plan.planId, householdId, source, amountFen, day });
}
