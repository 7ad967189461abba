/**
 * HTTP hygiene (issue 14, point 14): a request is authenticated before its body is read, so a
 * caller without a valid token (or whose role may not call the route) cannot make the service
 * parse or buffer a body; every answer carries the security headers (nosniff, a same-origin CSP
 * without inline script, no X-Powered-By) and Cache-Control: no-store; the server's timeouts and
 * connection cap are the configured ones.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Server, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/config';
import { TOKENS, TestLedger } from './support/test-app';

interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

/** Sends the headers and `sent` bytes of the body, then waits for the answer without ending the upload. */
function rawPost(url: string, path: string, headers: Record<string, string>, sent: string): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, { method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode!, headers: res.headers, body: text ? JSON.parse(text) : null });
      });
    });
    req.on('error', reject);
    req.write(sent);
  });
}

describe('HTTP hygiene', () => {
  let ledger: TestLedger;
  beforeAll(async () => (ledger = await TestLedger.start()));
  afterAll(() => ledger.stop());

  describe('authentication comes before the body', () => {
    it('a body that is not JSON, without a token: 401, not 400 invalid-json', async () => {
      const r = await ledger.request('POST', '/api/projects', { role: null, rawBody: '{"projectId": ' });
      expect({ status: r.status, error: r.body.error }).toEqual({ status: 401, error: 'unauthenticated' });
    });

    it('a body over the size limit, with an unknown token: 401, not 413', async () => {
      const r = await ledger.request('POST', '/api/projects', {
        role: null,
        headers: { authorization: 'Bearer not-a-token-of-this-ledger' },
        rawBody: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }),
      });
      expect({ status: r.status, error: r.body.error }).toEqual({ status: 401, error: 'unauthenticated' });
    });

    it('a role that may not write: 403 before its malformed body is looked at', async () => {
      const r = await ledger.request('POST', '/api/projects', { role: 'viewer', rawBody: '{"projectId": ' });
      expect({ status: r.status, error: r.body.error }).toEqual({ status: 403, error: 'forbidden' });
    });

    it('an upload that never ends, without a token, is answered 401 at once: the body is not waited for', async () => {
      const r = await rawPost(
        ledger.url,
        '/api/projects',
        { 'content-type': 'application/json', 'content-length': '100000' },
        '{"projectId":',
      );
      expect({ status: r.status, error: r.body.error }).toEqual({ status: 401, error: 'unauthenticated' });
      // and the connection is closed rather than drained of an upload nobody will read
      expect(r.headers.connection).toBe('close');
    });

    // RFC 9110 §11.1: the scheme is a case-insensitive token; "bearer" was 401.
    it.each(['bearer', 'BEARER', 'bEaReR'])('takes the scheme written %s, as Bearer', async (scheme) => {
      const r = await ledger.request('GET', '/api/projects', {
        role: null,
        headers: { authorization: `${scheme} ${TOKENS.viewer}` },
      });
      expect(r.status).toBe(200);
    });

    it.each(['Basic dGVzdDp0ZXN0', `Bearer${TOKENS.viewer}`, TOKENS.viewer])(
      'refuses another scheme, or none: %s (401)',
      async (authorization) => {
        const r = await ledger.request('GET', '/api/projects', { role: null, headers: { authorization } });
        expect({ status: r.status, error: r.body.error }).toEqual({ status: 401, error: 'unauthenticated' });
      },
    );

    it('with a valid token the body is read as before: malformed JSON is 400 invalid-json', async () => {
      const r = await ledger.request('POST', '/api/projects', { role: 'housing', rawBody: '{"projectId": ' });
      expect({ status: r.status, error: r.body.error }).toEqual({ status: 400, error: 'invalid-json' });
    });
  });

  describe('headers on every answer', () => {
    it.each([
      ['an authenticated read', 'viewer' as const, '/api/projects', 200],
      ['a refusal without a token', null, '/api/projects', 401],
      ['the open health route', null, '/api/health/live', 200],
      ['an unknown route', 'viewer' as const, '/api/no-such-route', 404],
    ])('%s', async (_name, role, path, status) => {
      const r = await ledger.get(path, role);
      expect(r.status).toBe(status);
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('x-powered-by')).toBeNull();
      expect(r.headers.get('cache-control')).toBe('no-store');
      const csp = Object.fromEntries(
        r.headers
          .get('content-security-policy')!
          .split(';')
          .map((d) => {
            const [name, ...values] = d.trim().split(/\s+/);
            return [name, values];
          }),
      );
      expect(csp['default-src']).toEqual(["'self'"]);
      expect(csp['script-src']).toEqual(["'self'"]);
      expect(csp['script-src-attr']).toEqual(["'none'"]);
      expect(csp['object-src']).toEqual(["'none'"]);
      expect(csp['frame-ancestors']).toEqual(["'none'"]);
    });

    it('the OpenAPI page loads its scripts from this origin, none inline (the CSP would block them)', async () => {
      const res = await fetch(`${ledger.url}/docs`, { headers: { authorization: `Bearer ${TOKENS.viewer}` } });
      const html = await res.text();
      expect(res.status).toBe(200);
      const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts.length).toBeGreaterThan(0);
      for (const [, attributes, body] of scripts) {
        expect(attributes).toMatch(/src=["'][^"':]+["']/); // a relative URL: this origin
        expect(body.trim()).toBe('');
      }
    });
  });
});

describe('the HTTP server limits', () => {
  let app: INestApplication;
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ledger-limits-'))));
  afterEach(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('are the configured timeouts and connection cap', async () => {
    const config = loadConfig({
      DATA_DIR: dir,
      HTTP_REQUEST_TIMEOUT_MS: '20000',
      HTTP_HEADERS_TIMEOUT_MS: '7000',
      HTTP_KEEP_ALIVE_TIMEOUT_MS: '61000',
      HTTP_MAX_CONNECTIONS: '50',
    });
    app = await createApp(config, { logger: false });
    const server = app.getHttpServer() as Server;
    expect({
      requestTimeout: server.requestTimeout,
      headersTimeout: server.headersTimeout,
      keepAliveTimeout: server.keepAliveTimeout,
      maxConnections: server.maxConnections,
    }).toEqual({ requestTimeout: 20000, headersTimeout: 7000, keepAliveTimeout: 61000, maxConnections: 50 });
  });
});
