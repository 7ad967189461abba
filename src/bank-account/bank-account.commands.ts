/** Commands the bank-account decider takes; amounts are decimal strings, parsed by the decider. */
import { MatchDecision, StatementFormat } from './bank-account.events';

export interface OpenBankAccount {
  type: 'OpenBankAccount';
  accountId: string;
  name: string;
  bank: string;
  accountNo: string;
  projectIds: readonly string[];
}

/** One line as read from a statement file, before the decider gives it an id. */
export interface ParsedStatementLine {
  /** The line's row in the file, as a spreadsheet numbers it (1: the first). */
  row: number;
  date: string;
  direction: 'credit' | 'debit';
  /** Positive, two decimals. */
  amount: string;
  /** The running balance after the line (may be negative: an overdraft). */
  balance: string;
  counterparty: string;
  counterpartyAccount: string;
  memo: string;
  /** 流水号 / 交易流水号 / 凭证号; '' when the file has none. */
  serial: string;
}

export interface ImportStatement {
  type: 'ImportStatement';
  fileHash: string;
  fileName?: string;
  format: StatementFormat;
  /** In the file's order, oldest first (statement-file.ts turns a newest-first file round). */
  lines: readonly ParsedStatementLine[];
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
