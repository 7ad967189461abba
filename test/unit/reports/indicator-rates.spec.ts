/**
 * The finance bureau's figures of an indicator on the batch list: 分配率 (allocated ÷ issued),
 * 资金到位率 (received ÷ allocated), 支付率 (paid ÷ issued) beside 序时进度 (the share of the batch's
 * year elapsed at the reference date, the reference day counted).
 */
import { batchList } from '../../../src/reports/fund-batch-reports';
import { sourceSubtotals } from '../../../src/reports/source-reports';
import {
  IndicatorRates,
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

/** A listed batch with these figures and no idle money (the totals read no other field). */
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

describe("the batch list's totals", () => {
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

  it('a subtotal sums its rows’ plans (never the larger of the sums); its rates are the money issued’s', () => {
    const total = sumLedger([row(10_000n, 0n, 0n, 0n), row(0n, 30_000n, 30_000n, 10_000n)]);
    expect(summaryFigures(total, { issuedFen: 40_000n, receivedFen: 30_000n, disbursedFen: 10_000n })).toMatchObject({
      issued: '400.00',
      planned: '400.00',
      allocationRate: '75.00',
      fundingRate: '100.00', // received on the allocations ÷ allocated, as the batch list reads it
      paymentRate: '25.00',
    });
  });
});

/**
 * Issue 19 (overview, 资金来源与拨付): a rate reads one base. 分配率, 资金到位率 and 支付率 of a
 * subtotal are the money issued's: allocated ÷ issued, received on the batches' allocations ÷
 * allocated, paid on them ÷ issued, the batch list's figures for the same batches. Residents',
 * pipeline units' and social money, and what a batch source received or paid naming no
 * allocation, are in received and disbursed but in none of the rates; a tier with no batch has none.
 */
describe('the sources report’s subtotals: the rates of the money issued', () => {
  const sum = (
    source: string,
    f: Partial<Record<'pledgedFen' | 'allocatedFen' | 'receivedFen' | 'disbursedFen', bigint>>,
  ) => ({
    source,
    projects: 1,
    figures: withPlanned({
      pledgedFen: 0n,
      allocatedFen: 0n,
      receivedFen: 0n,
      disbursedFen: 0n,
      unallocatedFen: 0n,
      ...f,
    }),
  });
  // Central: 1,000.00 issued, 800.00 allocated; 600.00 arrived on the allocation (100.00 of it
  // reversed back), 500.00 paid on it; 300.00 more arrived and was paid naming no allocation.
  const sums = [
    sum('resident_direct', { pledgedFen: 50_000n, receivedFen: 900_000n, disbursedFen: 900_000n }),
    sum('pipeline_unit', { pledgedFen: 100_000n, receivedFen: 100_000n, disbursedFen: 100_000n }),
    sum('central_fiscal_subsidy', {
      pledgedFen: 80_000n,
      allocatedFen: 80_000n,
      receivedFen: 80_000n,
      disbursedFen: 80_000n,
    }),
  ];
  const batches = [{ source: 'central_fiscal_subsidy', amountFen: 100_000n }];
  const flows = [
    { source: 'central_fiscal_subsidy', kind: 'receipt' as const, amountFen: 60_000n },
    { source: 'central_fiscal_subsidy', kind: 'receipt-reversal' as const, amountFen: 10_000n },
    { source: 'central_fiscal_subsidy', kind: 'payment' as const, amountFen: 50_000n },
  ];
  const subtotals = sourceSubtotals(sums, batches, flows);
  // The same batch on the batch list: 500.00 arrived and was paid on its allocation.
  const listed = batchList([batch('1000.00', '800.00', '500.00', '500.00')]).totals;

  it('the totals read as the batch list’s totals, whatever else was received and paid', () => {
    expect(subtotals.totals).toMatchObject({
      issued: '1000.00',
      received: '10800.00',
      disbursed: '10800.00',
      issuedReceived: '500.00',
      issuedDisbursed: '500.00',
      allocationRate: '80.00',
      fundingRate: '62.50',
      paymentRate: '50.00',
    });
    expect(pick(subtotals.totals)).toEqual(pick(listed));
    const central = subtotals.tiers.find((t) => t.tier === 'central')!;
    expect(pick(central)).toEqual(pick(listed));
  });

  it('sources and tiers with no batch issued show no rate', () => {
    for (const t of subtotals.tiers.filter((x) => x.tier !== 'central'))
      expect([t.tier, pick(t)]).toEqual([t.tier, { allocationRate: null, fundingRate: null, paymentRate: null }]);
    for (const s of subtotals.sources.filter((x) => x.source !== 'central_fiscal_subsidy'))
      expect([s.source, pick(s)]).toEqual([s.source, { allocationRate: null, fundingRate: null, paymentRate: null }]);
  });
});

const pick = ({ allocationRate, fundingRate, paymentRate }: IndicatorRates) => ({
  allocationRate,
  fundingRate,
  paymentRate,
});
