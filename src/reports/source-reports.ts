/**
 * The finance bureau's two reconciliation reports over the source ledger (domain.md §6, report 1):
 * per source (rows source × project, subtotals per source and tier, a grand total, conservation
 * checks) and per project (资金来源到位表: one row per project, its sources side by side).
 */
import type Database from 'better-sqlite3';
import { ByKind, FUNDING_SOURCES, MovedFen, TIERS, Tier, byKindOf } from '../project/funding-sources';
import { Fen, formatFen, sumFen } from '../shared/money/money';
import {
  AllocationRecord,
  FundBatchRecord,
  LedgerFen,
  SourceLedgerRow,
  readAllocations,
  readFundBatches,
  readEntryTotals,
  readKindTotals,
  readIssuedBySource,
  readIssuedFlowSums,
  readReceivedByProject as readLedgerReceivedByProject,
  readSourceLedger,
  readSourceSums,
} from '../../projections/source-ledger/source-ledger.query';
import { readReceivedByProject as readMixReceivedByProject } from '../../projections/funding-mix/funding-mix.query';
import { readOverpaidAccounts, readPlanTotals, readShareTotals } from '../../projections/cost-shares/cost-shares.query';
import { readProjectList } from '../../projections/project-list/project-list.projection';
import { flowMoney } from './fund-batch-reports';
import {
  FiguresFen,
  IssuedFen,
  LedgerFigures,
  SummaryFigures,
  TIER_LABELS_ZH,
  ZERO_LEDGER,
  addLedger,
  ledgerFigures,
  sourceLabels,
  sumLedger,
  summaryFigures,
  timeProgress,
  withPlanned,
} from './ledger-figures';

/** What both reports are built from, read in one go from one database (live or replayed). */
export interface SourceLedgerData {
  fiscalYear: number | null;
  rows: SourceLedgerRow[];
  projects: Map<string, { name: string; town: string }>;
  entryTotals: { pledgedFen: Fen; receivedFen: Fen; disbursedFen: Fen };
  /** Received and disbursed of the entries in cash and of those in kind (isInKind). */
  kindTotals: { cash: MovedFen; inKind: MovedFen };
  allocations: AllocationRecord[];
  /** The fund batches of the fiscal year (or all): the indicators issued, 分配率's and 支付率's divisor. */
  batches: FundBatchRecord[];
  /** The flows on their allocations summed per source and kind: what of the money issued arrived and was paid. */
  issuedFlows: IssuedFlowSum[];
  /** Per project, received over every fiscal year: by the source ledger, and by the funding mix. */
  receivedAllYears: Map<string, Fen>;
  fundingMixReceived: Map<string, Fen>;
  /** The residents' plans (every fiscal year: a plan has none), by the cost-shares read model. */
  plans: ReturnType<typeof readPlanTotals>;
  overpaid: ReturnType<typeof readOverpaidAccounts>;
  shareTotals: ReturnType<typeof readShareTotals>;
}

export function readSourceLedgerData(db: Database.Database, fiscalYear: number | null): SourceLedgerData {
  const fy = fiscalYear ?? undefined;
  return {
    fiscalYear,
    rows: readSourceLedger(db, fy),
    projects: new Map(readProjectList(db).map((p) => [p.projectId, { name: p.name, town: p.town }])),
    entryTotals: readEntryTotals(db, fy),
    kindTotals: readKindTotals(db, fy),
    allocations: readAllocations(db, { fiscalYear: fy }),
    batches: readFundBatches(db, { fiscalYear: fy }),
    issuedFlows: readIssuedFlowSums(db, fy),
    receivedAllYears: readLedgerReceivedByProject(db),
    fundingMixReceived: readMixReceivedByProject(db),
    plans: readPlanTotals(db),
    overpaid: readOverpaidAccounts(db),
    shareTotals: readShareTotals(db),
  };
}

/**
 * What the totals view (sourceTotals) is built from: each source's rows summed and the amount its
 * batches issued, as the source ledger keeps them (a few rows per source, whatever the district).
 */
export interface SourceSumsData {
  fiscalYear: number | null;
  sums: SourceSum[];
  issued: IssuedAmount[];
  issuedFlows: IssuedFlowSum[];
}

export function readSourceSumsData(db: Database.Database, fiscalYear: number | null): SourceSumsData {
  const fy = fiscalYear ?? undefined;
  return {
    fiscalYear,
    sums: readSourceSums(db, fy).map(({ source, projects, ...figures }) => ({ source, projects, figures })),
    issued: readIssuedBySource(db, fy),
    issuedFlows: readIssuedFlowSums(db, fy),
  };
}

export interface SourceRowView extends LedgerFigures {
  source: string;
  labelZh: string;
  tier: Tier;
  tierZh: string;
  inKind: boolean;
  fiscalYear: number;
  /** 序时进度 of the row's fiscal year at the report's reference date (null without one). */
  timeProgress: string | null;
  projectId: string;
  projectName: string | null;
}

export interface Check {
  name: string;
  holds: boolean;
  /** The figures compared, each a CNY string. */
  figures: Record<string, string>;
  /** Where it does not hold: the projects or allocations that differ. */
  differences?: Record<string, string>[];
  /**
   * 差额, a CNY string: how far the figures are out, "0.00" when the check holds. The sum of the
   * items' differences in absolute value (so two that cancel still show), or for a three-way sum
   * the largest figure less the smallest.
   */
  difference: string;
}

const absFen = (fen: Fen): Fen => (fen < 0n ? -fen : fen);
const outBy = (pairs: Iterable<readonly [Fen, Fen]>): string =>
  formatFen(sumFen([...pairs].map(([a, b]) => absFen(a - b))));

/** When the report's 支付率 is read: the reference date, and 序时进度 of the year asked for at it. */
export interface ReportDate {
  /** `asOf`, else today; null when the report was built without one. */
  referenceDate: string | null;
  /** 序时进度: the share of `fiscalYear` elapsed at the reference date; null for all years. */
  timeProgress: string | null;
}

export interface SourcesReport extends ReportDate {
  fiscalYear: number | null;
  rows: SourceRowView[];
  sources: (SummaryFigures & {
    source: string;
    labelZh: string;
    tier: Tier;
    tierZh: string;
    inKind: boolean;
    projects: number;
  })[];
  tiers: (SummaryFigures & { tier: Tier; tierZh: string })[];
  totals: SummaryFigures;
  /** The totals without the sources in kind (resident_in_kind: valued, never cash: domain.md §1). */
  cashTotals: SummaryFigures;
  /** The totals' received and disbursed split into 现金 and 实物/投工投劳, entry by entry (isInKind). */
  byKind: ByKind;
  checks: Check[];
}

const SOURCE_ORDER = new Map(FUNDING_SOURCES.map((s, i) => [s.code, i]));
const bySourceOrder = (a: string, b: string) =>
  (SOURCE_ORDER.get(a) ?? 99) - (SOURCE_ORDER.get(b) ?? 99) || (a < b ? -1 : a > b ? 1 : 0);

/** Both reports' reference date and 序时进度 (without a date, as a projection spec builds them: none). */
function reportDate(fiscalYear: number | null, referenceDate: string | undefined): ReportDate {
  return {
    referenceDate: referenceDate ?? null,
    timeProgress: referenceDate === undefined || fiscalYear === null ? null : timeProgress(fiscalYear, referenceDate),
  };
}

/** An amount issued by fund batches of a source: a batch's, or the sum of a source's. */
type IssuedAmount = Pick<FundBatchRecord, 'source' | 'amountFen'>;

/** The flows on the batches' allocations of a source, of one kind, summed (readIssuedFlowSums). */
type IssuedFlowSum = ReturnType<typeof readIssuedFlowSums>[number];

/**
 * The money issued to the sources `take` selects: the batches' amount (下达金额), and what arrived
 * and was paid on their allocations, signed as the batch list signs each flow (flowMoney): the
 * subtotals' 分配率, 资金到位率 and 支付率 are then the batch list's for the same batches.
 */
function issuedMoney(
  batches: readonly IssuedAmount[],
  flows: readonly IssuedFlowSum[],
): (take: (source: string) => boolean) => IssuedFen {
  return (take) => ({
    issuedFen: sumFen(batches.filter((b) => take(b.source)).map((b) => b.amountFen)),
    ...flowMoney(flows.filter((f) => take(f.source))),
  });
}

/** A source's rows summed: its figures in fen and the number of projects with a row of it. */
export interface SourceSum {
  source: string;
  figures: FiguresFen;
  projects: number;
}

export type SourceSubtotals = Pick<SourcesReport, 'sources' | 'tiers' | 'totals' | 'cashTotals'>;

/**
 * The subtotals per source and per tier, the totals and the cash totals, from each source's sum
 * and the batches' amount issued: the full report sums its rows into these, the totals view
 * (sourceTotals) reads the sums the source ledger keeps, and both build the figures here, so they
 * are one figure.
 */
export function sourceSubtotals(
  sums: readonly SourceSum[],
  batches: readonly IssuedAmount[],
  flows: readonly IssuedFlowSum[],
): SourceSubtotals {
  const issued = issuedMoney(batches, flows);
  const ordered = [...sums].sort((a, b) => bySourceOrder(a.source, b.source));
  const tierOf = (source: string) => sourceLabels(source).tier;
  const tiers = TIERS.filter((t) => ordered.some((s) => tierOf(s.source) === t));
  return {
    sources: ordered.map(({ source, figures, projects }) => ({
      ...sourceLabels(source),
      projects,
      ...summaryFigures(
        figures,
        issued((s) => s === source),
      ),
    })),
    tiers: tiers.map((tier) => ({
      tier,
      tierZh: TIER_LABELS_ZH[tier],
      ...summaryFigures(
        sumLedger(ordered.filter((s) => tierOf(s.source) === tier).map((s) => s.figures)),
        issued((s) => tierOf(s) === tier),
      ),
    })),
    totals: summaryFigures(
      sumLedger(ordered.map((s) => s.figures)),
      issued(() => true),
    ),
    cashTotals: summaryFigures(
      sumLedger(ordered.filter((s) => !sourceLabels(s.source).inKind).map((s) => s.figures)),
      issued((s) => !sourceLabels(s).inKind),
    ),
  };
}

/**
 * The sources report's subtotals and totals without its rows, checks and byKind (GET
 * /api/reports/sources?view=totals): what the overview shows, from the sums SQL made, never
 * building the rows. Its figures are the full report's (sourceSubtotals makes both).
 */
export type SourceTotals = ReportDate & SourceSubtotals & { fiscalYear: number | null };

export function sourceTotals(data: SourceSumsData, referenceDate?: string): SourceTotals {
  return {
    fiscalYear: data.fiscalYear,
    ...reportDate(data.fiscalYear, referenceDate),
    ...sourceSubtotals(data.sums, data.issued, data.issuedFlows),
  };
}

export function sourcesReport(data: SourceLedgerData, referenceDate?: string): SourcesReport {
  const rows = data.rows
    .map(withPlanned)
    .sort(
      (a, b) =>
        bySourceOrder(a.source, b.source) || a.fiscalYear - b.fiscalYear || compareText(a.projectId, b.projectId),
    );
  const bySource = groupSum(rows, (r) => r.source);
  const projectsOf = new Map<string, Set<string>>();
  for (const r of rows) projectsOf.set(r.source, (projectsOf.get(r.source) ?? new Set()).add(r.projectId));
  return {
    fiscalYear: data.fiscalYear,
    ...reportDate(data.fiscalYear, referenceDate),
    rows: rows.map((r) => ({
      ...sourceLabels(r.source),
      fiscalYear: r.fiscalYear,
      timeProgress: referenceDate === undefined ? null : timeProgress(r.fiscalYear, referenceDate),
      projectId: r.projectId,
      projectName: data.projects.get(r.projectId)?.name ?? null,
      ...ledgerFigures(r),
    })),
    ...sourceSubtotals(
      [...bySource].map(([source, figures]) => ({ source, figures, projects: projectsOf.get(source)!.size })),
      data.batches,
      data.issuedFlows,
    ),
    byKind: byKindOf(data.kindTotals.cash, data.kindTotals.inKind),
    checks: conservationChecks(
      data,
      bySource,
      groupSum(rows, (r) => r.projectId),
    ),
  };
}

/**
 * What must add up (each check names the figures it compares):
 * - for pledged, allocated, received and disbursed: the sum of the per-source subtotals, the sum
 *   of the per-project subtotals, and the total computed apart (from the entries themselves, and
 *   for allocations from the batches' allocations) are one figure;
 * - every project's receipts, over all fiscal years, are what the funding-mix read model holds;
 * - what the batches allocated is what the projects recorded (a difference is an allocation that
 *   awaits its project's record: the batch writes first, the project second);
 * - the residents' plans (domain.md §4, R-CS5 and R-CS7; RF-18): every plan's household shares sum
 *   to its amount, and no household paid into a plan (all channels, net of reversals) more than
 *   its share. The ledger refuses both when deciding; these hold the read model to it, and flag a
 *   history written before the rules. A difference names the project and the plan, never a
 *   household (this report is not personal data).
 */
function conservationChecks(
  data: SourceLedgerData,
  bySource: Map<string, FiguresFen>,
  byProject: Map<string, FiguresFen>,
): Check[] {
  const sourceSum = sumLedger(bySource.values());
  const projectSum = sumLedger(byProject.values());
  const allocatedFen = sumFen(data.allocations.map((a) => a.allocatedFen));
  const total: Record<'pledged' | 'allocated' | 'received' | 'disbursed', Fen> = {
    pledged: data.entryTotals.pledgedFen,
    allocated: allocatedFen,
    received: data.entryTotals.receivedFen,
    disbursed: data.entryTotals.disbursedFen,
  };
  const sums = (['pledged', 'allocated', 'received', 'disbursed'] as const).map((figure) => {
    const key = `${figure}Fen` as const;
    return threeWay(`${figure}-adds-up`, sourceSum[key], projectSum[key], total[figure]);
  });
  return [
    ...sums,
    fundingMixCheck(data),
    allocationRecordCheck(data.allocations),
    planSharesCheck(data.plans),
    sharePaymentsCheck(data),
  ];
}

function planSharesCheck(plans: SourceLedgerData['plans']): Check {
  const differences = plans
    .filter((p) => p.sharesFen !== p.amountFen)
    .map((p) => ({
      projectId: p.projectId,
      planId: p.planId,
      amount: formatFen(p.amountFen),
      shares: formatFen(p.sharesFen),
    }));
  return {
    name: 'plan-shares-sum-to-amount',
    holds: differences.length === 0,
    figures: {
      amounts: formatFen(sumFen(plans.map((p) => p.amountFen))),
      shares: formatFen(sumFen(plans.map((p) => p.sharesFen))),
    },
    ...(differences.length > 0 ? { differences } : {}),
    difference: outBy(plans.map((p) => [p.amountFen, p.sharesFen] as const)),
  };
}

function sharePaymentsCheck(data: SourceLedgerData): Check {
  const byPlan = new Map<string, { projectId: string; planId: string; households: number; beyondFen: Fen }>();
  for (const a of data.overpaid) {
    const key = `${a.projectId}\u0000${a.planId}`;
    const plan = byPlan.get(key) ?? { projectId: a.projectId, planId: a.planId, households: 0, beyondFen: 0n };
    plan.households += 1;
    plan.beyondFen += a.paidFen - a.shareFen;
    byPlan.set(key, plan);
  }
  const differences = [...byPlan.values()].map((p) => ({
    projectId: p.projectId,
    planId: p.planId,
    households: String(p.households),
    beyond: formatFen(p.beyondFen),
  }));
  return {
    name: 'no-household-paid-beyond-share',
    holds: differences.length === 0,
    figures: { shares: formatFen(data.shareTotals.shareFen), paid: formatFen(data.shareTotals.paidFen) },
    ...(differences.length > 0 ? { differences } : {}),
    difference: formatFen(sumFen([...byPlan.values()].map((p) => p.beyondFen))),
  };
}

const maxFen = (...values: Fen[]): Fen => values.reduce((a, b) => (b > a ? b : a));
const minFen = (...values: Fen[]): Fen => values.reduce((a, b) => (b < a ? b : a));

function threeWay(name: string, bySource: Fen, byProject: Fen, total: Fen): Check {
  return {
    name,
    holds: bySource === byProject && byProject === total,
    figures: { bySource: formatFen(bySource), byProject: formatFen(byProject), total: formatFen(total) },
    difference: formatFen(maxFen(bySource, byProject, total) - minFen(bySource, byProject, total)),
  };
}

function fundingMixCheck(data: SourceLedgerData): Check {
  const ids = [...new Set([...data.receivedAllYears.keys(), ...data.fundingMixReceived.keys()])].sort(compareText);
  const differences = ids
    .map((projectId) => ({
      projectId,
      sourceLedger: data.receivedAllYears.get(projectId) ?? 0n,
      fundingMix: data.fundingMixReceived.get(projectId) ?? 0n,
    }))
    .filter((d) => d.sourceLedger !== d.fundingMix)
    .map((d) => ({
      projectId: d.projectId,
      sourceLedger: formatFen(d.sourceLedger),
      fundingMix: formatFen(d.fundingMix),
    }));
  const sum = (m: Map<string, Fen>) => formatFen(sumFen(m.values()));
  return {
    name: 'received-matches-funding-mix',
    holds: differences.length === 0,
    figures: { sourceLedger: sum(data.receivedAllYears), fundingMix: sum(data.fundingMixReceived) },
    ...(differences.length > 0 ? { differences } : {}),
    difference: outBy(
      ids.map((id) => [data.receivedAllYears.get(id) ?? 0n, data.fundingMixReceived.get(id) ?? 0n] as const),
    ),
  };
}

function allocationRecordCheck(allocations: readonly AllocationRecord[]): Check {
  const batches = sumFen(allocations.map((a) => a.allocatedFen));
  const projects = sumFen(allocations.map((a) => a.recordedFen));
  const differences = allocations
    .filter((a) => a.allocatedFen !== a.recordedFen)
    .map((a) => ({
      batchId: a.batchId,
      allocationId: a.allocationId,
      projectId: a.projectId,
      batch: formatFen(a.allocatedFen),
      project: formatFen(a.recordedFen),
    }));
  return {
    name: 'allocations-recorded-in-projects',
    holds: differences.length === 0,
    figures: { batches: formatFen(batches), projects: formatFen(projects) },
    ...(differences.length > 0 ? { differences } : {}),
    difference: outBy(allocations.map((a) => [a.allocatedFen, a.recordedFen] as const)),
  };
}

export interface ProjectsReport extends ReportDate {
  fiscalYear: number | null;
  /** The sources with any figure, in the taxonomy's order: the matrix's column groups. */
  sources: { source: string; labelZh: string; tier: Tier; tierZh: string }[];
  rows: {
    projectId: string;
    projectName: string | null;
    town: string | null;
    sources: Record<string, LedgerFigures>;
    totals: LedgerFigures;
  }[];
  /** Per source and overall, against the batches' amount issued (the rows: a project's own indicator). */
  totals: { sources: Record<string, SummaryFigures>; totals: SummaryFigures };
  /** The totals' received and disbursed split into 现金 and 实物/投工投劳 (as the sources report's). */
  byKind: ByKind;
}

/**
 * 资金来源到位表: its sources side by side, column totals; a row per project registered (or holding
 * money), or for one fiscal year, per project with any figure in that year.
 */
export function projectsReport(data: SourceLedgerData, referenceDate?: string): ProjectsReport {
  const issued = issuedMoney(data.batches, data.issuedFlows);
  const ledgerRows = data.rows.map(withPlanned);
  const codes = [...new Set(ledgerRows.map((r) => r.source))].sort(bySourceOrder);
  const withFigures = ledgerRows.map((r) => r.projectId);
  const ids = [...new Set(data.fiscalYear === null ? [...data.projects.keys(), ...withFigures] : withFigures)].sort(
    compareText,
  );
  const cells = new Map<string, FiguresFen>();
  for (const r of ledgerRows)
    cells.set(
      `${r.projectId}\u0000${r.source}`,
      addLedger(cells.get(`${r.projectId}\u0000${r.source}`) ?? ZERO_LEDGER, r),
    );
  const cell = (projectId: string, source: string) => cells.get(`${projectId}\u0000${source}`) ?? ZERO_LEDGER;
  const bySource = groupSum(ledgerRows, (r) => r.source);
  return {
    fiscalYear: data.fiscalYear,
    ...reportDate(data.fiscalYear, referenceDate),
    sources: codes.map((s) => {
      const { source, labelZh, tier, tierZh } = sourceLabels(s);
      return { source, labelZh, tier, tierZh };
    }),
    rows: ids.map((projectId) => ({
      projectId,
      projectName: data.projects.get(projectId)?.name ?? null,
      town: data.projects.get(projectId)?.town ?? null,
      sources: Object.fromEntries(codes.map((s) => [s, ledgerFigures(cell(projectId, s))])),
      totals: ledgerFigures(sumLedger(codes.map((s) => cell(projectId, s)))),
    })),
    totals: {
      sources: Object.fromEntries(
        codes.map((s) => [
          s,
          summaryFigures(
            bySource.get(s) ?? ZERO_LEDGER,
            issued((x) => x === s),
          ),
        ]),
      ),
      totals: summaryFigures(
        sumLedger(ledgerRows),
        issued(() => true),
      ),
    },
    byKind: byKindOf(data.kindTotals.cash, data.kindTotals.inKind),
  };
}

function groupSum<K, R extends SourceLedgerRow & FiguresFen>(rows: readonly R[], key: (r: R) => K): Map<K, FiguresFen> {
  const out = new Map<K, FiguresFen>();
  for (const r of rows) out.set(key(r), addLedger(out.get(key(r)) ?? ZERO_LEDGER, r));
  return out;
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
