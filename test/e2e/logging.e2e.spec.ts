/**
 * Rule (issue 14, point 15): the service logs JSON lines; every request's line carries a request
 * id (the client's X-Request-Id when it is a plain id, else a new one, answered in X-Request-Id),
 * the actor (id and role) and the correlation id; a line logged while a request is handled
 * carries the same; no line ever holds a token or the Authorization header.
 */
import { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/config';
import { ProjectQueries } from '../../src/funding/project-queries';
import { TOKENS } from './support/test-app';

const register = {
  projectId: 'TN2021-041',
  name: '凉风垭街道 北街小区改造',
  community: '北街小区',
  town: '凉风垭街道',
  builtYear: 1992,
  buildingArea: 9000,
  households: 120,
};

describe('the request log', () => {
  let dir: string;
  let app: INestApplication;
  let url: string;
  const lines: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-logging-'));
    const tokensFile = join(dir, 'tokens.json');
    writeFileSync(
      tokensFile,
      JSON.stringify(
        Object.entries(TOKENS).map(([role, token]) => ({ token, role, actorId: `u-${role}`, org: `org-${role}` })),
      ),
    );
    const config = loadConfig({ DATA_DIR: dir, LEDGER_TOKENS_FILE: tokensFile, LOG_LEVEL: 'info' });
    app = await createApp(config, { logStream: { write: (line: string) => void lines.push(line) } });
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${app.getHttpServer().address().port}`;
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const records = () => lines.map((l) => JSON.parse(l) as Record<string, any>);
  /** A request's last line (the one with its answer), once written: the server writes it on 'finish', which may come after the client has the answer. */
  async function completed(reqId: string): Promise<Record<string, any>> {
    for (;;) {
      const line = records().find((r) => r.reqId === reqId && r.res !== undefined);
      if (line) return line;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  it('a read: its line has the request id given, the actor and the correlation id', async () => {
    const res = await fetch(`${url}/api/projects`, {
      headers: { authorization: `Bearer ${TOKENS.viewer}`, 'x-request-id': 'req-0001', 'x-correlation-id': 'corr-7' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('req-0001');
    const line = await completed('req-0001');
    expect(line).toMatchObject({
      level: 'info',
      reqId: 'req-0001',
      actorId: 'u-viewer',
      role: 'viewer',
      correlationId: 'corr-7',
      req: { method: 'GET', url: '/api/projects' },
      res: { statusCode: 200 },
    });
    expect(typeof line.time).toBe('string');
  });

  it('a write without X-Correlation-Id: the correlation id is its command id, as on its events', async () => {
    const res = await fetch(`${url}/api/projects`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKENS.housing}`, 'content-type': 'application/json' },
      body: JSON.stringify(register),
    });
    expect(res.status).toBe(201);
    const reqId = res.headers.get('x-request-id')!;
    expect(reqId).toMatch(/^[0-9a-f-]{36}$/);
    const line = await completed(reqId);
    expect(line).toMatchObject({ actorId: 'u-housing', role: 'housing', res: { statusCode: 201 } });
    expect(line.correlationId).toBe(res.headers.get('idempotency-key'));
  });

  it('a request id that is not a plain id is replaced by a new one', async () => {
    const res = await fetch(`${url}/api/health/live`, { headers: { 'x-request-id': `a b ${'x'.repeat(200)}` } });
    const reqId = res.headers.get('x-request-id')!;
    expect(reqId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await completed(reqId)).res).toEqual({ statusCode: 200 });
  });

  it('a refusal without a valid token is logged with its request id and no actor', async () => {
    const res = await fetch(`${url}/api/projects`, { headers: { authorization: 'Bearer wrong-token-0123456789' } });
    expect(res.status).toBe(401);
    const line = await completed(res.headers.get('x-request-id')!);
    expect(line.res).toEqual({ statusCode: 401 });
    expect(line.actorId).toBeUndefined();
  });

  it('a line logged while a request is handled (a 500) carries its request id, actor and correlation id', async () => {
    const spy = jest.spyOn(app.get(ProjectQueries), 'project').mockRejectedValueOnce(new Error('disk on fire'));
    try {
      const res = await fetch(`${url}/api/projects/TN2021-041`, {
        headers: { authorization: `Bearer ${TOKENS.auditor}`, 'x-correlation-id': 'corr-500' },
      });
      expect(res.status).toBe(500);
      const reqId = res.headers.get('x-request-id')!;
      const last = await completed(reqId);
      const during = records().find((r) => r.reqId === reqId && r.res === undefined);
      expect(during).toMatchObject({
        level: 'error',
        actorId: 'u-auditor',
        role: 'auditor',
        correlationId: 'corr-500',
      });
      expect(JSON.stringify(during)).toContain('disk on fire');
      expect(last).toMatchObject({ level: 'error', res: { statusCode: 500 }, actorId: 'u-auditor' });
    } finally {
      spy.mockRestore();
    }
  });

  it('no line holds a token or the Authorization header', () => {
    expect(lines.length).toBeGreaterThanOrEqual(6);
    const all = lines.join('\n');
    for (const token of Object.values(TOKENS)) expect(all).not.toContain(token);
    expect(all).not.toContain('wrong-token-0123456789');
    expect(all.toLowerCase()).not.toContain('authorization');
    expect(all).not.toContain('Bearer');
  });
});
