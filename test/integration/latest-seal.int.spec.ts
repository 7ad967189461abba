/**
 * The public notice's latest seal (LatestSeal): read from an index that follows the log from the
 * service's start, so a public reader's request never reads the whole log; and current on every
 * read, a seal made a moment before (by this process or another on the same store) included.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSeal } from '../../src/audit/seal';
import { generateSealKeyFile } from '../../src/audit/seal-key';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { CommandContext } from '../../src/event-store/write-path';
import { LatestSeal } from '../../src/public-notice/latest-seal';
import { LogIndex } from '../../src/event-store/log-index';

function ctx(commandId: string, recordedAt: string): CommandContext {
  return {
    commandId,
    requestHash: 'c'.repeat(64),
    actor: { id: 'auditor-qian', role: 'auditor', org: '区审计局' },
    correlationId: commandId,
    causationId: commandId,
    recordedAt,
  };
}

describe('LatestSeal', () => {
  let dir: string;
  const stores: SqliteEventStore[] = [];
  const open = () => {
    const store = new SqliteEventStore(join(dir, 'events.sqlite'));
    stores.push(store);
    return store;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'latest-seal-'));
  });
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is null before any seal, then each newer seal as soon as it is written, by this store or another', async () => {
    const key = generateSealKeyFile(join(dir, 'key.pem'));
    const store = open();
    const latest = new LatestSeal(new LogIndex(store));
    latest.onApplicationBootstrap();
    try {
      expect(await latest.read()).toBeNull();
      const first = await createSeal(store, key, ctx('seal-1', '2024-03-01T08:00:00.000Z'));
      expect((await latest.read())?.sealId).toBe(first.seal.sealId);
      // Another process's store on the same file: its seal is read as soon as it is in the log.
      const second = await createSeal(open(), key, ctx('seal-2', '2024-03-02T08:00:00.000Z'));
      expect(second.seal.sealId).not.toBe(first.seal.sealId);
      expect((await latest.read())?.sealId).toBe(second.seal.sealId);
    } finally {
      await latest.beforeApplicationShutdown();
    }
  });

  it('after a start on a sealed log, serves the seal found by its own subscription', async () => {
    const key = generateSealKeyFile(join(dir, 'key.pem'));
    const made = await createSeal(open(), key, ctx('seal-1', '2024-03-01T08:00:00.000Z'));
    const latest = new LatestSeal(new LogIndex(open()));
    latest.onApplicationBootstrap();
    try {
      expect(await latest.read()).toEqual(made.seal);
    } finally {
      await latest.beforeApplicationShutdown();
    }
  });
});
