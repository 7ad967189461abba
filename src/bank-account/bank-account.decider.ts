import { Complete, Decider } from '../shared/domain/decider';
import { assert, assertNever } from '../shared/domain/domain-error';
import { KeyedMap, KeyedSet } from '../shared/domain/keyed-collections';
import { checkDate, checkId, checkText } from '../shared/domain/input-rules';
import { Fen, fenOfStored, formatFen } from '../shared/money/money';
import {
  BankAccountCommand,
  ImportStatement,
  OpenBankAccount,
  ParsedStatementLine,
  RecordMatch,
} from './bank-account.commands';
import { BankAccountErrors as E } from './bank-account.errors';
import { bookMatch, decideMatch, emptyMatchBook } from './match-decisions';
import {
  BankAccountEvent,
  BankAccountEventType as T,
  StatementLine,
  StatementLineMatched,
  bankAccountEvents,
} from './bank-account.events';

/** A match decision as it stands. */
export type MatchRecord = Readonly<StatementLineMatched>;

export interface BankAccountState {
  opened: boolean;
  accountId: string;
  name: string;
  bank: string;
  accountNo: string;
  projectIds: readonly string[];
  /** Every imported line, by lineId. */
  lines: KeyedMap<Readonly<StatementLine>>;
  lineCount: number;
  /** The keys a line is known by (lineKeysOf): a line with any of them is not imported again. */
  lineKeys: KeyedSet;
  /** The latest line by date (on a tie, the one imported last): where the next statement's balance starts. */
  last?: { date: string; balanceFen: Fen; row: number };
  /** The decisions (a MatchBook, match-decisions.ts, as the treasury stream's). */
  matches: KeyedMap<MatchRecord>;
  /** lineId → the confirmed or manual match that holds it. */
  matchedLines: KeyedMap<string>;
  /** `${projectId}/${entryId}` → the confirmed or manual match that holds it. */
  matchedEntries: KeyedMap<string>;
}

export function initialBankAccountState(): BankAccountState {
  return {
    opened: false,
    accountId: '',
    name: '',
    bank: '',
    accountNo: '',
    projectIds: [],
    lines: KeyedMap.empty(),
    lineCount: 0,
    lineKeys: KeyedSet.empty(),
    ...emptyMatchBook<MatchRecord>(),
  };
}

/** An account number as banks print it: digits, with spaces or hyphens between groups. */
const ACCOUNT_NO = /^[0-9][0-9 -]{4,38}[0-9]$/;

/**
 * The keys a statement line is known by: its 流水号 when it has one, and always its date, signed
 * amount, counterparty and running balance (two lines of one account alike in all four are one
 * line: the balance after it moved by the same amount on the same day from the same party).
 */
export function lineKeysOf(
  line: Pick<StatementLine, 'serial' | 'date' | 'direction' | 'amount' | 'counterparty' | 'balance'>,
): string[] {
  const sign = line.direction === 'credit' ? '+' : '-';
  const keys = [`line:${line.date}|${sign}${line.amount}|${line.counterparty}|${line.balance}`];
  if (line.serial !== '') keys.push(`serial:${line.serial}`);
  return keys;
}

/** A line's amount as it moves the balance: credits add, debits take away. */
export function signedFen(line: Pick<StatementLine, 'direction' | 'amount'>): Fen {
  const fen = fenOfStored(line.amount);
  return line.direction === 'credit' ? fen : -fen;
}

/** What importing `lines` would do: the rows already imported, the new lines, and the first balance break. */
export interface ImportPlan {
  fresh: ParsedStatementLine[];
  duplicateRows: number[];
  /** The first row whose balance does not follow (null: the balance holds line by line). */
  balanceBreak: { row: number; expected: string; stated: string; after: string } | null;
}

/**
 * Plans an import on the account as it is: which lines are new (a line repeated within the file,
 * or imported before, is not), and whether the running balance holds line by line through the
 * file, and from the last imported balance into the file's first line when the file continues the
 * account (its first line not before the last imported one).
 */
export function planImport(s: Readonly<BankAccountState>, lines: readonly ParsedStatementLine[]): ImportPlan {
  const seen = new Set<string>();
  const fresh: ParsedStatementLine[] = [];
  const duplicateRows: number[] = [];
  let balanceBreak: ImportPlan['balanceBreak'] = null;
  for (const [i, line] of lines.entries()) {
    const keys = lineKeysOf(line);
    if (keys.some((k) => s.lineKeys.has(k) || seen.has(k))) duplicateRows.push(line.row);
    else fresh.push(line);
    for (const k of keys) seen.add(k);
    if (balanceBreak !== null) continue;
    const before =
      i > 0
        ? fenOfStored(lines[i - 1].balance)
        : s.last !== undefined && line.date >= s.last.date && !keys.some((k) => s.lineKeys.has(k))
          ? s.last.balanceFen
          : null;
    if (before === null) continue;
    const expected = before + signedFen(line);
    if (expected !== fenOfStored(line.balance))
      balanceBreak = { row: line.row, expected: formatFen(expected), stated: line.balance, after: formatFen(before) };
  }
  return { fresh, duplicateRows, balanceBreak };
}

/** The account's own rules: one record per account, statements whose balance runs, one standing match per line and entry. */
export const bankAccountDecider: Decider<BankAccountState, BankAccountCommand, BankAccountEvent> = {
  initialState: initialBankAccountState,
  decide(command, state) {
    switch (command.type) {
      case 'OpenBankAccount':
        return open(command, state);
      case 'ImportStatement':
        return importStatement(command, requireOpened(state));
      case 'RecordMatch':
        return recordMatch(command, requireOpened(state));
    }
  },
  evolve,
  events: bankAccountEvents,
  stateVersion: 1,
};

function open(c: OpenBankAccount, s: BankAccountState): BankAccountEvent[] {
  checkId('accountId', c.accountId);
  if (s.opened) throw E.accountExists(c.accountId);
  checkText('name', c.name);
  checkText('bank', c.bank);
  if (typeof c.accountNo !== 'string' || !ACCOUNT_NO.test(c.accountNo)) throw E.invalidAccountNo(String(c.accountNo));
  const seen = new Set<string>();
  for (const id of c.projectIds) {
    checkId('projectIds', id);
    if (seen.has(id)) throw E.projectListedTwice(id);
    seen.add(id);
  }
  return [
    {
      type: T.opened,
      data: {
        accountId: c.accountId,
        name: c.name,
        bank: c.bank,
        accountNo: c.accountNo,
        projectIds: [...c.projectIds],
      },
    },
  ];
}

function importStatement(c: ImportStatement, s: BankAccountState): BankAccountEvent[] {
  if (c.lines.length === 0) throw E.statementEmpty();
  for (const line of c.lines) {
    checkDate(`row ${line.row} date`, line.date);
    if (fenOfStored(line.amount) <= 0n) throw E.badLine(line.row, 'the line moves no money');
  }
  const plan = planImport(s, c.lines);
  if (plan.balanceBreak !== null) {
    const b = plan.balanceBreak;
    throw E.balanceBreak(b.row, b.expected, b.stated, b.after);
  }
  // A part's leading context lines were the part before's: they carry the balance, nothing else.
  const context = new Set(c.lines.slice(0, c.part?.context ?? 0).map((line) => line.row));
  const fresh = plan.fresh.filter((line) => !context.has(line.row));
  if (fresh.length === 0) throw E.nothingNew();
  return [
    {
      type: T.statementImported,
      data: {
        accountId: s.accountId,
        fileHash: c.fileHash,
        ...(c.fileName !== undefined ? { fileName: c.fileName } : {}),
        format: c.format,
        lines: fresh.map((line, i) => ({ lineId: `L${s.lineCount + i + 1}`, ...line })),
        duplicateRows: plan.duplicateRows.filter((row) => !context.has(row)),
        ...(c.part !== undefined ? { part: { index: c.part.index, of: c.part.of } } : {}),
      },
    },
  ];
}

function recordMatch(c: RecordMatch, s: BankAccountState): BankAccountEvent[] {
  const decided = decideMatch(c, s, (lineId) => s.lines.has(lineId));
  return [{ type: T.lineMatched, data: { accountId: s.accountId, ...decided } }];
}

function requireOpened(s: BankAccountState): BankAccountState {
  if (!s.opened) throw E.accountNotFound(s.accountId || 'unknown');
  return s;
}

// evolve: returns a new state and leaves the given one as it was; asserts what decide guaranteed.

function evolve(s: Readonly<BankAccountState>, e: BankAccountEvent): BankAccountState {
  if (e.type === T.opened) assert(!s.opened, 'an account is recorded once');
  else assert(s.opened, `${e.type} follows the account's record`);
  switch (e.type) {
    case T.opened: {
      const { accountId, name, bank, accountNo, projectIds } = e.data;
      return { ...s, opened: true, accountId, name, bank, accountNo, projectIds };
    }
    case T.statementImported: {
      let { lines, lineKeys, last } = s;
      for (const line of e.data.lines) {
        assert(!lines.has(line.lineId), `statement line ${line.lineId} is imported once`);
        lines = lines.set(line.lineId, line);
        for (const k of lineKeysOf(line)) lineKeys = lineKeys.add(k);
        if (last === undefined || line.date >= last.date)
          last = { date: line.date, balanceFen: fenOfStored(line.balance), row: line.row };
      }
      return changed(s, { lines, lineCount: s.lineCount + e.data.lines.length, lineKeys, last });
    }
    case T.lineMatched:
      assert(!s.matches.has(e.data.matchId), `match ${e.data.matchId} is decided once`);
      return changed(s, bookMatch(s, e.data));
    default:
      return assertNever(e, 'bank-account event');
  }
}

/** The recorded account with some of its growing collections changed, written out field by field. */
function changed(s: Readonly<BankAccountState>, c: Partial<BankAccountState>): BankAccountState {
  const copy: Complete<BankAccountState> = {
    opened: s.opened,
    accountId: s.accountId,
    name: s.name,
    bank: s.bank,
    accountNo: s.accountNo,
    projectIds: s.projectIds,
    lines: c.lines ?? s.lines,
    lineCount: c.lineCount ?? s.lineCount,
    lineKeys: c.lineKeys ?? s.lineKeys,
    last: 'last' in c ? c.last : s.last,
    matches: c.matches ?? s.matches,
    matchedLines: c.matchedLines ?? s.matchedLines,
    matchedEntries: c.matchedEntries ?? s.matchedEntries,
  };
  return copy;
}
