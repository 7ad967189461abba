/**
 * Rule (issue 14 point 16; product.md "nothing is written on any error"): whatever a client sends,
 * the service answers without a 5xx; every refusal has the JSON error shape {error, message,
 * field?, rule?} with a code (and a status) from the error table of docs/api.md, and a rule
 * (when it names one) of the policy registry; a refused request
 * writes nothing in any stream (the store's head position is where it was), and an accepted one
 * writes what its answer reports, no more.
 *
 * Thousands of requests are generated (fast-check, seeded) against the real service holding part
 * of the demo district: every field of every write route given bad values of each class its kind
 * can be wrong in; bad bodies; valid requests (the demo's, or a route's OpenAPI examples) changed
 * in one field, alone, in chains on what the request before made, and at the edges of it (a day
 * before its allocation, a fen more than its receipt), so the deciders' rules are reached and not
 * only the DTOs; bad headers, path ids and query parameters; and concurrent bursts racing for one
 * id. The routes are read from the controllers' metadata and the OpenAPI document, never listed
 * here, so a new route is fuzzed as soon as it exists.
 *
 * The seed is fixed so a run is repeatable; FUZZ_SEED=<n> runs another, and a failure names the
 * seed to repeat it with. Each property's number of runs bounds the suite (about a minute);
 * FUZZ_SCALE=10 hunts ten times longer.
 */
import fc from 'fast-check';
import { maxHeaderSize } from 'node:http';
import { generateSealKeyFile } from '../../src/audit/seal-key';
import { TokenEntry } from '../../src/auth/tokens';
import { loadDistrict } from '../../src/demo/demo-setup';
import { policyById } from '../../src/policy/policies';
import { allowedStatuses } from '../support/error-table';
import {
  Members,
  badPathSegment,
  badValueClasses,
  contentEncoding,
  contentType,
  dayNear,
  moneyNear,
  fieldKind,
  headerValue,
  ifMatchValue,
  junkBody,
  junkValue,
  membersText,
  queryName,
  queryValue,
  unknownFieldName,
  unknownId,
  validDay,
  validMoney,
  validNumber,
} from './support/bad-input.arbitraries';
import {
  Change,
  Chains,
  FuzzRoute,
  Made,
  Template,
  applyChanges,
  atEdge,
  createdField,
  demoCoveringEveryRoute,
  exampleBody,
  fieldsOf,
  nothingMade,
  replaceParam,
  routeOf,
  schemaOf,
} from './support/fuzz-routes';
import { openApiOperations, registeredRoutes } from './support/routes';
import { TOKENS, TestLedger, TestRole } from './support/test-app';

jest.setTimeout(600_000);

/** The seed of every property (each adds its own offset); FUZZ_SEED overrides it. */
const SEED = process.env.FUZZ_SEED === undefined ? 20211125 : Number(process.env.FUZZ_SEED);

/**
 * Runs per property: what bounds the suite's time (about a minute in all on a 2-core machine).
 * FUZZ_SCALE multiplies them, for a longer hunt (10) or a quick look (0.1).
 */
const SCALE = process.env.FUZZ_SCALE === undefined ? 1 : Number(process.env.FUZZ_SCALE);
const BASE_RUNS = {
  grid: 2, // values of each class of bad value, on each field
  badBodies: 800,
  oneField: 800,
  chains: 250,
  headers: 500,
  paths: 400,
  queries: 600,
  bursts: 120,
};
const RUNS = Object.fromEntries(
  Object.entries(BASE_RUNS).map(([k, n]) => [k, Math.max(1, Math.round(n * SCALE))]),
) as typeof BASE_RUNS;

/** A clerk of one street office: writes only its town's projects (403 outside-town-scope otherwise). */
const TOWN_CLERK = {
  token: 'fuzz-town-clerk-token-0001',
  actorId: 'u-town-clerk',
  role: 'clerk',
  org: '梓潼街道办事处',
  towns: ['梓潼街道'],
};

/** A request as sent. */
interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

interface Answer {
  status: number;
  text: string;
  headers: Headers;
}

describe('generated bad requests, on every route', () => {
  let ledger: TestLedger;
  let routes: FuzzRoute[];
  let chains: Chains;
  let writes: FuzzRoute[];
  let reads: FuzzRoute[];
  /** Values of each field name in the demo's requests, and every id they use: valid values to change a field to. */
  let pool: Map<string, unknown[]>;
  let ids: string[];
  let known: Record<string, string[]>;
  const statuses = allowedStatuses();
  let requestsSent = 0;
  let fresh = 0;

  beforeAll(async () => {
    ledger = await TestLedger.start({
      extraTokens: [TOWN_CLERK],
      beforeBoot: async (dir) => {
        generateSealKeyFile(`${dir}/seal-key.pem`);
        return { LEDGER_SEAL_KEY_FILE: `${dir}/seal-key.pem` };
      },
    });
    const operations = await openApiOperations(ledger);
    routes = registeredRoutes(ledger).map((r) => ({
      method: r.method,
      path: r.path,
      params: [...r.path.matchAll(/:(\w+)/g)].map((m) => m[1]),
      query: r.query === 'any' ? (operations.get(`${r.method} ${r.path}`)?.query ?? []) : r.query,
      body: operations.get(`${r.method} ${r.path}`)?.body,
      templates: [],
      // A counterexample names the route, not all its templates.
      [fc.toStringMethod]: () => `${r.method} ${r.path}`,
    }));
    writes = routes.filter((r) => r.method !== 'GET');
    // The live stream answers until the client goes: its refusals are test/e2e/live.e2e.spec.ts's.
    reads = routes.filter((r) => r.method === 'GET' && r.path !== '/api/live');

    const demo = demoCoveringEveryRoute(writes);
    const tokens: TokenEntry[] = Object.entries(TOKENS).map(([role, token]) => ({
      token,
      role: role as TestRole,
      actorId: `u-${role}`,
      org: `org-${role}`,
    }));
    await loadDistrict(ledger.url, tokens, demo);
    for (const r of demo)
      routeOf(writes, 'POST', r.path)!.templates.push({ path: r.path, members: Object.entries(r.body) });
    // Path parameters no write of the demo names: the values the service knows them by.
    const projections = (await ledger.get('/api/audit/projections', 'auditor')).body as { name: string }[];
    const seal = await ledger.request('POST', '/api/audit/seals', { role: 'auditor' });
    known = {
      '/api/audit/projections/:name': projections.map((p) => p.name),
      '/api/audit/seals/:sealId': [seal.body.sealId as string],
    };
    // A route no demo request writes to starts from the examples of its OpenAPI document.
    for (const route of writes.filter((r) => r.body && r.templates.length === 0))
      route.templates.push({ path: pathOf(route, 0), members: exampleBody(route.body!) });

    chains = new Chains(writes);
    pool = new Map();
    for (const t of writes.flatMap((r) => r.templates))
      for (const [k, v] of t.members) pool.set(k, [...new Set([...(pool.get(k) ?? []), v])]);
    ids = [...new Set([...pool].filter(([k]) => k.endsWith('Id')).flatMap(([, v]) => v.map(String)))];
  });
  afterAll(() => ledger.stop());

  it('walks every write route: those Nest registers are those the OpenAPI document lists, and each that takes a body has valid requests to start from', async () => {
    const documented = [...(await openApiOperations(ledger)).keys()].filter((k) => !k.startsWith('GET '));
    expect(writes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(documented.sort());
    expect(writes.filter((r) => r.body && r.templates.length === 0).map((r) => r.path)).toEqual([]);
    expect(writes.length).toBeGreaterThan(10);
  });

  it('every field of every write route: left out, and given bad values of every class its kind can be wrong in', async () => {
    let seed = SEED;
    let template = 0;
    for (const route of writes.filter((r) => r.templates.length > 0))
      for (const field of fieldsOf(route)) {
        const changes: { why: string; change: Change }[] = [{ why: 'left out', change: { kind: 'omit', field } }];
        for (const { name, values } of classesOf(route, field))
          for (const value of fc.sample(values, { seed: ++seed, numRuns: RUNS.grid }))
            changes.push({ why: name, change: { kind: 'set', field, value } });
        for (const { why, change } of changes) {
          const base = startFrom(route, template++ % route.templates.length);
          const sent = jsonRequest(route.method, base.path, membersText(applyChanges(base.members, [change])));
          await exchange(sent).catch((err: Error) => {
            throw repeatable(err, `${field} ${why}`);
          });
        }
      }
  });

  it('a bad body on any write route: wrong type, range, format, length or characters, fields missing or unknown', async () => {
    await check(
      'badBodies',
      1,
      onRoute(writes, (route) => ({
        change: fc.oneof(
          {
            arbitrary: fc.array(badChange(route), { minLength: 1, maxLength: 3 }).map((c) => ({ changes: c })),
            weight: 5,
          },
          { arbitrary: junkBody.map((body) => ({ body })), weight: 1 },
        ),
      })),
      async ({ route, template, change }) => {
        const base = startFrom(route, template);
        const body = 'body' in change ? change.body : membersText(applyChanges(base.members, change.changes));
        await exchange(jsonRequest(route.method, base.path, body));
      },
    );
  });

  it('a valid request changed in one field: to another valid value (reaching the deciders) or a bad one', async () => {
    await check(
      'oneField',
      2,
      onRoute(
        writes.filter((r) => r.templates.length > 0),
        (route) => ({
          change: oneFieldChange(route),
          token: writer(),
        }),
      ),
      async ({ route, template, change, token }) => {
        const base = startFrom(route, template);
        await exchange(jsonRequest(route.method, base.path, membersText(applyChanges(base.members, [change])), token));
      },
    );
  });

  it('chains of requests, each on what those before it made: a project, its lines, pledges, receipts and payments; a batch, its allocations and their reversals', async () => {
    const withTemplates = writes.filter((r) => r.templates.length > 0);
    await check('chains', 7, fc.gen(), async (g) => {
      const made = nothingMade();
      const steps = g(() => fc.integer({ min: 2, max: 4 }));
      for (let step = 0; step < steps; step++) {
        const linkable = withTemplates.filter((r) => chains.links(r, made) > 0);
        const route = g(() => fc.constantFrom(...(linkable.length > 0 ? linkable : withTemplates)));
        const base = chains.linked(
          route,
          startFrom(
            route,
            g(() => templateIndex(route)),
          ),
          made,
        );
        const change = g(() => fc.option(oneFieldChange(route, made), { freq: 5 }));
        const members = change === null ? base.members : applyChanges(base.members, [change]);
        const status = await exchange(jsonRequest(route.method, base.path, membersText(members)));
        if (status !== null && status < 300) chains.remember(route, base.path, members, made);
      }
    });
  });

  it('a request on what the one before it made, fitted to it (its day, its amount) and then each day a day either side, each amount a fen either side', async () => {
    const withTemplates = writes.filter((r) => r.templates.length > 0);
    let pairs = 0;
    let sent = 0;
    for (const maker of withTemplates.filter((r) => createdField(r) !== undefined))
      for (const consumer of withTemplates.filter((r) => chains.consumes(r, maker))) {
        pairs++;
        for (const [i, edge] of [null, ...chains.edges(consumer)].entries()) {
          const made = await makeOne(maker, i);
          if (!made) continue;
          const template = startFrom(consumer, i % consumer.templates.length);
          const base = chains.fitted(consumer, chains.linked(consumer, template, made), made);
          const members =
            edge === null ? base.members : applyChanges(base.members, [atEdge(consumer, base.members, edge)]);
          await exchange(jsonRequest(consumer.method, base.path, membersText(members)));
          sent++;
        }
      }
    expect(pairs).toBeGreaterThan(10);
    expect(sent).toBeGreaterThan(pairs);
  });

  it('bad headers on a valid request: Idempotency-Key, If-Match, X-Correlation-Id, X-Causation-Id, Content-Type, Content-Encoding, Authorization', async () => {
    const header = fc.oneof(
      fc.record({
        name: fc.constant('idempotency-key'),
        value: fc.oneof(headerValue, fc.constantFrom('k1', 'k2', 'k3')),
      }),
      fc.record({ name: fc.constant('if-match'), value: ifMatchValue }),
      fc.record({ name: fc.constantFrom('x-correlation-id', 'x-causation-id'), value: headerValue }),
      fc.record({ name: fc.constant('content-type'), value: contentType }),
      fc.record({ name: fc.constant('content-encoding'), value: contentEncoding }),
      fc.record({ name: fc.constant('authorization'), value: authorization() }),
    );
    await check(
      'headers',
      3,
      onRoute(writes, (route) => ({
        headers: fc.array(header, { minLength: 1, maxLength: 3 }),
        contentTypeDropped: fc.boolean(),
      })),
      async ({ route, template, headers, contentTypeDropped }) => {
        const base = startFrom(route, template);
        const sent = jsonRequest(route.method, base.path, membersText(base.members));
        if (contentTypeDropped) delete sent.headers['content-type'];
        for (const { name, value } of headers) sent.headers[name] = value;
        await exchange(sent);
      },
    );
  });

  it('bad path ids, and bodies that are no request, on every write route', async () => {
    await check(
      'paths',
      4,
      onRoute(writes, (route) => ({
        segment: badPathSegment,
        param: fc.nat(),
        suffix: fc.constantFrom('', '', '', '/', '/x', '//', '/..'),
        body: fc.option(junkBody, { freq: 3 }),
      })),
      async ({ route, template, segment, param, suffix, body }) => {
        const base = startFrom(route, template);
        const path = route.params.length > 0 ? replaceParam(route, base.path, param, segment) : base.path;
        await exchange(jsonRequest(route.method, path + suffix, body ?? membersText(base.members)));
      },
    );
  });

  it('bad query parameters on every read route, and on the write routes', async () => {
    await check(
      'queries',
      5,
      fc.constantFrom(...reads, ...writes).chain((route) =>
        fc.record({
          route: fc.constant(route),
          template: templateIndex(route),
          value: fc.nat(),
          pairs: fc.array(fc.tuple(queryName(route.query), queryValue), { maxLength: 4 }),
          segment: fc.option(badPathSegment, { freq: 5 }),
          role: fc.constantFrom<TestRole>('admin', 'admin', 'auditor', 'viewer'),
        }),
      ),
      async ({ route, template, value, pairs, segment, role }) => {
        const base = route.method === 'GET' ? { path: pathOf(route, value), members: [] } : startFrom(route, template);
        const path =
          segment !== null && route.params.length > 0 ? replaceParam(route, base.path, value, segment) : base.path;
        const query = pairs.map(([name, v]) => `${name}=${v}`).join('&');
        const url = query === '' ? path : `${path}?${query}`;
        if (route.method === 'GET') await exchange({ method: 'GET', path: url, headers: auth(TOKENS[role]) });
        else await exchange(jsonRequest(route.method, url, membersText(base.members), TOKENS[role]));
      },
    );
  });

  it('bursts of concurrent requests, some racing for one id, with time-travel reads: the head moves by exactly what the accepted answers wrote', async () => {
    const timeTravel = reads.filter((r) => r.query.includes('asOf'));
    const request = fc.oneof(
      {
        arbitrary: onRoute<{ change: Change | null; twin: 'same' | number | null }>(
          writes.filter((r) => r.templates.length > 0),
          (route) => ({
            change: fc.option(oneFieldChange(route), { freq: 2 }),
            // A second request for the same new id at once: the same one, or another template's.
            twin: fc.option(fc.oneof(fc.constant('same' as const), templateIndex(route)), { freq: 2 }),
          }),
        ),
        weight: 4,
      },
      {
        arbitrary: fc.record({ route: fc.constantFrom(...timeTravel), value: fc.nat(), asOf: validDay }),
        weight: 1,
      },
    );
    await check('bursts', 6, fc.array(request, { minLength: 2, maxLength: 6 }), async (burst) => {
      const sents = burst.flatMap((r): Sent[] => {
        if ('asOf' in r)
          return [{ method: 'GET', path: `${pathOf(r.route, r.value)}?asOf=${r.asOf}`, headers: auth() }];
        const base = startFrom(r.route, r.template);
        const members = r.change === null ? base.members : applyChanges(base.members, [r.change]);
        const sent = jsonRequest(r.route.method, base.path, membersText(members));
        if (r.twin === null) return [sent];
        if (r.twin === 'same') return [sent, sent];
        const other = r.route.templates[r.twin];
        // The twin takes the first request's new id (its first member), where the body has one: a
        // route whose body holds no member (a year's reopening names the year in its path) is
        // raced with the other template as it is.
        const [first] = base.members;
        const twin = (first === undefined ? other.members : [first, ...other.members.slice(1)]) as Members;
        return [sent, jsonRequest(r.route.method, other.path, membersText(twin))];
      });
      const before = await ledger.headPosition();
      const answers = await Promise.all(sents.map((sent) => send(sent)));
      const reported = new Set<string>();
      for (const [i, answer] of answers.entries())
        for (const eventId of (await judge(sents[i], answer)) ?? []) reported.add(eventId);
      const unreported = (await eventsAfter(before)).filter((e) => !reported.has(e.eventId));
      if (unreported.length > 0)
        throw new Error(
          `the burst wrote ${unreported.length} events no accepted answer reports: ` +
            `${unreported.map((e) => `${e.streamId} ${e.type}`).join(', ')}\n` +
            sents
              .map((s, i) => `  ${describeRequest(s)}\n    → ${answers[i].status} ${excerpt(answers[i].text)}`)
              .join('\n'),
        );
    });
  });

  // -------------------------------------------------------------------------------------------
  // running a property

  /** Runs `property` for the number of runs named, seeded; a failure names the seed to repeat it with. */
  async function check<T>(
    runs: keyof typeof RUNS,
    offset: number,
    arbitrary: fc.Arbitrary<T>,
    predicate: (value: T) => Promise<void>,
  ): Promise<void> {
    const before = requestsSent;
    const seed = SEED + offset;
    try {
      await fc.assert(fc.asyncProperty(arbitrary, predicate), { seed, numRuns: RUNS[runs], endOnFailure: true });
    } catch (err) {
      throw repeatable(err as Error, `this property's seed ${seed}`);
    }
    expect(requestsSent - before).toBeGreaterThanOrEqual(RUNS[runs]);
  }

  /** The error, with the seed to repeat the run with. */
  function repeatable(err: Error, what: string): Error {
    err.message = `fuzz run failed with FUZZ_SEED=${SEED} (${what}); repeat it with FUZZ_SEED=${SEED}\n${err.message}`;
    return err;
  }

  /**
   * Sends one request and holds its answer to the rule (`judge`), and the store to it: a refusal
   * wrote nothing; an accepted write wrote the events its answer reports, no more. Answers the
   * status (null when the connection was reset on a head too large to read).
   */
  async function exchange(sent: Sent): Promise<number | null> {
    const before = await ledger.headPosition();
    const answer = await send(sent).catch((err: Error) => {
      // A head over what Node reads is answered 431 and the connection closed while the client
      // may still be sending it: the reset can reach the client before the answer does.
      if (headBytes(sent) > maxHeaderSize) return null;
      throw new Error(`no answer: ${err.message} (${String(err.cause)})\n  request: ${describeRequest(sent)}`);
    });
    const written = answer === null ? [] : await judge(sent, answer);
    const after = await ledger.headPosition();
    const moved = (problem: string) =>
      new Error(
        `${problem}: the head moved from ${before} to ${after}\n  request: ${describeRequest(sent)}\n` +
          `  answer:  ${answer?.status ?? 'none (connection reset)'} ${excerpt(answer?.text ?? '')}`,
      );
    if ((answer === null || answer.status >= 400) && after !== before) throw moved('a refusal that wrote');
    if (written !== undefined && after - before !== BigInt(written.length))
      throw moved(`an accepted write that reports ${written.length} events`);
    return answer?.status ?? null;
  }

  /**
   * Holds an answer to the rule: no 5xx, a refusal in the documented JSON shape with a documented
   * code and status. An accepted two-stream write that answered 202 is sent again (same
   * Idempotency-Key) until its second write is made, so the next request starts from a head that
   * no longer moves. Answers the ids of the events an accepted write reports it wrote (none for a
   * replay or a refusal; undefined for an answer that is no write's: a read, a seal, a rebuild).
   */
  async function judge(sent: Sent, answer: Answer): Promise<string[] | undefined> {
    const fail = (problem: string): never => {
      throw new Error(
        `${problem}\n  request: ${describeRequest(sent)}\n  answer:  ${answer.status} ${excerpt(answer.text)}`,
      );
    };
    if (answer.status >= 500) fail('a 5xx answer');
    if (answer.status >= 200 && answer.status < 300) {
      const final = answer.status === 202 ? await completeSecondWrite(sent, answer, fail) : answer;
      const reported = sent.method === 'GET' ? undefined : eventsReported(final);
      return reported !== undefined && answer.headers.get('idempotent-replayed') === 'true' ? [] : reported;
    }
    if (answer.status < 400) fail('neither accepted nor refused');
    let body: unknown;
    try {
      body = JSON.parse(answer.text);
    } catch {
      fail('a refusal whose body is not JSON');
    }
    const problem = errorShapeProblem(body, answer.status);
    if (problem) fail(problem);
    return [];
  }

  function errorShapeProblem(body: unknown, status: number): string | null {
    if (body === null || typeof body !== 'object' || Array.isArray(body))
      return 'a refusal whose body is no JSON object';
    const { error, message, field, rule, ...rest } = body as Record<string, unknown>;
    if (Object.keys(rest).length > 0)
      return `a refusal with members beyond {error, message, field, rule}: ${Object.keys(rest)}`;
    if (typeof error !== 'string' || typeof message !== 'string' || message === '')
      return 'a refusal without a string error code and message';
    if (field !== undefined && typeof field !== 'string') return 'a refusal whose field is not a string';
    if (rule !== undefined) {
      const { ruleId, citation, ...more } = rule as Record<string, unknown>;
      if (typeof ruleId !== 'string' || !policyById(ruleId) || typeof citation !== 'string' || citation === '')
        return `a refusal whose rule is not {ruleId, citation} of a rule of GET /api/policies: ${JSON.stringify(rule)}`;
      if (Object.keys(more).length > 0) return `a refusal whose rule has members beyond {ruleId, citation}`;
    }
    const documented = statuses.get(error);
    if (documented === undefined) return `an undocumented error code: ${error} (docs/api.md, Error codes)`;
    if (documented.length > 0 && !documented.includes(status))
      return `error ${error} answered with status ${status}; docs/api.md documents ${documented.join(' or ')}`;
    return null;
  }

  /** Asks again with the answer's Idempotency-Key until both writes are made (201); answers that answer. */
  async function completeSecondWrite(sent: Sent, first: Answer, fail: (problem: string) => never): Promise<Answer> {
    const key = first.headers.get('idempotency-key') ?? fail('a 202 without the Idempotency-Key to ask again with');
    for (let attempt = 0; attempt < 200; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const again = await send({ ...sent, headers: { ...sent.headers, 'idempotency-key': key } });
      if (again.status === 201) return again;
      if (again.status !== 202)
        fail(`a write answered 202, then ${again.status} when asked again: ${excerpt(again.text)}`);
    }
    return fail('a two-stream write whose second write never came');
  }

  /** The events written after `position`, in order. */
  async function eventsAfter(position: bigint): Promise<LoggedEvent[]> {
    const page = await ledger.get(`/api/events?fromPosition=${position}&limit=1000`, 'auditor');
    return (page.body as { events: LoggedEvent[] }).events;
  }

  async function send(sent: Sent): Promise<Answer> {
    requestsSent++;
    const res = await fetch(ledger.url + sent.path, {
      method: sent.method,
      headers: sent.headers,
      body: sent.body === undefined ? undefined : Buffer.from(sent.body as never),
    });
    return { status: res.status, text: await res.text(), headers: res.headers };
  }

  // -------------------------------------------------------------------------------------------
  // requests from templates

  function jsonRequest(method: string, path: string, body: string | Uint8Array, token: string = TOKENS.admin): Sent {
    return { method, path, headers: { ...auth(token), 'content-type': 'application/json' }, body };
  }

  function auth(token: string = TOKENS.admin): Record<string, string> {
    return { authorization: `Bearer ${token}` };
  }

  /** A route of `of` (see anyRoute), the index of one of its templates, and the values `more` generates for it. */
  function onRoute<T>(
    of: FuzzRoute[],
    more: (route: FuzzRoute) => { [K in keyof T]: fc.Arbitrary<T[K]> },
  ): fc.Arbitrary<T & { route: FuzzRoute; template: number }> {
    // fc.record types the keys of a model spread from a generic one as optional; every key is generated.
    return anyRoute(of).chain(
      (route) =>
        fc.record({ ...more(route), route: fc.constant(route), template: templateIndex(route) }) as fc.Arbitrary<
          T & { route: FuzzRoute; template: number }
        >,
    );
  }

  /** A route, those with more fields to change more often (a route that takes no body is fuzzed too). */
  function anyRoute(of: FuzzRoute[]): fc.Arbitrary<FuzzRoute> {
    return fc.oneof(...of.map((r) => ({ arbitrary: fc.constant(r), weight: 1 + fieldsOf(r).length })));
  }

  function templateIndex(route: FuzzRoute): fc.Arbitrary<number> {
    return fc.nat({ max: Math.max(0, route.templates.length - 1) });
  }

  /**
   * The request a property starts from: a template of the route (a demo request) with the id it
   * creates made new, so it is valid once more, not a repeat; a route without templates has its
   * path's parameters filled with values the ledger holds and an empty body.
   */
  function startFrom(route: FuzzRoute, index: number): Template {
    const template = route.templates[index];
    if (!template) return { path: pathOf(route, index), members: [] };
    // A demo request names the id its write creates first (receiptId, allocationId, ...); a body
    // of optional fields only (closing a fiscal year) may have no member at all.
    const [first, ...rest] = template.members;
    if (first === undefined || !first[0].endsWith('Id')) return template;
    return { path: template.path, members: [[first[0], `F${++fresh}.${String(first[1])}`.slice(0, 64)], ...rest] };
  }

  /** The route's path with its parameters filled with values the ledger knows. */
  function pathOf(route: FuzzRoute, index: number): string {
    let path = route.path;
    for (const name of route.params) {
      const values = paramValues(route.path, name);
      path = path.replace(`:${name}`, encodeURIComponent(values.length > 0 ? values[index % values.length] : 'none'));
    }
    return path;
  }

  /**
   * Values of `:name` in `routePath`: those the demo's requests filled it with, under the same
   * prefix, else those the templates give a field of that name (`:householdId`).
   */
  function paramValues(routePath: string, name: string): string[] {
    const prefix = routePath.slice(0, routePath.indexOf(`:${name}`) + name.length + 1);
    if (known[prefix]) return known[prefix];
    const pattern = new RegExp(`^${prefix.replace(/:\w+/g, '([^/]+)')}(?:/|$)`);
    const values = new Set<string>();
    const templates = writes.flatMap((r) => r.templates);
    for (const t of templates) {
      const m = pattern.exec(t.path);
      if (m) values.add(decodeURIComponent(m[m.length - 1]));
    }
    if (values.size === 0) for (const t of templates) valuesNamed(name, Object.fromEntries(t.members), values);
    return [...values];
  }

  /** A maker's write, accepted (from its `i`-th template or the next two): what it made, or undefined. */
  async function makeOne(maker: FuzzRoute, i: number): Promise<Made | undefined> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const base = startFrom(maker, (i + attempt) % maker.templates.length);
      const status = await exchange(jsonRequest(maker.method, base.path, membersText(base.members)));
      if (status !== null && status < 300) {
        const made = nothingMade();
        chains.remember(maker, base.path, base.members, made);
        return made;
      }
    }
    return undefined;
  }

  // -------------------------------------------------------------------------------------------
  // changes to a body

  /** A change that makes a body bad: a field missing, of a bad value, or one no request takes. */
  function badChange(route: FuzzRoute): fc.Arbitrary<Change> {
    const fields = fieldsOf(route);
    const field = fields.length > 0 ? fc.constantFrom(...fields) : fc.constant('x');
    return fc.oneof(
      { arbitrary: field.map((f): Change => ({ kind: 'omit', field: f })), weight: 1 },
      {
        arbitrary: field.chain((f) => badValue(route, f).map((value): Change => ({ kind: 'set', field: f, value }))),
        weight: 6,
      },
      {
        arbitrary: fc.record({ field: unknownFieldName, value: junkValue }).map((c): Change => ({ kind: 'add', ...c })),
        weight: 1,
      },
      {
        arbitrary: field.chain((f) => validValue(route, f).map((value): Change => ({ kind: 'add', field: f, value }))),
        weight: 1,
      },
    );
  }

  /**
   * One change to a valid request: another valid value (most often), a bad one, a field omitted or
   * added. A field the demo's requests hold is changed more often than a sub-field they leave out.
   * `near`: the days and amounts a chain named so far, which valid values are drawn near.
   */
  function oneFieldChange(route: FuzzRoute, near?: Made): fc.Arbitrary<Change> {
    const held = [...new Set(route.templates.flatMap((t) => t.members.map(([k]) => k)))];
    const any = fc.constantFrom(...fieldsOf(route));
    // A body of optional fields only may hold none to change (closing a fiscal year).
    const field = held.length === 0 ? any : fc.oneof({ arbitrary: fc.constantFrom(...held), weight: 3 }, any);
    return fc.oneof(
      {
        arbitrary: field.chain((f) =>
          validValue(route, f, near).map((value): Change => ({ kind: 'set', field: f, value })),
        ),
        weight: 6,
      },
      {
        arbitrary: field.chain((f) => badValue(route, f).map((value): Change => ({ kind: 'set', field: f, value }))),
        weight: 3,
      },
      { arbitrary: field.map((f): Change => ({ kind: 'omit', field: f })), weight: 1 },
      {
        arbitrary: fc.record({ field: unknownFieldName, value: junkValue }).map((c): Change => ({ kind: 'add', ...c })),
        weight: 1,
      },
    );
  }

  /** The classes of bad value of a route's field. */
  function classesOf(route: FuzzRoute, field: string) {
    const schema = schemaOf(route, field);
    const seen = (pool.get(field) ?? []).filter((v): v is string => typeof v === 'string');
    return badValueClasses(fieldKind(field, schema), schema ?? {}, schema?.enum ?? seen);
  }

  /** A bad value for a route's field, of any of its classes (each as likely as another). */
  function badValue(route: FuzzRoute, field: string): fc.Arbitrary<unknown> {
    return fc.oneof(...classesOf(route, field).map((c) => c.values));
  }

  /**
   * A value the DTO takes: the demo's values of that field (or of any id), or one of the field's
   * kind; with `near`, mostly a day or amount at or next to one the chain named (a day before its
   * allocation, a fen more than its receipt).
   */
  function validValue(route: FuzzRoute, field: string, near?: Made): fc.Arbitrary<unknown> {
    const schema = schemaOf(route, field);
    const seen = pool.get(field) ?? [];
    const kind = fieldKind(field, schema);
    const own = {
      money: () => validMoney,
      day: () => (seen.length > 0 ? fc.constantFrom(...(seen as string[])).chain((d) => dayNear(d)) : validDay),
      number: () => validNumber(schema ?? {}),
      code: () => fc.constantFrom(...(schema?.enum ?? ['x'])),
      id: () => fc.oneof(fc.constantFrom(...ids), unknownId),
      text: () => fc.stringMatching(/^[A-Za-z0-9]([A-Za-z0-9 ]{0,9}[A-Za-z0-9])?$/),
    }[kind]();
    const any = seen.length > 0 ? fc.oneof(fc.constantFrom(...seen), own) : own;
    if (kind === 'day' && near && near.days.length > 0)
      return fc.oneof({ arbitrary: fc.constantFrom(...near.days).chain((d) => dayNear(d, 3)), weight: 3 }, any);
    if (kind === 'money' && near && near.amounts.length > 0)
      return fc.oneof({ arbitrary: fc.constantFrom(...near.amounts).chain(moneyNear), weight: 3 }, any);
    return any;
  }

  /** Who writes: mostly the administrator (who may write everything), else a role that may not, or a clerk of one town. */
  function writer(): fc.Arbitrary<string> {
    return fc.oneof(
      { arbitrary: fc.constant(TOKENS.admin), weight: 6 },
      { arbitrary: fc.constantFrom(TOKENS.finance, TOKENS.clerk, TOKENS.housing, TOKENS.viewer), weight: 2 },
      { arbitrary: fc.constant(TOWN_CLERK.token), weight: 1 },
    );
  }

  function authorization(): fc.Arbitrary<string> {
    const token = fc.constantFrom(...Object.values(TOKENS), TOWN_CLERK.token);
    return fc.oneof(
      token.map((t) => `Bearer ${t}`),
      token.map((t) => `bearer ${t}`),
      token.map((t) => `Bearer  ${t} `),
      fc.constantFrom('', 'Bearer', 'Bearer ', 'Basic YWRtaW46YWRtaW4=', `Bearer ${'x'.repeat(5000)}`),
      headerValue.map((v) => `Bearer ${v}`),
    );
  }
});

/** The ids of the events a write's answer reports (its own, and a two-stream write's other stream's); undefined for another answer. */
function eventsReported(answer: Answer): string[] | undefined {
  type Written = { events?: { eventId: string }[] };
  let body: Written & { project?: Written };
  try {
    body = JSON.parse(answer.text) as typeof body;
  } catch {
    return undefined; // a CSV or XLSX download
  }
  if (body === null || !Array.isArray(body.events)) return undefined;
  return [...body.events, ...(Array.isArray(body.project?.events) ? body.project.events : [])].map((e) => e.eventId);
}

interface LoggedEvent {
  eventId: string;
  streamId: string;
  type: string;
  data: Record<string, unknown>;
}

/** The string values of every field named `name` in `value`, at any depth. */
function valuesNamed(name: string, value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) value.forEach((v) => valuesNamed(name, v, into));
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      if (k === name && typeof v === 'string') into.add(v);
      valuesNamed(name, v, into);
    }
}

/** The size of a request's head as sent: request line and headers. */
function headBytes(sent: Sent): number {
  return Buffer.byteLength(`${sent.method} ${sent.path}${Object.entries(sent.headers).flat().join('')}`, 'latin1');
}

function describeRequest(sent: Sent): string {
  const body =
    sent.body === undefined ? '' : typeof sent.body === 'string' ? sent.body : Buffer.from(sent.body).toString('hex');
  return `${sent.method} ${excerpt(sent.path)} headers ${excerpt(JSON.stringify(sent.headers))} body ${excerpt(body)}`;
}

function excerpt(text: string, max = 600): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}
