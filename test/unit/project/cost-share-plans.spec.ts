/**
 * Cost-sharing plans (issue 15, point 3; domain.md §4): a plan splits `amount` of its lines over
 * its scope's households by its key, to the fen, the shares summing to the amount (R-CS5); the
 * shares as decided are recorded in the event. The amount is at most the lines' estimated cost
 * less what other sources put on them and less the other plans on them (R-CS6), and once a plan
 * shares a line, other money put on it may not take it above its cost either. A plan on an
 * elevator (改建, an alteration) needs a passed alteration vote over its scope (民法典 第二百七十八条).
 */
import { CostSharePlanAdopted } from '../../../src/project/project.events';
import { EXAMPLE_A } from '../../support/cost-sharing-examples';
import { budgeted, given, pledge, pledged, receive, received, reverse, reversed } from '../../support/project-fixtures';
import {
  PASSING_BALLOTS,
  adoptPlan,
  ballots,
  household,
  householdsRegistered,
  recordVote,
  withDecided,
  withElevatorPlan,
} from '../../support/resident-fixtures';

const withVote = (vote = recordVote({ ballots: PASSING_BALLOTS })) =>
  withDecided([...budgeted(), householdsRegistered()], vote);
const planData = (events: { data: unknown }[]) => events[0].data as CostSharePlanAdopted;
const shareOf = (d: CostSharePlanAdopted, room: string) => d.shares.find((s) => s.householdId === `H-3-2-${room}`);

describe('domain.md Example A: an elevator by floor coefficients', () => {
  it('records every share to the fen, 400,000.00 in all, the 4 leftover fen to 601, 602, 501, 502', () => {
    given(...withVote())
      .when(adoptPlan())
      .thenState((s, events) => {
        const d = planData(events);
        for (const [room, share] of Object.entries(EXAMPLE_A.sharesByUnit)) expect(shareOf(d, room)?.share).toBe(share);
        expect(shareOf(d, '301')?.weight).toBe('42');
        expect(shareOf(d, '601')?.weight).toBe('60');
        expect(d.shares.reduce((t, x) => t + BigInt(x.share.replace('.', '')), 0n)).toBe(EXAMPLE_A.totalFen);
        expect(d.key).toEqual({
          kind: 'floor_coefficient',
          coefficients: EXAMPLE_A.coefficients,
          basis: 'building_area',
        });
        expect(s.shares.get('PLAN-ELEVATOR/H-3-2-601')).toMatchObject({ shareFen: 5_882_353n });
        expect(s.linePlans.get('I1-elevator')).toEqual(['PLAN-ELEVATOR']);
      });
  });
});

describe('domain.md Example B: by building area', () => {
  const units = [
    household('101', { householdId: 'A', buildingArea: '55.30' }),
    household('102', { householdId: 'B', buildingArea: '72.10' }),
    household('201', { householdId: 'C', buildingArea: '88.60' }),
  ];
  it('splits 100,000.00 over 55.3 / 72.1 / 88.6 m² as 25,601.85 / 33,379.63 / 41,018.52', () => {
    given(...budgeted(), householdsRegistered(units))
      .when(
        adoptPlan({
          planId: 'PLAN-ROOF',
          lineIds: ['B1-roof'],
          amount: '100000.00',
          scope: { householdIds: ['A', 'B', 'C'] },
          key: { kind: 'building_area' },
          voteId: undefined,
        }),
      )
      .thenState((_s, events) =>
        expect(planData(events).shares).toEqual([
          { householdId: 'A', weight: '55.3', share: '25601.85' },
          { householdId: 'B', weight: '72.1', share: '33379.63' },
          { householdId: 'C', weight: '88.6', share: '41018.52' },
        ]),
      );
  });

  it('splits 100.00 over three equal units as 33.34 / 33.33 / 33.33, the extra fen to the smallest id', () => {
    const equal = units.map((u) => ({ ...u, buildingArea: '60.00' }));
    given(...budgeted(), householdsRegistered(equal))
      .when(
        adoptPlan({
          lineIds: ['B1-roof'],
          amount: '100.00',
          scope: { all: true },
          key: { kind: 'household' },
          voteId: undefined,
        }),
      )
      .thenState((_s, events) =>
        expect(planData(events).shares.map((x) => x.share)).toEqual(['33.34', '33.33', '33.33']),
      );
  });
});

describe('exemptions', () => {
  it('lists an exempt household with weight 0 and share 0.00', () => {
    given(...withVote())
      .when(adoptPlan({ key: { kind: 'building_area' }, exempt: ['H-3-2-102', 'H-3-2-101'] }))
      .thenState((_s, events) => {
        const d = planData(events);
        expect(d.exempt).toEqual(['H-3-2-101', 'H-3-2-102']);
        expect(shareOf(d, '101')).toEqual({ householdId: 'H-3-2-101', weight: '0', share: '0.00' });
        expect(shareOf(d, '201')?.share).toBe('40000.00');
      });
  });

  it('refuses exempting a household outside the scope (422 exempt-outside-scope)', () => {
    given(...withVote(), householdsRegistered([household('101', { householdId: 'H-3-1-101', unit: '1' })]))
      .when(adoptPlan({ exempt: ['H-3-1-101'] }))
      .thenThrows('exempt-outside-scope', 'exempt[0]');
  });
});

describe('R-CS6: residents share the lines net of other sources (share-exceeds-net-cost)', () => {
  // The elevator costs 600,000.00 (Example C); a subsidy on it leaves the residents the rest.
  const subsidy = (amount: string) =>
    pledged({ pledgeId: 'P-SUB', source: 'district_matching', amount, lineId: 'I1-elevator' });

  it('takes 400,000.00 when 200,000.00 of other money is pledged to the line', () => {
    given(...withVote(), subsidy('200000.00'))
      .when(adoptPlan())
      .thenState((s) => expect(s.plans.has('PLAN-ELEVATOR')).toBe(true));
  });

  it('refuses 400,000.00 when 200,000.01 is pledged to the line, naming what residents may share', () => {
    given(...withVote(), subsidy('200000.01'))
      .when(adoptPlan())
      .thenThrows('share-exceeds-net-cost', 'amount');
  });

  it('counts a receipt on the line that no pledge on the line counts, and not the residents own money', () => {
    const direct = received({
      receiptId: 'R-SUB',
      source: 'district_matching',
      amount: '200000.01',
      lineId: 'I1-elevator',
    });
    given(...withVote(), direct)
      .when(adoptPlan())
      .thenThrows('share-exceeds-net-cost', 'amount');
    const drawn = received({
      receiptId: 'R-SUB',
      source: 'district_matching',
      amount: '100000.00',
      pledgeId: 'P-SUB',
      lineId: 'I1-elevator',
    });
    given(...withVote(), subsidy('200000.00'), drawn)
      .when(adoptPlan())
      .thenState((s) => expect(s.lineCommittedFen.get('I1-elevator')).toBe(20_000_000n));
    const residents = pledged({
      pledgeId: 'P-RES',
      source: 'resident_direct',
      amount: '500000.00',
      lineId: 'I1-elevator',
    });
    given(...withVote(), residents)
      .when(adoptPlan())
      .thenState((s) => expect(s.plans.has('PLAN-ELEVATOR')).toBe(true));
  });

  it('gives the room back when the other money is reversed', () => {
    given(
      ...withVote(),
      subsidy('300000.00'),
      reversed({
        reversalId: 'X-SUB',
        entryId: 'P-SUB',
        entryKind: 'pledge',
        source: 'district_matching',
        amount: '100000.00',
        full: false,
      }),
    )
      .when(adoptPlan())
      .thenState((s) => expect(s.lineCommittedFen.get('I1-elevator')).toBe(20_000_000n));
  });

  it('counts the other plans on the line', () => {
    given(...withElevatorPlan())
      .when(adoptPlan({ planId: 'PLAN-2', amount: '200000.01' }))
      .thenThrows('share-exceeds-net-cost', 'amount');
    given(...withElevatorPlan())
      .when(adoptPlan({ planId: 'PLAN-2', amount: '200000.00' }))
      .thenState((s) => expect(s.linePlans.get('I1-elevator')).toEqual(['PLAN-ELEVATOR', 'PLAN-2']));
  });
});

describe('R-CS6 the other way round: money put on a shared line (funding-exceeds-net-cost)', () => {
  // "Sources assigned to a line may not exceed its cost" (domain.md R-CS6): once residents share a
  // line, another source's pledge or receipt there may not take it, with the plans, above its cost.
  // Example A's plan shares 400,000.00 of the 600,000.00 elevator: 200,000.00 is left to the others.
  const onElevator = (amount: string, overrides = {}) =>
    pledge({ pledgeId: 'P-SUB', amount, lineId: 'I1-elevator', ...overrides });

  it('takes a pledge up to what the plan leaves, and refuses a fen more (422 funding-exceeds-net-cost)', () => {
    given(...withElevatorPlan())
      .when(onElevator('200000.00'))
      .thenState((s) => expect(s.lineCommittedFen.get('I1-elevator')).toBe(20_000_000n));
    given(...withElevatorPlan())
      .when(onElevator('200000.01'))
      .thenThrows('funding-exceeds-net-cost', 'amount');
  });

  it('refuses a receipt on the line that no pledge there counts; takes one drawn on the pledge', () => {
    const withSubsidy = withDecided(withElevatorPlan(), onElevator('200000.00'));
    given(...withSubsidy)
      .when(receive({ receiptId: 'R-MORE', amount: '0.01', lineId: 'I1-elevator' }))
      .thenThrows('funding-exceeds-net-cost', 'amount');
    given(...withSubsidy)
      .when(receive({ receiptId: 'R-SUB', amount: '200000.00', pledgeId: 'P-SUB', receivedOn: '2021-12-10' }))
      .thenState((s) => expect(s.lineCommittedFen.get('I1-elevator')).toBe(20_000_000n));
  });

  it("does not count the residents' own channels, nor hold a line no plan shares", () => {
    given(...withElevatorPlan())
      .when(onElevator('1000000.00', { source: 'resident_direct' }))
      .thenState((s) => expect(s.lineCommittedFen.get('I1-elevator')).toBeUndefined());
    given(...withElevatorPlan())
      .when(pledge({ amount: '2000000.01', lineId: 'B1-roof' }))
      .thenState((s) => expect(s.lineCommittedFen.get('B1-roof')).toBe(200_000_001n));
  });

  it('holds a plan of two lines to both: money on one counts against the room of the pair', () => {
    const pair = withDecided(
      withElevatorPlan(),
      adoptPlan({
        planId: 'PLAN-ROOF-ELEV',
        lineIds: ['B1-roof', 'I1-elevator'],
        amount: '2000000.00',
        key: { kind: 'building_area' },
      }),
    );
    // Roof 2,000,000.00 + elevator 600,000.00, less both plans (2,400,000.00): 200,000.00 left.
    given(...pair)
      .when(pledge({ amount: '200000.01', lineId: 'B1-roof' }))
      .thenThrows('funding-exceeds-net-cost', 'amount');
    given(...pair)
      .when(pledge({ amount: '200000.00', lineId: 'B1-roof' }))
      .thenState((s) => expect(s.lineCommittedFen.get('B1-roof')).toBe(20_000_000n));
  });

  it('refuses undoing the reversal of a pledge whose room a plan has taken since', () => {
    const history = withDecided(
      [...budgeted(), householdsRegistered()],
      recordVote({ ballots: PASSING_BALLOTS }),
      onElevator('300000.00'),
      reverse({ reversalId: 'X-SUB', entryId: 'P-SUB', amount: '100000.00' }),
      adoptPlan(),
    );
    given(...history)
      .when(reverse({ reversalId: 'X-UNDO', entryId: 'X-SUB', amount: '0.01' }))
      .thenThrows('funding-exceeds-net-cost', 'amount');
  });

  it('keeps a history that breaks it (written before the rule): evolve never re-decides', () => {
    given(...withElevatorPlan(), subsidyOver())
      .when(receive({ receiptId: 'R-2', amount: '1.00' }))
      .thenState((s) => expect(s.lineCommittedFen.get('I1-elevator')).toBe(90_000_000n));
  });
});

/** 900,000.00 pledged to the 600,000.00 elevator, as a stored event. */
const subsidyOver = () =>
  pledged({ pledgeId: 'P-OVER', amount: '900000.00', lineId: 'I1-elevator', pledgedOn: '2021-12-02' });

describe("an elevator plan needs the owners' passed alteration vote over its scope", () => {
  it('refuses a plan on an elevator line without a vote (422 vote-required)', () => {
    given(...withVote())
      .when(adoptPlan({ voteId: undefined }))
      .thenThrows('vote-required', 'voteId');
  });

  it('refuses a vote that did not pass (422 vote-not-passed)', () => {
    given(...withVote(recordVote({ ballots: ballots(['601'], 'agree') })))
      .when(adoptPlan())
      .thenThrows('vote-not-passed', 'voteId');
  });

  it('refuses a passed vote of another matter (422 vote-matter-mismatch)', () => {
    given(...withVote(recordVote({ matter: 'fund_use', ballots: PASSING_BALLOTS })))
      .when(adoptPlan())
      .thenThrows('vote-matter-mismatch', 'voteId');
  });

  it('refuses a vote whose scope leaves out households the plan charges (422 vote-scope-mismatch)', () => {
    const floors3to6 = ['301', '302', '401', '402', '501', '502', '601', '602'].map((r) => `H-3-2-${r}`);
    given(...withVote(recordVote({ scope: { householdIds: floors3to6 }, ballots: PASSING_BALLOTS.slice(0, 8) })))
      .when(adoptPlan())
      .thenThrows('vote-scope-mismatch', 'voteId');
  });

  it('refuses a vote that is not recorded (422 vote-not-found)', () => {
    given(...withVote())
      .when(adoptPlan({ voteId: 'V-NONE' }))
      .thenThrows('vote-not-found', 'voteId');
  });

  it('holds a named vote on any line to having passed', () => {
    given(...withVote(recordVote({ matter: 'common_parts', ballots: [] })))
      .when(adoptPlan({ lineIds: ['B1-roof'], key: { kind: 'building_area' } }))
      .thenThrows('vote-not-passed', 'voteId');
  });
});

describe('adopting a plan', () => {
  it('refuses a plan id already adopted (409 plan-exists)', () => {
    given(...withElevatorPlan())
      .when(adoptPlan({ amount: '1.00' }))
      .thenThrows('plan-exists', 'planId');
  });

  it('refuses a line the project does not have, a line twice, no line', () => {
    given(...withVote())
      .when(adoptPlan({ lineIds: ['Z9'] }))
      .thenThrows('budget-line-not-found', 'lineId');
    given(...withVote())
      .when(adoptPlan({ lineIds: ['I1-elevator', 'I1-elevator'] }))
      .thenThrows('invalid-field', 'lineIds');
    given(...withVote())
      .when(adoptPlan({ lineIds: [] }))
      .thenThrows('invalid-field', 'lineIds');
  });

  it('refuses a key the arithmetic cannot weigh with, and a field a key does not have', () => {
    given(...withVote())
      .when(adoptPlan({ key: { kind: 'floor' } }))
      .thenThrows('invalid-field', 'key.kind');
    given(...withVote())
      .when(adoptPlan({ key: { kind: 'floor_coefficient', coefficients: { '3': '0.7' }, basis: 'building_area' } }))
      .thenThrows('floor-coefficient-missing');
    given(...withVote())
      .when(adoptPlan({ key: { kind: 'building_area', coefficients: {} } }))
      .thenThrows('unknown-field', 'key.coefficients');
    given(...withVote())
      .when(adoptPlan({ key: { kind: 'exclusive_area' } }))
      .thenThrows('exclusive-area-missing');
  });

  it('refuses a plan every household of which is exempt (422 weights-all-zero)', () => {
    given(...withVote())
      .when(
        adoptPlan({
          scope: { householdIds: ['H-3-2-101'] },
          exempt: ['H-3-2-101'],
          lineIds: ['B1-roof'],
          voteId: undefined,
        }),
      )
      .thenThrows('weights-all-zero');
  });

  it('takes a custom key, the weights recorded as the shares', () => {
    const weights = { 'H-3-2-101': '1', 'H-3-2-102': '3' };
    given(...withVote())
      .when(
        adoptPlan({
          lineIds: ['B1-roof'],
          amount: '100.00',
          scope: { householdIds: Object.keys(weights) },
          key: { kind: 'custom', weights },
          voteId: undefined,
        }),
      )
      .thenState((_s, events) => {
        expect(planData(events).key).toEqual({ kind: 'custom' });
        expect(planData(events).shares).toEqual([
          { householdId: 'H-3-2-101', weight: '1', share: '25.00' },
          { householdId: 'H-3-2-102', weight: '3', share: '75.00' },
        ]);
      });
  });

  it('refuses an amount that is not money', () => {
    given(...withVote())
      .when(adoptPlan({ amount: '400000.001' }))
      .thenThrows('invalid-amount', 'amount');
  });
});
