/**
 * Every event type the ledger's streams hold, read as one: what projections and reactors see on
 * `$all`. The project and fund-batch registrations sit next to their events; the seal's is here,
 * because a seal is no aggregate's (src/audit/seal.ts writes it, one `ledger-sealed.v1` per
 * `seal-<sealId>` stream) and readers of `$all` must not take it for an unknown type.
 */
import { BankAccountEvent, bankAccountEvents } from '../bank-account/bank-account.events';
import { FiscalYearEvent, fiscalYearEvents } from '../fiscal-year/fiscal-year.events';
import { FundBatchEvent, fundBatchEvents } from '../fund-batch/fund-batch.events';
import { ProjectEvent, projectEvents } from '../project/project.events';
import { TreasuryFileEvent, treasuryFileEvents } from '../treasury-file/treasury-file.events';
import { arrayOf, integer, shape, string } from '../shared/domain/data-shape';
import { DomainEvent } from '../shared/domain/decider';
import { EventRegistry } from '../shared/domain/event-registry';
import type { ParsedRecord } from '../shared/events/parsed-record';

/** A seal's event type: here, so that readers of events need not load the sealing code (src/audit/seal.ts). */
export const SEAL_EVENT_TYPE = 'ledger-sealed.v1';
const LEDGER_SEALED = SEAL_EVENT_TYPE;

export interface SealedStream {
  streamId: string;
  /** The stream's last revision when sealed (0-based). */
  revision: number;
  /** That event's hash. */
  hash: string;
}

/** What the digest covers. */
export interface SealBody {
  sealId: string;
  /** ISO-8601 time the seal was made. */
  sealedAt: string;
  /** The log's head position the seal covers (a decimal string). */
  headPosition: string;
  /** Every ledger stream's head, sorted by stream id; seal streams are left out. */
  streams: SealedStream[];
}

export interface Seal extends SealBody {
  /** SHA-256, hex, of canonicalJson({sealId, sealedAt, headPosition, streams}). */
  digest: string;
  /** The signing key's public half, SPKI PEM. */
  publicKey: string;
  /** SHA-256, hex, of the DER (SPKI) public key. */
  keyFingerprint: string;
  /** Ed25519 signature, base64, over the digest: the 64 ASCII characters of its hex. */
  signature: string;
}

export type SealEvent = DomainEvent<typeof LEDGER_SEALED, Seal>;

/** The shape only: whether the seal holds (digest, signature) is checkSeal's question, not a reader's. */
export const sealEvents = new EventRegistry<SealEvent>('seal', {
  [LEDGER_SEALED]: shape<Seal>({
    sealId: string,
    sealedAt: string,
    headPosition: string,
    streams: arrayOf(shape<SealedStream>({ streamId: string, revision: integer, hash: string })),
    digest: string,
    publicKey: string,
    keyFingerprint: string,
    signature: string,
  }),
});

export type LedgerEvent =
  ProjectEvent | FundBatchEvent | BankAccountEvent | TreasuryFileEvent | FiscalYearEvent | SealEvent;

export const ledgerEvents: EventRegistry<LedgerEvent> = EventRegistry.combine(
  'ledger',
  projectEvents,
  fundBatchEvents,
  bankAccountEvents,
  treasuryFileEvents,
  fiscalYearEvents,
  sealEvents,
);

/** An event of `$all` as projections and reactors take it: parsed by `ledgerEvents`, with its place in the log. */
export type LedgerRecord = ParsedRecord<LedgerEvent>;

/** A record of one of the types `T`: `LedgerRecordOf<typeof ProjectEventType.received>`. */
export type LedgerRecordOf<T extends LedgerEvent['type']> = ParsedRecord<Extract<LedgerEvent, { type: T }>>;
