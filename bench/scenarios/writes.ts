/**
 * (a) Durable writes through the whole command path against raw better-sqlite3.
 *
 * Ours: the service's writer on the embedded store (GroupCommitWriter, see
 * src/event-store/write-path.ts) on a SqliteEventStore (WAL,
 * synchronous=FULL, its defaults) in a temp
 * directory; projects registered and approved first; N async loops each issue ReceiveFunds
 * commands one after another (await each): build the context (request hash), fold (cache),
 * validate and decide, append with the hash chain, commit, answer.
 *
 * Raw: better-sqlite3 on the same schema, WAL + synchronous=FULL; per event read the stream's
 * revision, insert the event row (JSON of the same sizes), update the stream's revision; one
 * transaction per event, and 100 per transaction. Raw runs before and after ours; its figure is
 * the mean of the two, so drift of a noisy machine over the scenario hits both sides.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { ChainWatch } from '../../src/audit/chain-watch';
import { DEFAULT_VERIFY_DUTY } from '../../src/config/config';
import { GroupCommitWriter } from '../../src/event-store/write-path';
import { SQLITE_EVENT_SCHEMA, SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { APPROVE_PROJECT } from '../../src/funding/approve-project/approve-project.controller';
import { RECEIVE_FUNDS } from '../../src/funding/receive-funds/receive-funds.controller';
import { REGISTER_PROJECT } from '../../src/funding/register-project/register-project.controller';
import { ProjectCommand } from '../../src/project/project.commands';
import { ProjectState, projectDecider } from '../../src/project/project.decider';
import { ProjectEvent, projectStreamId } from '../../src/project/project.events';
import {
  PLACEHOLDER_HASH,
  approveCommand,
  contextOf,
  projectIdOf,
  receiptBody,
  receiveCommand,
  receivedRow,
  registerCommand,
} from '../lib/fixtures';
import { Comparison, ScenarioResult, compare } from '../lib/report';
import { median, nowMs, tempDir } from '../lib/util';

/** The store's own DDL, for the raw baseline: the same tables and indexes. */
const RAW_SCHEMA = SQLITE_EVENT_SCHEMA;

interface OursRun {
  eventsPerS: number;
  commands: number;
  ms: number;
  meanGroup: number;
}

export async function runOurs(
  mode: 'distinct' | 'shared',
  writers: number,
  perWriter: number,
  warmPerWriter: number,
  /** The store to write to (focused A/B scripts swap in a variant). */
  storeAt: (file: string) => SqliteEventStore = (file) => new SqliteEventStore(file),
  /** Runs beside the writers from the warm-up to the end (the chain watch); returns how to stop it. */
  beside?: (store: SqliteEventStore) => () => Promise<void>,
): Promise<OursRun> {
  const { dir, cleanup } = tempDir(`writes-${mode}-${writers}`);
  const store = storeAt(join(dir, 'events.sqlite'));
  let commits = 0;
  let committed = 0;
  const onCommit = (size: number) => {
    commits += 1;
    committed += size;
  };
  const writer = new GroupCommitWriter<ProjectState, ProjectCommand, ProjectEvent>(store, projectDecider, onCommit);
  try {
    const projects = Array.from({ length: mode === 'distinct' ? writers : 1 }, (_, i) => projectIdOf(i));
    const exec = (projectId: string, command: ProjectCommand, commandId: string, route: string, body: unknown) =>
      writer.execute(projectStreamId(projectId), command, contextOf(commandId, route, projectId, body));
    await Promise.all(
      projects.map((p) => exec(p, registerCommand(p), `reg-${p}`, REGISTER_PROJECT.requestName, registerCommand(p))),
    );
    await Promise.all(
      projects.map((p) => exec(p, approveCommand(p), `appr-${p}`, APPROVE_PROJECT.requestName, approveCommand(p))),
    );

    let seq = 0;
    const loop = async (w: number, count: number) => {
      const projectId = projects[mode === 'distinct' ? w : 0];
      for (let k = 0; k < count; k++) {
        const i = seq++;
        const receiptId = `R-${i}`;
        // A random command id, as the controller generates when the client sends no Idempotency-Key.
        await exec(
          projectId,
          receiveCommand(projectId, i, receiptId),
          randomUUID(),
          RECEIVE_FUNDS.requestName,
          receiptBody(i, receiptId),
        );
      }
    };
    const stopBeside = beside?.(store);
    await Promise.all(Array.from({ length: writers }, (_, w) => loop(w, warmPerWriter)));
    commits = 0;
    committed = 0;
    const t0 = nowMs();
    await Promise.all(Array.from({ length: writers }, (_, w) => loop(w, perWriter)));
    const ms = nowMs() - t0;
    await stopBeside?.();
    const commands = writers * perWriter;
    if (committed !== commands) throw new Error(`expected ${commands} commands committed, saw ${committed}`);
    return { eventsPerS: (commands / ms) * 1000, commands, ms, meanGroup: committed / commits };
  } finally {
    await store.close();
    cleanup();
  }
}

/** Raw better-sqlite3: `count` events, `batch` per transaction. Returns events per second. */
export function runRaw(count: number, batch: number): number {
  const { dir, cleanup } = tempDir(`writes-raw-${batch}`);
  const db = new Database(join(dir, 'raw.sqlite'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(RAW_SCHEMA);
    const streamRevision = db.prepare('SELECT revision FROM streams WHERE stream_id = ?').pluck();
    const insert = db.prepare(
      'INSERT INTO events (stream_id, revision, event_id, command_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const upsert = db.prepare(
      'INSERT INTO streams (stream_id, revision, last_hash) VALUES (?, ?, ?) ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision, last_hash = excluded.last_hash',
    );
    const writeSome = db.transaction((from: number, n: number) => {
      for (let i = from; i < from + n; i++) {
        const projectId = projectIdOf(i % 64);
        const streamId = projectStreamId(projectId);
        const current = streamRevision.get(streamId) as number | undefined;
        const revision = current === undefined ? 0 : current + 1;
        const row = receivedRow(i, projectId);
        insert.run(streamId, revision, row.eventId, row.commandId, row.type, row.data, row.metadata);
        upsert.run(streamId, revision, PLACEHOLDER_HASH);
      }
    });
    writeSome.immediate(0, Math.min(batch, 100)); // warm
    const t0 = nowMs();
    for (let from = 1_000_000; from < 1_000_000 + count; from += batch)
      writeSome.immediate(from, Math.min(batch, 1_000_000 + count - from));
    return (count / (nowMs() - t0)) * 1000;
  } finally {
    db.close();
    cleanup();
  }
}

/** The chain watch beside the writers, always mid-pass (a new pass whenever it reaches the head). */
function withChainWatch(store: SqliteEventStore): () => Promise<void> {
  const watch = new ChainWatch(store, { duty: DEFAULT_VERIFY_DUTY, repassMs: 0 });
  watch.start();
  return () => watch.stop();
}

/** Interleaved rounds of the runs with targets and of the raw baselines (see writesScenario). */
const ROUNDS = 3;

/** The run with the median rate. */
function medianRun(runs: OursRun[]): OursRun {
  const sorted = [...runs].sort((a, b) => a.eventsPerS - b.eventsPerS);
  return sorted[(sorted.length - 1) >> 1];
}

export async function writesScenario(quick: boolean): Promise<Omit<ScenarioResult, 'seconds'>> {
  const total = quick ? { 1: 400, 8: 1600, 64: 6400 } : { 1: 2000, 8: 8000, 64: 32000 };
  // The same rows as ours: as many events as the 1-writer run one per transaction, as many as the
  // 64-writer run 100 per transaction (a bigger file makes every random-key index insert dearer).
  const rawSingleCount = total[1];
  const rawBatchedCount = total[64];

  // The runs with targets (64 writers) and both raw baselines go in ROUNDS interleaved rounds;
  // each figure is the median of its rounds (the issue's own figures are medians of 3), so one
  // slow window of a shared machine moves neither side.
  const rawSingle: number[] = [];
  const rawBatched: number[] = [];
  const ours: Record<string, OursRun> = {};
  for (const mode of ['distinct', 'shared'] as const) {
    for (const n of [1, 8] as const) ours[`${mode}_${n}`] = await runOurs(mode, n, total[n] / n, n === 1 ? 20 : 4);
  }
  const rounds: Record<'distinct_64' | 'shared_64' | 'verified_64', OursRun[]> = {
    distinct_64: [],
    shared_64: [],
    verified_64: [],
  };
  for (let r = 0; r < ROUNDS; r++) {
    rawSingle.push(runRaw(rawSingleCount, 1));
    rawBatched.push(runRaw(rawBatchedCount, 100));
    for (const mode of ['distinct', 'shared'] as const)
      rounds[`${mode}_64`].push(await runOurs(mode, 64, total[64] / 64, 4));
    rounds.verified_64.push(await runOurs('distinct', 64, total[64] / 64, 4, undefined, withChainWatch));
  }
  const verified = medianRun(rounds.verified_64);
  for (const key of ['distinct_64', 'shared_64'] as const) ours[key] = medianRun(rounds[key]);
  const single = median(rawSingle);
  const batched = median(rawBatched);

  const comparisons: Comparison[] = [];
  const details: Record<string, number | string> = {
    rounds: ROUNDS,
    raw_single_events_per_s_per_round: rawSingle.map((x) => x.toFixed(0)).join(' '),
    raw_batched_events_per_s_per_round: rawBatched.map((x) => x.toFixed(0)).join(' '),
    distinct_64_events_per_s_per_round: rounds.distinct_64.map((x) => x.eventsPerS.toFixed(0)).join(' '),
    shared_64_events_per_s_per_round: rounds.shared_64.map((x) => x.eventsPerS.toFixed(0)).join(' '),
  };
  comparisons.push(
    compare(
      'verified_64_vs_distinct_64',
      'writes/s, 64 writers, distinct projects, background chain verifier on',
      { key: 'ours_events_per_s', label: 'verifier on', value: verified.eventsPerS, unit: 'ev/s' },
      {
        key: 'ours_off_events_per_s',
        label: 'verifier off (same run)',
        value: ours.distinct_64.eventsPerS,
        unit: 'ev/s',
      },
      'ratio_on_over_off',
      ({ ratio }) => ({ text: '>= 0.9', met: ratio >= 0.9 }),
    ),
  );
  details.verified_64_events_per_s_per_round = rounds.verified_64.map((x) => x.eventsPerS.toFixed(0)).join(' ');
  for (const [key, run] of Object.entries(ours)) {
    const [mode, n] = key.split('_');
    const what = `writes/s, ${n} writer${n === '1' ? '' : 's'}, ${mode === 'distinct' ? 'distinct projects' : 'one shared project'}`;
    const oursFig = { key: 'ours_events_per_s', label: 'GroupCommitWriter', value: run.eventsPerS, unit: 'ev/s' };
    const at64 = n === '64';
    comparisons.push(
      compare(
        `${key}_vs_raw_single`,
        what,
        oursFig,
        { key: 'raw_single_events_per_s', label: 'raw, 1 event/tx', value: single, unit: 'ev/s' },
        'ratio_ours_over_raw_single',
        at64 ? ({ ratio }) => ({ text: '>= 2', met: ratio >= 2 }) : undefined,
      ),
    );
    comparisons.push(
      compare(
        `${key}_vs_raw_batched`,
        what,
        oursFig,
        { key: 'raw_batched_events_per_s', label: 'raw, 100 events/tx', value: batched, unit: 'ev/s' },
        'ratio_ours_over_raw_batched',
        at64 ? ({ ratio }) => ({ text: '>= 0.5', met: ratio >= 0.5 }) : undefined,
      ),
    );
    details[`${key}_commands`] = run.commands;
    details[`${key}_mean_group_size`] = run.meanGroup;
  }
  return {
    id: 'a',
    title: 'Durable writes: the whole command path (synchronous=FULL) vs raw better-sqlite3',
    comparisons,
    details,
    notes: [
      `ours: ReceiveFunds through GroupCommitWriter (the service's writer on the embedded store), ${total[1]} / ${total[8]} / ${total[64]} commands with 1 / 8 / 64 concurrent writers (each awaits its command before the next); raw: ${rawSingleCount} events one transaction each, ${rawBatchedCount} events 100 per transaction, each in a fresh file. ${ROUNDS} rounds of raw single, raw batched, ours at 64 writers distinct, ours at 64 writers shared; each of these figures is the median of its rounds (per-round figures in the details); the 1- and 8-writer runs (no target) run once, before the rounds.`,
      `command ids are random UUIDs on both sides (as the controller generates without an Idempotency-Key), so both pay the same random-key index inserts; mean group size at 64 writers: ${ours.distinct_64.meanGroup.toFixed(1)} (distinct), ${ours.shared_64.meanGroup.toFixed(1)} (shared).`,
      `verifier on: the service's background chain verifier (src/audit/chain-watch.ts) at its default share of the main thread (LEDGER_VERIFY_DUTY=${DEFAULT_VERIFY_DUTY}), starting a new pass over the whole log as soon as it reaches the head, so it always has events to check (the worst case); the same writers as "64 writers, distinct projects", in the same rounds.`,
      'design: group commit on the main thread (src/event-store/write-path.ts): the commands that arrive in the same turn of the event loop are decided and appended in one BEGIN IMMEDIATE transaction (per command: its command id and, unless the writer knows its cache current, its stream read first; the decision; the insert with the hash chain), then one COMMIT with synchronous=FULL; each caller is answered after the commit. The main thread waits for the fsync. WAL checkpoints run inline on both sides (SQLite auto-checkpoint); the raw baseline is unchanged and single-threaded.',
    ],
  };
}
