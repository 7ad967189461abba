/**
 * (g) Time-travel reads beside health checks and writes (issue 14, defect 4).
 *
 * The real service (createApp) on a temp DATA_DIR whose log holds 64 approved projects and
 * LOG_EVENTS receipts. Two autocannon processes run at once, for one window: GET /api/health/live
 * (1 connection) and POST receipts (8 connections). Each window is measured twice: alone, and with
 * four time-travel reads in flight throughout (a child process: two callers, two loops each, GET /api/projects?asOf=
 * over and over: every one a replay of the whole log). Windows alternate alone, with, with, alone, twice,
 * so a drift of the machine's speed hits both sides.
 */
import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/config';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { GroupCommitWriter } from '../../src/event-store/write-path';
import { APPROVE_PROJECT } from '../../src/funding/approve-project/approve-project.controller';
import { RECEIVE_FUNDS } from '../../src/funding/receive-funds/receive-funds.controller';
import { REGISTER_PROJECT } from '../../src/funding/register-project/register-project.controller';
import { ProjectCommand } from '../../src/project/project.commands';
import { ProjectState, projectDecider } from '../../src/project/project.decider';
import { ProjectEvent, projectStreamId } from '../../src/project/project.events';
import { approveCommand, contextOf, projectIdOf, receiptBody, receiveCommand, registerCommand } from '../lib/fixtures';
import { ScenarioResult, compare } from '../lib/report';
import { mean, runInChild, tempDir } from '../lib/util';
import { LoopCounts } from './time-travel-loops';
import { TOKENS, load } from './http';

const VIEWERS = [
  { token: 'bench-viewer-a-token-0000', actorId: 'u-bench-viewer-a', role: 'viewer', org: 'org-street-a' },
  { token: 'bench-viewer-b-token-0000', actorId: 'u-bench-viewer-b', role: 'viewer', org: 'org-street-b' },
];
const PROJECTS = 64;
/** How long ahead the readers' child process is told to start (it starts in well under that). */
const LOOPS_START_MS = 1_500;

/** The log the service starts on: 64 projects registered and approved, then `receipts` receipts. */
async function buildLog(file: string, receipts: number): Promise<string[]> {
  const store = new SqliteEventStore(file);
  const writer = new GroupCommitWriter<ProjectState, ProjectCommand, ProjectEvent>(store, projectDecider);
  const projects = Array.from({ length: PROJECTS }, (_, i) => projectIdOf(i));
  const exec = (p: string, command: ProjectCommand, route: string, body: unknown) =>
    writer.execute(projectStreamId(p), command, contextOf(randomUUID(), route, p, body));
  try {
    await Promise.all(projects.map((p) => exec(p, registerCommand(p), REGISTER_PROJECT.requestName, p)));
    await Promise.all(projects.map((p) => exec(p, approveCommand(p), APPROVE_PROJECT.requestName, p)));
    let next = 0;
    await Promise.all(
      projects.map(async (p) => {
        for (let i = next++; i < receipts; i = next++)
          await exec(p, receiveCommand(p, i), RECEIVE_FUNDS.requestName, receiptBody(i));
      }),
    );
  } finally {
    await store.close();
  }
  return projects;
}

async function caughtUp(url: string): Promise<void> {
  for (const deadline = Date.now() + 300_000; Date.now() < deadline;) {
    const health = (await (await fetch(`${url}/api/health`)).json()) as { projections?: { lag: string }[] };
    if (health.projections && health.projections.every((p) => p.lag === '0')) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('time-travel bench: the read models did not catch up with the log in 5 minutes');
}

export async function timeTravelScenario(quick: boolean): Promise<Omit<ScenarioResult, 'seconds'>> {
  const logEvents = quick ? 5_000 : 25_000;
  const windowS = quick ? 2 : 4;
  const { dir, cleanup } = tempDir('time-travel');
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir, { recursive: true });
  const tokensFile = join(dir, 'tokens.json');
  writeFileSync(tokensFile, JSON.stringify([...TOKENS, ...VIEWERS]));
  let app: INestApplication | null = null;
  try {
    const projects = await buildLog(join(dataDir, 'events.sqlite'), logEvents);
    const config = loadConfig({ DATA_DIR: dataDir, LEDGER_TOKENS_FILE: tokensFile, PORT: '0' });
    app = await createApp(config, { logger: false });
    await app.listen(0, '127.0.0.1');
    const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    const bodies = Array.from({ length: 8 }, (_, i) => receiptBody(i));
    // Every read model catches up with the log first (health says each one's lag): the windows
    // measure the service as it runs, not a service still replaying the log it started on.
    await caughtUp(url);

    const windowOf = async () => {
      const [health, receipts] = await Promise.all([
        load({ url, connections: 1, durationS: windowS, warmupS: 0, mode: 'bare', barePath: '/api/health/live' }),
        load({
          url,
          connections: 8,
          durationS: windowS,
          warmupS: 0,
          mode: 'receipts',
          token: TOKENS[1].token,
          projects,
          bodies,
        }),
      ]);
      const bad =
        health.non2xx + health.errors + receipts.non2xx + receipts.errors + health.timeouts + receipts.timeouts;
      if (bad > 0) throw new Error(`time-travel bench: ${bad} failed requests`);
      return { health, receipts };
    };
    const replays = { answered: 0, refused: 0, failed: 0, reasons: {} as Record<string, number> };
    // The readers run in a child process, as the other loads do: started at a time agreed ahead
    // (time for the child to start), stopped after the window.
    const withTimeTravel = async () => {
      const startAt = Date.now() + LOOPS_START_MS;
      const loops = runInChild<LoopCounts>('scenarios/time-travel-loops.ts', 'timeTravelLoops', {
        url,
        path: '/api/projects?asOf=2022-06-30',
        tokens: VIEWERS.map((v) => v.token),
        loops: 4,
        startAt,
        stopAt: startAt + windowS * 1000 + LOOPS_START_MS,
      });
      await new Promise((resolve) => setTimeout(resolve, startAt - Date.now() + 200));
      const window = await windowOf();
      const { result } = await loops;
      if (result.firstSentAt > startAt + 150)
        throw new Error(
          `time-travel readers started ${result.firstSentAt - startAt} ms late: the window was not covered`,
        );
      replays.answered += result.answered;
      replays.refused += result.refused;
      replays.failed += result.failed;
      for (const [reason, n] of Object.entries(result.reasons))
        replays.reasons[reason] = (replays.reasons[reason] ?? 0) + n;
      return window;
    };
    await windowOf(); // warm-up, discarded
    // Two rounds of alone, with, with, alone: a window's throughput varies by about 5 % on this
    // machine, and the ratio is of means over four windows on each side.
    const alone: Awaited<ReturnType<typeof windowOf>>[] = [];
    const withTt: Awaited<ReturnType<typeof windowOf>>[] = [];
    for (let round = 0; round < 2; round++) {
      alone.push(await windowOf());
      withTt.push(await withTimeTravel(), await withTimeTravel());
      alone.push(await windowOf());
    }
    if (replays.failed > 0 || replays.answered === 0)
      throw new Error(
        `time-travel reads: ${replays.answered} answered, ${replays.failed} failed (${JSON.stringify(replays.reasons)})`,
      );

    const p99 = (xs: { health: { p99Ms: number } }[]) => Math.max(...xs.map((x) => x.health.p99Ms));
    const rps = (xs: { receipts: { requests: number; durationS: number } }[]) =>
      xs.reduce((t, x) => t + x.receipts.requests, 0) / xs.reduce((t, x) => t + x.receipts.durationS, 0);
    const wP99 = (xs: { receipts: { p99Ms: number } }[]) => mean(xs.map((x) => x.receipts.p99Ms));
    return {
      id: 'g',
      title: 'Time-travel reads beside health checks and writes (the service, autocannon in other processes)',
      comparisons: [
        compare(
          'health_p99_with_time_travel',
          'GET /api/health/live p99 while 4 time-travel reads run, ms',
          { key: 'health_p99_ms_with', label: '4 time-travel reads in flight', value: p99(withTt), unit: 'ms' },
          { key: 'health_p99_ms_alone', label: 'none (same run)', value: p99(alone), unit: 'ms' },
          'ratio_with_over_alone',
          ({ ours }) => ({ text: 'p99 < 50 ms', met: ours < 50 }),
        ),
        compare(
          'receipts_rps_with_time_travel',
          'POST receipts, req/s (8 connections) while 4 time-travel reads run',
          { key: 'receipts_rps_with', label: '4 time-travel reads in flight', value: rps(withTt), unit: 'req/s' },
          { key: 'receipts_rps_alone', label: 'none (same run)', value: rps(alone), unit: 'req/s' },
          'ratio_with_over_alone',
          ({ ratio }) => ({ text: '>= 0.9 (writes unaffected)', met: ratio >= 0.9 }),
        ),
        compare(
          'receipts_p99_with_time_travel',
          'POST receipts p99 while 4 time-travel reads run, ms',
          { key: 'receipts_p99_ms_with', label: '4 time-travel reads in flight', value: wP99(withTt), unit: 'ms' },
          { key: 'receipts_p99_ms_alone', label: 'none (same run)', value: wP99(alone), unit: 'ms' },
          'ratio_with_over_alone',
        ),
      ],
      details: {
        log_events: logEvents + PROJECTS * 2,
        window_s: windowS,
        replays_answered: replays.answered,
        replays_refused_429: replays.refused,
        health_p99_ms_per_window_alone: alone.map((x) => x.health.p99Ms).join(' '),
        health_p99_ms_per_window_with: withTt.map((x) => x.health.p99Ms).join(' '),
      },
      notes: [
        `the service on a log of ${logEvents + PROJECTS * 2} events (64 approved projects and their receipts); windows of ${windowS} s in the order alone, with, with, alone, twice (after a discarded warm-up), each with GET /api/health/live on 1 connection and POST receipts on 8 connections from two autocannon processes at once; "with": four loops of GET /api/projects?asOf=2022-06-30 (two viewers, two loops each) from a third process, each a replay of the whole log, in flight for the whole window. The health figure is the worst window's p99.`,
        'design: on the embedded store a time-travel read replays the log in a worker thread (src/audit/bounded-reads.ts), at most cores − 1 at once, and the worker hands back only the rows the read asks for; a worker keeps its recent replays and catches one up with the events appended since, so a repeat of the same bounds replays only the new events; after a task that took t a worker rests t × 3 (REPLAY_DUTY 0.25), so readers in a loop get at most a quarter of a core, and starts its tasks at least 25 ms apart (REPLAY_MIN_INTERVAL_MS), so the answers of quick catch-ups, each about 1.8 ms of the main thread, come at most 40 a second; one caller may have two in flight, a third is 429.',
      ],
    };
  } finally {
    await app?.close();
    cleanup();
  }
}
