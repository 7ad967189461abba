/**
 * 国库对账: the treasury's payment file against the ledger's treasury direct payments
 * (treasury-payment-made.v1) of every project, as of a month's end. The matching is the bank
 * statement's own (src/bank-account/reconciliation.ts, `reconcile`), each file line taken as a
 * debit of the treasury and each treasury payment as a payment: first by reference (the line's
 * 支付凭证号 is the payment's voucher), then by exact amount, dates at most `windowDays` apart (the
 * same policy setting) and the same payee. A matched pair whose amounts differ is an amount
 * mismatch (an amount keyed wrong). Pure: the same lines, payments and window give the same answer.
 *
 * Beside the statement's lists, the file's 指标文号 is compared with the 下达文号 of the batch the
 * payment's allocation came from, where the project knows it: a pair that disagrees is listed in
 * `docNoMismatch` (paid from another indicator than the ledger says), and stays matched.
 */
import { StatementLine } from '../bank-account/bank-account.events';
import { LedgerItem, MatchedGroup, reconcile } from '../bank-account/reconciliation';
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

export interface TreasuryMatch {
  basis: 'voucher' | 'amount-date-payee';
  line: TreasuryFileLine;
  payment: TreasuryPaymentItem;
  /** The file's amount minus the ledger's, "0.00" when they agree. */
  difference: string;
}

export interface TreasuryReconciliation {
  month: string;
  windowDays: number;
  /** Matches with a line or a payment dated in the month, amounts agreeing. */
  matched: TreasuryMatch[];
  /** Every line to the month's end the ledger has no treasury payment for. */
  fileOnly: TreasuryFileLine[];
  /** Every treasury payment to the month's end no file line pays. */
  ledgerOnly: TreasuryPaymentItem[];
  /** Matches to the month's end whose amounts differ. */
  amountMismatch: TreasuryMatch[];
  /** Matches (of the two lists above) whose 指标文号 is not the payment's batch 下达文号. */
  docNoMismatch: TreasuryMatch[];
}

export interface TreasuryReconcileInput {
  month: string;
  lines: readonly TreasuryFileLine[];
  payments: readonly TreasuryPaymentItem[];
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
    decisions: [],
    windowDays: input.windowDays,
  });
  const line = (l: StatementLine) => lineById.get(l.lineId)!;
  const match = (g: MatchedGroup): TreasuryMatch => ({
    basis: g.basis === 'reference' ? 'voucher' : 'amount-date-payee',
    line: line(g.lines[0]),
    payment: paymentByKey.get(paymentKey(g.entries[0]))!,
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
    docNoMismatch: [...matched, ...amountMismatch].filter(
      (m) => m.line.docNo !== '' && m.payment.docNo !== '' && !sameDocNo(m.line.docNo, m.payment.docNo),
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
    memo: '',
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
