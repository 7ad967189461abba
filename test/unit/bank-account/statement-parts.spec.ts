/** statementParts: a statement cut into parts that fit one event, each after the first led by one line of context. */
import fc from 'fast-check';
import { ParsedStatementLine } from '../../../src/bank-account/bank-account.commands';
import { statementParts } from '../../../src/funding/bank-accounts/bank-account.handlers';

const line = (row: number, counterparty = '潼南区财政局'): ParsedStatementLine => ({
  row,
  serial: `YH${row}`,
  date: '2022-03-01',
  direction: 'credit',
  amount: '100.00',
  balance: `${row}00.00`,
  counterparty,
  counterpartyAccount: '',
  memo: '',
});

describe('statementParts', () => {
  it('keeps a file that fits as one part with no context', () => {
    const lines = [line(1), line(2), line(3)];
    expect(statementParts(lines)).toEqual([{ lines, context: 0 }]);
    expect(statementParts([])).toEqual([{ lines: [], context: 0 }]);
  });

  it('cuts by size as stored: every line once outside context, each part within its budget, context the line before', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 60 }), { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 300, max: 2_000 }),
        (names, budget) => {
          const lines = names.map((n, i) => line(i + 1, n));
          const parts = statementParts(lines, budget);
          expect(parts.flatMap((p) => p.lines.slice(p.context))).toEqual(lines);
          for (const [k, p] of parts.entries()) {
            expect(p.context).toBe(k === 0 ? 0 : 1);
            if (k > 0) expect(p.lines[0]).toBe(parts[k - 1].lines[parts[k - 1].lines.length - 1]);
            const own = p.lines.slice(p.context);
            const bytes = own.reduce((t, l) => t + Buffer.byteLength(JSON.stringify(l)) + 32, 0);
            // A part holds one line at least, and more only within the budget.
            if (own.length > 1) expect(bytes).toBeLessThanOrEqual(budget);
          }
          expect(statementParts(lines, budget)).toEqual(parts);
        },
      ),
    );
  });
});
