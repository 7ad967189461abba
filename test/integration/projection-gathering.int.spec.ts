/**
 * Gathering projections (ProjectionDefinition.gather): while the runner catches up, the funding
 * mix folds pages in memory and writes each row once, with its checkpoint. Nothing folded is shown
 * before it is written, nothing is lost when a write fails, and a reader waiting for a folded
 * position, a stop, or a log that simply ends all get it written.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStore, NewEvent, RecordedEvent } from '../../src/event-store/event-store.port';
import { newEvent as event, until } from '../support/new-events';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { ProjectionRunner } from '../../src/projection-runner/projection-runner';
import { fundingMixProjection } from '../../projections/funding-mix/funding-mix.projection';
import { projectListProjection } from '../../projections/project-list/project-list.projection';

const PROJECTS = ['P1', 'P2', 'P3'];
const SOURCES = ['district_matching', 'resident_direct', 'pipeline_unit'];

const ON = '2022-01-01';

/** Per project: registered, then `perProject - 1` receipts, pledges, payments and reversals over three sources. */
function projectEvents(projectId: string, perProject: number): NewEvent[] {
  const out = [
    event('project-registered.v1', {
      projectId,
      name: 'n',
      community: 'c',
      town: '梓潼街道',
      builtYear: 1990,
      buildingArea: 10,
      households: 1,
    }),
  ];
  for (let n = 1; n < perProject; n++) {
    const source = SOURCES[n % SOURCES.length];
    const amount = `${(n % 97) + 1}.${String(n % 100).padStart(2, '0')}`;
    if (n % 10 === 0) {
      const entryKind = (['receipt', 'pledge', 'payment'] as const)[(n / 10) % 3];
      out.push(
        event('entry-reversed.v1', {
          projectId,
          reversalId: `X${n}`,
          entryId: `E${n}`,
          entryKind,
          source,
          amount: '0.50',
          full: false,
          reason: 'r',
          reversedOn: ON,
        }),
      );
    } else if (n % 7 === 0)
      out.push(
        event('funding-pledged.v1', {
          projectId,
          pledgeId: `P${n}`,
          source,
          amount,
          payer: 'p',
          fiscalYear: 2022,
          pledgedOn: ON,
          details: {},
        }),
      );
    else if (n % 5 === 0) {
      out.push(
        event('funds-disbursed.v1', {
          projectId,
          paymentId: `D${n}`,
          source,
          lineId: 'B1',
          amount: '0.25',
          payee: 'p',
          voucher: `V${n}`,
          paidOn: ON,
          fiscalYear: 2022,
        }),
      );
    } else
      out.push(
        event('funds-received.v1', {
          projectId,
          receiptId: `R${n}`,
          source,
          amount,
          payer: 'p',
          reference: `T${n}`,
          receivedOn: ON,
          fiscalYear: 2022,
          details: {},
        }),
      );
  }
  return out;
}

/** The funding mix's rows worked out by hand from the events, without the projection's code. */
function oracle(events: RecordedEvent[]): Record<string, unknown>[] {
  const rows = new Map<
    string,
    { project_id: string; source: string; pledged_fen: bigint; received_fen: bigint; disbursed_fen: bigint }
  >();
  const fen = (amount: string) => BigInt(amount.replace('.', '')); // every amount here has two decimals
  for (const e of events) {
    const d = e.data as { projectId: string; source: string; amount: string; entryKind?: string };
    const sign = e.type === 'entry-reversed.v1' ? -1n : 1n;
    const kind =
      e.type === 'entry-reversed.v1'
        ? d.entryKind
        : { 'funding-pledged.v1': 'pledge', 'funds-received.v1': 'receipt', 'funds-disbursed.v1': 'payment' }[e.type];
    if (kind === undefined) continue;
    const key = `${d.projectId}/${d.source}`;
    if (!rows.has(key))
      rows.set(key, {
        project_id: d.projectId,
        source: d.source,
        pledged_fen: 0n,
        received_fen: 0n,
        disbursed_fen: 0n,
      });
    const row = rows.get(key)!;
    if (kind === 'pledge') row.pledged_fen += sign * fen(d.amount);
    if (kind === 'receipt') row.received_fen += sign * fen(d.amount);
    if (kind === 'payment') row.disbursed_fen += sign * fen(d.amount);
  }
  return [...rows.values()].sort((a, b) => (a.project_id + a.source < b.project_id + b.source ? -1 : 1));
}
const rowsOf = (runner: ProjectionRunner) =>
  runner.db
    .prepare(
      'SELECT project_id, source, pledged_fen, received_fen, disbursed_fen FROM funding_mix ORDER BY project_id, source',
    )
    .all();

/** A store whose subscriptions the test drives by hand: each is kept with where it started and its callback. */
function handDrivenStore() {
  const subscriptions: {
    after: bigint;
    deliver: (events: RecordedEvent[]) => Promise<void> | void;
    closed: boolean;
  }[] = [];
  const store = {
    subscribeToAll(after: bigint, onEvents: (events: RecordedEvent[]) => Promise<void> | void) {
      const sub = { after, deliver: onEvents, closed: false };
      subscriptions.push(sub);
      return { close: async () => void (sub.closed = true) };
    },
  } as unknown as EventStore;
  return { store, subscriptions };
}

/** Funding mix whose write fails the first `times` times it is called. */
function failingWrites(times: number): { projection: typeof fundingMixProjection; failures: () => number } {
  let failures = 0;
  const gather = fundingMixProjection.gather!;
  const projection: typeof fundingMixProjection = {
    ...fundingMixProjection,
    gather: {
      start: () => gather.start(),
      fold: (state, e) => gather.fold(state, e),
      write: (db, state) => {
        if (failures < times) {
          failures += 1;
          throw new Error('disk full (injected)');
        }
        gather.write(db, state);
      },
    },
  };
  return { projection, failures: () => failures };
}

describe('gathering projections while the runner catches up', () => {
  let dir: string;
  let store: SqliteEventStore;
  let all: RecordedEvent[];

  /** `perProject` events for each project, interleaved in pages as many clerks would write them. */
  async function fill(perProject: number): Promise<void> {
    const byProject = PROJECTS.map((p) => projectEvents(p, perProject));
    for (let from = 0; from < perProject; from += 50) {
      for (const [i, p] of PROJECTS.entries()) {
        const batch = byProject[i].slice(from, from + 50);
        await store.append(`project-${p}`, batch, from === 0 ? 'no_stream' : BigInt(from - 1));
      }
    }
    all = await store.readAll({ after: 0n, limit: 10_000 });
  }
  const checkpoint = (runner: ProjectionRunner, name: string) =>
    runner.checkpoints().find((c) => c.name === name)!.position;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gathering-'));
    store = new SqliteEventStore(join(dir, 'events.sqlite'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('folded pages show nothing until written; then each row is the sum of its events', async () => {
    await fill(400); // 1,200 events
    const runner = new ProjectionRunner(store, [fundingMixProjection, projectListProjection], join(dir, 'rm.sqlite'));
    runner.applyPage(all.slice(0, 500), false);
    runner.applyPage(all.slice(500, 1000), false);
    // The funding mix folded 1,000 events and wrote none; the project list (no gather) is at 1,000.
    expect(runner.db.prepare('SELECT count(*) AS n FROM funding_mix').get()).toEqual({ n: 0n });
    expect(checkpoint(runner, 'funding-mix')).toBe('0');
    expect(checkpoint(runner, 'project-list')).toBe('1000');
    expect(runner.position()).toBe(0n);
    runner.applyPage(all.slice(1000), true);
    expect(checkpoint(runner, 'funding-mix')).toBe('1200');
    expect(rowsOf(runner)).toEqual(oracle(all));
    await runner.close();
  });

  it('a log that ends on a full page is written without waiting for more events', async () => {
    await fill(1000); // 3,000 events: three full pages, then nothing
    expect(all.length % 1000).toBe(0);
    const runner = new ProjectionRunner(store, [fundingMixProjection], join(dir, 'rm.sqlite'));
    runner.start();
    await until(() => runner.position() === 3000n, 10_000); // nobody waits: no reader hurries it
    expect(rowsOf(runner)).toEqual(oracle(all));
    await runner.close();
  });

  it('a full page is taken in catch-up mode, a short one in live mode, which writes what was folded with it', async () => {
    await fill(400);
    const { store: hand, subscriptions } = handDrivenStore();
    const runner = new ProjectionRunner(hand, [fundingMixProjection], join(dir, 'rm.sqlite'));
    runner.start();
    await subscriptions[0].deliver(all.slice(0, 1000));
    expect(runner.mode).toBe('catch-up');
    await subscriptions[0].deliver(all.slice(1000, 1100));
    expect(runner.mode).toBe('live');
    expect(runner.position()).toBe(1100n);
    expect(rowsOf(runner)).toEqual(oracle(all.slice(0, 1100)));
    await runner.close();
  });

  it('a reader waiting for a folded position gets it written at once', async () => {
    await fill(400);
    const runner = new ProjectionRunner(store, [fundingMixProjection], join(dir, 'rm.sqlite'));
    runner.applyPage(all.slice(0, 600), false);
    expect(runner.position()).toBe(0n);
    expect(await runner.waitFor(600n, 2_000)).toBe(true);
    expect(runner.position()).toBe(600n);
    await runner.close();
  });

  it('stopping writes what was folded: a new runner resumes after it', async () => {
    await fill(400);
    const file = join(dir, 'rm.sqlite');
    const first = new ProjectionRunner(store, [fundingMixProjection], file);
    first.applyPage(all.slice(0, 700), false);
    await first.close();
    const second = new ProjectionRunner(store, [fundingMixProjection], file);
    expect(second.position()).toBe(700n);
    second.applyPage(all); // delivered again from the start: what is older than the checkpoint is skipped
    expect(rowsOf(second)).toEqual(oracle(all));
    await second.close();
  });

  it('a write that fails loses nothing folded before it: the runner reads again from its checkpoint', async () => {
    await fill(1000);
    const { projection, failures } = failingWrites(1);
    const logged: string[] = [];
    const runner = new ProjectionRunner(store, [projection], join(dir, 'rm.sqlite'), (m) => logged.push(m));
    runner.start();
    await until(() => runner.position() === 3000n && runner.error() === null, 10_000);
    expect(failures()).toBe(1);
    expect(logged.join('\n')).toMatch(/disk full \(injected\)/);
    // Every page folded before the failed write was read again, once.
    expect(rowsOf(runner)).toEqual(oracle(all));
    await runner.close();
  });

  /** A runner on a hand-driven store that folded 500 events, then failed to write them (a short page of 100 more). */
  async function failedAfterFolding() {
    await fill(400);
    const { store: hand, subscriptions } = handDrivenStore();
    const runner = new ProjectionRunner(hand, [failingWrites(1).projection], join(dir, 'rm.sqlite'), () => undefined);
    runner.start();
    await subscriptions[0].deliver(all.slice(0, 500)); // folded
    await expect(subscriptions[0].deliver(all.slice(500, 600))).rejects.toThrow(/disk full/); // short: written, and the write fails
    return { runner, subscriptions };
  }

  it('after a failed write, a page of the given-up subscription is refused; the new one starts at the checkpoint', async () => {
    const { runner, subscriptions } = await failedAfterFolding();
    // The old subscription offers its next page before it is closed: refused, nothing moves.
    await expect(subscriptions[0].deliver(all.slice(600, 1100))).rejects.toThrow(/given up/);
    expect(runner.position()).toBe(0n);
    await until(() => subscriptions.length === 2);
    expect(subscriptions[0].closed).toBe(true);
    expect(subscriptions[1].after).toBe(0n);
    await subscriptions[1].deliver(all);
    expect(runner.mode).toBe('live'); // a full page, but written alone: the runner was not past the failure
    expect(runner.position()).toBe(1200n);
    expect(rowsOf(runner)).toEqual(oracle(all));
    await runner.close();
  });

  it('a rebuild asked for while the runner reads again from its checkpoint leaves it running', async () => {
    const { runner, subscriptions } = await failedAfterFolding();
    await runner.rebuild('funding-mix');
    await until(() => subscriptions.length >= 2);
    const live = subscriptions[subscriptions.length - 1];
    expect(live.closed).toBe(false);
    await live.deliver(all);
    expect(rowsOf(runner)).toEqual(oracle(all));
    await runner.close();
  });

  it("an event that cannot be applied stops the runner before it, retried with the store's backoff, not read again in a loop", async () => {
    await fill(1000);
    const poison = event('funds-received.v1', {
      projectId: 'P1',
      receiptId: 'R-bad',
      source: 'resident_direct',
      amount: 'not money',
      details: {},
    });
    await store.append('project-P1', [poison], 999n);
    await store.append(
      'project-P2',
      projectEvents('P2', 400)
        .slice(1)
        .map((e) => ({ ...e, eventId: `${e.eventId}-after` })),
      999n,
    );
    const subscribe = jest.spyOn(store, 'subscribeToAll');
    const logged: string[] = [];
    const runner = new ProjectionRunner(store, [fundingMixProjection], join(dir, 'rm.sqlite'), (m) => logged.push(m));
    runner.start();
    await until(() => runner.error() !== null && logged.length >= 2);
    await new Promise((r) => setTimeout(r, 1_000));
    // The first failure (folded pages lost) reads again once; from then on each page is written
    // alone, so the bad one fails alone and the store backs off (500 ms, then longer).
    expect(subscribe.mock.calls.length).toBeLessThanOrEqual(2);
    expect(logged.length).toBeLessThanOrEqual(6);
    expect(runner.position()).toBeLessThan(3001n);
    expect(runner.error()?.message).toMatch(/not money|Cannot convert|SyntaxError/);
    await runner.close();
  });
});
