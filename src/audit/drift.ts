import type Database from 'better-sqlite3';
import { readAllPages } from './copy-log';
import { EventStore } from '../event-store/event-store.port';
import type { LedgerRecord } from '../events/ledger-events';
import { ProjectionDefinition } from '../shared/projection/projection-definition';
import { ProjectionRunner, readCheckpoint } from '../projection-runner/projection-runner';

/** Most differences a report lists (the count is always complete). */
export const MAX_LISTED_DIFFERENCES = 100;

export interface RowDifference {
  table: string;
  key: Record<string, unknown>;
  live: Record<string, unknown> | null;
  rebuilt: Record<string, unknown> | null;
}

export interface DriftReport {
  projection: string;
  version: number;
  /** The log position both sides were compared at: the live read model's checkpoint. */
  position: string;
  identical: boolean;
  rowsCompared: number;
  /** Rows left out on both sides: those work still due in the live read model would change (ProjectionDefinition.unsettledRows). */
  rowsLeftOut: number;
  differenceCount: number;
  differences: RowDifference[];
}

/**
 * Rebuilds a projection from position 0 into a shadow database, up to the position the live read
 * model has processed, and compares the two table by table, row by row. "identical" means the live
 * rows are exactly what a replay of the log gives; otherwise each difference is listed. The live
 * read model is only read: work its projection left due is not settled there, and the rows that
 * work would change are left out of the comparison on both sides (the shadow is settled in full).
 */
export async function driftReport(
  store: EventStore,
  liveDb: Database.Database,
  projection: ProjectionDefinition<LedgerRecord>,
): Promise<DriftReport> {
  // One read transaction on the live side: its checkpoint, rows and work due are one consistent snapshot.
  const live = liveDb.transaction(() => ({
    position: readCheckpoint(liveDb, projection.name)?.position ?? 0n,
    tables: projection.tables.map((t) => ({ table: t, keys: primaryKey(liveDb, t), rows: rowsOf(liveDb, t) })),
    unsettled: projection.unsettledRows?.(liveDb) ?? (() => false),
  }))();

  // The shadow is what a rebuild gives: a runner on a fresh database, fed the log up to that position.
  const shadow = new ProjectionRunner(store, [projection], ':memory:');
  try {
    for await (const page of readAllPages(store, { until: live.position, pageSize: 5000 })) shadow.applyPage(page);
    shadow.settle(Infinity);
    const differences: RowDifference[] = [];
    let count = 0;
    let rowsCompared = 0;
    let rowsLeftOut = 0;
    for (const { table, keys, rows: liveRows } of live.tables) {
      const compared = (r: Record<string, unknown>) => !live.unsettled(table, r);
      const allRebuilt = rowsOf(shadow.db, table);
      const rows = liveRows.filter(compared);
      const rebuilt = allRebuilt.filter(compared);
      rowsLeftOut += liveRows.length - rows.length + allRebuilt.length - rebuilt.length;
      rowsCompared += Math.max(rows.length, rebuilt.length);
      for (const d of diffRows(table, keys, rows, rebuilt)) {
        count += 1;
        if (differences.length < MAX_LISTED_DIFFERENCES) differences.push(d);
      }
    }
    return {
      projection: projection.name,
      version: projection.version,
      position: live.position.toString(),
      identical: count === 0,
      rowsCompared,
      rowsLeftOut,
      differenceCount: count,
      differences,
    };
  } finally {
    await shadow.close();
  }
}

function primaryKey(db: Database.Database, table: string): string[] {
  const columns = db.prepare(`SELECT name, pk FROM pragma_table_info(?)`).all(table) as {
    name: string;
    pk: bigint | number;
  }[];
  return columns
    .filter((c) => Number(c.pk) > 0)
    .sort((a, b) => Number(a.pk) - Number(b.pk))
    .map((c) => c.name);
}

function rowsOf(db: Database.Database, table: string): Record<string, unknown>[] {
  const keys = primaryKey(db, table);
  const order = keys.length > 0 ? keys.join(', ') : 'rowid';
  return db.prepare(`SELECT * FROM ${table} ORDER BY ${order}`).all() as Record<string, unknown>[];
}

function* diffRows(
  table: string,
  keys: string[],
  live: Record<string, unknown>[],
  rebuilt: Record<string, unknown>[],
): Generator<RowDifference> {
  const keyOf = (r: Record<string, unknown>) => JSON.stringify(keys.map((k) => String(r[k])));
  const rebuiltByKey = new Map(rebuilt.map((r) => [keyOf(r), r]));
  const pick = (r: Record<string, unknown>) => Object.fromEntries(keys.map((k) => [k, r[k]]));
  for (const row of live) {
    const other = rebuiltByKey.get(keyOf(row));
    rebuiltByKey.delete(keyOf(row));
    if (!other) yield { table, key: pick(row), live: plain(row), rebuilt: null };
    else if (JSON.stringify(plain(row)) !== JSON.stringify(plain(other)))
      yield { table, key: pick(row), live: plain(row), rebuilt: plain(other) };
  }
  for (const other of rebuiltByKey.values()) yield { table, key: pick(other), live: null, rebuilt: plain(other) };
}

/** A row with bigints as decimal strings, fit for JSON. */
function plain(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? v.toString() : v]));
}
