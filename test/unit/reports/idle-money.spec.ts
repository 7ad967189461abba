/**
 * Idle money (RF-14): money received on an allocation and unpaid `idleDays` (365) or more at the
 * reference date. Payments spend the oldest receipts first; a reversed receipt takes back the
 * newest money; a reversed payment counts as never made; nothing after the reference date counts.
 */
import { IdleFlow, combineIdleMoney, daysBetween, idleMoney } from '../../../src/reports/idle-money';

let seq = 0;
const flow = (kind: IdleFlow['kind'], onDate: string, yuan: number, entryId?: string): IdleFlow => {
  seq += 1;
  const id = `${kind}-${seq}`;
  return { kind, flowId: id, entryId: entryId ?? id, onDate, amountFen: BigInt(yuan) * 100n };
};
const receipt = (onDate: string, yuan: number) => flow('receipt', onDate, yuan);
const payment = (onDate: string, yuan: number) => flow('payment', onDate, yuan);

describe('idle money, first in first out', () => {
  it('money unpaid exactly 365 days is idle; 364 days is not', () => {
    const flows = [receipt('2021-01-01', 100)];
    expect(idleMoney(flows, '2022-01-01')).toEqual({
      unpaidFen: 10000n,
      idleFen: 10000n,
      oldestUnpaidOn: '2021-01-01',
      oldestUnpaidAgeDays: 365,
    });
    expect(idleMoney(flows, '2021-12-31')).toEqual({
      unpaidFen: 10000n,
      idleFen: 0n,
      oldestUnpaidOn: '2021-01-01',
      oldestUnpaidAgeDays: 364,
    });
  });

  it('counts days across a leap year by the calendar', () => {
    expect(daysBetween('2020-01-01', '2021-01-01')).toBe(366);
    expect(idleMoney([receipt('2020-01-01', 1)], '2020-12-31').idleFen).toBe(100n); // 365 days in 2020
  });

  it('a payment spends the oldest receipt first, so the newer money is what remains', () => {
    const flows = [receipt('2021-01-01', 100), receipt('2022-01-01', 100), payment('2022-02-01', 100)];
    expect(idleMoney(flows, '2022-06-01')).toEqual({
      unpaidFen: 10000n,
      idleFen: 0n,
      oldestUnpaidOn: '2022-01-01',
      oldestUnpaidAgeDays: 151,
    });
  });

  it('a partial payment leaves the rest of its receipt idle once old enough', () => {
    const flows = [receipt('2021-01-01', 100), receipt('2021-06-01', 200), payment('2021-07-01', 150)];
    // 2021-01-01's 100 is spent, and 50 of 2021-06-01's 200: 150 remain from 2021-06-01.
    expect(idleMoney(flows, '2022-05-31')).toMatchObject({
      unpaidFen: 15000n,
      idleFen: 0n,
      oldestUnpaidOn: '2021-06-01',
      oldestUnpaidAgeDays: 364,
    });
    expect(idleMoney(flows, '2022-06-01')).toMatchObject({
      unpaidFen: 15000n,
      idleFen: 15000n,
      oldestUnpaidAgeDays: 365,
    });
  });

  it('only the part of the unpaid money old enough is idle', () => {
    const flows = [receipt('2021-01-01', 100), receipt('2021-09-01', 40)];
    expect(idleMoney(flows, '2022-03-01')).toMatchObject({
      unpaidFen: 14000n,
      idleFen: 10000n,
      oldestUnpaidOn: '2021-01-01',
    });
  });

  it('a reversed receipt takes back the newest money, leaving the oldest in view', () => {
    const flows = [receipt('2021-01-01', 100), receipt('2021-12-01', 100), flow('receipt-reversal', '2022-01-10', 100)];
    expect(idleMoney(flows, '2022-01-15')).toEqual({
      unpaidFen: 10000n,
      idleFen: 10000n,
      oldestUnpaidOn: '2021-01-01',
      oldestUnpaidAgeDays: 379,
    });
  });

  it('a reversed payment counts as never made, for the part reversed: that money is unpaid since its receipt', () => {
    const paid = payment('2021-02-01', 100);
    const flows = [receipt('2021-01-01', 100), paid, flow('payment-reversal', '2021-03-01', 40, paid.flowId)];
    expect(idleMoney(flows, '2022-01-01')).toEqual({
      unpaidFen: 4000n,
      idleFen: 4000n,
      oldestUnpaidOn: '2021-01-01',
      oldestUnpaidAgeDays: 365,
    });
    // Before the reversal's date, the payment stood whole.
    expect(idleMoney(flows, '2021-02-15').unpaidFen).toBe(0n);
  });

  it('a reversal of a payment that takes back what an undo of an earlier reversal paid again nets against that undo', () => {
    const paid = payment('2021-02-01', 60);
    const chain = (f: IdleFlow): IdleFlow => ({ ...f, rootId: paid.flowId });
    const undo = chain(payment('2021-07-01', 10)); // gives back V1's 10: a payment of its own, of paid's chain
    const flows = [
      receipt('2021-01-01', 100),
      paid,
      chain(flow('payment-reversal', '2021-03-01', 10, paid.flowId)), // V1
      receipt('2021-06-01', 100),
      undo,
      chain(flow('payment-reversal', '2021-08-01', 60, paid.flowId)), // all that remains: paid's own 50, the undo's 10
    ];
    // Nothing paid: both receipts unpaid since they came, the first idle by 2022-05-01, the second not yet.
    expect(idleMoney(flows, '2022-05-01')).toEqual({
      unpaidFen: 20000n,
      idleFen: 10000n,
      oldestUnpaidOn: '2021-01-01',
      oldestUnpaidAgeDays: 485,
    });
    // Before that reversal, the undo's 10 was paid (from the oldest money) and paid's 50.
    expect(idleMoney(flows, '2021-07-15')).toMatchObject({ unpaidFen: 14000n, oldestUnpaidOn: '2021-01-01' });
    // Outside the chain (no rootId), the reversal takes nothing of another payment's money.
    const other = payment('2021-07-01', 10);
    const unchained = [...flows.slice(0, 4), other, flows[5]];
    expect(idleMoney(unchained, '2022-05-01').unpaidFen).toBe(19000n);
  });

  it('leaves out what happened after the reference date', () => {
    const flows = [receipt('2021-01-01', 100), payment('2022-03-01', 100)];
    expect(idleMoney(flows, '2022-02-28')).toMatchObject({ unpaidFen: 10000n, idleFen: 10000n });
    expect(idleMoney(flows, '2022-03-01')).toEqual({
      unpaidFen: 0n,
      idleFen: 0n,
      oldestUnpaidOn: null,
      oldestUnpaidAgeDays: null,
    });
  });

  it('a payment dated before the receipt it spent is settled by that receipt', () => {
    const flows = [payment('2021-01-01', 50), receipt('2021-02-01', 100)];
    expect(idleMoney(flows, '2022-03-01')).toMatchObject({
      unpaidFen: 5000n,
      idleFen: 5000n,
      oldestUnpaidOn: '2021-02-01',
    });
  });

  it('a treasury direct payment and its reversal are never unpaid, and spend none of the money received before', () => {
    const treasury = flow('treasury-payment', '2021-03-01', 80);
    const flows = [
      receipt('2021-01-01', 100),
      treasury,
      flow('treasury-payment-reversal', '2021-04-01', 30, treasury.flowId),
      payment('2021-05-01', 40),
    ];
    expect(idleMoney(flows, '2022-03-01')).toMatchObject({
      unpaidFen: 6000n,
      idleFen: 6000n,
      oldestUnpaidOn: '2021-01-01',
    });
  });

  it('takes another yardstick than 365 days', () => {
    const flows = [receipt('2022-01-01', 100)];
    expect(idleMoney(flows, '2022-01-31', 30).idleFen).toBe(10000n);
    expect(idleMoney(flows, '2022-01-30', 30).idleFen).toBe(0n);
  });

  it('unpaid is always received − paid − reversed when nothing is overdrawn, whatever the order', () => {
    let seed = 11;
    const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    for (let round = 0; round < 200; round++) {
      const flows: IdleFlow[] = [];
      let balance = 0;
      let expected = 0n;
      for (let day = 1; day <= 28; day++) {
        const onDate = `2021-02-${String(day).padStart(2, '0')}`;
        const choice = next(3);
        if (choice === 0 || balance === 0) {
          const yuan = 1 + next(1000);
          flows.push(receipt(onDate, yuan));
          balance += yuan;
        } else {
          const yuan = 1 + next(balance);
          flows.push(flow(choice === 1 ? 'payment' : 'receipt-reversal', onDate, yuan));
          balance -= yuan;
        }
      }
      expected = BigInt(balance) * 100n;
      const idle = idleMoney(flows, '2022-03-01');
      expect(idle.unpaidFen).toBe(expected);
      expect(idle.idleFen).toBe(expected); // every receipt is over a year old by then
    }
  });

  it('a batch sums its allocations, each aged on its own, and names the oldest of their oldest', () => {
    const a = idleMoney([receipt('2021-03-01', 100)], '2022-06-01');
    const b = idleMoney(
      [receipt('2021-01-01', 50), payment('2021-02-01', 50), receipt('2022-05-01', 20)],
      '2022-06-01',
    );
    expect(combineIdleMoney([a, b], '2022-06-01')).toEqual({
      unpaidFen: 12000n,
      idleFen: 10000n,
      oldestUnpaidOn: '2021-03-01',
      oldestUnpaidAgeDays: 457,
    });
    expect(combineIdleMoney([], '2022-06-01')).toEqual({
      unpaidFen: 0n,
      idleFen: 0n,
      oldestUnpaidOn: null,
      oldestUnpaidAgeDays: null,
    });
  });
});
