/**
 * Time travel on the ledger's two time axes (bitemporal):
 * - `asOf` (YYYY-MM-DD), the effective date: what had happened by the end of that day, by each
 *   event's business date (`receivedOn`, `paidOn`, ...);
 * - `knownAt` (an ISO time), the recorded time: what the ledger had recorded by then
 *   (`metadata.recordedAt`).
 * One place decides which events a bounded read keeps, for one project (fold its stream) and for
 * the whole log (replay it through projections on an in-memory database).
 */
import Database from 'better-sqlite3';
import { EventStore, RecordedEvent } from '../event-store/event-store.port';
import { readAllPages } from './copy-log';
import { LedgerEvent, LedgerRecord } from '../events/ledger-events';
import { ParsedRecordWithMetadata, parseRecord } from '../shared/events/parsed-record';
import { ProjectionDefinition } from '../shared/projection/projection-definition';
import { ProjectErrors } from '../project/project.errors';
import { projectEvents, projectStreamId } from '../project/project.events';
import { businessDate } from '../events/business-date';
import { DomainError } from '../shared/domain/domain-error';
import { InputErrors, isCalendarDate } from '../shared/domain/input-rules';
import { fundingMixProjection } from '../../projections/funding-mix/funding-mix.projection';
import { FundingMix, fundingMixFromEvents, readFundingMix } from '../../projections/funding-mix/funding-mix.query';
import { projectListProjection } from '../../projections/project-list/project-list.projection';
import { StreamFault, UnreadableEventError, brokenStreamsOf, readVerifiedStream } from '../event-store/integrity';
import { parsePage } from '../events/ledger-page';

/** An event as a bounded read cuts it: parsed, with its place in the log and its recorded time. */
type Recorded = ParsedRecordWithMetadata<LedgerEvent>;

/** The bounds as a request or a command line gives them, unchecked. */
export interface TimeBounds {
  asOf?: string;
  knownAt?: string;
}

/** Checked bounds: `knownAt` normalised to UTC ISO-8601 with milliseconds, like `recordedAt`. */
export interface CheckedBounds {
  asOf: string | null;
  knownAt: string | null;
}

/** The bounds a read used, and the global position of the last event it kept (decimal, "0" for none). */
export interface BoundsUsed extends CheckedBounds {
  position: string;
}

/** Validates both bounds; a bad one is 400 `invalid-date` / `invalid-time` naming the field. */
export function checkTimeBounds(bounds: TimeBounds): CheckedBounds {
  const asOf = bounds.asOf ?? null;
  if (asOf !== null && !isCalendarDate(asOf)) throw InputErrors.invalidDate('asOf', asOf);
  const knownAt = bounds.knownAt === undefined ? null : parseKnownAt(bounds.knownAt);
  return { asOf, knownAt };
}

export function isBounded(bounds: CheckedBounds): boolean {
  return bounds.asOf !== null || bounds.knownAt !== null;
}

/** An ISO-8601 time (a bare date is its midnight UTC), normalised so it compares with `recordedAt` as text. */
export function parseKnownAt(value: string): string {
  const t = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(value) || Number.isNaN(t)) {
    throw new DomainError(
      'invalid-time',
      `knownAt must be an ISO-8601 time such as 2022-03-01T12:00:00Z (got ${value})`,
      400,
      'knownAt',
    );
  }
  return new Date(t).toISOString();
}

/** The date an event counts from on its own: its business date, else the day it was recorded. */
export function effectiveDate(e: Recorded): string {
  return businessDate(e) ?? e.metadata.recordedAt.slice(0, 10);
}

/**
 * Cuts a history, read in global order, at the bounds. `knownAt` keeps what was recorded by then.
 * `asOf` keeps an event whose effective date is on or before it, with one rule for events that
 * carry no business date (registration, budget lines): they count from the day they were recorded,
 * or from the business date of any later event of their stream that counts, whichever is earlier,
 * because the ledger accepted that later event only on top of them. (Without this, a district
 * recorded in 2024 with receipts dated 2021 would show money for projects not yet registered.)
 * Such events wait here until then; only they are held, so memory stays small.
 */
export class BoundsCut<R extends Recorded = Recorded> {
  private readonly held = new Map<string, R[]>();
  /** Position of the last event kept (0n for none). */
  position = 0n;

  constructor(readonly bounds: CheckedBounds) {}

  /** The events to apply for `e`, in order: none, `e`, or the events it releases and then `e`. */
  take(e: R): R[] {
    const { asOf, knownAt } = this.bounds;
    if (knownAt !== null && e.metadata.recordedAt > knownAt) return [];
    if (asOf !== null && effectiveDate(e) > asOf) {
      if (businessDate(e) === null) this.hold(e);
      return [];
    }
    const released = this.held.get(e.streamId);
    this.held.delete(e.streamId);
    if (e.position > this.position) this.position = e.position;
    return released ? [...released, e] : [e];
  }

  used(): BoundsUsed {
    return { ...this.bounds, position: this.position.toString() };
  }

  private hold(e: R): void {
    const list = this.held.get(e.streamId);
    if (list) list.push(e);
    else this.held.set(e.streamId, [e]);
  }
}

/** One stream's events (oldest first) cut at the bounds. */
export function cutAtBounds<R extends Recorded>(events: R[], bounds: CheckedBounds): { kept: R[]; used: BoundsUsed } {
  const cut = new BoundsCut<R>(bounds);
  const kept = events.flatMap((e) => cut.take(e));
  return { kept, used: cut.used() };
}

/**
 * The whole log, cut at the bounds, replayed through `projections` on an in-memory SQLite
 * database. The live read models are neither read nor touched: the past is computed by the very
 * definitions that compute the present. A replay is a fold in global order, so it can be kept and
 * caught up later with the events appended since (`catchUp` again): the whole log must be read,
 * because recorded times need not rise with positions across processes. Held events are applied
 * out of global order, but only ahead of a later event of their own stream; the projections key
 * their rows by project, so each row still sees its stream in order.
 */
export class BoundedReplay {
  readonly db = new Database(':memory:');
  private readonly cut: BoundsCut;
  /** Position of the last event read (kept or not). */
  after = 0n;

  constructor(
    bounds: CheckedBounds,
    private readonly projections: readonly ProjectionDefinition<LedgerRecord>[],
  ) {
    this.db.defaultSafeIntegers(true);
    for (const p of projections) this.db.exec(p.schema);
    this.cut = new BoundsCut(bounds);
  }

  /**
   * Faults of the events gone past, damaged in the store (not JSON, or no longer their recorded
   * hash), as the live projections go past them (ledger-page.ts); catchUp marks their streams broken
   * in the store's registry.
   */
  readonly damaged: StreamFault[] = [];

  /** Reads and applies the events after the last one read. */
  async catchUp(store: EventStore): Promise<void> {
    const known = this.damaged.length;
    for await (const page of readAllPages(store, { after: this.after })) this.applyPage(page);
    // Only what this catch-up found: a kept replay's earlier faults were marked when found.
    for (const fault of this.damaged.slice(known)) brokenStreamsOf(store).mark(fault);
  }

  /** Applies a page of the log, read in global order after the last one applied (a store's, or an export file's). */
  applyPage(page: readonly RecordedEvent[]): void {
    if (page.length === 0) return;
    this.db.transaction(() => {
      for (const record of parsePage(page, (fault) => this.damaged.push(fault))) {
        let kept: Recorded[];
        try {
          kept = this.cut.take(record);
        } catch (err) {
          // Its metadata cannot be read (the cut reads the recorded time before it keeps or holds
          // anything): gone past too. A projection reads no part of a kept event the cut did not.
          if (!(err instanceof UnreadableEventError)) throw err;
          this.damaged.push(err.fault);
          continue;
        }
        for (const e of kept) {
          for (const p of this.projections) if (p.handles.includes(e.type)) p.apply(this.db, e);
        }
      }
      this.after = page[page.length - 1].position;
    })();
  }

  used(): BoundsUsed {
    return this.cut.used();
  }
}

/**
 * A replay of the whole log at the bounds (see BoundedReplay), open: the caller reads it and closes
 * `db`. A damaged event is gone past, as the live projections go past it, its stream marked broken.
 */
export async function replayInto(
  store: EventStore,
  bounds: CheckedBounds,
  projections: readonly ProjectionDefinition<LedgerRecord>[],
): Promise<{ db: Database.Database; bounds: BoundsUsed; damaged: StreamFault[] }> {
  const replayed = await replayPagesInto(readAllPages(store), bounds, projections);
  for (const fault of replayed.damaged) brokenStreamsOf(store).mark(fault);
  return replayed;
}

/** The same from pages of the log in global order: a store's, or an export file's (src/audit/import-log.ts). */
export async function replayPagesInto(
  pages: AsyncIterable<readonly RecordedEvent[]>,
  bounds: CheckedBounds,
  projections: readonly ProjectionDefinition<LedgerRecord>[],
): Promise<{ db: Database.Database; bounds: BoundsUsed; damaged: StreamFault[] }> {
  const replay = new BoundedReplay(bounds, projections);
  try {
    for await (const page of pages) replay.applyPage(page);
    return { db: replay.db, bounds: replay.used(), damaged: replay.damaged };
  } catch (err) {
    replay.db.close();
    throw err;
  }
}

/** One project's funding mix at the bounds: its own stream, cut, through the funding-mix projection. */
export async function projectMixAtBounds(
  store: EventStore,
  projectId: string,
  bounds: CheckedBounds,
): Promise<FundingMix & { bounds: BoundsUsed }> {
  const events = await readVerifiedStream(store, projectStreamId(projectId));
  if (events.length === 0) throw ProjectErrors.projectNotFound(projectId);
  const { kept, used } = cutAtBounds(
    events.map((e) => parseRecord(projectEvents, e)),
    bounds,
  );
  return { ...fundingMixFromEvents(projectId, kept), bounds: used };
}

/**
 * Every project's funding mix at the bounds, from one replay of the whole log: the projects
 * registered by then (or holding money by then), in id order, each with its mix (empty when none).
 */
export async function districtMixesAtBounds(
  store: EventStore,
  bounds: CheckedBounds,
): Promise<{ bounds: BoundsUsed; projects: FundingMix[] }> {
  const { db, bounds: used } = await replayInto(store, bounds, [fundingMixProjection, projectListProjection]);
  try {
    const ids = db
      .prepare('SELECT project_id FROM project_list UNION SELECT project_id FROM funding_mix ORDER BY 1')
      .pluck()
      .all() as string[];
    return { bounds: used, projects: ids.map((id) => readFundingMix(db, id)) };
  } finally {
    db.close();
  }
}
