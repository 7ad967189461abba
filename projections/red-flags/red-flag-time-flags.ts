/**
 * The tables of the time flags (src/red-flags/time-flags.ts: idle money, commitments and shares
 * due, filings missing) as the live read model keeps them (src/red-flags/stored-time-flags.ts
 * computes and reads them): the projection owns them and, for each event, marks its scopes due
 * (its project, its batch); those are computed again later, before a read (settleTimeFlags).
 */
import type Database from 'better-sqlite3';
import { prepared } from '../../src/shared/projection/prepared';

export const TIME_FLAG_TABLES = ['red_flag_time_flags', 'red_flag_time_scopes_due'];

export const TIME_FLAGS_SCHEMA = `
  CREATE TABLE red_flag_time_flags (
    scope          TEXT NOT NULL,
    flag_id        TEXT NOT NULL,
    code           TEXT NOT NULL,
    severity       TEXT NOT NULL,
    project_id     TEXT,
    raised_at      TEXT NOT NULL,
    cleared_at     TEXT,
    flag           TEXT NOT NULL,
    open_readings  TEXT NOT NULL,
    open_evidence  TEXT NOT NULL,
    PRIMARY KEY (scope, flag_id)
  ) WITHOUT ROWID;
  CREATE INDEX red_flag_time_flags_by_project ON red_flag_time_flags (project_id, raised_at);
  -- Covers the counts of ?view=totals (countFlagsAt): the rows' JSON is not read.
  CREATE INDEX red_flag_time_flags_by_raised ON red_flag_time_flags (raised_at, code, severity, cleared_at, project_id);
  -- seq: a new number each time the scope is marked (AUTOINCREMENT: never one used before, even
  -- after the row was settled and deleted), so flags computed off the main thread from a snapshot
  -- are written only if nothing marked the scope again since (stored-time-flags.ts).
  CREATE TABLE red_flag_time_scopes_due (
    seq   INTEGER PRIMARY KEY AUTOINCREMENT,
    scope TEXT NOT NULL UNIQUE
  );`;

/** A scope whose time flags an event may change: a project's (its facts) or a batch's (its money not allocated). */
export type TimeScope = `project:${string}` | `batch:${string}`;

/** Marks `scope` due, again if it was: a new seq (REPLACE deletes the row it conflicts with). */
export function markDue(db: Database.Database, scope: TimeScope): void {
  prepared(db, 'INSERT OR REPLACE INTO red_flag_time_scopes_due (scope) VALUES (?)').run(scope);
}
