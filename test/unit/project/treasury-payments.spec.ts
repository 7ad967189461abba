import { fold } from '../../../src/shared/domain/decider';
import { availableFor, projectDecider } from '../../../src/project/project.decider';
import { ProjectEvent } from '../../../src/project/project.events';
import {
  BATCH_ID,
  allocationRecorded,
  allocationReleased,
  approvedProject,
  approved,
  budgetLine,
  budgeted,
  given,
  received,
  reverse,
  reversalReversed,
  reversed,
  treasuryPaid,
  treasuryPay,
} from '../../support/project-fixtures';

/** An approved project holding A1 (1,000.00 of district matching money, allocated 2021-06-10), nothing received. */
const withA1 = (): ProjectEvent[] => [...approvedProject(), allocationRecorded()];

describe('a treasury direct payment (国库集中支付·直接支付)', () => {
  it('spends the allocation and pays the payee in one event, with the source and batch of its allocation', () => {
    given(...withA1())
      .when(treasuryPay({ amount: '250' }))
      .then(treasuryPaid({ amount: '250.00' }));
  });

  it('counts once as received and once as disbursed, and needs no money received before it', () => {
    given(...withA1())
      .when(treasuryPay({ amount: '250.00' }))
      .thenState((s) => {
        expect(s.sources.get('district_matching')).toEqual({
          pledgedFen: 0n,
          receivedFen: 25000n,
          disbursedFen: 25000n,
        });
        const a = s.allocations.get('A1')!;
        expect([a.receivedFen, a.disbursedFen]).toEqual([25000n, 25000n]);
        // Nothing sits received and unpaid: the money account it passed through is as it was.
        expect(availableFor(s, 'district_matching', 'B1-roof')).toBe(0n);
        expect(s.entries.get('TP1')).toMatchObject({ kind: 'treasury_payment', allocationId: 'A1', lineId: 'B1-roof' });
      });
  });

  it("takes the allocation's fiscal year, carried over (结转) into the next year, else the payment date's", () => {
    given(...withA1())
      .when(treasuryPay({ paidOn: '2022-03-01' }))
      .then(treasuryPaid({ paidOn: '2022-03-01', fiscalYear: 2021, carriedOver: true }));
    given(...withA1())
      .when(treasuryPay({ paidOn: '2023-03-01' }))
      .then(treasuryPaid({ paidOn: '2023-03-01', fiscalYear: 2023 }));
    given(...withA1())
      .when(treasuryPay({ paidOn: '2022-03-01', fiscalYear: 2022 }))
      .then(treasuryPaid({ paidOn: '2022-03-01', fiscalYear: 2022 }));
  });

  it('refuses a fiscal year the payment date is not in nor carried over into (fiscal-year-mismatch)', () => {
    given(...withA1())
      .when(treasuryPay({ fiscalYear: 2022 }))
      .thenThrows('fiscal-year-mismatch', 'fiscalYear');
  });
});

describe('a treasury payment is checked as a receipt on its allocation', () => {
  it('refuses an allocation the project does not hold (allocation-not-found)', () => {
    given(...withA1())
      .when(treasuryPay({ allocationId: 'A9' }))
      .thenThrows('allocation-not-found', 'allocationId');
    given(...withA1(), allocationReleased())
      .when(treasuryPay())
      .thenThrows('allocation-not-found', 'allocationId');
  });

  it('refuses more than the allocation has undrawn (receipt-exceeds-allocation)', () => {
    given(...withA1(), received({ allocationId: 'A1', batchId: BATCH_ID, amount: '950.00' }))
      .when(treasuryPay({ amount: '50.01' }))
      .thenThrows('receipt-exceeds-allocation', 'amount');
    given(...withA1(), received({ allocationId: 'A1', batchId: BATCH_ID, amount: '950.00' }))
      .when(treasuryPay({ amount: '50.00' }))
      .then(treasuryPaid({ amount: '50.00' }));
  });

  it('refuses a date before the allocation (date-before-allocation)', () => {
    given(...approvedProject(), allocationRecorded({ allocatedOn: '2021-12-15' }))
      .when(treasuryPay({ paidOn: '2021-12-14' }))
      .thenThrows('date-before-allocation', 'paidOn');
  });

  it("holds a municipal allocation's money to its programme's lines (source-line-mismatch)", () => {
    const municipal = allocationRecorded({ allocationId: 'M1', source: 'municipal_subsidy', program: 'parking' });
    given(...approvedProject(), municipal)
      .when(treasuryPay({ allocationId: 'M1', lineId: 'B1-roof' }))
      .thenThrows('source-line-mismatch');
    given(...approvedProject(), municipal)
      .when(treasuryPay({ allocationId: 'M1', lineId: 'I2-parking' }))
      .then(treasuryPaid({ allocationId: 'M1', source: 'municipal_subsidy', lineId: 'I2-parking' }));
  });
});

describe('a treasury payment is checked as a payment', () => {
  it('refuses a project not approved (project-not-approved)', () => {
    given(...budgeted(), allocationRecorded())
      .when(treasuryPay())
      .thenThrows('project-not-approved');
  });

  it('refuses a date before the approval (date-before-approval)', () => {
    given(...withA1())
      .when(treasuryPay({ paidOn: '2021-11-30' }))
      .thenThrows('date-before-approval', 'paidOn');
  });

  it('refuses a line the project does not have (budget-line-not-found)', () => {
    given(...withA1())
      .when(treasuryPay({ lineId: 'Z9' }))
      .thenThrows('budget-line-not-found', 'lineId');
  });

  it("refuses more than the line's estimate leaves (disbursement-exceeds-budget-line)", () => {
    const small = budgetLine({ lineId: 'B9-road', item: 'road', estimatedCost: '100.00', budgetTotal: '7050100.00' });
    given(...budgeted(), small, approved(), allocationRecorded())
      .when(treasuryPay({ lineId: 'B9-road', amount: '100.01' }))
      .thenThrows('disbursement-exceeds-budget-line', 'amount');
  });

  it('refuses while a budget revision awaits approval (reapproval-required)', () => {
    const over = budgetLine({ lineId: 'B9-road', item: 'road', estimatedCost: '2000000.00', reapprovalRequired: true });
    given(...withA1(), over)
      .when(treasuryPay())
      .thenThrows('reapproval-required');
  });

  it('refuses an id already used (entry-id-exists), a future date and an empty payee or voucher', () => {
    given(...withA1(), treasuryPaid())
      .when(treasuryPay())
      .thenThrows('entry-id-exists');
    given(...withA1())
      .when(treasuryPay({ paidOn: '2024-01-03' }))
      .thenThrows('date-in-future', 'paidOn');
    given(...withA1())
      .when(treasuryPay({ payee: '' }))
      .thenThrows('invalid-field', 'payee');
    given(...withA1())
      .when(treasuryPay({ voucher: ' ' }))
      .thenThrows('invalid-field', 'voucher');
  });
});

describe('reversing a treasury payment', () => {
  const reversedTP = (overrides: Parameters<typeof reversed>[0] = {}) =>
    reversed({
      entryId: 'TP1',
      entryKind: 'treasury_payment',
      lineId: 'B1-roof',
      allocationId: 'A1',
      batchId: BATCH_ID,
      ...overrides,
    });

  it('reverses both sides in one entry-reversed event, and the allocation has its money undrawn again', () => {
    given(...withA1(), treasuryPaid())
      .when(reverse({ entryId: 'TP1' }))
      .then(reversedTP());
    const s = fold(projectDecider, [...withA1(), treasuryPaid(), reversedTP()]);
    expect(s.sources.get('district_matching')).toEqual({ pledgedFen: 0n, receivedFen: 0n, disbursedFen: 0n });
    const a = s.allocations.get('A1')!;
    expect([a.receivedFen, a.disbursedFen]).toEqual([0n, 0n]);
  });

  it('may reverse part of it, and undo the reversal while the allocation still has it undrawn', () => {
    given(...withA1(), treasuryPaid())
      .when(reverse({ entryId: 'TP1', amount: '40.00' }))
      .then(reversedTP({ amount: '40.00', full: false }));
    given(...withA1(), treasuryPaid(), reversedTP())
      .when(reverse({ reversalId: 'X2', entryId: 'X1', reason: '冲销有误，予以恢复', reversedOn: '2022-01-05' }))
      .then(
        reversalReversed({
          entryId: 'TP1',
          entryKind: 'treasury_payment',
          lineId: 'B1-roof',
          allocationId: 'A1',
          batchId: BATCH_ID,
        }),
      );
  });

  it('refuses to undo the reversal once the allocation was drawn in the meantime (receipt-exceeds-allocation)', () => {
    given(
      ...withA1(),
      treasuryPaid(),
      reversedTP(),
      received({ receiptId: 'R2', allocationId: 'A1', batchId: BATCH_ID, amount: '1000.00', receivedOn: '2022-01-02' }),
    )
      .when(reverse({ reversalId: 'X2', entryId: 'X1', reversedOn: '2022-01-05' }))
      .thenThrows('receipt-exceeds-allocation', 'amount');
  });
});
