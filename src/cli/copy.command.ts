import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LedgerConfig } from '../config/config';
import { copyLog } from '../audit/copy-log';
import { redactUrl } from '../event-store/event-store.module';
import { EventStore } from '../event-store/event-store.port';
import { ParsedArgs, UsageError } from './args';
import { openStoreSpec } from './store-spec';

export const copyHelp = `renovation-ledger copy --to STORE [--from STORE] [--checkpoint FILE] [--restart]

Copies the whole event log from one store to another (SQLite to EventStoreDB and back), in global
order, keeping stream ids, revisions, event ids, types, data and metadata; every copied event must
hash exactly as in the source. Resumable: progress is saved in the checkpoint file after each page,
and a run that was cut short goes on from there. At the end both logs are compared event by event.

  --from STORE        the source (default: the configured store, DATA_DIR / EVENT_STORE)
  --to STORE          the target: sqlite:<data dir>, eventstoredb:<url> or esdb://host:2113?tls=false
  --checkpoint FILE   where progress is kept (default: ./copy-<hash of from and to>.checkpoint.json)
  --restart           ignore an existing checkpoint and start from the first event
`;

interface Checkpoint {
  from: string;
  to: string;
  position: string;
}

export async function copyCommand(
  args: ParsedArgs,
  config: LedgerConfig,
  out: (line: string) => void,
): Promise<number> {
  const to = args.flags.get('to');
  if (typeof to !== 'string') throw new UsageError('copy needs --to STORE');
  const fromSpec = args.flags.get('from');
  const source = await openStoreSpec(typeof fromSpec === 'string' ? fromSpec : undefined, config);
  const target = await openStoreSpec(to, config, { create: true }).catch(async (err) => {
    await source.store.close();
    throw err;
  });
  try {
    const fromLabel = redactUrl(source.label);
    const toLabel = redactUrl(target.label);
    if (source.label === target.label) throw new UsageError('--from and --to name the same store');
    const file = resolve(
      String(
        args.flags.get('checkpoint') ??
          `copy-${createHash('sha256').update(`${source.label}\n${target.label}`).digest('hex').slice(0, 12)}.checkpoint.json`,
      ),
    );
    let after = 0n;
    if (existsSync(file) && args.flags.get('restart') !== true) {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as Checkpoint;
      if (saved.from !== fromLabel || saved.to !== toLabel)
        throw new UsageError(`checkpoint ${file} belongs to a copy from ${saved.from} to ${saved.to}`);
      after = BigInt(saved.position);
      out(`resuming after source position ${after} (checkpoint ${file})`);
    }
    out(`copying ${fromLabel} -> ${toLabel}`);
    let lastPrint = 0;
    const result = await copyLog(source.store, target.store, {
      after,
      onCheckpoint: (position) => {
        const tmp = `${file}.tmp`;
        writeFileSync(
          tmp,
          JSON.stringify({ from: fromLabel, to: toLabel, position: position.toString() } satisfies Checkpoint),
        );
        renameSync(tmp, file);
      },
      onProgress: (p) => {
        if (Date.now() - lastPrint < 1000) return;
        lastPrint = Date.now();
        out(
          `  ${p.copied + p.skipped} events (${p.copied} copied, ${p.skipped} already there), source position ${p.position} of ${p.head}`,
        );
      },
    });
    out(`copied ${result.copied} events, ${result.skipped} were already in the target`);
    const diff = await compareLogs(source.store, target.store);
    if (diff) {
      out(`the two logs differ: ${diff}`);
      return 1;
    }
    out('both logs hold the same events in the same order with the same hashes');
    return 0;
  } finally {
    await source.store.close();
    await target.store.close();
    target.release();
  }
}

/** The first difference between two logs read in global order, or null when they are the same. */
export async function compareLogs(a: EventStore, b: EventStore): Promise<string | null> {
  let afterA = 0n;
  let afterB = 0n;
  let index = 0;
  for (;;) {
    const [pa, pb] = await Promise.all([
      a.readAll({ after: afterA, limit: 1000 }),
      b.readAll({ after: afterB, limit: 1000 }),
    ]);
    const n = Math.min(pa.length, pb.length);
    for (let i = 0; i < n; i++, index++) {
      const x = pa[i];
      const y = pb[i];
      if (
        x.eventId !== y.eventId ||
        x.streamId !== y.streamId ||
        x.revision !== y.revision ||
        x.metadata.hash !== y.metadata.hash
      ) {
        return `event #${index + 1}: ${x.streamId}@${x.revision} ${x.eventId} vs ${y.streamId}@${y.revision} ${y.eventId}`;
      }
    }
    if (pa.length !== pb.length) return `one log ends after ${index} events, the other goes on`;
    if (pa.length === 0) return null;
    afterA = pa[n - 1].position;
    afterB = pb[n - 1].position;
  }
}
