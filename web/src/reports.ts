import type { BoundsUsed } from '../../src/audit/time-bounds';
import type { RedFlagTotalsView } from '../../src/red-flags/red-flag-report';
import type { BatchTotalsReport } from '../../src/reports/fund-batch-reports';
import type { IdleByProject } from '../../src/reports/idle-by-project';
import type { SourceTotals } from '../../src/reports/source-reports';
import type { TargetsTotals } from '../../src/reports/targets-report';
import type { TownsReport } from '../../src/reports/towns-report';
import { LiveChange } from './live';
import { queuedGet } from './past-reads';

/**
 * The district's reports as the API answers them (docs/api.md, Reports), the fields the overview
 * and the project list read: money as decimal strings, rates as percent strings or null.
 */
export interface Bounds {
  asOf: string | null;
  knownAt: string | null;
  position: string;
}

export interface TargetProject {
  projectId: string;
  name: string;
  town: string;
  community: string;
  on: string;
  counted: boolean;
  note: string | null;
}

export interface TargetPeriod {
  periodId: string;
  metric: 'started' | 'completed';
  title: { zh: string };
  reading: { zh: string };
  status: 'not_started' | 'in_progress' | 'closed';
  countedThrough: string | null;
  target: { communities: number | null; areaWanM2: string | null; words: string };
  actual: { communities: number; areaM2: string; areaWanM2: string; households: number };
  progress: { communities: string | null; area: string | null };
  register: { communities: number; areaWanM2: string; households: number } | null;
  projects: TargetProject[];
}

export interface TargetsReport {
  referenceDate: string;
  source: { document: string; clause: string };
  periods: TargetPeriod[];
  bounds: Bounds;
}

/** The money figures of a row, subtotal or total of the sources report. */
export interface MoneyFigures {
  pledged: string;
  allocated: string;
  received: string;
  disbursed: string;
  available: string;
  planned: string;
  progress: string | null;
  allocationRate: string | null;
  fundingRate: string | null;
  paymentRate: string | null;
  issued?: string;
}

export interface SourceRow extends MoneyFigures {
  source: string;
  labelZh: string;
  tier: string;
  tierZh: string;
  fiscalYear: number;
  projectId: string;
  projectName: string;
}

export interface SourceSubtotal extends MoneyFigures {
  source: string;
  labelZh: string;
  tier: string;
  tierZh: string;
  inKind: boolean;
  projects: number;
  issued: string;
}

export interface TierSubtotal extends MoneyFigures {
  tier: string;
  tierZh: string;
  issued: string;
}

export interface SourcesReport {
  fiscalYear: number | null;
  referenceDate: string;
  timeProgress: string | null;
  rows: SourceRow[];
  sources: SourceSubtotal[];
  tiers: TierSubtotal[];
  totals: MoneyFigures & { issued: string };
  bounds: Bounds;
}

export type Severity = 'high' | 'medium' | 'low';

export interface RedFlag {
  flagId: string;
  code: string;
  severity: Severity;
  projectId: string | null;
  town: string | null;
  subject: string;
  open: boolean;
}

export interface FlagCounts {
  open: number;
  cleared: number;
  total: number;
}

export interface RedFlags {
  referenceDate: string;
  flags: RedFlag[];
  totals: FlagCounts & { bySeverity: Record<Severity, FlagCounts> };
  bounds: Bounds;
}

export interface ProjectListItem {
  projectId: string;
  name: string;
  community: string;
  town: string;
  status: string;
  approvedInvestment: string | null;
  budgetTotal: string;
  pledged: string;
  received: string;
  disbursed: string;
}

export const SEVERITIES: Severity[] = ['high', 'medium', 'low'];
export const SEVERITY_LABELS: Record<Severity, string> = { high: '高', medium: '中', low: '低' };

export const PROJECT_STATUS_LABELS: Record<string, string> = {
  registered: '已登记',
  approved: '已批复',
  reapproval_required: '待重新批复',
};

/** Idle money's kinds that have projects behind them, and each one's figure per project (GET /api/reports/idle-money). */
export const IDLE_KINDS = {
  received: { label: '到位未支出', field: 'idleReceived' },
  notReceived: { label: '分配未到位', field: 'idleNotReceived' },
} as const;

/**
 * The overview's reads (issue 19 point 9): each report's figures without its detail rows, as the
 * service types them (type-only imports: nothing of the service is bundled). The same figures as
 * the full reports (test/e2e/reports.e2e.spec.ts compares them).
 */
export type TargetTotals = TargetsTotals & { bounds: BoundsUsed };
export type SourceTotalsView = SourceTotals & { bounds: BoundsUsed };
export type BatchTotals = BatchTotalsReport;
export type Towns = TownsReport & { bounds: BoundsUsed };
export type TownView = Towns['towns'][number];
/** The red flags' totals and each town's open flags by severity (GET /api/red-flags?view=totals). */
export type RedFlagTotals = RedFlagTotalsView & { bounds: BoundsUsed };

export const getTargetTotals = (asOf?: string) =>
  queuedGet<TargetTotals>('/api/reports/targets', { view: 'totals', asOf });
export const getSourceTotals = (asOf?: string, fiscalYear?: string) =>
  queuedGet<SourceTotalsView>('/api/reports/sources', { view: 'totals', asOf, fiscalYear });
export const getBatchTotals = (asOf?: string) => queuedGet<BatchTotals>('/api/fund-batches', { view: 'totals', asOf });
export const getTowns = (asOf?: string) => queuedGet<Towns>('/api/reports/towns', { asOf });
export const getRedFlagTotals = (asOf?: string) => queuedGet<RedFlagTotals>('/api/red-flags', { view: 'totals', asOf });

export const getTargets = (asOf?: string) => queuedGet<TargetsReport>('/api/reports/targets', { asOf });
export const getSources = (asOf?: string, fiscalYear?: string) =>
  queuedGet<SourcesReport>('/api/reports/sources', { asOf, fiscalYear });
/** The batch list's idle money by project, as of `asOf` (else today). */
export type IdleMoney = IdleByProject & { referenceDate: string; bounds: BoundsUsed };
export const getIdleMoney = (asOf?: string) => queuedGet<IdleMoney>('/api/reports/idle-money', { asOf });
export const getRedFlags = (query: Record<string, string | undefined>) => queuedGet<RedFlags>('/api/red-flags', query);

/** GET /api/projects: the live list is an array, a past one `{bounds, projects}`. */
export async function getProjects(asOf?: string, town?: string): Promise<ProjectListItem[]> {
  const answer = await queuedGet<ProjectListItem[] | { projects: ProjectListItem[] }>('/api/projects', { asOf, town });
  return Array.isArray(answer) ? answer : answer.projects;
}

/** A write that can move the district's figures: any project's or fund batch's event, or a year closed. */
export function movesDistrict(change: LiveChange): boolean {
  return change.category === 'project' || change.category === 'fundbatch' || change.category === 'fiscalyear';
}
