import { Inject, Injectable } from '@nestjs/common';
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
import { EVENT_STORE, EventStore } from '../../event-store/event-store.port';
import { readVerifiedStream } from '../../event-store/integrity';
import { MASKED, PersonalDataView, maskPersonalData } from '../../events/personal-fields';
import { ruleInForce } from '../../policy/policies';
import { ruleReference } from '../../policy/policy-rule';
import { MatchWindowSettings, RECONCILIATION_FAMILIES } from '../../policy/rules/reconciliation.rules';
import { ProjectState, projectDecider } from '../../project/project.decider';
import {
  FundsDisbursed,
  FundsReceived,
  ProjectEventType,
  projectEvents,
  projectStreamId,
} from '../../project/project.events';
import { foldStored } from '../../shared/domain/decider';
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

/** A project's receipts and payments as the ledger side reads them, kept folded to the stream's revision. */
interface FoldedLedger {
  revision: bigint;
  state: ProjectState;
  /** Each receipt and payment's event (type and data), by entry id, in the order booked. */
  booked: Map<string, { type: string; data: FundsReceived | FundsDisbursed }>;
}

/** Reads of bank accounts: straight from their streams, and the ledger side from the projects' streams. */
@Injectable()
export class BankAccountQueries {
  /** The accounts recorded and the projects each serves, found by reading the log forward from where the last read stopped. */
  private readonly projectsOf = new Map<string, readonly string[]>();
  private after = 0n;
  private readonly ledgers = new Map<string, FoldedLedger>();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async state(accountId: string): Promise<{ state: BankAccountState; revision: bigint }> {
    const events = await readVerifiedStream(this.store, bankAccountStreamId(accountId));
    if (events.length === 0) throw BankAccountErrors.accountNotFound(accountId);
    return { state: foldStored(bankAccountDecider, events), revision: events[events.length - 1].revision };
  }

  /** Every account recorded, with the projects it serves (an account's projects never change once recorded). */
  async accounts(): Promise<ReadonlyMap<string, readonly string[]>> {
    for (;;) {
      const page = await this.store.readAll({ after: this.after, limit: 1000 });
      if (page.length === 0) break;
      for (const e of page)
        if (e.type === BankAccountEventType.opened) {
          const opened = bankAccountEvents.parse(e);
          if (opened.type === BankAccountEventType.opened)
            this.projectsOf.set(opened.data.accountId, opened.data.projectIds);
        }
      this.after = page[page.length - 1].position;
    }
    return this.projectsOf;
  }

  async list(role: Role) {
    const views = [];
    for (const id of [...(await this.accounts()).keys()].sort())
      views.push(accountView((await this.state(id)).state, role));
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
      const { state, booked } = await this.ledgerOf(projectId);
      for (const [entryId, { type, data }] of booked) {
        const entry = state.entries.get(entryId);
        if (entry === undefined || entry.amountFen - entry.reversedFen <= 0n) continue;
        const receipt = 'receiptId' in data;
        const masked = maskPersonalData(type, data, view) as { payer?: string; payee?: string };
        items.push({
          item: {
            projectId,
            entryId,
            kind: receipt ? 'receipt' : 'payment',
            amount: formatFen(entry.amountFen - entry.reversedFen),
            date: receipt ? data.receivedOn : data.paidOn,
            reference: receipt ? data.reference : data.voucher,
            counterparty: receipt ? data.payer : data.payee,
          },
          shown: (receipt ? masked.payer : masked.payee) ?? MASKED,
        });
      }
    }
    return items;
  }

  /**
   * Where a receipt's reference (or a payment's voucher) is already held on a bank account that
   * serves `projectId`: the account, and the entry of one of its projects (not fully reversed).
   */
  async referenceHolder(projectId: string, kind: LedgerItem['kind'], reference: string) {
    for (const [accountId, projectIds] of await this.accounts()) {
      if (!projectIds.includes(projectId)) continue;
      const held = (await this.ledgerItems(projectIds, 'shown')).find(
        ({ item }) => item.kind === kind && item.reference === reference,
      );
      if (held) return { accountId, ...held.item };
    }
    return undefined;
  }

  /** A project's stream folded to its head, reading only the events since the last fold (verified as every read is). */
  private async ledgerOf(projectId: string): Promise<FoldedLedger> {
    const streamId = projectStreamId(projectId);
    const known = this.ledgers.get(projectId);
    const stored = await readVerifiedStream(this.store, streamId);
    // A store that holds less than was folded (a test's, started again): fold it afresh.
    if (known && stored.length <= Number(known.revision)) this.ledgers.delete(projectId);
    const from = this.ledgers.get(projectId) ?? {
      revision: -1n,
      state: projectDecider.initialState(),
      booked: new Map(),
    };
    const fresh = stored.slice(Number(from.revision) + 1);
    if (fresh.length === 0) return from;
    const booked = new Map(from.booked);
    for (const s of fresh) {
      const e = projectEvents.parse(s);
      if (e.type === ProjectEventType.received) booked.set(e.data.receiptId, { type: e.type, data: e.data });
      else if (e.type === ProjectEventType.disbursed) booked.set(e.data.paymentId, { type: e.type, data: e.data });
    }
    const folded = {
      revision: fresh[fresh.length - 1].revision,
      state: foldStored(projectDecider, fresh, from.state),
      booked,
    };
    this.ledgers.set(projectId, folded);
    return folded;
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

/** A statement line as `view` may see it: its counterparty and their account are personal data. */
export function lineView(line: StatementLine, view: PersonalDataView): StatementLine {
  return view === 'masked' ? { ...line, counterparty: MASKED, counterpartyAccount: MASKED } : line;
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
