import { fold } from '../../../src/shared/domain/decider';
import { projectDecider } from '../../../src/project/project.decider';
import { ProjectEvent } from '../../../src/project/project.events';
import {
  BATCH_ID,
  allocationRecorded,
  allocationReleased,
  approvedProject,
  budgeted,
  disburse,
  disbursed,
  given,
  receive,
  received,
  recordAllocation,
  registered,
  releaseAllocation,
  reverse,
  reversed,
} from '../../support/project-fixtures';

const OTHER_BATCH = 'TNCZ2021-30';
/** A receipt on allocation A1, as the decider writes it. */
const receivedOnA1 = (overrides: Parameters<typeof received>[0] = {}) =>
  received({ allocationId: 'A1', batchId: BATCH_ID, ...overrides });
const paidOnA1 = (overrides: Parameters<typeof disbursed>[0] = {}) =>
  disbursed({ allocationId: 'A1', batchId: BATCH_ID, ...overrides });
/** An approved project holding A1 (1,000.00 of district matching money). */
const withA1 = (): ProjectEvent[] => [...approvedProject(), allocationRecorded()];

describe('recording an allocation on the project', () => {
  // The project's copy of a fund-batch allocation (allocation-recorded.v1), written after the
  // batch's funds-allocated.v1: receipts that name the allocation are checked against it.
  it('records the allocation with its batch, source, document and amount', () => {
    given(registered())
      .when(recordAllocation({ amount: '1000' }))
      .then(allocationRecorded({ amount: '1000.00' }));
  });

  it('carries the programme of a municipal batch', () => {
    given(registered())
      .when(recordAllocation({ source: 'municipal_subsidy', program: 'parking' }))
      .then(allocationRecorded({ source: 'municipal_subsidy', program: 'parking' }));
  });

  it('is refused on a project never registered (project-not-found)', () => {
    given().when(recordAllocation()).thenThrows('project-not-found');
  });

  it('checks what the batch sends', () => {
    given(registered())
      .when(recordAllocation({ batchId: '' }))
      .thenThrows('invalid-id', 'batchId');
    given(registered())
      .when(recordAllocation({ allocationId: 'A/1' }))
      .thenThrows('invalid-id', 'allocationId');
    given(registered())
      .when(recordAllocation({ amount: '0.00' }))
      .thenThrows('invalid-amount', 'amount');
    given(registered())
      .when(recordAllocation({ source: 'lottery' }))
      .thenThrows('unknown-source', 'source');
    given(registered())
      .when(recordAllocation({ docNo: '' }))
      .thenThrows('invalid-field', 'docNo');
    given(registered())
      .when(recordAllocation({ fiscalYear: 2101 }))
      .thenThrows('invalid-fiscal-year', 'fiscalYear');
    given(registered())
      .when(recordAllocation({ allocatedOn: '2021-06-31' }))
      .thenThrows('invalid-date', 'allocatedOn');
  });
});

describe('allocation-id-exists (project)', () => {
  // An allocation id names one allocation on the project: receipts name it alone, so a second
  // batch (or the same batch again) cannot record another allocation under it.
  it('refuses an allocation id another batch already recorded on the project (409)', () => {
    given(registered(), allocationRecorded({ batchId: OTHER_BATCH }))
      .when(recordAllocation())
      .thenThrows('allocation-id-exists', 'allocationId');
  });

  it('refuses the same batch recording it twice', () => {
    given(registered(), allocationRecorded())
      .when(recordAllocation())
      .thenThrows('allocation-id-exists', 'allocationId');
  });

  it('refuses it also when the allocation was given back in full', () => {
    given(registered(), allocationRecorded(), allocationReleased())
      .when(recordAllocation())
      .thenThrows('allocation-id-exists');
  });
});

describe('receipts on an allocation', () => {
  // A receipt that names an allocation draws on it: never more than remains of it (amount −
  // released − received, net of reversals), and the receipt records the allocation and its batch.
  it('records the allocation and its batch on the receipt', () => {
    given(...withA1())
      .when(receive({ allocationId: 'A1', amount: '400.00' }))
      .then(receivedOnA1({ amount: '400.00' }));
  });

  it('receives exactly what remains of the allocation', () => {
    given(...withA1(), receivedOnA1({ receiptId: 'R1', amount: '400.00' }))
      .when(receive({ receiptId: 'R2', allocationId: 'A1', amount: '600.00' }))
      .then(receivedOnA1({ receiptId: 'R2', amount: '600.00' }));
  });

  it('refuses one fen more than remains (receipt-exceeds-allocation, field amount)', () => {
    given(...withA1(), receivedOnA1({ receiptId: 'R1', amount: '400.00' }))
      .when(receive({ receiptId: 'R2', allocationId: 'A1', amount: '600.01' }))
      .thenThrows('receipt-exceeds-allocation', 'amount');
  });

  it('counts what was given back of the allocation', () => {
    const history = [...withA1(), allocationReleased({ amount: '300.00', full: false })];
    given(...history)
      .when(receive({ allocationId: 'A1', amount: '700.01' }))
      .thenThrows('receipt-exceeds-allocation');
    given(...history)
      .when(receive({ allocationId: 'A1', amount: '700.00' }))
      .then(receivedOnA1({ amount: '700.00' }));
  });

  it('counts receipts net of their reversals', () => {
    const history = [
      ...withA1(),
      receivedOnA1({ receiptId: 'R1', amount: '1000.00' }),
      reversed({
        reversalId: 'X1',
        entryId: 'R1',
        allocationId: 'A1',
        batchId: BATCH_ID,
        amount: '250.00',
        full: false,
        reversedOn: '2021-12-10', // the day of R2 below: what it frees counts from then on
      }),
    ];
    given(...history)
      .when(receive({ receiptId: 'R2', allocationId: 'A1', amount: '250.01' }))
      .thenThrows('receipt-exceeds-allocation');
    given(...history)
      .when(receive({ receiptId: 'R2', allocationId: 'A1', amount: '250.00' }))
      .then(receivedOnA1({ receiptId: 'R2', amount: '250.00' }));
  });

  it('does not count receipts of the same source that name no allocation', () => {
    given(...withA1(), received({ receiptId: 'R0', amount: '5000.00' }))
      .when(receive({ receiptId: 'R1', allocationId: 'A1', amount: '1000.00' }))
      .then(receivedOnA1({ receiptId: 'R1', amount: '1000.00' }));
  });
});

describe('allocation-not-found', () => {
  // A receipt or payment names an allocation this project holds; a receipt never draws on one
  // given back in full; a release names the allocation and its batch.
  it('refuses a receipt naming an allocation the project does not hold (field allocationId)', () => {
    given(...withA1())
      .when(receive({ allocationId: 'A9' }))
      .thenThrows('allocation-not-found', 'allocationId');
  });

  it('refuses a receipt on an allocation given back in full', () => {
    given(...withA1(), allocationReleased())
      .when(receive({ allocationId: 'A1', amount: '0.01' }))
      .thenThrows('allocation-not-found', 'allocationId');
  });

  it('refuses a payment naming an allocation the project does not hold', () => {
    given(...withA1(), receivedOnA1())
      .when(disburse({ allocationId: 'A9' }))
      .thenThrows('allocation-not-found', 'allocationId');
  });

  it('refuses a release of an allocation the project does not hold', () => {
    given(...withA1())
      .when(releaseAllocation({ allocationId: 'A9' }))
      .thenThrows('allocation-not-found', 'allocationId');
  });

  it("refuses a release naming another batch than the allocation's", () => {
    given(...withA1())
      .when(releaseAllocation({ batchId: OTHER_BATCH }))
      .thenThrows('allocation-not-found', 'allocationId');
  });
});

describe('allocation-source-mismatch', () => {
  // An allocation is money of its batch's source: an entry of another source cannot name it.
  it('refuses a receipt of another source (field source)', () => {
    given(...withA1())
      .when(receive({ allocationId: 'A1', source: 'special_bond' }))
      .thenThrows('allocation-source-mismatch', 'source');
  });

  it('refuses a payment of another source', () => {
    given(...withA1(), receivedOnA1(), received({ receiptId: 'R2', source: 'special_bond' }))
      .when(disburse({ allocationId: 'A1', source: 'special_bond' }))
      .thenThrows('allocation-source-mismatch', 'source');
  });
});

describe('allocation-program-mismatch', () => {
  // A municipal batch comes from one programme: a receipt on its allocation names that programme.
  const municipal = allocationRecorded({ source: 'municipal_subsidy', program: 'parking' });
  const onMunicipal = { allocationId: 'A1', source: 'municipal_subsidy', lineId: 'I2-parking' };

  it('refuses a receipt naming another programme (field program)', () => {
    given(...budgeted(), municipal)
      .when(receive({ ...onMunicipal, details: { program: 'urban_renewal' } }))
      .thenThrows('allocation-program-mismatch', 'program');
  });

  it("takes a receipt of the allocation's programme", () => {
    given(...budgeted(), municipal)
      .when(receive({ ...onMunicipal, details: { program: 'parking' } }))
      .then(received({ ...onMunicipal, batchId: BATCH_ID, details: { program: 'parking' } }));
  });
});

describe('disbursement-exceeds-allocation', () => {
  // A payment that names an allocation spends it: never more than was received on it and not yet
  // paid from it, whatever else the source has received.
  const history = () => [
    ...withA1(),
    receivedOnA1({ receiptId: 'R1', amount: '600.00' }),
    received({ receiptId: 'R2', amount: '900.00' }),
  ];

  it('refuses paying one fen more than was received on the allocation (field amount)', () => {
    given(...history())
      .when(disburse({ allocationId: 'A1', amount: '600.01' }))
      .thenThrows('disbursement-exceeds-allocation', 'amount');
  });

  it('pays exactly what was received on it, and records the allocation and its batch', () => {
    given(...history())
      .when(disburse({ allocationId: 'A1', amount: '600.00' }))
      .then(paidOnA1({ amount: '600.00' }));
  });

  it('counts earlier payments from the allocation, net of their reversals', () => {
    const paid = [...history(), paidOnA1({ paymentId: 'PAY1', amount: '500.00' })];
    given(...paid)
      .when(disburse({ paymentId: 'PAY2', allocationId: 'A1', amount: '100.01' }))
      .thenThrows('disbursement-exceeds-allocation');
    const reversedPart = [
      ...paid,
      reversed({
        reversalId: 'X1',
        entryId: 'PAY1',
        entryKind: 'payment',
        lineId: 'B1-roof',
        allocationId: 'A1',
        batchId: BATCH_ID,
        amount: '200.00',
        full: false,
        reversedOn: '2021-12-20', // the day of PAY2 below: what it frees counts from then on
      }),
    ];
    given(...reversedPart)
      .when(disburse({ paymentId: 'PAY2', allocationId: 'A1', amount: '300.01' }))
      .thenThrows('disbursement-exceeds-allocation');
    given(...reversedPart)
      .when(disburse({ paymentId: 'PAY2', allocationId: 'A1', amount: '300.00' }))
      .then(paidOnA1({ paymentId: 'PAY2', amount: '300.00' }));
  });

  it('still checks the source as a whole first (disbursement-exceeds-receipts)', () => {
    given(...withA1(), receivedOnA1({ amount: '600.00' }), disbursed({ paymentId: 'PAY0', amount: '500.00' }))
      .when(disburse({ allocationId: 'A1', amount: '100.01' }))
      .thenThrows('disbursement-exceeds-receipts');
  });
});

describe('releasing an allocation', () => {
  // Part or all of an allocation given back (allocation-released.v1), before the batch's
  // allocation-reversed.v1: never what receipts have already drawn on it.
  it('gives back all that remains when no amount is given (full)', () => {
    given(...withA1())
      .when(releaseAllocation())
      .then(allocationReleased({ amount: '1000.00', full: true }));
  });

  it('gives back part (not full), and then the rest (full)', () => {
    given(...withA1())
      .when(releaseAllocation({ amount: '300.00' }))
      .then(allocationReleased({ amount: '300.00', full: false }));
    given(...withA1(), allocationReleased({ amount: '300.00', full: false }))
      .when(releaseAllocation({ reversalId: 'AR2', amount: '700.00' }))
      .then(allocationReleased({ reversalId: 'AR2', amount: '700.00', full: true }));
  });

  it('is refused on a project never registered (project-not-found)', () => {
    given().when(releaseAllocation()).thenThrows('project-not-found');
  });

  it('checks its id, reason, date and amount', () => {
    given(...withA1())
      .when(releaseAllocation({ reversalId: '' }))
      .thenThrows('invalid-id', 'reversalId');
    given(...withA1())
      .when(releaseAllocation({ reason: ' ' }))
      .thenThrows('invalid-field', 'reason');
    given(...withA1())
      .when(releaseAllocation({ releasedOn: '2021-08-32' }))
      .thenThrows('invalid-date', 'releasedOn');
    given(...withA1())
      .when(releaseAllocation({ amount: '-5.00' }))
      .thenThrows('invalid-amount', 'amount');
  });

  it('refuses one fen more than remains (reversal-exceeds-entry)', () => {
    given(...withA1(), allocationReleased({ amount: '300.00', full: false }))
      .when(releaseAllocation({ reversalId: 'AR2', amount: '700.01' }))
      .thenThrows('reversal-exceeds-entry', 'amount');
  });

  it('refuses a release of an allocation given back in full (nothing-to-reverse)', () => {
    given(...withA1(), allocationReleased())
      .when(releaseAllocation({ reversalId: 'AR2' }))
      .thenThrows('nothing-to-reverse');
  });

  it('refuses a reversal id the allocation has used already (entry-id-exists, 409)', () => {
    given(...withA1(), allocationReleased({ amount: '1.00', full: false }))
      .when(releaseAllocation({ amount: '1.00' }))
      .thenThrows('entry-id-exists');
  });

  it('takes the same reversal id on another allocation of the batch as its own release', () => {
    // Reversal ids are the batch's, one per allocation: the batch takes the same id on two of its
    // allocations, so the project must too, or the flow would stop between the two streams.
    given(
      ...withA1(),
      allocationRecorded({ allocationId: 'A2', amount: '50.00' }),
      allocationReleased({ reversalId: 'AR1', allocationId: 'A1' }),
    )
      .when(releaseAllocation({ reversalId: 'AR1', allocationId: 'A2' }))
      .then(allocationReleased({ reversalId: 'AR1', allocationId: 'A2', amount: '50.00', full: true }));
  });
});

describe('allocation-drawn', () => {
  // A release never gives back what receipts drew on the allocation: reverse those receipts first.
  const drawn = () => [...withA1(), receivedOnA1({ receiptId: 'R1', amount: '400.00' })];

  it('refuses giving back one fen more than receipts left undrawn (field amount)', () => {
    given(...drawn())
      .when(releaseAllocation({ amount: '600.01' }))
      .thenThrows('allocation-drawn', 'amount');
  });

  it('refuses a full release (no amount) while receipts drew on the allocation', () => {
    given(...drawn())
      .when(releaseAllocation())
      .thenThrows('allocation-drawn', 'amount');
  });

  it('gives back exactly what is undrawn', () => {
    given(...drawn())
      .when(releaseAllocation({ amount: '600.00' }))
      .then(allocationReleased({ amount: '600.00', full: false }));
  });

  it('gives back what a reversed receipt had drawn', () => {
    given(
      ...drawn(),
      reversed({
        reversalId: 'X1',
        entryId: 'R1',
        allocationId: 'A1',
        batchId: BATCH_ID,
        amount: '400.00',
        full: true,
      }),
    )
      // On or after the day the receipt was reversed: before it, R1 still drew on A1.
      .when(releaseAllocation({ releasedOn: '2021-12-31' }))
      .then(allocationReleased({ amount: '1000.00', full: true, releasedOn: '2021-12-31' }));
  });
});

describe('reversing entries on an allocation', () => {
  // A reversal of a receipt or payment on an allocation names it and its batch, and the receipt's
  // reversal never leaves the allocation with more paid than received.
  it('carries the allocation and batch of a receipt it reverses', () => {
    given(...withA1(), receivedOnA1({ amount: '400.00' }))
      .when(reverse({ entryId: 'R1', amount: '100.00' }))
      .then(reversed({ entryId: 'R1', allocationId: 'A1', batchId: BATCH_ID, amount: '100.00', full: false }));
  });

  it('carries the allocation and batch of a payment it reverses', () => {
    given(...withA1(), receivedOnA1(), paidOnA1())
      .when(reverse({ entryId: 'PAY1' }))
      .then(
        reversed({
          entryId: 'PAY1',
          entryKind: 'payment',
          lineId: 'B1-roof',
          allocationId: 'A1',
          batchId: BATCH_ID,
          amount: '100.00',
          full: true,
        }),
      );
  });

  it('refuses reversing a receipt on the allocation below what was paid from it (reversal-exceeds-available)', () => {
    // The source as a whole has 900.00 more, so only the allocation's own rule can refuse this.
    const history = [
      ...withA1(),
      receivedOnA1({ receiptId: 'R1', amount: '600.00' }),
      received({ receiptId: 'R2', amount: '900.00' }),
      paidOnA1({ paymentId: 'PAY1', amount: '500.00' }),
    ];
    given(...history)
      .when(reverse({ entryId: 'R1', amount: '100.01' }))
      .thenThrows('reversal-exceeds-available', 'amount');
    given(...history)
      .when(reverse({ entryId: 'R1', amount: '100.00' }))
      .then(reversed({ entryId: 'R1', allocationId: 'A1', batchId: BATCH_ID, amount: '100.00', full: false }));
  });
});

describe('evolve: allocations', () => {
  // The project's copy of each allocation keeps what was given back, received on it and paid from
  // it, net of reversals; an entry that names no allocation changes none.
  it('keeps each allocation net of releases and reversals', () => {
    const state = fold(projectDecider, [
      ...withA1(),
      allocationRecorded({
        allocationId: 'A2',
        batchId: OTHER_BATCH,
        source: 'municipal_subsidy',
        program: 'parking',
        amount: '50.00',
      }),
      receivedOnA1({ receiptId: 'R1', amount: '600.00' }),
      received({ receiptId: 'R2', amount: '900.00' }),
      paidOnA1({ paymentId: 'PAY1', amount: '500.00' }),
      disbursed({ paymentId: 'PAY2', amount: '50.00' }),
      reversed({
        reversalId: 'X1',
        entryId: 'R1',
        allocationId: 'A1',
        batchId: BATCH_ID,
        amount: '50.00',
        full: false,
      }),
      reversed({
        reversalId: 'X2',
        entryId: 'PAY1',
        entryKind: 'payment',
        lineId: 'B1-roof',
        allocationId: 'A1',
        batchId: BATCH_ID,
        amount: '20.00',
        full: false,
      }),
      allocationReleased({ reversalId: 'AR1', amount: '100.00', full: false }),
    ]);
    expect(state.allocations.get('A1')).toEqual({
      allocationId: 'A1',
      batchId: BATCH_ID,
      source: 'district_matching',
      program: undefined,
      docNo: allocationRecorded().data.docNo,
      fiscalYear: 2021,
      amountFen: 1000_00n,
      releasedFen: 100_00n,
      receivedFen: 550_00n,
      disbursedFen: 480_00n,
      allocatedOn: '2021-06-10',
    });
    expect(state.allocations.get('A2')).toMatchObject({
      batchId: OTHER_BATCH,
      program: 'parking',
      amountFen: 50_00n,
      receivedFen: 0n,
      disbursedFen: 0n,
    });
    expect(state.entries.get('R1')).toMatchObject({ allocationId: 'A1', reversedFen: 50_00n });
    expect(state.entries.get('R2')?.allocationId).toBeUndefined();
    expect(state.sources.get('district_matching')).toEqual({
      pledgedFen: 0n,
      receivedFen: 1450_00n,
      disbursedFen: 530_00n,
    });
  });
});
