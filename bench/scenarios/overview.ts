/**
 * (l) The overview page's data (issue 19 point 9) for a district of 10,000 projects, over HTTP,
 * beside a bare read of the same read-model rows in the same process.
 *
 * The district: the demo district (its 45 registered projects, fund batches, allocations,
 * receipts, payments, plans, votes, milestones and planted irregularities) is loaded through the
 * HTTP API into a fresh service, as `npm run demo` loads it, and its read models are built by the
 * service's own projection runner. Its read-model rows are then copied into the same read-model
 * file until it holds 10,000 projects or more: copy k renames every project id and fund-batch id
 * it meets in any column (`TN2021-003` → `TN2021-003-R0007`, `TNC2021-45.01` →
 * `TNC2021-45-R0007.01`) and every community (`东升街小区·7`), as bench/lib/district-log.ts copies
 * a log. Projecting a log of that size instead (some 1.3 million events) would take the red-flag
 * projection alone a quarter of an hour here (bench j: about half a millisecond of CPU per
 * event); the reads measured read only the read models, which hold what that log would give them
 * (event ids and positions inside evidence repeat across copies). The log itself stays the demo's.
 *
 * The service is then started again on that data directory (createApp, in process: its runner
 * finds every projection at the log's head), and the five reads the overview page sends for
 * today's figures (web/src/reports.ts: no asOf, no fiscal year, no filters; the reports' totals
 * views since issue 19 point 9, and the red flags) are timed over HTTP,
 * each alone, then the five together: all at once, and two at a time as the page's queue sends
 * them (web/src/past-reads.ts). Beside each, in the same round, the bare read: one prepared
 * `SELECT *` of every read-model table that endpoint's reader reads, all rows, JSON.stringify'd,
 * on a connection of its own to the same file. Rounds alternate which goes first.
 *
 * Last, the first read of a new day: the measured service runs on a clock the scenario moves a
 * day on (createApp's `clock`), three times; before each move it waits until the service has built
 * the next day's batch views (DayAhead), as it would have the day before, then times the five at once.
 */
import { INestApplication } from '@nestjs/common';
import Database from 'better-sqlite3';
import { Agent, get as httpGet, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/config';
import { EVENT_STORE, EventStore } from '../../src/event-store/event-store.port';
import { ReadModels } from '../../src/projection-runner/read-models';
import { ReportQueries } from '../../src/reports/report-queries';
import type { Clock } from '../../src/shared/time/clock';
import { generateDemoDistrict } from '../../src/demo/demo-district';
import { demoTokens, loadDistrict, tokenOf, writeTokensFile } from '../../src/demo/demo-setup';
import { ScenarioResult, compare } from '../lib/report';
import { nowMs, percentile, tempDir } from '../lib/util';

/**
 * The overview's reads (web/src/reports.ts) and the read-model tables of the rows each one's
 * figures are of (the bare read's). The totals views (issue 19 point 9) read: the targets' rows;
 * the sums the source ledger keeps per source and year of its rows and of its batches; the batches
 * changed since the last read (by their version), and a changed batch's rows; the sums the project
 * list keeps per town; the red flags' totals view (the totals and the open flags per town and
 * severity, counted in SQL from the flags on record and the stored time flags).
 */
const READS: { key: string; path: string; tables: string[]; own: boolean }[] = [
  // The sums of communities by first date the targets projection keeps (v2).
  { key: 'targets', path: '/api/reports/targets?view=totals', tables: ['target_day_sums'], own: true },
  {
    key: 'sources',
    path: '/api/reports/sources?view=totals',
    tables: ['source_ledger', 'source_ledger_batches'],
    own: true,
  },
  {
    key: 'batches',
    path: '/api/fund-batches?view=totals',
    tables: ['source_ledger_batches', 'source_ledger_allocations', 'source_ledger_flows'],
    own: true,
  },
  {
    key: 'red_flags',
    path: '/api/red-flags?view=totals',
    // Today's read: the flags on record and the stored time flags (cut at today), and the projects that name them.
    tables: ['red_flags', 'red_flag_time_flags', 'red_flag_projects'],
    own: false,
  },
  { key: 'towns', path: '/api/reports/towns', tables: ['project_list'], own: true },
];
/** The reads this scenario's totals views answer: the page's reads but the red flags. */
const OWN = READS.filter((r) => r.own);

/**
 * Tables not copied: the bookkeeping (kept as it is), and the sums the projections keep of their
 * rows (issue 19 point 9), which their triggers keep as the rows they sum are copied (a copy of a
 * sum would add it twice, and renaming a copied key again would make one up).
 */
const NOT_COPIED = new Set([
  'projection_checkpoints',
  'reactor_checkpoints',
  'source_ledger_sums',
  'source_ledger_source_projects',
  'source_ledger_source_counts',
  'source_ledger_issued',
  'project_list_towns',
  'target_communities',
  'target_day_sums',
]);

interface Copied {
  projects: number;
  copies: number;
  rows: Record<string, number>;
  skipped: Record<string, number>;
  ms: number;
}

/**
 * Copies every district row of the read-model file `file` until it holds `projects` projects
 * (see the module comment): in each text column, the template's project and batch ids get the
 * copy's suffix, and a `community` its number. A row whose key the renaming leaves unchanged
 * (a stream that is no project's or batch's) is kept once and counted as skipped.
 */
function copyReadModels(file: string, projects: number): Copied {
  const t0 = nowMs();
  const db = new Database(file);
  try {
    db.pragma('synchronous = OFF');
    const template = Number((db.prepare('SELECT count(*) FROM project_list').pluck().get() as number) ?? 0);
    const copies = Math.ceil(projects / template);
    const ids = [
      ...(db.prepare('SELECT project_id FROM project_list').pluck().all() as string[]),
      ...(db.prepare('SELECT DISTINCT batch_id FROM source_ledger_batches').pluck().all() as string[]),
    ].sort((a, b) => b.length - a.length);
    const escaped = ids.map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    const idPattern = new RegExp(`(?<![0-9A-Za-z])(${escaped.join('|')})(?![0-9A-Za-z])`, 'g');
    const tables = (
      db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .pluck()
        .all() as string[]
    ).filter((t) => !NOT_COPIED.has(t));
    const rows: Record<string, number> = {};
    const skipped: Record<string, number> = {};
    for (const table of tables) {
      const columns = (db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((c) => c.name);
      const source = db.prepare(`SELECT * FROM "${table}"`).raw().all() as unknown[][];
      const insert = db.prepare(
        `INSERT OR IGNORE INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      );
      const community = columns.indexOf('community');
      let inserted = 0;
      let ignored = 0;
      db.transaction(() => {
        for (let k = 1; k < copies; k++) {
          const suffix = `-R${String(k).padStart(4, '0')}`;
          for (const row of source) {
            const copy = row.map((v, i) =>
              typeof v !== 'string' ? v : i === community ? `${v}·${k}` : v.replace(idPattern, `$1${suffix}`),
            );
            if (insert.run(...copy).changes === 1) inserted += 1;
            else ignored += 1;
          }
        }
      })();
      rows[table] = source.length + inserted;
      if (ignored) skipped[table] = ignored;
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
    return { projects: template * copies, copies, rows, skipped, ms: nowMs() - t0 };
  } finally {
    db.close();
  }
}

async function startService(
  dataDir: string,
  tokensFile: string,
  clock?: Clock,
): Promise<{ app: INestApplication; url: string }> {
  // The longest timeouts the service allows: with its defaults (10 s for a request's headers to
  // arrive) a read queued behind the others for longer is refused 408 at these sizes (RESULTS.md, l).
  const config = loadConfig({
    DATA_DIR: dataDir,
    LEDGER_TOKENS_FILE: tokensFile,
    PORT: '0',
    HTTP_REQUEST_TIMEOUT_MS: '600000',
    HTTP_HEADERS_TIMEOUT_MS: '600000',
    // A connection idle while the bare reads run is kept, not closed under the client's next request.
    HTTP_KEEP_ALIVE_TIMEOUT_MS: '600000',
  });
  const app = await createApp(config, { logger: false, clock });
  await app.listen(0, '127.0.0.1');
  return { app, url: `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}` };
}

/** Waits until every projection has processed the log's head. */
async function caughtUp(app: INestApplication): Promise<void> {
  const head = await app.get<EventStore>(EVENT_STORE).headPosition();
  const readModels = app.get(ReadModels);
  if (!(await readModels.waitFor(head, 600_000))) throw new Error('the read models did not catch up');
  // The work they left due too (the red flags' time flags): a stop leaves it to the next reader,
  // and the read models are copied after the stop.
  readModels.settle(Infinity);
}

/** Ours then the bare read, or the other way round: rounds alternate, so neither always runs second. */
async function inOrder(oursFirst: boolean, ours: () => Promise<void>, bare: () => void): Promise<void> {
  if (oursFirst) {
    await ours();
    bare();
  } else {
    bare();
    await ours();
  }
}

export async function overviewScenario(quick: boolean): Promise<Omit<ScenarioResult, 'seconds'>> {
  const wanted = quick ? 1_000 : 10_000;
  // Rounds go on until both the least and the time budget are spent (or the most are done): at
  // this size a round takes minutes on this machine (see RESULTS.md, l).
  const minRounds = quick ? 3 : 1;
  const maxRounds = quick ? 12 : 60;
  const budgetS = quick ? 60 : 240;
  const { dir, cleanup } = tempDir('overview');
  const dataDir = join(dir, 'data');
  const tokensFile = join(dir, 'tokens.json');
  const tokens = demoTokens();
  writeTokensFile(tokensFile, tokens);
  let app: INestApplication | null = null;
  let bare: Database.Database | null = null;
  const agent = new Agent({ keepAlive: true, maxSockets: READS.length });
  try {
    // The demo district through the API, its read models built by the service.
    const t0 = nowMs();
    let served = await startService(dataDir, tokensFile);
    app = served.app;
    const loaded = await loadDistrict(served.url, tokens, generateDemoDistrict().requests);
    await caughtUp(app);
    await app.close();
    app = null;
    const loadMs = nowMs() - t0;
    const copied = copyReadModels(join(dataDir, 'read-model.sqlite'), wanted);

    // The measured service's clock: the system's, moved a day at a time for the first reads of a new day.
    let clockOffsetMs = 0;
    served = await startService(dataDir, tokensFile, { now: () => new Date(Date.now() + clockOffsetMs) });
    app = served.app;
    await caughtUp(app);
    const token = tokenOf(tokens, 'viewer');
    const url = served.url;
    // node:http, keep-alive, no client timeouts (fetch gives up on headers after 300 s).
    const getBody = (path: string): Promise<Buffer> =>
      new Promise((resolve, reject) => {
        httpGet(url + path, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const body = Buffer.concat(chunks);
            if (res.statusCode !== 200) reject(new Error(`GET ${path}: ${res.statusCode} ${body.toString()}`));
            else resolve(body);
          });
          res.on('error', reject);
        }).on('error', reject);
      });
    const get = async (path: string): Promise<number> => (await getBody(path)).byteLength;
    // A write that moves the projections' positions without touching the overview's figures: a
    // year long past closed, then reopened, in turn. Every kept figure keyed on the position is
    // then stale, so the next read recomputes what the views keep (SQL sums, batch versions).
    let writes = 0;
    const moveThePosition = (): Promise<void> => {
      const action = writes % 2 === 0 ? 'close' : 'reopen';
      writes += 1;
      return new Promise((resolve, reject) => {
        const req = httpRequest(
          `${url}/api/fiscal-years/2000/${action}`,
          {
            method: 'POST',
            agent,
            headers: {
              authorization: `Bearer ${tokenOf(tokens, 'finance')}`,
              'content-type': 'application/json',
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              res.statusCode! < 300
                ? resolve()
                : reject(new Error(`POST ${action}: ${res.statusCode} ${Buffer.concat(chunks).toString()}`)),
            );
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify({ reason: 'bench (l): a write between reads' }));
      });
    };
    const projectsServed = JSON.parse((await getBody('/api/projects')).toString()) as unknown[];
    if (projectsServed.length !== copied.projects)
      throw new Error(`GET /api/projects lists ${projectsServed.length} projects, not ${copied.projects}`);

    bare = new Database(join(dataDir, 'read-model.sqlite'), { readonly: true });
    const bareStatements = READS.map((r) => r.tables.map((t) => bare!.prepare(`SELECT * FROM "${t}"`)));
    const bareRead = (i: number): number => {
      let bytes = 0;
      // One read transaction, as the service reads its snapshot.
      bare!.transaction(() => {
        for (const s of bareStatements[i]) bytes += JSON.stringify(s.all()).length;
      })();
      return bytes;
    };
    // The page's queue: at most two reads in flight (web/src/past-reads.ts).
    const twoAtATime = async (): Promise<void> => {
      let next = 0;
      const lane = async () => {
        while (next < READS.length) await get(READS[next++].path);
      };
      await Promise.all([lane(), lane()]);
    };

    const ours = READS.map(() => [] as number[]);
    const base = READS.map(() => [] as number[]);
    const setParallel: number[] = [];
    const setQueued: number[] = [];
    const setBare: number[] = [];
    const setOwn: number[] = [];
    const setOwnBare: number[] = [];
    const setOwnAfterWrite: number[] = [];
    const ownIndexes = READS.flatMap((r, i) => (r.own ? [i] : []));
    const bytes = READS.map(() => 0);
    const bareBytes = READS.map(() => 0);
    // Warm-up, discarded: each read once, over HTTP and bare.
    for (let i = 0; i < READS.length; i++) {
      await get(READS[i].path);
      bareRead(i);
    }
    const positionOf = async () =>
      (JSON.parse((await getBody('/api/reports/towns')).toString()) as { bounds: { position: string } }).bounds
        .position;
    // Between writes is the steady state: today's and tomorrow's batch views built (after a start
    // the day-ahead job takes the main thread's spare time for a while; the wait is reported).
    const dayAhead = (app.get(ReportQueries) as unknown as { dayAhead?: { isBuilt(): boolean } }).dayAhead;
    const untilBuilt = async () => {
      const w = nowMs();
      while (dayAhead && !dayAhead.isBuilt()) {
        if (nowMs() - w > 900_000) throw new Error("the next day's views were not built in 15 minutes");
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return (nowMs() - w) / 1000;
    };
    const dayAheadStartS = await untilBuilt();
    const positionBefore = await positionOf();
    const started = nowMs();
    let rounds = 0;
    const more = () => rounds < maxRounds && (rounds < minRounds || (nowMs() - started) / 1000 < budgetS);
    for (let round = 0; more(); round++, rounds++) {
      const oursFirst = round % 2 === 0;
      for (let i = 0; i < READS.length; i++) {
        const timeOurs = async () => {
          const t = nowMs();
          bytes[i] = await get(READS[i].path);
          ours[i].push(nowMs() - t);
        };
        const timeBare = () => {
          const t = nowMs();
          bareBytes[i] = bareRead(i);
          base[i].push(nowMs() - t);
        };
        await inOrder(oursFirst, timeOurs, timeBare);
      }
      const timeSets = async () => {
        let t = nowMs();
        await Promise.all(READS.map((r) => get(r.path)));
        setParallel.push(nowMs() - t);
        t = nowMs();
        await twoAtATime();
        setQueued.push(nowMs() - t);
      };
      const timeBareSet = () => {
        const t = nowMs();
        for (let i = 0; i < READS.length; i++) bareRead(i);
        setBare.push(nowMs() - t);
      };
      await inOrder(oursFirst, timeSets, timeBareSet);
      const timeOwnSet = async () => {
        const t = nowMs();
        await Promise.all(OWN.map((r) => get(r.path)));
        setOwn.push(nowMs() - t);
      };
      const timeOwnBareSet = () => {
        const t = nowMs();
        for (const i of ownIndexes) bareRead(i);
        setOwnBare.push(nowMs() - t);
      };
      await inOrder(oursFirst, timeOwnSet, timeOwnBareSet);
      // After a write: the first read of the position recomputes (the write and the catch-up untimed).
      await moveThePosition();
      await caughtUp(app);
      const t = nowMs();
      await Promise.all(OWN.map((r) => get(r.path)));
      setOwnAfterWrite.push(nowMs() - t);
    }
    const measureS = (nowMs() - started) / 1000;
    const positionAfter = await positionOf();

    // The first read of a new day: the service's clock moved a day on, then the five at once. Before
    // each move, the service is left to build the next day's views (DayAhead, where there is one:
    // the code before it has none, and ages every batch in the read), as it has the day before.
    const newDayRepeats = 3;
    const setNewDay: number[] = [];
    const dayAheadWaitS: number[] = [];
    /** Per repeat, when each read of the five ended (ms from the start of the set). */
    const newDayEach: string[] = [];
    for (let k = 0; k < newDayRepeats; k++) {
      dayAheadWaitS.push(await untilBuilt());
      clockOffsetMs += 86_400_000;
      const t = nowMs();
      const ended = await Promise.all(READS.map(async (r) => (await get(r.path), nowMs() - t)));
      setNewDay.push(nowMs() - t);
      newDayEach.push(READS.map((r, i) => `${r.key} ${ended[i].toFixed(1)}`).join(', '));
    }

    const ms = (key: string, label: string, value: number) => ({ key, label, value, unit: 'ms' });
    const target = ({ ours: v }: { ours: number }) => ({ text: 'p99 < 50 ms', met: v < 50 });
    const bareSet = (p: number) =>
      ms(`bare_set_p${p}_ms`, 'the five bare reads, one after another', percentile(setBare, p));
    const comparisons = [
      compare(
        'set_parallel_p99',
        `the overview's five reads at once over HTTP, p99, ms (${copied.projects.toLocaleString('en-US')} projects)`,
        ms('ours_set_parallel_p99_ms', 'five GETs at once', percentile(setParallel, 99)),
        bareSet(99),
        'ratio_set_parallel_p99_over_bare',
        target,
      ),
      compare(
        'set_queued_p99',
        "the overview's five reads two at a time (the page's queue), p99, ms",
        ms('ours_set_queued_p99_ms', 'five GETs, two in flight', percentile(setQueued, 99)),
        bareSet(99),
        'ratio_set_queued_p99_over_bare',
        target,
      ),
      compare(
        'own_set_parallel_p99',
        `the totals views and the towns (${OWN.map((r) => r.key).join(', ')}: the page's reads but the red flags) at once, p99, ms`,
        ms('ours_own_set_parallel_p99_ms', `${OWN.length} GETs at once`, percentile(setOwn, 99)),
        ms('bare_own_set_p99_ms', `their ${OWN.length} bare reads, one after another`, percentile(setOwnBare, 99)),
        'ratio_own_set_parallel_p99_over_bare',
        target,
      ),
      compare(
        'own_set_after_write_p99',
        `the same ${OWN.length} at once, each round just after a write (a year closed or reopened: the kept figures recomputed), p99, ms`,
        ms(
          'ours_own_set_after_write_p99_ms',
          `${OWN.length} GETs at once after a write`,
          percentile(setOwnAfterWrite, 99),
        ),
        ms('bare_own_set_p99_ms', `their ${OWN.length} bare reads, one after another`, percentile(setOwnBare, 99)),
        'ratio_own_set_after_write_p99_over_bare',
        target,
      ),
      compare(
        'set_new_day_p99',
        `the five at once, the first read of a new day (the clock moved a day on, ${newDayRepeats} times), p99, ms`,
        ms('ours_set_new_day_p99_ms', 'five GETs at once, first of the day', percentile(setNewDay, 99)),
        bareSet(99),
        'ratio_set_new_day_p99_over_bare',
        target,
      ),
      compare(
        'set_parallel_p50',
        "the overview's five reads at once over HTTP, p50, ms",
        ms('ours_set_parallel_p50_ms', 'five GETs at once', percentile(setParallel, 50)),
        bareSet(50),
        'ratio_set_parallel_p50_over_bare',
      ),
      ...READS.flatMap((r, i) =>
        [50, 99].map((p) =>
          compare(
            `${r.key}_p${p}`,
            `GET ${r.path} p${p}, ms`,
            ms(`ours_${r.key}_p${p}_ms`, `GET ${r.path}`, percentile(ours[i], p)),
            ms(
              `bare_${r.key}_p${p}_ms`,
              `SELECT * of ${r.tables.length} table(s), JSON.stringify`,
              percentile(base[i], p),
            ),
            `ratio_${r.key}_p${p}_over_bare`,
          ),
        ),
      ),
    ];
    const details: Record<string, number | string | boolean> = {
      projects: copied.projects,
      template_projects: copied.projects / copied.copies,
      copies: copied.copies,
      demo_requests: loaded.requests,
      demo_events: loaded.events,
      load_demo_s: loadMs / 1000,
      copy_read_models_s: copied.ms / 1000,
      rounds,
      rounds_budget_s: budgetS,
      // The writes between rounds moved the read models' position (else the after-write figures are look-ups).
      read_model_position_before: positionBefore,
      read_model_position_after: positionAfter,
      measure_s: measureS,
      new_day_set_ms: setNewDay.map((v) => v.toFixed(1)).join(' '),
      new_day_wait_for_views_s: dayAheadWaitS.map((v) => v.toFixed(1)).join(' '),
      start_wait_for_views_s: dayAheadStartS.toFixed(1),
      ...Object.fromEntries(READS.map((r, i) => [`${r.key}_response_bytes`, bytes[i]])),
      ...Object.fromEntries(READS.map((r, i) => [`${r.key}_bare_json_bytes`, bareBytes[i]])),
      ...Object.fromEntries(READS.map((r, i) => [`${r.key}_max_ms`, Math.max(...ours[i])])),
      read_model_rows: Object.entries(copied.rows)
        .map(([t, n]) => `${t}=${n}`)
        .join(' '),
      rows_kept_once: Object.entries(copied.skipped)
        .map(([t, n]) => `${t}=${n}`)
        .join(' '),
    };
    return {
      id: 'l',
      title: `The overview's data with ${copied.projects.toLocaleString('en-US')} projects, over HTTP, vs a bare read of the same rows`,
      comparisons,
      details,
      notes: [
        `the demo district loaded through the API (${loaded.requests} requests, ${loaded.events} events; fund batches included), its read models built by the service, then its rows copied ${copied.copies} times into the read-model file, ids and communities renamed per copy: ${copied.projects} projects; the log stays the demo's.`,
        `${rounds} round(s) (as many as ${budgetS} s allowed, at least ${minRounds}), after each read once (discarded): each read over HTTP (a viewer's token, node:http keep-alive, the body read whole, not parsed; the service's request, headers and keep-alive timeouts at their longest, 600 s) beside its bare read (one prepared SELECT * per read-model table its reader reads, JSON.stringify'd, one read transaction, a connection of its own); then the five at once, the five two at a time as the page's queue sends them, and the five bare reads one after another; then the four reads but the red flags at once beside their bare reads; the order of ours and bare alternating by round; last in each round, a write (a year long past closed or reopened, untimed, the read models caught up) and the four at once again: the first reads at a new position.`,
        `the first reads of a new day, each repeat the five at once: ${setNewDay.map((v) => `${v.toFixed(1)} ms`).join(', ')} (each read ended at: ${newDayEach.map((e) => `[${e}]`).join(' ')}), after waiting for the next day's views ${dayAheadWaitS.map((v) => `${v.toFixed(1)} s`).join(', ')}.`,
        `answers (bytes, not compressed): ${READS.map((r, i) => `${r.key} ${bytes[i].toLocaleString('en-US')}`).join(', ')}; the bare reads' JSON: ${READS.map((r, i) => `${r.key} ${bareBytes[i].toLocaleString('en-US')}`).join(', ')}.`,
        'The service and its HTTP client share the bench process (2 cores): reading the bodies is in our figures; the bare reads have no client.',
      ],
    };
  } finally {
    agent.destroy();
    bare?.close();
    await app?.close();
    cleanup();
  }
}
