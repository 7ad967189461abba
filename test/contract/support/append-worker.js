/* eslint-disable */
/**
 * A child process for test/contract/sqlite-durability.spec.ts: runs the TypeScript SQLite adapter
 * (compiled on the fly by @swc/core) against a data file shared with another process.
 *
 *   node append-worker.js race <file> <workerId> <count> <sharedStream>
 *     Opens the store, prints "ready", waits for "go" on stdin, then appends <count> events: the
 *     even ones to its own streams, the odd ones to <sharedStream> (read the revision, append,
 *     retry on WrongExpectedRevisionError). Prints one JSON line {"done":true,...} at the end.
 *
 *   node append-worker.js kill <file> <count>
 *     Appends <count> events, prints {"acked":[ids]} and kills itself with SIGKILL (no close()).
 *
 *   node append-worker.js commands <store> <workerId> <jobsFile>
 *     For test/contract/command-races.spec.ts: opens <store> (`sqlite:<file>` or an esdb:// URL),
 *     prints "ready", waits for "go", then runs every job of <jobsFile> (JSON: [{streamId,
 *     commandId, requestHash, amount}]) at once through the write path (writerFor, a tally
 *     decider), as the service would, and prints one JSON line {"results": [...]}: per job its
 *     answer {streamId, revision, eventIds, replayed} or its error {code, status, message}.
 *
 *   node append-worker.js cluster-load <commands>
 *     For test/contract/eventstoredb-fake.spec.ts: starts a three-node fake EventStoreDB cluster in
 *     this process, connects through its seeds, prints "ready", waits for "go", then sends
 *     <commands> commands over six streams through the write path; a quarter in, the leader
 *     changes; half-way, an election leaves the cluster without a leader for 300 ms. Prints one
 *     JSON line {errors, sent, stored, stats}. A plain Node process, as the service runs: an
 *     unhandled rejection anywhere ends it with a non-zero exit code.
 */
'use strict';
const path = require('node:path');
// TypeScript compiled on the fly by @swc/core: the require hook shared with bench/.
require('../../../tools/register-ts');

const src = path.resolve(__dirname, '../../../src/event-store');
const { SqliteEventStore } = require(path.join(src, 'sqlite/sqlite-event-store.ts'));
const { WrongExpectedRevisionError } = require(path.join(src, 'event-store.port.ts'));
const { deriveEventId } = require(path.join(src, 'hashing.ts'));

function newEvent(commandId, index, workerId) {
  const eventId = deriveEventId(commandId, 0);
  return {
    eventId,
    type: 'funds-received.v1',
    data: { workerId, index, amount: `${index}.00` },
    metadata: {
      eventId,
      commandId,
      requestHash: '0'.repeat(64),
      actor: { id: `worker-${workerId}`, role: 'system', org: 'test' },
      correlationId: commandId,
      causationId: commandId,
      recordedAt: new Date().toISOString(),
    },
  };
}

function waitForGo() {
  return new Promise((resolve) => {
    let buffer = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk) => {
      buffer += chunk;
      if (buffer.includes('go')) {
        process.stdin.destroy(); // an open stdin pipe would keep this process alive
        resolve();
      }
    });
  });
}

async function race(file, workerId, count, sharedStream) {
  const store = new SqliteEventStore(file);
  process.stdout.write('ready\n');
  await waitForGo();
  let retries = 0;
  const ownRevisions = new Map();
  for (let i = 0; i < count; i++) {
    const event = newEvent(`race-${workerId}-${i}`, i, workerId);
    if (i % 2 === 0) {
      const stream = `project-w${workerId}-${(i / 2) % 5}`;
      const last = ownRevisions.get(stream);
      const result = await store.append(stream, [event], last === undefined ? 'no_stream' : last);
      ownRevisions.set(stream, result.revision);
    } else {
      for (;;) {
        const events = await store.readStream(sharedStream);
        const expected = events.length === 0 ? 'no_stream' : events[events.length - 1].revision;
        try {
          await store.append(sharedStream, [event], expected);
          break;
        } catch (err) {
          if (!(err instanceof WrongExpectedRevisionError)) throw err;
          retries += 1;
        }
      }
    }
  }
  await store.close();
  process.stdout.write(`${JSON.stringify({ done: true, workerId, count, retries })}\n`);
}

async function killAfterAppend(file, count) {
  const store = new SqliteEventStore(file);
  const acked = [];
  for (let i = 0; i < count; i++) {
    const event = newEvent(`kill-${i}`, i, 'k');
    await store.append(`project-killed-${i % 3}`, [event], i < 3 ? 'no_stream' : BigInt(Math.floor(i / 3) - 1));
    acked.push(event.eventId);
  }
  process.stdout.write(`${JSON.stringify({ acked })}\n`, () => process.kill(process.pid, 'SIGKILL'));
}

async function commands(storeSpec, workerId, jobsFile) {
  const { writerFor } = require(path.join(src, 'write-path.ts'));
  const { tallyDecider } = require('./tally.decider.ts');
  const store = storeSpec.startsWith('sqlite:')
    ? new SqliteEventStore(storeSpec.slice('sqlite:'.length))
    : await require(path.join(src, 'eventstoredb/eventstoredb-event-store.ts')).EventStoreDbEventStore.connect(
        storeSpec,
        { timeoutMs: 10_000 },
      );
  const jobs = JSON.parse(require('node:fs').readFileSync(jobsFile, 'utf8'));
  const writer = writerFor(store, tallyDecider);
  process.stdout.write('ready\n');
  await waitForGo();
  const results = await Promise.all(
    jobs.map(({ streamId, commandId, requestHash, amount }) =>
      writer
        .execute(
          streamId,
          { amount },
          {
            commandId,
            requestHash,
            actor: { id: `worker-${workerId}`, role: 'system', org: 'test' },
            correlationId: `${commandId}/${workerId}`,
            causationId: `${commandId}/${workerId}`,
            recordedAt: new Date().toISOString(),
          },
        )
        .then(
          (r) => ({
            commandId,
            streamId: r.streamId,
            revision: String(r.revision),
            eventIds: r.events.map((e) => e.eventId),
            replayed: r.replayed,
          }),
          (err) => ({ commandId, error: { code: err.code ?? err.name, status: err.status, message: err.message } }),
        ),
    ),
  );
  await store.close();
  process.stdout.write(`${JSON.stringify({ results })}\n`);
}

async function clusterLoad(count) {
  const { createFake } = require('./fake-eventstoredb');
  const { EventStoreDbEventStore } = require(path.join(src, 'eventstoredb/eventstoredb-event-store.ts'));
  const { writerFor } = require(path.join(src, 'write-path.ts'));
  const { tallyDecider } = require('./tally.decider.ts');
  const cluster = createFake({ nodes: 3, writeTimeoutMs: 100 });
  await cluster.start();
  // Discovery retried quickly: during the election no node is leader, and the client's
  // discovery gives up for that call (the adapter sends it again).
  const url = cluster.url('tls=false&discoveryInterval=20&maxDiscoverAttempts=5');
  const store = await EventStoreDbEventStore.connect(url, { timeoutMs: 10_000 });
  const writer = writerFor(store, tallyDecider);
  process.stdout.write('ready\n');
  await waitForGo();
  const sent = Array.from({ length: count }, (_, i) => ({ stream: `tally-load-${i % 6}`, id: `load-${i}` }));
  const errors = [];
  let answered = 0;
  const all = Promise.all(
    sent.map((c) =>
      writer
        .execute(
          c.stream,
          { amount: '1.00' },
          {
            commandId: c.id,
            requestHash: 'c'.repeat(64),
            actor: { id: 'load', role: 'system', org: 'test' },
            correlationId: c.id,
            causationId: c.id,
            recordedAt: new Date().toISOString(),
          },
        )
        .catch((err) => errors.push(`${c.id}: ${err.message}`))
        .finally(() => (answered += 1)),
    ),
  );
  const until = async (n) => {
    while (answered < n) await new Promise((r) => setTimeout(r, 5));
  };
  await until(count / 4);
  cluster.switchLeader(1);
  await until(count / 2);
  cluster.startElection();
  await new Promise((r) => setTimeout(r, 300));
  cluster.endElection(2);
  await all;
  const stored = [];
  for (let k = 0; k < 6; k++)
    stored.push(...(await store.readStream(`tally-load-${k}`)).map((e) => e.metadata.commandId));
  await store.close();
  cluster.forceStop();
  const ids = sent.map((c) => c.id).sort();
  process.stdout.write(`${JSON.stringify({ errors, sent: ids, stored: stored.sort(), stats: cluster.stats })}\n`);
}

const [mode, ...args] = process.argv.slice(2);
const main =
  mode === 'race'
    ? race(args[0], args[1], Number(args[2]), args[3])
    : mode === 'kill'
      ? killAfterAppend(args[0], Number(args[1]))
      : mode === 'commands'
        ? commands(args[0], args[1], args[2])
        : mode === 'cluster-load'
          ? clusterLoad(Number(args[0]))
          : Promise.reject(new Error(`unknown mode ${mode}`));
main.catch((err) => {
  process.stderr.write(`${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
