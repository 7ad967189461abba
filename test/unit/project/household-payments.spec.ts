/**
 * Payments by household (issue 15, point 4; domain.md R-CS7, 民法典 第二百七十八条 and 第二百八十一条):
 * a resident_direct, provident_fund or maintenance_fund receipt that names a household and a plan
 * pays that household's share, never beyond what it still owes (payment-exceeds-share). A
 * provident-fund withdrawal is part of the household's own share (provident-exceeds-share), so it
 * must name a plan on an elevator or own-home line: on a project with a register (plan-required)
 * and on one without (provident-needs-plan), where there is no share to finance. A
 * maintenance-fund receipt there needs a passed fund_use vote covering the households the money
 * is for, or an emergency with its reason; the fund pays common parts only (an allow-list).
 * Projects without a register keep working as before, but for the provident fund.
 */
import {
  approvedProject,
  budgeted,
  disburse,
  given,
  receive,
  received,
  registered,
} from '../../support/project-fixtures';
import { lines, reverse } from '../../support/project-fixtures';
import {
  adoptPlan,
  ballots,
  householdsRegistered,
  payShare,
  recordVote,
  withDecided,
  withElevatorPlan,
} from '../../support/resident-fixtures';

/** 601's share of the elevator plan is 58,823.53 (Example A). */
const SHARE_601 = '58823.53';
const twelve = ['101', '102', '201', '202', '301', '302', '401', '402', '501', '502', '601', '602'];
const fundVote = (overrides = {}) =>
  recordVote({
    voteId: 'V-FUND',
    matter: 'fund_use',
    ballots: ballots(twelve, 'agree'),
    heldOn: '2021-11-01',
    ...overrides,
  });
const fundReceipt = (overrides: Parameters<typeof receive>[0] = {}) =>
  receive({
    receiptId: 'R-FUND',
    source: 'maintenance_fund',
    amount: '1000.00',
    payer: '潼南区住宅专项维修资金管理中心',
    lineId: 'B1-roof',
    voteId: 'V-FUND',
    ...overrides,
  });

describe('a household pays its share', () => {
  it('records the plan on the receipt, on the plan line, and the household account follows by channel', () => {
    given(...withElevatorPlan())
      .when(payShare('601', { amount: '50000.00' }))
      .thenState((s, [e]) => {
        expect(e.data).toMatchObject({
          planId: 'PLAN-ELEVATOR',
          lineId: 'I1-elevator',
          details: { householdId: 'H-3-2-601' },
        });
        expect(s.shares.get('PLAN-ELEVATOR/H-3-2-601')?.paidFen).toEqual({
          resident_direct: 5_000_000n,
          provident_fund: 0n,
          maintenance_fund: 0n,
        });
      });
  });

  it('takes exactly what remains, and refuses a fen more (422 payment-exceeds-share)', () => {
    given(...withElevatorPlan())
      .when(payShare('601', { amount: SHARE_601 }))
      .thenState((s) => expect(s.shares.get('PLAN-ELEVATOR/H-3-2-601')?.paidFen.resident_direct).toBe(5_882_353n));
    given(...withDecided(withElevatorPlan(), payShare('601', { amount: '58000.00' })))
      .when(payShare('601', { receiptId: 'R-601-2', amount: '823.54' }))
      .thenThrows('payment-exceeds-share', 'amount');
  });

  it('refuses paying a household whose share is 0.00', () => {
    given(...withElevatorPlan())
      .when(payShare('101', { amount: '0.01' }))
      .thenThrows('payment-exceeds-share', 'amount');
  });

  it('refuses a receipt that names a plan but no household (422 household-required)', () => {
    given(...withElevatorPlan())
      .when(payShare('601', { details: {} }))
      .thenThrows('household-required', 'householdId');
  });

  it('refuses a plan that does not exist, a household of the register not in the plan, a household not registered', () => {
    given(...withElevatorPlan())
      .when(payShare('601', { planId: 'PLAN-NONE' }))
      .thenThrows('plan-not-found', 'planId');
    const other = householdsRegistered([
      {
        householdId: 'H-9-1-101',
        building: '9',
        unit: '1',
        floor: 1,
        room: '101',
        buildingArea: '50.00',
        ownerKey: 'OK-9',
      },
    ]);
    given(...withElevatorPlan(), other)
      .when(payShare('601', { details: { householdId: 'H-9-1-101' } }))
      .thenThrows('household-not-in-plan', 'householdId');
    given(...withElevatorPlan())
      .when(payShare('601', { details: { householdId: 'H-0-0-000' } }))
      .thenThrows('household-not-found', 'householdId');
  });

  it('refuses a receipt on a line the plan does not share (422 plan-line-mismatch)', () => {
    given(...withElevatorPlan())
      .when(payShare('601', { lineId: 'B1-roof' }))
      .thenThrows('plan-line-mismatch', 'lineId');
  });

  it('refuses a plan on a source that is not a residents channel (400 sub-field-not-allowed)', () => {
    given(...withElevatorPlan())
      .when(payShare('601', { source: 'district_matching', details: {} }))
      .thenThrows('sub-field-not-allowed', 'planId');
    given(...withElevatorPlan())
      .when(payShare('601', { voteId: 'V-ELEVATOR' }))
      .thenThrows('sub-field-not-allowed', 'voteId');
  });

  it('a reversal gives the share back; undoing the reversal is checked against the share again', () => {
    const paid = withDecided(withElevatorPlan(), payShare('601', { amount: '58000.00' }), {
      ...reverse({ reversalId: 'X-601', entryId: 'R-601', amount: '1000.00' }),
      reversedOn: '2021-12-11',
    });
    given(...paid)
      .when(payShare('601', { receiptId: 'R-601-2', amount: '1823.53' }))
      .thenState((s) => expect(s.shares.get('PLAN-ELEVATOR/H-3-2-601')?.paidFen.resident_direct).toBe(5_882_353n));
    const refilled = withDecided(paid, payShare('601', { receiptId: 'R-601-2', amount: '1000.00' }));
    given(...refilled)
      .when({ ...reverse({ reversalId: 'X-UNDO', entryId: 'X-601', amount: '1000.00' }), reversedOn: '2021-12-12' })
      .thenThrows('payment-exceeds-share', 'amount');
  });
});

describe('R-CS7: a provident-fund withdrawal is part of the household own share', () => {
  const withdraw = (overrides: Parameters<typeof receive>[0] = {}) =>
    payShare('601', { receiptId: 'R-GJJ', source: 'provident_fund', payer: '住房公积金管理中心', ...overrides });

  it('takes a withdrawal up to the outstanding share, counted apart', () => {
    given(...withElevatorPlan())
      .when(withdraw({ amount: SHARE_601 }))
      .thenState((s) =>
        expect(s.shares.get('PLAN-ELEVATOR/H-3-2-601')?.paidFen).toMatchObject({ provident_fund: 5_882_353n }),
      );
  });

  it('refuses a withdrawal above the outstanding share (422 provident-exceeds-share), also after a direct payment', () => {
    given(...withElevatorPlan())
      .when(withdraw({ amount: '58823.54' }))
      .thenThrows('provident-exceeds-share', 'amount');
    given(...withDecided(withElevatorPlan(), payShare('601', { amount: '50000.00' })))
      .when(withdraw({ amount: '8823.54' }))
      .thenThrows('provident-exceeds-share', 'amount');
  });

  it('refuses a withdrawal that names no plan on a project with a register (422 plan-required)', () => {
    given(...withElevatorPlan())
      .when(withdraw({ planId: undefined, lineId: 'I1-elevator' }))
      .thenThrows('plan-required', 'planId');
  });

  it('refuses a withdrawal for a plan on a roof (422 source-line-mismatch)', () => {
    const roofPlan = adoptPlan({
      planId: 'PLAN-ROOF',
      lineIds: ['B1-roof'],
      amount: '1000.00',
      key: { kind: 'building_area' },
      voteId: undefined,
    });
    given(...withDecided(withElevatorPlan(), roofPlan))
      .when(withdraw({ planId: 'PLAN-ROOF', amount: '10.00' }))
      .thenThrows('source-line-mismatch', 'lineId');
  });

  // The new user: 900,000.00 of provident fund on a 600,000.00 elevator line, on a project
  // that has no register and so no share for the withdrawal to finance.
  it('refuses a withdrawal on a project without a register (422 provident-needs-plan)', () => {
    const huge = { source: 'provident_fund', amount: '900000.00', details: { householdId: '3-2-601' } };
    given(...budgeted())
      .when(receive({ ...huge, lineId: 'I1-elevator' }))
      .thenThrows('provident-needs-plan', 'planId');
    given(...budgeted())
      .when(receive({ ...huge, amount: '0.01', lineId: 'H1-own-home' }))
      .thenThrows('provident-needs-plan', 'planId');
  });

  it('judges the earmark first: a withdrawal for a roof is source-line-mismatch, plan or not', () => {
    given(...budgeted())
      .when(receive({ source: 'provident_fund', details: { householdId: '3-2-601' }, lineId: 'B1-roof' }))
      .thenThrows('source-line-mismatch', 'lineId');
  });

  it('keeps a withdrawal stored before the rule: evolve never re-decides, and it can still be paid out', () => {
    const unplanned = received({
      source: 'provident_fund',
      details: { householdId: '3-2-601' },
      lineId: 'I1-elevator',
    });
    given(...approvedProject(), unplanned)
      .when(disburse({ source: 'provident_fund', lineId: 'I1-elevator' }))
      .thenState((s) =>
        expect(s.sources.get('provident_fund')).toMatchObject({ receivedFen: 100_00n, disbursedFen: 100_00n }),
      );
  });
});

describe('the maintenance fund under an owners vote (民法典 第二百七十八条, 第二百八十一条)', () => {
  const voted = (vote = fundVote()) => withDecided([...budgeted(), householdsRegistered()], vote);

  it('takes a receipt naming a passed fund_use vote over the whole register', () => {
    given(...voted())
      .when(fundReceipt())
      .thenState((s, [e]) => {
        expect(e.data).toMatchObject({ source: 'maintenance_fund', voteId: 'V-FUND', lineId: 'B1-roof' });
        expect(s.entries.get('R-FUND')?.voteId).toBe('V-FUND');
      });
  });

  it('refuses a receipt with neither a vote nor an emergency (422 vote-required)', () => {
    given(...voted())
      .when(fundReceipt({ voteId: undefined }))
      .thenThrows('vote-required', 'voteId');
  });

  it('takes an emergency with its reason, and refuses one without', () => {
    given(...voted())
      .when(fundReceipt({ voteId: undefined, emergency: true, emergencyReason: '屋面渗漏危及安全' }))
      .thenState((_s, [e]) => expect(e.data).toMatchObject({ emergency: true, emergencyReason: '屋面渗漏危及安全' }));
    given(...voted())
      .when(fundReceipt({ voteId: undefined, emergency: true }))
      .thenThrows('invalid-field', 'emergencyReason');
    given(...voted())
      .when(fundReceipt({ emergencyReason: 'why' }))
      .thenThrows('invalid-field', 'emergencyReason');
  });

  it('refuses a vote that did not pass, of another matter, not recorded, or held after the receipt', () => {
    given(...voted(fundVote({ ballots: ballots(['101'], 'agree') })))
      .when(fundReceipt())
      .thenThrows('vote-not-passed', 'voteId');
    given(...voted(fundVote({ matter: 'alteration' })))
      .when(fundReceipt())
      .thenThrows('vote-matter-mismatch', 'voteId');
    given(...voted())
      .when(fundReceipt({ voteId: 'V-NONE' }))
      .thenThrows('vote-not-found', 'voteId');
    given(...voted(fundVote({ heldOn: '2021-12-11' })))
      .when(fundReceipt())
      .thenThrows('date-before-vote', 'receivedOn');
  });

  it("refuses a vote whose scope does not cover the line's households (422 vote-scope-mismatch)", () => {
    const floors = twelve.slice(2).map((r) => `H-3-2-${r}`);
    given(...voted(fundVote({ scope: { householdIds: floors }, ballots: ballots(twelve.slice(2), 'agree') })))
      .when(fundReceipt())
      .thenThrows('vote-scope-mismatch', 'voteId');
  });

  it("covers a plan's households when the receipt pays a share of it", () => {
    const floors = twelve.slice(2).map((r) => `H-3-2-${r}`);
    const history = withDecided(
      withElevatorPlan(),
      fundVote({ scope: { householdIds: floors }, ballots: ballots(twelve.slice(2), 'agree') }),
    );
    // The vote leaves out floors 1-2, which the elevator plan covers (with shares of 0.00).
    given(...history)
      .when(fundReceipt({ lineId: undefined, planId: 'PLAN-ELEVATOR', details: { householdId: 'H-3-2-601' } }))
      .thenThrows('vote-scope-mismatch', 'voteId');
    given(...withDecided(withElevatorPlan(), fundVote()))
      .when(fundReceipt({ lineId: undefined, planId: 'PLAN-ELEVATOR', details: { householdId: 'H-3-2-601' } }))
      .thenState((s) => expect(s.shares.get('PLAN-ELEVATOR/H-3-2-601')?.paidFen.maintenance_fund).toBe(100_000n));
  });

  it.each(['I2-parking', 'E1-meal-aid', 'H1-own-home', 'B3-gas-pipe'])(
    'pays common parts only: refuses %s (422 source-line-mismatch)',
    (lineId) => {
      given(...voted())
        .when(fundReceipt({ lineId }))
        .thenThrows('source-line-mismatch', 'lineId');
    },
  );

  it('on a project without a register, works as before', () => {
    given(...budgeted())
      .when(receive({ source: 'maintenance_fund', lineId: 'B1-roof', details: { voteRef: '业主大会决议 3号' } }))
      .then(received({ source: 'maintenance_fund', lineId: 'B1-roof', details: { voteRef: '业主大会决议 3号' } }));
  });
});

describe('a household named on a receipt', () => {
  it('must be in the register when the project has one', () => {
    given(registered(), ...Object.values(lines), householdsRegistered())
      .when(receive({ source: 'resident_direct', details: { householdId: 'H-0-0-000' } }))
      .thenThrows('household-not-found', 'householdId');
  });

  it('needs no plan for a lump payment by a registered household', () => {
    given(...approvedProject(), householdsRegistered())
      .when(receive({ source: 'resident_direct', details: { householdId: 'H-3-2-601' } }))
      .then(received({ source: 'resident_direct', details: { householdId: 'H-3-2-601' } }));
  });
});
