/**
 * The red flags the events alone decide (domain.md §6; issue 17): for each rule, a history that
 * raises it, one that does not, and where it can clear, the event that clears it; each flag dated
 * by business dates (raisedAt, clearedAt), with its evidence (event ids and positions) and the
 * dated rule it breaks. Histories the deciders would refuse are fed to the projection as an older
 * version or an import would have stored them; where the deciders let a case through, the spec
 * decides it (withDecided) to show that it can happen. Also: a flag is never deleted, applying
 * events twice changes nothing, and a history cut at a date shows the flags as of then.
 */
import { RedFlag } from '../../projections/red-flags/red-flag-codes';
import { ProjectEvent } from '../../src/project/project.events';
import {
  BATCH_ID,
  PROJECT_ID,
  approved,
  approvedProject,
  allocationRecorded,
  budgetLine,
  budgeted,
  disbursed,
  lines,
  received,
  registered,
  reverse,
  reversalReversed,
  reversed,
  receive,
  treasuryPaid,
} from '../support/project-fixtures';
import { issued } from '../unit/fund-batch/fund-batch-fixtures';
import { decided, withDecided, withElevatorPlan } from '../support/resident-fixtures';
import { flagsOf, projected, recordsOf, storedFlags } from '../support/red-flag-history';
import { readStoredFlags } from '../../projections/red-flags/red-flags.query';

/** The one flag of `code` (fails when there is none or more than one). */
function only(flags: RedFlag[], code: string): RedFlag {
  const found = flagsOf(flags, code);
  expect(found.map((f) => f.flagId)).toHaveLength(1);
  return found[0];
}

/** The event ids of the history at the given 1-based positions. */
const ids = (...positions: number[]) => positions.map((p) => `e${p}`);
const evidenceIds = (f: RedFlag) => f.evidence.map((e) => e.eventId);

describe('RF-01 money before approval', () => {
  it('a receipt dated before the approval is flagged from its date until the approval, with both as evidence', () => {
    const history = [...budgeted(), received({ receivedOn: '2021-11-01' }), approved()];
    const flag = only(storedFlags(history), 'RF-01');
    expect(flag).toMatchObject({
      severity: 'high',
      projectId: PROJECT_ID,
      raisedAt: '2021-11-01',
      clearedAt: '2021-12-01',
      figures: { entries: '1', amount: '100.00', approvedOn: '2021-12-01' },
      rule: { ruleId: 'red-flag-money-before-approval', citation: '《政府投资条例》（国务院令第712号） 第九条' },
    });
    expect(flag.rule.quote).toContain('审批');
    expect(flag.evidence).toEqual([
      { eventId: 'e10', position: '10' },
      { eventId: 'e11', position: '11' },
    ]);
    expect(flag.message.zh).toContain('100.00');
  });

  it('stays open while the project has no approval, and is judged by the rule in force on its date', () => {
    const flags = storedFlags([registered(), received({ receivedOn: '2019-03-01', fiscalYear: 2019 })]);
    expect(only(flags, 'RF-01')).toMatchObject({
      clearedAt: null,
      rule: { ruleId: 'red-flag-money-before-approval-before-regulations' },
    });
  });

  it('money after the approval raises nothing', () => {
    expect(flagsOf(storedFlags([...approvedProject(), received(), disbursed()]), 'RF-01')).toEqual([]);
  });

  it('clears on the day the money before approval is all taken back', () => {
    const history = [registered(), received({ receivedOn: '2021-11-01' }), reversed({ reversedOn: '2021-11-20' })];
    const flag = only(storedFlags(history), 'RF-01');
    expect([flag.raisedAt, flag.clearedAt]).toEqual(['2021-11-01', '2021-11-20']);
    expect(evidenceIds(flag)).toEqual(ids(2, 3));
  });
});

describe('RF-02 payments beyond receipts or the allocated indicator', () => {
  it('payments above what the source received are flagged until a receipt covers them', () => {
    const history = [
      ...approvedProject(),
      received({ amount: '100.00' }),
      disbursed({ amount: '150.00', paidOn: '2021-12-20' }),
      received({ receiptId: 'R2', amount: '50.00', receivedOn: '2022-01-05', fiscalYear: 2022 }),
    ];
    const flag = only(storedFlags(history), 'RF-02');
    expect(flag).toMatchObject({
      subject: 'source:district_matching',
      raisedAt: '2021-12-20',
      clearedAt: '2022-01-05',
      figures: { excess: '50.00' },
      rule: { ruleId: 'red-flag-payments-beyond-money' },
    });
  });

  it('payments within the receipts raise nothing', () => {
    expect(flagsOf(storedFlags([...approvedProject(), received(), disbursed()]), 'RF-02')).toEqual([]);
  });

  it('payments from an allocation beyond what it allocates are flagged on the allocation', () => {
    const history = [
      ...approvedProject(),
      allocationRecorded({ amount: '1000.00' }),
      received({ amount: '1500.00', allocationId: 'A1', batchId: 'TNCZ2021-12' }),
      disbursed({ amount: '1200.00', allocationId: 'A1', batchId: 'TNCZ2021-12' }),
    ];
    const flag = storedFlags(history).find((f) => f.subject === 'allocation:A1')!;
    expect(flag).toMatchObject({
      code: 'RF-02',
      allocationId: 'A1',
      batchId: 'TNCZ2021-12',
      figures: { excess: '200.00' },
    });
  });
});

describe('RF-04 cost overrun and the 10,000,000 crossing', () => {
  const revision = budgetLine({ lineId: 'B9-extra', estimatedCost: '1000000.00', reapprovalRequired: true });

  it('a budget line above the approved investment is flagged until the project is approved again', () => {
    const history = [
      ...approvedProject(),
      revision,
      approved('8100000.00', { approvedOn: '2022-02-01', reapproval: true }),
    ];
    const flag = only(storedFlags(history), 'RF-04');
    expect(flag).toMatchObject({
      subject: 'budget',
      severity: 'medium',
      raisedAt: '2022-01-01', // the day the line was recorded: it has no business date of its own
      clearedAt: '2022-02-01',
      figures: { budget: '8050000.00', approvedInvestment: '8000000.00' },
      rule: { ruleId: 'red-flag-cost-overrun', citation: '《政府投资条例》（国务院令第712号） 第二十三条' },
    });
    expect(evidenceIds(flag)).toEqual(ids(10, 11, 12));
    expect(flag.message.zh).toBe('概算合计 8,050,000.00 元超过批复投资 8,000,000.00 元，未重新报批（自 2022-01-01）');
  });

  it('a budget taken across 10,000,000.00 on a plan approval is also the crossing, from the seed on', () => {
    const history = [...budgeted(), approved('9500000.00'), budgetLine({ lineId: 'B9', estimatedCost: '3000000.00' })];
    const flags = flagsOf(storedFlags(history), 'RF-04');
    expect(flags.map((f) => [f.subject, f.severity, f.rule.ruleId])).toEqual([
      ['budget', 'medium', 'red-flag-cost-overrun'],
      ['threshold', 'high', 'red-flag-threshold-crossing'],
    ]);
    expect(flags[1].rule.citation).toBe('潼南府办发〔2021〕71号 三(三)1');
    expect(flags[1].message.zh).toContain('达到 10,000,000.00 元');
  });

  it('before the seed took effect no crossing is flagged: the threshold did not exist', () => {
    const history = [
      ...budgeted(),
      approved('9500000.00', { approvedOn: '2021-06-01' }),
      { event: budgetLine({ lineId: 'B9', estimatedCost: '3000000.00' }), recordedAt: '2021-07-01T00:00:00.000Z' },
    ];
    expect(flagsOf(storedFlags(history), 'RF-04').map((f) => f.subject)).toEqual(['budget']);
  });

  it('a budget within the approved investment raises nothing', () => {
    expect(
      flagsOf(storedFlags([...approvedProject(), budgetLine({ lineId: 'B9', estimatedCost: '900000.00' })]), 'RF-04'),
    ).toEqual([]);
  });
});

describe('RF-05 sources beyond the eligible cost', () => {
  const gas = (amount: string, receiptId = 'R-GAS') =>
    received({
      receiptId,
      source: 'pipeline_unit',
      amount,
      lineId: 'B3-gas-pipe',
      details: { utility: 'gas' },
      payer: '潼南燃气',
    });

  it('money earmarked to a line above its estimate is flagged, and cleared when part is taken back', () => {
    const history = [
      ...approvedProject(),
      gas('500000.00'),
      gas('150000.00', 'R-GAS-2'),
      reversed({
        reversalId: 'X-GAS',
        entryId: 'R-GAS-2',
        source: 'pipeline_unit',
        amount: '150000.00',
        reversedOn: '2022-01-10',
      }),
    ];
    // The decider lets it through: no plan shares the line, so nothing holds its sources to its cost.
    expect(() =>
      decided(
        history.slice(0, 10),
        receive({
          receiptId: 'R-GAS-2',
          source: 'pipeline_unit',
          amount: '150000.00',
          lineId: 'B3-gas-pipe',
          details: { utility: 'gas' },
        }),
      ),
    ).not.toThrow();
    const flag = only(storedFlags(history), 'RF-05');
    expect(flag).toMatchObject({
      subject: 'line:B3-gas-pipe',
      lineId: 'B3-gas-pipe',
      raisedAt: '2021-12-10',
      clearedAt: '2022-01-10',
      figures: { committed: '650000.00', estimatedCost: '600000.00', excess: '50000.00' },
    });
  });

  it('central money above the cost of the lines central money may pay for is flagged', () => {
    const history = [...approvedProject(), received({ source: 'central_fiscal_subsidy', amount: '6000000.00' })];
    const flag = only(storedFlags(history), 'RF-05');
    // Eligible: the basic lines (4,640,000.00) and the elevator (600,000.00).
    expect(flag).toMatchObject({
      subject: 'central-eligible',
      severity: 'high',
      figures: { eligibleCost: '5240000.00', excess: '760000.00' },
    });
  });

  it('sources within their lines and central money within the eligible cost raise nothing', () => {
    const history = [
      ...approvedProject(),
      gas('600000.00'),
      received({ source: 'central_fiscal_subsidy', amount: '3000000.00' }),
    ];
    expect(flagsOf(storedFlags(history), 'RF-05')).toEqual([]);
  });
});

describe('RF-06 source and item mismatches', () => {
  it('a provident-fund withdrawal on a roof line is flagged under the earmark in force, until taken back', () => {
    const history = [
      ...approvedProject(),
      received({
        receiptId: 'R-PF',
        source: 'provident_fund',
        amount: '5000.00',
        lineId: 'B1-roof',
        details: { householdId: 'H-1' },
      }),
      reversed({
        reversalId: 'X-PF',
        entryId: 'R-PF',
        source: 'provident_fund',
        amount: '5000.00',
        reversedOn: '2022-02-01',
      }),
    ];
    const flag = only(storedFlags(history), 'RF-06');
    expect(flag).toMatchObject({
      subject: 'receipt:R-PF',
      lineId: 'B1-roof',
      raisedAt: '2021-12-10',
      clearedAt: '2022-02-01',
      rule: { ruleId: 'provident-fund-earmark', citation: '潼南府办发〔2021〕71号 四(一)' },
    });
  });

  it("one utility's money on another's pipeline line is flagged", () => {
    const history = [
      ...approvedProject(),
      received({
        receiptId: 'R-W',
        source: 'pipeline_unit',
        amount: '1000.00',
        lineId: 'B3-gas-pipe',
        details: { utility: 'water' },
      }),
    ];
    expect(only(storedFlags(history), 'RF-06')).toMatchObject({ rule: { ruleId: 'pipeline-unit-earmark' } });
  });

  it('restricted money on lines that fit it raises nothing', () => {
    const history = [
      ...approvedProject(),
      received({
        receiptId: 'R-PF',
        source: 'provident_fund',
        amount: '5000.00',
        lineId: 'I1-elevator',
        details: { householdId: 'H-1' },
      }),
      received({
        receiptId: 'R-G',
        source: 'pipeline_unit',
        amount: '1000.00',
        lineId: 'B3-gas-pipe',
        details: { utility: 'gas' },
      }),
    ];
    expect(flagsOf(storedFlags(history), 'RF-06')).toEqual([]);
  });
});

describe('RF-07 maintenance fund without a valid vote', () => {
  const fund = (overrides: Partial<Parameters<typeof received>[0]> = {}) =>
    received({ receiptId: 'R-MF', source: 'maintenance_fund', amount: '20000.00', lineId: 'B1-roof', ...overrides });

  it('a receipt on the emergency exception is a low flag for auditors to look at', () => {
    const flag = only(
      storedFlags([...approvedProject(), fund({ emergency: true, emergencyReason: '屋面渗漏抢修' })]),
      'RF-07',
    );
    expect(flag).toMatchObject({ severity: 'low', rule: { ruleId: 'maintenance-fund-vote-civil-code' } });
    expect(flag.message.zh).toContain('屋面渗漏抢修');
  });

  it('one with neither a vote nor an emergency is medium; one naming a vote that did not pass is high', () => {
    expect(only(storedFlags([...approvedProject(), fund()]), 'RF-07').severity).toBe('medium');
    const history = withDecided(withElevatorPlan(), {
      type: 'RecordOwnerVote',
      projectId: PROJECT_ID,
      voteId: 'V-FUND-NO',
      matter: 'fund_use',
      scope: { all: true },
      heldOn: '2021-11-01',
      ballots: [],
      recordedOn: '2024-01-01',
    });
    expect(only(storedFlags([...history, fund({ voteId: 'V-FUND-NO' })]), 'RF-07').severity).toBe('high');
  });

  it('a receipt under a passed fund_use vote held before it raises nothing; a flagged one clears when taken back', () => {
    const voters = withDecided(withElevatorPlan(), {
      type: 'RecordOwnerVote',
      projectId: PROJECT_ID,
      voteId: 'V-FUND',
      matter: 'fund_use',
      scope: { all: true },
      heldOn: '2021-11-01',
      ballots: ['101', '102', '201', '202', '301', '302', '401', '402', '501', '502', '601', '602'].map((r) => ({
        householdId: `H-3-2-${r}`,
        choice: 'agree',
      })),
      recordedOn: '2024-01-01',
    });
    expect(flagsOf(storedFlags([...voters, fund({ voteId: 'V-FUND' })]), 'RF-07')).toEqual([]);
    // Without a register, the vote is a reference the ledger cannot check: it stands as recorded.
    const referenced = fund({ details: { voteRef: '桂花巷业主大会决议（2021）第1号' } });
    expect(flagsOf(storedFlags([...approvedProject(), referenced]), 'RF-07')).toEqual([]);
    const taken = [
      ...approvedProject(),
      fund({ emergency: true, emergencyReason: '抢修' }),
      reversed({
        reversalId: 'X-MF',
        entryId: 'R-MF',
        source: 'maintenance_fund',
        amount: '20000.00',
        reversedOn: '2022-03-01',
      }),
    ];
    expect(only(storedFlags(taken), 'RF-07').clearedAt).toBe('2022-03-01');
  });
});

describe('RF-12 ineligible community', () => {
  it('built after 2005 is outside the programme (high); 2001-2005 without the poor-condition justification (medium)', () => {
    const late = only(storedFlags([registered({ builtYear: 2008 })]), 'RF-12');
    expect(late).toMatchObject({
      severity: 'high',
      figures: { builtYear: '2008', eligibility: 'none' },
      rule: { ruleId: 'eligibility-scope-seed' },
    });
    expect(late.rule.citation).toBe('潼南府办发〔2021〕71号 二(一)');
    expect(only(storedFlags([registered({ builtYear: 2003 })]), 'RF-12').severity).toBe('medium');
  });

  it('2001-2005 with the justification recorded on registration raises nothing', () => {
    const justified = registered({ builtYear: 2003, conditionJustification: '管网老化、无物业管理、屋面渗漏' });
    expect(justified.data.eligibility.basis).toBe('pre2005_poor_condition');
    expect(flagsOf(storedFlags([justified]), 'RF-12')).toEqual([]);
  });

  it('counts from the first dated event of the project when that is earlier than the day it was recorded', () => {
    const flag = only(
      storedFlags([registered({ builtYear: 2008 }), approved('100.00', { approvedOn: '2021-12-01' })]),
      'RF-12',
    );
    expect([flag.raisedAt, flag.clearedAt]).toEqual(['2021-12-01', null]);
  });

  it('built by 2000 raises nothing', () => {
    expect(flagsOf(storedFlags([registered({ builtYear: 2000 })]), 'RF-12')).toEqual([]);
  });
});

describe('RF-13 both central channels on one line', () => {
  const cbi = receive({
    receiptId: 'R-CBI',
    source: 'central_budget_investment',
    amount: '1000.00',
    lineId: 'B1-roof',
  });
  const cfs = receive({
    receiptId: 'R-CFS',
    source: 'central_fiscal_subsidy',
    amount: '1000.00',
    lineId: 'B1-roof',
    receivedOn: '2021-12-20',
  });

  it('a reversal undone can bring back a channel the other now supports: flagged, and cleared when one is taken back', () => {
    const history = withDecided(
      approvedProject(),
      cbi,
      reverse({ reversalId: 'X1', entryId: 'R-CBI', reversedOn: '2021-12-15' }),
      cfs,
      reverse({ reversalId: 'X2', entryId: 'X1', reversedOn: '2022-01-10' }),
      reverse({ reversalId: 'X3', entryId: 'R-CFS', reversedOn: '2022-02-01' }),
    );
    const flag = only(storedFlags(history), 'RF-13');
    expect(flag).toMatchObject({
      lineId: 'B1-roof',
      raisedAt: '2022-01-10',
      clearedAt: '2022-02-01',
      rule: { ruleId: 'central-double-support-local' },
    });
  });

  it('one channel on a line, or the two on different lines, raises nothing', () => {
    const history = withDecided(approvedProject(), cbi, { ...cfs, lineId: 'B2-drainage' });
    expect(flagsOf(storedFlags(history), 'RF-13')).toEqual([]);
  });
});

describe('RF-18 cost-sharing integrity', () => {
  const plan = () => withElevatorPlan();
  const adopted = (events: ProjectEvent[]) =>
    events.at(-1) as Extract<ProjectEvent, { type: 'cost-share-plan-adopted.v1' }>;

  it('a plan as the ledger computes it raises nothing', () => {
    expect(flagsOf(storedFlags(plan()), 'RF-18')).toEqual([]);
  });

  it('shares that are not the split of the amount by their weights are flagged, naming the first household', () => {
    const events = plan();
    const p = adopted(events);
    const shares = p.data.shares.map((s) =>
      s.householdId === 'H-3-2-601'
        ? { ...s, share: '58823.00' }
        : s.householdId === 'H-3-2-602'
          ? { ...s, share: '58824.06' }
          : s,
    );
    const flag = only(storedFlags([...events.slice(0, -1), { ...p, data: { ...p.data, shares } }]), 'RF-18');
    expect(flag).toMatchObject({
      planId: 'PLAN-ELEVATOR',
      householdId: 'H-3-2-601',
      rule: { ruleId: 'red-flag-cost-share-integrity' },
    });
    expect(flag.message.en).toContain('2 household share(s) differ');
  });

  it('an elevator plan with no alteration vote is flagged under the alteration-vote rule', () => {
    const events = plan();
    const p = adopted(events);
    const { voteId: _voteId, ...data } = p.data;
    const flag = only(storedFlags([...events.slice(0, -1), { ...p, data }]), 'RF-18');
    expect(flag).toMatchObject({ subject: 'plan-vote:PLAN-ELEVATOR', rule: { ruleId: 'alteration-vote-civil-code' } });
  });
});

describe('RF-21 central money on enhancement items', () => {
  it('the deciders let central money onto a meal-aid line: flagged until it is taken back', () => {
    const history = withDecided(
      approvedProject(),
      receive({ receiptId: 'R-C', source: 'central_fiscal_subsidy', amount: '300000.00', lineId: 'E1-meal-aid' }),
      reverse({ reversalId: 'X-C', entryId: 'R-C', reversedOn: '2022-01-20' }),
    );
    expect(only(storedFlags(history), 'RF-21')).toMatchObject({
      severity: 'medium',
      lineId: 'E1-meal-aid',
      raisedAt: '2021-12-10',
      clearedAt: '2022-01-20',
      figures: { received: '300000.00', item: 'meal_aid' },
    });
  });

  it('central money on a basic line raises nothing', () => {
    const history = [
      ...approvedProject(),
      received({ source: 'central_fiscal_subsidy', amount: '300000.00', lineId: 'B1-roof' }),
    ];
    expect(flagsOf(storedFlags(history), 'RF-21')).toEqual([]);
  });
});

describe('the flags as a read model', () => {
  const history = [
    registered({ builtYear: 2008 }),
    ...Object.values(lines),
    received({ receivedOn: '2021-11-01' }),
    approved(),
    received({ receiptId: 'R-C', source: 'central_fiscal_subsidy', amount: '300000.00', lineId: 'E1-meal-aid' }),
  ];

  it('applying every event twice changes nothing (idempotent by global position)', () => {
    const once = projected(history);
    const twice = projected(history, { times: 2 });
    for (const table of ['red_flags', 'red_flag_entries', 'red_flag_flows', 'red_flag_balances'])
      expect(twice.prepare(`SELECT * FROM ${table}`).all()).toEqual(once.prepare(`SELECT * FROM ${table}`).all());
    expect(readStoredFlags(once).map((f) => f.code)).toEqual(['RF-01', 'RF-12', 'RF-21']);
  });

  it('a flag that stops holding stays, cleared; a history cut before it became true does not show it', () => {
    const at = (asOf: string) => storedFlags(history, { bounds: { asOf, knownAt: null } });
    expect(flagsOf(at('2021-10-31'), 'RF-01')).toEqual([]);
    expect(only(at('2021-11-15'), 'RF-01').clearedAt).toBeNull();
    expect(only(at('2021-12-31'), 'RF-01').clearedAt).toBe('2021-12-01');
  });

  it('a flag raised by more events than it lists counts them all and lists the first 50 in log order', () => {
    // 60 central receipts before the approval: 6,000,000.00, above the 5,240,000.00 of the five
    // lines central money may pay for (positions 2-9 are the lines, 10-69 the receipts).
    const receipts = Array.from({ length: 60 }, (_, i) =>
      received({
        receiptId: `R-C${i}`,
        source: 'central_fiscal_subsidy',
        amount: '100000.00',
        receivedOn: '2021-11-01',
      }),
    );
    const flags = storedFlags([registered(), ...Object.values(lines), ...receipts, approved()]);
    const receiptIds = Array.from({ length: 60 }, (_, i) => `e${i + 10}`);
    const beforeApproval = only(flags, 'RF-01');
    expect(beforeApproval.evidenceCount).toBe(61);
    expect(evidenceIds(beforeApproval)).toEqual(receiptIds.slice(0, 50));
    const centralBeyond = flags.find((f) => f.subject === 'central-eligible')!;
    expect(centralBeyond.evidenceCount).toBe(65);
    expect(evidenceIds(centralBeyond)).toEqual([...ids(2, 3, 4, 5, 6), ...receiptIds.slice(0, 45)]);
  });

  it('every evidence id is an event of the history, and every flag cites a rule with its document and clause', () => {
    const eventIds = new Set(recordsOf(history).map((r) => r.eventId));
    for (const f of storedFlags(history)) {
      for (const e of f.evidence) expect(eventIds.has(e.eventId)).toBe(true);
      expect(f.rule.citation).toMatch(/\S+ \S+/);
    }
  });
});

/**
 * A treasury direct payment (国库集中支付·直接支付) is one event that counts as received on its
 * allocation's source and paid to its payee on its line at once (FIGURES_OF_ENTRY): every rule that
 * reads receipts or payments counts it as both, and neither twice.
 */
describe('treasury direct payments', () => {
  /** Takes back `amount` of treasury payment TP1 (A1, district matching, the roof line). */
  const treasuryReversed = (amount: string, reversedOn: string) =>
    reversed({
      reversalId: 'X-TP',
      entryId: 'TP1',
      entryKind: 'treasury_payment',
      allocationId: 'A1',
      batchId: BATCH_ID,
      lineId: 'B1-roof',
      amount,
      reversedOn,
    });

  /** A treasury payment of 1,200.00 from an allocation of 1,000.00, `reversedAmount` of it taken back on 2022-01-10. */
  const beyondAllocation = (reversedAmount: string) => [
    ...approvedProject(),
    allocationRecorded({ amount: '1000.00' }),
    treasuryPaid({ amount: '1200.00' }),
    treasuryReversed(reversedAmount, '2022-01-10'),
  ];

  describe('RF-01 money before approval', () => {
    it('a treasury payment dated before the approval is money before approval, counted once', () => {
      const history = [...budgeted(), allocationRecorded(), treasuryPaid({ paidOn: '2021-11-20' }), approved()];
      const flag = only(storedFlags(history), 'RF-01');
      expect(flag).toMatchObject({
        subject: 'project',
        raisedAt: '2021-11-20',
        clearedAt: '2021-12-01',
        figures: { entries: '1', amount: '100.00' },
      });
      expect(evidenceIds(flag)).toEqual(ids(11, 12));
      expect(flag.evidenceCount).toBe(2);
    });

    it('is cleared when the treasury payment is taken back, and one after the approval raises nothing', () => {
      const history = [
        registered(),
        allocationRecorded(),
        treasuryPaid({ paidOn: '2021-11-20' }),
        treasuryReversed('100.00', '2021-11-25'),
      ];
      expect([only(storedFlags(history), 'RF-01').clearedAt]).toEqual(['2021-11-25']);
      const after = [...approvedProject(), allocationRecorded(), treasuryPaid()];
      expect(flagsOf(storedFlags(after), 'RF-01')).toEqual([]);
    });
  });

  describe('RF-02 payments beyond receipts or the allocated indicator', () => {
    it('a treasury payment of 100 against an allocation of 100 raises nothing: it brings its own receipt', () => {
      const history = [...approvedProject(), allocationRecorded({ amount: '100.00' }), treasuryPaid()];
      expect(flagsOf(storedFlags(history), 'RF-02')).toEqual([]);
    });

    it('beside payments beyond receipts, it neither raises nor lowers the excess', () => {
      const history = [
        ...approvedProject(),
        allocationRecorded(),
        received({ amount: '100.00' }),
        treasuryPaid({ paymentId: 'TP1', amount: '500.00', paidOn: '2021-12-15' }),
        disbursed({ amount: '150.00', paidOn: '2021-12-20' }),
      ];
      const flag = only(storedFlags(history), 'RF-02');
      expect(flag).toMatchObject({
        subject: 'source:district_matching',
        raisedAt: '2021-12-20',
        figures: { excess: '50.00' },
      });
    });

    it('beyond its allocation it is flagged on the allocation, as a payment from it would be, until taken back', () => {
      const history = beyondAllocation('1200.00');
      const flag = only(storedFlags(history), 'RF-02');
      expect(flag).toMatchObject({
        subject: 'allocation:A1',
        allocationId: 'A1',
        raisedAt: '2021-12-20',
        clearedAt: '2022-01-10',
        figures: { excess: '200.00' },
      });
      // The treasury payment once, though it moves two figures (the reversal clears: it is dated at the end).
      expect(evidenceIds(flag)).toEqual(ids(11, 12));
      expect(flag.evidenceCount).toBe(2);
    });
  });

  describe('RF-05 sources beyond the eligible cost', () => {
    const onGasLine = (amount: string, source = 'district_matching') =>
      treasuryPaid({ source, amount, lineId: 'B3-gas-pipe' });

    it('treasury payments on a line above its estimate are flagged, counted once', () => {
      const history = [...approvedProject(), allocationRecorded({ amount: '700000.00' }), onGasLine('650000.00')];
      expect(only(storedFlags(history), 'RF-05')).toMatchObject({
        subject: 'line:B3-gas-pipe',
        figures: { committed: '650000.00', estimatedCost: '600000.00', excess: '50000.00' },
      });
    });

    it('treasury payments up to the line’s estimate raise nothing (received and paid is not twice the money)', () => {
      const history = [...approvedProject(), allocationRecorded({ amount: '700000.00' }), onGasLine('600000.00')];
      expect(flagsOf(storedFlags(history), 'RF-05')).toEqual([]);
    });

    it('central treasury payments count as central money received against the eligible cost', () => {
      const central = (amount: string) => [
        ...approvedProject(),
        allocationRecorded({ source: 'central_fiscal_subsidy', amount: '6000000.00' }),
        treasuryPaid({ source: 'central_fiscal_subsidy', amount }),
      ];
      const flags = storedFlags(central('6000000.00')).filter((f) => f.subject === 'central-eligible');
      expect(only(flags, 'RF-05')).toMatchObject({
        figures: { eligibleCost: '5240000.00', excess: '760000.00' },
      });
      const within = storedFlags(central('3000000.00')).filter((f) => f.subject === 'central-eligible');
      expect(within).toEqual([]);
    });
  });

  describe('RF-06 source and item mismatches', () => {
    /** A municipal parking batch's money paid by the treasury on `lineId`. */
    const parkingMoney = (lineId: string) => [
      ...approvedProject(),
      issued({ batchId: BATCH_ID, source: 'municipal_subsidy', program: 'parking', docNo: '渝住建〔2021〕9号' }),
      allocationRecorded({ source: 'municipal_subsidy', amount: '1000.00' }),
      treasuryPaid({ source: 'municipal_subsidy', lineId }),
    ];

    it("a treasury payment is judged by its batch's programme, as a receipt is by its own", () => {
      expect(only(storedFlags(parkingMoney('B1-roof')), 'RF-06')).toMatchObject({
        subject: 'treasury_payment:TP1',
        lineId: 'B1-roof',
        raisedAt: '2021-12-20',
        rule: { ruleId: 'municipal-programme-purpose' },
      });
    });

    it('one on a line its programme pays for raises nothing', () => {
      expect(flagsOf(storedFlags(parkingMoney('I2-parking')), 'RF-06')).toEqual([]);
    });
  });

  describe('RF-13 and RF-21 central money on a line', () => {
    const cbi = received({
      receiptId: 'R-CBI',
      source: 'central_budget_investment',
      amount: '1000.00',
      lineId: 'B1-roof',
    });
    const centralTreasury = (lineId: string, amount = '1000.00') => [
      allocationRecorded({ source: 'central_fiscal_subsidy', amount: '300000.00' }),
      treasuryPaid({ source: 'central_fiscal_subsidy', amount, lineId }),
    ];

    it('a central treasury payment on a line the other channel supports is double support', () => {
      const flag = only(storedFlags([...approvedProject(), cbi, ...centralTreasury('B1-roof')]), 'RF-13');
      expect(flag).toMatchObject({ lineId: 'B1-roof', raisedAt: '2021-12-20', clearedAt: null });
      expect(flagsOf(storedFlags([...approvedProject(), cbi, ...centralTreasury('B2-drainage')]), 'RF-13')).toEqual([]);
    });

    it('a central treasury payment on an enhancement line is received and paid there, once each', () => {
      const history = [...approvedProject(), ...centralTreasury('E1-meal-aid', '300000.00')];
      expect(only(storedFlags(history), 'RF-21')).toMatchObject({
        lineId: 'E1-meal-aid',
        raisedAt: '2021-12-20',
        figures: { received: '300000.00', paid: '300000.00' },
      });
      expect(flagsOf(storedFlags([...approvedProject(), ...centralTreasury('B1-roof')]), 'RF-21')).toEqual([]);
    });
  });

  it('applying it twice changes nothing, and a history cut before it does not show its flags', () => {
    const history = beyondAllocation('200.00');
    const once = projected(history);
    const twice = projected(history, { times: 2 });
    for (const table of ['red_flags', 'red_flag_entries', 'red_flag_flows', 'red_flag_balances'])
      expect(twice.prepare(`SELECT * FROM ${table}`).all()).toEqual(once.prepare(`SELECT * FROM ${table}`).all());
    expect(
      once.prepare("SELECT flow_id, kind, nets_id FROM red_flag_flows WHERE entry_id = 'TP1' ORDER BY flow_id").all(),
    ).toEqual([
      { flow_id: 'TP1#disbursed', kind: 'payment', nets_id: 'TP1#disbursed' },
      { flow_id: 'TP1#received', kind: 'receipt', nets_id: 'TP1#received' },
      { flow_id: 'X-TP#disbursed', kind: 'payment-reversal', nets_id: 'TP1#disbursed' },
      { flow_id: 'X-TP#received', kind: 'receipt-reversal', nets_id: 'TP1#received' },
    ]);
    once.close();
    twice.close();
    expect(storedFlags(history, { bounds: { asOf: '2021-12-19', knownAt: null } })).toEqual([]);
    const cleared = only(storedFlags(history, { bounds: { asOf: '2022-01-31', knownAt: null } }), 'RF-02');
    expect([cleared.raisedAt, cleared.clearedAt]).toEqual(['2021-12-20', '2022-01-10']);
  });

  it('a reversal undone gives the treasury payment back to every figure (entryMoveOf)', () => {
    const history = [
      ...beyondAllocation('1200.00'),
      reversalReversed({
        reversalId: 'X-TP2',
        reversedReversalId: 'X-TP',
        entryId: 'TP1',
        entryKind: 'treasury_payment',
        allocationId: 'A1',
        batchId: BATCH_ID,
        lineId: 'B1-roof',
        amount: '1200.00',
        reversedOn: '2022-02-01',
      }),
    ];
    const flags = flagsOf(storedFlags(history), 'RF-02');
    expect(flags.map((f) => [f.subject, f.raisedAt, f.clearedAt])).toEqual([
      ['allocation:A1', '2021-12-20', '2022-01-10'],
      ['allocation:A1', '2022-02-01', null],
    ]);
    expect(flags.some((f) => f.subject.startsWith('source:'))).toBe(false);
  });
});
