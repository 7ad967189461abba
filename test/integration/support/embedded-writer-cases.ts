/**
 * What the embedded-store writer (GroupCommitWriter) must do, run by group-commit.int.spec.ts,
 * which adds the cases of its own failure modes.
 */
import { join } from 'node:path';
import { CommandContext, Writer } from '../../../src/event-store/write-path';
import { GroupCommitWriter } from '../../../src/event-store/write-path';
import { SqliteEventStore } from '../../../src/event-store/sqlite/sqlite-event-store';
import { ProjectCommand } from '../../../src/project/project.commands';
import { projectDecider } from '../../../src/project/project.decider';

let n = 0;
export const ctx = (over: Partial<CommandContext> = {}): CommandContext => {
  n += 1;
  return {
    commandId: `g-${n}`,
    requestHash: `h-${n}`,
    actor: { id: 'u', role: 'finance', org: 'o' },
    correlationId: `c${n}`,
    causationId: `c${n}`,
    recordedAt: '2022-01-01T00:00:00.000Z',
    ...over,
  };
};
export const register = (id: string): ProjectCommand => ({
  type: 'RegisterProject',
  projectId: id,
  name: 'n',
  community: 'c',
  town: 't',
  builtYear: 1990,
  buildingArea: 100,
  households: 10,
});
export const receipt = (id: string, amount: string, source = 'district_matching', projectId = 'A'): ProjectCommand => ({
  type: 'ReceiveFunds',
  projectId,
  receiptId: id,
  source,
  amount,
  payer: 'p',
  reference: 'r',
  receivedOn: '2022-01-02',
  fiscalYear: 2022,
  details: {},
  recordedOn: '2022-01-02',
});
export const payment = (id: string, amount: string): ProjectCommand => ({
  type: 'DisburseFunds',
  projectId: 'A',
  paymentId: id,
  source: 'district_matching',
  lineId: 'B1',
  amount,
  payee: 'p',
  voucher: 'v',
  paidOn: '2022-01-03',
  fiscalYear: 2022,
  recordedOn: '2022-01-03',
});

/** The writer under test, its store and data directory, and the group sizes it reported (reset per test). */
export interface WriterHarness {
  dir: string;
  store: SqliteEventStore;
  writer: Writer<any, ProjectCommand>;
  groups: number[];
}

/** The shared cases; `h` gives the harness of the running test (project-A registered, with line B1, approved). */
export function embeddedWriterCases(h: () => WriterHarness): void {
  it('commands that arrive together share one transaction', async () => {
    const { writer, store, dir, groups } = h();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => writer.execute(`project-P${i}`, register(`P${i}`), ctx())),
    );
    expect(results.every((r) => r.revision === 0n)).toBe(true);
    expect(groups.reduce((a, b) => a + b, 0)).toBe(40);
    expect(groups.length).toBeLessThan(40);
    expect(Math.max(...groups)).toBeGreaterThan(1);
  });

  it('a command that breaks a rule fails alone; its neighbours are written', async () => {
    const { writer, store, dir, groups } = h();
    const commands = Array.from({ length: 20 }, (_, i) =>
      i === 7 ? receipt(`R${i}`, '-1.00') : receipt(`R${i}`, '10.00'),
    );
    const settled = await Promise.allSettled(commands.map((c) => writer.execute('project-A', c, ctx())));
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(19);
    expect(settled[7]).toMatchObject({ status: 'rejected', reason: { code: 'invalid-amount' } });
    expect(groups.length).toBeLessThan(20);
    const events = await store.readStream('project-A');
    expect(events.filter((e) => e.type === 'funds-received.v1')).toHaveLength(19);
    expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => BigInt(i)));
  });

  it('commands on one stream in one group see each other: no overspending together', async () => {
    const { writer, store, dir, groups } = h();
    await writer.execute('project-A', receipt('R1', '1000.00'), ctx());
    const settled = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) => writer.execute('project-A', payment(`D${i}`, '50.00'), ctx())),
    );
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(20);
    expect(
      settled
        .filter((s) => s.status === 'rejected')
        .every((s) => (s as PromiseRejectedResult).reason.code === 'disbursement-exceeds-receipts'),
    ).toBe(true);
  });

  it('the same command id twice in one group is written once and answered twice', async () => {
    const { writer, store, dir, groups } = h();
    const c = ctx();
    const [a, b] = await Promise.all([
      writer.execute('project-A', receipt('R1', '5.00'), c),
      writer.execute('project-A', receipt('R1', '5.00'), c),
    ]);
    expect(a.replayed).toBe(false);
    expect(b).toMatchObject({ replayed: true, revision: a.revision, position: a.position });
    expect(await store.readByCommand(c.commandId)).toHaveLength(1);
  });

  it('a stale If-Match fails that command only (412)', async () => {
    const { writer, store, dir, groups } = h();
    const settled = await Promise.allSettled([
      writer.execute('project-A', receipt('R1', '5.00'), ctx()),
      writer.execute('project-A', receipt('R2', '5.00'), ctx({ ifMatch: 0n })),
      writer.execute('project-A', receipt('R3', '5.00'), ctx()),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'revision-mismatch', status: 412 });
  });

  it('sees what another connection (another process) wrote between its groups', async () => {
    const { writer, store, dir, groups } = h();
    await writer.execute('project-A', receipt('R1', '100.00'), ctx());
    const other = new SqliteEventStore(join(dir, 'events.sqlite'));
    try {
      await new GroupCommitWriter(other, projectDecider).execute('project-A', payment('D1', '100.00'), ctx());
    } finally {
      await other.close();
    }
    await expect(writer.execute('project-A', payment('D2', '0.01'), ctx())).rejects.toMatchObject({
      code: 'disbursement-exceeds-receipts',
    });
    expect((await store.readStream('project-A')).filter((e) => e.type === 'funds-disbursed.v1')).toHaveLength(1);
  });

  it('after seeing another process write while deciding on one stream, reads its other streams again (was a 500)', async () => {
    const { writer, store, dir } = h();
    await writer.execute('project-B', register('B'), ctx());
    await writer.execute('project-A', receipt('R1', '100.00'), ctx()); // A cached, current
    const other = new SqliteEventStore(join(dir, 'events.sqlite'));
    try {
      await new GroupCommitWriter(other, projectDecider).execute('project-A', receipt('R2', '5.00'), ctx());
    } finally {
      await other.close();
    }
    // This group finds the other's commit, and reads B: A's cached state is behind the store all the same.
    await writer.execute('project-B', receipt('R3', '1.00', 'district_matching', 'B'), ctx());
    const head = (await store.readStream('project-A')).at(-1)!.revision;
    await expect(writer.execute('project-A', payment('D1', '105.00'), ctx())).resolves.toMatchObject({
      revision: head + 1n,
    });
  });

  it('sees what was appended on the same connection outside the writer', async () => {
    const { writer, store, dir, groups } = h();
    await writer.execute('project-A', receipt('R1', '100.00'), ctx());
    const outside = new GroupCommitWriter(store, projectDecider); // its own cache, the same store
    await outside.execute('project-A', payment('D1', '100.00'), ctx());
    await expect(writer.execute('project-A', payment('D2', '0.01'), ctx())).rejects.toMatchObject({
      code: 'disbursement-exceeds-receipts',
    });
  });
}
