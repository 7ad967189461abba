/**
 * Rule: the dated balances answer, without walking the entries, what walking them gives: the
 * balance after every change, and the lowest balance on a date or any date after it, with the
 * first date that lowest balance is reached on.
 */
import fc from 'fast-check';
import { addOn, emptyDatedBalances, finalBalance, lowestFrom } from '../../../src/project/dated-balances';
import { Fen } from '../../../src/shared/money/money';

const DAY_MS = 86_400_000;
const dateOf = (day: number): string => new Date(Date.UTC(2021, 0, 1) + day * DAY_MS).toISOString().slice(0, 10);

/** The lowest running balance on `from` or later, by walking every change (the specification). */
function walked(changes: [string, Fen][], from: string): { fen: Fen; on: string } {
  const byDate = new Map<string, Fen>();
  for (const [date, fen] of changes) byDate.set(date, (byDate.get(date) ?? 0n) + fen);
  let balance = 0n;
  for (const [date, fen] of byDate) if (date < from) balance += fen;
  balance += byDate.get(from) ?? 0n;
  let lowest = { fen: balance, on: from };
  for (const date of [...byDate.keys()].filter((d) => d > from).sort()) {
    balance += byDate.get(date)!;
    if (balance < lowest.fen) lowest = { fen: balance, on: date };
  }
  return lowest;
}

describe('dated balances', () => {
  it('start empty: 0 on every date', () => {
    const b = emptyDatedBalances();
    expect(finalBalance(b, 'money:x')).toBe(0n);
    expect(lowestFrom(b, 'money:x', '2021-06-01')).toEqual({ fen: 0n, on: '2021-06-01' });
  });

  it('count a change from its date on', () => {
    let b = addOn(emptyDatedBalances(), 'money:x', '2021-03-01', 100n);
    b = addOn(b, 'money:x', '2021-05-01', -100n);
    expect(lowestFrom(b, 'money:x', '2021-02-28')).toEqual({ fen: 0n, on: '2021-02-28' });
    expect(lowestFrom(b, 'money:x', '2021-03-01')).toEqual({ fen: 0n, on: '2021-05-01' });
    b = addOn(b, 'money:x', '2021-04-01', -30n); // paid in April: negative from May
    expect(lowestFrom(b, 'money:x', '2021-03-01')).toEqual({ fen: -30n, on: '2021-05-01' });
    expect(lowestFrom(b, 'money:x', '2021-04-15')).toEqual({ fen: -30n, on: '2021-05-01' });
    expect(finalBalance(b, 'money:x')).toBe(-30n);
    expect(finalBalance(b, 'money:y')).toBe(0n);
  });

  it('keep accounts apart and leave the earlier map as it was', () => {
    const one = addOn(emptyDatedBalances(), 'a', '2021-01-01', 5n);
    const two = addOn(one, 'b', '2021-01-01', -7n);
    expect(finalBalance(one, 'b')).toBe(0n);
    expect(finalBalance(two, 'a')).toBe(5n);
    expect(lowestFrom(two, 'b', '2020-12-31')).toEqual({ fen: -7n, on: '2021-01-01' });
  });

  it('hold dates from 0000-01-01 to 9999-12-31, far apart in one account', () => {
    let b = addOn(emptyDatedBalances(), 'a', '0000-01-01', 10n);
    b = addOn(b, 'a', '9999-12-31', -11n);
    b = addOn(b, 'a', '2021-07-01', 3n);
    expect(finalBalance(b, 'a')).toBe(2n);
    expect(lowestFrom(b, 'a', '0000-01-01')).toEqual({ fen: 2n, on: '9999-12-31' });
    expect(lowestFrom(b, 'a', '2021-06-30')).toEqual({ fen: 2n, on: '9999-12-31' });
  });

  it('answer what walking the changes answers, for any changes in any order (seeded)', () => {
    const change = fc.tuple(fc.integer({ min: 0, max: 5000 }), fc.bigInt({ min: -1000n, max: 1000n }));
    fc.assert(
      fc.property(fc.array(change, { maxLength: 60 }), fc.integer({ min: 0, max: 5100 }), (raw, fromDay) => {
        const changes = raw.map(([day, fen]): [string, Fen] => [dateOf(day), fen]);
        let b = emptyDatedBalances();
        for (const [date, fen] of changes) b = addOn(b, 'acct', date, fen);
        const from = dateOf(fromDay);
        expect(lowestFrom(b, 'acct', from)).toEqual(walked(changes, from));
        expect(finalBalance(b, 'acct')).toBe(changes.reduce((t, [, fen]) => t + fen, 0n));
      }),
      { seed: 20211125, numRuns: 400 },
    );
  });
});
