import { Inject, Injectable } from '@nestjs/common';
import { monthEnd } from '../../bank-account/reconciliation';
import { EVENT_STORE, EventStore } from '../../event-store/event-store.port';
import { readVerifiedStream } from '../../event-store/integrity';
import { MASKED, PersonalDataView } from '../../events/personal-fields';
import { ruleInForce } from '../../policy/policies';
import { ruleReference } from '../../policy/policy-rule';
import { MatchWindowSettings, RECONCILIATION_FAMILIES } from '../../policy/rules/reconciliation.rules';
import { projectDecider } from '../../project/project.decider';
import { ProjectEventType, TreasuryPaymentMade, projectEvents, projectStreamId } from '../../project/project.events';
import { foldStored } from '../../shared/domain/decider';
import { formatFen } from '../../shared/money/money';
import { TreasuryFileState, treasuryFileDecider } from '../../treasury-file/treasury-file.decider';
import { TREASURY_STREAM, TreasuryFileLine } from '../../treasury-file/treasury-file.events';
import {
  TreasuryMatch,
  TreasuryPaymentItem,
  TreasuryReconciliation,
  reconcileTreasury,
} from '../../treasury-file/treasury-reconciliation';

/** How many events of $all one read of the index takes. */
const INDEX_PAGE = 1000;

/**
 * Reads of the treasury stream, and of the ledger's treasury direct payments across projects.
 * Which projects have treasury payments is an index of the log, brought forward to its head at
 * each read (only the events after the last read are read), so a reconciliation sees every
 * payment written before it was asked for; the payments themselves are read from the projects'
 * verified streams, net of their reversals.
 */
@Injectable()
export class TreasuryFileQueries {
  private readonly projectsPaid = new Set<string>();
  private indexedThrough = 0n;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async state(): Promise<{ state: TreasuryFileState; revision: bigint | null }> {
    const events = await readVerifiedStream(this.store, TREASURY_STREAM);
    return {
      state: foldStored(treasuryFileDecider, events),
      revision: events.length === 0 ? null : events[events.length - 1].revision,
    };
  }

  async summary(view: PersonalDataView) {
    const { state, revision } = await this.state();
    const lines = [...state.lines.values()];
    return {
      lineCount: lines.length,
      revision: revision === null ? null : Number(revision),
      lines: lines.map((l) => lineView(l, view)),
    };
  }

  /** Every treasury direct payment the ledger holds, net of its reversals (one fully reversed is left out). */
  async treasuryPayments(): Promise<TreasuryPaymentItem[]> {
    await this.index();
    const items: TreasuryPaymentItem[] = [];
    for (const projectId of [...this.projectsPaid].sort()) {
      const events = await readVerifiedStream(this.store, projectStreamId(projectId));
      const state = foldStored(projectDecider, events);
      for (const stored of events) {
        if (stored.type !== ProjectEventType.treasuryPaid) continue;
        const e = projectEvents.parse(stored);
        if (e.type !== ProjectEventType.treasuryPaid) continue;
        const item = itemOf(e.data, state.entries.get(e.data.paymentId), state.allocations.get(e.data.allocationId));
        if (item !== null) items.push(item);
      }
    }
    return items;
  }

  async reconciliation(month: string, view: PersonalDataView) {
    const { state } = await this.state();
    const rule = ruleInForce<MatchWindowSettings>(RECONCILIATION_FAMILIES.matchWindow, monthEnd(month));
    const result = reconcileTreasury({
      month,
      lines: [...state.lines.values()],
      payments: await this.treasuryPayments(),
      decisions: [...state.matches.values()],
      windowDays: rule.settings.days,
    });
    return { rule: ruleReference(rule), ...maskedReconciliation(result, view) };
  }

  /** The index brought to the log's head: the projects of every treasury-payment-made.v1 after the last read. */
  private async index(): Promise<void> {
    for (;;) {
      const page = await this.store.readAll({ after: this.indexedThrough, limit: INDEX_PAGE });
      if (page.length === 0) return;
      for (const stored of page)
        if (stored.type === ProjectEventType.treasuryPaid)
          this.projectsPaid.add(stored.streamId.slice(projectStreamId('').length));
      const last = page[page.length - 1].position;
      // Two reads may index side by side: the index only moves forward.
      if (last > this.indexedThrough) this.indexedThrough = last;
    }
  }
}

function itemOf(
  data: TreasuryPaymentMade,
  entry: { amountFen: bigint; reversedFen: bigint } | undefined,
  allocation: { docNo: string } | undefined,
): TreasuryPaymentItem | null {
  if (entry === undefined || entry.amountFen - entry.reversedFen <= 0n) return null;
  return {
    projectId: data.projectId,
    paymentId: data.paymentId,
    allocationId: data.allocationId,
    batchId: data.batchId,
    amount: formatFen(entry.amountFen - entry.reversedFen),
    paidOn: data.paidOn,
    voucher: data.voucher,
    payee: data.payee,
    docNo: allocation?.docNo ?? '',
  };
}

/** A file line as `view` may see it: its payee is personal data, as a statement line's counterparty is. */
export function lineView(line: TreasuryFileLine, view: PersonalDataView): TreasuryFileLine {
  return view === 'masked' ? { ...line, payee: MASKED } : line;
}

function paymentView(p: TreasuryPaymentItem, view: PersonalDataView): TreasuryPaymentItem {
  return view === 'masked' ? { ...p, payee: MASKED } : p;
}

function maskedReconciliation(r: TreasuryReconciliation, view: PersonalDataView): TreasuryReconciliation {
  const match = (m: TreasuryMatch): TreasuryMatch => ({
    ...m,
    lines: m.lines.map((l) => lineView(l, view)),
    payments: m.payments.map((p) => paymentView(p, view)),
  });
  return {
    ...r,
    matched: r.matched.map(match),
    fileOnly: r.fileOnly.map((l) => lineView(l, view)),
    ledgerOnly: r.ledgerOnly.map((p) => paymentView(p, view)),
    amountMismatch: r.amountMismatch.map(match),
    docNoMismatch: r.docNoMismatch.map(match),
  };
}
