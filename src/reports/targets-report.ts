/**
 * Progress against the seed's targets (GET /api/reports/targets; domain.md §5): for each period of
 * DISTRICT_TARGETS, the target beside the actual number of communities, their building area and
 * households, the reading taken, and the projects behind each figure. Computed from the targets
 * read model's dated rows (projections/targets) at a reference date: `asOf`, else today.
 *
 * A community (town + name) counts once per metric, in the period holding its first start (or
 * first passed acceptance); its other projects are listed, marked as not counted, with where it
 * was. Areas are summed in hundredths of a m² (bigint) and leave as decimal strings.
 */
import { formatArea } from '../shared/domain/input-rules';
import { TargetProjectRow } from '../../projections/targets/targets.query';
import {
  DISTRICT_TARGETS,
  DistrictTarget,
  TARGETS_SOURCE,
  TARGET_DEFINITIONS,
  TargetMetric,
  TargetScope,
  Words,
} from './district-targets';
import { progressOf } from './ledger-figures';

export const PERIOD_STATUSES = ['not_started', 'in_progress', 'closed'] as const;
export type PeriodStatus = (typeof PERIOD_STATUSES)[number];

export interface TargetFigures {
  communities: number;
  /** m², two decimals, exact. */
  areaM2: string;
  /** 万m², rounded half up to two decimals (display; areaM2 is exact). */
  areaWanM2: string;
  households: number;
}

export interface TargetProjectView {
  projectId: string;
  name: string;
  town: string;
  community: string;
  builtYear: number;
  /** The date it counts on: its start or its passed acceptance. */
  on: string;
  milestoneId: string | null;
  /** As the project registered them. */
  areaM2: string;
  households: number;
  /** Whether this project counts its community in this period (the community's first). */
  counted: boolean;
  /** Why it does not: where its community counted. */
  note: Words | null;
}

export interface TargetPeriodView {
  periodId: string;
  metric: TargetMetric;
  scope: TargetScope;
  title: Words;
  reading: Words;
  from: string | null;
  to: string;
  status: PeriodStatus;
  /** The last day counted: the period's end or the reference date, whichever is earlier; null before it starts. */
  countedThrough: string | null;
  target: { communities: number | null; areaWanM2: string | null; areaM2: string | null; words: string };
  actual: TargetFigures;
  /** actual ÷ target in percent, two decimals; null without a target figure. */
  progress: { communities: string | null; area: string | null };
  /** For a goal over one scope: the communities of that scope the ledger has registered (the denominator). */
  register: (TargetFigures & { note: Words }) | null;
  projects: TargetProjectView[];
}

export interface TargetsReport {
  /** The date the periods are counted at: asOf, else today. */
  referenceDate: string;
  source: typeof TARGETS_SOURCE;
  definitions: typeof TARGET_DEFINITIONS;
  periods: TargetPeriodView[];
}

export function targetsReport(rows: readonly TargetProjectRow[], referenceDate: string): TargetsReport {
  return {
    referenceDate,
    source: TARGETS_SOURCE,
    definitions: TARGET_DEFINITIONS,
    periods: DISTRICT_TARGETS.map((t) => periodView(t, rows, referenceDate)),
  };
}

/** The periods without the projects behind them (GET /api/reports/targets?view=totals): the overview's figures. */
export type TargetsTotals = Omit<TargetsReport, 'periods'> & { periods: Omit<TargetPeriodView, 'projects'>[] };

export function targetsTotals({ periods, ...report }: TargetsReport): TargetsTotals {
  return { ...report, periods: periods.map(({ projects: _projects, ...period }) => period) };
}

/** Hundredths of a m² in 0.01 万m²: 10,000 of them. */
const WAN_HUNDREDTHS = 10_000n;

/** Communities counted, their area (the largest project's each, hundredths of a m²) and households summed. */
export interface TargetTally {
  communities: number;
  areaH: bigint;
  households: number;
}

/** The sums a period's figures are of, by scope and metric ('registered': the scope's whole register). */
export type TargetTallies = (
  scope: TargetScope,
  metric: TargetMetric | 'registered',
  /** The first and last day counted (inclusive; from null: since ever); for 'registered', unused. */
  from: string | null,
  through: string,
) => TargetTally;

/**
 * The periods' figures without their projects (GET /api/reports/targets?view=totals), from sums of
 * communities by first date (the ones the targets projection keeps): targetsTotals(targetsReport(…))
 * of the same rows, without reading them.
 */
export function targetsTotalsOfSums(tallies: TargetTallies, referenceDate: string): TargetsTotals {
  return {
    referenceDate,
    source: TARGETS_SOURCE,
    definitions: TARGET_DEFINITIONS,
    periods: DISTRICT_TARGETS.map((t) => {
      const { through } = periodDays(t, referenceDate);
      const none: TargetTally = { communities: 0, areaH: 0n, households: 0 };
      return periodHead(
        t,
        referenceDate,
        through === null ? none : tallies(t.scope, t.metric, t.from, through),
        t.scope === 'all' ? null : tallies(t.scope, 'registered', null, ''),
      );
    }),
  };
}

/** The period's status at the reference date, and the last day it counts: its end or the reference date; null before it starts. */
function periodDays(t: DistrictTarget, referenceDate: string): { status: PeriodStatus; through: string | null } {
  const status: PeriodStatus =
    t.from !== null && referenceDate < t.from ? 'not_started' : referenceDate >= t.to ? 'closed' : 'in_progress';
  return { status, through: status === 'not_started' ? null : referenceDate < t.to ? referenceDate : t.to };
}

function tallyOf(communities: readonly Community[]): TargetTally {
  return {
    communities: communities.length,
    areaH: sumArea(communities),
    households: communities.reduce((t, c) => t + c.households, 0),
  };
}

function periodView(t: DistrictTarget, rows: readonly TargetProjectRow[], referenceDate: string): TargetPeriodView {
  const inScope = rows.filter((r) => t.scope === 'all' || r.basis === t.scope);
  const communities = communitiesOf(inScope, t.metric);
  const { through } = periodDays(t, referenceDate);
  const within = (on: string | null): on is string =>
    on !== null && through !== null && (t.from === null || on >= t.from) && on <= through;
  const counted = [...communities.values()].filter((c) => within(c.first?.on ?? null));
  const projects = inScope
    .flatMap((r) => {
      const on = dateOf(r, t.metric);
      return within(on) ? [projectView(r, t.metric, on, communities.get(communityKey(r))!)] : [];
    })
    .sort((a, b) => a.on.localeCompare(b.on) || a.projectId.localeCompare(b.projectId));
  const head = periodHead(
    t,
    referenceDate,
    tallyOf(counted),
    t.scope === 'all' ? null : tallyOf([...communities.values()]),
  );
  return { ...head, projects };
}

/** A period's figures from its tallies: the communities counted in it, and (a goal over one scope) its register. */
function periodHead(
  t: DistrictTarget,
  referenceDate: string,
  counted: TargetTally,
  register: TargetTally | null,
): Omit<TargetPeriodView, 'projects'> {
  const { status, through } = periodDays(t, referenceDate);
  const actual = figures(counted);
  const targetAreaH = t.areaWanM2 === null ? null : wanToHundredths(t.areaWanM2);
  return {
    periodId: t.periodId,
    metric: t.metric,
    scope: t.scope,
    title: t.title,
    reading: t.reading,
    from: t.from,
    to: t.to,
    status,
    countedThrough: through,
    target: {
      communities: t.communities,
      areaWanM2: targetAreaH === null ? null : formatArea(targetAreaH / WAN_HUNDREDTHS),
      areaM2: targetAreaH === null ? null : formatArea(targetAreaH),
      words: t.words,
    },
    actual,
    progress: {
      communities: t.communities === null ? null : progressOf(BigInt(actual.communities), BigInt(t.communities)),
      area: targetAreaH === null ? null : progressOf(counted.areaH, targetAreaH),
    },
    register:
      register === null
        ? null
        : {
            ...figures(register),
            note: {
              zh: '本台账登记的该范围小区（分母），并非全区普查清单',
              en: 'the communities of this scope registered in the ledger (the denominator), not an inventory of the district',
            },
          },
  };
}

/** A community: its projects (in scope), its size, and the project of its first start or acceptance. */
interface Community {
  rows: TargetProjectRow[];
  areaH: bigint;
  households: number;
  first: { on: string; projectId: string } | null;
}

function communityKey(r: TargetProjectRow): string {
  return `${r.town}\u0000${r.community}`;
}

function dateOf(r: TargetProjectRow, metric: TargetMetric): string | null {
  return metric === 'started' ? r.startedOn : r.acceptedOn;
}

/** The communities of the rows (in id order), each with its first date for `metric` (ties: the smaller id). */
function communitiesOf(rows: readonly TargetProjectRow[], metric: TargetMetric): Map<string, Community> {
  const out = new Map<string, Community>();
  for (const r of rows) {
    const key = communityKey(r);
    const c = out.get(key) ?? { rows: [], areaH: 0n, households: 0, first: null };
    c.rows.push(r);
    if (r.areaH > c.areaH) c.areaH = r.areaH;
    if (r.households > c.households) c.households = r.households;
    const on = dateOf(r, metric);
    if (on !== null && (c.first === null || on < c.first.on)) c.first = { on, projectId: r.projectId };
    out.set(key, c);
  }
  return out;
}

function projectView(r: TargetProjectRow, metric: TargetMetric, on: string, c: Community): TargetProjectView {
  const counted = c.first!.projectId === r.projectId;
  const what = metric === 'started' ? { zh: '开工', en: 'started' } : { zh: '验收合格', en: 'accepted' };
  return {
    projectId: r.projectId,
    name: r.name,
    town: r.town,
    community: r.community,
    builtYear: r.builtYear,
    on,
    milestoneId: metric === 'started' ? r.startedId : r.acceptedId,
    areaM2: formatArea(r.areaH),
    households: r.households,
    counted,
    note: counted
      ? null
      : {
          zh: `小区已计入：${c.first!.on} ${what.zh}（${c.first!.projectId}）`,
          en: `the community counts once, ${what.en} on ${c.first!.on} (${c.first!.projectId})`,
        },
  };
}

function sumArea(communities: readonly Community[]): bigint {
  return communities.reduce((t, c) => t + c.areaH, 0n);
}

function figures({ communities, areaH, households }: TargetTally): TargetFigures {
  return {
    communities,
    areaM2: formatArea(areaH),
    areaWanM2: formatArea((areaH + WAN_HUNDREDTHS / 2n) / WAN_HUNDREDTHS),
    households,
  };
}

/** "66.7" 万m² → hundredths of a m². */
function wanToHundredths(wan: string): bigint {
  const [whole, fraction = ''] = wan.split('.');
  return (BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2))) * WAN_HUNDREDTHS;
}
