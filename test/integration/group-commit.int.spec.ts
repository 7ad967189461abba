/**
 * Group commit on the embedded store: commands that arrive together are decided and appended in
 * one transaction; each is answered only after it is durable; one command's rule failure never
 * fails its neighbours; a crash between decide and commit acknowledges nothing and leaves no trace.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GroupCommitWriter } from '../../src/event-store/write-path';
import { WrongExpectedRevisionError } from '../../src/event-store/event-store.port';
import { DomainError } from '../../src/shared/domain/domain-error';
import { SqliteEventStore, SqliteWriteTx } from '../../src/event-store/sqlite/sqlite-event-store';
import { ProjectCommand } from '../../src/project/project.commands';
import { projectDecider } from '../../src/project/project.decider';
import { ctx, embeddedWriterCases, payment, receipt, register } from './support/embedded-writer-cases';

/** A store whose group transaction dies after the decisions and appends, before the commit. */
class CrashingStore extends SqliteEventStore {
  crashNext = false;
  /** Appends to this stream fail after writing their first event (an I/O error half way). */
  failingStream: string | null = null;
  /** Appends to this stream are refused on their revision, as if another process had just written. */
  conflictingStream: string | null = null;
  override writeBatch<T>(work: (tx: SqliteWriteTx) => T): T {
    if (this.conflictingStream) {
      const conflicting = this.conflictingStream;
      return super.writeBatch((tx) =>
        work({
          ...tx,
          append: (streamId, events, expected, options) => {
            if (streamId === conflicting) throw new WrongExpectedRevisionError(streamId, expected, 999n);
            return tx.append(streamId, events, expected, options);
          },
        }),
      );
    }
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
    await writer.execute(
      'project-A',
      {
        type: 'AddBudgetLine',
        projectId: 'A',
        lineId: 'B1',
        category: 'basic',
        item: 'roof',
        estimatedCost: '5000.00',
      },
      ctx(),
    );
    await writer.execute(
      'project-A',
      {
        type: 'ApproveProject',
        projectId: 'A',
        approvedInvestment: '5000.00',
        docNo: 'd',
        approvedOn: '2022-01-01',
        // the standard path: no joint review to record first (this spec is about the writer)
        involvesIndependentInfrastructure: true,
      },
      ctx(),
    );
    groups = [];
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  embeddedWriterCases(() => ({ dir, store, writer, groups }));
  it('an append failing half way rolls its group back, and its neighbours are written alone', async () => {
    await writer.execute('project-B', register('B'), ctx());
    const head = await store.headPosition();
    store.failingStream = 'project-B';
    const settled = await Promise.allSettled([
      writer.execute('project-A', receipt('R1', '1.00'), ctx()),
      writer.execute('project-B', receipt('R2', '2.00', 'district_matching', 'B'), ctx()),
      writer.execute('project-A', receipt('R3', '3.00'), ctx()),
    ]);
    store.failingStream = null;
    expect(settled.map((x) => x.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((settled[1] as PromiseRejectedResult).reason)).toMatch(/half way/);
    expect(await store.headPosition()).toBe(head + 2n);
    expect((await store.readStream('project-B')).map((e) => e.type)).toEqual(['project-registered.v2']);
    // Nothing of the failed append stuck in the folded state either.
    await expect(
      writer.execute('project-B', receipt('R2', '2.00', 'district_matching', 'B'), ctx()),
    ).resolves.toMatchObject({ revision: 1n });
  });

  it('an append refused on its revision, again when decided alone on what is stored, is a 409 write-conflict, never a 500', async () => {
    const head = await store.headPosition();
    store.conflictingStream = 'project-A';
    const refused = writer.execute('project-A', receipt('R1', '1.00'), ctx());
    await expect(refused).rejects.toBeInstanceOf(DomainError);
    await expect(refused).rejects.toMatchObject({ code: 'write-conflict', status: 409 });
    store.conflictingStream = null;
    expect(await store.headPosition()).toBe(head);
    await expect(writer.execute('project-A', receipt('R1', '1.00'), ctx())).resolves.toMatchObject({ revision: 3n });
  });

  it('a crash between decide and commit acknowledges nothing, writes nothing, and the next write decides afresh', async () => {
    const head = await store.headPosition();
    store.crashNext = true;
    const settled = await Promise.allSettled([
      writer.execute('project-A', receipt('R1', '100.00'), ctx()),
      writer.execute('project-A', receipt('R2', '100.00'), ctx()),
    ]);
    expect(settled.every((s) => s.status === 'rejected' && /power cut/.test(String(s.reason)))).toBe(true);
    expect(await store.headPosition()).toBe(head);
    // The folded state of the lost group must be gone: 100.00 was never received.
    await expect(writer.execute('project-A', payment('D1', '100.00'), ctx())).rejects.toMatchObject({
      code: 'disbursement-exceeds-receipts',
    });
    const ok = await writer.execute('project-A', receipt('R1', '100.00'), ctx());
    expect(ok.revision).toBe(3n);
  });
});
