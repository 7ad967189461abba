import type { RecordedEvent } from '../event-store/event-store.port';
import { StreamFault, damageOf } from '../event-store/integrity';
import { ParsedRecordWithMetadata, parseRecord } from '../shared/events/parsed-record';
import { LedgerEvent, ledgerEvents } from './ledger-events';

/**
 * A page of stored events as projections take them: parsed, in the same order. An event the
 * registry cannot read because it is damaged in the store (integrity.ts, damageOf: its data or
 * metadata not JSON, or it no longer hashes to its recorded hash) is left out and handed to
 * `damaged`; any other that cannot be read throws (a type this code does not know must not be
 * gone past). The live runner (projection-runner.ts) and the replays at past bounds (time-bounds.ts) both
 * read so. Events at `goPast` (found damaged before) are left out too.
 */
export function parsePage(
  stored: readonly RecordedEvent[],
  damaged: (fault: StreamFault) => void,
  goPast?: ReadonlySet<bigint>,
): ParsedRecordWithMetadata<LedgerEvent>[] {
  const records = new Array<ParsedRecordWithMetadata<LedgerEvent>>(stored.length);
  const known = goPast !== undefined && goPast.size > 0 ? goPast : null;
  let n = 0;
  for (let i = 0; i < stored.length; i++) {
    if (known?.has(stored[i].position)) continue;
    try {
      records[n] = parseRecord(ledgerEvents, stored[i]);
      n += 1;
    } catch (err) {
      const fault = damageOf(stored[i], err);
      if (!fault) throw err;
      damaged(fault);
    }
  }
  if (n < records.length) records.length = n;
  return records;
}
