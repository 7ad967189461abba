/**
 * 国库对账: the treasury's payment file against the ledger's treasury direct payments
 * (treasury-payment-made.v1) of every project, as of a month's end. The matching is the bank
 * statement's own (src/bank-account/reconciliation.ts, `reconcile`), each file line taken as a
 * debit of the treasury and each treasury payment as a payment: first by reference (the line's
 * 支付凭证号 is the payment's voucher), then by exact amount, dates at most `windowDays` apart (the
 * same policy setting) and the same payee. A matched pair whose amounts differ is an amount
 * mismatch (an amount keyed wrong). The finance user's decisions on the treasury stream
 * (treasury-line-matched.v1: confirmed, rejected, manual with its reason) are replayed first, as a
 * statement's are. Pure: the same lines, payments, decisions and window give the same answer.
 *
 * Beside the statement's lists, the file's 指标文号 is compared with the 下达文号 of the batch the
 * payment's allocation came from, where the project knows it: a pair that disagrees is listed in
 * `docNoMismatch` (paid from another indicator than the ledger says), and stays matched.
 */
import { MatchDecisionData, StatementLine } from '../bank-account/bank-account.events';
import { LedgerItem, MatchBasis, MatchedGroup, reconcile } from '../bank-account/reconciliation';
import { TreasuryFileLine } from './treasury-file.events';

/** A treasury direct payment as the ledger holds it, net of its reversals (positive). */
export interface TreasuryPaymentItem {
  projectId: string;
  paymentId: string;
  allocationId: string;
  batchId: string;
  amount: string;
  paidOn: string;
  voucher: string;
  payee: string;
  /** The 下达文号 of the allocation's batch, as the project recorded it. */
  docNo: string;
}

export const TREASURY_MATCH_BASES = ['voucher', 'amount-date-payee', 'confirmed', 'manual'] as const;
export type TreasuryMatchBasis = (typeof TREASURY_MATCH_BASES)[number];

/** Lines and payments matched: one of each, or as a finance user's decision groups them. */
export interface TreasuryMatch {
  basis: TreasuryMatchBasis;
  /** The decision's id and reason, for a confirmed or manual match. */
  matchId?: string;
  reason?: string;
  lines: TreasuryFileLine[];
  payments: TreasuryPaymentItem[];
  /** The file's amount minus the ledger's, "0.00" when they agree. */
  difference: string;
}

const BASIS: Readonly<Record<MatchBasis, TreasuryMatchBasis>> = {
  reference: 'voucher',
  'amount-date-counterparty': 'amount-date-payee',
  confirmed: 'confirmed',
  manual: 'manual',
};

export interface TreasuryReconciliation {
  month: string;
  windowDays: number;
  /** Matches with a line or a payment dated in the month, amounts agreeing (or the difference explained). */
  matched: TreasuryMatch[];
  /** Every line to the month's end the ledger has no treasury payment for. */
  fileOnly: TreasuryFileLine[];
  /** Every treasury payment to the month's end no file line pays. */
  ledgerOnly: TreasuryPaymentItem[];
  /** Matches to the month's end whose amounts differ, unexplained. */
  amountMismatch: TreasuryMatch[];
  /** Matches (of the two lists above) with a 指标文号 not the 下达文号 of a payment's batch. */
  docNoMismatch: TreasuryMatch[];
}

export interface TreasuryReconcileInput {
  month: string;
  lines: readonly TreasuryFileLine[];
  payments: readonly TreasuryPaymentItem[];
  decisions: readonly MatchDecisionData[];
  windowDays: number;
}

const paymentKey = (p: { projectId: string; entryId: string }): string => `${p.projectId}/${p.entryId}`;

export function reconcileTreasury(input: TreasuryReconcileInput): TreasuryReconciliation {
  const lineById = new Map(input.lines.map((l) => [l.lineId, l]));
  const paymentByKey = new Map(input.payments.map((p) => [paymentKey({ ...p, entryId: p.paymentId }), p]));
  const r = reconcile({
    month: input.month,
    lines: input.lines.map(asStatementLine),
    entries: input.payments.map(asLedgerItem),
    decisions: input.decisions,
    windowDays: input.windowDays,
  });
  const line = (l: StatementLine) => lineById.get(l.lineId)!;
  const match = (g: MatchedGroup): TreasuryMatch => ({
    basis: BASIS[g.basis],
    ...(g.matchId !== undefined ? { matchId: g.matchId } : {}),
    ...(g.reason !== undefined ? { reason: g.reason } : {}),
    lines: g.lines.map(line),
    payments: g.entries.map((e) => paymentByKey.get(paymentKey(e))!),
    // The statement's difference is signed (a debit less a payment): the file's amount less the ledger's.
    difference: negated(g.difference),
  });
  const matched = r.matched.map(match);
  const amountMismatch = r.amountMismatch.map(match);
  return {
    month: r.month,
    windowDays: r.windowDays,
    matched,
    fileOnly: r.statementOnly.map(line),
    ledgerOnly: r.ledgerOnly.map((e) => paymentByKey.get(paymentKey(e))!),
    amountMismatch,
    docNoMismatch: [...matched, ...amountMismatch].filter((m) =>
      m.lines.some((l) => m.payments.some((p) => l.docNo !== '' && p.docNo !== '' && !sameDocNo(l.docNo, p.docNo))),
    ),
  };
}

/** A 文号 as clerks key it: without spaces, its year in 〔〕 whichever brackets were typed. */
export function sameDocNo(a: string, b: string): boolean {
  const norm = (s: string) =>
    s
      .replace(/\s+/g, '')
      .replace(/[[［【(（]/g, '〔')
      .replace(/[\]］】)）]/g, '〕');
  return norm(a) === norm(b);
}

function negated(amount: string): string {
  if (amount === '0.00') return amount;
  return amount.startsWith('-') ? amount.slice(1) : `-${amount}`;
}

/**
 * The reconciliation in the statement's types, for the files the bank's reconciliation writes
 * (src/funding/bank-accounts/reconciliation-tables.ts): each line as a debit, each payment as a
 * payment, each match as a group whose difference is the file's amount less the ledger's.
 */
export function asStatementLists(r: TreasuryReconciliation) {
  const basis = Object.fromEntries(Object.entries(BASIS).map(([k, v]) => [v, k])) as Record<
    TreasuryMatchBasis,
    MatchBasis
  >;
  const group = (m: TreasuryMatch): MatchedGroup => ({
    basis: basis[m.basis],
    ...(m.matchId !== undefined ? { matchId: m.matchId } : {}),
    ...(m.reason !== undefined ? { reason: m.reason } : {}),
    lines: m.lines.map(asStatementLine),
    entries: m.payments.map(asLedgerItem),
    difference: m.difference,
  });
  return {
    month: r.month,
    windowDays: r.windowDays,
    matched: r.matched.map(group),
    statementOnly: r.fileOnly.map(asStatementLine),
    ledgerOnly: r.ledgerOnly.map(asLedgerItem),
    amountMismatch: r.amountMismatch.map(group),
    docNoMismatch: r.docNoMismatch.map(group),
  };
}

/** A file line as the statement matcher reads it: money out of the treasury to the payee, under its voucher. */
function asStatementLine(l: TreasuryFileLine): StatementLine {
  return {
    lineId: l.lineId,
    row: l.row,
    date: l.paidOn,
    direction: 'debit',
    amount: l.amount,
    // The treasury file runs no balance, and the matching reads none (only the 调节表 does, left out here).
    balance: '0.00',
    counterparty: l.payee,
    counterpartyAccount: '',
    // Read by no matching: what a clerk reads beside the line in the files (摘要).
    memo: [l.docNo && `指标文号 ${l.docNo}`, l.functionCode && `功能科目 ${l.functionCode}`].filter(Boolean).join('；'),
    serial: l.voucher,
  };
}

function asLedgerItem(p: TreasuryPaymentItem): LedgerItem {
  return {
    projectId: p.projectId,
    entryId: p.paymentId,
    kind: 'payment',
    amount: p.amount,
    date: p.paidOn,
    reference: p.voucher,
    counterparty: p.payee,
  };
}
