/**
 * The finance bureau's figures of an indicator on the batch list: 分配率 (allocated ÷ issued),
 * 资金到位率 (received ÷ allocated), 支付率 (paid ÷ issued) beside 序时进度 (the share of the batch's
 * year elapsed at the reference date, the reference day counted).
 */
import { batchList } from '../../../src/reports/fund-batch-reports';
import {
  ledgerFigures,
  sumLedger,
  summaryFigures,
  timeProgress,
  withPlanned,
} from '../../../src/reports/ledger-figures';

describe('序时进度 (timeProgress)', () => {
  it('counts the reference day: 1 January is 1 day of the year, 31 December all of it', () => {
    expect(timeProgress(2023, '2023-01-01')).toBe('0.27'); // 1 / 365
    expect(timeProgress(2023, '2023-07-02')).toBe('50.14'); // 183 / 365
    expect(timeProgress(2023, '2023-12-31')).toBe('100.00');
  });

  it('counts a leap year by its 366 days', () => {
    expect(timeProgress(2024, '2024-07-01')).toBe('50.00'); // 183 / 366
  });

  it('is 0.00 before the year and 100.00 after it', () => {
    expect(timeProgress(2023, '2022-12-31')).toBe('0.00');
    expect(timeProgress(2021, '2023-06-30')).toBe('100.00');
  });
});

describe("the batch list's totals", () => {
  const batch = (amount: string, allocated: string, received: string, disbursed: string) =>
    ({
      amount,
      allocated,
      unallocated: '0.00',
      received,
      disbursed,
      available: '0.00',
      idleAmount: '0.00',
      idleReceived: '0.00',
      idleNotReceived: '0.00',
      idleUnallocated: '0.00',
      idle: false,
    }) as never;

  it('are rates of the summed figures, never an average of the batches’ rates', () => {
    const { totals } = batchList([
      batch('100.00', '100.00', '100.00', '100.00'),
      batch('300.00', '0.00', '0.00', '0.00'),
    ]);
    expect(totals).toMatchObject({ allocationRate: '25.00', fundingRate: '100.00', paymentRate: '25.00' });
  });

  it('are null where nothing was issued or allocated', () => {
    const { totals } = batchList([]);
    expect(totals).toMatchObject({ allocationRate: null, fundingRate: null, paymentRate: null });
  });
});

/**
 * The same figures on the source-ledger reports (one computation, ledger-figures.ts): a project's
 * row reads 支付率 against the indicator allocated to it and has no 分配率; a subtotal over whole
 * sources reads 分配率 and 支付率 against the batches' amount issued; 资金到位率 is received ÷
 * planned, planned being per row the larger of pledged and allocated.
 */
describe('the source-ledger reports’ rates', () => {
  const row = (pledgedFen: bigint, allocatedFen: bigint, receivedFen: bigint, disbursedFen: bigint) =>
    withPlanned({ pledgedFen, allocatedFen, receivedFen, disbursedFen, unallocatedFen: 0n });

  it('a project’s row: planned is the larger of pledged and allocated; 支付率 against what was allocated to it', () => {
    expect(ledgerFigures(row(20_000n, 15_000n, 12_000n, 5_000n))).toMatchObject({
      planned: '200.00',
      fundingRate: '60.00',
      paymentRate: '33.33',
      allocationRate: null,
      progress: '41.67',
    });
  });

  it('money with no indicator (residents’ own) has no 支付率; nothing planned, no 资金到位率', () => {
    expect(ledgerFigures(row(0n, 0n, 1_000n, 0n))).toMatchObject({
      paymentRate: null,
      fundingRate: null,
      allocationRate: null,
    });
  });

  it('a subtotal sums its rows’ plans (never the larger of the sums) and reads against the amount issued', () => {
    const total = sumLedger([row(10_000n, 0n, 0n, 0n), row(0n, 30_000n, 30_000n, 10_000n)]);
    expect(summaryFigures(total, 40_000n)).toMatchObject({
      issued: '400.00',
      planned: '400.00',
      allocationRate: '75.00',
      fundingRate: '75.00',
      paymentRate: '25.00',
    });
  });
});
