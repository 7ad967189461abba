/**
 * Bad input at the HTTP door (issue 14): every refusal is a 4xx with the JSON error shape naming
 * what is wrong, never a 500, never an empty body, and nothing is written. Numbers beyond what the
 * checks or the store can take, sources not in the table, query parameters a route does not take
 * or given as arrays, key headers of any size, URLs Node cannot parse, and uploads the client
 * abandons half way.
 */
import { Logger } from '@nestjs/common';
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { registerBody } from '../support/project-fixtures';
import { TOKENS, TestLedger, expectOk } from './support/test-app';

/** A registration body: the fixture project's under another id, with `changes`. */
const register = (projectId: string, changes: Record<string, unknown> = {}) => ({
  ...registerBody({ projectId }),
  ...changes,
});
const batch = (batchId: string, source: unknown) => ({
  batchId,
  source,
  docNo: '渝财建〔2021〕88号',
  fiscalYear: 2021,
  amount: '1000.00',
  issuedOn: '2021-01-01',
});

/** Sends raw bytes on a new connection; resolves with everything the server wrote back before it closed. */
function rawRequest(port: number, bytes: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(bytes));
    let answer = '';
    socket.on('data', (d) => (answer += d.toString('utf8')));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

/** The JSON body of a raw HTTP answer. */
function jsonBodyOf(answer: string): { error?: string; message?: string } {
  return JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
}

describe('input hygiene at the HTTP door', () => {
  let ledger: TestLedger;
  let port: number;
  beforeAll(async () => {
    ledger = await TestLedger.start();
    port = Number(new URL(ledger.url).port);
    expectOk(await ledger.post('/api/projects', register('TN-H1'), { role: 'housing' }));
    expectOk(await ledger.post('/api/fund-batches', batch('YCJ-H1', 'central_fiscal_subsidy'), { role: 'finance' }));
    expectOk(
      await ledger.post(
        '/api/fund-batches/YCJ-H1/allocations',
        { allocationId: 'A1', projectId: 'TN-H1', amount: '500.00', allocatedOn: '2021-06-01' },
        { role: 'finance' },
      ),
    );
  });
  afterAll(() => ledger.stop());

  /** Sends a request and expects a 400 naming `field` with `error`, and nothing written. */
  async function refused(
    send: () => Promise<{ status: number; body: any }>,
    error: string,
    field: string,
    status = 400,
  ): Promise<string> {
    const before = await ledger.eventCount();
    const reply = await send();
    expect({ status: reply.status, error: reply.body?.error, field: reply.body?.field }).toEqual({
      status,
      error,
      field,
    });
    expect(await ledger.eventCount()).toBe(before);
    return reply.body.message as string;
  }

  describe('numbers', () => {
    it.each([1e-7, -1e-7, 5e-324, 0.001, 1e21, -5, 0, 1e8 + 1])(
      'a buildingArea of %p is 400 naming buildingArea',
      async (buildingArea) => {
        const message = await refused(
          () => ledger.post('/api/projects', register('TN-N1', { buildingArea }), { role: 'housing' }),
          'invalid-field',
          'buildingArea',
        );
        expect(message).toMatch(/^buildingArea must be a building area in square metres from 0\.01 to/);
      },
    );

    it('a buildingArea written as a string says it must be a number', async () => {
      const message = await refused(
        () => ledger.post('/api/projects', register('TN-N2', { buildingArea: '12500.50' }), { role: 'housing' }),
        'invalid-field',
        'buildingArea',
      );
      expect(message).toBe(
        'buildingArea must be a building area in square metres, written as a JSON number such as 12500.5 (got "12500.50")',
      );
    });

    it('households and builtYear given as strings or fractions say they must be whole numbers', async () => {
      expect(
        await refused(
          () => ledger.post('/api/projects', register('TN-N3', { households: '260' }), { role: 'housing' }),
          'invalid-field',
          'households',
        ),
      ).toMatch(/^households must be a whole number of households, written as a JSON number such as 180/);
      expect(
        await refused(
          () => ledger.post('/api/projects', register('TN-N3', { builtYear: 1995.5 }), { role: 'housing' }),
          'invalid-field',
          'builtYear',
        ),
      ).toMatch(/^builtYear must be a whole year from 1900 to 2100/);
    });

    it('a fiscalYear given as a string says it must be a number, not that it is out of range', async () => {
      const message = await refused(
        () => ledger.post('/api/fund-batches', { ...batch('YCJ-N4', 'district_matching'), fiscalYear: '2021' }),
        'invalid-fiscal-year',
        'fiscalYear',
      );
      expect(message).toMatch(
        /^fiscalYear must be a whole year, written as a JSON number such as 2021 \(got "2021"\)$/,
      );
    });

    it('an area with two decimals is taken', async () => {
      expectOk(await ledger.post('/api/projects', register('TN-N5', { buildingArea: 12500.55 }), { role: 'housing' }));
    });

    it('a fromPosition beyond what the store can bind is 400 naming it; the largest it can is a page', async () => {
      const over = await ledger.get('/api/events?fromPosition=9223372036854775808', 'auditor');
      expect(over.status).toBe(400);
      expect(over.body).toMatchObject({ error: 'invalid-query', field: 'fromPosition' });
      expect(over.body.message).toContain('9223372036854775807');
      const last = await ledger.get('/api/events?fromPosition=9223372036854775807', 'auditor');
      expect(last.status).toBe(200);
      expect(last.body.events).toEqual([]);
    });

    it.each(['1e2', '0x10', ' 5', '5.0', '-1', '0', '1001'])(
      'a history page limit of %j is 400 naming limit',
      async (limit) => {
        for (const path of [`/api/projects/TN-H1/events?limit=${limit}`, `/api/events?limit=${limit}`]) {
          const reply = await ledger.get(path.replace(' ', '%20'), 'auditor');
          expect({ status: reply.status, body: reply.body }).toMatchObject({
            status: 400,
            body: { error: 'invalid-query', field: 'limit' },
          });
        }
      },
    );
  });

  describe('sources', () => {
    it.each(['x', '', 'constructor', '__proto__', 'toString'])(
      'a fund batch from source %j, not a source code, is 400 unknown-source',
      async (source) => {
        await refused(
          () => ledger.post('/api/fund-batches', batch('YCJ-S1', source), { role: 'finance' }),
          'unknown-source',
          'source',
        );
      },
    );

    it('a source that is a code but does not come in batches stays 422 source-not-batched', async () => {
      await refused(
        () => ledger.post('/api/fund-batches', batch('YCJ-S2', 'resident_direct'), { role: 'finance' }),
        'source-not-batched',
        'source',
        422,
      );
    });

    it('a source that is not a string is 400 naming it', async () => {
      await refused(
        () => ledger.post('/api/fund-batches', batch('YCJ-S3', 7), { role: 'finance' }),
        'invalid-field',
        'source',
      );
    });

    it.each<[string, Record<string, unknown>]>([
      ['pledges', { pledgeId: 'E1', payer: '某单位', fiscalYear: 2021, pledgedOn: '2021-06-01' }],
      ['receipts', { receiptId: 'E1', payer: '某单位', reference: 'r', receivedOn: '2021-06-01', fiscalYear: 2021 }],
      [
        'disbursements',
        { paymentId: 'E1', lineId: 'L1', payee: '某单位', voucher: 'v', paidOn: '2021-06-01', fiscalYear: 2021 },
      ],
    ])('a source not in the table on %s is 400 unknown-source', async (route, fields) => {
      await refused(
        () =>
          ledger.post(
            `/api/projects/TN-H1/${route}`,
            { ...fields, source: 'constructor', amount: '1.00' },
            { role: 'finance' },
          ),
        'unknown-source',
        'source',
      );
    });
  });

  describe('dates and text', () => {
    it('a fund-batch reversal dated on a day that does not exist names reversedOn', async () => {
      const message = await refused(
        () =>
          ledger.post(
            '/api/fund-batches/YCJ-H1/reversals',
            { reversalId: 'AR1', allocationId: 'A1', amount: '1.00', reason: 'x', reversedOn: '2021-02-30' },
            { role: 'finance' },
          ),
        'invalid-date',
        'reversedOn',
      );
      expect(message).toBe('reversedOn is not a day of the calendar: 2021-02-30 does not exist');
    });

    it.each(['0000-01-01', '9999-12-31', '1999-12-31', '2101-01-01'])(
      'a business date of %s, outside 2000-01-01..2100-12-31, is 400',
      async (issuedOn) => {
        await refused(
          () => ledger.post('/api/fund-batches', { ...batch('YCJ-D1', 'district_matching'), issuedOn }),
          'invalid-date',
          'issuedOn',
        );
      },
    );

    it.each([
      ['only NUL', '\u0000'],
      ['only spaces', '   '],
      ['a right-to-left override', '东风路\u202E小区'],
      ['a lone surrogate', '东风路\uD800小区'],
      ['a line feed', '东风路\n小区'],
    ])('a name holding %s is 400 naming it', async (_what, name) => {
      await refused(
        () => ledger.post('/api/projects', register('TN-T1', { name }), { role: 'housing' }),
        'invalid-field',
        'name',
      );
    });
  });

  describe('query parameters', () => {
    it.each([
      ['/api/audit/verify?stream[]=a', 'stream[]'],
      ['/api/reports/sources?fiscalYear[]=abc', 'fiscalYear[]'],
      ['/api/projects?asOf[]=2021-02-30', 'asOf[]'],
      ['/api/reports/sources?format[]=csv', 'format[]'],
      ['/api/reports/sources?format=csv&format=xlsx', 'format'],
      ['/api/projects?town=a&town=b', 'town'],
      ['/api/reports/sources?fiscalyear=2021', 'fiscalyear'],
      ['/api/projects?asof=2021-06-01', 'asof'],
      ['/api/reports/sources?source=district_matching', 'source'],
      // A project's state takes asOf (its past); its register does not.
      ['/api/projects/TN-H1/households?asOf=2021-06-01', 'asOf'],
      ['/api/funding-sources?lang=en', 'lang'],
    ])('%s is 400 invalid-query naming %s', async (path, field) => {
      const reply = await ledger.get(path, 'auditor');
      expect(reply.status).toBe(400);
      expect(reply.body).toMatchObject({ error: 'invalid-query', field });
    });

    it('a misspelt parameter is named with the one meant', async () => {
      const reply = await ledger.get('/api/reports/sources?fiscalyear=2021', 'auditor');
      expect(reply.body.message).toBe(
        'fiscalyear is not a query parameter of this route (it takes fiscalYear, asOf, knownAt, format, encoding, view); did you mean fiscalYear?',
      );
    });

    it('the parameters a route declares are taken', async () => {
      for (const path of [
        '/api/reports/sources?fiscalYear=2021&asOf=2021-12-31&format=json',
        '/api/fund-batches?source=central_fiscal_subsidy&fiscalYear=2021&idleDays=30',
        '/api/projects?town=桂林街道',
        '/api/projects/TN-H1/events?fromRevision=0&limit=10',
        '/api/events?fromPosition=0&limit=10',
        '/api/audit/verify?stream=project-TN-H1',
      ])
        expect({ path, status: (await ledger.get(encodeURI(path), 'auditor')).status }).toEqual({ path, status: 200 });
    });
  });

  describe('key headers', () => {
    const receipt = (receiptId: string) => ({
      receiptId,
      source: 'resident_direct',
      amount: '1.00',
      payer: '王五',
      reference: '银行流水',
      receivedOn: '2021-07-01',
      fiscalYear: 2021,
    });

    it.each([
      ['X-Correlation-Id', 'invalid-correlation-id', 'c'.repeat(8192)],
      ['X-Correlation-Id', 'invalid-correlation-id', 'c'.repeat(129)],
      ['X-Correlation-Id', 'invalid-correlation-id', 'has space'],
      ['X-Causation-Id', 'invalid-causation-id', 'c'.repeat(129)],
      ['X-Causation-Id', 'invalid-causation-id', 'a/b'],
    ])('%s of the wrong shape is 400 %s naming the header', async (header, error, value) => {
      const message = await refused(
        () =>
          ledger.post('/api/projects/TN-H1/receipts', receipt('R-K1'), { role: 'clerk', headers: { [header]: value } }),
        error,
        header,
      );
      expect(message).toBe(`${header} must be 1-128 letters, digits or . _ : -`);
    });

    it('ids of up to 128 key characters are recorded on the event', async () => {
      const correlationId = `corr:${'c'.repeat(123)}`;
      expectOk(
        await ledger.post('/api/projects/TN-H1/receipts', receipt('R-K2'), {
          role: 'clerk',
          headers: { 'X-Correlation-Id': correlationId, 'X-Causation-Id': 'cause-1' },
        }),
      );
      const history = (await ledger.get('/api/projects/TN-H1/events', 'auditor')).body as {
        data: { receiptId?: string };
        correlationId: string;
        causationId: string;
      }[];
      expect(history.find((e) => e.data.receiptId === 'R-K2')).toMatchObject({ correlationId, causationId: 'cause-1' });
    });
  });

  describe('the JSON error shape everywhere', () => {
    it('a raw non-ASCII byte in the URL is 400 with the JSON error shape', async () => {
      const answer = await rawRequest(
        port,
        Buffer.concat([
          Buffer.from('GET /api/projects/'),
          Buffer.from('东', 'utf8'),
          Buffer.from(' HTTP/1.1\r\nHost: x\r\n\r\n'),
        ]),
      );
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer).toMatch(/\r\ncontent-type: application\/json; charset=utf-8\r\n/i);
      expect(jsonBodyOf(answer)).toMatchObject({ error: 'invalid-request' });
    });

    it('a path whose percent-encoding does not decode is 400 invalid-request', async () => {
      const reply = await ledger.get('/api/projects/%E0%A4%A', 'viewer');
      expect(reply.status).toBe(400);
      expect(reply.body).toMatchObject({ error: 'invalid-request' });
    });

    it('a route that does not exist is 404 with the JSON error shape', async () => {
      const reply = await ledger.get('/api/nothing-here', 'viewer');
      expect(reply.status).toBe(404);
      expect(reply.body).toMatchObject({ error: 'not-found' });
    });
  });

  describe('nesting', () => {
    /** JSON text of arrays nested `depth` deep. */
    const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
    const post = (path: string, rawBody: string) => () => ledger.request('POST', path, { rawBody });

    it('a value the DTO leaves to the decider, nested 5,000 deep, is 400 naming it (it was a 500: the request hash recursed)', async () => {
      await refused(
        post('/api/projects/TN-H1/households', `{"households":[{"householdId":${nested(5000)}}]}`),
        'invalid-field',
        'households[0].householdId',
      );
      const vote = `{"voteId":"V1","matter":"fund_use","scope":{"all":true},"heldOn":"2021-12-01","ballots":[{"householdId":"H-1","choice":${nested(5000)}}]}`;
      await refused(post('/api/projects/TN-H1/votes', vote), 'invalid-field', 'ballots[0].choice');
      const message = await refused(
        post(
          '/api/projects/TN-H1/cost-shares',
          `{"planId":"PL1","lineIds":["B1"],"amount":"1.00","scope":{"all":true},"key":{"kind":"custom","weights":{"H-1":${nested(5000)}}}}`,
        ),
        'invalid-field',
        'key.weights.H-1',
      );
      expect(message).toBe('key.weights.H-1 is nested more than 32 levels deep');
    });

    it('nested within the bound, it is the decider that judges it', async () => {
      await refused(
        post('/api/projects/TN-H1/households', `{"households":[{"householdId":${nested(10)}}]}`),
        'invalid-id',
        'households[0].householdId',
      );
    });
  });

  describe('an upload the client abandons', () => {
    /**
     * Sends the headers and the first part of a body, then closes the connection once the server
     * has the request in hand: mid-body. Resolves with what the error filter logged about it.
     */
    async function abandonUpload(headers: string, firstPart: Buffer): Promise<{ warned: string[]; errors: unknown[] }> {
      const warned: string[] = [];
      const errors: unknown[] = [];
      const warn = jest.spyOn(Logger.prototype, 'warn');
      const error = jest.spyOn(Logger.prototype, 'error').mockImplementation((...args: unknown[]) => {
        errors.push(args);
      });
      try {
        const logged = new Promise<void>((resolve) =>
          warn.mockImplementation((message: unknown) => {
            warned.push(String(message));
            resolve();
          }),
        );
        const socket = connect(port, '127.0.0.1');
        ledger.httpServer.once('request', () => socket.destroy());
        socket.write(
          Buffer.concat([
            Buffer.from(
              `POST /api/projects/TN-H1/receipts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKENS.clerk}\r\n${headers}\r\n`,
            ),
            firstPart,
          ]),
        );
        await logged;
        return { warned, errors };
      } finally {
        warn.mockRestore();
        error.mockRestore();
      }
    }

    it('a plain body cut short is logged as a client abort, without a stack, and never as a 500', async () => {
      const before = await ledger.eventCount();
      const body = Buffer.from('{"receiptId":"R-AB1","source":"resident_direct","amount":"1.00"');
      const { warned, errors } = await abandonUpload(
        'Content-Type: application/json\r\nContent-Length: 10000\r\n',
        body,
      );
      expect(warned).toEqual([
        'client abort: the client closed the connection during POST /api/projects/TN-H1/receipts',
      ]);
      expect(errors).toEqual([]);
      expect(await ledger.eventCount()).toBe(before);
    });

    it('a gzip body cut short ends too (it used to hang for ever), logged as a client abort', async () => {
      const gz = gzipSync(JSON.stringify({ receiptId: 'R-AB2', payer: 'x'.repeat(20000) }));
      const { warned, errors } = await abandonUpload(
        `Content-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: ${gz.length}\r\n`,
        gz.subarray(0, 20),
      );
      expect(warned).toEqual([
        'client abort: the client closed the connection during POST /api/projects/TN-H1/receipts',
      ]);
      expect(errors).toEqual([]);
    });
  });
});
