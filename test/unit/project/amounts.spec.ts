import { ProjectCommand } from '../../../src/project/project.commands';
import {
  addBudgetLine,
  approve,
  approvedProject,
  asWire,
  disburse,
  given,
  pledge,
  pledged,
  receive,
  received,
  registered,
  reverse,
} from '../../support/project-fixtures';

describe('invalid-amount', () => {
  // "CNY, exactly two decimals, on the wire as a string: "1250.00". A JSON number, a third decimal,
  // an exponent, a negative where one makes no sense: 400 with a message that names the field."
  // (product.md, Money). The decider parses amounts itself, whatever door the command came through.
  const refused: Array<[string, unknown]> = [
    ['a JSON number', 100],
    ['a third decimal', '100.001'],
    ['an exponent', '1e3'],
    ['a negative', '-100.00'],
    ['zero', '0.00'],
    ['a bare zero', '0'],
    ['empty', ''],
    ['leading zeros', '0100.00'],
    ['a thousands separator', '1,000.00'],
    ['surrounding space', ' 100.00'],
    ['a dangling point', '100.'],
    ['no integer part', '.50'],
    ['a currency sign', '¥100.00'],
    ['null', null],
  ];

  it.each(refused)('refuses %s in a pledge, naming the field amount (400)', (_what, amount) => {
    given(registered())
      .when(pledge({ amount: asWire<string>(amount) }))
      .thenThrows('invalid-amount', 'amount');
  });

  it('names the field of every money input', () => {
    const cases: Array<[ProjectCommand, string]> = [
      [approve(asWire<string>(8000000)), 'approvedInvestment'],
      [addBudgetLine({ estimatedCost: '1e6' }), 'estimatedCost'],
      [receive({ amount: '-1.00' }), 'amount'],
    ];
    for (const [command, field] of cases) given(registered()).when(command).thenThrows('invalid-amount', field);
    given(...approvedProject(), received())
      .when(disburse({ amount: '10.001' }))
      .thenThrows('invalid-amount', 'amount');
    given(registered(), received())
      .when(reverse({ amount: '0.00' }))
      .thenThrows('invalid-amount', 'amount');
  });

  // Money inside is integer fen, written back with exactly two decimals ("1250.5" is not refused:
  // product.md refuses a third decimal, not fewer).
  it('records an amount with exactly two decimals', () => {
    given(registered())
      .when(pledge({ amount: '1250.5' }))
      .then(pledged({ amount: '1250.50' }));
  });

  it('accepts the smallest amount, one fen', () => {
    given(registered())
      .when(pledge({ amount: '0.01' }))
      .then(pledged({ amount: '0.01' }));
  });
});

describe('amount-too-large', () => {
  // "The largest single amount the ledger accepts: one trillion yuan. A limit on everything." (money.ts)
  it('refuses one fen above 1,000,000,000,000.00 (field amount)', () => {
    given(registered())
      .when(pledge({ amount: '1000000000000.01' }))
      .thenThrows('amount-too-large', 'amount');
  });

  it('accepts exactly 1,000,000,000,000.00', () => {
    given(registered())
      .when(pledge({ amount: '1000000000000.00' }))
      .then(pledged({ amount: '1000000000000.00' }));
  });
});
