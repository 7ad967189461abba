import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { EVENT_STORE, EventStore, RecordedEvent } from '../../event-store/event-store.port';
import { readVerifiedStream } from '../../event-store/integrity';
import { LogIndex } from '../../event-store/log-index';
import { CommandContext } from '../../event-store/write-path';
import { fiscalYearDecider, yearOf } from '../../fiscal-year/fiscal-year.decider';
import { FiscalYearErrors } from '../../fiscal-year/fiscal-year.errors';
import { FiscalYearEventType, fiscalYearEvents, fiscalYearStreamId } from '../../fiscal-year/fiscal-year.events';
import { foldStored } from '../../shared/domain/decider';
import { EntryDate } from './entry-dates';

/** A year's books as the index knows them: closed or not, as of its stream's revision. */
interface YearMark {
  closed: boolean;
  revision: bigint;
}

/**
 * Which fiscal years are closed (年终结账), looked up by every money entry before its write
 * (refuseClosed). An index fed by the service's one subscription to $all (LogIndex), as the bank-account
 * index is: the close and reopen handlers note the year they wrote at once, so the index is exact
 * for this process's writes; a close another process writes is known once the subscription reaches
 * it (the race docs/api.md, "Closing a year", describes). A year's mark moves only forward in its
 * stream's revisions, so the subscription bringing an older act after a note never undoes it.
 */
@Injectable()
export class FiscalYearQueries implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly years = new Map<number, YearMark>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly log: LogIndex,
  ) {
    log.follow((stored) => this.take(stored));
  }

  onApplicationBootstrap(): void {
    this.log.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.log.stop();
  }

  /** Records an act this process has just written, ahead of the subscription. */
  noteWritten(fiscalYear: number, closed: boolean, revision: bigint): void {
    const mark = this.years.get(fiscalYear);
    if (mark !== undefined && mark.revision >= revision) return;
    this.years.set(fiscalYear, { closed, revision });
  }

  /** Whether `fiscalYear`'s books are closed now. */
  async isClosed(fiscalYear: number): Promise<boolean> {
    await this.log.caughtUp();
    return this.years.get(fiscalYear)?.closed ?? false;
  }

  /**
   * 409 year-closed when the entry's date falls in a closed year, before anything is written. A
   * request sent again under its Idempotency-Key is let through: it answers its first write, made
   * before the year closed (the store is read only when the year is closed).
   */
  async refuseClosed(entry: EntryDate | null, context: CommandContext): Promise<void> {
    if (entry === null) return;
    const year = yearOf(entry.date);
    if (!(await this.isClosed(year))) return;
    if ((await this.store.readByCommand(context.commandId)).length > 0) return;
    throw FiscalYearErrors.yearClosed(year, entry.field, entry.date);
  }

  /** Every year ever closed, oldest first: open or closed now, and each close and reopen. */
  async list() {
    await this.log.caughtUp();
    const views = [];
    for (const fiscalYear of [...this.years.keys()].sort((a, b) => a - b)) views.push(await this.year(fiscalYear));
    return views;
  }

  /** One year's books: never closed is open, with no history. */
  async year(fiscalYear: number) {
    const events = await readVerifiedStream(this.store, fiscalYearStreamId(fiscalYear));
    const state = foldStored(fiscalYearDecider, events);
    const revision = events.length > 0 ? Number(events[events.length - 1].revision) : null;
    // Each event is one act, in order: the actor who did it is the event's.
    const history = state.history.map((act, i) => ({ ...act, by: events[i].metadata.actor.id }));
    return { fiscalYear, status: state.closed ? 'closed' : 'open', revision, history };
  }

  /** An event of $all: a close or reopen marks its year (only those are parsed). */
  private take(stored: RecordedEvent): void {
    if (stored.type !== FiscalYearEventType.closed && stored.type !== FiscalYearEventType.reopened) return;
    const e = fiscalYearEvents.parse(stored);
    this.noteWritten(e.data.fiscalYear, e.type === FiscalYearEventType.closed, stored.revision);
  }
}
