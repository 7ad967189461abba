/** The figures every source-ledger report shows, summed in fen and formatted once, at the end. */
import { Tier, fundingSource } from '../project/funding-sources';
import { Fen, formatFen } from '../shared/money/money';
import { LedgerFen } from '../../projections/source-ledger/source-ledger.query';
import { daysBetween } from './idle-money';

/**
 * The finance bureau's headline figures of an indicator (下达指标), in percent with two decimals
 * (null when the divisor is zero): how much of it was allocated, arrived and was paid. The batch
 * list and the source-ledger reports compute them here, once.
 */
export interface IndicatorRates {
  /** 分配率: allocated ÷ issued (the batches' amount); null where nothing was issued or the row is a project's. */
  allocationRate: string | null;
  /** 资金到位率: received ÷ planned. */
  fundingRate: string | null;
  /** 支付率 (支出进度): disbursed ÷ issued, read beside 序时进度. */
  paymentRate: string | null;
}

/**
 * `issuedFen`: the indicator issued (a batch's amount; for a project, what was allocated to it);
 * `allocatedFen`: what of it was allocated to projects, null where that means nothing (a project);
 * `plannedFen`: what was to arrive.
 */
export function indicatorRates(f: {
  issuedFen: Fen;
  allocatedFen: Fen | null;
  plannedFen: Fen;
  receivedFen: Fen;
  disbursedFen: Fen;
}): IndicatorRates {
  return {
    allocationRate: f.allocatedFen === null ? null : progressOf(f.allocatedFen, f.issuedFen),
    fundingRate: progressOf(f.receivedFen, f.plannedFen),
    paymentRate: progressOf(f.disbursedFen, f.issuedFen),
  };
}

/**
 * 序时进度: the share of `fiscalYear` elapsed at `referenceDate`, the reference day counted, in
 * percent with two decimals: 0.00 before the year, 100.00 from its last day on.
 */
export function timeProgress(fiscalYear: number, referenceDate: string): string {
  const first = `${fiscalYear}-01-01`;
  const days = daysBetween(first, `${fiscalYear + 1}-01-01`);
  const elapsed = Math.min(days, Math.max(0, daysBetween(first, referenceDate) + 1));
  return progressOf(BigInt(elapsed), BigInt(days))!;
}

export interface LedgerFigures extends IndicatorRates {
  pledged: string;
  /** From fund batches (指标分配), in the batch's fiscal year. */
  allocated: string;
  received: string;
  disbursed: string;
  /** received − disbursed */
  available: string;
  /**
   * 计划数, the divisor of 资金到位率: per row (source, year, project) the larger of pledged (认缴)
   * and allocated (下达), since both may describe the same money (district matching is pledged
   * and allocated; RF-15 reads it so); a subtotal sums its rows'.
   */
  planned: string;
  /** 到位资金支付率: disbursed ÷ received in percent, two decimals (half up); null when nothing was received. */
  progress: string | null;
  /** Received from a batch source without naming an allocation. */
  unallocated: string;
}

/**
 * A subtotal's figures, with the money issued (下达) by the fund batches of its sources: its three
 * rates are that money's, as the batch list computes them for the same batches (indicatorRates on
 * one base): 分配率 = allocated ÷ issued, 资金到位率 = issuedReceived ÷ allocated, 支付率 =
 * issuedDisbursed ÷ issued; all null where no batch issued money (residents', pipeline units',
 * social money). received and disbursed stay every receipt and payment of the sources.
 */
export interface SummaryFigures extends LedgerFigures {
  /** 下达金额: the batches' amount. */
  issued: string;
  /** Received on the batches' allocations (net of reversals): the money issued that arrived. */
  issuedReceived: string;
  /** Paid on the batches' allocations (net of reversals): the money issued that was paid. */
  issuedDisbursed: string;
}

/** The money issued to a subtotal's sources: the batches' amount, and what arrived and was paid on their allocations. */
export interface IssuedFen {
  issuedFen: Fen;
  receivedFen: Fen;
  disbursedFen: Fen;
}

/** A row's figures in fen, with its plan (LedgerFigures.planned). */
export interface FiguresFen extends LedgerFen {
  plannedFen: Fen;
}

export const ZERO_LEDGER: Readonly<FiguresFen> = {
  pledgedFen: 0n,
  allocatedFen: 0n,
  receivedFen: 0n,
  disbursedFen: 0n,
  unallocatedFen: 0n,
  plannedFen: 0n,
};

/** A source-ledger row's figures with its plan. */
export function withPlanned<R extends LedgerFen>(row: R): R & FiguresFen {
  return { ...row, plannedFen: row.pledgedFen > row.allocatedFen ? row.pledgedFen : row.allocatedFen };
}

export function addLedger(a: FiguresFen, b: FiguresFen): FiguresFen {
  return {
    pledgedFen: a.pledgedFen + b.pledgedFen,
    allocatedFen: a.allocatedFen + b.allocatedFen,
    receivedFen: a.receivedFen + b.receivedFen,
    disbursedFen: a.disbursedFen + b.disbursedFen,
    unallocatedFen: a.unallocatedFen + b.unallocatedFen,
    plannedFen: a.plannedFen + b.plannedFen,
  };
}

export function sumLedger(parts: Iterable<FiguresFen>): FiguresFen {
  let total: FiguresFen = ZERO_LEDGER;
  for (const p of parts) total = addLedger(total, p);
  return total;
}

/** A project's figures (a row, a cell): its indicator issued is what was allocated to it. */
export function ledgerFigures(f: FiguresFen): LedgerFigures {
  return figures(f, { ...f, issuedFen: f.allocatedFen, allocatedFen: null });
}

/**
 * A subtotal's figures over whole sources; its rates those of the money its batches issued
 * (`issued`), the batch list's own for the same batches: the plan of what should arrive is what
 * they allocated.
 */
export function summaryFigures(f: FiguresFen, issued: IssuedFen): SummaryFigures {
  return {
    ...figures(f, {
      issuedFen: issued.issuedFen,
      allocatedFen: f.allocatedFen,
      plannedFen: f.allocatedFen,
      receivedFen: issued.receivedFen,
      disbursedFen: issued.disbursedFen,
    }),
    issued: formatFen(issued.issuedFen),
    issuedReceived: formatFen(issued.receivedFen),
    issuedDisbursed: formatFen(issued.disbursedFen),
  };
}

function figures(f: FiguresFen, rates: Parameters<typeof indicatorRates>[0]): LedgerFigures {
  return {
    pledged: formatFen(f.pledgedFen),
    allocated: formatFen(f.allocatedFen),
    received: formatFen(f.receivedFen),
    disbursed: formatFen(f.disbursedFen),
    available: formatFen(f.receivedFen - f.disbursedFen),
    planned: formatFen(f.plannedFen),
    progress: progressOf(f.disbursedFen, f.receivedFen),
    unallocated: formatFen(f.unallocatedFen),
    ...indicatorRates(rates),
  };
}

/** `part` ÷ `whole` in percent with two decimals, rounded half away from zero; null for a whole ≤ 0. */
export function progressOf(partFen: Fen, wholeFen: Fen): string | null {
  if (wholeFen <= 0n) return null;
  const negative = partFen < 0n;
  const abs = negative ? -partFen : partFen;
  const hundredths = (abs * 20_000n + wholeFen) / (2n * wholeFen);
  return formatFen(negative ? -hundredths : hundredths);
}

/**
 * The tiers as the bureau names them (domain.md §8): only 中央 / 市级 / 区级 money is a 层级;
 * residents', pipeline units' and social money is a 资金类别 (the reports' headers say 层级/资金类别).
 */
export const TIER_LABELS_ZH: Readonly<Record<Tier, string>> = {
  resident: '居民出资',
  utility: '管线单位',
  social: '社会力量',
  central: '中央补助',
  municipal: '市级补助',
  district: '区级财政',
  debt: '债务性资金',
};

/** A source's code with its Chinese label and tier (an unknown code keeps itself as label). */
export function sourceLabels(source: string): {
  source: string;
  labelZh: string;
  tier: Tier;
  tierZh: string;
  inKind: boolean;
} {
  const spec = fundingSource(source);
  const tier = spec?.tier ?? 'district';
  return {
    source,
    labelZh: spec?.labelZh ?? source,
    tier,
    tierZh: TIER_LABELS_ZH[tier],
    inKind: spec?.inKind ?? false,
  };
}
