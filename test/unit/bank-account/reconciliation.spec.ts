import { StatementLine } from '../../../src/bank-account/bank-account.events';
import { MatchRecord } from '../../../src/bank-account/bank-account.decider';
import { ledgerItem, statementLine } from '../../support/reconciliation-fixtures';
import { LedgerItem, monthEnd, reconcile } from '../../../src/bank-account/reconciliation';

let n = 0;
const line = (over: Partial<StatementLine>) => statementLine({ lineId: `L${++n}`, row: n, ...over });
const entry = ledgerItem;
const run = (lines: StatementLine[], entries: LedgerItem[], decisions: MatchRecord[] = [], windowDays = 3) =>
  reconcile({ month: '2023-03', lines, entries, decisions, windowDays });
const ids = (r: ReturnType<typeof run>) => ({
  matched: r.matched.map((g) => `${g.basis}:${g.lines.map((l) => l.lineId)}=${g.entries.map((e) => e.entryId)}`),
  statementOnly: r.statementOnly.map((l) => l.lineId),
  ledgerOnly: r.ledgerOnly.map((e) => e.entryId),
  amountMismatch: r.amountMismatch.map((g) => `${g.lines.map((l) => l.lineId)}=${g.entries.map((e) => e.entryId)}`),
});

beforeEach(() => (n = 0));

describe('reconciling a month', () => {
  it('matches by reference first, and a different amount there is an amount mismatch', () => {
    const r = run(
      [line({ serial: 'YH1', amount: '100.00' }), line({ serial: 'YH2', amount: '55.00', date: '2023-03-20' })],
      [
        entry({ entryId: 'R1', reference: 'YH1' }),
        entry({ entryId: 'R2', reference: 'YH2', amount: '50.00', counterparty: '别人' }),
      ],
    );
    expect(ids(r)).toEqual({
      matched: ['reference:L1=R1'],
      statementOnly: [],
      ledgerOnly: [],
      amountMismatch: ['L2=R2'],
    });
    expect(r.amountMismatch[0].difference).toBe('5.00');
  });

  it('matches by exact amount, date within the window and counterparty, nearest date first', () => {
    const r = run(
      [line({ date: '2023-03-10' })],
      [entry({ entryId: 'FAR', date: '2023-03-07' }), entry({ entryId: 'NEAR', date: '2023-03-12' })],
    );
    expect(ids(r).matched).toEqual(['amount-date-counterparty:L1=NEAR']);
    expect(ids(r).ledgerOnly).toEqual(['FAR']);
  });

  it('does not match outside the window, another counterparty, or the other direction', () => {
    const r = run(
      [
        line({ date: '2023-03-10' }),
        line({ date: '2023-03-10', counterparty: '甲公司' }),
        line({ direction: 'debit' }),
      ],
      [entry({ entryId: 'LATE', date: '2023-03-14' }), entry({ entryId: 'OTHER', counterparty: '乙公司' })],
    );
    expect(ids(r).matched).toEqual([]);
    expect(ids(r).statementOnly).toEqual(['L1', 'L2', 'L3']);
    // The window is the policy's setting: four days takes the late one.
    expect(
      ids(run([line({ date: '2023-03-10' })], [entry({ entryId: 'LATE', date: '2023-03-14' })], [], 4)).matched,
    ).toEqual(['amount-date-counterparty:L4=LATE']);
  });

  it('never proposes a rejected pair again', () => {
    const l = line({});
    const rejected: MatchRecord = {
      accountId: 'A',
      matchId: 'M1',
      decision: 'rejected',
      lineIds: [l.lineId],
      entries: [{ projectId: 'TN-1', entryId: 'R1' }],
      reason: '不是同一笔',
      decidedOn: '2023-04-01',
    };
    expect(ids(run([l], [entry({})], [rejected]))).toMatchObject({
      matched: [],
      statementOnly: ['L1'],
      ledgerOnly: ['R1'],
    });
  });

  it('takes a confirmed one-to-many match (a batch payment) as recorded; unequal sums without a reason are a mismatch', () => {
    const l = line({ direction: 'debit', amount: '300.00' });
    const d = (entryId: string, amount: string): LedgerItem => entry({ entryId, kind: 'payment', amount });
    const confirmed = (entries: string[], reason?: string): MatchRecord => ({
      accountId: 'A',
      matchId: 'M1',
      decision: reason ? 'manual' : 'confirmed',
      lineIds: [l.lineId],
      entries: entries.map((entryId) => ({ projectId: 'TN-1', entryId })),
      ...(reason ? { reason } : {}),
      decidedOn: '2023-04-01',
    });
    expect(ids(run([l], [d('D1', '100.00'), d('D2', '200.00')], [confirmed(['D1', 'D2'])])).matched).toEqual([
      'confirmed:L1=D1,D2',
    ]);
    expect(ids(run([l], [d('D1', '100.00')], [confirmed(['D1'])])).amountMismatch).toEqual(['L1=D1']);
    const explained = run([l], [d('D1', '100.00')], [confirmed(['D1'], '含手续费')]);
    expect(ids(explained).matched).toEqual(['manual:L1=D1']);
    expect(explained.adjustment).toMatchObject({ explainedDifferences: '-200.00', balanced: true });
  });

  it('balances the 调节表 with the outstanding items, from the balance before the first line', () => {
    const r = run(
      [
        line({ serial: 'A', amount: '100.00', balance: '1100.00', date: '2023-03-01' }),
        line({ amount: '40.00', balance: '1140.00', date: '2023-03-05', counterparty: '利息' }),
        line({ amount: '9.00', balance: '1149.00', date: '2023-04-02' }),
      ],
      [
        entry({ entryId: 'R1', reference: 'A', date: '2023-03-01' }),
        entry({ entryId: 'D1', kind: 'payment', amount: '70.00', date: '2023-03-30' }),
      ],
    );
    expect(ids(r)).toEqual({
      matched: ['reference:L1=R1'],
      statementOnly: ['L2'],
      ledgerOnly: ['D1'],
      amountMismatch: [],
    });
    expect(r.adjustment).toEqual({
      asOf: '2023-03-31',
      bookBalance: '1030.00',
      bankBalance: '1140.00',
      bankCreditedNotBooked: '40.00',
      bankDebitedNotBooked: '0.00',
      bookedReceiptsNotInBank: '0.00',
      bookedPaymentsNotInBank: '70.00',
      explainedDifferences: '0.00',
      adjustedBookBalance: '1070.00',
      adjustedBankBalance: '1070.00',
      difference: '0.00',
      balanced: true,
    });
  });

  it('looks only at entries of a line’s own amount: many entries of other amounts never match', () => {
    const entries = Array.from({ length: 2000 }, (_, i) => entry({ entryId: `R${i}`, amount: `${i + 1000}.00` }));
    const r = run([line({ amount: '1500.00' })], entries);
    expect(ids(r).matched).toEqual(['amount-date-counterparty:L1=R500']);
    expect(r.ledgerOnly).toHaveLength(1999);
  });

  it('knows the last day of a month', () => {
    expect([monthEnd('2024-02'), monthEnd('2023-02'), monthEnd('2023-12')]).toEqual([
      '2024-02-29',
      '2023-02-28',
      '2023-12-31',
    ]);
  });
});
