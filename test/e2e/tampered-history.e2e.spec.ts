/**
 * Issue 14, defect 2: one byte of a stored receipt changed on disk (1000.00 → 9000.00). The
 * service must not decide on that stream (409 chain-broken naming the event), its reads say so,
 * health is degraded, and nothing is written: both while running (found by the background
 * verifier) and after a restart (found by the first command that folds the stream).
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { ChainWatch } from '../../src/audit/chain-watch';
import { ProjectionRunner } from '../../src/projection-runner/projection-runner';
import { ReadModels } from '../../src/projection-runner/read-models';
import { jointReviewInput } from '../support/lifecycle-fixtures';
import { TestLedger, expectOk } from './support/test-app';

const P = '/api/projects/TN2021-090';

/** Registers a project in 桂林街道, built in 1995. */
async function registered(
  ledger: TestLedger,
  projectId: string,
  street: string,
  buildingArea: number,
  households: number,
) {
  const project = { projectId, name: `桂林街道${street}小区改造`, community: `${street}小区`, town: '桂林街道' };
  expectOk(
    await ledger.post('/api/projects', { ...project, builtYear: 1995, buildingArea, households }, { role: 'housing' }),
  );
}

async function fundedProject(ledger: TestLedger): Promise<void> {
  await registered(ledger, 'TN2021-090', '北街', 12000, 160);
  expectOk(
    await ledger.post(
      `${P}/budget-lines`,
      { lineId: 'B1', category: 'basic', item: 'roof', estimatedCost: '400000.00' },
      { role: 'housing' },
    ),
  );
  expectOk(await ledger.post(`${P}/milestones`, jointReviewInput({ reviewedOn: '2021-12-15' }), { role: 'housing' }));
  expectOk(
    await ledger.post(
      `${P}/approval`,
      {
        approvedInvestment: '400000.00',
        docNo: '潼南发改〔2021〕90号',
        approvedOn: '2021-12-20',
        involvesIndependentInfrastructure: false,
      },
      { role: 'housing' },
    ),
  );
  expectOk(
    await ledger.post(
      `${P}/receipts`,
      {
        receiptId: 'R1',
        source: 'central_fiscal_subsidy',
        lineId: 'B1',
        amount: '1000.00',
        payer: '重庆市财政局',
        reference: '银行流水 0001',
        receivedOn: '2021-12-28',
        fiscalYear: 2021,
      },
      { role: 'clerk' },
    ),
  );
  expectOk(await ledger.post(`${P}/disbursements`, payment('D1', '90.00'), { role: 'finance' }));
}

/** A second project, untouched by any tamper. */
async function anotherProject(ledger: TestLedger): Promise<void> {
  await registered(ledger, 'TN2021-091', '南街', 9000, 120);
}

function payment(paymentId: string, amount: string) {
  return {
    paymentId,
    source: 'central_fiscal_subsidy',
    lineId: 'B1',
    amount,
    payee: '重庆某建设公司',
    voucher: `国库 ${paymentId}`,
    paidOn: '2021-12-30',
    fiscalYear: 2021,
  };
}

/**
 * Changes a stored event in the SQLite file: the receipt's amount, as an attacker with the file
 * would; or, `unreadable`, cuts the receipt's data short, as a damaged disk would (no longer JSON);
 * or, `misshapen`, one byte of its amount (still JSON, no longer money: the registry cannot read it
 * either); or, `metadata`, cuts the registration's metadata short (revision 0: its recorded time
 * is what the red flags and the cut at past bounds read of it).
 */
function tamper(ledger: TestLedger, how: 'amount' | 'unreadable' | 'misshapen' | 'metadata' = 'amount'): void {
  const receipt = `WHERE type = 'funds-received.v1'`;
  const change = {
    amount: `data = replace(data, '"amount":"1000.00"', '"amount":"9000.00"') ${receipt}`,
    unreadable: `data = '{"broken' ${receipt}`,
    misshapen: `data = replace(data, '"amount":"1000.00"', '"amount":"1000.0x"') ${receipt}`,
    metadata: `metadata = '{"broken' WHERE stream_id = 'project-TN2021-090' AND revision = 0`,
  }[how];
  const db = new Database(join(ledger.dataDir, 'events.sqlite'));
  try {
    expect(db.prepare(`UPDATE events SET ${change}`).run().changes).toBe(1);
  } finally {
    db.close();
  }
}

function expectChainBroken(reply: { status: number; body: any }, revision = '4'): void {
  expect(reply).toMatchObject({ status: 409, body: { error: 'chain-broken' } });
  expect(reply.body.message).toContain('project-TN2021-090');
  expect(reply.body.message).toMatch(new RegExp(`revision ${revision} \\(event [0-9a-f-]{36}, position \\d+\\)`));
}

describe('a tampered stream is never decided on', () => {
  let ledger: TestLedger;
  beforeEach(async () => {
    ledger = await TestLedger.start();
    await fundedProject(ledger);
  });
  afterEach(async () => {
    await ledger.stop();
  });

  it('while running: the verifier finds it, and writes and reads of the stream are refused', async () => {
    const healthy = await ledger.get('/api/health', null);
    expect(healthy.body.status).toBe('ok');
    tamper(ledger);
    const head = await ledger.eventCount();
    const watch = ledger.service(ChainWatch);
    watch.newPass();
    while ((await watch.step()) > 0);

    expectChainBroken(await ledger.post(`${P}/disbursements`, payment('D2', '5000.00'), { role: 'finance' }));
    expectChainBroken(await ledger.get(P));
    expectChainBroken(await ledger.get(`${P}/events`));
    expectChainBroken(await ledger.get(`${P}/funding-mix`));
    // The past too: a read at past bounds, in a replay worker, refuses the stream as the live reads do.
    for (const read of ['', '/milestones', '/events'])
      expectChainBroken(await ledger.get(`${P}${read}?asOf=2022-12-31`));
    const health = await ledger.get('/api/health', null);
    expect(health.body.status).toBe('degraded');
    expect(health.body.integrity.brokenStreams).toEqual([
      expect.objectContaining({ streamId: 'project-TN2021-090', revision: '4', foundBy: 'verifier' }),
    ]);
    expect(await ledger.eventCount()).toBe(head);
  });

  it('an event no longer readable: once the verifier has found it, reads at past bounds are refused too (409, not 500)', async () => {
    // Once the read models are past it: a projection cannot read it either (it would stop there).
    expect(await ledger.service(ReadModels).waitFor(await ledger.headPosition(), 60_000)).toBe(true);
    tamper(ledger, 'unreadable');
    const watch = ledger.service(ChainWatch);
    watch.newPass();
    while ((await watch.step()) > 0);
    expectChainBroken(await ledger.get(P));
    // Refused in the replay worker: its task carries the faults known here (its own read would name the row too).
    for (const read of ['', '/milestones']) expectChainBroken(await ledger.get(`${P}${read}?asOf=2022-12-31`));
  });

  it('after a restart: the first command that folds the stream refuses, and nothing is written', async () => {
    tamper(ledger);
    await ledger.restart();
    const head = await ledger.eventCount();
    // 910.00 is really available; on the tampered history it would look like 8,910.00.
    expectChainBroken(await ledger.post(`${P}/disbursements`, payment('D2', '5000.00'), { role: 'finance' }));
    expectChainBroken(await ledger.get(P));
    // The replay worker verifies the stream on its own connection: its read is refused too.
    expectChainBroken(await ledger.get(`${P}/milestones?asOf=2022-12-31`));
    expect(await ledger.eventCount()).toBe(head);
    const health = await ledger.get('/api/health', null);
    expect(health.body.status).toBe('degraded');
    expect(health.body.integrity.brokenStreams[0].streamId).toBe('project-TN2021-090');
  });

  it('an untouched stream is still decided on', async () => {
    tamper(ledger);
    await ledger.restart();
    await anotherProject(ledger);
  });
});

/** The verifier off, as on a start with a large log it has not come to yet: the readers meet a fault first. */
describe('a stream found broken by a reader, before the verifier', () => {
  let ledger: TestLedger;
  beforeEach(async () => {
    ledger = await TestLedger.start({ beforeBoot: async () => ({ LEDGER_VERIFY_DUTY: '0' }) });
    await fundedProject(ledger);
  });
  afterEach(async () => {
    await ledger.stop();
  });

  it.each([
    ['no longer JSON', 'unreadable', '4', /its data is not JSON/],
    ['still JSON but no longer of its shape', 'misshapen', '4', /no longer hashes to its recorded hash/],
    ['whose metadata is no longer JSON', 'metadata', '0', /its metadata is not JSON/],
  ] as const)(
    'an event %s, met by the projections before the verifier: they go on, and the stream is known broken (409, not 500)',
    async (_, how, revision, problem) => {
      tamper(ledger, how);
      const runner = ledger.service(ProjectionRunner);
      for (const p of runner.projections) await runner.rebuild(p.name);
      await anotherProject(ledger);
      // Every other stream's projections go on past the unreadable event.
      expect(await ledger.service(ReadModels).waitFor(await ledger.headPosition(), 30_000)).toBe(true);
      const list = await ledger.get('/api/projects');
      expect(list.status).toBe(200);
      expect(list.body.map((p: { projectId: string }) => p.projectId)).toContain('TN2021-091');
      const head = await ledger.eventCount();
      expectChainBroken(await ledger.post(`${P}/disbursements`, payment('D2', '5.00'), { role: 'finance' }), revision);
      expectChainBroken(await ledger.get(P), revision);
      expectChainBroken(await ledger.get(`${P}/events`), revision);
      expectChainBroken(await ledger.get(`${P}/funding-mix`), revision);
      expectChainBroken(await ledger.get(`${P}/milestones?asOf=2022-12-31`), revision);
      // The whole log at past bounds: replayed past the unreadable event, as the live projections are.
      const past = await ledger.get(`/api/projects?asOf=${new Date().toISOString().slice(0, 10)}`);
      expect(past.status).toBe(200);
      expect(past.body.projects.map((p: { projectId: string }) => p.projectId)).toContain('TN2021-091');
      // The log page holding an unreadable event names it: 409, not a 500 (a page shows the other as stored).
      const page = await ledger.get('/api/events?limit=1000', 'auditor');
      if (how === 'misshapen') expect(page.status).toBe(200);
      else expectChainBroken(page, revision);
      expect(await ledger.eventCount()).toBe(head);
      const health = await ledger.get('/api/health', null);
      expect(health.body.status).toBe('degraded');
      expect(health.body.integrity.brokenStreams).toEqual([
        expect.objectContaining({
          streamId: 'project-TN2021-090',
          revision,
          problem: expect.stringMatching(problem),
        }),
      ]);
      expect(health.body.projectionError).toBeUndefined();
    },
  );

  it('a replay worker that finds a stream broken hands the fault back: the service knows it (health degraded)', async () => {
    tamper(ledger);
    await ledger.restart();
    expect((await ledger.get('/api/health', null)).body.status).toBe('ok');
    // The first read of the stream is one at past bounds: only the worker has read it.
    expectChainBroken(await ledger.get(`${P}/milestones?asOf=2022-12-31`));
    const health = await ledger.get('/api/health', null);
    expect(health.body.status).toBe('degraded');
    expect(health.body.integrity.brokenStreams).toEqual([
      expect.objectContaining({ streamId: 'project-TN2021-090', revision: '4', foundBy: 'read' }),
    ]);
    expectChainBroken(await ledger.post(`${P}/disbursements`, payment('D2', '5.00'), { role: 'finance' }));
  });
});
