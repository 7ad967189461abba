/**
 * Two OS processes send the same commands at once through the write path, as two service
 * processes would, on each store: the embedded one, and EventStoreDB (the test double written from
 * the server's source, which answers a repeat of stored event ids with success, whatever the
 * bodies). On EventStoreDB each ledger append is held until its rival's arrives, so both reach the
 * server together whatever the scheduling of the processes. Both stores must answer alike:
 * - the same key and body: one write, and both callers get its answer;
 * - the same key, another body: one write, 409 `idempotency-key-reused` for the other, never a
 *   success for a body that was not written;
 * - one key on two streams: one write, in one stream, and 409 for the other.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStoreDbEventStore } from '../../src/event-store/eventstoredb/eventstoredb-event-store';
import { EventStore } from '../../src/event-store/event-store.port';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { freshTag } from './event-store.contract';
import { runTogether } from './support/workers';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { createFake } = require('./support/fake-eventstoredb');

const COMMANDS = 12;

interface Job {
  streamId: string;
  commandId: string;
  requestHash: string;
  amount: string;
}
interface Answer {
  commandId: string;
  streamId?: string;
  revision?: string;
  eventIds?: string[];
  replayed?: boolean;
  error?: { code: string; status: number };
}

/** Command i of a run, as the first process sends it (to `tally-<tag>-<i><suffix>`). */
const first = (tag: string, i: number, suffix = ''): Job => ({
  streamId: `tally-${tag}-${i}${suffix}`,
  commandId: `k-${tag}-${i}`,
  requestHash: 'a'.repeat(64),
  amount: '1.00',
});
const otherBody = { requestHash: 'b'.repeat(64), amount: '2.00' };

/** Per scenario, what each of the two processes sends for command i. */
const scenarios: Record<string, (tag: string, i: number) => [Job, Job]> = {
  'the same key and body': (tag, i) => [first(tag, i), first(tag, i)],
  'the same key, another body': (tag, i) => [first(tag, i), { ...first(tag, i), ...otherBody }],
  'the same key on two streams': (tag, i) => [first(tag, i, '-a'), { ...first(tag, i, '-b'), ...otherBody }],
};

const kind = (a: Answer) => a.error?.code ?? (a.replayed ? 'replayed' : 'written');

describe('two processes race on one command, on both stores', () => {
  let dir: string;
  const fake = createFake({});
  const stores: Record<string, () => { spec: string; open: () => Promise<EventStore> }> = {
    sqlite: () => {
      const file = join(dir, 'events.db');
      return { spec: `sqlite:${file}`, open: async () => new SqliteEventStore(file) };
    },
    eventstoredb: () => ({
      spec: fake.url(),
      open: () => EventStoreDbEventStore.connect(fake.url(), { timeoutMs: 10_000 }),
    }),
  };
  /** Per scenario and store, the kinds of answer to each command, in command order. */
  const verdicts: Record<string, Record<string, string[][]>> = {};

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ledger-races-'));
    await fake.start();
  });
  afterAll(async () => {
    fake.forceStop();
    await rm(dir, { recursive: true, force: true });
  });

  for (const [scenario, jobsFor] of Object.entries(scenarios)) {
    for (const storeName of Object.keys(stores)) {
      it(`${scenario}: ${storeName}`, async () => {
        const { spec, open } = stores[storeName]();
        const tag = freshTag();
        const pairs = Array.from({ length: COMMANDS }, (_, i) => jobsFor(tag, i));
        const files = [0, 1].map((w) => join(dir, `${tag}-${w}.json`));
        await Promise.all(files.map((f, w) => writeFile(f, JSON.stringify(pairs.map((p) => p[w])))));
        if (storeName === 'eventstoredb') fake.holdAppends(new RegExp(`^tally-${tag}-`), 2, 3_000);
        let answers: Answer[][];
        try {
          const workers = await runTogether(files.map((f, w) => ['commands', spec, String(w + 1), f]));
          answers = workers.map((w) => JSON.parse(w.lines[w.lines.length - 1]).results as Answer[]);
        } finally {
          fake.stopHolding();
        }

        const store = await open();
        try {
          for (let i = 0; i < COMMANDS; i++) {
            const pair = [answers[0][i], answers[1][i]];
            const written = pair.filter((a) => kind(a) === 'written');
            expect(written).toHaveLength(1);
            const winner = pairs[i][pair.indexOf(written[0])];
            // One write: the winner's body, in the winner's stream only.
            const stored = await store.readByCommand(pairs[i][0].commandId);
            expect(stored.map((e) => [e.streamId, e.data.amount, e.metadata.requestHash])).toEqual([
              [winner.streamId, winner.amount, winner.requestHash],
            ]);
            for (const job of pairs[i]) {
              expect((await store.readStream(job.streamId)).length).toBe(job.streamId === winner.streamId ? 1 : 0);
            }
            // A replay is the winner's answer, word for word.
            for (const a of pair.filter((x) => kind(x) === 'replayed')) {
              const { replayed: _w, ...first } = written[0];
              const { replayed: _r, ...again } = a;
              expect(again).toEqual(first);
            }
          }
        } finally {
          await store.close();
        }
        const byCommand = Array.from({ length: COMMANDS }, (_, i) => [kind(answers[0][i]), kind(answers[1][i])].sort());
        (verdicts[scenario] ??= {})[storeName] = byCommand;
        const expected =
          scenario === 'the same key and body' ? ['replayed', 'written'] : ['idempotency-key-reused', 'written'];
        expect(byCommand).toEqual(Array.from({ length: COMMANDS }, () => expected));
      });
    }
  }

  it('EventStoreDB answered every race as the embedded store did', () => {
    for (const scenario of Object.keys(scenarios)) {
      expect(verdicts[scenario]?.eventstoredb).toBeDefined();
      expect(verdicts[scenario].eventstoredb).toEqual(verdicts[scenario].sqlite);
    }
  });
});
