/**
 * The copy command round-trips the demo district through a second SQLite store: the same events
 * in the same order with the same hashes, and identical funding mixes for every project. It is
 * resumable: a copy cut short goes on from its checkpoint without doubling anything.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main';
import { demoDistrict, loadDemo, readModelsOf } from '../support/demo-store';
import { compareLogs } from '../../src/cli/copy.command';
import { copyLog } from '../../src/audit/copy-log';
import { deriveEventId } from '../../src/event-store/hashing';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { EventStoreDbEventStore } from '../../src/event-store/eventstoredb/eventstoredb-event-store';

const district = demoDistrict;
const mixesOf = (file: string, store: SqliteEventStore) => readModelsOf(file, store);

describe('copying the event log between stores', () => {
  let dir: string;
  let source: SqliteEventStore;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'copy-'));
    mkdirSync(join(dir, 'src'));
    source = new SqliteEventStore(join(dir, 'src', 'events.sqlite'));
    await loadDemo(source);
  });
  afterAll(async () => {
    await source.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('round-trips the demo district with identical events and funding mixes', async () => {
    const target = new SqliteEventStore(join(dir, 'b-events.sqlite'));
    const result = await copyLog(source, target);
    expect(result.copied).toBe(Number(await source.headPosition()));
    expect(await compareLogs(source, target)).toBeNull();
    const [a, b] = [await mixesOf(join(dir, 'ra.sqlite'), source), await mixesOf(join(dir, 'rb.sqlite'), target)];
    expect(b).toEqual(a);
    expect(a.mixes.filter((m) => m.sources.length > 0).length).toBeGreaterThan(30);
    // Idempotency survives the copy: the command ids came along.
    const r = district.requests[5];
    expect((await target.readByCommand(r.idempotencyKey)).map((e) => e.eventId)).toEqual([
      deriveEventId(r.idempotencyKey, 0),
    ]);
    await target.close();
  });

  it('round-trips through the EventStoreDB adapter (on the fake gRPC server) and back, unchanged', async () => {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { createFake } = require('../contract/support/fake-eventstoredb');
    const fake = createFake({});
    const port: number = await fake.start();
    const esdb = await EventStoreDbEventStore.connect(`esdb://127.0.0.1:${port}?tls=false`, { timeoutMs: 5_000 });
    const back = new SqliteEventStore(join(dir, 'back-events.sqlite'));
    try {
      // A slice of the district keeps this quick (the fake server is slow): every request of the
      // first four projects with money and at most 120 requests.
      const partial = new SqliteEventStore(join(dir, 'partial-events.sqlite'));
      const first = new Set(
        district.projects
          .filter((p) => p.stage === 'funded' && p.requestCount <= 120)
          .slice(0, 4)
          .map((p) => p.projectId),
      );
      await loadDemo(
        partial,
        district.requests.filter((r) => first.has(r.projectId)),
      );
      await copyLog(partial, esdb);
      expect(await compareLogs(partial, esdb)).toBeNull();
      await copyLog(esdb, back);
      expect(await compareLogs(partial, back)).toBeNull();
      const [a, b] = [await mixesOf(join(dir, 'rp.sqlite'), partial), await mixesOf(join(dir, 'rback.sqlite'), back)];
      expect(b).toEqual(a);
      expect(a.mixes.filter((m) => m.sources.length > 0).length).toBeGreaterThan(0);
      await partial.close();
    } finally {
      await back.close();
      await esdb.close();
      fake.forceStop();
    }
  });

  it('resumes a copy cut short, without doubling an event', async () => {
    const target = new SqliteEventStore(join(dir, 'c-events.sqlite'));
    let pages = 0;
    const stop = new Error('cut short');
    const checkpoint = await copyLog(source, target, {
      pageSize: 100,
      onCheckpoint: () => {
        if (++pages === 3) throw stop;
      },
    }).catch((e) => e);
    expect(checkpoint).toBe(stop);
    // The third page is in the target, but its checkpoint was not saved: resume from the second.
    const resumed = await copyLog(source, target, { pageSize: 100, after: 200n });
    expect(resumed.skipped).toBe(100);
    expect(await compareLogs(source, target)).toBeNull();
    await target.close();
  });

  it('the CLI copies to a fresh SQLite directory, resumable, and says both logs are the same', async () => {
    const lines: string[] = [];
    const args = [
      'copy',
      '--from',
      `sqlite:${join(dir, 'src')}`,
      '--to',
      `sqlite:${join(dir, 'cli-target')}`,
      '--checkpoint',
      join(dir, 'cp.json'),
    ];
    expect(
      await runCli(
        args,
        (l) => lines.push(l),
        (l) => lines.push(l),
      ),
    ).toBe(0);
    expect(lines).toContain(`copied ${await source.headPosition()} events, 0 were already in the target`);
    expect(lines.at(-1)).toBe('both logs hold the same events in the same order with the same hashes');
    // Run again: it resumes at the end, copies nothing, and the logs still agree.
    lines.length = 0;
    expect(
      await runCli(
        args,
        (l) => lines.push(l),
        (l) => lines.push(l),
      ),
    ).toBe(0);
    expect(lines).toContain('copied 0 events, 0 were already in the target');
    expect(
      await runCli(
        ['copy', '--to'],
        () => undefined,
        (l) => lines.push(l),
      ),
    ).toBe(2);
    expect(lines.at(-1)).toContain('--to needs a value');
  });
});
