/**
 * Idle money on the batch list counts, besides money received and unpaid, a batch's money issued
 * and not allocated, and an allocation's money allocated and not received (what remains of it
 * undrawn, issue 18: "allocated and never received" as a finance officer reads it), `idleDays`
 * (365) or more at the reference date: RF-14's two other kinds, judged by the same functions
 * (idle-money.ts).
 */
import { FundBatchData, batchDetails, batchList } from '../../../src/reports/fund-batch-reports';
import { undrawnFlows, unallocatedFlows, idleMoney } from '../../../src/reports/idle-money';
import { AllocationFlow, AllocationRecord } from '../../../projections/source-ledger/source-ledger.query';

const allocation = (allocationId: string, allocatedOn: string, allocatedFen: bigint): AllocationRecord => ({
  batchId: 'B1',
  allocationId,
  projectId: `P-${allocationId}`,
  source: 'central_fiscal_subsidy',
  fiscalYear: 2021,
  allocatedOn,
  allocatedFen,
  recordedFen: allocatedFen,
});
const flow = (
  allocationId: string,
  kind: AllocationFlow['kind'],
  onDate: string,
  amountFen: bigint,
): AllocationFlow => ({
  batchId: 'B1',
  allocationId,
  projectId: `P-${allocationId}`,
  flowId: `${kind}-${allocationId}-${onDate}`,
  kind,
  entryId: `${kind}-${allocationId}-${onDate}`,
  rootId: `${kind}-${allocationId}-${onDate}`,
  onDate,
  amountFen,
});

/** 1,000.00 issued 2021-01-01; X (600.00) received and paid; Y (300.00) never received; 100.00 never allocated. */
const data = (flows: AllocationFlow[] = []): FundBatchData => ({
  batches: [
    {
      batchId: 'B1',
      source: 'central_fiscal_subsidy',
      program: null,
      docNo: '渝财建〔2021〕1号',
      fiscalYear: 2021,
      amountFen: 100_000n,
      issuedOn: '2021-01-01',
    },
  ],
  allocations: [allocation('X', '2021-01-10', 60_000n), allocation('Y', '2021-01-10', 30_000n)],
  flows: [flow('X', 'receipt', '2021-02-01', 60_000n), flow('X', 'payment', '2021-03-01', 60_000n), ...flows],
  projectNames: new Map(),
});

describe('idle money on the batch list: unallocated, and allocated never received', () => {
  it('an allocation with nothing received is idle from 365 days after it was allocated, not the day before', () => {
    const before = batchDetails(data(), '2022-01-09', 365)[0];
    expect(before.allocations.map((a) => [a.allocationId, a.idleNotReceived, a.idle])).toEqual([
      ['X', '0.00', false],
      ['Y', '0.00', false],
    ]);
    const [batch] = batchDetails(data(), '2022-01-10', 365);
    expect(batch.allocations.map((a) => [a.allocationId, a.idleNotReceived, a.idleAmount, a.idle])).toEqual([
      ['X', '0.00', '0.00', false],
      ['Y', '300.00', '300.00', true],
    ]);
    expect(batch).toMatchObject({ idleNotReceived: '300.00', idleReceived: '0.00' });
  });

  it('a batch’s money never allocated is idle 365 days after its issue; the batch’s idle amount sums the kinds', () => {
    expect(batchDetails(data(), '2021-12-31', 365)[0]).toMatchObject({ idle: false, idleUnallocated: '0.00' });
    const [batch] = batchDetails(data(), '2022-01-10', 365);
    expect(batch).toMatchObject({
      idle: true,
      idleUnallocated: '100.00',
      idleNotReceived: '300.00',
      idleReceived: '0.00',
      idleAmount: '400.00',
    });
    expect(batchList([batch]).totals).toMatchObject({
      idleAmount: '400.00',
      idleUnallocated: '100.00',
      idleNotReceived: '300.00',
      idleBatches: 1,
    });
  });

  it('a partly drawn allocation counts its remainder; a fully drawn one nothing; a receipt after the reference date not yet', () => {
    const drawn = data([flow('Y', 'receipt', '2021-12-01', 10_000n)]);
    const [batch] = batchDetails(drawn, '2022-01-10', 365);
    expect(batch.allocations.map((a) => [a.allocationId, a.undrawn, a.idleNotReceived, a.idle])).toEqual([
      ['X', '0.00', '0.00', false],
      ['Y', '200.00', '200.00', true],
    ]);
    expect(batch).toMatchObject({ idleNotReceived: '200.00', idleAmount: '300.00' });
    const full = data([flow('Y', 'receipt', '2021-12-01', 30_000n)]);
    expect(batchDetails(full, '2022-01-10', 365)[0].allocations[1]).toMatchObject({
      idleNotReceived: '0.00',
      idle: false,
    });
    const later = data([flow('Y', 'receipt', '2022-02-01', 10_000n)]);
    expect(batchDetails(later, '2022-01-10', 365)[0].allocations[1].idleNotReceived).toBe('300.00');
  });

  it('a receipt sent back leaves its part of the allocation undrawn again, aged from the allocation', () => {
    const back = data([
      flow('Y', 'receipt', '2021-12-01', 30_000n),
      { ...flow('Y', 'receipt-reversal', '2022-01-05', 5_000n), entryId: 'receipt-Y-2021-12-01' },
    ]);
    expect(batchDetails(back, '2022-01-04', 365)[0].allocations[1].idleNotReceived).toBe('0.00');
    expect(batchDetails(back, '2022-01-10', 365)[0].allocations[1].idleNotReceived).toBe('50.00');
  });

  it('a treasury direct payment on the allocation counts as received', () => {
    const treasury = data([flow('Y', 'treasury-payment', '2021-06-01', 30_000n)]);
    expect(batchDetails(treasury, '2022-06-01', 365)[0].allocations[1]).toMatchObject({
      idleNotReceived: '0.00',
      idle: false,
    });
  });
});

describe('the shared definitions (the red flags use them too)', () => {
  it('unallocated money ages first in first out: an allocation spends the oldest issued money, a reversal counts as never allocated', () => {
    const flows = unallocatedFlows({ batchId: 'B1', issuedOn: '2021-01-01', amountFen: 1000n }, [
      { kind: 'allocated', allocationId: 'X', onDate: '2021-03-01', amountFen: 600n },
      { kind: 'allocation-reversed', allocationId: 'X', onDate: '2021-04-01', amountFen: 200n },
    ]);
    expect(idleMoney(flows, '2022-01-01', 365)).toMatchObject({ unpaidFen: 600n, idleFen: 600n });
    expect(idleMoney(flows, '2021-12-31', 365)).toMatchObject({ unpaidFen: 600n, idleFen: 0n });
  });

  it('allocated and not received ages first in first out: receipts draw the oldest allocated money, a reversed allocation the newest', () => {
    const flows = undrawnFlows(
      [
        { kind: 'allocated', allocationId: 'Y', onDate: '2021-01-10', amountFen: 300n },
        { kind: 'allocated', allocationId: 'Y', onDate: '2021-06-10', amountFen: 200n },
        { kind: 'allocation-reversed', allocationId: 'Y', onDate: '2021-07-01', amountFen: 50n },
      ],
      [
        { kind: 'receipt', flowId: 'R1', entryId: 'R1', onDate: '2021-03-01', amountFen: 100n },
        { kind: 'treasury-payment', flowId: 'TP1', entryId: 'TP1', onDate: '2021-04-01', amountFen: 50n },
        { kind: 'receipt-reversal', flowId: 'X1', entryId: 'R1', onDate: '2021-05-01', amountFen: 40n },
      ],
    );
    // Undrawn: 300 − (100 − 40) − 50 = 190 of the first allocation, 200 − 50 = 150 of the second.
    expect(idleMoney(flows, '2022-01-10', 365)).toMatchObject({ unpaidFen: 340n, idleFen: 190n });
    expect(idleMoney(flows, '2022-06-10', 365)).toMatchObject({ unpaidFen: 340n, idleFen: 340n });
    expect(idleMoney(flows, '2022-01-09', 365)).toMatchObject({ idleFen: 0n });
  });
});
