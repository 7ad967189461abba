/**
 * (f) How cost grows with the length of one project stream: 1,000, 10,000 and 100,000 events
 * (--quick: 1,000 and 10,000 only).
 *
 * The project streams of those lengths live in one store (so the store's size is the same for
 * each; only the stream's length differs). They are grown with real events: the decider decides
 * each receipt on the folded state, and the store appends them in chunks with the hash chain.
 * Then, for each stream:
 *   - read: store.readStream of the whole stream (median of several);
 *   - fold: projectDecider folded over those events, from the initial state (median of several);
 *   - cold command: the first ReceiveFunds on it after a restart (a new GroupCommitWriter and a
 *     newly opened snapshot file, the stream snapshotted by an earlier command as the service
 *     does): loads the snapshot, checks it against the log, folds what follows it, decides,
 *     appends, commits; median of three restarts. Target: at 100,000 events at most 3 times the
 *     cost at 1,000;
 *   - append: 500 sequential ReceiveFunds per stream through the now warm writer, round-robin
 *     over the three streams so the noise of the machine falls on all three alike.
 * The baseline of each figure is the same figure at 1,000 events.
 */
import { join } from 'node:path';
import { toNewEvents } from '../../src/event-store/write-path';
import { GroupCommitWriter, SNAPSHOT_EVERY_EVENTS } from '../../src/event-store/write-path';
import { SnapshotStore } from '../../src/event-store/snapshots';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { fold } from '../../src/shared/domain/decider';
import { ProjectCommand } from '../../src/project/project.commands';
import { ProjectState, projectDecider } from '../../src/project/project.decider';
import { ProjectEvent, projectStreamId } from '../../src/project/project.events';
import { RECEIVE_FUNDS } from '../../src/funding/receive-funds/receive-funds.controller';
import { approveCommand, contextOf, receiptBody, receiveCommand, registerCommand } from '../lib/fixtures';
import { Comparison, ScenarioResult, compare } from '../lib/report';
import { mean, median, nowMs, tempDir } from '../lib/util';

const APPEND_CHUNK = 1000;

/** Grows `projectId`'s stream to `length` events (registration, approval, receipts), decided for real. */
function growStream(store: SqliteEventStore, projectId: string, length: number): void {
  const streamId = projectStreamId(projectId);
  let state = projectDecider.initialState();
  let revision = -1n;
  let chunk: ReturnType<typeof toNewEvents> = [];
  const flush = () => {
    if (chunk.length === 0) return;
    revision = store.writeBatch((tx) => tx.append(streamId, chunk, revision < 0n ? 'no_stream' : revision)).revision;
    chunk = [];
  };
  for (let n = 0; n < length; n++) {
    const command: ProjectCommand =
      n === 0
        ? registerCommand(projectId)
        : n === 1
          ? approveCommand(projectId)
          : receiveCommand(projectId, n, `G-${n}`);
    const decided = projectDecider.decide(command, state);
    for (const e of decided) state = projectDecider.evolve(state, e);
    chunk.push(
      ...toNewEvents(decided, contextOf(`grow-${projectId}-${n}`, RECEIVE_FUNDS.requestName, projectId, command)),
    );
    if (chunk.length >= APPEND_CHUNK) flush();
  }
  flush();
}

export async function growthScenario(quick: boolean): Promise<Omit<ScenarioResult, 'seconds'>> {
  // --quick stops at 10,000 events: growing and reading a 100,000-event stream alone takes ~20 s here.
  const sizes = quick ? [1_000, 10_000] : [1_000, 10_000, 100_000];
  const appends = quick ? 300 : 500;
  const { dir, cleanup } = tempDir('growth');
  const store = new SqliteEventStore(join(dir, 'events.sqlite'));
  const snapshotFile = join(dir, 'snapshots.sqlite');
  let snapshots = new SnapshotStore(snapshotFile);
  try {
    const t0 = nowMs();
    for (const size of sizes) growStream(store, `TN-GROW-${size}`, size);
    const growMs = nowMs() - t0;

    const read: Record<number, number> = {};
    const folded: Record<number, number> = {};
    for (const size of sizes) {
      const streamId = projectStreamId(`TN-GROW-${size}`);
      const reps = size >= 100_000 ? (quick ? 2 : 3) : size >= 10_000 ? 5 : 20;
      const reads: number[] = [];
      const folds: number[] = [];
      for (let r = 0; r < reps; r++) {
        let t = nowMs();
        const events = await store.readStream(streamId);
        reads.push(nowMs() - t);
        if (events.length !== size) throw new Error(`stream ${streamId} has ${events.length} events, not ${size}`);
        const domain = events.map((e) => projectDecider.events.parse(e));
        t = nowMs();
        const state = fold(projectDecider, domain);
        folds.push(nowMs() - t);
        if (state.entries.size !== size - 2) throw new Error(`fold of ${streamId} found ${state.entries.size} entries`);
      }
      read[size] = median(reads);
      folded[size] = median(folds);
    }

    // The service's writer: group commit, starting long streams from their snapshots. A "restart"
    // is a new writer on a newly opened snapshot file, as a new process would have.
    const newWriter = () =>
      new GroupCommitWriter<ProjectState, ProjectCommand, ProjectEvent>(store, projectDecider, undefined, {
        store: snapshots,
        everyEvents: SNAPSHOT_EVERY_EVENTS,
      });
    const restarted = () => {
      snapshots.close();
      snapshots = new SnapshotStore(snapshotFile);
      return newWriter();
    };
    let seq = 0;
    const receive = async (writer: ReturnType<typeof newWriter>, size: number) => {
      const projectId = `TN-GROW-${size}`;
      const i = ++seq;
      const receiptId = `A-${i}`;
      const command = receiveCommand(projectId, i, receiptId);
      const t = nowMs();
      await writer.execute(
        projectStreamId(projectId),
        command,
        contextOf(`append-${i}`, RECEIVE_FUNDS.requestName, projectId, receiptBody(i, receiptId)),
      );
      return nowMs() - t;
    };
    // The streams as a running service leaves them: one command each through the service's
    // writer, which folds the stream and snapshots it (grown streams were appended directly).
    let writer = newWriter();
    for (const size of sizes) await receive(writer, size);
    // Cold: the first command on each stream after a restart, three times (a restart each time),
    // median. Then the last writer is the warm one for the appends.
    const cold: Record<number, number> = {};
    for (const size of sizes) {
      const runs: number[] = [];
      for (let r = 0; r < 3; r++) {
        writer = restarted();
        runs.push(await receive(writer, size));
      }
      cold[size] = median(runs);
    }
    for (const size of sizes) await receive(writer, size); // the warm writer knows every stream
    const appendMs: Record<number, number[]> = Object.fromEntries(sizes.map((s) => [s, []]));
    for (let r = 0; r < appends; r++) for (const size of sizes) appendMs[size].push(await receive(writer, size));

    const small = sizes[0];
    const large = sizes[sizes.length - 1];
    const us = (ms: number, n: number) => (ms * 1000) / n;
    const comparisons: Comparison[] = [];
    for (const size of sizes.slice(1)) {
      const k = size >= 100_000 ? '100k' : '10k';
      comparisons.push(
        compare(
          `append_${k}_vs_1k`,
          `append to a ${k}-event stream, median ms per command`,
          { key: `append_at_${k}_median_ms`, label: `${k} stream`, value: median(appendMs[size]), unit: 'ms' },
          { key: 'append_at_1k_median_ms', label: '1k stream', value: median(appendMs[small]), unit: 'ms' },
          `ratio_append_${k}_over_1k`,
          size === large ? ({ ratio }) => ({ text: '<= 1.5 (about the same)', met: ratio <= 1.5 }) : undefined,
        ),
        compare(
          `read_${k}_vs_1k`,
          `readStream of a ${k}-event stream, µs per event`,
          { key: `read_at_${k}_us_per_event`, label: `${k} stream`, value: us(read[size], size), unit: 'µs/ev' },
          { key: 'read_at_1k_us_per_event', label: '1k stream', value: us(read[small], small), unit: 'µs/ev' },
          `ratio_read_per_event_${k}_over_1k`,
        ),
        compare(
          `fold_${k}_vs_1k`,
          `cold fold of a ${k}-event stream, µs per event`,
          { key: `fold_at_${k}_us_per_event`, label: `${k} stream`, value: us(folded[size], size), unit: 'µs/ev' },
          { key: 'fold_at_1k_us_per_event', label: '1k stream', value: us(folded[small], small), unit: 'µs/ev' },
          `ratio_fold_per_event_${k}_over_1k`,
        ),
        compare(
          `cold_command_${k}_vs_1k`,
          `cold command (after a restart) on a ${k}-event stream, ms`,
          { key: `cold_command_at_${k}_ms`, label: `${k} stream`, value: cold[size], unit: 'ms' },
          { key: 'cold_command_at_1k_ms', label: '1k stream', value: cold[small], unit: 'ms' },
          `ratio_cold_command_${k}_over_1k`,
          size === large ? ({ ratio }) => ({ text: '<= 3', met: ratio <= 3 }) : undefined,
        ),
      );
    }
    const details: Record<string, number> = { grow_s: growMs / 1000, appends_per_stream: appends };
    for (const size of sizes) {
      const k = size >= 100_000 ? '100k' : size >= 10_000 ? '10k' : '1k';
      Object.assign(details, {
        [`append_at_${k}_mean_ms`]: mean(appendMs[size]),
        [`read_at_${k}_ms`]: read[size],
        [`fold_at_${k}_ms`]: folded[size],
      });
    }
    return {
      id: 'f',
      title: 'How cost grows with one stream: 1,000 / 10,000 / 100,000 events',
      comparisons,
      details,
      notes: [
        `streams of ${sizes.map((x) => x.toLocaleString('en-US')).join(', ')} events in one store (grown with decided events in ${(growMs / 1000).toFixed(1)} s); ${appends} sequential appends per stream through GroupCommitWriter (the service's writer), round-robin over the streams; reads and folds are medians of repeated passes, cold commands the first after a restart (a new writer and snapshot file; each stream snapshotted by an earlier command), median of 3.`,
        ...(quick
          ? [
              `--quick: streams of 1,000 and 10,000 events only (no 100,000), ${appends} appends per stream instead of 500; the target is judged at 10,000.`,
            ]
          : []),
      ],
    };
  } finally {
    snapshots.close();
    await store.close();
    cleanup();
  }
}
