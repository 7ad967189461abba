import { fold } from '../../../src/shared/domain/decider';
import { projectDecider } from '../../../src/project/project.decider';
import { ProjectEvent } from '../../../src/project/project.events';
import {
  approved, budgetLine, budgeted, disbursed, pledged, received, registered, reversed,
} from '../../support/project-fixtures';

const stateOf = (...events: ProjectEvent[]) => fold(projectDecider, events);

describe('evolve: per-source positions', () => {
  // "per source …: pledged, received, disbursed, available (received − disbursed), all net of
  // reversals" (product.md, funding-mix): the state keeps each source's position net of reversals.
  it('nets pledges, receipts and payments of each source against their reversals', () => {
    const state = stateOf(
      ...budgeted(), approved(),
      pledged({ pledgeId: 'P1', source: 'district_matching', amount: '1000.00' }),
      received({ receiptId: 'R1', source: 'district_matching', pledgeId: 'P1', amount: '600.00' }),
      disbursed({ paymentId: 'PAY1', source: 'district_matching', amount: '250.00' }),
      reversed({ reversalId: 'X1', entryId: 'P1', entryKind: 'pledge', source: 'district_matching', amount: '100.00', full: false }),
      reversed({ reversalId: 'X2', entryId: 'R1', entryKind: 'receipt', source: 'district_matching', pledgeId: 'P1', amount: '50.00', full: false }),
      reversed({ reversalId: 'X3', entryId: 'PAY1', entryKind: 'payment', source: 'district_matching', lineId: 'B1-roof', amount: '25.00', full: false }),
      pledged({ pledgeId: 'P2', source: 'special_bond', amount: '300.00' }),
      received({ receiptId: 'R2', source: 'special_bond', amount: '300.00' }),
      reversed({ reversalId: 'X4', entryId: 'R2', source: 'special_bond', amount: '300.00', full: true }),
    );
    expect(state.sources.get('district_matching')).toEqual({ pledgedFen: 900_00n, receivedFen: 550_00n, disbursedFen: 225_00n });
    expect(state.sources.get('special_bond')).toEqual({ pledgedFen: 300_00n, receivedFen: 0n, disbursedFen: 0n });
    expect(state.sources.has('bank_loan')).toBe(false);
  });

  it('keeps each entry\'s reversed amount, and each pledge\'s amount received net of reversals', () => {
    const state = stateOf(
      registered(),
      pledged({ pledgeId: 'P1', amount: '100.00' }),
      received({ receiptId: 'R1', pledgeId: 'P1', amount: '70.00' }),
      reversed({ reversalId: 'X1', entryId: 'R1', pledgeId: 'P1', amount: '20.00', full: false }),
    );
    expect(state.entries.get('P1')).toMatchObject({ kind: 'pledge', amountFen: 100_00n, reversedFen: 0n, receivedFen: 50_00n });
    expect(state.entries.get('R1')).toMatchObject({ kind: 'receipt', amountFen: 70_00n, reversedFen: 20_00n, pledgeId: 'P1' });
    expect(state.reversalIds.has('X1')).toBe(true);
  });
});

describe('evolve: budget and approval', () => {
  // The budget total is the sum of the lines; an approval lifts a pending re-approval.
  it('sums the lines and tracks the approval', () => {
    const state = stateOf(
      registered(),
      budgetLine({ estimatedCost: '9999999.99' }),
      approved('9999999.99'),
      budgetLine({ lineId: 'B2-drainage', item: 'drainage', estimatedCost: '0.01', budgetTotal: '10000000.00', reapprovalRequired: true }),
    );
    expect(state.budgetTotalFen).toBe(10_000_000_00n);
    expect(state.reapprovalRequired).toBe(true);
    expect(state.approval).toEqual({ approvedInvestmentFen: 9_999_999_99n, path: 'plan_review', docNo: 'TNFG-2021-88', approvedOn: '2021-12-01' });

    const after = projectDecider.evolve(state, approved('10000000.00', { approvalPath: 'merged_fsr', reapproval: true }));
    expect(after.reapprovalRequired).toBe(false);
    expect(after.approval?.path).toBe('merged_fsr');
  });

  it('registers the project from its first event', () => {
    expect(stateOf(registered())).toMatchObject({ registered: true, projectId: 'TN2021-017', households: 120 });
    expect(stateOf().registered).toBe(false);
  });
});

describe('evolve never rejects a stored event', () => {
  // "evolve never rejects a stored event" (style.md rule 3): an event type this version does not
  // know (a later .v2, say) leaves the state as it was.
  it('ignores an unknown event type', () => {
    const before = stateOf(...budgeted(), received());
    const unknown = { type: 'funds-received.v2', data: { amount: '1.00' } } as unknown as ProjectEvent;
    const after = stateOf(...budgeted(), received(), unknown);
    expect(after).toEqual(before);
  });
});
