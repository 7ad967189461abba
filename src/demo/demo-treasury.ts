/**
 * The demo's treasury side (issue 18, points 5 and 9): a few of the district's payments made as
 * treasury direct payments (国库集中支付·直接支付), and the treasury's payment file for the demo's
 * last year as its system exports it (GBK CSV), with one difference planted for the treasury
 * reconciliation to find.
 *
 * A direct payment is one the treasury makes to the payee from the project's allocation: the money
 * never reaches the project's account. The demo takes pairs it already has, a receipt on an
 * allocation and the payment of the same amount from it to the line's contractor, and books each
 * pair as the one treasury payment it stands for, dated the payment's day, with the payment's id
 * and voucher: what each allocation received and paid stays as it was, and neither entry is on a
 * bank statement any more (demo-statements.ts reads the requests after this).
 */
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import { fenOfStored, formatFen } from '../shared/money/money';
import type { DemoFundBatch } from './demo-fund-batches';
import { DEMO_LAST_DAY } from './demo-units';
import { readableFen, withThousands } from '../shared/money/money';
import type { DemoReconciliationDifference, DemoRequest } from './demo-units';

/** How many pairs become treasury direct payments. */
const TREASURY_PAYMENTS = 3;
/** Sources the treasury pays directly here: upper-level transfers, never the district's own matching (RF-15 reads its receipts). */
const TREASURY_SOURCES = ['central_fiscal_subsidy', 'municipal_subsidy'];
/** 功能分类科目 of the renovation's spending: 住房保障支出 · 保障性安居工程支出 · 老旧小区改造. */
export const DEMO_FUNCTION_SUBJECT = '2210108 老旧小区改造';

export interface DemoTreasuryPayment {
  projectId: string;
  paymentId: string;
  allocationId: string;
  docNo: string;
  lineId: string;
  amount: string;
  payee: string;
  voucher: string;
  paidOn: string;
}

export interface DemoTreasuryFile {
  fileName: string;
  bytes: Buffer;
  lines: number;
}

const routeOf = (r: DemoRequest) => (r.batchId === undefined ? r.path.split('/').pop() : undefined);

/**
 * Turns up to TREASURY_PAYMENTS pairs of the demo's last year into treasury direct payments (the
 * requests changed in place and the receipts dropped), on projects and batches no red flag is
 * planted on. A pair: a receipt on an allocation and, on or after its day, a payment of the same
 * amount from the same allocation to the same line, by treasury voucher, neither reversed.
 */
export function makeTreasuryPayments(
  requests: DemoRequest[],
  batches: readonly DemoFundBatch[],
  spared: ReadonlySet<string>,
): DemoTreasuryPayment[] {
  const year = DEMO_LAST_DAY.slice(0, 4);
  const docNoOf = new Map(batches.flatMap((b) => b.allocations.map((a) => [a.allocationId, b.docNo])));
  const idleAllocations = new Set(
    batches.filter((b) => b.idle).flatMap((b) => b.allocations.map((a) => a.allocationId)),
  );
  const reversed = new Set(
    requests.filter((r) => routeOf(r) === 'reversals').map((r) => `${r.projectId}/${r.body.entryId as string}`),
  );
  const usable = (r: DemoRequest, id: string) =>
    !spared.has(r.projectId) &&
    !reversed.has(`${r.projectId}/${r.body[id] as string}`) &&
    typeof r.body.allocationId === 'string' &&
    !idleAllocations.has(r.body.allocationId) &&
    TREASURY_SOURCES.includes(r.body.source as string);
  const receipts = requests.filter((r) => routeOf(r) === 'receipts' && usable(r, 'receiptId'));
  const made: DemoTreasuryPayment[] = [];
  const taken = new Set<DemoRequest>();
  const projects = new Set<string>();
  for (const payment of requests) {
    if (made.length >= TREASURY_PAYMENTS) break;
    const b = payment.body;
    if (routeOf(payment) !== 'disbursements' || !usable(payment, 'paymentId')) continue;
    if (!(b.paidOn as string).startsWith(year) || !(b.voucher as string).startsWith('国库集中支付凭证')) continue;
    // One per project, so each stands on its own.
    if (projects.has(payment.projectId)) continue;
    const receipt = receipts.find(
      (r) =>
        !taken.has(r) &&
        r.projectId === payment.projectId &&
        r.body.allocationId === b.allocationId &&
        r.body.lineId === b.lineId &&
        r.body.amount === b.amount &&
        (r.body.receivedOn as string) <= (b.paidOn as string),
    );
    if (receipt === undefined) continue;
    taken.add(receipt);
    projects.add(payment.projectId);
    const body = {
      paymentId: b.paymentId as string,
      allocationId: b.allocationId as string,
      lineId: b.lineId as string,
      amount: b.amount as string,
      payee: b.payee as string,
      voucher: b.voucher as string,
      paidOn: b.paidOn as string,
    };
    payment.path = `/api/projects/${payment.projectId}/treasury-payments`;
    payment.role = 'finance';
    payment.body = body;
    made.push({ projectId: payment.projectId, docNo: docNoOf.get(body.allocationId)!, ...body });
  }
  for (const r of taken) requests.splice(requests.indexOf(r), 1);
  return made;
}

/**
 * The treasury's payment file for the demo's last year (国库集中支付明细): a title and the period
 * above the header, one line a payment, a 合计 and the 制表 line below; GBK, as the treasury's
 * system exports it. It lists the ledger's treasury payments and one it does not have: a payment
 * the treasury made in the last days of the year that nobody booked (the planted difference).
 */
export function treasuryFile(payments: readonly DemoTreasuryPayment[]): {
  file: DemoTreasuryFile;
  difference: DemoReconciliationDifference;
} {
  const year = DEMO_LAST_DAY.slice(0, 4);
  if (payments.length === 0) throw new Error(`demo: no treasury direct payment in ${year}`);
  const model = payments[payments.length - 1];
  const unbooked = {
    voucher: `国库集中支付凭证 ${year}-9001`,
    docNo: model.docNo,
    payee: model.payee,
    amount: '48600.00',
    paidOn: DEMO_LAST_DAY,
  };
  const rows = [...payments, unbooked].map((p, i) => [
    String(i + 1),
    p.voucher,
    p.docNo,
    p.payee,
    withThousands(p.amount),
    p.paidOn,
    DEMO_FUNCTION_SUBJECT,
  ]);
  const total = [...payments, unbooked].reduce((t, p) => t + fenOfStored(p.amount), 0n);
  const text = stringify(
    [
      ['重庆市潼南区国库集中支付明细表'],
      [`支付期间：${year}-01-01 至 ${year}-12-31`],
      ['序号', '支付凭证号', '指标文号', '收款人', '金额', '支付日期', '功能科目'],
      ...rows,
      ['合计', '', '', '', readableFen(total), '', ''],
      ['制表：潼南区财政局国库支付中心'],
    ],
    { record_delimiter: 'windows' },
  );
  return {
    file: { fileName: `treasury-${year}.csv`, bytes: iconv.encode(text, 'gbk'), lines: rows.length },
    difference: {
      kind: 'fileOnly',
      accountId: null,
      date: unbooked.paidOn,
      amount: unbooked.amount,
      serial: unbooked.voucher,
      what: `a treasury direct payment to ${unbooked.payee} (${unbooked.docNo}) the ledger has not booked`,
    },
  };
}
