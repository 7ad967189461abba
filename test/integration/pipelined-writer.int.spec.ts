/**
 * The pipelined writer (the service's writer on the embedded store): group commit with the
 * transaction on the store's write thread, the next group decided on top of one not yet
 * committed. The group-commit contract holds (each caller answered only after its own commit; a
 * broken rule fails alone; an append failing half way rolls back and the others go on alone;
 * idempotency, also against another connection); and a group decided on top of one that then
 * failed is decided again, never written on a history the store does not hold; a write thread
 * that dies answers its callers with an error and leaves nothing half written.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyChain } from '../../src/audit/verify-chain';
import { GENESIS_HASH } from '../../src/event-store/hashing';
import { GroupCommitWriter } from '../../src/event-store/sqlite/group-commit-writer';
import { EAGER_GROUP, PipelinedWriter } from '../../src/event-store/sqlite/pipelined-writer';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { WorkerAppend } from '../../src/event-store/sqlite/write-worker';
import { ProjectCommand } from '../../src/project/project.commands';
import { projectDecider } from '../../src/project/project.decider';
import { ctx, embeddedWriterCases, payment, receipt, register } from './support/embedded-writer-cases';

describe('pipelined writer', () => {
  let dir: string;
  let store: SqliteEventStore;
  let groups: number[];
  let writer: PipelinedWriter<any, ProjectCommand, any>;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pipelined-'));
    store = new SqliteEventStore(join(dir, 'events.sqlite'));
    groups = [];
    writer = new PipelinedWriter(store, projectDecider, (size) => groups.push(size));
    await writer.execute('project-A', register('A'), ctx());
    await writer.execute('project-A', { type: 'AddBudgetLine', lineId: 'B1', category: 'basic', item: 'roof', estimatedCost: '5000.00' }, ctx());
    await writer.execute('project-A', { type: 'ApproveProject', approvedInvestment: '5000.00', docNo: 'd', approvedOn: '2022-01-01' }, ctx());
    groups = [];
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function chainOk(): Promise<void> {
    const report = await verifyChain(store, { workers: 1 });
    expect(report.firstProblem).toBeUndefined();
    expect(report.ok).toBe(true);
  }

  embeddedWriterCases(() => ({ dir, store, writer, groups }));
  it('an append failing half way rolls its group back, and its neighbours are written alone', async () => {
    await writer.execute('project-B', register('B'), ctx());
    const head = await store.headPosition();
    writer.injectFault({ kind: 'throw-half-way', streamId: 'project-B' });
    const settled = await Promise.allSettled([
      writer.execute('project-A', receipt('R1', '1.00'), ctx()),
      writer.execute('project-B', receipt('R2', '2.00'), ctx()),
      writer.execute('project-A', receipt('R3', '3.00'), ctx()),
    ]);
    writer.injectFault(undefined);
    expect(settled.map((x) => x.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((settled[1] as PromiseRejectedResult).reason)).toMatch(/half way/);
    expect(await store.headPosition()).toBe(head + 2n);
    expect((await store.readStream('project-B')).map((e) => e.type)).toEqual(['project-registered.v1']);
    // Nothing of the failed append stuck in the folded state either.
    await expect(writer.execute('project-B', receipt('R2', '2.00'), ctx())).resolves.toMatchObject({ revision: 1n });
    await chainOk();
  });

  it('a group decided on top of one that then rolled back is decided again on what was written', async () => {
    await writer.execute('project-B', register('B'), ctx());
    await writer.execute('project-A', receipt('R0', '100.00'), ctx());
    const head = await store.headPosition();
    writer.injectFault({ kind: 'throw-half-way', streamId: 'project-B' });
    // 40 at once: the first half is sent, the second half decided on top of it while it commits.
    // The first half holds the failing append, so it rolls back; the second half, decided on
    // events that were never written, must not be written as decided.
    const commands: [string, ProjectCommand][] = [['project-B', receipt('RB', '2.00')]];
    for (let i = 0; i < 39; i++) commands.push(['project-A', payment(`D${i}`, '5.00')]);
    const settled = await Promise.allSettled(commands.map(([stream, c]) => writer.execute(stream, c, ctx())));
    writer.injectFault(undefined);
    expect(settled[0]).toMatchObject({ status: 'rejected' });
    // 100.00 received: exactly 20 payments of 5.00 fit, whichever group they ended up in.
    const paid = settled.slice(1).filter((s) => s.status === 'fulfilled');
    expect(paid).toHaveLength(20);
    expect(settled.slice(1).filter((s) => s.status === 'rejected').every((s) => (s as PromiseRejectedResult).reason.code === 'disbursement-exceeds-receipts')).toBe(true);
    expect(await store.headPosition()).toBe(head + 20n);
    const events = await store.readStream('project-A');
    expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => BigInt(i)));
    expect(events.filter((e) => e.type === 'funds-disbursed.v1')).toHaveLength(20);
    await chainOk();
  });

  it('a refusal decided on top of an append that then failed is decided again', async () => {
    await writer.execute('project-A', receipt('R0', '10.00'), ctx());
    const failing = ctx();
    writer.injectFault({ kind: 'throw-half-way', commandId: failing.commandId });
    // 16 at once: the first 8 are sent, the next 8 decided on top of them while they commit. D1
    // (first group) would spend all the money, so D2 (second group) is refused on top of it; but
    // D1 fails half way and is never written, so D2 must be decided again, and is written.
    const registers = (prefix: string) => Array.from({ length: 7 }, (_, i) => writer.execute(`project-${prefix}${i}`, register(`${prefix}${i}`), ctx()));
    const first = writer.execute('project-A', payment('D1', '10.00'), failing);
    const firstGroup = registers('P');
    const second = writer.execute('project-A', payment('D2', '10.00'), ctx());
    const secondGroup = registers('Q');
    await expect(first).rejects.toThrow(/half way/);
    await expect(second).resolves.toMatchObject({ replayed: false });
    await expect(Promise.all([...firstGroup, ...secondGroup])).resolves.toHaveLength(14);
    writer.injectFault(undefined);
    expect((await store.readStream('project-A')).filter((e) => e.type === 'funds-disbursed.v1').map((e) => e.data.paymentId)).toEqual(['D2']);
    await chainOk();
  });

  it('a commit that fails answers every command of the group with the error and writes nothing', async () => {
    const head = await store.headPosition();
    writer.injectFault({ kind: 'throw-on-commit' });
    const settled = await Promise.allSettled([writer.execute('project-A', receipt('R1', '100.00'), ctx()), writer.execute('project-A', receipt('R2', '100.00'), ctx())]);
    writer.injectFault(undefined);
    expect(settled.every((s) => s.status === 'rejected' && /power cut/.test(String(s.reason)))).toBe(true);
    expect(await store.headPosition()).toBe(head);
    // The folded state of the lost group must be gone: 100.00 was never received.
    await expect(writer.execute('project-A', payment('D1', '100.00'), ctx())).rejects.toMatchObject({ code: 'disbursement-exceeds-receipts' });
    const ok = await writer.execute('project-A', receipt('R1', '100.00'), ctx());
    expect(ok.revision).toBe(3n);
  });

  it('a write thread that dies before its commit answers its callers with an error, writes nothing, and a new thread goes on', async () => {
    const head = await store.headPosition();
    writer.injectFault({ kind: 'exit-before-commit' });
    const settled = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => writer.execute('project-A', receipt(`R${i}`, '100.00'), ctx())));
    writer.injectFault(undefined);
    expect(settled.every((s) => s.status === 'rejected' && (s as PromiseRejectedResult).reason.name === 'WriteWorkerLost')).toBe(true);
    expect(await store.headPosition()).toBe(head);
    await expect(writer.execute('project-A', payment('D1', '100.00'), ctx())).rejects.toMatchObject({ code: 'disbursement-exceeds-receipts' });
    const ok = await writer.execute('project-A', receipt('R1', '100.00'), ctx());
    expect(ok.revision).toBe(3n);
    await chainOk();
  });

  it('when the write thread dies under one group, the groups it never started are decided again on a new thread and written', async () => {
    const head = await store.headPosition();
    writer.injectFault({ kind: 'exit-before-commit' });
    const pending = Array.from({ length: 10 }, (_, i) => writer.execute('project-A', receipt(`R${i}`, '100.00'), ctx()));
    await new Promise((resolve) => setImmediate(resolve)); // the group goes out with the fault
    await new Promise((resolve) => setImmediate(resolve));
    writer.injectFault(undefined); // the next thread is healthy
    const results = await Promise.all(pending);
    expect(results.every((r) => !r.replayed)).toBe(true);
    expect(await store.headPosition()).toBe(head + 10n);
    expect((await store.readStream('project-A')).filter((e) => e.type === 'funds-received.v1').length).toBe(10);
    await chainOk();
  });

  it('two connections writing one hot stream at once never refuse a command for losing races (no write-conflict), and the chain holds', async () => {
    const other = new SqliteEventStore(join(dir, 'events.sqlite'));
    try {
      const theirs = new PipelinedWriter<any, ProjectCommand, any>(other, projectDecider);
      // Each side keeps 64 commands in flight, 1024 each, on the same stream: every commit of one
      // side makes the other side's groups in flight meet a conflict and be decided again.
      const run = async (w: PipelinedWriter<any, ProjectCommand, any>, side: string) => {
        const refused: string[] = [];
        for (let batch = 0; batch < 1024; batch += 64) {
          const settled = await Promise.allSettled(Array.from({ length: 64 }, (_, i) => w.execute('project-A', receipt(`${side}${batch + i}`, '1.00'), ctx())));
          for (const s of settled) if (s.status === 'rejected') refused.push((s.reason as { code?: string }).code ?? String(s.reason));
        }
        return refused;
      };
      const [ours, others] = await Promise.all([run(writer, 'X'), run(theirs, 'Y')]);
      expect([...ours, ...others]).toEqual([]);
      expect((await store.readStream('project-A')).filter((e) => e.type === 'funds-received.v1').length).toBe(2048);
    } finally {
      await other.close();
    }
    await chainOk();
  });

  it('a repeat is answered with the first answer, also when it now breaks a rule, and another request under the key is 409', async () => {
    const c = ctx();
    const first = await writer.execute('project-A', receipt('R1', '5.00'), c);
    await expect(writer.execute('project-A', receipt('R1', '5.00'), c)).resolves.toMatchObject({ replayed: true, revision: first.revision, position: first.position });
    await expect(writer.execute('project-A', receipt('R9', '6.00'), { ...c, requestHash: 'other' })).rejects.toMatchObject({ code: 'idempotency-key-reused', status: 409 });
  });

  it('a command another connection wrote first is answered with that answer', async () => {
    const c = ctx();
    const other = new SqliteEventStore(join(dir, 'events.sqlite'));
    let theirs;
    try {
      theirs = await new GroupCommitWriter(other, projectDecider).execute('project-A', receipt('R1', '5.00'), c);
    } finally {
      await other.close();
    }
    // Our cache has not seen it: the write thread finds the command id in its transaction.
    await expect(writer.execute('project-A', receipt('R1', '5.00'), c)).resolves.toMatchObject({ replayed: true, position: theirs.position });
    expect(await store.readByCommand(c.commandId)).toHaveLength(1);
  });

  it('a command that keeps losing races to another process is decided under the write lock and written', async () => {
    writer.injectFault({ kind: 'conflict', streamId: 'project-A' }); // the write thread never writes project-A now
    const result = await writer.execute('project-A', receipt('R-locked', '7.00'), ctx());
    writer.injectFault(undefined);
    const events = await store.readStream('project-A');
    expect(events[events.length - 1]).toMatchObject({ type: 'funds-received.v1', revision: result.revision, position: result.position });
    expect(events[events.length - 1].data).toMatchObject({ receiptId: 'R-locked', amount: '7.00' });
    // The writer goes on on the thread afterwards, on the stream as it now is.
    await writer.execute('project-A', receipt('R-after', '1.00'), ctx());
    expect((await store.readStream('project-A')).map((e) => e.data.receiptId).slice(-2)).toEqual(['R-locked', 'R-after']);
    await chainOk();
  });

  it('with nothing in flight, a group goes to the write thread as soon as EAGER_GROUP commands wait; the rest gather until the end of the tick', async () => {
    const n = 2 * EAGER_GROUP + 3;
    for (let i = 0; i < n; i++) await writer.execute(`project-G${i}`, register(`G${i}`), ctx());
    groups = [];
    // Sent in one tick: without the eager rule they would all be decided together at the end of it.
    const results = await Promise.all(Array.from({ length: n }, (_, i) => writer.execute(`project-G${i}`, receipt(`R${i}`, '1.00'), ctx())));
    expect(results).toHaveLength(n);
    expect(groups).toEqual([EAGER_GROUP, n - EAGER_GROUP]);
  });

  it('two writers on one store share its write thread and never write on each other\'s stale state', async () => {
    await writer.execute('project-A', receipt('R0', '100.00'), ctx());
    const second = new PipelinedWriter<any, ProjectCommand, any>(store, projectDecider);
    const settled = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => (i % 2 ? writer : second).execute('project-A', payment(`D${i}`, '10.00'), ctx())));
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(10);
    expect(settled.filter((s) => s.status === 'rejected').every((s) => (s as PromiseRejectedResult).reason.code === 'disbursement-exceeds-receipts')).toBe(true);
    await chainOk();
  });
});

describe('the write thread', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'write-thread-'));
    store = new SqliteEventStore(join(dir, 'events.sqlite'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** One new stream's first event, as rows for the write thread (hashes need not chain here). */
  const append = (streamId: string, n: number): WorkerAppend => ({
    streamId, expectedRevision: -1n, expectedHash: GENESIS_HASH, commandId: `c-${streamId}`, lastHash: `h-${streamId}`,
    rows: [[`e-${streamId}`, 'test-event.v1', JSON.stringify({ n }), JSON.stringify({ commandId: `c-${streamId}` })]],
  });

  it('commits the requests that queued during a commit in one transaction; one failing half way is rolled back alone', async () => {
    const thread = store.writeWorker();
    let largest = 0;
    for (let round = 0; round < 20; round++) {
      // Sent in one tick: the first starts a transaction, the others queue behind it and share the next.
      const settled = await Promise.allSettled([0, 1, 2, 3, 4].map((i) =>
        thread.send([append(`s-${round}-${i}`, i)], i === 2 ? { kind: 'throw-half-way', streamId: `s-${round}-2` } : undefined)));
      expect(settled.map((x) => x.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      expect((settled[2] as PromiseRejectedResult).reason).toMatchObject({ name: 'WriteGroupFailed', phase: 'append' });
      for (const x of settled) if (x.status === 'fulfilled') largest = Math.max(largest, x.value.shared);
      for (const i of [0, 1, 3, 4]) expect((await store.readStream(`s-${round}-${i}`)).map((e) => e.data)).toEqual([{ n: i }]);
      expect(await store.readStream(`s-${round}-2`)).toEqual([]);
    }
    expect(await store.headPosition()).toBe(80n);
    expect(largest).toBeGreaterThan(1); // requests did share a transaction
  });

  it('writes an append only on the stream as its decision saw it (revision and last hash)', async () => {
    const thread = store.writeWorker();
    await thread.send([append('x', 0)]);
    const next = (expectedRevision: bigint, expectedHash: string, id: string): WorkerAppend => ({
      streamId: 'x', expectedRevision, expectedHash, commandId: `c-${id}`, lastHash: `h-${id}`,
      rows: [[id, 'test-event.v1', JSON.stringify({ id }), JSON.stringify({ commandId: `c-${id}` })]],
    });
    const refused = await thread.send([next(0n, 'h-not-the-last', 'e-1'), next(1n, 'h-x', 'e-2'), next(-1n, GENESIS_HASH, 'e-3')]);
    expect(refused.results).toEqual([{ ok: false, conflict: true }, { ok: false, conflict: true }, { ok: false, conflict: true }]);
    const written = await thread.send([next(0n, 'h-x', 'e-1')]);
    expect(written.results).toEqual([{ ok: true, revision: 1n, position: 2n }]);
    expect((await store.readStream('x')).map((e) => e.eventId)).toEqual(['e-x', 'e-1']);
  });

  it('poll() takes an answer that has arrived without waiting for the event loop', async () => {
    const thread = store.writeWorker();
    await thread.send([append('warm', 0)]); // the thread is up
    let settled = false;
    const sent = thread.send([append('p-1', 1)]).then(() => { settled = true; });
    const until = Date.now() + 300;
    while (Date.now() < until); // the thread commits and answers; this thread never yields
    await Promise.resolve();
    expect(settled).toBe(false); // the answer waits on the channel
    thread.poll();
    await Promise.resolve();
    await Promise.resolve();
    expect(settled).toBe(true);
    await sent;
  });

  it('a COMMIT that fails fails every request of its transaction, and writes none of them', async () => {
    const thread = store.writeWorker();
    const settled = await Promise.allSettled([0, 1, 2].map((i) => thread.send([append(`k-${i}`, i)], { kind: 'throw-on-commit' })));
    expect(settled.map((x) => x.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(await store.headPosition()).toBe(0n);
    await expect(thread.send([append('k-after', 9)])).resolves.toMatchObject({ head: 1n });
  });
});
