import type Database from 'better-sqlite3';
import { RecordedEvent } from '../event-store/event-store.port';

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
}
