/**
 * The projection thread (see ProjectionThread): a ProjectionRunner on its own connections to the
 * event log and the read-model file, driven by the main thread's messages.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store';
import { ProjectionRunner } from './projection-runner';
import type { FromProjectionThread, ProjectionThreadData, ToProjectionThread } from './projection-thread';
import { PROJECTIONS } from './read-models';

const port = parentPort!;
const data = workerData as ProjectionThreadData;
const post = (m: FromProjectionThread) => port.postMessage(m);

const store = new SqliteEventStore(data.storeFile, { busyTimeoutMs: data.busyTimeoutMs });
const runner = new ProjectionRunner(
  store,
  PROJECTIONS.filter((p) => data.projections.includes(p.name)),
  data.readModelFile,
  (line) => post({ log: line }),
  (outcome) => post('error' in outcome ? { failed: outcome.error.message } : { applied: outcome.position }),
);

async function answer(id: number, work: () => Promise<void>): Promise<void> {
  try {
    await work();
    post({ done: id });
  } catch (err) {
    post({ done: id, error: (err as Error).message });
  }
}

port.on('message', (m: ToProjectionThread) => {
  if ('waitFor' in m) {
    store.notifyAppended(m.waitFor); // ends the subscription's poll interval: read now
    void runner.waitFor(m.waitFor, m.timeoutMs);
  } else if ('start' in m) {
    runner.start();
    post({ started: runner.position() }); // a thread started again is running again, from its checkpoints
  }
  else if ('stop' in m) void answer(m.stop, () => runner.stop());
  else if ('rebuild' in m) void answer(m.id, () => runner.rebuild(m.rebuild));
  else if ('close' in m) {
    void answer(m.close, async () => {
      await runner.close();
      await store.close();
    }).then(() => port.close());
  }
});
