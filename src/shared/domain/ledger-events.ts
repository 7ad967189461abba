/**
 * Every event type the ledger's streams hold, read as one: what projections and reactors see on
 * `$all`. The project and fund-batch registrations sit next to their events; the seal's is here,
 * because a seal is no aggregate's (src/audit/seal.ts writes it, one `ledger-sealed.v1` per
 * `seal-<sealId>` stream) and readers of `$all` must not take it for an unknown type.
 */
import type { Seal, SealedStream } from '../../audit/seal';
import { FundBatchEvent, fundBatchEvents } from '../../fund-batch/fund-batch.events';
import { ProjectEvent, projectEvents } from '../../project/project.events';
import { arrayOf, integer, shape, string } from './data-shape';
import { DomainEvent } from './decider';
import { EventRegistry } from './event-registry';

/** SEAL_EVENT_TYPE in seal.ts, spelled here so that readers of events need not load the sealing code. */
const LEDGER_SEALED = 'ledger-sealed.v1';

export type SealEvent = DomainEvent<typeof LEDGER_SEALED, Seal>;

/** The shape only: whether the seal holds (digest, signature) is checkSeal's question, not a reader's. */
export const sealEvents = new EventRegistry<SealEvent>('seal', {
  [LEDGER_SEALED]: shape<Seal>({
    sealId: string, sealedAt: string, headPosition: string,
    streams: arrayOf(shape<SealedStream>({ streamId: string, revision: integer, hash: string })),
    digest: string, publicKey: string, keyFingerprint: string, signature: string,
  }),
});

export type LedgerEvent = ProjectEvent | FundBatchEvent | SealEvent;

export const ledgerEvents: EventRegistry<LedgerEvent> = EventRegistry.combine('ledger', projectEvents, fundBatchEvents, sealEvents);
