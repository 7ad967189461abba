/**
 * 对账: a bank account's statement lines against the ledger's receipts and payments of the
 * account's projects, as of a month's end, and the 银行存款余额调节表 that follows. Pure: the same
 * lines, entries, decisions and window give the same answer, so an auditor replays it from the log.
 *
 * What matches, in this order (docs/reconciliation.md):
 * 1. the finance user's decisions (statement-line-matched.v1): `confirmed` and `manual` matches
 *    stand as recorded (one line to many entries, many lines to one); their sums must agree, or
 *    the difference is an amount mismatch unless the decision gives its reason (then it is an
 *    explained difference of the 调节表); `rejected` pairs are never proposed again;
 * 2. by reference: a line whose 流水号/凭证号 is a receipt's reference or a payment's voucher, in
 *    the same direction; a different amount there is an amount mismatch (an amount keyed wrong);
 * 3. by exact amount, in the same direction, the dates at most `windowDays` apart (a policy
 *    setting, src/policy/rules/reconciliation.rules.ts) and the same counterparty (payer or
 *    payee): the nearest date first. Entries are indexed by amount, so a line looks only at the
 *    entries of its own amount (never every entry).
 * What remains is outstanding: a statement line the ledger lacks, a ledger entry the bank has not
 * seen yet.
 */
import { groupBy } from '../shared/group-by';
import { Fen, fenOfStored, formatFen, sumFen } from '../shared/money/money';
import { signedFen } from './bank-account.decider';
import { MatchDecisionData, StatementLine } from './bank-account.events';

/** A receipt or payment of one of the account's projects, net of its reversals. */
export interface LedgerItem {
  projectId: string;
  entryId: string;
  kind: 'receipt' | 'payment';
  /** Net of reversals, positive. */
  amount: string;
  date: string;
  /** A receipt's reference, a payment's voucher. */
  reference: string;
  /** A receipt's payer, a payment's payee. */
  counterparty: string;
}

export type MatchBasis = 'reference' | 'amount-date-counterparty' | 'confirmed' | 'manual';

export interface MatchedGroup {
  basis: MatchBasis;
  /** The decision's id, for a confirmed or manual match. */
  matchId?: string;
  reason?: string;
  lines: StatementLine[];
  entries: LedgerItem[];
  /** Statement minus ledger (signed: credits and receipts add), "0.00" when the amounts agree. */
  difference: string;
}

export interface Adjustment {
  asOf: string;
  /** 银行存款日记账余额: the bank's opening balance plus the ledger's receipts less its payments to `asOf`. */
  bookBalance: string;
  /** 银行对账单余额: the running balance of the last line to `asOf`. */
  bankBalance: string;
  /** 银收企未收 */
  bankCreditedNotBooked: string;
  /** 银付企未付 */
  bankDebitedNotBooked: string;
  /** 企收银未收 */
  bookedReceiptsNotInBank: string;
  /** 企付银未付 */
  bookedPaymentsNotInBank: string;
  /** Differences of matches whose decision gives the reason (statement minus ledger). */
  explainedDifferences: string;
  /** 调节后的银行存款日记账余额 */
  adjustedBookBalance: string;
  /** 调节后的银行对账单余额 */
  adjustedBankBalance: string;
  /** adjustedBank − adjustedBook: the amount mismatches not yet explained. */
  difference: string;
  balanced: boolean;
}

export interface Reconciliation {
  month: string;
  windowDays: number;
  /** Matches with a line or an entry dated in the month. */
  matched: MatchedGroup[];
  /** Every line to the month's end the ledger has no entry for. */
  statementOnly: StatementLine[];
  /** Every entry to the month's end the bank has no line for. */
  ledgerOnly: LedgerItem[];
  /** Matches to the month's end whose amounts differ, unexplained. */
  amountMismatch: MatchedGroup[];
  adjustment: Adjustment;
}

export interface ReconcileInput {
  /** YYYY-MM */
  month: string;
  /** Every imported line, in the order imported. */
  lines: readonly StatementLine[];
  entries: readonly LedgerItem[];
  decisions: readonly MatchDecisionData[];
  windowDays: number;
}

const entryKey = (e: Pick<LedgerItem, 'projectId' | 'entryId'>): string => `${e.projectId}/${e.entryId}`;
const entrySigned = (e: LedgerItem): Fen => (e.kind === 'receipt' ? fenOfStored(e.amount) : -fenOfStored(e.amount));
const kindOf = (line: StatementLine): LedgerItem['kind'] => (line.direction === 'credit' ? 'receipt' : 'payment');

/** A name as banks and clerks write it: without spaces, with half-width brackets. */
export function sameParty(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/\s+/g, '').replace(/（/g, '(').replace(/）/g, ')');
  return a !== '' && norm(a) === norm(b);
}

/** Days since the epoch of a YYYY-MM-DD date (to compare dates, never money). */
function dayNumber(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000;
}

/** The last day of a YYYY-MM month. */
export function monthEnd(month: string): string {
  const last = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0));
  return last.toISOString().slice(0, 10);
}

export function reconcile(input: ReconcileInput): Reconciliation {
  const end = monthEnd(input.month);
  const start = `${input.month}-01`;
  const lines = input.lines.filter((l) => l.date <= end);
  const entries = input.entries.filter((e) => e.date <= end);
  const lineById = new Map(lines.map((l) => [l.lineId, l]));
  const entryByKey = new Map(entries.map((e) => [entryKey(e), e]));
  const usedLines = new Set<string>();
  const usedEntries = new Set<string>();
  const groups: MatchedGroup[] = [];
  const rejected = new Set<string>();

  // 1. The finance user's decisions.
  for (const d of input.decisions) {
    if (d.decision === 'rejected') {
      for (const lineId of d.lineIds) for (const e of d.entries) rejected.add(`${lineId}|${entryKey(e)}`);
      continue;
    }
    const ls = d.lineIds.map((id) => lineById.get(id));
    const es = d.entries.map((r) => entryByKey.get(entryKey(r)));
    // A decision takes effect once all it names is dated to the month's end; its items wait until then.
    for (const id of d.lineIds) usedLines.add(id);
    for (const r of d.entries) usedEntries.add(entryKey(r));
    if (ls.some((l) => l === undefined) || es.some((e) => e === undefined)) {
      for (const l of ls) if (l) usedLines.delete(l.lineId);
      for (const e of es) if (e) usedEntries.delete(entryKey(e));
      continue;
    }
    groups.push(
      group(
        d.decision === 'manual' ? 'manual' : 'confirmed',
        ls as StatementLine[],
        es as LedgerItem[],
        d.matchId,
        d.reason,
      ),
    );
  }

  const free = entries.filter((e) => !usedEntries.has(entryKey(e)));
  const take = (line: StatementLine, e: LedgerItem, basis: MatchBasis) => {
    usedLines.add(line.lineId);
    usedEntries.add(entryKey(e));
    groups.push(group(basis, [line], [e]));
  };
  const allowed = (line: StatementLine, e: LedgerItem) =>
    !usedEntries.has(entryKey(e)) && e.kind === kindOf(line) && !rejected.has(`${line.lineId}|${entryKey(e)}`);
  const ordered = [...lines].sort(byDate);

  // 2. By reference.
  const byReference = groupBy(
    free.filter((e) => e.reference !== ''),
    (e) => e.reference,
  );
  for (const line of ordered) {
    if (usedLines.has(line.lineId) || line.serial === '') continue;
    const candidates = (byReference.get(line.serial) ?? []).filter((e) => allowed(line, e));
    if (candidates.length === 0) continue;
    take(line, nearest(line, candidates), 'reference');
  }

  // 3. By amount, date and counterparty: each line looks at the entries of its own amount only.
  const byAmount = groupBy(free, (e) => `${e.kind}|${e.amount}`);
  for (const list of byAmount.values()) list.sort(byDate);
  for (const line of ordered) {
    if (usedLines.has(line.lineId)) continue;
    const list = byAmount.get(`${kindOf(line)}|${line.amount}`);
    if (list === undefined) continue;
    const day = dayNumber(line.date);
    let best: LedgerItem | undefined;
    for (let i = firstFrom(list, day - input.windowDays); i < list.length; i++) {
      const e = list[i];
      const gap = dayNumber(e.date) - day;
      if (gap > input.windowDays) break;
      if (!allowed(line, e) || !sameParty(line.counterparty, e.counterparty)) continue;
      if (best === undefined || Math.abs(gap) < Math.abs(dayNumber(best.date) - day)) best = e;
    }
    if (best !== undefined) take(line, best, 'amount-date-counterparty');
  }

  const statementOnly = ordered.filter((l) => !usedLines.has(l.lineId));
  const ledgerOnly = [...entries].sort(byDate).filter((e) => !usedEntries.has(entryKey(e)));
  const unexplained = (g: MatchedGroup) => g.difference !== '0.00' && g.reason === undefined;
  const inMonth = (g: MatchedGroup) => g.lines.some((l) => l.date >= start) || g.entries.some((e) => e.date >= start);
  const amountMismatch = groups.filter(unexplained);
  const matched = groups.filter((g) => !unexplained(g) && inMonth(g));

  return {
    month: input.month,
    windowDays: input.windowDays,
    matched,
    statementOnly,
    ledgerOnly,
    amountMismatch,
    adjustment: adjustment(
      end,
      input.lines,
      entries,
      statementOnly,
      ledgerOnly,
      groups.filter((g) => !unexplained(g)),
    ),
  };
}

function group(
  basis: MatchBasis,
  lines: StatementLine[],
  entries: LedgerItem[],
  matchId?: string,
  reason?: string,
): MatchedGroup {
  const difference = sumFen(lines.map(signedFen)) - sumFen(entries.map(entrySigned));
  return {
    basis,
    ...(matchId !== undefined ? { matchId } : {}),
    ...(reason !== undefined ? { reason } : {}),
    lines,
    entries,
    difference: formatFen(difference),
  };
}

function adjustment(
  asOf: string,
  allLines: readonly StatementLine[],
  entries: readonly LedgerItem[],
  statementOnly: readonly StatementLine[],
  ledgerOnly: readonly LedgerItem[],
  explained: readonly MatchedGroup[],
): Adjustment {
  // The account's balance before its first line: where both the bank and the book start (the
  // ledger knows the account from its first statement on).
  const chronological = allLines.map((l, i) => ({ l, i })).sort((a, b) => byDate(a.l, b.l) || a.i - b.i);
  const first = chronological[0]?.l;
  const opening = first ? fenOfStored(first.balance) - signedFen(first) : 0n;
  const toDate = chronological.filter(({ l }) => l.date <= asOf);
  const bank = toDate.length > 0 ? fenOfStored(toDate[toDate.length - 1].l.balance) : opening;
  const book = opening + sumFen(entries.map(entrySigned));
  const bankIn = sumFen(statementOnly.filter((l) => l.direction === 'credit').map((l) => fenOfStored(l.amount)));
  const bankOut = sumFen(statementOnly.filter((l) => l.direction === 'debit').map((l) => fenOfStored(l.amount)));
  const bookIn = sumFen(ledgerOnly.filter((e) => e.kind === 'receipt').map((e) => fenOfStored(e.amount)));
  const bookOut = sumFen(ledgerOnly.filter((e) => e.kind === 'payment').map((e) => fenOfStored(e.amount)));
  const explainedFen = sumFen(explained.map((g) => fenOfStored(g.difference)));
  const adjustedBook = book + bankIn - bankOut + explainedFen;
  const adjustedBank = bank + bookIn - bookOut;
  return {
    asOf,
    bookBalance: formatFen(book),
    bankBalance: formatFen(bank),
    bankCreditedNotBooked: formatFen(bankIn),
    bankDebitedNotBooked: formatFen(bankOut),
    bookedReceiptsNotInBank: formatFen(bookIn),
    bookedPaymentsNotInBank: formatFen(bookOut),
    explainedDifferences: formatFen(explainedFen),
    adjustedBookBalance: formatFen(adjustedBook),
    adjustedBankBalance: formatFen(adjustedBank),
    difference: formatFen(adjustedBank - adjustedBook),
    balanced: adjustedBank === adjustedBook,
  };
}

function byDate(a: { date: string }, b: { date: string }): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
}

/** The candidate dated nearest the line (the earlier on a tie). */
function nearest(line: StatementLine, candidates: LedgerItem[]): LedgerItem {
  const day = dayNumber(line.date);
  return candidates.reduce((best, e) =>
    Math.abs(dayNumber(e.date) - day) < Math.abs(dayNumber(best.date) - day) ? e : best,
  );
}

/** The first index of a date-sorted list dated on or after `day` (binary search). */
function firstFrom(list: readonly LedgerItem[], day: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (dayNumber(list[mid].date) < day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
