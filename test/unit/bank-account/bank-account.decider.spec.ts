import { bankAccountDecider } from '../../../src/bank-account/bank-account.decider';
import {
  BankAccountEvent,
  BankAccountEventType as T,
  StatementLine,
  bankAccountEvents,
} from '../../../src/bank-account/bank-account.events';
import { OpenBankAccount, ParsedStatementLine, RecordMatch } from '../../../src/bank-account/bank-account.commands';
import { deciderSpec } from '../../support/given';

const given = deciderSpec(bankAccountDecider);

const open = (over: Partial<OpenBankAccount> = {}): OpenBankAccount => ({
  type: 'OpenBankAccount',
  accountId: 'ZH-001',
  name: '专户',
  bank: '农行潼南支行',
  accountNo: '3105 0101 0400 1234',
  projectIds: ['TN-1'],
  ...over,
});
const opened = (): BankAccountEvent => ({
  type: T.opened,
  data: {
    accountId: 'ZH-001',
    name: '专户',
    bank: '农行潼南支行',
    accountNo: '3105 0101 0400 1234',
    projectIds: ['TN-1'],
  },
});
const line = (row: number, over: Partial<ParsedStatementLine> = {}): ParsedStatementLine => ({
  row,
  date: '2022-03-01',
  direction: 'credit',
  amount: '100.00',
  balance: '100.00',
  counterparty: '潼南区财政局',
  counterpartyAccount: '5001',
  memo: '拨款',
  serial: `S${row}`,
  ...over,
});
const importing = (lines: ParsedStatementLine[]) => ({
  type: 'ImportStatement' as const,
  fileHash: 'f'.repeat(64),
  format: 'csv-gb18030' as const,
  lines,
});
const imported = (lines: StatementLine[], duplicateRows: number[] = []): BankAccountEvent => ({
  type: T.statementImported,
  data: { accountId: 'ZH-001', fileHash: 'f'.repeat(64), format: 'csv-gb18030', lines, duplicateRows },
});
const L = (n: number, l: ParsedStatementLine): StatementLine => ({ lineId: `L${n}`, ...l });
const match = (over: Partial<RecordMatch> = {}): RecordMatch => ({
  type: 'RecordMatch',
  matchId: 'M1',
  decision: 'confirmed',
  lineIds: ['L1'],
  entries: [{ projectId: 'TN-1', entryId: 'R1' }],
  decidedOn: '2022-04-01',
  ...over,
});
const matched = (): BankAccountEvent => ({
  type: T.lineMatched,
  data: {
    accountId: 'ZH-001',
    matchId: 'M1',
    decision: 'confirmed',
    lineIds: ['L1'],
    entries: [{ projectId: 'TN-1', entryId: 'R1' }],
    decidedOn: '2022-04-01',
  },
});
const first = line(2, { amount: '100.00', balance: '100.00' });
const second = line(3, { date: '2022-03-02', direction: 'debit', amount: '30.00', balance: '70.00' });

describe('recording a bank account', () => {
  it('records it once, in its own stream', () => {
    given().when(open()).then(opened());
    given(opened()).when(open()).thenThrows('bank-account-exists', 'accountId');
  });

  it('takes an account number of digits with spaces or hyphens only (invalid-account-no)', () => {
    given()
      .when(open({ accountNo: '6222-0202-1234' }))
      .thenState((s) => expect(s.accountNo).toBe('6222-0202-1234'));
    for (const accountNo of ['abc123456', '12345', `1${'0'.repeat(45)}`])
      given().when(open({ accountNo })).thenThrows('invalid-account-no', 'accountNo');
  });

  it('checks its id, texts and projects', () => {
    given()
      .when(open({ accountId: 'ZH 1' }))
      .thenThrows('invalid-id', 'accountId');
    given()
      .when(open({ name: ' ' }))
      .thenThrows('invalid-field', 'name');
    given()
      .when(open({ projectIds: ['TN-1', 'TN-1'] }))
      .thenThrows('invalid-field', 'projectIds');
  });

  it('refuses anything on an account never recorded (bank-account-not-found)', () => {
    given()
      .when(importing([first]))
      .thenThrows('bank-account-not-found');
    given().when(match()).thenThrows('bank-account-not-found');
  });
});

describe('importing a statement', () => {
  it('writes the new lines with ids in the order imported', () => {
    given(opened())
      .when(importing([first, second]))
      .then(imported([L(1, first), L(2, second)]));
  });

  it('skips a line imported before, by 流水号 or by date, amount, counterparty and balance', () => {
    const third = line(4, { date: '2022-03-05', amount: '5.00', balance: '75.00', serial: '' });
    given(opened(), imported([L(1, first), L(2, second)]))
      .when(importing([second, third]))
      .then(imported([L(3, third)], [3]));
    const sameButSerial = { ...third, serial: 'OTHER', row: 9 };
    given(opened(), imported([L(1, first), L(2, second), L(3, third)]))
      .when(importing([sameButSerial, line(10, { date: '2022-03-06', amount: '5.00', balance: '80.00', serial: 'N' })]))
      .thenState((_, [e]) => expect(e.type === T.statementImported && e.data.duplicateRows).toEqual([9]));
  });

  it('refuses a statement all imported before (statement-already-imported)', () => {
    given(opened(), imported([L(1, first), L(2, second)]))
      .when(importing([first, second]))
      .thenThrows('statement-already-imported', 'file');
  });

  it('refuses a running balance that breaks, naming the row (statement-balance-break)', () => {
    const broken = { ...second, balance: '71.00' };
    expect(() => bankAccountDecider.decide(importing([first, broken]), fold(opened()))).toThrow(/row 3/);
    given(opened())
      .when(importing([first, broken]))
      .thenThrows('statement-balance-break', 'file');
  });

  it('checks the first new line against the last imported balance', () => {
    const next = line(2, { date: '2022-03-09', amount: '10.00', balance: '90.00', serial: 'X' });
    given(opened(), imported([L(1, first), L(2, second)]))
      .when(importing([next]))
      .thenThrows('statement-balance-break', 'file');
    given(opened(), imported([L(1, first), L(2, second)]))
      .when(importing([{ ...next, balance: '80.00' }]))
      .thenState((s) => expect(s.last?.balanceFen).toBe(8000n));
  });

  it('refuses an empty statement and a line that moves no money', () => {
    given(opened()).when(importing([])).thenThrows('statement-empty', 'file');
    given(opened())
      .when(importing([line(2, { amount: '0.00', balance: '0.00' })]))
      .thenThrows('statement-line-invalid', 'file');
  });
});

describe('matching decisions', () => {
  const history = () => [opened(), imported([L(1, first), L(2, second)])];

  it('records a confirmed match, and a manual one with its reason', () => {
    given(...history())
      .when(match())
      .then(matched());
    given(...history())
      .when(match({ decision: 'manual', reason: '手续费合并扣收', lineIds: ['L1', 'L2'] }))
      .thenState((s) => expect(s.matchedLines.get('L2')).toBe('M1'));
  });

  it('needs a reason for a manual or rejected match (match-reason-required)', () => {
    given(...history())
      .when(match({ decision: 'manual' }))
      .thenThrows('match-reason-required', 'reason');
    given(...history())
      .when(match({ decision: 'rejected' }))
      .thenThrows('match-reason-required', 'reason');
  });

  it('refuses a match id twice, an unknown line, and lines or entries another match holds', () => {
    const [a, b] = history();
    const m1 = matched();
    given(a, b, m1).when(match()).thenThrows('match-id-exists', 'matchId');
    given(a, b)
      .when(match({ lineIds: ['L9'] }))
      .thenThrows('statement-line-not-found', 'lineIds');
    given(a, b, m1)
      .when(match({ matchId: 'M2' }))
      .thenThrows('statement-line-already-matched', 'lineIds');
    given(a, b, m1)
      .when(match({ matchId: 'M2', lineIds: ['L2'] }))
      .thenThrows('ledger-entry-already-matched', 'entries');
    // A rejection of a pair another match holds is no conflict: it only stops a proposal.
    given(a, b, m1)
      .when(match({ matchId: 'M2', decision: 'rejected', reason: '不是同一笔' }))
      .thenState((s) => expect(s.matches.size).toBe(2));
  });

  it('needs lines and entries', () => {
    given(...history())
      .when(match({ lineIds: [] }))
      .thenThrows('missing-field', 'lineIds');
    given(...history())
      .when(match({ entries: [] }))
      .thenThrows('missing-field', 'entries');
  });
});

describe('the events', () => {
  it('parse as they are written', () => {
    const e = imported([L(1, first)]);
    expect(bankAccountEvents.parse({ type: e.type, data: e.data as unknown as Record<string, unknown> })).toEqual(e);
  });
});

function fold(...events: BankAccountEvent[]) {
  return events.reduce((s, e) => bankAccountDecider.evolve(s, e), bankAccountDecider.initialState());
}
