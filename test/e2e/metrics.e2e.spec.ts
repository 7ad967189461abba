/**
 * Rule (issue 14, point 15): GET /metrics, on the metrics port and without a token, answers the
 * Prometheus text format: request latency by route pattern (never the raw URL) and status,
 * write requests by outcome, error answers by code, the store's head and each projection's lag,
 * the write path's and the verifier's figures once reported, and Node's process metrics. The
 * API's port does not serve it.
 */
import { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/config';
import { MetricsEndpoint } from '../../src/ops/metrics-server';
import { MetricsService } from '../../src/ops/metrics.service';
import { TOKENS } from './support/test-app';

const register = {
  projectId: 'TN2021-051',
  name: '大佛街道 南坝小区改造',
  community: '南坝小区',
  town: '大佛街道',
  builtYear: 1990,
  buildingArea: 8000,
  households: 100,
};

describe('GET /metrics', () => {
  let dir: string;
  let app: INestApplication;
  let api: string;
  let metricsUrl: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-metrics-'));
    const tokensFile = join(dir, 'tokens.json');
    writeFileSync(
      tokensFile,
      JSON.stringify(
        Object.entries(TOKENS).map(([role, token]) => ({ token, role, actorId: `u-${role}`, org: `org-${role}` })),
      ),
    );
    app = await createApp(loadConfig({ DATA_DIR: dir, LEDGER_TOKENS_FILE: tokensFile }), { logger: false });
    await app.listen(0, '127.0.0.1');
    api = `http://127.0.0.1:${app.getHttpServer().address().port}`;
    const bound = await app.get(MetricsEndpoint).listen('127.0.0.1', 0);
    metricsUrl = `http://127.0.0.1:${bound.port}/metrics`;
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const as = (role: keyof typeof TOKENS, extra: Record<string, string> = {}) => ({
    authorization: `Bearer ${TOKENS[role]}`,
    'content-type': 'application/json',
    ...extra,
  });

  /** The value of one sample, `name{labels}`, labels in the order prom-client writes them. */
  function sample(text: string, series: string): number | undefined {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  }

  async function scrape(): Promise<string> {
    const res = await fetch(metricsUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.text();
  }

  /**
   * A scrape once `requests` requests have been counted: a request is counted when its answer has
   * been handed to the socket ('finish'), which the client may see first.
   */
  async function scrapeAfter(requests: number): Promise<string> {
    for (;;) {
      const text = await scrape();
      const counted = text
        .split('\n')
        .filter((l) => l.startsWith('ledger_http_request_duration_seconds_count{'))
        .reduce((sum, l) => sum + Number(l.split(' ')[1]), 0);
      if (counted >= requests) return text;
    }
  }

  it('counts requests by route pattern and status, writes by outcome, errors by code', async () => {
    const post = (key: string, body: unknown, role: keyof typeof TOKENS = 'housing') =>
      fetch(`${api}/api/projects`, {
        method: 'POST',
        headers: as(role, { 'idempotency-key': key }),
        body: JSON.stringify(body),
      });
    expect((await post('reg-1', register)).status).toBe(201);
    expect((await post('reg-1', register)).status).toBe(201); // replayed
    expect((await post('reg-2', { ...register, households: 'many' })).status).toBe(400);
    expect((await post('reg-3', register, 'viewer')).status).toBe(403);
    for (const id of ['TN2021-051', 'TN2021-052', 'TN2021-053'])
      await fetch(`${api}/api/projects/${id}`, { headers: as('viewer') });
    await fetch(`${api}/api/no-such-route/TN2021-051`, { headers: as('viewer') });

    const text = await scrapeAfter(8);
    const count = (labels: string) => sample(text, `ledger_http_request_duration_seconds_count{${labels}}`);
    expect(count('method="GET",route="/api/projects/:id",status="200"')).toBe(1);
    expect(count('method="GET",route="/api/projects/:id",status="404"')).toBe(2);
    expect(count('method="POST",route="/api/projects",status="201"')).toBe(2);
    expect(count('method="GET",route="unmatched",status="404"')).toBe(1);
    // one series per route: no project id, no raw URL in any label
    expect(text).not.toMatch(/route="[^"]*TN2021/);

    const commands = (outcome: string) =>
      sample(text, `ledger_commands_total{route="/api/projects",outcome="${outcome}"}`);
    expect([commands('written'), commands('replayed'), commands('refused')]).toEqual([1, 1, 2]);
    expect(sample(text, 'ledger_errors_total{code="forbidden",status="403"}')).toBe(1);
    expect(sample(text, 'ledger_errors_total{code="project-not-found",status="404"}')).toBe(2);
    expect(sample(text, 'ledger_errors_total{code="not-found",status="404"}')).toBe(1);
  });

  it("reports the store's head and each projection's position and lag", async () => {
    const text = await scrape();
    expect(sample(text, 'ledger_store_up')).toBe(1);
    expect(sample(text, 'ledger_store_head_position')).toBe(1);
    for (const projection of ['funding-mix', 'project-list', 'source-ledger', 'cost-shares', 'red-flags']) {
      const position = sample(text, `ledger_projection_position{projection="${projection}"}`)!;
      expect(sample(text, `ledger_projection_lag_events{projection="${projection}"}`)).toBe(1 - position);
    }
  });

  it("shows what the write path and the verifier report through MetricsService's hooks", async () => {
    const metrics = app.get(MetricsService);
    metrics.observeGroupCommit(3, 4);
    metrics.observeAppend(12);
    metrics.beforeScrape(async () =>
      metrics.setVerifierStatus({ checkedThrough: '40', eventsChecked: 40, brokenStreams: 1 }),
    );
    const text = await scrape();
    expect(sample(text, 'ledger_group_commit_commands_count')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'ledger_group_commit_commands_bucket{le="4"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'ledger_append_duration_seconds_count{writer="group"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'ledger_append_duration_seconds_count{writer="optimistic"}')).toBe(1);
    expect(sample(text, 'ledger_verifier_events_checked_total')).toBe(40);
    expect(sample(text, 'ledger_verifier_position')).toBe(40);
    expect(sample(text, 'ledger_verifier_broken_streams')).toBe(1);
    // scraped again with nothing new checked: the counter stays where it was
    expect(sample(await scrape(), 'ledger_verifier_events_checked_total')).toBe(40);
  });

  it("has Node's process metrics", async () => {
    const text = await scrape();
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
  });

  it('is not served on the API port, and the metrics port serves nothing else', async () => {
    expect((await fetch(`${api}/metrics`, { headers: as('admin') })).status).toBe(404);
    expect((await fetch(metricsUrl.replace('/metrics', '/api/projects'))).status).toBe(404);
  });
});
