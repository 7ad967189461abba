/**
 * The OpenAPI document (served at /docs) is complete enough for a client generator: it lints clean
 * with Redocly's recommended rules; every route the application serves is in it, with a success
 * schema and the refusals it can answer, each a code of docs/api.md's table with that table's
 * status; its query parameters are exactly those the route takes (what the strict query check
 * lets through); the write headers sit on writes only; the bearer scheme is not called a JWT, and
 * the health routes need no token. The document is built as the service builds it, from the app.
 */
import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import type { OpenAPIObject, OperationObject, ParameterObject, ResponseObject } from '@nestjs/swagger';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/config';
import { LedgerRoute, buildOpenApiDocument, ledgerRoutes } from '../../src/http/openapi';
import { declaredQueryParams } from '../../src/http/query-params.interceptor';
import { documentedCodes, documentedStatuses } from '../support/error-table';

const ROOT = join(__dirname, '..', '..');
const WRITE_HEADERS = ['Idempotency-Key', 'If-Match', 'X-Correlation-Id', 'X-Causation-Id'];
/**
 * Codes of the table no route documents: answered before a request reaches a route (its headers
 * too large, or not in time), to no route (`not-found`), to nobody (`request-aborted`), or for
 * what no route refuses on purpose (`http-error`, `internal-error`).
 */
const NOT_A_ROUTE_REFUSAL = [
  // rest-days.ts's refusal of a day past the calendar: routes count deadlines by recordedDeadline,
  // which marks such a deadline provisional instead of refusing the act.
  'no-calendar-for-year',
  'request-aborted',
  'request-timeout',
  'headers-too-large',
  'not-found',
  'http-error',
  'internal-error',
];

let app: INestApplication;
let dataDir: string;
let doc: OpenAPIObject;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'ledger-openapi-'));
  const tokensFile = join(dataDir, 'tokens.json');
  writeFileSync(
    tokensFile,
    JSON.stringify([{ token: 'openapi-spec-token-0001', role: 'admin', actorId: 'u', org: 'o' }]),
  );
  app = await createApp(loadConfig({ DATA_DIR: dataDir, LEDGER_TOKENS_FILE: tokensFile }), { logger: false });
  await app.init(); // registers the routes with the HTTP router; nothing listens
  doc = buildOpenApiDocument(app);
});

afterAll(async () => {
  await app?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/**
 * `METHOD /path/{param}` of every route the HTTP router serves, but Swagger UI's own (/docs...)
 * and Nest middleware mounted on every path (`/{*path}`, e.g. the request logger): no route of a
 * controller is a wildcard.
 */
function routerRoutes(): string[] {
  const express = app.getHttpAdapter().getInstance() as {
    router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
  };
  return express.router.stack.flatMap(({ route }) =>
    !route || /^\/docs([-/]|$)/.test(route.path) || route.path.includes('{*')
      ? []
      : Object.keys(route.methods).map((m) => `${m.toUpperCase()} ${route.path.replace(/:(\w+)/g, '{$1}')}`),
  );
}

function operations(): [string, OperationObject][] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item as Record<string, OperationObject>).map(([method, op]): [string, OperationObject] => [
      `${method.toUpperCase()} ${path}`,
      op,
    ]),
  );
}

function operationOf(route: LedgerRoute): OperationObject {
  return (doc.paths[route.path] as Record<string, OperationObject>)[route.method];
}

function parameters(op: OperationObject, where: string): string[] {
  return ((op.parameters ?? []) as ParameterObject[]).filter((p) => p.in === where).map((p) => p.name);
}

/** Each refusal an operation documents: `status code`. */
function refusals(op: OperationObject): { status: number; code: string }[] {
  return Object.entries(op.responses).flatMap(([status, r]) =>
    ((r as { 'x-error-codes'?: string[] })['x-error-codes'] ?? []).map((code) => ({ status: Number(status), code })),
  );
}

describe('the OpenAPI document', () => {
  it("lints with Redocly's recommended rules: no error, no warning", () => {
    let out: string;
    try {
      out = execFileSync(process.execPath, [join(ROOT, 'tools', 'lint-openapi.mjs')], {
        input: JSON.stringify(doc),
        encoding: 'utf8',
      });
    } catch (err) {
      out = (err as { stdout: string }).stdout; // the tool exits 1 when it finds problems
    }
    expect(JSON.parse(out)).toEqual([]);
  });

  it('has every route the router serves, and nothing else', () => {
    const served = routerRoutes();
    expect(served.length).toBeGreaterThan(20);
    expect(
      operations()
        .map(([route]) => route)
        .sort(),
    ).toEqual([...served].sort());
  });

  it('gives every operation a success schema and its refusals as ErrorResponse', () => {
    const lacking: string[] = [];
    for (const [route, op] of operations()) {
      const success = Object.entries(op.responses).filter(([s]) => /^2\d\d$/.test(s));
      // The live stream's messages: text/event-stream, each data: line a JSON object.
      const schemaOf = (r: ResponseObject) =>
        r.content?.['application/json']?.schema ?? r.content?.['text/event-stream']?.schema;
      if (success.length === 0 || success.some(([, r]) => !schemaOf(r as ResponseObject)))
        lacking.push(`${route}: a 2xx with a JSON schema`);
      const errors = Object.entries(op.responses).filter(([s]) => /^4\d\d$/.test(s));
      if (!errors.some(([s]) => s === '400')) lacking.push(`${route}: 400`);
      for (const [status, r] of errors) {
        const schema = (r as ResponseObject).content?.['application/json']?.schema as { $ref?: string } | undefined;
        if (schema?.$ref !== '#/components/schemas/ErrorResponse') lacking.push(`${route} ${status}: ErrorResponse`);
      }
    }
    expect(lacking).toEqual([]);
    expect(doc.components?.schemas?.ErrorResponse).toMatchObject({ required: ['error', 'message'] });
  });

  it("documents only codes of docs/api.md's table, each with the table's status", () => {
    const table = documentedStatuses();
    const wrong = operations().flatMap(([route, op]) =>
      refusals(op)
        .filter(({ status, code }) => !table.has(code) || (table.get(code) !== null && table.get(code) !== status))
        .map(({ status, code }) => `${route}: ${status} ${code} (the table: ${table.get(code) ?? 'no such code'})`),
    );
    expect(refusals(operationOf(routeOf('POST', '/api/projects/{id}/receipts')))).toEqual(
      expect.arrayContaining([
        { status: 401, code: 'unauthenticated' },
        { status: 403, code: 'forbidden' },
        { status: 404, code: 'project-not-found' },
        { status: 409, code: 'idempotency-key-reused' },
        { status: 412, code: 'revision-mismatch' },
        { status: 413, code: 'body-too-large' },
        { status: 415, code: 'unsupported-media-type' },
        { status: 422, code: 'receipt-exceeds-allocation' },
      ]),
    );
    expect(wrong).toEqual([]);
  });

  it("documents every code of docs/api.md's table on the routes that answer it", () => {
    const onRoutes = new Set(operations().flatMap(([, op]) => refusals(op).map((r) => r.code)));
    expect(documentedCodes().filter((code) => !onRoutes.has(code) && !NOT_A_ROUTE_REFUSAL.includes(code))).toEqual([]);
  });

  it('documents the policy rule a refusal names (rule: {ruleId, citation}), and the policy list with its filters', () => {
    const error = doc.components?.schemas?.ErrorResponse as { properties: Record<string, unknown> };
    expect(error.properties.rule).toMatchObject({ allOf: [{ $ref: '#/components/schemas/RuleReferenceDto' }] });
    expect(doc.components?.schemas?.RuleReferenceDto).toMatchObject({ required: ['ruleId', 'citation'] });
    const policies = operationOf(routeOf('GET', '/api/policies'));
    expect(parameters(policies, 'query')).toEqual(['asOf', 'family']);
    expect(refusals(policies)).toEqual(expect.arrayContaining([{ status: 400, code: 'invalid-date' }]));
  });

  it('lists as query parameters exactly those each handler takes (what the strict query check allows)', () => {
    const differ = ledgerRoutes(app).flatMap((route) => {
      const declared = declaredQueryParams(route.controller, route.handlerName);
      const documented = parameters(operationOf(route), 'query');
      return declared !== 'any' && documented.join() === declared.join()
        ? []
        : [`${route.method} ${route.path}: takes ${String(declared)}, documents ${documented.join()}`];
    });
    expect(differ).toEqual([]);
    expect(parameters(operationOf(routeOf('GET', '/api/events')), 'query')).toEqual(['fromPosition', 'limit']);
  });

  it('puts the write headers on writes only, and the time-travel refusal where asOf is taken', () => {
    for (const [route, op] of operations()) {
      const headers = parameters(op, 'header');
      if (route.startsWith('GET ')) expect({ route, headers }).toEqual({ route, headers: [] });
      const timeTravel = parameters(op, 'query').includes('asOf');
      // The public notice limits the reads each address has in flight (src/public-notice); live
      // streams are limited per caller too (src/live).
      const limited = timeTravel || route.startsWith('GET /api/public/') || route === 'GET /api/live';
      expect({ route, 429: op.responses['429'] !== undefined }).toEqual({ route, 429: limited });
    }
    const receipt = operationOf(routeOf('POST', '/api/projects/{id}/receipts'));
    expect(parameters(receipt, 'header')).toEqual(WRITE_HEADERS);
    expect(Object.keys((receipt.responses['201'] as ResponseObject).headers ?? {})).toEqual(
      expect.arrayContaining(['ETag', 'Idempotency-Key']),
    );
    // A seal is a new stream each time: no revision to pin.
    expect(parameters(operationOf(routeOf('POST', '/api/audit/seals')), 'header')).not.toContain('If-Match');
  });

  it('has a bearer scheme that is no JWT, servers, and open health routes', () => {
    expect(doc.components?.securitySchemes).toEqual({
      bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    });
    expect(doc.components?.securitySchemes?.bearer).not.toHaveProperty('bearerFormat');
    expect(doc.security).toEqual([{ bearer: [] }]);
    expect(doc.servers).toEqual([{ url: '/' }]);
    const open = operations()
      .filter(([, op]) => op.security !== undefined && op.security.length === 0)
      .map(([route]) => route);
    // The live stream takes a token or, from a browser, a ticket (?ticket=): its handler checks
    // the one or the other, so the guard lets it through, and it answers 401 without either.
    const tokenOrTicket = ['GET /api/live'];
    expect(open.sort()).toEqual([
      'GET /api/health',
      'GET /api/health/live',
      ...tokenOrTicket,
      'GET /api/public/projects/{projectId}/notice',
    ]);
    for (const [route, op] of operations())
      expect({ route, 401: op.responses['401'] !== undefined }).toEqual({
        route,
        401: !open.includes(route) || tokenOrTicket.includes(route),
      });
  });
});

function routeOf(method: string, path: string): LedgerRoute {
  const route = ledgerRoutes(app).find((r) => r.method === method.toLowerCase() && r.path === path);
  if (!route) throw new Error(`no route ${method} ${path}`);
  return route;
}
