/**
 * The demo district through the real service (what `npm run demo` does): every request of the
 * generated district is answered 2xx over HTTP, and afterwards every project's funding mix answers
 * 200 with source shares that sum to exactly "100.00" whenever anything was received.
 */
import { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokenEntry } from '../../src/auth/tokens';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/config';
import { DemoDistrict, generateDemoDistrict } from '../../src/demo/demo-district';
import { DemoLoadError, demoTokens, freshDataDir, loadDistrict, tokenOf, writeTokensFile } from '../../src/demo/demo-setup';

jest.setTimeout(90_000);

interface Mix {
  projectId: string;
  sources: { source: string; received: string; share: string }[];
  totals: { received: string; share: string };
}

/** "12.34" → 1234n: shares and amounts are summed in integer hundredths, never as floats. */
function hundredths(value: string): bigint {
  const m = /^(-?)(\d+)\.(\d{2})$/.exec(value);
  if (!m) throw new Error(`not a two-decimal string: ${value}`);
  const n = BigInt(m[2]) * 100n + BigInt(m[3]);
  return m[1] ? -n : n;
}

describe('the demo district over HTTP', () => {
  let dir: string;
  let app: INestApplication;
  let baseUrl: string;
  let tokens: TokenEntry[];
  let district: DemoDistrict;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-demo-e2e-'));
    const dataDir = join(dir, 'data');
    freshDataDir(dataDir);
    tokens = demoTokens();
    const tokensFile = join(dir, 'tokens.json');
    writeTokensFile(tokensFile, tokens);
    const config = { ...loadConfig({ DATA_DIR: dataDir, PORT: '0' }), tokensFile };
    app = await createApp(config, { logger: false });
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    district = generateDemoDistrict();
  });

  afterAll(async () => {
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const get = async (path: string) => {
    const response = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${tokenOf(tokens, 'auditor')}` } });
    return { status: response.status, body: (await response.json()) as unknown };
  };

  it('answers every request of the district 2xx', async () => {
    let result;
    try {
      result = await loadDistrict(baseUrl, tokens, district.requests);
    } catch (err) {
      // Show the refused request and the answer, not just "expected 2xx".
      if (err instanceof DemoLoadError) throw new Error(err.message);
      throw err;
    }
    expect(result.requests).toBe(district.requests.length);
    // Every write of the district is a single event.
    expect(result.events).toBe(district.requests.length);
    const health = await get('/api/health');
    expect(health.status).toBe(200);
    expect((health.body as { store: { headPosition: string } }).store.headPosition).toBe(String(district.requests.length));
    const list = await get('/api/projects');
    expect(list.status).toBe(200);
    expect((list.body as { projectId: string }[]).map((p) => p.projectId).sort()).toEqual(district.projects.map((p) => p.projectId).sort());
  });

  it('answers every funding mix 200, with shares summing to exactly "100.00" where money was received', async () => {
    let withMoney = 0;
    for (const project of district.projects) {
      const { status, body } = await get(`/api/projects/${project.projectId}/funding-mix`);
      expect({ projectId: project.projectId, status }).toEqual({ projectId: project.projectId, status: 200 });
      const mix = body as Mix;
      expect(mix.projectId).toBe(project.projectId);
      const received = mix.sources.reduce((t, s) => t + hundredths(s.received), 0n);
      expect(hundredths(mix.totals.received)).toBe(received);
      const shares = mix.sources.reduce((t, s) => t + hundredths(s.share), 0n);
      if (received > 0n) {
        withMoney++;
        expect({ projectId: project.projectId, shares }).toEqual({ projectId: project.projectId, shares: 100_00n });
        expect(mix.totals.share).toBe('100.00');
        expect(mix.sources.filter((s) => hundredths(s.received) > 0n).map((s) => s.source).sort()).toEqual([...project.sourcesReceived].sort());
      } else {
        expect(shares).toBe(0n);
        expect(project.sourcesReceived).toEqual([]);
      }
    }
    expect(withMoney).toBeGreaterThanOrEqual(25);
  });

  it('repeats a request with its Idempotency-Key without writing again', async () => {
    const head = async () => ((await get('/api/health')).body as { store: { headPosition: string } }).store.headPosition;
    const before = await head();
    const again = await loadDistrict(baseUrl, tokens, district.requests.slice(0, 3));
    expect(again.events).toBe(3); // the first answer, replayed
    expect(await head()).toBe(before);
  });
});
