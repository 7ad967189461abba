import Database from 'better-sqlite3';
import type { LedgerRecord } from '../../src/events/ledger-events';
import {
  ByKind,
  FUNDING_SOURCES,
  MovedFen,
  TIERS,
  Tier,
  byKindOf,
  fundingSource,
} from '../../src/project/funding-sources';
import { Fen, formatFen, splitLargestRemainder } from '../../src/shared/money/money';
import { takes } from '../../src/shared/projection/projection-definition';
import { fundingMixProjection } from './funding-mix.projection';

export interface MixFigures {
  pledged: string;
  received: string;
  disbursed: string;
  /** received − disbursed */
  available: string;
  /** percent of everything received for the project (cash and in kind at its valuation) */
  share: string;
}
export interface FundingMix {
  projectId: string;
  /**
   * inKind: what the source itself is (resident_in_kind); byKind: what was received of it, in cash
   * and in kind, entry by entry (a social donation may be either, a valued one is in kind).
   */
  sources: (MixFigures & { source: string; tier: Tier; labelZh: string; inKind: boolean; byKind: ByKind })[];
  tiers: (MixFigures & { tier: Tier })[];
  totals: MixFigures;
  /** The totals' received and disbursed split into cash and in kind (isInKind), entry by entry. */
  byKind: ByKind;
}

interface Row {
  source: string;
  pledged_fen: bigint;
  received_fen: bigint;
  disbursed_fen: bigint;
  /** Of received and disbursed, the part in kind (none when absent). */
  received_in_kind_fen?: bigint;
  disbursed_in_kind_fen?: bigint;
}

/** Hundredths of a percent: shares are split over 100.00% = 10000 units, largest remainder. */
const WHOLE_SHARE = 10_000n;
const SOURCE_ORDER = new Map(FUNDING_SOURCES.map((s, i) => [s.code, i]));

/** Received per project (every source), by the funding-mix read model. */
export function readReceivedByProject(db: Database.Database): Map<string, Fen> {
  const rows = db
    .prepare('SELECT project_id, SUM(received_fen) AS received FROM funding_mix GROUP BY project_id')
    .all() as { project_id: string; received: bigint }[];
  return new Map(rows.map((r) => [r.project_id, BigInt(r.received)]));
}

export function readFundingMix(db: Database.Database, projectId: string): FundingMix {
  const rows = db
    .prepare(
      `SELECT source, pledged_fen, received_fen, disbursed_fen, received_in_kind_fen, disbursed_in_kind_fen
       FROM funding_mix WHERE project_id = ?`,
    )
    .all(projectId) as Row[];
  return mixOf(projectId, rows);
}

/**
 * The mix from raw figures. Shares are split by largest remainder over the sources' receipts,
 * so they sum to exactly "100.00" (or are all "0.00" when nothing was received); a tier's share is
 * the sum of its sources' shares, so tiers sum to "100.00" too.
 */
export function mixOf(projectId: string, rows: Row[]): FundingMix {
  const sorted = rows.slice().sort((a, b) => (SOURCE_ORDER.get(a.source) ?? 99) - (SOURCE_ORDER.get(b.source) ?? 99));
  const totalReceived = sorted.reduce((t, r) => t + r.received_fen, 0n);
  const shares =
    totalReceived > 0n
      ? splitLargestRemainder(
          WHOLE_SHARE,
          sorted.map((r) => r.received_fen.toString()),
        )
      : sorted.map(() => 0n);
  const sources = sorted.map((r, i) => {
    const spec = fundingSource(r.source);
    return {
      source: r.source,
      tier: spec?.tier ?? ('district' as Tier),
      labelZh: spec?.labelZh ?? r.source,
      inKind: spec?.inKind ?? false,
      ...figures(r.pledged_fen, r.received_fen, r.disbursed_fen, shares[i]),
      byKind: kindsOf(r.received_fen, r.disbursed_fen, {
        receivedFen: r.received_in_kind_fen ?? 0n,
        disbursedFen: r.disbursed_in_kind_fen ?? 0n,
      }),
    };
  });
  const tiers = TIERS.flatMap((tier) => {
    const idx = sorted.map((r, i) => i).filter((i) => sources[i].tier === tier);
    if (idx.length === 0) return [];
    const sum = (f: (r: Row) => Fen) => idx.reduce((t, i) => t + f(sorted[i]), 0n);
    return [
      {
        tier,
        ...figures(
          sum((r) => r.pledged_fen),
          sum((r) => r.received_fen),
          sum((r) => r.disbursed_fen),
          idx.reduce((t, i) => t + shares[i], 0n),
        ),
      },
    ];
  });
  const total = (f: (r: Row) => Fen) => sorted.reduce((t, r) => t + f(r), 0n);
  const totalShare = shares.reduce((a, b) => a + b, 0n);
  const inKind = {
    receivedFen: total((r) => r.received_in_kind_fen ?? 0n),
    disbursedFen: total((r) => r.disbursed_in_kind_fen ?? 0n),
  };
  const totalDisbursed = total((r) => r.disbursed_fen);
  return {
    projectId,
    sources,
    tiers,
    totals: figures(
      total((r) => r.pledged_fen),
      totalReceived,
      totalDisbursed,
      totalShare,
    ),
    byKind: kindsOf(totalReceived, totalDisbursed, inKind),
  };
}

/** Received and disbursed split into cash (what is not in kind) and in kind. */
function kindsOf(received: Fen, disbursed: Fen, inKind: MovedFen): ByKind {
  return byKindOf(
    { receivedFen: received - inKind.receivedFen, disbursedFen: disbursed - inKind.disbursedFen },
    inKind,
  );
}

function figures(pledged: Fen, received: Fen, disbursed: Fen, shareUnits: bigint): MixFigures {
  return {
    pledged: formatFen(pledged),
    received: formatFen(received),
    disbursed: formatFen(disbursed),
    available: formatFen(received - disbursed),
    share: formatFen(shareUnits),
  };
}

/**
 * The mix of one project from its own events (time travel: the caller has already cut the
 * history at `asOf` / `knownAt`). It runs the very projection the live read model runs, on an
 * in-memory database, so the past and the present are computed by one definition.
 */
export function fundingMixFromEvents(projectId: string, events: readonly LedgerRecord[]): FundingMix {
  const db = new Database(':memory:');
  try {
    db.defaultSafeIntegers(true);
    db.exec(fundingMixProjection.schema);
    for (const e of events) if (takes(fundingMixProjection, e)) fundingMixProjection.apply(db, e);
    return readFundingMix(db, projectId);
  } finally {
    db.close();
  }
}
