/**
 * Rule (issue 14 point 13): Idempotency-Keys are scoped per actor. Another actor sending the same
 * key makes its own write: it never replays someone else's answer, nor is it refused because
 * someone else used the key. The key the client sent is what the answer echoes. A ledger written
 * before keys were scoped (the key itself stored as the command id) still replays a repeat of its
 * writes by the same actor, and leaves another actor's key its own.
 */
import { join } from 'node:path';
import { canonicalJson, sha256Hex } from '../../src/event-store/hashing';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { CommandContext } from '../../src/event-store/write-path';
import { APPROVE_PROJECT } from '../../src/funding/approve-project/approve-project.controller';
import { fundBatchWriterProvider } from '../../src/funding/fund-batches/fund-batch-writer';
import { projectWriterFor } from '../../src/funding/project-command.handler';
import { registerBody } from '../support/project-fixtures';
import { TestLedger, expectOk } from './support/test-app';

const project = (projectId: string) => registerBody({ projectId });
// Dated before the seed: the full procedure of 《政府投资条例》 (path standard), no joint review needed.
const approval = {
  approvedInvestment: '5000000.00',
  docNo: '潼南发改〔2021〕3号',
  approvedOn: '2021-05-01',
  involvesIndependentInfrastructure: false,
};
const withKey = (key: string) => ({ 'idempotency-key': key });
const batch = {
  batchId: 'YCJ2021-L',
  source: 'central_fiscal_subsidy',
  docNo: '渝财建〔2021〕9号',
  fiscalYear: 2021,
  amount: '1000000.00',
  issuedOn: '2021-06-01',
};
const allocation = { allocationId: 'A1', projectId: 'TN-L', amount: '400000.00', allocatedOn: '2021-06-10' };

describe('Idempotency-Keys scoped per actor', () => {
  let ledger: TestLedger;
  beforeAll(async () => {
    ledger = await TestLedger.start();
    expectOk(await ledger.post('/api/projects', project('TN-K'), { role: 'housing' }));
  });
  afterAll(() => ledger.stop());

  it("another actor's identical key and body write anew, and each actor's repeat replays its own answer", async () => {
    const P = '/api/projects/TN-K/approval';
    const first = expectOk(await ledger.post(P, approval, { role: 'housing', headers: withKey('approve-1') }));
    const before = await ledger.eventCount();
    const other = expectOk(await ledger.post(P, approval, { role: 'admin', headers: withKey('approve-1') }));
    expect(other.headers.get('idempotent-replayed')).toBeNull();
    expect(other.headers.get('idempotency-key')).toBe('approve-1');
    expect(other.body.events[0].eventId).not.toBe(first.body.events[0].eventId);
    expect(await ledger.eventCount()).toBe(before + 1n);

    const again = expectOk(await ledger.post(P, approval, { role: 'housing', headers: withKey('approve-1') }));
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    const otherAgain = expectOk(await ledger.post(P, approval, { role: 'admin', headers: withKey('approve-1') }));
    expect(otherAgain.body).toEqual(other.body);
    expect(await ledger.eventCount()).toBe(before + 1n);
  });

  it("another actor's key with another body is no 409: the key is not theirs", async () => {
    const receipt = (receiptId: string) => ({
      receiptId,
      source: 'district_matching',
      amount: '100.00',
      payer: '潼南区财政局',
      reference: '国库拨款',
      receivedOn: '2021-07-01',
      fiscalYear: 2021,
    });
    const P = '/api/projects/TN-K/receipts';
    expectOk(await ledger.post(P, receipt('R1'), { role: 'finance', headers: withKey('receipt-1') }));
    const clerk = await ledger.post(P, receipt('R2'), { role: 'clerk', headers: withKey('receipt-1') });
    expect(clerk.status).toBe(201);
    const reused = await ledger.post(P, receipt('R3'), { role: 'finance', headers: withKey('receipt-1') });
    expect([reused.status, reused.body.error]).toEqual([409, 'idempotency-key-reused']);
  });

  it('stores the command id as the key and its actor, and echoes the key as sent', async () => {
    const reply = expectOk(
      await ledger.post('/api/projects', project('TN-K2'), { role: 'housing', headers: withKey('register-k2') }),
    );
    expect(reply.headers.get('idempotency-key')).toBe('register-k2');
    const [registered] = expectOk(await ledger.get('/api/projects/TN-K2/events', 'auditor')).body;
    expect(registered.commandId).toBe('register-k2@u-housing');
    const generated = expectOk(await ledger.post('/api/projects', project('TN-K3'), { role: 'housing' }));
    const key = generated.headers.get('idempotency-key')!;
    const repeat = expectOk(
      await ledger.post('/api/projects', project('TN-K3'), { role: 'housing', headers: withKey(key) }),
    );
    expect(repeat.headers.get('idempotent-replayed')).toBe('true');
  });
});

describe('a ledger written before keys were scoped', () => {
  const housing = { id: 'u-housing', role: 'housing', org: 'org-housing' };
  const finance = { id: 'u-finance', role: 'finance', org: 'org-finance' };
  let ledger: TestLedger;
  let legacy: { eventId: string; revision: number };

  beforeAll(async () => {
    ledger = await TestLedger.start({
      // What the service wrote before: the client's key itself as the command id.
      beforeBoot: async (dataDir) => {
        const store = new SqliteEventStore(join(dataDir, 'events.sqlite'));
        const writer = projectWriterFor(store);
        const context = (commandId: string, requestHash: string, actor = housing): CommandContext => ({
          commandId,
          requestHash,
          actor,
          correlationId: commandId,
          causationId: commandId,
          recordedAt: '2021-05-01T08:00:00.000Z',
        });
        await writer.execute(
          'project-TN-L',
          { type: 'RegisterProject', ...project('TN-L') },
          context('old-register', 'h0'),
        );
        const hash = sha256Hex(
          canonicalJson({ route: APPROVE_PROJECT.requestName, params: { id: 'TN-L' }, body: approval }),
        );
        const written = await writer.execute(
          'project-TN-L',
          { type: 'ApproveProject', projectId: 'TN-L', ...approval },
          context('old-approve', hash),
        );
        legacy = { eventId: written.events[0].eventId, revision: Number(written.revision) };
        // An allocation whose first write (the batch's) was made then; the reactor makes the
        // project's when the service starts, under its own derived command id.
        const batches = fundBatchWriterProvider.useFactory(store);
        const stream = `fundbatch-${batch.batchId}`;
        await batches.execute(
          stream,
          { type: 'IssueFundBatch', ...batch, recordedOn: '2021-07-01' },
          context('old-batch', 'h1', finance),
        );
        const allocated = {
          route: 'POST /api/fund-batches/:id/allocations',
          params: { id: batch.batchId },
          body: allocation,
        };
        await batches.execute(
          stream,
          { type: 'AllocateFunds', ...allocation, recordedOn: '2021-07-01' },
          context('old-allocate', sha256Hex(canonicalJson(allocated)), finance),
        );
        await store.close();
      },
    });
  });
  afterAll(() => ledger.stop());

  it('replays a repeat by the same actor as it always did, writing nothing', async () => {
    const before = await ledger.eventCount();
    const again = expectOk(
      await ledger.post('/api/projects/TN-L/approval', approval, { role: 'housing', headers: withKey('old-approve') }),
    );
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('idempotency-key')).toBe('old-approve');
    expect(again.body).toMatchObject({ revision: legacy.revision, events: [{ eventId: legacy.eventId }] });
    const otherBody = await ledger.post(
      '/api/projects/TN-L/approval',
      { ...approval, docNo: '潼南发改〔2021〕4号' },
      { role: 'housing', headers: withKey('old-approve') },
    );
    expect([otherBody.status, otherBody.body.error]).toEqual([409, 'idempotency-key-reused']);
    expect(await ledger.eventCount()).toBe(before);
  });

  it("replays a two-stream allocation made then, with the project's record the reactor made since", async () => {
    const before = await ledger.eventCount();
    const again = expectOk(
      await ledger.post(`/api/fund-batches/${batch.batchId}/allocations`, allocation, {
        role: 'finance',
        headers: withKey('old-allocate'),
      }),
    );
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.project).toMatchObject({
      streamId: 'project-TN-L',
      events: [{ type: 'allocation-recorded.v1' }],
    });
    expect(await ledger.eventCount()).toBe(before);
  });

  it('gives another actor sending that key a write of its own, not the stored answer', async () => {
    const before = await ledger.eventCount();
    const admin = expectOk(
      await ledger.post('/api/projects/TN-L/approval', approval, { role: 'admin', headers: withKey('old-approve') }),
    );
    expect(admin.headers.get('idempotent-replayed')).toBeNull();
    expect(admin.body.events[0].eventId).not.toBe(legacy.eventId);
    expect(await ledger.eventCount()).toBe(before + 1n);
  });
});
