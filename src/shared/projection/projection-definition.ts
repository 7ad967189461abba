import type Database from 'better-sqlite3';
import type { LogPlace } from '../events/parsed-record';

/** What a projection takes: a parsed stored event (a typed `{type, data}`) and its place in the log. */
export type ProjectedRecord = { readonly type: string; readonly data: unknown } & LogPlace;

/**
 * A read model as a pure definition: its tables, the events it handles and how each one changes
 * its rows. The runner owns transactions and checkpoints; `apply` never rejects an event.
 * Bumping `version` makes the runner drop the tables and rebuild from position 0.
 *
 * `R` is the union of the records it handles (e.g. `LedgerRecordOf<'funds-received.v1' | ...>`).
 * The runner parses each stored event with the log's registry once and hands a projection only
 * the types in `handles`, so `apply` and `gather.fold` take them typed: a switch over `type`
 * narrows `data` and ends in `assertNever`.
 */
export interface ProjectionDefinition<R extends ProjectedRecord> {
  name: string;
  version: number;
  /** Tables (and only those) this projection owns; dropped on rebuild. */
  tables: readonly string[];
  /** DDL creating the tables, run in the rebuild transaction. */
  schema: string;
  /** The current type names it reads (a superseded version reaches it upcast to one of these). */
  handles: readonly R['type'][];
  apply(db: Database.Database, event: R): void;
  /**
   * Optional: work that `apply` marks due instead of doing it per event (e.g. flags computed again
   * per project touched), done later in bounded steps. It does some of what is due (at least one
   * unit, then more until `budgetMs` has passed) in the caller's transaction, and says whether any
   * is still due. Not in a page: the live runner calls it between pages with a duty, and a reader
   * of what it writes settles everything first (`budgetMs` Infinity) in its read's transaction.
   * The time-travel replays do not call it: what it writes is for the live reads.
   */
  settle?(db: Database.Database, budgetMs: number): boolean;
  /**
   * With `settle`: which of its rows in `db` the work still due there would change (and the list
   * of it). A drift report, which must not write the live read model, leaves them out on both sides.
   */
  unsettledRows?(db: Database.Database): (table: string, row: Record<string, unknown>) => boolean;
  /**
   * Optional, with `settle`: the same work computed in a worker thread from its own connection to
   * the read-model `file` (a snapshot), so that the live runner's main thread only writes what it
   * computed (see OffThreadSettler). Not for an in-memory database; a reader settles in its own
   * transaction (`settle`) as before.
   */
  settleOffThread?(file: string): OffThreadSettler;
  /**
   * Optional, for a read model whose changes add up (sums per row): while the runner catches up,
   * it folds many pages' events into one pending change per row and writes each row once, with
   * the checkpoint, instead of one write per event. `apply` must equal folding one event and
   * writing it (applyByGathering builds it so). The runner folds only events past the
   * projection's checkpoint and writes a fold with the checkpoint in one transaction, so a write
   * never overlaps what a row already holds.
   */
  gather?: Gatherer<unknown, R>;
}

/** A projection's settling work done in a worker thread (ProjectionDefinition.settleOffThread). */
export interface OffThreadSettler {
  /**
   * Has the worker compute some of what is due (about `budgetMs` of its time, one unit at least)
   * from a snapshot of the file, then writes in `db`, in its own transaction, what nothing marked
   * due again since that snapshot; whether any is still due. Rejects with SettlingWorkerFailed if
   * the worker failed; with the error as it is if the write in `db` did (a lock held too long:
   * the next step tries again with the same worker).
   */
  step(db: Database.Database, budgetMs: number): Promise<boolean>;
  stop(): Promise<void>;
}

/** An OffThreadSettler's worker failed (it crashed, exited, or its computing threw): its projection settles on the main thread again. */
export class SettlingWorkerFailed extends Error {
  override name = 'SettlingWorkerFailed';
}

/** Whether `projection` takes `event`: the runner's filter, for code that applies a projection itself (time travel, specs). */
export function takes<R extends ProjectedRecord, E extends ProjectedRecord>(
  projection: ProjectionDefinition<R>,
  event: E,
): event is Extract<E, { type: R['type'] }> {
  return (projection.handles as readonly string[]).includes(event.type);
}

/**
 * Pending changes folded in memory (`fold` touches no database), then written in the runner's
 * transaction. Method syntax on purpose: a Gatherer of any state is a Gatherer<unknown>, and one
 * of some records is a Gatherer of all (the runner hands it only those).
 */
export interface Gatherer<S, R> {
  start(): S;
  fold(state: S, event: R): void;
  write(db: Database.Database, state: S): void;
}

/** `apply` for a gathering projection: fold the one event, write it. */
export function applyByGathering<S, R>(gatherer: Gatherer<S, R>): (db: Database.Database, event: R) => void {
  return (db, event) => {
    const state = gatherer.start();
    gatherer.fold(state, event);
    gatherer.write(db, state);
  };
}
