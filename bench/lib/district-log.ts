/**
 * A district's log of any size with everything a real one holds, for the benches that need more
 * than receipts (the red-flag rules read registrations, approvals, budget lines, pledges,
 * contracts, milestones, households, votes, receipts, payments and reversals).
 *
 * The demo district (46 projects, about 4,300 events, the planted irregularities included) is
 * written once through the write path, as the specs load it (test/support/demo-store.ts: its
 * project streams, without fund batches), into a store on tmpfs (no fsync to wait for). Its events
 * are then copied, renamed, into the target store until it holds `total` events: copy k's project
 * `TN2021-003` is `TN2021-003-R0007` and its community `东升街小区·7` (so no two copies share a
 * community, which RF-13 would flag), its event and command ids are new, and every hash and chain
 * is computed afresh, so the log verifies as a real one does (an export of it imports, and the
 * red-flags CLI reads it). The copies are interleaved in the template's order (its first event in
 * every copy, then its second...): the log moves through the district's years as many clerks
 * writing at once would write it.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { GENESIS_HASH, eventHash } from '../../src/event-store/hashing';
import { loadDemo } from '../../test/support/demo-store';
import { nowMs } from './util';

interface TemplateEvent {
  projectId: string;
  revision: number;
  type: string;
  data: string;
  metadata: Record<string, unknown>;
}

/** Rows per write transaction while copying. */
const TX_ROWS = 20_000;

/** The demo district's project streams, written through the write path, in global order. */
async function templateEvents(): Promise<TemplateEvent[]> {
  const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'ledger-bench-template-'));
  try {
    const store = new SqliteEventStore(join(dir, 'events.sqlite'));
    await loadDemo(store);
    await store.close();
    const db = new Database(join(dir, 'events.sqlite'), { readonly: true });
    try {
      const rows = db
        .prepare('SELECT stream_id, revision, type, data, metadata FROM events ORDER BY position')
        .all() as { stream_id: string; revision: number; type: string; data: string; metadata: string }[];
      return rows.map((r) => {
        const metadata = JSON.parse(r.metadata) as Record<string, unknown>;
        delete metadata.hash;
        delete metadata.prevHash;
        return {
          projectId: r.stream_id.slice('project-'.length),
          revision: r.revision,
          type: r.type,
          data: r.data,
          metadata,
        };
      });
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface DistrictLog {
  events: number;
  copies: number;
  projects: number;
  templateEvents: number;
  templateProjects: number;
  /** Events of each type, to say what the log holds. */
  mix: Record<string, number>;
  templateMs: number;
  buildMs: number;
}

/** Writes a district's log of `total` events into a new store at `file` (see the module comment). */
export async function buildDistrictLog(file: string, total: number): Promise<DistrictLog> {
  const t0 = nowMs();
  const template = await templateEvents();
  const templateMs = nowMs() - t0;
  const copies = Math.ceil(total / template.length);
  const templateProjects = new Set(template.map((e) => e.projectId)).size;
  await new SqliteEventStore(file).close(); // the store's own schema, WAL mode
  const db = new Database(file);
  const mix: Record<string, number> = {};
  const lastHash = new Map<string, string>();
  const lastRevision = new Map<string, number>();
  try {
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -262144');
    const insert = db.prepare(
      'INSERT INTO events (position, stream_id, revision, event_id, command_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const writeSome = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const t = template[Math.floor(i / copies)];
        const copy = i % copies;
        const suffix = `R${String(copy).padStart(4, '0')}`;
        const projectId = `${t.projectId}-${suffix}`;
        const streamId = `project-${projectId}`;
        const data = t.data.replace(/"(projectId|community)":"([^"]*)"/g, (_m, key: string, value: string) =>
          key === 'projectId' ? `"projectId":"${value}-${suffix}"` : `"community":"${value}·${copy}"`,
        );
        const commandId = `${String(t.metadata.commandId)}-${suffix}`;
        const eventId = randomUUID();
        const metadata: Record<string, unknown> = {
          ...t.metadata,
          eventId,
          commandId,
          correlationId: commandId,
          causationId: commandId,
          prevHash: lastHash.get(streamId) ?? GENESIS_HASH,
        };
        const hash = eventHash(streamId, BigInt(t.revision), t.type, JSON.parse(data), metadata);
        metadata.hash = hash;
        insert.run(i + 1, streamId, t.revision, eventId, commandId, t.type, data, JSON.stringify(metadata));
        lastHash.set(streamId, hash);
        lastRevision.set(streamId, t.revision);
        mix[t.type] = (mix[t.type] ?? 0) + 1;
      }
    });
    for (let from = 0; from < total; from += TX_ROWS) writeSome(from, Math.min(total, from + TX_ROWS));
    const stream = db.prepare('INSERT INTO streams (stream_id, revision, last_hash) VALUES (?, ?, ?)');
    db.transaction(() => {
      for (const [streamId, revision] of lastRevision) stream.run(streamId, revision, lastHash.get(streamId)!);
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  return {
    events: total,
    copies,
    projects: lastRevision.size,
    templateEvents: template.length,
    templateProjects,
    mix,
    templateMs,
    buildMs: nowMs() - t0,
  };
}
