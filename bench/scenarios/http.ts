/**
 * (b) HTTP receipts end to end against a bare route of the same app.
 *
 * The real service (createApp: Nest, auth guard, validation pipe, CommandBus, PipelinedWriter,
 * SQLite with synchronous=FULL, the projection runner feeding the read models) runs in this
 * process on a temp DATA_DIR. The bare route is GET /api/health/live, a route of the same Nest
 * app answering a constant; one extra Express route outside Nest, GET /bench/bare, shows the
 * HTTP server alone, for reference. autocannon runs in a second process
 * (bench/autocannon-worker.js) with the same connections and duration against both: every
 * receipt request is a new receipt with its own Idempotency-Key.
 */
import { INestApplication } from '@nestjs/common';
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/config';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { approveCommand, projectIdOf, receiptBody, registerCommand } from '../lib/fixtures';
import { ScenarioResult, compare } from '../lib/report';
import { mean, tempDir } from '../lib/util';

export const TOKENS = [
  { token: 'bench-admin-token-0000000', actorId: 'u-bench-admin', role: 'admin', org: 'org-district' },
  { token: 'bench-clerk-token-0000000', actorId: 'u-bench-clerk', role: 'clerk', org: 'org-district-finance' },
];

interface LoadResult {
  requestsPerS: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  p50Ms: number;
  p99Ms: number;
}

export function load(args: Record<string, unknown>): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, '..', 'autocannon-worker.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let reply: { ok: true; value: LoadResult } | { ok: false; error: string } | undefined;
    child.on('message', (m: typeof reply) => {
      reply = m;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (reply?.ok) resolve(reply.value);
      else reject(new Error(`autocannon worker failed (exit ${code}): ${reply && !reply.ok ? reply.error : 'no answer'}`));
    });
    child.send({ args });
  });
}

export async function post(url: string, path: string, token: string, body: unknown): Promise<void> {
  const res = await fetch(url + path, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status >= 300) throw new Error(`setup ${path}: ${res.status} ${await res.text()}`);
}

export async function httpScenario(quick: boolean): Promise<Omit<ScenarioResult, 'seconds'>> {
  const connections = 32;
  const durationS = quick ? 3 : 8;
  const warmupS = quick ? 1 : 2;
  const rounds = quick ? 1 : 3;
  const projectCount = 64;
  const { dir, cleanup } = tempDir('http');
  const tokensFile = join(dir, 'tokens.json');
  writeFileSync(tokensFile, JSON.stringify(TOKENS));
  let app: INestApplication | null = null;
  try {
    const config = loadConfig({ DATA_DIR: join(dir, 'data'), LEDGER_TOKENS_FILE: tokensFile, PORT: '0' });
    app = await createApp(config, { logger: false });
    // For reference: an Express route outside Nest, a constant body (the HTTP server alone).
    app.getHttpAdapter().get('/bench/bare', (_req: unknown, res: { json(body: unknown): void }) => res.json({ ok: true }));
    await app.listen(0, '127.0.0.1');
    const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    const projects = Array.from({ length: projectCount }, (_, i) => projectIdOf(i));
    for (const p of projects) {
      const { type: _t, ...register } = registerCommand(p) as unknown as Record<string, unknown>;
      await post(url, '/api/projects', TOKENS[0].token, register);
      const { type: _a, ...approval } = approveCommand() as unknown as Record<string, unknown>;
      await post(url, `/api/projects/${p}/approval`, TOKENS[0].token, approval);
    }
    const bodies = Array.from({ length: 8 }, (_, i) => receiptBody(i));
    const common = { url, connections, durationS, warmupS, token: TOKENS[1].token, projects, bodies };
    const bare: LoadResult[] = [];
    const express: LoadResult[] = [];
    const receipts: LoadResult[] = [];
    for (let r = 0; r < rounds; r++) {
      bare.push(await load({ ...common, mode: 'bare', barePath: '/api/health/live' }));
      express.push(await load({ ...common, mode: 'bare', barePath: '/bench/bare' }));
      receipts.push(await load({ ...common, mode: 'receipts' }));
    }
    const bad = [...receipts, ...bare, ...express].reduce((t, x) => t + x.non2xx + x.errors + x.timeouts, 0);
    if (bad > 0) throw new Error(`HTTP load saw ${bad} non-2xx answers, errors or timeouts: ${JSON.stringify({ bare, receipts })}`);
    const head = await headOf(join(dir, 'data', 'events.sqlite'));
    const expectedWrites = receipts.reduce((t, x) => t + x.requests, 0);
    // Warm-up receipts are written too, so the store holds at least set-up + measured receipts.
    if (Number(head) < expectedWrites + projectCount * 2) throw new Error(`${expectedWrites} receipts answered 2xx but the store holds only ${head} events`);
    const oursRps = mean(receipts.map((x) => x.requestsPerS));
    const bareRps = mean(bare.map((x) => x.requestsPerS));
    const expressRps = mean(express.map((x) => x.requestsPerS));
    return {
      id: 'b',
      title: 'HTTP receipts end to end (autocannon in a second process) vs a bare route of the same app',
      comparisons: [
        compare('receipts_vs_bare_rps', `HTTP POST receipts, req/s (${connections} connections)`,
          { key: 'ours_receipts_requests_per_s', label: 'POST /api/projects/:id/receipts', value: oursRps, unit: 'req/s' },
          { key: 'bare_route_requests_per_s', label: 'GET /api/health/live (Nest route, constant)', value: bareRps, unit: 'req/s' },
          'ratio_receipts_over_bare', ({ ratio }) => ({ text: '>= 0.5', met: ratio >= 0.5 })),
        compare('receipts_vs_express_rps', `HTTP POST receipts vs the HTTP server alone, req/s`,
          { key: 'ours_receipts_requests_per_s', label: 'POST /api/projects/:id/receipts', value: oursRps, unit: 'req/s' },
          { key: 'express_route_requests_per_s', label: 'GET /bench/bare (Express route, no Nest)', value: expressRps, unit: 'req/s' },
          'ratio_receipts_over_express'),
        compare('receipts_vs_bare_p99', 'HTTP latency p99, ms',
          { key: 'ours_receipts_p99_ms', label: 'receipts', value: mean(receipts.map((x) => x.p99Ms)), unit: 'ms' },
          { key: 'bare_route_p99_ms', label: 'GET /api/health/live', value: mean(bare.map((x) => x.p99Ms)), unit: 'ms' },
          'ratio_receipts_p99_over_bare_p99'),
      ],
      details: {
        connections, duration_s: durationS, warmup_s: warmupS, rounds, projects: projectCount,
        receipts_p50_ms: mean(receipts.map((x) => x.p50Ms)), bare_p50_ms: mean(bare.map((x) => x.p50Ms)),
        receipts_requests: expectedWrites, events_in_store: Number(head),
        receipts_requests_per_s_per_round: receipts.map((x) => x.requestsPerS.toFixed(1)).join(' '),
        bare_requests_per_s_per_round: bare.map((x) => x.requestsPerS.toFixed(1)).join(' '),
        express_requests_per_s_per_round: express.map((x) => x.requestsPerS.toFixed(1)).join(' '),
        ratio_receipts_over_bare_per_round: receipts.map((x, i) => (x.requestsPerS / bare[i].requestsPerS).toFixed(3)).join(' '),
      },
      notes: [
        'The bare route is GET /api/health/live: a route of the same Nest app (router, guard, filter, JSON) that returns a constant. GET /bench/bare, an Express route outside Nest, shows the HTTP server alone, for reference.',
        `${rounds} round(s) (bare, Express, then receipts) of ${durationS} s per route after a ${warmupS} s warm-up each, ${connections} connections, pipelining 1; every receipt answered 2xx and was a new event (${Number(head)} events in the store, ${projectCount * 2} of them set-up).`,
        'The server runs in the bench process, autocannon in a forked child: on 2 cores they compete for the CPU, equally for both routes.',
        "Receipts are written by the service's writer on the embedded store (PipelinedWriter): decided on the main thread, committed (synchronous=FULL) on the store's write thread, so that thread too competes for the 2 cores during the receipts rounds; see (a) for the design.",
      ],
    };
  } finally {
    await app?.close();
    cleanup();
  }
}

async function headOf(file: string): Promise<bigint> {
  const store = new SqliteEventStore(file);
  try {
    return await store.headPosition();
  } finally {
    await store.close();
  }
}
