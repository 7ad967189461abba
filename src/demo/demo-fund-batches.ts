/**
 * The demo district's fund batches (domain.md §6): the indicator documents the district received
 * (central fiscal subsidy 渝财建, central budget investment 渝发改投资, municipal special funds by
 * programme, the district's own matching budget 潼南财, a special-bond tranche), their allocation
 * to projects (指标分配), and which receipts draw on and which payments spend each allocation.
 *
 * Planned after the projects, from what their batch-source contributions pledged, received and
 * paid (ContributionDraw), with a generator of its own, so the projects' own draws are the same
 * with or without batches. The batches name allocations on the receipts and payments that exist,
 * and add: the batches and their allocations, and a reallocation; in 2023, carried-over receipts and
 * settlement payments that leave exactly one batch with idle money (see planSettlements); and then
 * allocations drawn in full: an older allocation is what its project draws on it, to the fen, and
 * what it has not drawn at a year end is carried over (see drawInFull). Pure and deterministic like
 * the rest of the demo.
 *
 * What keeps every request acceptable (the fund-batch and project deciders):
 * - an allocation is at least the pledges it stands for, or (drawInFull) the most its receipts
 *   ever hold, and a receipt never exceeds its pledge, so receipts never exceed the allocation; a
 *   contribution's payments come after its receipts and never exceed them, so payments on an
 *   allocation (on a chain of carry-overs: the oldest that received enough) never exceed what was
 *   received on it;
 * - a batch is its first allocations (plus an unallocated margin in the last year); the reallocation gives back
 *   (part of) an allocation that receipts did not draw, then allocates that much elsewhere;
 * - a batch is issued before its first allocation, an allocation is made before its first
 *   receipt, and an allocation's reversal comes after the allocation (by date and as sent);
 * - a carry-over gives back what is undrawn on 31 December, after everything dated that day, and
 *   is allocated again that day, after the reversal;
 * - each allocation is sent, in its project's requests, before the first one dated after it and
 *   before any receipt drawing on it; batches are issued before every project.
 */
import type { IssueFundBatch } from '../fund-batch/fund-batch.commands';
import { DEFAULT_IDLE_DAYS, idleMoney } from '../reports/idle-money';
import { fenOfStored, formatFen } from '../shared/money/money';
import type { DemoRequest } from './demo-units';
import {
  LAST,
  VOUCHER_PENDING,
  WAN_YUAN,
  YUAN as YUAN_FEN,
  ceilTo,
  dayOf,
  floorTo,
  isoOf,
  percentOf,
  yearOf,
} from './demo-units';
import { SeededRandom } from './seeded-random';

/** One contribution from a batch source, as the project's requests made it (bodies by reference). */
export interface ContributionDraw {
  projectId: string;
  source: string;
  program?: string;
  pledge?: { body: Record<string, unknown>; amountFen: bigint; day: number };
  /** The pledge cut later (市级专项资金下达额度调减): less of the allocation is drawn (it is not given back to the batch). */
  pledgeCut?: { amountFen: bigint; day: number; reason: string };
  receipts: Record<string, unknown>[];
  payments: Record<string, unknown>[];
  /** The lines it pays for, each with what it was allotted there: no line is paid more than its allotment. */
  lines: { lineId: string; amountFen: bigint }[];
  /** A payment cut back after the settlement audit (结算审减): what the contractor returned is not paid again. */
  paymentCut?: true;
  /** The district budget stepping in for a withdrawn pledge of this source. */
  substituteFor?: string;
}

export interface DemoAllocation {
  allocationId: string;
  projectId: string;
  amount: string;
  allocatedOn: string;
  /** Given back, in all (reversals of the allocation). */
  reversed: string;
  /** Net of reversals: received on it by the project, and paid from it. */
  received: string;
  disbursed: string;
  /** Made with money given back by this allocation of the same batch (a reallocation). */
  reallocatedFrom?: string;
  /** Made at a year end with what this allocation of the same project and batch had not drawn (结转). */
  carriedOverFrom?: string;
}

/** A batch as the demo issues it (the IssueFundBatch command's fields), with what became of it. */
export interface DemoFundBatch extends Omit<IssueFundBatch, 'type' | 'recordedOn'> {
  allocations: DemoAllocation[];
  /** Net of reversals. */
  allocated: string;
  unallocated: string;
  received: string;
  disbursed: string;
  /** The last receipt or payment (or reversal of one) on the batch's allocations; null if none. */
  lastMovementOn: string | null;
  /**
   * Idle money (domain.md §6, RF-14) at the demo's last day: received on the batch's allocations
   * IDLE_DAYS or more before it and still unpaid (first in, first out, each allocation on its own).
   */
  idleAmount: string;
  idle: boolean;
}

/** The audit yardstick for idle funds (RF-14), as the reports use it. */
export const IDLE_DAYS = DEFAULT_IDLE_DAYS;

/**
 * A few receipts from batch sources name no allocation, on purpose (the source ledger shows them
 * as unallocated): the district budget's stopgap for a withdrawn social-capital pledge, decided
 * mid-year without an indicator document, and the municipal health fund, which the health
 * commission pays straight to the projects and the finance bureau has not entered as a batch.
 */
export function leftUnallocated(d: Pick<ContributionDraw, 'source' | 'program' | 'substituteFor'>): boolean {
  return d.substituteFor !== undefined || (d.source === 'municipal_subsidy' && d.program === 'health');
}

// ---------------------------------------------------------------------------------------------
// who issues what

interface Issuer {
  /** The document's prefix, e.g. 渝财建 in 渝财建〔2021〕88号. */
  prefix: string;
  /** The batch id's prefix, ASCII. */
  code: string;
  /** First serial number of the year: [low, high]. */
  start: [number, number];
}

const CQ_FINANCE_CONSTRUCTION: Issuer = { prefix: '渝财建', code: 'YCJ', start: [40, 90] };
const CQ_FINANCE_SOCIAL: Issuer = { prefix: '渝财社', code: 'YCS', start: [30, 80] };
/** The issuer of each batch source (and municipal programme). */
function issuerOf(source: string, program: string | undefined): Issuer | 'bond' {
  switch (source) {
    case 'central_fiscal_subsidy':
      return CQ_FINANCE_CONSTRUCTION; // 中央财政城镇保障性安居工程补助资金, passed down by 市财政局
    case 'central_budget_investment':
      return { prefix: '渝发改投资', code: 'YFGTZ', start: [380, 520] }; // 保障性安居工程中央预算内投资, 市发展改革委
    case 'district_matching':
      return { prefix: '潼南财', code: 'TNC', start: [20, 60] }; // 区级配套资金, 区财政局
    case 'special_bond':
      return 'bond';
    default:
      switch (program) {
        case 'elderly_care':
        case 'childcare':
        case 'health':
          return CQ_FINANCE_SOCIAL;
        case 'convenience':
          return { prefix: '渝商务发', code: 'YSWF', start: [60, 140] };
        case 'security':
          return { prefix: '渝财政法', code: 'YCZF', start: [20, 70] };
        default:
          return CQ_FINANCE_CONSTRUCTION; // urban_renewal, parking, shantytown, rental_housing
      }
  }
}

const NUMERALS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
function chineseNumeral(n: number): string {
  if (n <= 10) return NUMERALS[n];
  if (n < 20) return `十${NUMERALS[n - 10]}`;
  return `${NUMERALS[Math.floor(n / 10)]}十${NUMERALS[n % 10]}`;
}

const SOURCE_ORDER = [
  'central_fiscal_subsidy',
  'central_budget_investment',
  'municipal_subsidy',
  'district_matching',
  'special_bond',
];

// ---------------------------------------------------------------------------------------------
// planning

interface PlannedAllocation {
  allocationId: string;
  projectId: string;
  amountFen: bigint;
  day: number;
  draws: ContributionDraw[];
  reallocatedFrom?: string;
  /** Made at a year end with what this allocation of the same project had not drawn (结转). */
  carriedOverFrom?: string;
}

interface PlannedReversal {
  reversalId: string;
  allocationId: string;
  projectId: string;
  amountFen: bigint;
  day: number;
  reason: string;
}

interface PlannedBatch {
  batchId: string;
  source: string;
  program?: string;
  docNo: string;
  fiscalYear: number;
  amountFen: bigint;
  issuedDay: number;
  /** Kept unallocated (a batch of the demo's last year), added to its allocations, rounded up. */
  marginFen: bigint;
  allocations: PlannedAllocation[];
  reversals: PlannedReversal[];
}

interface Group {
  source: string;
  program?: string;
  fiscalYear: number;
  draws: ContributionDraw[];
}

/**
 * Draws grouped by source, programme and the fiscal year of their pledge (the indicator's year). A
 * group with a single project joins the group of the year before, if there is one: the project
 * is allocated carried-over money (结转) rather than a batch of its own.
 */
function groupDraws(draws: ContributionDraw[]): Group[] {
  const groups = new Map<string, Group>();
  for (const d of draws) {
    if (!d.pledge || leftUnallocated(d)) continue;
    const fiscalYear = yearOf(d.pledge.day);
    const key = `${d.source}|${d.program ?? ''}|${fiscalYear}`;
    const g = groups.get(key) ?? {
      source: d.source,
      ...(d.program !== undefined ? { program: d.program } : {}),
      fiscalYear,
      draws: [],
    };
    groups.set(key, g);
    g.draws.push(d);
  }
  const ordered = [...groups.values()].sort((a, b) => a.fiscalYear - b.fiscalYear);
  const kept: Group[] = [];
  for (const g of ordered) {
    const projects = new Set(g.draws.map((d) => d.projectId));
    const earlier = kept.filter((k) => k.source === g.source && k.program === g.program).pop();
    if (projects.size < 2 && earlier) earlier.draws.push(...g.draws);
    else kept.push(g);
  }
  return kept.sort(
    (a, b) =>
      a.fiscalYear - b.fiscalYear ||
      SOURCE_ORDER.indexOf(a.source) - SOURCE_ORDER.indexOf(b.source) ||
      (a.program ?? '').localeCompare(b.program ?? ''),
  );
}

/**
 * One allocation per project of the group: its pledges, rounded up to 10,000 yuan, dated with the
 * first of them; in the order the projects are loaded, which is the order the batch records them.
 * (One made before the demo's last year becomes what its project draws: drawInFull.)
 */
function allocationsOf(g: Group, projectOrder: readonly string[]): Omit<PlannedAllocation, 'allocationId'>[] {
  const byProject = new Map<string, ContributionDraw[]>();
  for (const d of g.draws) byProject.set(d.projectId, [...(byProject.get(d.projectId) ?? []), d]);
  return [...byProject.entries()]
    .map(([projectId, draws]) => ({
      projectId,
      draws,
      // The district's own matching is allocated to the fen of its pledges: an allocation is a
      // commitment of the district's, received in full by the end of its year (RF-15).
      amountFen:
        g.source === 'district_matching'
          ? draws.reduce((t, d) => t + d.pledge!.amountFen, 0n)
          : ceilTo(
              draws.reduce((t, d) => t + d.pledge!.amountFen, 0n),
              WAN_YUAN,
            ),
      day: Math.min(...draws.map((d) => d.pledge!.day)),
    }))
    .sort((a, b) => projectOrder.indexOf(a.projectId) - projectOrder.indexOf(b.projectId));
}

class DocNumbers {
  private readonly next = new Map<string, number>();
  constructor(private readonly rng: SeededRandom) {}

  /** Serial numbers of one issuer and year, rising with the date of issue (call in date order). */
  serial(issuer: Issuer, year: number): number {
    const key = `${issuer.prefix}${year}`;
    const n = this.next.get(key) ?? this.rng.int(issuer.start[0], issuer.start[1]);
    this.next.set(key, n + this.rng.int(3, 40));
    return n;
  }
}

/** A batch's amount: its allocations, and a margin rounded up with them if it keeps one. */
function batchAmountFen(allocatedFen: bigint, marginFen: bigint): bigint {
  return marginFen > 0n ? ceilTo(allocatedFen + marginFen, 10n * WAN_YUAN) : allocatedFen;
}

function planBatches(rng: SeededRandom, draws: ContributionDraw[], projectOrder: readonly string[]): PlannedBatch[] {
  const drafts = groupDraws(draws)
    .map((g) => {
      const allocations = allocationsOf(g, projectOrder);
      const firstDay = Math.min(...allocations.map((a) => a.day));
      // Issued a few days to a few weeks before the first allocation, within the fiscal year when it can be.
      const yearStart = Math.min(dayOf(`${g.fiscalYear}-01-04`), firstDay);
      // A batch some of whose money goes to next year's project (carried over) is issued late
      // enough that all of it is allocated within a year (RF-14).
      const lastDay = Math.max(...allocations.map((a) => a.day));
      const issuedDay = Math.max(yearStart, firstDay - rng.int(5, 25));
      const issued = Math.min(firstDay, Math.max(issuedDay, lastDay - IDLE_DAYS + 5));
      // Carried over further than that, the money is allocated to next year's project within the
      // batch's year (结转指标提前下达), ahead of the project's own pledge.
      for (const a of allocations) a.day = Math.min(a.day, issued + IDLE_DAYS - 10);
      return { g, allocations, issuedDay: issued };
    })
    .sort((a, b) => a.issuedDay - b.issuedDay);
  const numbers = new DocNumbers(rng);
  let bondIssue = rng.int(6, 9);
  return drafts.map(({ g, allocations, issuedDay }) => {
    const issuer = issuerOf(g.source, g.program);
    const year = yearOf(issuedDay);
    let docNo: string;
    let batchId: string;
    if (issuer === 'bond') {
      bondIssue += rng.int(1, 4);
      docNo = `${year}年重庆市政府专项债券（${chineseNumeral(bondIssue)}期）`;
      batchId = `ZXZQ${year}-${bondIssue}`;
    } else {
      const n = numbers.serial(issuer, year);
      docNo = `${issuer.prefix}〔${year}〕${n}号`;
      batchId = `${issuer.code}${year}-${n}`;
    }
    const allocatedFen = allocations.reduce((t, a) => t + a.amountFen, 0n);
    // A margin stays unallocated (kept for projects still in preparation), 3-12%, at least 100,000
    // yuan, in a batch of the demo's last year; an older batch was allocated in full within its
    // year (RF-14: money issued and not allocated for a year is idle).
    const marginDraw = ceilTo(percentOf(allocatedFen, rng.int(3, 12), WAN_YUAN), 10n * WAN_YUAN) || 10n * WAN_YUAN;
    const marginFen = issuedDay + IDLE_DAYS > LAST ? marginDraw : 0n;
    return {
      batchId,
      source: g.source,
      ...(g.program !== undefined ? { program: g.program } : {}),
      docNo,
      fiscalYear: g.fiscalYear,
      amountFen: batchAmountFen(allocatedFen, marginFen),
      issuedDay,
      marginFen,
      allocations: allocations.map((a, i) => ({ ...a, allocationId: `${batchId}.${String(i + 1).padStart(2, '0')}` })),
      reversals: [],
    };
  });
}

// ---------------------------------------------------------------------------------------------
// what receipts and payments leave on each allocation

interface Flow {
  kind: 'receipt' | 'payment' | 'receipt-reversal' | 'payment-reversal';
  day: number;
  fen: bigint;
  /** The receipt or payment (a reversal's: the one it reverses), `${projectId}/${id}`. */
  entry: string;
}

interface Movement {
  receivedFen: bigint;
  disbursedFen: bigint;
  lastDay: number | null;
  lastReceiptDay: number | null;
  /** Net received from receipts dated less than IDLE_DAYS before the demo's last day: money that cannot be idle then. */
  recentReceivedFen: bigint;
  /** In the order they are sent. */
  flows: Flow[];
}

const dateOf = (body: Record<string, unknown>): string | undefined =>
  (body.approvedOn ??
    body.pledgedOn ??
    body.receivedOn ??
    body.paidOn ??
    body.reversedOn ??
    body.allocatedOn ??
    body.issuedOn) as string | undefined;

/**
 * Net received and paid per key (an allocation, a contribution), from the project requests:
 * receipts, payments and the reversals of them. `keyOf` names the key of a receipt or payment.
 */
function movementsOf<K>(
  requests: readonly DemoRequest[],
  keyOf: (body: Record<string, unknown>) => K | undefined,
): Map<K, Movement> {
  const entries = new Map<string, { key: K; kind: 'receipt' | 'payment'; amountFen: bigint; day: number }>();
  const moves = new Map<K, Movement>();
  const touch = (key: K, day: number, fen: bigint, kind: 'receipt' | 'payment', entry: string, entryDay: number) => {
    const m = moves.get(key) ?? {
      receivedFen: 0n,
      disbursedFen: 0n,
      lastDay: null,
      lastReceiptDay: null,
      recentReceivedFen: 0n,
      flows: [],
    };
    moves.set(key, m);
    if (kind === 'receipt') {
      m.receivedFen += fen;
      m.lastReceiptDay = Math.max(m.lastReceiptDay ?? day, day);
      if (LAST - entryDay < IDLE_DAYS) m.recentReceivedFen += fen;
    } else m.disbursedFen += fen;
    m.lastDay = Math.max(m.lastDay ?? day, day);
    const reversal = fen < 0n;
    m.flows.push({ kind: reversal ? `${kind}-reversal` : kind, day, fen: reversal ? -fen : fen, entry });
  };
  for (const r of requests) {
    if (r.batchId !== undefined) continue;
    const b = r.body;
    const route = r.path.split('/').pop();
    const fen = typeof b.amount === 'string' ? fenOfStored(b.amount) : undefined;
    const key = route === 'receipts' || route === 'disbursements' ? keyOf(b) : undefined;
    if (key !== undefined) {
      const kind = route === 'receipts' ? 'receipt' : 'payment';
      const entry = `${r.projectId}/${(b.receiptId ?? b.paymentId) as string}`;
      const day = dayOf(dateOf(b)!);
      entries.set(entry, { key, kind, amountFen: fen!, day });
      touch(key, day, fen!, kind, entry, day);
    } else if (route === 'reversals') {
      const entry = `${r.projectId}/${b.entryId as string}`;
      const reversed = entries.get(entry);
      if (!reversed) continue;
      // Without an amount, a reversal takes back what remains of the entry.
      const amountFen = fen ?? reversed.amountFen;
      reversed.amountFen -= amountFen;
      touch(reversed.key, dayOf(b.reversedOn as string), -amountFen, reversed.kind, entry, reversed.day);
    }
  }
  return moves;
}

const byAllocation = (body: Record<string, unknown>) =>
  typeof body.allocationId === 'string' ? body.allocationId : undefined;

/**
 * Idle money on one allocation at the demo's last day (RF-14): aged by the reports' own
 * idleMoney (first in, first out), so the demo plans exactly what the ledger will flag.
 */
function idleFenOf(m: Movement | undefined): bigint {
  if (!m) return 0n;
  const flows = m.flows
    .map((f, i) => ({ f, i }))
    .sort((a, b) => a.f.day - b.f.day || a.i - b.i)
    .map(({ f, i }) => ({
      // A receipt or payment is its own entry; a payment's reversals name it, and idleMoney nets them by that id.
      kind: f.kind,
      flowId: f.kind.endsWith('-reversal') ? `reversal-${i}` : f.entry,
      entryId: f.entry,
      onDate: isoOf(f.day),
      amountFen: f.fen,
    }));
  return idleMoney(flows, isoOf(LAST), IDLE_DAYS).idleFen;
}

/** `day`, with the draw of the delay the reallocation once had taken, so the rest of the district stays as it was. */
function sameDay(day: number, rng: SeededRandom): number {
  rng.int(1, 3);
  return Math.min(day, LAST);
}

/**
 * The reallocation: of the batches (central money of 2022 first), the allocation on a funded
 * project with the most money its receipts never drew gives back most of it, and a project loaded
 * later (one still in preparation, if there is one) is allocated as much.
 */
function planReallocation(
  rng: SeededRandom,
  batches: PlannedBatch[],
  moves: Map<string, Movement>,
  projectOrder: string[],
  preparing: Set<string>,
): void {
  const preference = (b: PlannedBatch) => [b.fiscalYear === 2022 ? 0 : 1, SOURCE_ORDER.indexOf(b.source)];
  const candidates = batches.slice().sort((a, b) => {
    const [pa, pb] = [preference(a), preference(b)];
    return pa[0] - pb[0] || pa[1] - pb[1];
  });
  for (const batch of candidates) {
    const cutFen = (a: PlannedAllocation) =>
      batch.reversals.filter((x) => x.allocationId === a.allocationId).reduce((t, x) => t + x.amountFen, 0n);
    const undrawn = batch.allocations
      .filter((a) => !preparing.has(a.projectId))
      .map((a) => ({
        a,
        undrawnFen: a.amountFen - cutFen(a) - (moves.get(a.allocationId)?.receivedFen ?? 0n),
        last: Math.max(
          a.day,
          moves.get(a.allocationId)?.lastReceiptDay ?? a.day,
          ...batch.reversals.filter((x) => x.allocationId === a.allocationId).map((x) => x.day),
        ),
      }))
      .filter((x) => x.undrawnFen >= 10n * WAN_YUAN)
      .sort((x, y) => (y.undrawnFen > x.undrawnFen ? 1 : y.undrawnFen < x.undrawnFen ? -1 : 0));
    for (const { a, undrawnFen, last } of undrawn) {
      const later = projectOrder.slice(projectOrder.indexOf(a.projectId) + 1);
      const recipient = later.find((p) => preparing.has(p)) ?? later[0];
      if (recipient === undefined) continue;
      const amountFen = floorTo(percentOf(undrawnFen, rng.int(55, 80), WAN_YUAN), WAN_YUAN);
      // A year-end adjustment (年底调整), after the last receipt the allocation saw.
      const day = Math.min(Math.max(last + rng.int(20, 40), dayOf('2023-11-20') + rng.int(0, 10)), LAST - 5);
      const reversalId = `AR-${String(batch.reversals.length + 1).padStart(2, '0')}`;
      batch.reversals.push({
        reversalId,
        allocationId: a.allocationId,
        projectId: a.projectId,
        amountFen,
        day,
        reason: `${a.projectId} 资金需求减少，调减 ${formatFen(amountFen)} 元调整至 ${recipient}（${isoOf(day).slice(0, 4)}年实施项目）`,
      });
      batch.allocations.push({
        allocationId: `${batch.batchId}.${String(batch.allocations.length + 1).padStart(2, '0')}`,
        projectId: recipient,
        amountFen,
        // The same day: given back and allocated again at once, never left unallocated (RF-14).
        day: sameDay(day, rng),
        draws: [],
        reallocatedFrom: a.allocationId,
      });
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// settlement and idle money

/**
 * The batch left with idle money (RF-14). The special-bond tranche if it has some (idle bond
 * proceeds cost interest, domain.md §6), else the batch with the most.
 */
function chooseIdle(batches: PlannedBatch[], moves: Map<string, Movement>): PlannedBatch | undefined {
  const idle = batches
    .map((b) => ({ b, idleFen: b.allocations.reduce((t, a) => t + idleFenOf(moves.get(a.allocationId)), 0n) }))
    .filter((x) => x.idleFen > 0n);
  const bond = idle.find((x) => x.b.source === 'special_bond');
  return (bond ?? idle.sort((x, y) => (y.idleFen > x.idleFen ? 1 : y.idleFen < x.idleFen ? -1 : 0))[0])?.b;
}

/**
 * 2023 on every batch but the idle one, so that no money there stays idle:
 * - 2022 money still to come arrives (结转资金拨付): a receipt for part of what remains of the
 *   contribution's pledge, within what remains of its allocation, like its last receipt;
 * - 竣工结算尾款: after the settlement audits the district pays out what the contributions
 *   received and had not paid: all of it for money of fiscal year 2021, and for 2022 (works still
 *   under way) all but part of what arrived in the last IDLE_DAYS. It is paid on the contribution's
 *   lines, each up to what it was allotted there (a line is never paid beyond its estimate), to
 *   the payee of the line's last payment;
 * - what a contractor returned after an audit cut (结算审减) is not paid again: it goes back to
 *   the treasury, a partial reversal of the contribution's last receipt.
 */
function planSettlements(
  rng: SeededRandom,
  batches: PlannedBatch[],
  idle: PlannedBatch | undefined,
  requests: readonly DemoRequest[],
): Placed[] {
  const drawOfBody = new Map<Record<string, unknown>, ContributionDraw>();
  for (const b of batches)
    for (const a of b.allocations)
      for (const d of a.draws) for (const body of [...d.receipts, ...d.payments]) drawOfBody.set(body, d);
  const moves = movementsOf(requests, (body) => drawOfBody.get(body));
  const lastId = new Map<string, number>();
  for (const r of requests) {
    for (const [field, prefix] of [
      ['paymentId', 'D'],
      ['reversalId', 'X'],
      ['receiptId', 'R'],
    ] as const) {
      const id = r.body[field];
      const key = `${r.projectId}/${prefix}`;
      if (typeof id === 'string' && new RegExp(`^${prefix}-\\d+$`).test(id))
        lastId.set(key, Math.max(lastId.get(key) ?? 0, Number(id.slice(2))));
    }
  }
  const nextId = (projectId: string, prefix: 'D' | 'X' | 'R') => {
    const n = (lastId.get(`${projectId}/${prefix}`) ?? 0) + 1;
    lastId.set(`${projectId}/${prefix}`, n);
    return `${prefix}-${String(n).padStart(3, '0')}`;
  };
  const onAllocation = movementsOf(requests, byAllocation);
  const placed: Placed[] = [];
  for (const b of batches) {
    if (b === idle || b.fiscalYear > 2022) continue;
    for (const a of b.allocations) {
      const reversedFen = b.reversals
        .filter((x) => x.allocationId === a.allocationId)
        .reduce((t, x) => t + x.amountFen, 0n);
      let undrawnFen = a.amountFen - reversedFen - (onAllocation.get(a.allocationId)?.receivedFen ?? 0n);
      for (const d of a.draws) {
        const m = moves.get(d);
        const lastPayment = d.payments[d.payments.length - 1];
        const lastReceipt = d.receipts[d.receipts.length - 1];
        if (!m || !lastPayment || !lastReceipt || m.lastDay === null) continue;
        let lastDay = m.lastDay;
        let remainderFen = m.receivedFen - m.disbursedFen;
        let recentFen = m.recentReceivedFen;
        const pledgeLeftFen = d.pledge!.amountFen - (d.pledgeCut?.amountFen ?? 0n) - m.receivedFen;
        const carriedFen = floorTo(
          percentOf(pledgeLeftFen < undrawnFen ? pledgeLeftFen : undrawnFen, rng.int(40, 90), YUAN_FEN),
          100n * YUAN_FEN,
        );
        if (b.fiscalYear === 2022 && !d.paymentCut && carriedFen >= 10_000n * YUAN_FEN) {
          const day = Math.min(Math.max(lastDay + rng.int(30, 120), dayOf('2023-01-10') + rng.int(0, 150)), LAST - 60);
          const receiptId = nextId(d.projectId, 'R');
          const reference = `${b.docNo} 国库资金到账 ${isoOf(day)}（2022年度结转资金）`;
          const {
            receiptId: _previous,
            amount: _amount,
            reference: _reference,
            receivedOn: _on,
            fiscalYear: _year,
            ...like
          } = lastReceipt;
          placed.push({
            day,
            before: new Set(),
            request: {
              method: 'POST',
              path: `/api/projects/${d.projectId}/receipts`,
              role: 'finance',
              projectId: d.projectId,
              idempotencyKey: `demo-${d.projectId}-carried-over-${receiptId}`,
              body: {
                receiptId,
                ...like,
                amount: formatFen(carriedFen),
                reference,
                receivedOn: isoOf(day),
                fiscalYear: yearOf(day),
                allocationId: a.allocationId,
              },
            },
          });
          undrawnFen -= carriedFen;
          remainderFen += carriedFen;
          recentFen += carriedFen;
          lastDay = day;
        }
        if (remainderFen <= 0n) continue;
        const earliest = dayOf(b.fiscalYear === 2021 ? '2023-02-01' : '2023-06-01');
        const day = Math.min(Math.max(lastDay + rng.int(20, 120), earliest + rng.int(0, 90)), LAST - 3);
        if (d.paymentCut) {
          const reversalId = nextId(d.projectId, 'X');
          placed.push({
            day,
            before: new Set(),
            request: {
              method: 'POST',
              path: `/api/projects/${d.projectId}/reversals`,
              role: 'finance',
              projectId: d.projectId,
              idempotencyKey: `demo-${d.projectId}-returned-${reversalId}`,
              body: {
                reversalId,
                entryId: lastReceipt.receiptId,
                amount: formatFen(remainderFen),
                reason: `结算审减资金 ${formatFen(remainderFen)} 元缴回国库（${b.docNo}）`,
                reversedOn: isoOf(day),
              },
            },
          });
          continue;
        }
        const keepFen =
          b.fiscalYear === 2021
            ? 0n
            : percentOf(recentFen < remainderFen ? recentFen : remainderFen, rng.int(20, 60), YUAN_FEN);
        const amountFen = remainderFen - keepFen;
        if (amountFen <= 0n) continue;
        for (const part of settlementParts(d, amountFen)) {
          const paymentId = nextId(d.projectId, 'D');
          placed.push({
            day,
            before: new Set(),
            request: {
              method: 'POST',
              path: `/api/projects/${d.projectId}/disbursements`,
              role: 'finance',
              projectId: d.projectId,
              idempotencyKey: `demo-${d.projectId}-settlement-${paymentId}`,
              body: {
                paymentId,
                source: d.source,
                lineId: part.lineId,
                amount: formatFen(part.amountFen),
                payee: part.payee,
                voucher: `${VOUCHER_PENDING}国库集中支付凭证`,
                paidOn: isoOf(day),
                fiscalYear: yearOf(day),
                allocationId: a.allocationId,
              },
            },
          });
        }
      }
    }
  }
  return placed;
}

// ---------------------------------------------------------------------------------------------
// allocations drawn in full: exact amounts and the year-end carry-over

/** One allocation of a chain (an allocation and its carry-overs), and what was drawn, paid and given back on it. */
interface Link {
  allocation: PlannedAllocation;
  receivedFen: bigint;
  paidFen: bigint;
  givenBackFen: bigint;
}

/** A receipt, payment or reversal naming an allocation, or a reversal of the allocation itself (given back). */
type DrawEvent = { day: number; order: number } & (
  | { kind: 'receipt' | 'payment'; body: Record<string, unknown>; entry: string; fen: bigint }
  | { kind: 'reversal'; entry: string; fen: bigint | undefined }
  | { kind: 'given-back'; reversal: PlannedReversal }
);

/**
 * What an allocation leaves undrawn is idle money once it is a year old (allocated − released −
 * received, aged from the allocation's date: undrawnFlows, idle-money.ts), so the district leaves
 * none, as a finance bureau does (domain.md §6):
 * - an allocation made before the demo's last year is, to the fen, what its project draws on it
 *   (and what it gives back for the reallocation): the indicator the project's settled cost needs,
 *   not its pledges rounded up, which a pledge cut or a settlement below the pledge would leave
 *   undrawn for good (given back, the money would lie in the batch unallocated, idle again: the
 *   ledger sends no indicator back up). An allocation of the last year is its pledges rounded up,
 *   still being drawn;
 * - at each year end what the project has not drawn is carried over (结转: "unpaid indicators carry
 *   over"): released from the allocation on 31 December and allocated to the same project again
 *   that day from the same batch (which stays allocated in full), for at most two years (预算法 art.42).
 * Receipts and payments stay as the projects made them (amounts, dates, the bank's lines): only
 * the allocation they name changes. A batch's amount is then its first allocations, as planned.
 */
function drawInFull(batches: PlannedBatch[], requests: readonly DemoRequest[]): void {
  const events = drawEvents(batches, requests);
  for (const b of batches) {
    for (const a of b.allocations.slice()) {
      if (yearOf(a.day) >= yearOf(LAST) || a.carriedOverFrom !== undefined) continue;
      const mine = (events.get(a.allocationId) ?? []).sort((x, y) => x.day - y.day || x.order - y.order);
      const needFen = mostHeld(mine);
      if (needFen === 0n) continue;
      a.amountFen = needFen;
      carryOver(b, a, mine);
    }
    const firstAllocated = b.allocations
      .filter((a) => a.reallocatedFrom === undefined && a.carriedOverFrom === undefined)
      .reduce((t, a) => t + a.amountFen, 0n);
    b.amountFen = batchAmountFen(firstAllocated, b.marginFen);
  }
}

/** Per allocation, what draws on it, pays from it or gives it back, with the order sent (a reversal of the allocation last on its day). */
function drawEvents(batches: PlannedBatch[], requests: readonly DemoRequest[]): Map<string, DrawEvent[]> {
  const events = new Map<string, DrawEvent[]>();
  const allocationOf = new Map<string, string>();
  const add = (allocationId: string, e: DrawEvent) =>
    events.set(allocationId, [...(events.get(allocationId) ?? []), e]);
  requests.forEach((r, order) => {
    if (r.batchId !== undefined) return;
    const b = r.body;
    const route = r.path.split('/').pop();
    if ((route === 'receipts' || route === 'disbursements') && typeof b.allocationId === 'string') {
      const entry = `${r.projectId}/${(b.receiptId ?? b.paymentId) as string}`;
      allocationOf.set(entry, b.allocationId);
      const kind = route === 'receipts' ? 'receipt' : 'payment';
      add(b.allocationId, {
        kind,
        day: dayOf(dateOf(b)!),
        order,
        body: b,
        entry,
        fen: fenOfStored(b.amount as string),
      });
    } else if (route === 'reversals') {
      const entry = `${r.projectId}/${b.entryId as string}`;
      const allocationId = allocationOf.get(entry);
      const fen = typeof b.amount === 'string' ? fenOfStored(b.amount) : undefined;
      if (allocationId !== undefined)
        add(allocationId, { kind: 'reversal', day: dayOf(b.reversedOn as string), order, entry, fen });
    }
  });
  for (const b of batches)
    for (const x of b.reversals)
      add(x.allocationId, { kind: 'given-back', day: x.day, order: Number.MAX_SAFE_INTEGER, reversal: x });
  return events;
}

/** The most an allocation ever holds drawn or given back (a receipt sent back may be drawn again later): what it must be. */
function mostHeld(events: readonly DrawEvent[]): bigint {
  const received = new Map<string, bigint>();
  let heldFen = 0n;
  let mostFen = 0n;
  for (const e of events) {
    if (e.kind === 'receipt') {
      received.set(e.entry, e.fen);
      heldFen += e.fen;
    } else if (e.kind === 'given-back') heldFen += e.reversal.amountFen;
    else if (e.kind === 'reversal' && received.has(e.entry)) {
      const fen = e.fen ?? received.get(e.entry)!;
      received.set(e.entry, received.get(e.entry)! - fen);
      heldFen -= fen;
    }
    if (heldFen > mostFen) mostFen = heldFen;
  }
  return mostFen;
}

/**
 * Walks an allocation's events by date, carrying over on each 31 December what is undrawn then:
 * later receipts draw on the carried-over allocation, a payment on the oldest of the chain whose
 * received money covers it, and the reallocation gives back from the allocation standing then.
 */
function carryOver(b: PlannedBatch, first: PlannedAllocation, events: readonly DrawEvent[]): void {
  const links: Link[] = [{ allocation: first, receivedFen: 0n, paidFen: 0n, givenBackFen: 0n }];
  const onLink = new Map<string, { link: Link; kind: 'receipt' | 'payment'; fen: bigint }>();
  let year = yearOf(first.day);
  const yearEnd = () => dayOf(`${year}-12-31`);
  const carry = () => {
    const from = links[links.length - 1];
    const undrawnFen = from.allocation.amountFen - from.receivedFen - from.givenBackFen;
    const day = yearEnd();
    year++;
    if (undrawnFen <= 0n || from.allocation.day === day) return;
    if (year - yearOf(first.day) > 2) throw new Error(`demo: ${first.allocationId} carried over beyond two years`);
    const allocationId = `${b.batchId}.${String(b.allocations.length + 1).padStart(2, '0')}`;
    b.reversals.push({
      // Unique in the batch (its idempotency key names the batch and this id).
      reversalId: `JZ-${year - 1}-${from.allocation.allocationId.split('.').pop()!}`,
      allocationId: from.allocation.allocationId,
      projectId: first.projectId,
      amountFen: undrawnFen,
      day,
      reason: `${year - 1}年度未拨付指标 ${formatFen(undrawnFen)} 元年终结转，${year}年继续用于本项目（${allocationId}）`,
    });
    const carried: PlannedAllocation = {
      allocationId,
      projectId: first.projectId,
      amountFen: undrawnFen,
      day,
      draws: [],
      carriedOverFrom: from.allocation.allocationId,
    };
    b.allocations.push(carried);
    from.givenBackFen += undrawnFen;
    links.push({ allocation: carried, receivedFen: 0n, paidFen: 0n, givenBackFen: 0n });
  };
  for (const e of events) {
    while (e.day > yearEnd() && yearEnd() < LAST) carry();
    const current = links[links.length - 1];
    if (e.kind === 'given-back') {
      for (const x of b.allocations)
        if (x.reallocatedFrom === e.reversal.allocationId && x.day === e.reversal.day)
          x.reallocatedFrom = current.allocation.allocationId;
      e.reversal.allocationId = current.allocation.allocationId;
      current.givenBackFen += e.reversal.amountFen;
    } else if (e.kind === 'receipt') {
      e.body.allocationId = current.allocation.allocationId;
      current.receivedFen += e.fen;
      onLink.set(e.entry, { link: current, kind: 'receipt', fen: e.fen });
    } else if (e.kind === 'payment') {
      const link = links.find((l) => l.receivedFen - l.paidFen >= e.fen);
      if (!link) throw new Error(`demo: payment ${e.entry} exceeds what ${first.allocationId}'s chain received`);
      e.body.allocationId = link.allocation.allocationId;
      link.paidFen += e.fen;
      onLink.set(e.entry, { link, kind: 'payment', fen: e.fen });
    } else {
      const entry = onLink.get(e.entry);
      if (!entry) continue;
      const fen = e.fen ?? entry.fen;
      entry.fen -= fen;
      if (entry.kind === 'receipt') entry.link.receivedFen -= fen;
      else entry.link.paidFen -= fen;
    }
  }
  while (yearEnd() < LAST) carry();
}

/**
 * A settlement payment of `amountFen` split over the contribution's lines, last paid first, each
 * up to what its allotment there has not yet paid (its payments are net: a contribution with a
 * payment reversed is cut back, never settled). The allotments cover everything the contribution
 * may receive, so the parts add up to the amount.
 */
function settlementParts(
  d: ContributionDraw,
  amountFen: bigint,
): { lineId: string; payee: unknown; amountFen: bigint }[] {
  const paidFen = new Map<string, bigint>();
  const payee = new Map<string, unknown>();
  for (const p of d.payments) {
    const lineId = p.lineId as string;
    paidFen.set(lineId, (paidFen.get(lineId) ?? 0n) + fenOfStored(p.amount as string));
    payee.set(lineId, p.payee);
  }
  const lastLine = d.payments[d.payments.length - 1].lineId as string;
  const lines = [...d.lines].sort((x, y) => Number(y.lineId === lastLine) - Number(x.lineId === lastLine));
  const parts: { lineId: string; payee: unknown; amountFen: bigint }[] = [];
  let leftFen = amountFen;
  for (const line of lines) {
    const roomFen = line.amountFen - (paidFen.get(line.lineId) ?? 0n);
    const partFen = roomFen < leftFen ? roomFen : leftFen;
    if (partFen <= 0n) continue;
    parts.push({ lineId: line.lineId, payee: payee.get(line.lineId) ?? d.payments[0].payee, amountFen: partFen });
    leftFen -= partFen;
  }
  if (leftFen > 0n) throw new Error(`demo: ${d.projectId}'s ${d.source} settlement exceeds its lines' allotments`);
  return parts;
}

// ---------------------------------------------------------------------------------------------
// requests

const REFERENCE_DOC = /^\S+〔\d{4}〕\d+号/;

/** Receipts and payments of each allocated contribution name its allocation; receipts cite the batch's document. */
function nameAllocations(batches: PlannedBatch[]): void {
  for (const batch of batches) {
    for (const a of batch.allocations) {
      for (const d of a.draws) {
        for (const body of d.receipts) {
          body.allocationId = a.allocationId;
          body.reference = (body.reference as string).replace(REFERENCE_DOC, batch.docNo);
        }
        for (const body of d.payments) body.allocationId = a.allocationId;
      }
    }
  }
}

function issueRequest(b: PlannedBatch): DemoRequest {
  return {
    method: 'POST',
    path: '/api/fund-batches',
    role: 'finance',
    projectId: '',
    batchId: b.batchId,
    idempotencyKey: `demo-batch-${b.batchId}`,
    body: {
      batchId: b.batchId,
      source: b.source,
      ...(b.program !== undefined ? { program: b.program } : {}),
      docNo: b.docNo,
      fiscalYear: b.fiscalYear,
      amount: formatFen(b.amountFen),
      issuedOn: isoOf(b.issuedDay),
    },
  };
}

interface Placed {
  request: DemoRequest;
  day: number;
  /** Must come before the first of these request bodies (receipts drawing on the allocation). */
  before: Set<Record<string, unknown>>;
}

function batchRequestsOf(b: PlannedBatch): Placed[] {
  const placed: Placed[] = b.allocations.map((a) => ({
    day: a.day,
    before: new Set(a.draws.flatMap((d) => d.receipts)),
    request: {
      method: 'POST',
      path: `/api/fund-batches/${b.batchId}/allocations`,
      role: 'finance',
      projectId: a.projectId,
      batchId: b.batchId,
      idempotencyKey: `demo-alloc-${a.allocationId}`,
      body: {
        allocationId: a.allocationId,
        projectId: a.projectId,
        amount: formatFen(a.amountFen),
        allocatedOn: isoOf(a.day),
      },
    },
  }));
  for (const x of b.reversals) {
    placed.push({
      day: x.day,
      before: new Set(),
      request: {
        method: 'POST',
        path: `/api/fund-batches/${b.batchId}/reversals`,
        role: 'finance',
        projectId: x.projectId,
        batchId: b.batchId,
        idempotencyKey: `demo-batch-${b.batchId}-${x.reversalId}`,
        body: {
          reversalId: x.reversalId,
          allocationId: x.allocationId,
          amount: formatFen(x.amountFen),
          reason: x.reason,
          reversedOn: isoOf(x.day),
        },
      },
    });
  }
  // In date order, a reversal before an allocation of the same day: a carry-over gives back first
  // and allocates again after (the batch never allocates beyond its amount).
  const reversalFirst = (p: Placed) => (p.request.path.endsWith('/reversals') ? 0 : 1);
  return placed.sort((x, y) => x.day - y.day || reversalFirst(x) - reversalFirst(y));
}

/**
 * Every project's requests with its batch requests put in: each before the first of the project's
 * dated requests that is later than it, and before any receipt drawing on it; a reversal of an
 * allocation after everything dated that day (the receipts it must not take back included).
 */
function interleave(requests: readonly DemoRequest[], placed: Placed[]): DemoRequest[] {
  const byProject = new Map<string, Placed[]>();
  for (const p of placed) byProject.set(p.request.projectId, [...(byProject.get(p.request.projectId) ?? []), p]);
  const out: DemoRequest[] = [];
  const blocks: DemoRequest[][] = [];
  for (const r of requests) {
    if (blocks.length === 0 || blocks[blocks.length - 1][0].projectId !== r.projectId) blocks.push([]);
    blocks[blocks.length - 1].push(r);
  }
  for (const block of blocks) {
    const mine = (byProject.get(block[0].projectId) ?? []).slice().sort((a, b) => a.day - b.day);
    const merged = block.slice();
    for (const p of mine) {
      let at = merged.findIndex((r) => {
        const date = r.batchId === undefined ? dateOf(r.body) : undefined;
        return p.before.has(r.body) || (date !== undefined && dayOf(date) > p.day);
      });
      if (at < 0) at = merged.length;
      merged.splice(at, 0, p.request);
    }
    out.push(...merged);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// summaries

function summaryOf(b: PlannedBatch, moves: Map<string, Movement>): DemoFundBatch {
  const reversedFen = (id: string) =>
    b.reversals.filter((x) => x.allocationId === id).reduce((t, x) => t + x.amountFen, 0n);
  const allocations: DemoAllocation[] = b.allocations.map((a) => {
    const m = moves.get(a.allocationId);
    return {
      allocationId: a.allocationId,
      projectId: a.projectId,
      amount: formatFen(a.amountFen),
      allocatedOn: isoOf(a.day),
      reversed: formatFen(reversedFen(a.allocationId)),
      received: formatFen(m?.receivedFen ?? 0n),
      disbursed: formatFen(m?.disbursedFen ?? 0n),
      ...(a.reallocatedFrom !== undefined ? { reallocatedFrom: a.reallocatedFrom } : {}),
      ...(a.carriedOverFrom !== undefined ? { carriedOverFrom: a.carriedOverFrom } : {}),
    };
  });
  const allocatedFen = b.allocations.reduce((t, a) => t + a.amountFen - reversedFen(a.allocationId), 0n);
  const mine = b.allocations.map((a) => moves.get(a.allocationId)).filter((m): m is Movement => m !== undefined);
  const receivedFen = mine.reduce((t, m) => t + m.receivedFen, 0n);
  const disbursedFen = mine.reduce((t, m) => t + m.disbursedFen, 0n);
  const days = mine.map((m) => m.lastDay).filter((d): d is number => d !== null);
  const lastDay = days.length > 0 ? Math.max(...days) : null;
  const idleFen = b.allocations.reduce((t, a) => t + idleFenOf(moves.get(a.allocationId)), 0n);
  return {
    batchId: b.batchId,
    source: b.source,
    ...(b.program !== undefined ? { program: b.program } : {}),
    docNo: b.docNo,
    fiscalYear: b.fiscalYear,
    amount: formatFen(b.amountFen),
    issuedOn: isoOf(b.issuedDay),
    allocations,
    allocated: formatFen(allocatedFen),
    unallocated: formatFen(b.amountFen - allocatedFen),
    received: formatFen(receivedFen),
    disbursed: formatFen(disbursedFen),
    lastMovementOn: lastDay === null ? null : isoOf(lastDay),
    idleAmount: formatFen(idleFen),
    idle: idleFen > 0n,
  };
}

/**
 * The fund batches of the district, and its requests with theirs: batches issued first, then each
 * project's requests with its allocations (and reversals of them) in date order among them.
 * `preparing`: projects not yet receiving money, to which the reallocation prefers to go.
 */
export function addFundBatches(
  seed: number,
  draws: ContributionDraw[],
  requests: readonly DemoRequest[],
  preparing: Set<string>,
): { batches: DemoFundBatch[]; requests: DemoRequest[] } {
  // A generator of its own, so the projects' draws are the same with or without batches.
  const rng = new SeededRandom((seed ^ 0x0ba7c4e5) >>> 0);
  const projectOrder = [...new Set(requests.map((r) => r.projectId))];
  const batches = planBatches(rng, draws, projectOrder);
  nameAllocations(batches);
  // A pledge cut leaves its allocation as it was: given back, the money would lie in the batch
  // unallocated (RF-14); the project receives less of it, and the allocation is drawn in part.
  const before = movementsOf(requests, byAllocation);
  planReallocation(rng, batches, before, projectOrder, preparing);
  const settlements = planSettlements(rng, batches, chooseIdle(batches, before), requests);
  drawInFull(batches, [...requests, ...settlements.map((p) => p.request)]);
  const all = [
    ...batches.map(issueRequest),
    ...interleave(requests, [...batches.flatMap(batchRequestsOf), ...settlements]),
  ];
  const moves = movementsOf(all, byAllocation);
  return { batches: batches.map((b) => summaryOf(b, moves)), requests: all };
}
