/**
 * (c) Rebuilding the funding mix from 1,000,000 events (100,000 with --quick) against a raw scan
 * with JSON.parse of the same table, and (e) the rebuild's peak resident memory.
 *
 * The store is built directly with better-sqlite3 in big transactions, in the store's own format:
 * the store's constructor creates the schema; rows are funds-received events with data and
 * metadata JSON like real ones (hashes are placeholders: a rebuild does not check them), spread
 * over 10,000 projects and eight sources, interleaved as many clerks would write them.
 *
 * Each pass runs in its own child process: raw scan, rebuild, raw scan again (the baseline is the
 * mean of the two scans). Peak memory is the larger of the child's VmHWM and the parent's 50 ms
 * samples of the child's VmRSS (a child busy rebuilding cannot run its own timer).
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { projectStreamId } from '../../src/project/project.events';
import { PLACEHOLDER_HASH, projectIdOf, receivedRow } from '../lib/fixtures';
import { ScenarioResult, compare } from '../lib/report';
import { nowMs, runInChild, tempDir } from '../lib/util';
import { GATHER_MAX_EVENTS } from '../../src/projection-runner/projection-runner';

/** The row count out of a rebuild pass's check line ("10000 rows, ... fen received"). */
const rowsOfCheck = (line: string) => line.split(' ')[0];
import type { PassResult } from './rebuild-child';

const PROJECTS = 10_000;
const TX_ROWS = 50_000;

/** Writes `total` funds-received events over PROJECTS streams; returns the milliseconds it took. */
export async function buildEventStore(file: string, total: number): Promise<number> {
  await new SqliteEventStore(file).close(); // the store's own schema, WAL mode
  const t0 = nowMs();
  const db = new Database(file);
  try {
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -262144'); // 256 MB while building: the random-keyed indexes fit
    const insert = db.prepare(
      'INSERT INTO events (position, stream_id, revision, event_id, command_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const stream = db.prepare(
      'INSERT INTO streams (stream_id, revision, last_hash) VALUES (?, ?, ?) ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision',
    );
    const writeSome = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const p = i % PROJECTS;
        const projectId = projectIdOf(p);
        const row = receivedRow(i, projectId);
        insert.run(
          i + 1,
          projectStreamId(projectId),
          Math.floor(i / PROJECTS),
          row.eventId,
          row.commandId,
          row.type,
          row.data,
          row.metadata,
        );
      }
    });
    for (let from = 0; from < total; from += TX_ROWS) writeSome(from, Math.min(total, from + TX_ROWS));
    db.transaction(() => {
      for (let p = 0; p < Math.min(PROJECTS, total); p++) {
        const count = Math.floor(total / PROJECTS) + (p < total % PROJECTS ? 1 : 0);
        stream.run(projectStreamId(projectIdOf(p)), count - 1, PLACEHOLDER_HASH);
      }
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  return nowMs() - t0;
}

export async function rebuildScenario(quick: boolean): Promise<Omit<ScenarioResult, 'seconds'>[]> {
  const total = quick ? 100_000 : 1_000_000;
  const { dir, cleanup } = tempDir('rebuild');
  try {
    const eventsFile = join(dir, 'events.sqlite');
    const buildMs = await buildEventStore(eventsFile, total);
    const scan1 = await runInChild<PassResult>('scenarios/rebuild-child.ts', 'rawScan', { eventsFile });
    const rebuilt = await runInChild<PassResult>('scenarios/rebuild-child.ts', 'rebuild', {
      eventsFile,
      readModelFile: join(dir, 'read-model.sqlite'),
    });
    const scan2 = await runInChild<PassResult>('scenarios/rebuild-child.ts', 'rawScan', { eventsFile });
    for (const pass of [scan1, scan2, rebuilt]) {
      if (pass.result.events !== total) throw new Error(`a pass saw ${pass.result.events} events, not ${total}`);
    }
    const rate = (p: PassResult) => (p.events / p.ms) * 1000;
    const scanRate = (rate(scan1.result) + rate(scan2.result)) / 2;
    const peak = (p: { result: PassResult; parentSampledPeakRssMb: number }) =>
      Math.max(p.result.vmHwmMb, p.parentSampledPeakRssMb, p.result.selfSampledPeakRssMb);
    const scanPeak = Math.max(peak(scan1), peak(scan2));
    const label = quick ? '100k' : '1M';
    return [
      {
        id: 'c',
        title: `Rebuilding the funding mix from ${total.toLocaleString('en-US')} events vs a raw scan with JSON.parse`,
        comparisons: [
          compare(
            'rebuild_vs_raw_scan',
            `funding-mix rebuild from ${label} events, events/s`,
            {
              key: 'ours_rebuild_events_per_s',
              label: 'ProjectionRunner, fresh read model',
              value: rate(rebuilt.result),
              unit: 'ev/s',
            },
            { key: 'raw_scan_events_per_s', label: 'SELECT data + JSON.parse', value: scanRate, unit: 'ev/s' },
            'ratio_rebuild_over_raw_scan',
            ({ ratio }) => ({ text: '>= 0.6', met: ratio >= 0.6 }),
          ),
        ],
        details: {
          events: total,
          projects: PROJECTS,
          build_store_s: buildMs / 1000,
          rebuild_s: rebuilt.result.ms / 1000,
          raw_scan_s_first: scan1.result.ms / 1000,
          raw_scan_s_second: scan2.result.ms / 1000,
          rebuild_check: rebuilt.result.check,
        },
        notes: [
          "the funding-mix projection alone, as the issue asks (the service's runner feeds project-list from the same pages too).",
          `while it catches up, the runner folds the funding mix in memory and writes each touched row once per ${GATHER_MAX_EVENTS.toLocaleString('en-US')} events (ProjectionDefinition.gather), so the rebuild's writes depend on how many events a row gets in that window: here ${rowsOfCheck(rebuilt.result.check)} rows, about ${Math.round(Math.min(total, GATHER_MAX_EVENTS) / Math.max(1, Number(rowsOfCheck(rebuilt.result.check))))} events per row per window; subscription pages read position, type and data only.`,
          `store built directly in ${(buildMs / 1000).toFixed(1)} s (${total.toLocaleString('en-US')} funds-received events, ${PROJECTS.toLocaleString('en-US')} projects, 8 sources); each pass in its own child process; the raw scan ran before and after the rebuild (mean).`,
          ...(quick ? ['--quick: 100,000 events instead of 1,000,000.'] : []),
        ],
      },
      {
        id: 'e',
        title: `Peak resident memory during the ${label}-event rebuild`,
        comparisons: [
          compare(
            'rebuild_peak_rss',
            `peak RSS during the ${label}-event rebuild, MB`,
            { key: 'ours_rebuild_peak_rss_mb', label: 'rebuild child', value: peak(rebuilt), unit: 'MB' },
            { key: 'raw_scan_peak_rss_mb', label: 'raw-scan child', value: scanPeak, unit: 'MB' },
            'ratio_rebuild_peak_over_raw_scan_peak',
            ({ ours }) => ({ text: '< 300 MB', met: ours < 300 }),
          ),
        ],
        details: {
          rebuild_vm_hwm_mb: rebuilt.result.vmHwmMb,
          rebuild_parent_sampled_peak_mb: rebuilt.parentSampledPeakRssMb,
          rebuild_parent_samples: rebuilt.parentSamples,
          rebuild_self_sampled_peak_mb: rebuilt.result.selfSampledPeakRssMb,
          rebuild_self_samples: rebuilt.result.selfSamples,
          rebuild_rss_before_mb: rebuilt.result.rssBeforeMb,
          raw_scan_vm_hwm_mb: Math.max(scan1.result.vmHwmMb, scan2.result.vmHwmMb),
        },
        notes: [
          "peak = max(VmHWM read from /proc/self/status at the end, the parent's 50 ms samples of the child's VmRSS, the child's own 50 ms process.memoryUsage().rss samples); the child's own timer rarely fires while the rebuild runs synchronously.",
        ],
      },
    ];
  } finally {
    cleanup();
  }
}
