/**
 * Rule (issue 19, point 5): GET /api/live streams one server-sent event per event appended to the
 * log (`id:` its position, `event:` its category and type, no data fields and no personal data),
 * replays what came after a Last-Event-ID, refuses a bad one (400), an unknown caller (401) and a
 * caller with too many streams open (429), and the service stops with streams open.
 *
 * No assertion is timed: a message is awaited, and HANG_GUARD_MS only turns a hang into a failure
 * that says what was awaited.
 */
import { LIVE_STREAMS_PER_CALLER } from '../../src/live/live.controller';
import { MetricsService } from '../../src/ops/metrics.service';
import { household } from '../support/resident-fixtures';
import { TOKENS, TestLedger, TestRole, expectOk } from './support/test-app';

const HANG_GUARD_MS = 20_000;
const TOWN_CLERK = 'test-guilin-clerk-token-0';
const TOWN_CLERK_ENTRY = {
  token: TOWN_CLERK,
  actorId: 'guilin-clerk',
  role: 'clerk',
  org: '桂林街道办事处',
  towns: ['桂林街道'],
};
/** A user the tokens file loses in one test. */
const LEAVER = 'test-leaving-viewer-token-0';
const LEAVER_ENTRY = { token: LEAVER, actorId: 'leaving-viewer', role: 'viewer', org: '区住房城乡建委' };
jest.setTimeout(60_000);

interface Message {
  id: string;
  /** The `event:` field: none, so that EventSource's onmessage receives every message. */
  event: string;
  data: Record<string, unknown>;
  /** The block as it came over the wire. */
  raw: string;
}

/** An open stream, its body parsed by hand (the SSE format: blocks ending in a blank line). */
class LiveStream {
  private buffer = '';
  private ended = false;
  /** Every byte received, for checks on the whole text. */
  text = '';
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();

  constructor(
    readonly response: Response,
    private readonly abort: AbortController,
  ) {
    this.reader = response.body!.getReader();
  }

  /** The next message with an id (comments and the `retry:` block skipped); null once the stream ends. */
  async next(what: string): Promise<Message | null> {
    let guard: NodeJS.Timeout | undefined;
    const hang = new Promise<never>((_, reject) => {
      guard = setTimeout(
        () => reject(new Error(`no message in ${HANG_GUARD_MS} ms while awaiting ${what}`)),
        HANG_GUARD_MS,
      );
    });
    try {
      return await Promise.race([this.read(), hang]);
    } finally {
      clearTimeout(guard);
    }
  }

  /** Messages until the one at `position`, inclusive. */
  async through(position: bigint, what: string): Promise<Message[]> {
    const got: Message[] = [];
    for (;;) {
      const m = await this.next(what);
      if (m === null) throw new Error(`the stream ended before position ${position} (${what})`);
      got.push(m);
      if (BigInt(m.id) >= position) return got;
    }
  }

  private async read(): Promise<Message | null> {
    for (;;) {
      const end = this.buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const fields = new Map<string, string>();
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          fields.set(line.slice(0, colon), line.slice(colon + 1).replace(/^ /, ''));
        }
        if (!fields.has('id')) continue;
        return {
          id: fields.get('id')!,
          event: fields.get('event') ?? '',
          data: JSON.parse(fields.get('data')!) as Record<string, unknown>,
          raw: block,
        };
      }
      if (this.ended) return null;
      const chunk = await this.reader.read();
      if (chunk.done) this.ended = true;
      else {
        const text = this.decoder.decode(chunk.value, { stream: true });
        this.text += text;
        this.buffer += text;
      }
    }
  }

  close(): void {
    this.abort.abort();
  }
}

describe('GET /api/live', () => {
  let ledger: TestLedger;
  const open: LiveStream[] = [];

  async function connect(
    options: { role?: TestRole; lastEventId?: string; query?: string; headers?: Record<string, string> } = {},
  ): Promise<LiveStream | Response> {
    const abort = new AbortController();
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.role) headers.authorization = `Bearer ${TOKENS[options.role]}`;
    if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId;
    const res = await fetch(`${ledger.url}/api/live${options.query ?? ''}`, { headers, signal: abort.signal });
    if (res.status !== 200) return res;
    const stream = new LiveStream(res, abort);
    open.push(stream);
    return stream;
  }

  async function stream(options: Parameters<typeof connect>[0] = { role: 'viewer' }): Promise<LiveStream> {
    const s = await connect(options);
    if (!(s instanceof LiveStream)) throw new Error(`expected a stream, got ${s.status}: ${await s.text()}`);
    return s;
  }

  const register = (projectId: string) =>
    ledger.post(
      '/api/projects',
      {
        projectId,
        name: '实时推送测试小区改造',
        community: '实时推送测试小区',
        town: '桂林街道',
        builtYear: 1995,
        buildingArea: 20000,
        households: 300,
      },
      { role: 'housing' },
    );

  beforeAll(async () => {
    ledger = await TestLedger.start({ extraTokens: [TOWN_CLERK_ENTRY, LEAVER_ENTRY] });
  });
  afterEach(() => {
    for (const s of open.splice(0)) s.close();
  });
  afterAll(() => ledger.stop());

  it('sends a write as a message: id the log position, no event name, data its kind and id only', async () => {
    const live = await stream();
    expect(live.response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expectOk(await register('LIVE-001'));
    const head = await ledger.headPosition();
    const [message] = await live.through(head, 'the registration');
    expect(message.id).toBe(head.toString());
    expect(message.event).toBe('');
    expect(message.data).toEqual({
      position: head.toString(),
      kind: 'project/project-registered.v2',
      category: 'project',
      type: 'project-registered.v2',
      id: 'LIVE-001',
    });
    // Nothing of the event's data: not its name, community or town.
    expect(live.text).not.toMatch(/实时推送|桂林/);
    const gauge = await ledger.service(MetricsService).liveStreams.get();
    expect(gauge.values[0].value).toBeGreaterThanOrEqual(1);
  });

  it('carries no personal data: a household register shows as its kind and project, no household id or owner key', async () => {
    expectOk(await register('LIVE-002'));
    const live = await stream({ role: 'clerk' });
    const households = ['101', '102'].map((room) => household(room, { householdId: `LIVEHH-${room}` }));
    expectOk(await ledger.post('/api/projects/LIVE-002/households', { households }, { role: 'clerk' }));
    const head = await ledger.headPosition();
    const messages = await live.through(head, 'the household register');
    expect(messages.map((m) => m.data.kind)).toEqual(['project/households-registered.v1']);
    expect(messages[0].data).toMatchObject({ id: 'LIVE-002' });
    expect(live.text).not.toContain('LIVEHH-');
    expect(live.text).not.toContain(households[0].ownerKey);
  });

  it('replays exactly what came after Last-Event-ID, then goes live', async () => {
    expectOk(await register('LIVE-003'));
    const seen = await ledger.headPosition();
    for (const lineId of ['B1', 'B2'])
      expectOk(
        await ledger.post(
          '/api/projects/LIVE-003/budget-lines',
          { lineId, category: 'basic', item: 'roof', estimatedCost: '1000.00' },
          { role: 'housing' },
        ),
      );
    const head = await ledger.headPosition();
    const live = await stream({ role: 'viewer', lastEventId: seen.toString() });
    const missed = await live.through(head, 'the missed budget lines');
    expect(missed.map((m) => [m.id, m.data.kind])).toEqual([
      [(seen + 1n).toString(), 'project/budget-line-added.v1'],
      [(seen + 2n).toString(), 'project/budget-line-added.v1'],
    ]);
    // Then live, from the next position on: nothing sent twice.
    expectOk(await register('LIVE-004'));
    const next = await live.next('the write after the replay');
    expect(next?.id).toBe((head + 1n).toString());
    expect(next?.data.id).toBe('LIVE-004');
  });

  it('opens from a browser with a one-use ticket, and ?lastEventId= where no header can be sent', async () => {
    const issued = await ledger.request('POST', '/api/live/ticket', { role: 'viewer' });
    expect(issued.status).toBe(201);
    expect(issued.body).toEqual({ ticket: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/), expiresInSeconds: 30 });
    const live = await stream({ query: `?ticket=${issued.body.ticket}&lastEventId=0` });
    const first = await live.next('the first event of the log');
    expect(first?.id).toBe('1');
    const again = (await connect({ query: `?ticket=${issued.body.ticket}` })) as Response;
    expect(again.status).toBe(401);
    const refused = await ledger.request('POST', '/api/live/ticket', { role: null });
    expect(refused.status).toBe(401);
    // Any signed-in role, a street office's clerk scoped to towns too.
    const townClerk = await ledger.request('POST', '/api/live/ticket', {
      role: null,
      headers: { authorization: `Bearer ${TOWN_CLERK}` },
    });
    expect(townClerk.status).toBe(201);
  });

  it('refuses a bad Last-Event-ID (header or query) with 400 naming it', async () => {
    for (const [options, field] of [
      [{ role: 'viewer', lastEventId: 'abc' }, 'Last-Event-ID'],
      [{ role: 'viewer', lastEventId: '-1' }, 'Last-Event-ID'],
      [{ role: 'viewer', query: '?lastEventId=1.5' }, 'lastEventId'],
    ] as const) {
      const res = (await connect(options)) as Response;
      expect(res.status).toBe(400);
      const body = (await res.json()) as { message: string };
      expect(body).toMatchObject({ error: 'invalid-last-event-id', field });
      expect(body.message).toContain(field);
    }
  });

  it('refuses a caller without a valid token or ticket with 401', async () => {
    for (const options of [
      {},
      { headers: { authorization: 'Bearer not-a-token-of-this-ledger' } },
      { query: '?ticket=made-up' },
    ]) {
      const res = (await connect(options)) as Response;
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: string }).error).toBe('unauthenticated');
    }
  });

  it('ends the streams of a user revoked in the tokens file, and a ticket issued before is refused; others go on', async () => {
    const leaving = await stream({ headers: { authorization: `Bearer ${LEAVER}` } });
    expectOk(await register('LIVE-LEAVES'));
    const before = await ledger.headPosition();
    expect((await leaving.through(before, 'a write before the revocation')).at(-1)?.id).toBe(before.toString());
    const ticket = await ledger.request('POST', '/api/live/ticket', {
      role: null,
      headers: { authorization: `Bearer ${LEAVER}` },
    });
    expect(ticket.status).toBe(201);
    const staying = await stream({ role: 'viewer' });
    try {
      ledger.writeTokens([TOWN_CLERK_ENTRY]);
      // The poll takes the file up within a second; then the stream ends (null), whatever it sent before.
      for (let m = await leaving.next('the end of the revoked stream'); m !== null;)
        m = await leaving.next('the end of the revoked stream');
      const redeemed = (await connect({ query: `?ticket=${ticket.body.ticket}` })) as Response;
      expect(redeemed.status).toBe(401);
      expectOk(await register('LIVE-STAYS'));
      const head = await ledger.headPosition();
      expect((await staying.through(head, 'a write after the revocation')).at(-1)?.id).toBe(head.toString());
    } finally {
      ledger.writeTokens([TOWN_CLERK_ENTRY, LEAVER_ENTRY]);
    }
  });

  it(`refuses a caller's stream beyond ${LIVE_STREAMS_PER_CALLER} open with 429; other callers still open theirs`, async () => {
    for (let k = 0; k < LIVE_STREAMS_PER_CALLER; k++) await stream({ role: 'auditor' });
    const refused = (await connect({ role: 'auditor' })) as Response;
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(((await refused.json()) as { error: string }).error).toBe('too-many-requests');
    expect(await connect({ role: 'finance' })).toBeInstanceOf(LiveStream);
  });
});

describe('GET /api/live at shutdown', () => {
  it('the service stops with a stream open, and the stream ends', async () => {
    const ledger = await TestLedger.start();
    const res = await fetch(`${ledger.url}/api/live?lastEventId=0`, {
      headers: { authorization: `Bearer ${TOKENS.viewer}` },
    });
    expect(res.status).toBe(200);
    const live = new LiveStream(res, new AbortController());
    await ledger.stop();
    expect(await live.next('the end of the stream')).toBeNull();
  });
});
