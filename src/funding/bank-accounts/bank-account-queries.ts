import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { Role } from '../../auth/tokens';
import { BankAccountState, bankAccountDecider } from '../../bank-account/bank-account.decider';
import { BankAccountErrors } from '../../bank-account/bank-account.errors';
import {
  BankAccountEventType,
  StatementLine,
  bankAccountEvents,
  bankAccountStreamId,
} from '../../bank-account/bank-account.events';
import { LedgerItem, Reconciliation, monthEnd, reconcile } from '../../bank-account/reconciliation';
import { EVENT_STORE, EventStore, RecordedEvent } from '../../event-store/event-store.port';
import { LogIndex } from '../../event-store/log-index';
import { GENESIS_HASH } from '../../event-store/hashing';
import { brokenStreamsOf, readVerifiedStream, verifyStored } from '../../event-store/integrity';
import { STREAM_CACHE_LIMIT } from '../../event-store/write-path';
import { MASKED, PersonalDataView, maskPersonalData } from '../../events/personal-fields';
import { ruleInForce } from '../../policy/policies';
import { ruleReference } from '../../policy/policy-rule';
import { MatchWindowSettings, RECONCILIATION_FAMILIES } from '../../policy/rules/reconciliation.rules';
import { ProjectState, projectDecider } from '../../project/project.decider';
import { isInKind } from '../../project/funding-sources';
import {
  FundsDisbursed,
  FundsReceived,
  ProjectEventType,
  projectEvents,
  projectStreamId,
} from '../../project/project.events';
import { foldStored } from '../../shared/domain/decider';
import { assert } from '../../shared/domain/domain-error';
import { formatFen } from '../../shared/money/money';

/** Who sees an account's number in full: the finance bureau and administrators (issue 18). */
export const ACCOUNT_NUMBER_ROLES: readonly Role[] = ['finance', 'admin'];

/** An account number as others see it: its last four digits only. */
export function maskedAccountNo(accountNo: string): string {
  const digits = accountNo.replace(/\D/g, '');
  return `****${digits.slice(-4)}`;
}

/** A ledger item with its counterparty as the reader may see it (the matching itself reads the real one). */
type Shown = { item: LedgerItem; shown: string };

/** A receipt's or payment's event as booked: its type and data. */
type Booked = { type: string; data: FundsReceived | FundsDisbursed };

/**
 * A project's receipts and payments as the ledger side reads them, kept folded to the stream's
 * revision and brought forward in place (see ledgerOf).
 */
interface FoldedLedger {
  revision: bigint;
  /** The hash of the event at `revision` (GENESIS_HASH before the first): the next event must follow it. */
  hash: string;
  state: ProjectState;
  /** Each receipt and payment's event, by entry id, in the order booked. */
  booked: Map<string, Booked>;
  /** `${kind}|${reference}` (a receipt's reference, a payment's voucher) → the entries booked with it, in order. */
  byReference: Map<string, string[]>;
}

/** How many projects' folded ledgers are kept, the least recently read dropped first: as many as the write path keeps. */
export const LEDGER_CACHE_LIMIT = STREAM_CACHE_LIMIT;

/**
 * Reads of bank accounts: straight from their streams, and the ledger side from the projects'
 * streams. Which accounts serve which project is an index (LogIndex) fed by a subscription to $all from the
 * first event (an account's projects never change once recorded): the receipts and payments of a
 * project look it up on every write (project-command.handler.ts), and reading the log on that path
 * cost more than the write. The open-account handler adds the account it wrote at once, so the
 * index is exact for this process's writes; an account another process opens is indexed as the
 * subscription reaches it (the race docs/reconciliation.md accepts).
 */
@Injectable()
export class BankAccountQueries implements OnApplicationBootstrap, BeforeApplicationShutdown {
  /** accountId → the projects it serves, in the order the accounts were recorded. */
  private readonly projectsOf = new Map<string, readonly string[]>();
  /** projectId → the accounts that serve it, in the order the accounts were recorded. */
  private readonly servedBy = new Map<string, string[]>();
  private readonly ledgers = new LRUCache<string, FoldedLedger>({ max: LEDGER_CACHE_LIMIT });

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly log: LogIndex,
  ) {
    log.follow((stored) => this.take(stored));
  }

  // Nest lifecycle: the index starts feeding once the application is up, and stops before any
  // module's shutdown (the store closes in EventStoreModule's onApplicationShutdown).
  onApplicationBootstrap(): void {
    this.log.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.log.stop();
  }

  async state(accountId: string): Promise<{ state: BankAccountState; revision: bigint }> {
    const events = await readVerifiedStream(this.store, bankAccountStreamId(accountId));
    if (events.length === 0) throw BankAccountErrors.accountNotFound(accountId);
    return { state: foldStored(bankAccountDecider, events), revision: events[events.length - 1].revision };
  }

  /** The accounts that serve `projectId`, in the order they were recorded. */
  async accountsServing(projectId: string): Promise<readonly string[]> {
    await this.log.caughtUp();
    return this.servedBy.get(projectId) ?? [];
  }

  /** Records an account this process has just written, ahead of the subscription (which then finds it known). */
  noteOpened(accountId: string, projectIds: readonly string[]): void {
    if (this.projectsOf.has(accountId)) return;
    this.projectsOf.set(accountId, projectIds);
    for (const projectId of projectIds) {
      const accounts = this.servedBy.get(projectId);
      if (accounts) accounts.push(accountId);
      else this.servedBy.set(projectId, [accountId]);
    }
  }

  async list(role: Role) {
    await this.log.caughtUp();
    const views = [];
    for (const id of [...this.projectsOf.keys()].sort()) views.push(accountView((await this.state(id)).state, role));
    return views;
  }

  async account(accountId: string, role: Role) {
    const { state, revision } = await this.state(accountId);
    return { ...accountView(state, role), revision: Number(revision) };
  }

  /**
   * The receipts and payments of the account's projects, each net of its reversals (one fully
   * reversed is left out), with its counterparty as `view` may see it. Treasury direct payments
   * are not among them: the treasury pays the payee, and the money never passes through the account.
   */
  async ledgerItems(projectIds: readonly string[], view: PersonalDataView): Promise<Shown[]> {
    const items: Shown[] = [];
    for (const projectId of projectIds) {
      const ledger = await this.ledgerOf(projectId);
      for (const [entryId, { type, data }] of ledger.booked) {
        const item = itemOf(ledger, projectId, entryId);
        if (item === null) continue;
        const masked = maskPersonalData(type, data, view) as { payer?: string; payee?: string };
        items.push({ item, shown: (item.kind === 'receipt' ? masked.payer : masked.payee) ?? MASKED });
      }
    }
    return items;
  }

  /**
   * Where a receipt's reference (or a payment's voucher) is already held on a bank account that
   * serves `projectId`: the account, and the entry of one of its projects (not fully reversed).
   */
  async referenceHolder(projectId: string, kind: LedgerItem['kind'], reference: string) {
    for (const accountId of await this.accountsServing(projectId)) {
      for (const servedId of this.projectsOf.get(accountId) ?? []) {
        const ledger = await this.ledgerOf(servedId);
        for (const entryId of ledger.byReference.get(`${kind}|${reference}`) ?? []) {
          const item = itemOf(ledger, servedId, entryId);
          if (item !== null) return { accountId, ...item };
        }
      }
    }
    return undefined;
  }

  /**
   * A project's stream folded to its head. Only the events after the last fold are read, each
   * verified against the hash of the one before, as the write path verifies what it folds; the
   * fold is brought forward in place, and an event another read folded meanwhile is not folded again.
   */
  private async ledgerOf(projectId: string): Promise<FoldedLedger> {
    const streamId = projectStreamId(projectId);
    const broken = brokenStreamsOf(this.store);
    broken.refuseBroken(streamId);
    let ledger = this.ledgers.get(projectId) ?? emptyLedger();
    const read = await this.store.readStream(streamId, ledger.revision + 1n);
    // A read that ran beside this one may have folded further (the cache's entry, or a fresh one after a drop).
    const current = this.ledgers.get(projectId);
    if (current !== undefined && current.revision > ledger.revision) ledger = current;
    for (const stored of read) {
      if (stored.revision <= ledger.revision) continue;
      verifyStored(broken, stored, ledger.revision, ledger.hash, 'read');
      const e = projectEvents.parse(stored);
      ledger.state = projectDecider.evolve(ledger.state, e);
      if (e.type === ProjectEventType.received) book(ledger, e.data.receiptId, 'receipt', e.data.reference, e);
      else if (e.type === ProjectEventType.disbursed) book(ledger, e.data.paymentId, 'payment', e.data.voucher, e);
      ledger.revision = stored.revision;
      ledger.hash = stored.metadata.hash as string;
    }
    this.ledgers.set(projectId, ledger);
    return ledger;
  }

  async reconciliation(accountId: string, month: string, view: PersonalDataView) {
    const { state } = await this.state(accountId);
    const rule = ruleInForce<MatchWindowSettings>(RECONCILIATION_FAMILIES.matchWindow, monthEnd(month));
    const shown = await this.ledgerItems(state.projectIds, view);
    const result = reconcile({
      month,
      lines: [...state.lines.values()],
      entries: shown.map((s) => s.item),
      decisions: [...state.matches.values()],
      windowDays: rule.settings.days,
    });
    return { accountId, rule: ruleReference(rule), ...maskedReconciliation(result, shown, view) };
  }

  /** An event of $all: a bank-account-opened one indexed (only those are parsed). */
  private take(stored: RecordedEvent): void {
    if (stored.type !== BankAccountEventType.opened) return;
    const e = bankAccountEvents.parse(stored);
    assert(e.type === BankAccountEventType.opened, `${stored.type} is read as itself`);
    this.noteOpened(e.data.accountId, e.data.projectIds);
  }
}

function emptyLedger(): FoldedLedger {
  return {
    revision: -1n,
    hash: GENESIS_HASH,
    state: projectDecider.initialState(),
    booked: new Map(),
    byReference: new Map(),
  };
}

function book(
  ledger: FoldedLedger,
  entryId: string,
  kind: LedgerItem['kind'],
  reference: string,
  e: Booked & { type: typeof ProjectEventType.received | typeof ProjectEventType.disbursed },
): void {
  ledger.booked.set(entryId, { type: e.type, data: e.data });
  const key = `${kind}|${reference}`;
  const entries = ledger.byReference.get(key);
  if (entries) entries.push(entryId);
  else ledger.byReference.set(key, [entryId]);
}

/** A booked receipt or payment as the reconciliation reads it, net of its reversals; null when fully reversed. */
function itemOf(ledger: FoldedLedger, projectId: string, entryId: string): LedgerItem | null {
  const booked = ledger.booked.get(entryId);
  const entry = ledger.state.entries.get(entryId);
  if (booked === undefined || entry === undefined || entry.amountFen - entry.reversedFen <= 0n) return null;
  const { data } = booked;
  const receipt = 'receiptId' in data;
  // A contribution in kind moves no money: no bank statement holds it, so it is no bank entry.
  if (receipt && isInKind(data.source, data.details)) return null;
  return {
    projectId,
    entryId,
    kind: receipt ? 'receipt' : 'payment',
    amount: formatFen(entry.amountFen - entry.reversedFen),
    date: receipt ? data.receivedOn : data.paidOn,
    reference: receipt ? data.reference : data.voucher,
    counterparty: receipt ? data.payer : data.payee,
  };
}

function accountView(s: BankAccountState, role: Role) {
  return {
    accountId: s.accountId,
    name: s.name,
    bank: s.bank,
    accountNo: ACCOUNT_NUMBER_ROLES.includes(role) ? s.accountNo : maskedAccountNo(s.accountNo),
    projectIds: [...s.projectIds],
    lineCount: s.lines.size,
    balance: s.last ? formatFen(s.last.balanceFen) : null,
    balanceOn: s.last?.date ?? null,
    matchDecisions: s.matches.size,
  };
}

/** A statement line as `view` may see it: its counterparty, their account and its memo are personal data (personal-fields.ts). */
export function lineView(line: StatementLine, view: PersonalDataView): StatementLine {
  return view === 'masked' ? { ...line, counterparty: MASKED, counterpartyAccount: MASKED, memo: MASKED } : line;
}

function maskedReconciliation(r: Reconciliation, shown: readonly Shown[], view: PersonalDataView): Reconciliation {
  const byKey = new Map(shown.map((s) => [`${s.item.projectId}/${s.item.entryId}`, s.shown]));
  const entry = (e: LedgerItem): LedgerItem => ({
    ...e,
    counterparty: byKey.get(`${e.projectId}/${e.entryId}`) ?? MASKED,
  });
  const group = (g: Reconciliation['matched'][number]) => ({
    ...g,
    lines: g.lines.map((l) => lineView(l, view)),
    entries: g.entries.map(entry),
  });
  return {
    ...r,
    matched: r.matched.map(group),
    statementOnly: r.statementOnly.map((l) => lineView(l, view)),
    ledgerOnly: r.ledgerOnly.map(entry),
    amountMismatch: r.amountMismatch.map(group),
  };
}
