/**
 * 国库对账 matches as the bank statement does: a file line and a treasury payment by 支付凭证号
 * first (a different amount there is an amount keyed wrong), then by amount, payee and dates at
 * most the window apart; what is left is fileOnly or ledgerOnly. A matched pair whose 指标文号 is
 * not the payment's batch 下达文号 is listed as a 文号 mismatch (brackets and spaces aside).
 */
import { TreasuryFileLine } from '../../../src/treasury-file/treasury-file.events';
import { MatchDecisionData } from '../../../src/bank-account/bank-account.events';
import {
  TreasuryMatch,
  TreasuryPaymentItem,
  reconcileTreasury,
  sameDocNo,
} from '../../../src/treasury-file/treasury-reconciliation';

const DOC = '渝财建〔2022〕88号';
const line = (n: number, over: Partial<TreasuryFileLine> = {}): TreasuryFileLine => ({
  lineId: `T${n}`,
  row: n + 1,
  voucher: `ZF${n}`,
  docNo: DOC,
  payee: '重庆某建设工程有限公司',
  amount: '1000.00',
  paidOn: '2022-04-15',
  functionCode: '2120303',
  ...over,
});
const payment = (id: string, over: Partial<TreasuryPaymentItem> = {}): TreasuryPaymentItem => ({
  projectId: 'TN-1',
  paymentId: id,
  allocationId: 'A1',
  batchId: 'YCJ2022-88',
  amount: '1000.00',
  paidOn: '2022-04-15',
  voucher: `V-${id}`,
  payee: '重庆某建设工程有限公司',
  docNo: DOC,
  ...over,
});
const run = (
  lines: TreasuryFileLine[],
  payments: TreasuryPaymentItem[],
  month = '2022-04',
  decisions: MatchDecisionData[] = [],
) => reconcileTreasury({ month, lines, payments, decisions, windowDays: 3 });
const ids = (m: TreasuryMatch) => [m.lines.map((l) => l.lineId), m.payments.map((p) => p.paymentId)];

describe('treasury reconciliation', () => {
  it('matches by 支付凭证号 first, even where amount and payee differ: an amount keyed wrong', () => {
    const r = run([line(1, { amount: '1100.00', payee: '别名' })], [payment('P1', { voucher: 'ZF1' })]);
    expect(r.matched).toEqual([]);
    expect(r.amountMismatch).toEqual([
      expect.objectContaining({
        basis: 'voucher',
        difference: '100.00',
        lines: [expect.objectContaining({ lineId: 'T1' })],
      }),
    ]);
    expect([r.fileOnly, r.ledgerOnly]).toEqual([[], []]);
  });

  it('then by amount, payee and dates at most the window apart', () => {
    const r = run(
      [line(1, { paidOn: '2022-04-18' }), line(2, { paidOn: '2022-04-19' })],
      [payment('P1', { paidOn: '2022-04-15' })],
    );
    expect(r.matched.map((m) => [m.basis, ...ids(m), m.difference])).toEqual([
      ['amount-date-payee', ['T1'], ['P1'], '0.00'],
    ]);
    expect(r.fileOnly.map((l) => l.lineId)).toEqual(['T2']);
  });

  it('does not match another payee, or a date beyond the window', () => {
    const r = run(
      [line(1, { payee: '另一公司' }), line(2, { paidOn: '2022-04-19' })],
      [payment('P1'), payment('P2', { paidOn: '2022-04-15' })],
    );
    expect(r.matched).toEqual([]);
    expect(r.fileOnly.map((l) => l.lineId)).toEqual(['T1', 'T2']);
    expect(r.ledgerOnly.map((p) => p.paymentId)).toEqual(['P1', 'P2']);
  });

  it('lists a match whose 指标文号 is not the batch 下达文号, and leaves it matched', () => {
    const r = run(
      [
        line(1, { voucher: 'V-P1', docNo: '渝财建[2022]99号' }),
        line(2, { voucher: 'V-P2', docNo: '渝财建 [2022] 88号' }),
        line(3, { voucher: 'V-P3', docNo: '' }),
      ],
      [payment('P1'), payment('P2'), payment('P3')],
    );
    expect(r.matched).toHaveLength(3);
    expect(r.docNoMismatch.map(ids)).toEqual([[['T1'], ['P1']]]);
  });

  it('reconciles as of the month end: what is dated later waits', () => {
    const r = run([line(1, { paidOn: '2022-05-02' })], [payment('P1', { paidOn: '2022-04-30' })]);
    expect(r.fileOnly).toEqual([]);
    expect(r.ledgerOnly.map((p) => p.paymentId)).toEqual(['P1']);
    expect(
      run([line(1, { paidOn: '2022-05-02' })], [payment('P1', { paidOn: '2022-04-30' })], '2022-05').matched,
    ).toHaveLength(1);
  });

  const decision = (over: Partial<MatchDecisionData>): MatchDecisionData => ({
    matchId: 'GM1',
    decision: 'confirmed',
    lineIds: ['T1'],
    entries: [{ projectId: 'TN-1', entryId: 'P1' }],
    decidedOn: '2022-05-01',
    ...over,
  });

  it("replays the finance user's decisions: a manual match of two lines to one payment, with its reason", () => {
    const lines = [line(1, { amount: '600.00', payee: '别名' }), line(2, { amount: '400.00', payee: '别名' })];
    expect(run(lines, [payment('P1')]).matched).toEqual([]);
    const r = run(lines, [payment('P1')], '2022-04', [
      decision({ decision: 'manual', lineIds: ['T1', 'T2'], reason: '分两笔支付' }),
    ]);
    expect(r.matched.map((m) => [m.basis, m.matchId, m.reason, ...ids(m), m.difference])).toEqual([
      ['manual', 'GM1', '分两笔支付', ['T1', 'T2'], ['P1'], '0.00'],
    ]);
    expect([r.fileOnly, r.ledgerOnly, r.amountMismatch]).toEqual([[], [], []]);
  });

  it('a rejected pair is never proposed again; a confirmed one stands; an unexplained difference stays a mismatch', () => {
    const rejected = run([line(1)], [payment('P1')], '2022-04', [
      decision({ decision: 'rejected', reason: '不是同一笔' }),
    ]);
    expect(rejected.matched).toEqual([]);
    expect([rejected.fileOnly.map((l) => l.lineId), rejected.ledgerOnly.map((p) => p.paymentId)]).toEqual([
      ['T1'],
      ['P1'],
    ]);
    const confirmed = run([line(1, { amount: '1000.50' })], [payment('P1')], '2022-04', [decision({})]);
    expect(confirmed.amountMismatch.map((m) => [m.basis, m.difference])).toEqual([['confirmed', '0.50']]);
    const explained = run([line(1, { amount: '1000.50' })], [payment('P1')], '2022-04', [
      decision({ decision: 'manual', reason: '含手续费 0.50' }),
    ]);
    expect(explained.matched.map((m) => [m.basis, m.difference])).toEqual([['manual', '0.50']]);
  });

  it('compares 文号 without spaces and whatever brackets were typed', () => {
    expect(sameDocNo('渝财建〔2022〕88号', '渝财建【2022】 88号')).toBe(true);
    expect(sameDocNo('渝财建〔2022〕88号', '渝财建〔2022〕89号')).toBe(false);
  });
});
