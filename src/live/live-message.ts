import { SEAL_CATEGORY } from '../audit/seal';
import { BANK_ACCOUNT_CATEGORY } from '../bank-account/bank-account.events';
import { RecordedEvent, streamCategory } from '../event-store/event-store.port';
import { FISCAL_YEAR_CATEGORY } from '../fiscal-year/fiscal-year.events';
import { FUND_BATCH_CATEGORY } from '../fund-batch/fund-batch.events';
import { TREASURY_STREAM } from '../treasury-file/treasury-file.events';
import { DomainError } from '../shared/domain/domain-error';

/**
 * The categories whose stream id names an aggregate no person is: a project, a fund batch, a
 * fiscal year, a seal. A change there carries that id, so a page knows whether it shows it.
 */
const PUBLIC_ID_CATEGORIES: readonly string[] = ['project', FUND_BATCH_CATEGORY, FISCAL_YEAR_CATEGORY, SEAL_CATEGORY];

/**
 * Categories read by prefix, longest first, since one of them holds a dash (`bank-account-…`)
 * and streamCategory() stops at the first. A bank account's id is never sent: it may be a
 * person's account (auth/personal-data.ts); nor is the id of any category not known here.
 */
const CATEGORIES: readonly string[] = [BANK_ACCOUNT_CATEGORY, ...PUBLIC_ID_CATEGORIES];

/** What a live stream says of one event: where it is in the log and what kind it is, never its data. */
export interface LiveChange {
  position: string;
  /** `<category>/<event type>`. */
  kind: string;
  category: string;
  type: string;
  /** The aggregate's id, for the categories in PUBLIC_ID_CATEGORIES only. */
  id?: string;
}

export function liveChangeOf(stored: Pick<RecordedEvent, 'streamId' | 'type' | 'position'>): LiveChange {
  const { streamId, type } = stored;
  const known = CATEGORIES.find((c) => streamId.startsWith(`${c}-`));
  const category = streamId === TREASURY_STREAM ? TREASURY_STREAM : (known ?? streamCategory(streamId));
  const id = known && PUBLIC_ID_CATEGORIES.includes(known) ? streamId.slice(known.length + 1) : undefined;
  return {
    position: stored.position.toString(),
    kind: `${category}/${type}`,
    category,
    type,
    ...(id === undefined ? {} : { id }),
  };
}

/**
 * One SSE message: `id:` the log position (what Last-Event-ID sends back) and the change as `data:`.
 * No `event:` name: a browser's EventSource hands unnamed messages to `onmessage`, where a named
 * one would need a listener for each of the ledger's event types; the kind is in the data.
 */
export function liveMessage(change: LiveChange): string {
  return `id: ${change.position}\ndata: ${JSON.stringify(change)}\n\n`;
}

/** A comment line: proxies that close a silent connection see traffic; EventSource ignores it. */
export const HEARTBEAT = ': heartbeat\n\n';

const POSITION = /^(0|[1-9][0-9]{0,18})$/;

/**
 * The position a reconnecting client saw last (Last-Event-ID, or `?lastEventId=` where the client
 * cannot send headers): a log position as the `id:` fields hold them; 400 naming it otherwise.
 */
export function parseLastEventId(value: string | undefined, field: string): bigint | undefined {
  if (value === undefined) return undefined;
  if (!POSITION.test(value))
    throw new DomainError(
      'invalid-last-event-id',
      `${field} must be a log position as the stream's id: fields give it (a whole number, 0 for the start); got ${JSON.stringify(value.slice(0, 40))}`,
      400,
      field,
    );
  return BigInt(value);
}
