import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../events/recorded-event';

/**
 * A read model as a pure definition: its tables, the events it handles and how each one changes
 * its rows. The runner owns transactions and checkpoints; `apply` never rejects an event.
 * Bumping `version` makes the runner drop the tables and rebuild from position 0.
 */
export interface ProjectionDefinition {
  name: string;
  version: number;
  /** Tables (and only those) this projection owns; dropped on rebuild. */
  tables: readonly string[];
  /** DDL creating the tables, run in the rebuild transaction. */
  schema: string;
  handles: readonly string[];
  apply(db: Database.Database, event: RecordedEvent): void;
  /**
   * Optional, for a read model whose changes add up (sums per row): while the runner catches up,
   * it folds many pages' events into one pending change per row and writes each row once, with
   * the checkpoint, instead of one write per event. `apply` must equal folding one event and
   * writing it (applyByGathering builds it so). The runner folds only events past the
   * projection's checkpoint and writes a fold with the checkpoint in one transaction, so a write
   * never overlaps what a row already holds.
   */
  gather?: Gatherer<unknown>;
}

/**
 * Pending changes folded in memory (`fold` touches no database), then written in the runner's
 * transaction. Method syntax on purpose: a Gatherer of any state is a Gatherer<unknown>.
 */
export interface Gatherer<S> {
  start(): S;
  fold(state: S, event: RecordedEvent): void;
  write(db: Database.Database, state: S): void;
}

/** `apply` for a gathering projection: fold the one event, write it. */
export function applyByGathering<S>(gatherer: Gatherer<S>): ProjectionDefinition['apply'] {
  return (db, event) => {
    const state = gatherer.start();
    gatherer.fold(state, event);
    gatherer.write(db, state);
  };
}
