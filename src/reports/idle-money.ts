/**
 * Idle money (domain.md RF-14), as of a reference date, `idleDays` (default 365, the audit
 * yardstick) or more: money received on a fund-batch allocation and still unpaid; a batch's money
 * issued and not allocated to a project (aged the same way: `unallocatedFlows`); an allocation's
 * money allocated and not received, what remains of it undrawn (the same way again:
 * `undrawnFlows`). The red flags (src/red-flags/time-flags.ts) and the fund-batch report both
 * judge by these functions, so the two never disagree.
 *
 * Money is aged first in, first out: a payment spends the oldest unpaid receipts first. A receipt
 * reversed (money sent back up) takes back the newest unpaid money, which keeps the oldest money
 * in view. A payment reversed counts as never made, for the part reversed: the money it took is
 * unpaid again, from the receipts it was paid from. A payment's reversal undone is a payment again
 * on the undo's date (a booking of its own, which an undo of that undo nets against); so a later
 * reversal of the entry can take back more than the entry's own booking: the rest is what the
 * undos paid again, netted against them, newest first, within the entry's chain (`rootId`). Only
 * what happened on or before the reference date counts. A treasury direct payment is received and paid the same day: it is never unpaid,
 * and neither is its reversal. All in fen; nothing here is a JS number but day counts.
 */
import { addDays } from '../policy/rest-days';
import { assert, assertNever } from '../shared/domain/domain-error';
import { Fen } from '../shared/money/money';
import { AllocationFlow } from '../../projections/source-ledger/source-ledger.query';
import { Interval, intervalsWhere } from '../../projections/red-flags/red-flag-timeline';

export const DEFAULT_IDLE_DAYS = 365;

export type IdleFlow = Pick<AllocationFlow, 'kind' | 'flowId' | 'entryId' | 'onDate' | 'amountFen'> & {
  /**
   * The entry at the root of the flow's chain of reversals, when it is not `entryId`: an undo of a
   * reversal is a booking of its own (its `entryId` is itself; an undo of it nets against it), yet
   * it gives back to the root entry, whose later reversals may take it back. Absent: `entryId`.
   */
  rootId?: string;
};

export interface IdleMoney {
  /** Received and not yet paid, as of the reference date. */
  unpaidFen: Fen;
  /** The part of it received `idleDays` or more before the reference date. */
  idleFen: Fen;
  /** The oldest receipt still (partly) unpaid, and its age in days at the reference date. */
  oldestUnpaidOn: string | null;
  oldestUnpaidAgeDays: number | null;
}

interface Lot {
  onDate: string;
  fen: Fen;
}

const DAY_MS = 86_400_000;

/** An allocation out of a batch, or a reversal of part of it, as the batch records it. */
export interface BatchAllocationFlow {
  kind: 'allocated' | 'allocation-reversed';
  allocationId: string;
  onDate: string;
  amountFen: Fen;
}

/**
 * A batch's money as idle money ages it while it is not allocated: its amount arrives on its issue
 * date, each allocation spends some of it (oldest first), and a reversal of an allocation counts,
 * for its part, as never allocated (netted into that allocation, as a payment reversal is).
 */
export function unallocatedFlows(
  batch: { batchId: string; issuedOn: string; amountFen: Fen },
  allocations: readonly BatchAllocationFlow[],
): IdleFlow[] {
  const issued: IdleFlow = {
    kind: 'receipt',
    flowId: batch.batchId,
    entryId: batch.batchId,
    onDate: batch.issuedOn,
    amountFen: batch.amountFen,
  };
  const spent = allocations.map((a, i): IdleFlow => ({
    kind: a.kind === 'allocated' ? 'payment' : 'payment-reversal',
    flowId: a.kind === 'allocated' ? `allocation:${a.allocationId}` : `reversal:${a.allocationId}:${i}`,
    entryId: `allocation:${a.allocationId}`,
    onDate: a.onDate,
    amountFen: a.amountFen,
  }));
  // Stable: on one day the issue comes before the allocations, which keep their recorded order.
  return [issued, ...spent].sort((a, b) => (a.onDate < b.onDate ? -1 : a.onDate > b.onDate ? 1 : 0));
}

/** A receipt on an allocation (a treasury payment is one too), or its reversal, as the source ledger dates it. */
export type AllocationReceiptFlow = Pick<IdleFlow, 'flowId' | 'entryId' | 'rootId' | 'onDate' | 'amountFen'> & {
  kind: 'receipt' | 'receipt-reversal' | 'treasury-payment' | 'treasury-payment-reversal';
};

/**
 * An allocation's money as idle money ages it while it is not received: "allocated and never
 * received" read as a finance officer reads it (issue 18), the undrawn remainder of each
 * allocation, allocated − released − received. Each allocation arrives on its date, each receipt
 * draws the oldest allocated money first, an allocation given back (released, then reversed in its
 * batch) takes the newest, and a receipt sent back counts as never received for its part, as a
 * reversed payment counts as never paid: its money is undrawn again, from the allocation's date.
 * No policy text dates the wait from a later receipt (domain.md RF-14 and the seed set no such
 * rule), so the remainder ages from when it was allocated, as received money ages from its receipt.
 */
export function undrawnFlows(
  allocations: readonly BatchAllocationFlow[],
  receipts: readonly AllocationReceiptFlow[],
): IdleFlow[] {
  const allocated = allocations.map((a, i): IdleFlow => ({
    kind: a.kind === 'allocated' ? 'receipt' : 'receipt-reversal',
    flowId: `allocation:${a.allocationId}:${i}`,
    entryId: `allocation:${a.allocationId}`,
    onDate: a.onDate,
    amountFen: a.amountFen,
  }));
  const drawn = receipts.map((r): IdleFlow => ({
    kind: r.kind === 'receipt' || r.kind === 'treasury-payment' ? 'payment' : 'payment-reversal',
    flowId: r.flowId,
    entryId: r.entryId,
    ...(r.rootId === undefined ? {} : { rootId: r.rootId }),
    onDate: r.onDate,
    amountFen: r.amountFen,
  }));
  // Stable: on one day the allocation comes before the receipts, which keep their recorded order.
  return [...allocated, ...drawn].sort((a, b) => (a.onDate < b.onDate ? -1 : a.onDate > b.onDate ? 1 : 0));
}

/** Whole days from `from` to `to`, both YYYY-MM-DD (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/**
 * Ages one allocation's flows, given oldest first (by business date, then as recorded), at
 * `referenceDate`. Flows dated after it are left out.
 */
export function idleMoney(
  flows: readonly IdleFlow[],
  referenceDate: string,
  idleDays: number = DEFAULT_IDLE_DAYS,
): IdleMoney {
  assert(Number.isInteger(idleDays) && idleDays >= 0, 'idleDays is a whole number of days');
  const known = flows.filter((f) => f.onDate <= referenceDate);
  for (let i = 1; i < known.length; i++) assert(known[i - 1].onDate <= known[i].onDate, 'flows come oldest first');
  const paidFen = netPayments(known);
  const lots: Lot[] = [];
  // Spent before it arrived (a receipt recorded with a later business date than its payment):
  // the next receipts settle it first.
  let owedFen = 0n;
  for (const f of known) {
    switch (f.kind) {
      case 'receipt': {
        const settled = f.amountFen < owedFen ? f.amountFen : owedFen;
        owedFen -= settled;
        if (f.amountFen > settled) lots.push({ onDate: f.onDate, fen: f.amountFen - settled });
        break;
      }
      case 'payment':
        owedFen += take(lots, paidFen.get(f.flowId) ?? 0n, 'oldest');
        break;
      case 'receipt-reversal':
        owedFen += take(lots, f.amountFen, 'newest');
        break;
      case 'payment-reversal':
        break; // netted into its payment above
      case 'treasury-payment':
      case 'treasury-payment-reversal':
        break; // received and paid (or taken back) at once: never unpaid
      default:
        return assertNever(f.kind, 'flow kind');
    }
  }
  return summary(lots, referenceDate, idleDays);
}

/**
 * What each payment keeps once the payment reversals are netted into the payments they name: a
 * reversal takes from the payment it names, and what it takes beyond it (a reversal of an entry
 * taking what an undo paid again) from the other payments of the same chain (`rootId`), newest
 * first. A chain's payments never keep less than nothing: what its reversals take beyond them all
 * (an undo dated after the reference date) is not counted.
 */
function netPayments(known: readonly IdleFlow[]): Map<string, Fen> {
  const kept = new Map<string, Fen>();
  const chainOf = (f: IdleFlow) => f.rootId ?? f.entryId;
  const payments = known.filter((f) => f.kind === 'payment');
  for (const f of payments) kept.set(f.flowId, (kept.get(f.flowId) ?? 0n) + f.amountFen);
  const beyond = new Map<string, Fen>();
  for (const f of known) {
    if (f.kind !== 'payment-reversal') continue;
    const left = kept.get(f.entryId) ?? 0n;
    const netted = left < f.amountFen ? left : f.amountFen;
    if (kept.has(f.entryId)) kept.set(f.entryId, left - netted);
    if (f.amountFen > netted) beyond.set(chainOf(f), (beyond.get(chainOf(f)) ?? 0n) + f.amountFen - netted);
  }
  for (let i = payments.length - 1; i >= 0 && beyond.size > 0; i--) {
    const p = payments[i];
    const chain = chainOf(p);
    const rest = beyond.get(chain);
    if (rest === undefined) continue;
    const left = kept.get(p.flowId) ?? 0n;
    const netted = left < rest ? left : rest;
    kept.set(p.flowId, left - netted);
    if (rest > netted) beyond.set(chain, rest - netted);
    else beyond.delete(chain);
  }
  return kept;
}

/** Takes `fen` out of the lots from one end; answers what could not be taken (nothing was left). */
function take(lots: Lot[], fen: Fen, end: 'oldest' | 'newest'): Fen {
  let left = fen;
  while (left > 0n && lots.length > 0) {
    const lot = end === 'oldest' ? lots[0] : lots[lots.length - 1];
    const used = lot.fen < left ? lot.fen : left;
    lot.fen -= used;
    left -= used;
    if (lot.fen === 0n) {
      if (end === 'oldest') lots.shift();
      else lots.pop();
    }
  }
  return left > 0n ? left : 0n;
}

function summary(lots: readonly Lot[], referenceDate: string, idleDays: number): IdleMoney {
  let unpaidFen = 0n;
  let idleFen = 0n;
  for (const lot of lots) {
    unpaidFen += lot.fen;
    if (daysBetween(lot.onDate, referenceDate) >= idleDays) idleFen += lot.fen;
  }
  const oldest = lots[0]?.onDate ?? null;
  return {
    unpaidFen,
    idleFen,
    oldestUnpaidOn: oldest,
    oldestUnpaidAgeDays: oldest === null ? null : daysBetween(oldest, referenceDate),
  };
}

/** A batch's idle money: the sum of its allocations' (each aged on its own), the oldest of their oldest. */
export function combineIdleMoney(parts: readonly IdleMoney[], referenceDate: string): IdleMoney {
  let unpaidFen = 0n;
  let idleFen = 0n;
  let oldest: string | null = null;
  for (const p of parts) {
    unpaidFen += p.unpaidFen;
    idleFen += p.idleFen;
    if (p.oldestUnpaidOn !== null && (oldest === null || p.oldestUnpaidOn < oldest)) oldest = p.oldestUnpaidOn;
  }
  return {
    unpaidFen,
    idleFen,
    oldestUnpaidOn: oldest,
    oldestUnpaidAgeDays: oldest === null ? null : daysBetween(oldest, referenceDate),
  };
}

/** A spell of idle money: when some of it first counted as idle, when none did again, and how much at most. */
export interface IdleSpell extends Interval {
  /** The most that was idle on one day of the spell (up to the reference date). */
  peakIdleFen: Fen;
  /** The oldest unpaid money's date when the spell began. */
  oldestUnpaidOn: string | null;
}

/**
 * When money was idle (some of it unpaid `idleDays` or more), up to `referenceDate`, as spells:
 * idleMoney as of every day that can change it, which is a flow's date (a payment ends idleness,
 * a receipt reversed takes money back) and a receipt's date plus `idleDays` (it turns idle).
 */
export function idleSpells(flows: readonly IdleFlow[], referenceDate: string, idleDays: number): IdleSpell[] {
  const days = flows.flatMap((f) => (f.kind === 'receipt' ? [f.onDate, addDays(f.onDate, idleDays)] : [f.onDate]));
  const at = new Map<string, IdleMoney>();
  const idleOn = (day: string) => {
    let m = at.get(day);
    if (!m) at.set(day, (m = idleMoney(flows, day, idleDays)));
    return m;
  };
  return intervalsWhere(days, (day) => idleOn(day).idleFen > 0n, referenceDate).map((spell) => {
    let peakIdleFen = 0n;
    for (const [day, m] of at)
      if (day >= spell.from && (spell.to === null || day < spell.to) && m.idleFen > peakIdleFen)
        peakIdleFen = m.idleFen;
    return { ...spell, peakIdleFen, oldestUnpaidOn: idleOn(spell.from).oldestUnpaidOn };
  });
}
