/**
 * Red-flag specs' history: events as the store hands them back (positions 1, 2, … in the order
 * given, each on its own stream), through the red-flag projection into an in-memory database,
 * and the report over it. Time travel cuts the history as a bounded read does (time-bounds.ts).
 */
import Database from 'better-sqlite3';
import { CheckedBounds, cutAtBounds } from '../../src/audit/time-bounds';
import { LedgerEvent, ledgerEvents } from '../../src/events/ledger-events';
import { PersonalDataView } from '../../src/events/personal-fields';
import { FundBatchEventType, fundBatchStreamId } from '../../src/fund-batch/fund-batch.events';
import { projectStreamId } from '../../src/project/project.events';
import { parseRecord } from '../../src/shared/events/parsed-record';
import { FLAG_RULES, RED_FLAG_CATALOGUE, RedFlag } from '../../projections/red-flags/red-flag-codes';
import { RedFlagRecord, redFlagsProjection } from '../../projections/red-flags/red-flags.projection';
import { readRedFlagData, readStoredFlags } from '../../projections/red-flags/red-flags.query';
import { RedFlagFilters, RedFlagList, redFlagList, scopeOf } from '../../src/red-flags/red-flag-report';
import { storedAt } from './recorded-events';

/** An event, or one recorded at a given time (the day an event without a business date counts from). */
export type Step = LedgerEvent | { event: LedgerEvent; recordedAt: string };

export const RECORDED_AT = '2022-01-01T00:00:00.000Z';

const BATCH_TYPES: readonly string[] = Object.values(FundBatchEventType);

/** A fund batch's events on its batch's stream, every other on its project's. */
function streamOf(e: LedgerEvent): string {
  if (BATCH_TYPES.includes(e.type)) return fundBatchStreamId((e.data as { batchId: string }).batchId);
  return projectStreamId((e.data as { projectId: string }).projectId);
}

/** The history as projections take it, parsed by the ledger's registry. */
export function recordsOf(steps: readonly Step[]): RedFlagRecord[] {
  const revisions = new Map<string, bigint>();
  return steps.map((step, i) => {
    const { event, recordedAt } = 'event' in step ? step : { event: step, recordedAt: RECORDED_AT };
    const streamId = streamOf(event);
    const revision = revisions.get(streamId) ?? 0n;
    revisions.set(streamId, revision + 1n);
    const stored = { ...storedAt(BigInt(i + 1), streamId, event.type, event.data, recordedAt), revision };
    return parseRecord(ledgerEvents, stored) as RedFlagRecord;
  });
}

/** The projection's database after the history (cut at `bounds`), applied `times` times. */
export function projected(
  steps: readonly Step[],
  options: { times?: number; bounds?: CheckedBounds } = {},
): Database.Database {
  const db = new Database(':memory:');
  db.defaultSafeIntegers(true);
  db.exec(redFlagsProjection.schema);
  const records = recordsOf(steps);
  const kept = options.bounds ? cutAtBounds(records, options.bounds).kept : records;
  for (let t = 0; t < (options.times ?? 1); t++)
    for (const r of kept) if (redFlagsProjection.handles.includes(r.type)) redFlagsProjection.apply(db, r);
  return db;
}

/** The flags the projection holds after the history. */
export function storedFlags(steps: readonly Step[], options: Parameters<typeof projected>[1] = {}): RedFlag[] {
  const db = projected(steps, options);
  try {
    return catalogued(readStoredFlags(db));
  } finally {
    db.close();
  }
}

/** The report as of `referenceDate` (with `asOf`: the history cut there too, as GET ?asOf= does). */
export function reportOf(
  steps: readonly Step[],
  referenceDate: string,
  options: { asOf?: boolean; filters?: RedFlagFilters; view?: PersonalDataView } = {},
): RedFlagList {
  const bounds = options.asOf ? { asOf: referenceDate, knownAt: null } : undefined;
  const db = projected(steps, { bounds });
  try {
    // Read as the API reads: the project and town filters cut the rows in SQL (scopeOf).
    const filters = options.filters ?? {};
    const list = redFlagList(readRedFlagData(db, scopeOf(filters)), referenceDate, filters, options.view ?? 'shown');
    catalogued(list.flags);
    return list;
  } finally {
    db.close();
  }
}

/**
 * The flags, each checked against RED_FLAG_CATALOGUE (the README's table of the rules): its code
 * lists the family of the rule it cites, with its severity. Every spec that raises a flag
 * through here checks it, so a rule's severity or citation cannot change without the table.
 */
function catalogued<T extends readonly RedFlag[]>(flags: T): T {
  for (const f of flags) {
    const family = FLAG_RULES.find((r) => r.ruleId === f.rule.ruleId)?.family;
    const entry = RED_FLAG_CATALOGUE[f.code].find((e) => e.family === family);
    if (!entry?.severities.includes(f.severity))
      throw new Error(
        `${f.flagId} (${f.severity}, rule ${f.rule.ruleId} of family ${family}) is not in RED_FLAG_CATALOGUE`,
      );
  }
  return flags;
}

/** The flags of one code, as the report lists them. */
export function flagsOf(list: RedFlagList | RedFlag[], code: string): RedFlag[] {
  return (Array.isArray(list) ? list : list.flags).filter((f) => f.code === code);
}
