/** Commands the bank-account decider takes; amounts are decimal strings, parsed by the decider. */
import { MatchDecision, StatementFormat, StatementLine } from './bank-account.events';

export interface OpenBankAccount {
  type: 'OpenBankAccount';
  accountId: string;
  name: string;
  bank: string;
  accountNo: string;
  projectIds: readonly string[];
}

/** One line as read from a statement file (statement-file.ts), before the decider gives it an id. */
export type ParsedStatementLine = Omit<StatementLine, 'lineId'>;

export interface ImportStatement {
  type: 'ImportStatement';
  fileHash: string;
  fileName?: string;
  format: StatementFormat;
  /** In the file's order, oldest first (statement-file.ts turns a newest-first file round). */
  lines: readonly ParsedStatementLine[];
  /**
   * One part of a file too large for one event (see statementParts): `lines` are the part's, after
   * `context` lines of the part before (0 or 1), which only carry the running balance on.
   */
  part?: StatementPart;
}

export interface StatementPart {
  /** 1-based. */
  index: number;
  of: number;
  context: number;
}

export interface EntryRef {
  projectId: string;
  entryId: string;
}

export interface RecordMatch {
  type: 'RecordMatch';
  matchId: string;
  decision: MatchDecision;
  lineIds: readonly string[];
  entries: readonly EntryRef[];
  reason?: string;
  decidedOn: string;
}

export type BankAccountCommand = OpenBankAccount | ImportStatement | RecordMatch;
