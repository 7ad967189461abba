/**
 * The red-flag report (issue 17): the flags on record in the red-flag projection and those the
 * reference date raises (time-flags.ts), filtered, with totals by code and by severity. The same
 * function (listOf) answers the API and the command line, so both list the same flags: today's
 * from the read model's rows (the time flags stored, cut at today), the past's and the command
 * line's from the facts replayed (redFlagList).
 */
import { MASKED, PersonalDataView } from '../events/personal-fields';
import { DomainError } from '../shared/domain/domain-error';
import { ID_PATTERN, ID_RULE } from '../shared/domain/input-rules';
import {
  RED_FLAG_CODES,
  RED_FLAG_CODE_LIST,
  RedFlag,
  RedFlagCode,
  SEVERITIES,
  Severity,
} from '../../projections/red-flags/red-flag-codes';
import { RedFlagData, RedFlagScope, byRaised } from '../../projections/red-flags/red-flags.query';
import type { FlagCountRow } from './stored-time-flags';
import { timeFlags } from './time-flags';

export interface RedFlagFilters {
  projectId?: string;
  town?: string;
  code?: RedFlagCode;
  severity?: Severity;
  /** true: only flags still holding (as of the bounds); false: only cleared ones. */
  open?: boolean;
}

/** A flag as the report lists it: with its rule's title, its project's name and town, and whether it holds. */
export interface RedFlagView extends RedFlag {
  title: { zh: string; en: string };
  projectName: string | null;
  town: string | null;
  /** Still holding as of the report's bounds (no clearedAt). */
  open: boolean;
}

export interface FlagCounts {
  open: number;
  cleared: number;
  total: number;
}

export interface RedFlagTotals extends FlagCounts {
  byCode: Record<string, FlagCounts>;
  bySeverity: Record<string, FlagCounts>;
}

export interface RedFlagList {
  /** The day time-dependent flags are judged as of: `asOf`, else today. */
  referenceDate: string;
  filters: RedFlagFilters;
  flags: RedFlagView[];
  totals: RedFlagTotals;
}

/** Every flag the data holds or the reference date raises, filtered; household ids masked for a masked view. */
export function redFlagList(
  data: RedFlagData,
  referenceDate: string,
  filters: RedFlagFilters,
  view: PersonalDataView,
): RedFlagList {
  return listOf([...data.flags, ...timeFlags(data, referenceDate)], data.projects, referenceDate, filters, view);
}

/** The flags given (those on record and the time flags as of `referenceDate`), named, filtered and totalled. */
export function listOf(
  all: readonly RedFlag[],
  projectList: RedFlagData['projects'],
  referenceDate: string,
  filters: RedFlagFilters,
  view: PersonalDataView,
): RedFlagList {
  const projects = new Map(projectList.map((p) => [p.projectId, p]));
  const flags = [...all]
    .sort(byRaised)
    .map((f): RedFlagView => {
      const project = f.projectId === null ? undefined : projects.get(f.projectId);
      return {
        ...f,
        householdId: f.householdId !== null && view === 'masked' ? MASKED : f.householdId,
        title: RED_FLAG_CODES[f.code],
        projectName: project?.name ?? null,
        town: project?.town ?? null,
        open: f.clearedAt === null,
      };
    })
    .filter(
      (f) =>
        (filters.projectId === undefined || f.projectId === filters.projectId) &&
        (filters.town === undefined || f.town === filters.town) &&
        (filters.code === undefined || f.code === filters.code) &&
        (filters.severity === undefined || f.severity === filters.severity) &&
        (filters.open === undefined || f.open === filters.open),
    );
  return { referenceDate, filters, flags, totals: totalsOf(flags) };
}

/** The projects the filters select, to read only theirs (readRedFlagData); the list filters again. */
export function scopeOf(filters: RedFlagFilters): RedFlagScope {
  return { projectId: filters.projectId, town: filters.town };
}

function totalsOf(flags: readonly RedFlagView[]): RedFlagTotals {
  return countedTotals(flags.map((f) => ({ code: f.code, severity: f.severity, open: f.open, town: f.town, count: 1 })))
    .totals;
}

/**
 * GET /api/red-flags?view=totals: what the overview shows without the flags, the totals of the
 * list and its open flags per town (a batch's flags, of no town, are in the totals alone).
 */
export interface RedFlagTotalsView {
  referenceDate: string;
  filters: RedFlagFilters;
  totals: RedFlagTotals;
  /** Per town, its open flags by severity, every severity listed. */
  openByTown: Record<string, Record<string, number>>;
}

/** The totals and the open flags per town of counted flags. */
export function countedTotals(counted: readonly FlagCountRow[]): Pick<RedFlagTotalsView, 'totals' | 'openByTown'> {
  const counts = (): FlagCounts => ({ open: 0, cleared: 0, total: 0 });
  const add = (c: FlagCounts, f: FlagCountRow) => {
    c.total += f.count;
    if (f.open) c.open += f.count;
    else c.cleared += f.count;
  };
  const totals: RedFlagTotals = {
    ...counts(),
    byCode: Object.fromEntries(RED_FLAG_CODE_LIST.map((c) => [c, counts()])),
    bySeverity: Object.fromEntries(SEVERITIES.map((s) => [s, counts()])),
  };
  const openByTown: Record<string, Record<string, number>> = {};
  for (const f of counted) {
    add(totals, f);
    add(totals.byCode[f.code], f);
    add(totals.bySeverity[f.severity], f);
    if (f.open && f.town !== null) {
      openByTown[f.town] ??= Object.fromEntries(SEVERITIES.map((s) => [s, 0]));
      openByTown[f.town][f.severity] += f.count;
    }
  }
  return { totals, openByTown };
}

// ---------------------------------------------------------------------------------------------
// the filters as a request or a command line gives them: checked before any work

/** What GET /api/red-flags answers: the flags with their totals (list, the default), or the totals alone. */
export type RedFlagReportView = 'list' | 'totals';

export function checkView(raw: string | undefined): RedFlagReportView {
  if (raw === undefined || raw === '' || raw === 'list') return 'list';
  if (raw === 'totals') return 'totals';
  throw invalid('view', `view must be list (the flags and their totals) or totals (the totals alone) (got ${raw})`);
}

export interface RawFilters {
  projectId?: string;
  town?: string;
  code?: string;
  severity?: string;
  open?: string;
}

function invalid(field: string, message: string): DomainError {
  return new DomainError('invalid-query', message, 400, field);
}

export function checkFilters(raw: RawFilters): RedFlagFilters {
  const out: RedFlagFilters = {};
  if (raw.projectId !== undefined && raw.projectId !== '') {
    if (!ID_PATTERN.test(raw.projectId)) throw invalid('projectId', `projectId ${ID_RULE} (got ${raw.projectId})`);
    out.projectId = raw.projectId;
  }
  if (raw.town !== undefined && raw.town !== '') {
    if (raw.town.length > 200 || /[\u0000-\u001f]/.test(raw.town))
      throw invalid('town', 'town must be a town name of at most 200 characters');
    out.town = raw.town;
  }
  if (raw.code !== undefined && raw.code !== '') {
    if (!(RED_FLAG_CODE_LIST as readonly string[]).includes(raw.code))
      throw invalid('code', `code must be one of ${RED_FLAG_CODE_LIST.join(', ')} (got ${raw.code})`);
    out.code = raw.code as RedFlagCode;
  }
  if (raw.severity !== undefined && raw.severity !== '') {
    if (!(SEVERITIES as readonly string[]).includes(raw.severity))
      throw invalid('severity', `severity must be one of ${SEVERITIES.join(', ')} (got ${raw.severity})`);
    out.severity = raw.severity as Severity;
  }
  if (raw.open !== undefined && raw.open !== '') {
    if (raw.open !== 'true' && raw.open !== 'false')
      throw invalid('open', `open must be true (flags still holding) or false (cleared ones) (got ${raw.open})`);
    out.open = raw.open === 'true';
  }
  return out;
}
