/**
 * Group commit on the embedded store: commands that arrive together are decided and appended in
 * one transaction; each is answered only after it is durable; one command's rule failure never
 * fails its neighbours; a crash between decide and commit acknowledges nothing and leaves no trace.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandContext } from '../../src/event-store/handle-command';
import { GroupCommitWriter } from '../../src/event-store/sqlite/group-commit-writer';
import { SqliteEventStore, SqliteWriteTx } from '../../src/event-store/sqlite/sqlite-event-store';
import { ProjectCommand } from '../../src/project/project.commands';
import { projectDecider } from '../../src/project/project.decider';

let n = 0;
const ctx = (over: Partial<CommandContext> = {}): CommandContext => {
  n += 1;
  return { commandId: `g-${n}`, requestHash: `h-${n}`, actor: { id: 'u', role: 'finance', org: 'o' }, correlationId: `c${n}`, causationId: `c${n}`, recordedAt: '2022-01-01T00:00:00.000Z', ...over };
};
const register = (id: string): ProjectCommand => ({ type: 'RegisterProject', projectId: id, name: 'n', community: 'c', town: 't', builtYear: 1990, buildingArea: 100, households: 10 });
const receipt = (id: string, amount: string, source = 'district_matching'): ProjectCommand => ({
  type: 'ReceiveFunds', receiptId: id, source, amount, payer: 'p', reference: 'r', receivedOn: '2022-01-02', fiscalYear: 2022, details: {},
});
const payment = (id: string, amount: string): ProjectCommand => ({
  type: 'DisburseFunds', paymentId: id, source: 'district_matching', lineId: 'B1', amount, payee: 'p', voucher: 'v', paidOn: '2022-01-03', fiscalYear: 2022,
});

/** A store whose group transaction dies after the decisions and appends, before the commit. */
class CrashingStore extends SqliteEventStore {
  crashNext = false;
  /** Appends to this stream fail after writing their first event (an I/O error half way). */
  failingStream: string | null = null;
  override writeBatch<T>(work: (tx: SqliteWriteTx) => T): T {
    if (this.failingStream) {
      const failing = this.failingStream;
      return super.writeBatch((tx) =>
        work({
          ...tx,
          append: (streamId, events, expected) => {
            if (streamId !== failing) return tx.append(streamId, events, expected);
            tx.append(streamId, events.slice(0, 1), expected);
            throw new Error('disk I/O error half way');
          },
        }),
      );
    }
    if (!this.crashNext) return super.writeBatch(work);
    this.crashNext = false;
    return super.writeBatch((tx) => {
      work(tx);
      throw new Error('power cut before commit');
    });
  }
}

describe('group commit', () => {
  let dir: string;
  let store: CrashingStore;
  let groups: number[];
  let writer: GroupCommitWriter<any, ProjectCommand, any>;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'group-'));
    store = new CrashingStore(join(dir, 'events.sqlite'));
    groups = [];
    writer = new GroupCommitWriter(store, projectDecider, (size) => groups.push(size));
    await writer.execute('project-A', register('A'), ctx());
    await writer.execute('project-A', { type: 'AddBudgetLine', lineId: 'B1', category: 'basic', item: 'roof', estimatedCost: '5000.00' }, ctx());
    await writer.execute('project-A', { type: 'ApproveProject', approvedInvestment: '5000.00', docNo: 'd', approvedOn: '2022-01-01' }, ctx());
    groups = [];
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commands that arrive together share one transaction', async () => {
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => writer.execute(`project-P${i}`, register(`P${i}`), ctx())));
    expect(results.every((r) => r.revision === 0n)).toBe(true);
    expect(groups.reduce((a, b) => a + b, 0)).toBe(40);
    expect(groups.length).toBeLessThan(40);
    expect(Math.max(...groups)).toBeGreaterThan(1);
  });

  it('a command that breaks a rule fails alone; its neighbours are written', async () => {
    const commands = Array.from({ length: 20 }, (_, i) => (i === 7 ? receipt(`R${i}`, '-1.00') : receipt(`R${i}`, '10.00')));
    const settled = await Promise.allSettled(commands.map((c) => writer.execute('project-A', c, ctx())));
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(19);
    expect(settled[7]).toMatchObject({ status: 'rejected', reason: { code: 'invalid-amount' } });
    expect(groups.length).toBeLessThan(20);
    const events = await store.readStream('project-A');
    expect(events.filter((e) => e.type === 'funds-received.v1')).toHaveLength(19);
    expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => BigInt(i)));
  });

  it('commands on one stream in one group see each other: no overspending together', async () => {
    await writer.execute('project-A', receipt('R1', '1000.00'), ctx());
    const settled = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => writer.execute('project-A', payment(`D${i}`, '50.00'), ctx())));
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(20);
    expect(settled.filter((s) => s.status === 'rejected').every((s) => (s as PromiseRejectedResult).reason.code === 'disbursement-exceeds-receipts')).toBe(true);
  });

  it('the same command id twice in one group is written once and answered twice', async () => {
    const c = ctx();
    const [a, b] = await Promise.all([writer.execute('project-A', receipt('R1', '5.00'), c), writer.execute('project-A', receipt('R1', '5.00'), c)]);
    expect(a.replayed).toBe(false);
    expect(b).toMatchObject({ replayed: true, revision: a.revision, position: a.position });
    expect((await store.readByCommand(c.commandId))).toHaveLength(1);
  });

  it('a stale If-Match fails that command only (412)', async () => {
    const settled = await Promise.allSettled([
      writer.execute('project-A', receipt('R1', '5.00'), ctx()),
      writer.execute('project-A', receipt('R2', '5.00'), ctx({ ifMatch: 0n })),
      writer.execute('project-A', receipt('R3', '5.00'), ctx()),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'revision-mismatch', status: 412 });
  });

  it('an append failing half way rolls its group back, and its neighbours are written alone', async () => {
    await writer.execute('project-B', register('B'), ctx());
    const head = await store.headPosition();
    store.failingStream = 'project-B';
    const settled = await Promise.allSettled([
      writer.execute('project-A', receipt('R1', '1.00'), ctx()),
      writer.execute('project-B', receipt('R2', '2.00'), ctx()),
      writer.execute('project-A', receipt('R3', '3.00'), ctx()),
    ]);
    store.failingStream = null;
    expect(settled.map((x) => x.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((settled[1] as PromiseRejectedResult).reason)).toMatch(/half way/);
    expect(await store.headPosition()).toBe(head + 2n);
    expect((await store.readStream('project-B')).map((e) => e.type)).toEqual(['project-registered.v1']);
    // Nothing of the failed append stuck in the folded state either.
    await expect(writer.execute('project-B', receipt('R2', '2.00'), ctx())).resolves.toMatchObject({ revision: 1n });
  });

  it('sees what another connection (another process) wrote between its groups', async () => {
    await writer.execute('project-A', receipt('R1', '100.00'), ctx());
    const other = new SqliteEventStore(join(dir, 'events.sqlite'));
    try {
      await new GroupCommitWriter(other, projectDecider).execute('project-A', payment('D1', '100.00'), ctx());
    } finally {
      await other.close();
    }
    await expect(writer.execute('project-A', payment('D2', '0.01'), ctx())).rejects.toMatchObject({ code: 'disbursement-exceeds-receipts' });
    expect((await store.readStream('project-A')).filter((e) => e.type === 'funds-disbursed.v1')).toHaveLength(1);
  });

  it('sees what was appended on the same connection outside the writer', async () => {
    await writer.execute('project-A', receipt('R1', '100.00'), ctx());
    const outside = new GroupCommitWriter(store, projectDecider); // its own cache, the same store
    await outside.execute('project-A', payment('D1', '100.00'), ctx());
    await expect(writer.execute('project-A', payment('D2', '0.01'), ctx())).rejects.toMatchObject({ code: 'disbursement-exceeds-receipts' });
  });

  it('a crash between decide and commit acknowledges nothing, writes nothing, and the next write decides afresh', async () => {
    const head = await store.headPosition();
    store.crashNext = true;
    const settled = await Promise.allSettled([writer.execute('project-A', receipt('R1', '100.00'), ctx()), writer.execute('project-A', receipt('R2', '100.00'), ctx())]);
    expect(settled.every((s) => s.status === 'rejected' && /power cut/.test(String(s.reason)))).toBe(true);
    expect(await store.headPosition()).toBe(head);
    // The folded state of the lost group must be gone: 100.00 was never received.
    await expect(writer.execute('project-A', payment('D1', '100.00'), ctx())).rejects.toMatchObject({ code: 'disbursement-exceeds-receipts' });
    const ok = await writer.execute('project-A', receipt('R1', '100.00'), ctx());
    expect(ok.revision).toBe(3n);
  });
});
