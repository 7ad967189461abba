/**
 * Snapshots of folded state: a writer that starts after a restart decides on a long stream from
 * its snapshot, reading only the events after it; a snapshot is never trusted over the log (one
 * whose event hash or state version does not match is dropped and the stream folded afresh); and
 * a snapshot's keyed entries are read one key at a time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { SnapshotStore } from '../../src/event-store/snapshots';
import { CommandContext, GroupCommitWriter, OptimisticWriter, SnapshotOptions } from '../../src/event-store/write-path';
import { Decider, DomainEvent } from '../../src/shared/domain/decider';
import { DomainError } from '../../src/shared/domain/domain-error';
import { KeyedMap, KeyedSet } from '../../src/shared/domain/keyed-collections';
import { EventRegistry } from '../../src/shared/domain/event-registry';
import { decimalAmount, shape, string } from '../../src/shared/domain/data-shape';

interface Tally {
  entries: KeyedMap<{ amountFen: bigint }>;
  closed: KeyedSet;
  totalFen: bigint;
}
type Add = { type: 'Add'; id: string; amountFen: bigint } | { type: 'Close'; id: string };
type Added = DomainEvent<'added.v1', { id: string; amount: string }> | DomainEvent<'closed.v1', { id: string }>;

/** Ids are used once; a closed id cannot be closed again; the total is the sum of amounts. */
const tally: Decider<Tally, Add, Added> = {
  initialState: () => ({ entries: KeyedMap.empty(), closed: KeyedSet.empty(), totalFen: 0n }),
  decide(c, s) {
    if (c.type === 'Close') {
      if (!s.entries.has(c.id) || s.closed.has(c.id)) throw new DomainError('not-open', `${c.id} is not open`, 422);
      return [{ type: 'closed.v1', data: { id: c.id } }];
    }
    if (s.entries.has(c.id)) throw new DomainError('id-taken', `${c.id} is taken`, 422);
    return [
      {
        type: 'added.v1',
        data: { id: c.id, amount: `${c.amountFen / 100n}.${String(c.amountFen % 100n).padStart(2, '0')}` },
      },
    ];
  },
  evolve(s, e) {
    if (e.type === 'closed.v1') return { ...s, closed: s.closed.add(e.data.id) };
    const amountFen = BigInt(e.data.amount.replace('.', ''));
    return { ...s, entries: s.entries.set(e.data.id, { amountFen }), totalFen: s.totalFen + amountFen };
  },
  events: new EventRegistry<Added>('tally', {
    'added.v1': shape<{ id: string; amount: string }>({ id: string, amount: decimalAmount }),
    'closed.v1': shape<{ id: string }>({ id: string }),
  }),
  stateVersion: 1,
};

let n = 0;
const ctx = (): CommandContext => {
  n += 1;
  return {
    commandId: `s-${n}`,
    requestHash: `h-${n}`,
    actor: { id: 'u', role: 'finance', org: 'o' },
    correlationId: 'c',
    causationId: 'c',
    recordedAt: '2022-01-01T00:00:00.000Z',
  };
};
const add = (id: string, yuan: number): Add => ({ type: 'Add', id, amountFen: BigInt(yuan) * 100n });

describe.each(['group commit', 'optimistic'] as const)('snapshots through the %s writer', (kind) => {
  let dir: string;
  let store: SqliteEventStore;
  let snapshots: SnapshotStore;
  const writer = (options: SnapshotOptions, decider = tally) =>
    kind === 'group commit'
      ? new GroupCommitWriter(store, decider, undefined, options)
      : new OptimisticWriter(store, decider, options);
  const options = (): SnapshotOptions => ({ store: snapshots, everyEvents: 50 });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'snap-'));
    store = new SqliteEventStore(join(dir, 'events.sqlite'));
    snapshots = new SnapshotStore(join(dir, 'snapshots.sqlite'));
    const first = writer(options());
    for (let i = 0; i < 120; i++) await first.execute('tally-A', add(`E${i}`, i + 1), ctx());
    await first.execute('tally-A', { type: 'Close', id: 'E3' }, ctx());
  });
  afterEach(async () => {
    snapshots.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A restart: a new writer and a new snapshot file handle; `reads` records where each stream read began. */
  function restarted(stateVersion = 1) {
    snapshots.close();
    snapshots = new SnapshotStore(join(dir, 'snapshots.sqlite'));
    const reads: bigint[] = [];
    const readStream = store.readStream.bind(store);
    jest.spyOn(store, 'readStream').mockImplementation((id, from = 0n, max) => {
      reads.push(from);
      return readStream(id, from, max);
    });
    const tx = store.writeBatch.bind(store);
    jest
      .spyOn(store, 'writeBatch')
      .mockImplementation((work) =>
        tx((t) => work({ ...t, readStream: (id, from = 0n, max) => (reads.push(from), t.readStream(id, from, max)) })),
      );
    return { w: writer(options(), { ...tally, stateVersion }), reads };
  }
  afterEach(() => jest.restoreAllMocks());

  it('after a restart, a command is decided from the snapshot and reads only the events after it', async () => {
    const { w, reads } = restarted();
    const snapshotAt = snapshots.head('tally-A', 'tally.v1')!.revision;
    expect(snapshotAt).toBe(99n); // written at 50 and 100 events (revisions 49 and 99)
    await expect(w.execute('tally-A', add('E7', 1), ctx())).rejects.toMatchObject({ code: 'id-taken' }); // an entry only the snapshot holds
    await expect(w.execute('tally-A', { type: 'Close', id: 'E3' }, ctx())).rejects.toMatchObject({ code: 'not-open' }); // closed after it
    await expect(w.execute('tally-A', { type: 'Close', id: 'E119' }, ctx())).resolves.toMatchObject({ revision: 121n });
    expect(reads[0]).toBe(snapshotAt); // its own event (to check its hash), then the newer ones
  });

  it('a snapshot of another state version is dropped and the stream folded from its first event', async () => {
    const { w, reads } = restarted(2);
    await expect(w.execute('tally-A', add('E7', 1), ctx())).rejects.toMatchObject({ code: 'id-taken' });
    expect(reads[0]).toBe(0n);
    expect(snapshots.head('tally-A', 'tally.v1')).toBeNull();
  });

  it('a snapshot whose event the log does not hold is never trusted: dropped, and the stream folded afresh', async () => {
    const db = new Database(join(dir, 'snapshots.sqlite'));
    db.prepare("UPDATE snapshots SET hash = 'f00d' WHERE stream_id = 'tally-A'").run();
    db.prepare('UPDATE snapshot_entries SET value = \'{"amountFen":{"$bigint":"1"}}\'').run(); // and its rows lie
    db.close();
    const { w, reads } = restarted();
    await expect(w.execute('tally-A', add('E7', 1), ctx())).rejects.toMatchObject({ code: 'id-taken' });
    expect(reads).toEqual([99n, 0n]);
  });

  it('the total folded through a snapshot equals the total folded from the log', async () => {
    const { w } = restarted();
    await w.execute('tally-A', add('E200', 1000), ctx());
    // 1 + 2 + ... + 120 yuan, then 1000 yuan, in fen; the snapshot at 100 carries the first 100.
    const folded = (await store.readStream('tally-A')).reduce(
      (s, e) => tally.evolve(s, { type: e.type, data: e.data } as Added),
      tally.initialState(),
    );
    expect(folded.totalFen).toBe((7260n + 1000n) * 100n);
    expect(snapshots.head('tally-A', 'tally.v1')!.revision).toBe(99n);
  });
});
