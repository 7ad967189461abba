/**
 * Fund batches as the finance bureau reconciles them (domain.md §6, 指标台账): each batch's amount,
 * what it allocated to projects, what those projects received and paid on its allocations, and the
 * money idle on them (RF-14), per batch and per allocation.
 */
import { groupBy } from '../shared/group-by';
import type Database from 'better-sqlite3';
import { BoundsUsed } from '../audit/time-bounds';
import { EntryFigure, FIGURES_OF_ENTRY, LedgerEntryKind } from '../project/project.events';
import { assertNever } from '../shared/domain/domain-error';
import { Fen, fenOfStored, formatFen, sumFen } from '../shared/money/money';
import {
  AllocationFlow,
  AllocationRecord,
  AnyFlowKind,
  BatchFilter,
  FundBatchRecord,
  readAllocationFlows,
  readAllocations,
  readFundBatches,
} from '../../projections/source-ledger/source-ledger.query';
import { readProjectList } from '../../projections/project-list/project-list.projection';
import {
  AllocationReceiptFlow,
  IdleMoney,
  combineIdleMoney,
  idleMoney,
  undrawnFlows,
  unallocatedFlows,
} from './idle-money';

/** The flows that draw on an allocation: receipts and treasury payments, and their reversals. */
const RECEIPT_FLOWS: ReadonlySet<string> = new Set<AllocationReceiptFlow['kind']>([
  'receipt',
  'receipt-reversal',
  'treasury-payment',
  'treasury-payment-reversal',
]);
import { IndicatorRates, indicatorRates, progressOf, sourceLabels, timeProgress } from './ledger-figures';

export interface FundBatchData {
  batches: FundBatchRecord[];
  allocations: AllocationRecord[];
  flows: AllocationFlow[];
  projectNames: Map<string, string>;
}

export function readFundBatchData(db: Database.Database, filter: BatchFilter): FundBatchData {
  return {
    batches: readFundBatches(db, filter),
    allocations: readAllocations(db, filter),
    flows: readAllocationFlows(db, filter),
    projectNames: new Map(readProjectList(db).map((p) => [p.projectId, p.name])),
  };
}

/**
 * Idle money (RF-14) `idleDays` or more at the reference date, of its three kinds; the red flags
 * judge by the same functions (idle-money.ts).
 */
export interface IdleView {
  /** True when some money is idle. */
  idle: boolean;
  /** idleReceived + idleNotReceived + idleUnallocated */
  idleAmount: string;
  /** Received and unpaid `idleDays` or more. */
  idleReceived: string;
  /** Allocated and not received `idleDays` or more: each allocation's undrawn remainder, aged from its date (undrawnFlows). */
  idleNotReceived: string;
  /** A batch's money issued `idleDays` or more ago and still not allocated (an allocation's is 0.00). */
  idleUnallocated: string;
  /** Received and not yet paid at the reference date. */
  unpaid: string;
  oldestUnpaidOn: string | null;
  oldestUnpaidAgeDays: number | null;
}

interface MoneyView {
  received: string;
  disbursed: string;
  /** received − disbursed */
  available: string;
  /** 到位资金支付率: disbursed ÷ received, percent with two decimals; null when nothing was received. */
  progress: string | null;
}

export interface AllocationView extends MoneyView, IdleView {
  allocationId: string;
  projectId: string;
  projectName: string | null;
  allocatedOn: string;
  /** As the batch records it, net of reversals. */
  allocated: string;
  /** As the project records it (its copy), net of releases: less than `allocated` while the record is pending. */
  recorded: string;
  /** allocated − received */
  undrawn: string;
  /** The dated receipts, payments and reversals on the allocation, oldest first. */
  flows: { kind: string; id: string; entryId?: string; on: string; amount: string }[];
}

export interface BatchView extends MoneyView, IdleView, IndicatorRates {
  batchId: string;
  source: string;
  labelZh: string;
  program: string | null;
  docNo: string;
  fiscalYear: number;
  issuedOn: string;
  amount: string;
  allocated: string;
  /** amount − allocated */
  unallocated: string;
  recorded: string;
  allocationCount: number;
  /** 序时进度: the share of the batch's fiscal year elapsed at the reference date, percent. */
  timeProgress: string;
}

export interface BatchDetail extends BatchView {
  allocations: AllocationView[];
}

/** Each batch with its allocations, idle money aged at `referenceDate` with `idleDays`. */
export function batchDetails(data: FundBatchData, referenceDate: string, idleDays: number): BatchDetail[] {
  const flowsOf = groupBy(data.flows, (f) => `${f.batchId}\u0000${f.allocationId}`);
  const allocationsOf = groupBy(data.allocations, (a) => a.batchId);
  return data.batches.map((b) => {
    const allocations = (allocationsOf.get(b.batchId) ?? []).map((a) => {
      const flows = flowsOf.get(`${a.batchId}\u0000${a.allocationId}`) ?? [];
      // The allocation net of its reversals, from its date (as for unallocated money below).
      const undrawn = undrawnFlows(
        [{ kind: 'allocated', allocationId: a.allocationId, onDate: a.allocatedOn, amountFen: a.allocatedFen }],
        flows.filter((f): f is AllocationFlow & AllocationReceiptFlow => RECEIPT_FLOWS.has(f.kind)),
      );
      return {
        record: a,
        flows,
        money: flowMoney(flows),
        idle: idleMoney(flows, referenceDate, idleDays),
        notReceivedFen: idleMoney(undrawn, referenceDate, idleDays).idleFen,
      };
    });
    // The allocations net of their reversals (the report reads no reversal's date): the same
    // aging, since a reversal counts as never allocated for its part (unallocatedFlows), and the
    // read holds only reversals dated by the reference date (asOf cuts the log there; else today).
    const unallocated = idleMoney(
      unallocatedFlows(
        b,
        allocations.map(({ record: a }) => ({
          kind: 'allocated' as const,
          allocationId: a.allocationId,
          onDate: a.allocatedOn,
          amountFen: a.allocatedFen,
        })),
      ),
      referenceDate,
      idleDays,
    );
    const sum = (f: (x: (typeof allocations)[number]) => Fen) => sumFen(allocations.map(f));
    const allocatedFen = sum((x) => x.record.allocatedFen);
    const receivedFen = sum((x) => x.money.receivedFen);
    const disbursedFen = sum((x) => x.money.disbursedFen);
    return {
      batchId: b.batchId,
      source: b.source,
      labelZh: sourceLabels(b.source).labelZh,
      program: b.program,
      docNo: b.docNo,
      fiscalYear: b.fiscalYear,
      issuedOn: b.issuedOn,
      amount: formatFen(b.amountFen),
      allocated: formatFen(allocatedFen),
      unallocated: formatFen(b.amountFen - allocatedFen),
      recorded: formatFen(sum((x) => x.record.recordedFen)),
      allocationCount: allocations.filter((x) => x.record.allocatedFen !== 0n).length,
      ...moneyView(receivedFen, disbursedFen),
      ...batchRates(b.amountFen, allocatedFen, receivedFen, disbursedFen),
      timeProgress: timeProgress(b.fiscalYear, referenceDate),
      ...idleView(
        combineIdleMoney(
          allocations.map((x) => x.idle),
          referenceDate,
        ),
        sum((x) => x.notReceivedFen),
        unallocated.idleFen,
      ),
      allocations: allocations.map(({ record: a, flows, money, idle, notReceivedFen }) => ({
        allocationId: a.allocationId,
        projectId: a.projectId,
        projectName: data.projectNames.get(a.projectId) ?? null,
        allocatedOn: a.allocatedOn,
        allocated: formatFen(a.allocatedFen),
        recorded: formatFen(a.recordedFen),
        undrawn: formatFen(a.allocatedFen - money.receivedFen),
        ...moneyView(money.receivedFen, money.disbursedFen),
        ...idleView(idle, notReceivedFen, 0n),
        flows: flows.map((f) => ({
          kind: f.kind,
          id: f.flowId,
          ...(f.entryId !== f.flowId ? { entryId: f.entryId } : {}),
          on: f.onDate,
          amount: formatFen(f.amountFen),
        })),
      })),
    };
  });
}

export interface BatchListTotals extends IndicatorRates {
  amount: string;
  allocated: string;
  unallocated: string;
  received: string;
  disbursed: string;
  available: string;
  idleAmount: string;
  idleReceived: string;
  idleNotReceived: string;
  idleUnallocated: string;
  idleBatches: number;
}

export interface BatchListReport {
  fiscalYear: number | null;
  source: string | null;
  bounds: BoundsUsed;
  /** The date idle money is aged at: `asOf`, else today. */
  referenceDate: string;
  idleDays: number;
  batches: BatchView[];
  totals: BatchListTotals;
}

/** The list's totals without the list (GET /api/fund-batches?view=totals, batch-totals.ts). */
export type BatchTotalsReport = Omit<BatchListReport, 'batches'>;

/** The list: each batch without its allocations, and the totals over the list. */
export function batchList(details: readonly BatchDetail[]): { batches: BatchView[]; totals: BatchListTotals } {
  const batches = details.map(batchViewOf);
  return { batches, totals: batchListTotals(batches) };
}

/** A batch without its allocations, as the list shows it. */
export function batchViewOf({ allocations: _allocations, ...view }: BatchDetail): BatchView {
  return view;
}

/** The figures of a listed batch that its list's totals add up. */
const SUMMED = [
  'amount',
  'allocated',
  'unallocated',
  'received',
  'disbursed',
  'available',
  'idleAmount',
  'idleReceived',
  'idleNotReceived',
  'idleUnallocated',
] as const;

/** What a batch adds to its list's totals: its summed figures in fen, and whether it holds idle money. */
export interface BatchSummands {
  fen: Record<(typeof SUMMED)[number], Fen>;
  idle: boolean;
}

export function batchSummands(b: BatchView): BatchSummands {
  const fen = {} as BatchSummands['fen'];
  for (const key of SUMMED) fen[key] = fenOfStored(b[key]);
  return { fen, idle: b.idle };
}

/** The totals over the listed batches. */
export function batchListTotals(batches: readonly BatchView[]): BatchListTotals {
  return totalsOfSummands(batches.map(batchSummands));
}

/** The totals over the listed batches, from what each adds (batch-totals.ts keeps them per batch). */
export function totalsOfSummands(batches: readonly BatchSummands[]): BatchListTotals {
  const fen = Object.fromEntries(SUMMED.map((key) => [key, 0n])) as BatchSummands['fen'];
  for (const b of batches) for (const key of SUMMED) fen[key] += b.fen[key];
  const totals = Object.fromEntries(SUMMED.map((key) => [key, formatFen(fen[key])])) as Record<
    (typeof SUMMED)[number],
    string
  >;
  return {
    ...totals,
    idleBatches: batches.filter((b) => b.idle).length,
    // The totals' own rates (an average of percents means nothing).
    ...batchRates(fen.amount, fen.allocated, fen.received, fen.disbursed),
  };
}

/**
 * Received and disbursed on an allocation, net of reversals (every flow, whatever its date); the
 * sources report signs its sums of flows per source and kind by it too (issuedMoney).
 */
export function flowMoney(flows: readonly Pick<AllocationFlow, 'kind' | 'amountFen'>[]): {
  receivedFen: Fen;
  disbursedFen: Fen;
} {
  const totals: Record<EntryFigure, Fen> = { pledged: 0n, received: 0n, disbursed: 0n };
  for (const f of flows) {
    const { kind, sign } = entryOfFlow(f.kind);
    for (const figure of FIGURES_OF_ENTRY[kind]) totals[figure] += sign * f.amountFen;
  }
  return { receivedFen: totals.received, disbursedFen: totals.disbursed };
}

/** The kind of entry a flow books, and whether it adds (1) or, a reversal, takes back (−1). */
function entryOfFlow(kind: AnyFlowKind): { kind: LedgerEntryKind; sign: 1n | -1n } {
  switch (kind) {
    case 'receipt':
      return { kind: 'receipt', sign: 1n };
    case 'receipt-reversal':
      return { kind: 'receipt', sign: -1n };
    case 'payment':
      return { kind: 'payment', sign: 1n };
    case 'payment-reversal':
      return { kind: 'payment', sign: -1n };
    case 'treasury-payment':
      return { kind: 'treasury_payment', sign: 1n };
    case 'treasury-payment-reversal':
      return { kind: 'treasury_payment', sign: -1n };
    default:
      return assertNever(kind, 'flow kind');
  }
}

/** A batch's indicator: its amount issued; the plan of what should arrive is what it allocated. */
function batchRates(issuedFen: Fen, allocatedFen: Fen, receivedFen: Fen, disbursedFen: Fen): IndicatorRates {
  return indicatorRates({ issuedFen, allocatedFen, plannedFen: allocatedFen, receivedFen, disbursedFen });
}

function moneyView(receivedFen: Fen, disbursedFen: Fen): MoneyView {
  return {
    received: formatFen(receivedFen),
    disbursed: formatFen(disbursedFen),
    available: formatFen(receivedFen - disbursedFen),
    progress: progressOf(disbursedFen, receivedFen),
  };
}

function idleView(m: IdleMoney, notReceivedFen: Fen, unallocatedFen: Fen): IdleView {
  const idleFen = m.idleFen + notReceivedFen + unallocatedFen;
  return {
    idle: idleFen > 0n,
    idleAmount: formatFen(idleFen),
    idleReceived: formatFen(m.idleFen),
    idleNotReceived: formatFen(notReceivedFen),
    idleUnallocated: formatFen(unallocatedFen),
    unpaid: formatFen(m.unpaidFen),
    oldestUnpaidOn: m.oldestUnpaidOn,
    oldestUnpaidAgeDays: m.oldestUnpaidAgeDays,
  };
}
