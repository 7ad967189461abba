/**
 * Personal data in events (个人信息保护法, issue 14 point 11): the one place that says which
 * fields of which event type may name a person, next to the registry of event types
 * (ledger-events.ts). Every read path that shows event data masks it through `maskPersonalData`
 * for an audience that may not see it (src/auth/personal-data.ts says who may).
 *
 * What counts as personal:
 * - a household id (`details.householdId` of a pledge or receipt, and every household id of the
 *   residents' events: the register, corrections, votes' scopes and ballots, plans' scopes,
 *   exemptions and shares) and an owner's key (`ownerKey`: one key per owner, so it links a
 *   person's units). A room number is not: the plan's public notice (公示) lists rooms;
 * - a payer, when the money is the residents' own: a source of the `resident` tier
 *   (funding-sources.ts: direct payment, maintenance fund, provident fund, ceded common revenue,
 *   residents in kind), or a source this code does not know. The other tiers' payers are
 *   organisations by the plan's own definition (utilities, enterprises, social organisations,
 *   original owner units, governments, banks, the market investor), and shown to everyone;
 * - a payee, always: a payment says nothing of who was paid, and wages and refunds go to persons
 *   (domain.md §2, 农民工工资). A later payment version that records the payee's kind (an
 *   organisation with its 统一社会信用代码) narrows this with an `isPersonal` test here;
 * - a bank account number: an account's own (`accountNo`; the bank-account routes show it to the
 *   finance bureau and administrators only, src/funding/bank-accounts), and a statement line's
 *   counterparty and its account: a bank line does not say whether the other party is a person,
 *   so it is always taken for one; and its memo (摘要, 用途, 附言), free text in which a payer names
 *   themselves and often writes an id number.
 *
 * Every event type the ledger reads must be declared (the compiler holds the current types to
 * it; test/unit/events/personal-fields.spec.ts all the types the registry reads). A type found
 * undeclared at run time is masked whole, never shown by default.
 */
import { fundingSource } from '../project/funding-sources';
import { LedgerEvent } from './ledger-events';

/** Who reads: one allowed to see personal data, or one who sees it masked. */
export type PersonalDataView = 'shown' | 'masked';

/** What a masked value reads as. */
export const MASKED = '***';

/** A field of an event's data that may name a person. */
export interface PersonalField<D> {
  /**
   * Its path in the event's data: `payer`, `details.householdId`. A path goes through arrays: in
   * `households.ownerKey` the field of each element of `households` is meant, and a path that ends
   * on an array of strings (`exempt`) means each of them.
   */
  readonly path: string;
  /** Whether this event's value names a person; absent: it always may. */
  readonly isPersonal?: (data: D) => boolean;
}

type DataOf<T extends LedgerEvent['type']> = Extract<LedgerEvent, { type: T }>['data'];
/** Superseded types the registry still reads (upcast on read): the events route shows them as stored. */
type SupersededType = 'project-registered.v1' | 'project-approved.v1';
type PersonalFields = { readonly [T in LedgerEvent['type']]: readonly PersonalField<DataOf<T>>[] } & {
  readonly [T in SupersededType]: readonly PersonalField<never>[];
};

/** Residents pay from their own pockets (and their own fund); every other tier is an organisation. */
const paidByResidents = (data: { source: string }): boolean =>
  (fundingSource(data.source)?.tier ?? 'resident') === 'resident';

const HOUSEHOLD: PersonalField<unknown> = { path: 'details.householdId' };

export const PERSONAL_FIELDS: PersonalFields = {
  'project-registered.v1': [],
  'project-registered.v2': [],
  'project-approved.v1': [],
  'project-approved.v2': [],
  'budget-line-added.v1': [],
  'funding-pledged.v1': [{ path: 'payer', isPersonal: paidByResidents }, HOUSEHOLD],
  'funds-received.v1': [{ path: 'payer', isPersonal: paidByResidents }, HOUSEHOLD],
  'funds-disbursed.v1': [{ path: 'payee' }],
  // Its payee is a contractor as a rule, but may be a person (a refund, wages) as a payment's may.
  'treasury-payment-made.v1': [{ path: 'payee' }],
  'entry-reversed.v1': [],
  'reversal-reversed.v1': [],
  'allocation-recorded.v1': [],
  'allocation-released.v1': [],
  'fund-batch-issued.v1': [],
  'funds-allocated.v1': [],
  'allocation-reversed.v1': [],
  'ledger-sealed.v1': [],
  'bank-account-opened.v1': [{ path: 'accountNo' }],
  'statement-imported.v1': [
    { path: 'lines.counterparty' },
    { path: 'lines.counterpartyAccount' },
    // 摘要 and 附言 are the payer's words: banks write a name and an id number there.
    { path: 'lines.memo' },
  ],
  'statement-line-matched.v1': [],
  // A treasury line's payee, as a payment's: a person may be paid (wages, a refund).
  'treasury-file-imported.v1': [{ path: 'lines.payee' }],
  'treasury-line-matched.v1': [],
  // The reason to reopen a year is the finance bureau's, about its books: no person is named.
  'fiscal-year-closed.v1': [],
  'fiscal-year-reopened.v1': [],
  'households-registered.v1': [{ path: 'households.householdId' }, { path: 'households.ownerKey' }],
  'household-corrected.v1': [{ path: 'householdId' }, { path: 'ownerKey' }],
  'owner-vote-recorded.v1': [{ path: 'scope.householdIds' }, { path: 'ballots.householdId' }],
  'cost-share-plan-adopted.v1': [{ path: 'scope.householdIds' }, { path: 'exempt' }, { path: 'shares.householdId' }],
  // The project's life names units and organisations, never persons: reviewers and acceptance
  // participants are unit codes (resident representatives as a group, with no names), a winner or
  // contract payee is an organisation with its 统一社会信用代码, a receiving party or management
  // unit an organisation or "业主" as a whole; documents are numbers.
  'resident-consultation-held.v1': [],
  'content-publicized.v1': [],
  'joint-review-completed.v1': [],
  'land-procedure-determined.v1': [],
  'planning-permit-determined.v1': [],
  'drawing-review-determined.v1': [],
  'construction-permit-determined.v1': [],
  'tender-awarded.v1': [],
  'contract-signed.v1': [],
  'construction-started.v1': [],
  'construction-completed.v1': [],
  'joint-acceptance-held.v1': [],
  'acceptance-report-filed.v1': [],
  'assets-handed-over.v1': [],
  'management-model-agreed.v1': [],
};

const DECLARED: Readonly<Record<string, readonly PersonalField<never>[] | undefined>> = PERSONAL_FIELDS;

/**
 * An event's data as `view` may see it: unchanged when shown; otherwise a copy with every
 * personal value replaced by MASKED (the field stays, so the shape does not change). The stored
 * data is never modified.
 */
export function maskPersonalData(type: string, data: unknown, view: PersonalDataView): unknown {
  if (view === 'shown') return data;
  const fields = DECLARED[type];
  if (fields === undefined) return maskAll(data);
  let out = data;
  for (const f of fields) {
    if (f.isPersonal && !f.isPersonal(data as never)) continue;
    out = maskAt(out, f.path.split('.'));
  }
  return out;
}

/**
 * A copy of `value` with the value at `path` masked (through arrays: each element's); the same
 * value when nothing is there.
 */
function maskAt(value: unknown, path: readonly string[]): unknown {
  if (Array.isArray(value)) return value.map((element) => maskAt(element, path));
  if (path.length === 0) return MASKED;
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  const [head, ...rest] = path;
  if (!Object.hasOwn(record, head) || record[head] === undefined) return value;
  return { ...record, [head]: maskAt(record[head], rest) };
}

/** Every string in `value` masked: for a type nobody declared. */
function maskAll(value: unknown): unknown {
  if (typeof value === 'string') return MASKED;
  if (Array.isArray(value)) return value.map(maskAll);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskAll(v)]));
  return value;
}
