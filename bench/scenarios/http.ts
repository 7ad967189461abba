/**
 * (b) HTTP receipts end to end against a bare route of the same app.
 *
 * The real service (createApp: Nest, auth guard, validation pipe, CommandBus, GroupCommitWriter,
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
import { mean, median, tempDir } from '../lib/util';

export const TOKENS = [
  { token: 'bench-admin-token-0000000', actorId: 'u-bench-admin', role: 'admin', org: 'org-district' },
  { token: 'bench-clerk-token-0000000', actorId: 'u-bench-clerk', role: 'clerk', org: 'org-district-finance' },
];

interface LoadResult {
  requestsPerS: number;
  requests: number;
  durationS: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  p50Ms: number;
  p99Ms: number;
}

export function load(args: Record<string, unknown>): Promise<LoadResult>;
export function load(args: Record<string, unknown>, windows: Window[]): Promise<LoadResult[]>;
export function load(args: Record<string, unknown>, windows?: Window[]): Promise<LoadResult | LoadResult[]> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, '..', 'autocannon-worker.js'), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let reply: { ok: true; value: LoadResult | LoadResult[] } | { ok: false; error: string } | undefined;
    child.on('message', (m: typeof reply) => {
      reply = m;
    });
    child.once('error', reject);
    // 'close', not 'exit': a child's last IPC message may still be on its way at 'exit' (seen under
    // load: a child that sent its answer and exited 0 was read as "no answer").
    child.once('close', (code) => {
      if (reply?.ok) resolve(reply.value);
      else
        reject(new Error(`autocannon worker failed (exit ${code}): ${reply && !reply.ok ? reply.error : 'no answer'}`));
    });
    child.send({ args, windows });
  });
}

/** One measured autocannon run of a sequence (see bench/autocannon-worker.js). */
export interface Window {
  mode: 'bare' | 'receipts';
  barePath?: string;
  durationS: number;
}

export async function post(url: string, path: string, token: string, body: unknown): Promise<void> {
  const res = await fetch(url + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`setup ${path}: ${res.status} ${await res.text()}`);
}

/** Registers and approves `count` projects over HTTP (as the admin); their ids. */
export async function approvedProjects(url: string, count: number): Promise<string[]> {
  const projects = Array.from({ length: count }, (_, i) => projectIdOf(i));
  for (const p of projects) {
    const { type: _t, ...register } = registerCommand(p) as unknown as Record<string, unknown>;
    await post(url, '/api/projects', TOKENS[0].token, register);
    const { type: _a, projectId: _p, ...approval } = approveCommand(p) as unknown as Record<string, unknown>;
    await post(url, `/api/projects/${p}/approval`, TOKENS[0].token, approval);
  }
  return projects;
}

export async function httpScenario(quick: boolean): Promise<Omit<ScenarioResult, 'seconds'>> {
  const connections = 32;
  const windowS = quick ? 1 : 2;
  const warmupS = quick ? 1 : 2;
  const cycles = quick ? 2 : 6;
  const projectCount = 64;
  const { dir, cleanup } = tempDir('http');
  const tokensFile = join(dir, 'tokens.json');
  writeFileSync(tokensFile, JSON.stringify(TOKENS));
  let app: INestApplication | null = null;
  try {
    const config = loadConfig({ DATA_DIR: join(dir, 'data'), LEDGER_TOKENS_FILE: tokensFile, PORT: '0' });
    app = await createApp(config, { logger: false });
    // For reference: an Express route outside Nest, a constant body (the HTTP server alone).
    app
      .getHttpAdapter()
      .get('/bench/bare', (_req: unknown, res: { json(body: unknown): void }) => res.json({ ok: true }));
    await app.listen(0, '127.0.0.1');
    const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    const projects = await approvedProjects(url, projectCount);
    const bodies = Array.from({ length: 8 }, (_, i) => receiptBody(i));
    const common = { url, connections, token: TOKENS[1].token, projects, bodies };
    const BARE: Window = { mode: 'bare', barePath: '/api/health/live', durationS: windowS };
    const EXPRESS: Window = { mode: 'bare', barePath: '/bench/bare', durationS: windowS };
    const RECEIPTS: Window = { mode: 'receipts', durationS: windowS };
    // Warm-up, discarded: every route once.
    const warm = await load(common, [
      { ...BARE, durationS: warmupS },
      { ...EXPRESS, durationS: warmupS },
      { ...RECEIPTS, durationS: warmupS },
    ]);
    // Measured: cycles of bare, receipts, receipts, bare (then the Express route, for reference):
    // each receipts window has a bare window right beside it, and the mirrored order cancels a
    // drift of the machine's speed across the cycle.
    const plan: Window[] = [];
    for (let c = 0; c < cycles; c++) plan.push(BARE, RECEIPTS, RECEIPTS, BARE, EXPRESS);
    const measured = await load(common, plan);
    const bare = measured.filter((_, i) => i % 5 === 0 || i % 5 === 3);
    const receipts = measured.filter((_, i) => i % 5 === 1 || i % 5 === 2);
    const express = measured.filter((_, i) => i % 5 === 4);
    // Pairs: (bare, receipts) and (receipts, bare) of each cycle.
    const pairRatios = receipts.map((r, i) => r.requestsPerS / bare[i].requestsPerS);
    const bad = [...warm, ...measured].reduce((t, x) => t + x.non2xx + x.errors + x.timeouts, 0);
    if (bad > 0)
      throw new Error(`HTTP load saw ${bad} non-2xx answers, errors or timeouts: ${JSON.stringify(measured)}`);
    const head = await headOf(join(dir, 'data', 'events.sqlite'));
    const expectedWrites = receipts.reduce((t, x) => t + x.requests, 0);
    // Warm-up receipts are written too, so the store holds at least set-up + measured receipts.
    if (Number(head) < expectedWrites + projectCount * 2)
      throw new Error(`${expectedWrites} receipts answered 2xx but the store holds only ${head} events`);
    // Pooled over the same total time: requests answered / seconds measured, per route.
    const rate = (xs: LoadResult[]) => xs.reduce((t, x) => t + x.requests, 0) / xs.reduce((t, x) => t + x.durationS, 0);
    const oursRps = rate(receipts);
    const bareRps = rate(bare);
    const expressRps = rate(express);
    const sortedPairs = [...pairRatios].sort((a, b) => a - b);
    return {
      id: 'b',
      title: 'HTTP receipts end to end (autocannon in a second process) vs a bare route of the same app',
      comparisons: [
        compare(
          'receipts_vs_bare_rps',
          `HTTP POST receipts, req/s (${connections} connections)`,
          {
            key: 'ours_receipts_requests_per_s',
            label: 'POST /api/projects/:id/receipts',
            value: oursRps,
            unit: 'req/s',
          },
          {
            key: 'bare_route_requests_per_s',
            label: 'GET /api/health/live (Nest route, constant)',
            value: bareRps,
            unit: 'req/s',
          },
          'ratio_receipts_over_bare',
          ({ ratio }) => ({ text: '>= 0.5', met: ratio >= 0.5 }),
        ),
        compare(
          'receipts_vs_express_rps',
          `HTTP POST receipts vs the HTTP server alone, req/s`,
          {
            key: 'ours_receipts_requests_per_s',
            label: 'POST /api/projects/:id/receipts',
            value: oursRps,
            unit: 'req/s',
          },
          {
            key: 'express_route_requests_per_s',
            label: 'GET /bench/bare (Express route, no Nest)',
            value: expressRps,
            unit: 'req/s',
          },
          'ratio_receipts_over_express',
        ),
        compare(
          'receipts_vs_bare_p99',
          'HTTP latency p99, ms',
          { key: 'ours_receipts_p99_ms', label: 'receipts', value: mean(receipts.map((x) => x.p99Ms)), unit: 'ms' },
          {
            key: 'bare_route_p99_ms',
            label: 'GET /api/health/live',
            value: mean(bare.map((x) => x.p99Ms)),
            unit: 'ms',
          },
          'ratio_receipts_p99_over_bare_p99',
        ),
      ],
      details: {
        connections,
        window_s: windowS,
        warmup_s: warmupS,
        cycles,
        projects: projectCount,
        receipts_p50_ms: mean(receipts.map((x) => x.p50Ms)),
        bare_p50_ms: mean(bare.map((x) => x.p50Ms)),
        receipts_requests: expectedWrites,
        events_in_store: Number(head),
        ratio_receipts_over_bare_paired_median: median(pairRatios),
        ratio_receipts_over_bare_paired_min: sortedPairs[0],
        ratio_receipts_over_bare_paired_max: sortedPairs[sortedPairs.length - 1],
        ratio_receipts_over_bare_per_pair: pairRatios.map((r) => r.toFixed(3)).join(' '),
        receipts_requests_per_s_per_window: receipts.map((x) => x.requestsPerS.toFixed(0)).join(' '),
        bare_requests_per_s_per_window: bare.map((x) => x.requestsPerS.toFixed(0)).join(' '),
        express_requests_per_s_per_window: express.map((x) => x.requestsPerS.toFixed(0)).join(' '),
      },
      notes: [
        'The bare route is GET /api/health/live: a route of the same Nest app (router, guard, filter, JSON) that returns a constant. GET /bench/bare, an Express route outside Nest, shows the HTTP server alone, for reference.',
        `After a ${warmupS} s warm-up of each route (discarded), ${cycles} cycle(s) of ${windowS} s windows in the order bare, receipts, receipts, bare, Express: each receipts window beside a bare one, the mirrored order cancelling a drift of the machine's speed within a cycle. The ratio is pooled: receipts answered per second over all receipts windows against the same for the bare windows; the paired ratios (each receipts window against the bare window beside it) are in the details, with their median and range. ${connections} connections, pipelining 1; every receipt answered 2xx and was a new event (${Number(head)} events in the store, ${projectCount * 2} of them set-up).`,
        'The server runs in the bench process, autocannon in a forked child: on 2 cores they compete for the CPU, equally for both routes.',
        "Receipts are written by the service's writer on the embedded store (GroupCommitWriter): decided and committed (synchronous=FULL) in group transactions on the main thread; see (a) for the design.",
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
