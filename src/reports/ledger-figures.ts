/** The figures every source-ledger report shows, summed in fen and formatted once, at the end. */
import { Tier, fundingSource } from '../project/funding-sources';
import { Fen, formatFen } from '../shared/money/money';
import { LedgerFen } from '../../projections/source-ledger/source-ledger.query';

export interface LedgerFigures {
  pledged: string;
  /** From fund batches (指标分配), in the batch's fiscal year. */
  allocated: string;
  received: string;
  disbursed: string;
  /** received − disbursed */
  available: string;
  /** 支出进度: disbursed ÷ received in percent, two decimals (half up); null when nothing was received. */
  progress: string | null;
  /** Received from a batch source without naming an allocation. */
  unallocated: string;
}

export const ZERO_LEDGER: Readonly<LedgerFen> = {
  pledgedFen: 0n,
  allocatedFen: 0n,
  receivedFen: 0n,
  disbursedFen: 0n,
  unallocatedFen: 0n,
};

export function addLedger(a: LedgerFen, b: LedgerFen): LedgerFen {
  return {
    pledgedFen: a.pledgedFen + b.pledgedFen,
    allocatedFen: a.allocatedFen + b.allocatedFen,
    receivedFen: a.receivedFen + b.receivedFen,
    disbursedFen: a.disbursedFen + b.disbursedFen,
    unallocatedFen: a.unallocatedFen + b.unallocatedFen,
  };
}

export function sumLedger(parts: Iterable<LedgerFen>): LedgerFen {
  let total: LedgerFen = ZERO_LEDGER;
  for (const p of parts) total = addLedger(total, p);
  return total;
}

export function ledgerFigures(f: LedgerFen): LedgerFigures {
  return {
    pledged: formatFen(f.pledgedFen),
    allocated: formatFen(f.allocatedFen),
    received: formatFen(f.receivedFen),
    disbursed: formatFen(f.disbursedFen),
    available: formatFen(f.receivedFen - f.disbursedFen),
    progress: progressOf(f.disbursedFen, f.receivedFen),
    unallocated: formatFen(f.unallocatedFen),
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

export const TIER_LABELS_ZH: Readonly<Record<Tier, string>> = {
  resident: '居民',
  utility: '管线单位',
  social: '社会力量',
  central: '中央',
  municipal: '市级',
  district: '区级',
  debt: '债务融资',
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
