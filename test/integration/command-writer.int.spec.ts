/**
 * The one write path against the real embedded store: two writers with their own folded-state
 * caches (as two service processes would have) race on one stream. A writer that loses decides
 * again on the new state; no rule is broken together; the idempotency key holds across writers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OptimisticWriter } from '../../src/event-store/write-path';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { projectDecider } from '../../src/project/project.decider';
import { ProjectCommand } from '../../src/project/project.commands';
import { DomainError } from '../../src/shared/domain/domain-error';
import { ctx, payment, receipt } from './support/embedded-writer-cases';

const stream = 'project-A';

describe('OptimisticWriter with two writers on one store', () => {
  let dir: string;
  let store: SqliteEventStore;
  let a: OptimisticWriter<any, ProjectCommand, any>;
  let b: OptimisticWriter<any, ProjectCommand, any>;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'writer-'));
    store = new SqliteEventStore(join(dir, 'events.sqlite'));
    a = new OptimisticWriter(store, projectDecider);
    b = new OptimisticWriter(store, projectDecider);
    await a.execute(
      stream,
      {
        type: 'RegisterProject',
        projectId: 'A',
        name: 'n',
        community: 'c',
        town: 't',
        builtYear: 1990,
        buildingArea: 100,
        households: 10,
      },
      ctx(),
    );
    await a.execute(
      stream,
      {
        type: 'AddBudgetLine',
        projectId: 'A',
        lineId: 'B1',
        category: 'basic',
        item: 'roof',
        estimatedCost: '1000.00',
      },
      ctx(),
    );
    await a.execute(
      stream,
      {
        type: 'ApproveProject',
        projectId: 'A',
        approvedInvestment: '1000.00',
        docNo: 'd',
        approvedOn: '2022-01-01',
        // the standard path: no joint review to record first (this spec is about the writer)
        involvesIndependentInfrastructure: true,
      },
      ctx(),
    );
    await a.execute(stream, receipt('R1', '100.00'), ctx());
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a writer whose cache is stale decides again on the new state instead of failing', async () => {
    await b.load(stream); // b caches revision 3
    await a.execute(stream, receipt('R2', '50.00'), ctx()); // a moves the stream on
    const result = await b.execute(stream, payment('D1', '150.00'), ctx()); // needs R2 to be allowed
    expect(result.revision).toBe(5n);
  });

  it('two writers never overspend together: the loser is decided again and refused by the rule', async () => {
    await a.load(stream);
    await b.load(stream);
    const first = await a.execute(stream, payment('D1', '80.00'), ctx());
    expect(first.revision).toBe(4n);
    await expect(b.execute(stream, payment('D2', '80.00'), ctx())).rejects.toMatchObject({
      code: 'disbursement-exceeds-receipts',
    });
    const events = await store.readStream(stream);
    expect(events.filter((e) => e.type === 'funds-disbursed.v1')).toHaveLength(1);
  });

  it('If-Match makes a lost race a 412, never a retry', async () => {
    await b.load(stream);
    await a.execute(stream, receipt('R2', '50.00'), ctx());
    const err = await b.execute(stream, payment('D1', '10.00'), ctx({ ifMatch: 3n })).catch((e) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: 'revision-mismatch', status: 412 });
  });

  it('the same command id through the other writer returns the first answer, writing nothing', async () => {
    const c = ctx();
    const first = await a.execute(stream, receipt('R9', '5.00'), c);
    const head = await store.headPosition();
    const again = await b.execute(stream, receipt('R9', '5.00'), c);
    expect(again).toMatchObject({
      replayed: true,
      revision: first.revision,
      position: first.position,
      events: first.events,
    });
    expect(await store.headPosition()).toBe(head);
    await expect(
      b.execute(stream, receipt('R10', '5.00'), { ...c, requestHash: 'another-request' }),
    ).rejects.toMatchObject({ code: 'idempotency-key-reused' });
  });

  it('a rule failure writes nothing and leaves the cache usable', async () => {
    const head = await store.headPosition();
    await expect(a.execute(stream, payment('D1', '100.01'), ctx())).rejects.toMatchObject({
      code: 'disbursement-exceeds-receipts',
    });
    expect(await store.headPosition()).toBe(head);
    await expect(a.execute(stream, payment('D1', '100.00'), ctx())).resolves.toMatchObject({ revision: 4n });
  });
});
