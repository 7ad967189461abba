/**
 * Auditors read history over HTTP: GET /api/events pages through every event in global order with
 * its who/when/why, and GET /api/projects answers ?asOf / ?knownAt from a replay of the log,
 * saying which bounds it used.
 */
import { TestLedger, expectOk } from './support/test-app';

const register = (projectId: string, town = '梓潼街道') => ({
  projectId,
  name: `n-${projectId}`,
  community: 'c',
  town,
  builtYear: 1995,
  buildingArea: 1000,
  households: 20,
});
const receipt = (receiptId: string, amount: string, receivedOn: string) => ({
  receiptId,
  source: 'district_matching',
  amount,
  payer: 'p',
  reference: `ref-${receiptId}`,
  receivedOn,
  fiscalYear: Number(receivedOn.slice(0, 4)),
});

describe('GET /api/events and GET /api/projects?asOf&knownAt', () => {
  let ledger: TestLedger;
  let beforeAnything: string;
  beforeAll(async () => {
    ledger = await TestLedger.start();
    beforeAnything = new Date(Date.now() - 60_000).toISOString();
    expectOk(
      await ledger.post('/api/projects', register('TN-A'), {
        role: 'housing',
        headers: { 'X-Correlation-Id': 'corr-1' },
      }),
    );
    expectOk(await ledger.post('/api/projects', register('TN-B', '桂林街道'), { role: 'housing' }));
    expectOk(await ledger.post('/api/projects', register('TN-C'), { role: 'housing' })); // never receives anything
    expectOk(
      await ledger.post('/api/projects/TN-A/receipts', receipt('R1', '100.00', '2022-03-01'), { role: 'clerk' }),
    );
    expectOk(
      await ledger.post('/api/projects/TN-A/receipts', receipt('R2', '200.00', '2022-09-01'), { role: 'finance' }),
    );
    expectOk(await ledger.post('/api/projects/TN-B/receipts', receipt('R3', '7.00', '2021-05-01'), { role: 'clerk' }));
  });
  afterAll(() => ledger.stop());

  it('pages through every event in global order, with actor, command, correlation and causation ids and recorded time', async () => {
    const seen: any[] = [];
    let from = '0';
    for (let pages = 0; pages < 10; pages++) {
      const reply = await ledger.get(`/api/events?fromPosition=${from}&limit=2`, 'auditor');
      expect(reply.status).toBe(200);
      if (reply.body.events.length === 0) {
        expect(reply.body.nextPosition).toBe(from);
        break;
      }
      expect(reply.body.events.length).toBeLessThanOrEqual(2);
      seen.push(...reply.body.events);
      from = reply.body.nextPosition;
      expect(from).toBe(reply.body.events.at(-1).position);
    }
    expect(seen.length).toBe(Number(await ledger.eventCount()));
    expect(seen.map((e) => e.position)).toEqual(seen.map((_, i) => String(i + 1)));
    expect(seen.map((e) => `${e.streamId}@${e.revision}`)).toEqual([
      'project-TN-A@0',
      'project-TN-B@0',
      'project-TN-C@0',
      'project-TN-A@1',
      'project-TN-A@2',
      'project-TN-B@1',
    ]);
    expect(seen[0]).toMatchObject({
      type: 'project-registered.v2',
      actor: { id: 'u-housing', role: 'housing' },
      correlationId: 'corr-1',
    });
    expect(seen[4]).toMatchObject({
      type: 'funds-received.v1',
      actor: { id: 'u-finance', role: 'finance' },
      data: { receiptId: 'R2' },
    });
    for (const e of seen) {
      expect(e).toEqual(
        expect.objectContaining({
          eventId: expect.any(String),
          commandId: expect.any(String),
          correlationId: expect.any(String),
          causationId: expect.any(String),
          recordedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
          hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        }),
      );
    }
    // The default page is 100, from the start.
    expect((await ledger.get('/api/events')).body.events.length).toBe(seen.length);
  });

  it('refuses a bad position or limit, and an unauthenticated caller', async () => {
    for (const [query, field] of [
      ['fromPosition=-1', 'fromPosition'],
      ['fromPosition=1.5', 'fromPosition'],
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
      ['limit=ten', 'limit'],
    ]) {
      const reply = await ledger.get(`/api/events?${query}`);
      expect([reply.status, reply.body.error, reply.body.field]).toEqual([400, 'invalid-query', field]);
    }
    expect((await ledger.get('/api/events', null)).status).toBe(401);
  });

  it('lists the projects as of a date, from a replay, with the bounds it used', async () => {
    const live = (await ledger.get('/api/projects')).body;
    expect(Array.isArray(live)).toBe(true);
    const reply = await ledger.get('/api/projects?asOf=2022-06-30');
    expect(reply.status).toBe(200);
    expect(reply.body.bounds).toEqual({ asOf: '2022-06-30', knownAt: null, position: '6' });
    // Registered today, but with receipts dated 2021-2022: they count from those dates. TN-C has nothing dated.
    expect(reply.body.projects.map((p: any) => [p.projectId, p.received])).toEqual([
      ['TN-A', '100.00'],
      ['TN-B', '7.00'],
    ]);
    const today = (await ledger.get(`/api/projects?asOf=${new Date().toISOString().slice(0, 10)}`)).body.projects;
    expect(today).toEqual(live);
    const town = (await ledger.get(`/api/projects?asOf=2022-06-30&town=${encodeURIComponent('桂林街道')}`)).body
      .projects;
    expect(town.map((p: any) => p.projectId)).toEqual(['TN-B']);
  });

  it('lists the projects as the ledger knew them at a time', async () => {
    const before = (await ledger.get(`/api/projects?knownAt=${beforeAnything}`)).body;
    expect(before).toEqual({ bounds: { asOf: null, knownAt: beforeAnything, position: '0' }, projects: [] });
    const now = (await ledger.get(`/api/projects?knownAt=${new Date(Date.now() + 60_000).toISOString()}`)).body;
    expect(now.projects).toEqual((await ledger.get('/api/projects')).body);
    const bad = await ledger.get('/api/projects?asOf=2022-02-30');
    expect([bad.status, bad.body.error, bad.body.field]).toEqual([400, 'invalid-date', 'asOf']);
    const badTime = await ledger.get('/api/projects?knownAt=noon');
    expect([badTime.status, badTime.body.error, badTime.body.field]).toEqual([400, 'invalid-time', 'knownAt']);
  });
});
