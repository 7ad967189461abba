/* eslint-disable */
/**
 * How fast `verify` checks the embedded store (src/audit/verify-chain.ts):
 *
 *   node bench/verify-chain-throughput.js [events=200000] [streams=2000] [runs=3]
 *
 * Builds a log of funds-received events shaped like the demo district's (data ~200 bytes with
 * Chinese text, the store's usual metadata) in a temporary directory, 5,000 appends per
 * transaction, then verifies it `runs` times with the default worker threads and once in one
 * thread. Prints wall-clock events/s, CPU time per event, and the load average, since on a shared
 * machine other processes' load is most of the variance. Not part of `npm run bench`.
 */
'use strict';
require('../tools/register-ts');
const { mkdtempSync, rmSync, readFileSync } = require('node:fs');
const { availableParallelism, tmpdir } = require('node:os');
const { join } = require('node:path');
const { SqliteEventStore } = require('../src/event-store/sqlite/sqlite-event-store.ts');
const { deriveEventId } = require('../src/event-store/hashing.ts');
const { verifyChain } = require('../src/audit/verify-chain.ts');

async function main([events = '200000', streams = '2000', runs = '3']) {
  const total = Number(events);
  const streamCount = Number(streams);
  const dir = mkdtempSync(join(tmpdir(), 'verify-bench-'));
  const store = new SqliteEventStore(join(dir, 'events.sqlite'));
  try {
    const built = Date.now();
    for (let n = 0; n < total;) {
      store.writeBatch((tx) => {
        for (let k = 0; k < 5000 && n < total; k++, n++)
          tx.append(
            streamOf(n, streamCount),
            [eventOf(n)],
            n < streamCount ? 'no_stream' : BigInt(Math.floor(n / streamCount) - 1),
          );
      });
    }
    console.log(
      `built ${total} events in ${streamCount} streams in ${((Date.now() - built) / 1000).toFixed(1)} s; ${availableParallelism()} CPUs`,
    );
    for (const workers of [...Array(Number(runs)).fill(undefined), 1]) {
      const load = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
      const cpu = process.cpuUsage();
      const started = process.hrtime.bigint();
      const report = await verifyChain(store, workers === undefined ? {} : { workers });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const used = process.cpuUsage(cpu);
      if (!report.ok) throw new Error(`the log does not verify: ${JSON.stringify(report.firstProblem)}`);
      console.log(
        `${workers === 1 ? 'one thread  ' : 'workers     '} ${Math.round((report.eventsChecked / ms) * 1000)
          .toLocaleString('en-US')
          .padStart(9)} events/s ` +
          `(${ms.toFixed(0)} ms; ${((used.user + used.system) / report.eventsChecked).toFixed(1)} µs CPU per event; load average ${load})`,
      );
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function streamOf(n, streamCount) {
  return `project-TN2021-${String(n % streamCount).padStart(4, '0')}`;
}

function eventOf(n) {
  const commandId = `bench-${n}`;
  const eventId = deriveEventId(commandId, 0);
  return {
    eventId,
    type: 'funds-received.v1',
    data: {
      projectId: `TN2021-${n}`,
      receiptId: `R-${n}`,
      source: 'district_matching',
      amount: `${(n % 100000) + 1}.25`,
      payer: '潼南区财政局',
      reference: `BANK-2021-${n}`,
      receivedOn: '2021-09-01',
      fiscalYear: 2021,
      details: {},
    },
    metadata: {
      eventId,
      commandId,
      requestHash: 'a'.repeat(64),
      actor: { id: 'demo-finance-li', role: 'finance', org: '区财政局' },
      correlationId: commandId,
      causationId: commandId,
      recordedAt: new Date(1630000000000 + n * 1000).toISOString(),
    },
  };
}

main(process.argv.slice(2)).catch((err) => {
  console.error(err);
  process.exit(1);
});
