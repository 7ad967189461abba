/**
 * Events of a bank account's stream (`bank-account-<accountId>`): a project's special account
 * (专户) or the district's account for residents' and utilities' money, the statements imported
 * from its bank, and the finance user's matching decisions (confirmed, rejected, manual), so an
 * auditor replays the reconciliation from the log. Amounts are CNY strings with two decimals. A
 * published version never changes (a new shape is a new `.vN` with an upcaster).
 */
import { arrayOf, decimalAmount, integer, oneOf, optional, shape, string } from '../shared/domain/data-shape';
import { DomainEvent } from '../shared/domain/decider';
import { EventRegistry } from '../shared/domain/event-registry';

export const BankAccountEventType = {
  opened: 'bank-account-opened.v1',
  statementImported: 'statement-imported.v1',
  lineMatched: 'statement-line-matched.v1',
} as const;

export const STATEMENT_FORMATS = ['csv-utf8', 'csv-gb18030', 'xlsx'] as const;
export type StatementFormat = (typeof STATEMENT_FORMATS)[number];

/**
 * A finance user's decision on statement lines and ledger entries: `confirmed` (a match the
 * ledger proposed, or a one-to-many / many-to-one match such as a batch payment), `manual` (a
 * match the ledger did not propose, with its reason), `rejected` (a proposed match that is wrong:
 * never proposed again).
 */
export const MATCH_DECISIONS = ['confirmed', 'rejected', 'manual'] as const;
export type MatchDecision = (typeof MATCH_DECISIONS)[number];

export interface BankAccountOpened {
  accountId: string;
  name: string;
  bank: string;
  accountNo: string;
  projectIds: string[];
}

export interface StatementLine {
  /** The account's own id of the line: L1, L2, ... in the order lines were imported. */
  lineId: string;
  /** The line's row in the file, as a spreadsheet numbers it (1: the first). */
  row: number;
  date: string;
  direction: 'credit' | 'debit';
  /** Positive, two decimals. */
  amount: string;
  /** The running balance after the line (may be negative: an overdraft). */
  balance: string;
  /** Personal data (personal-fields.ts): a bank line does not say whether the party is a person. */
  counterparty: string;
  counterpartyAccount: string;
  /** 摘要 and 用途. */
  memo: string;
  /** 流水号 / 交易流水号 / 凭证号; '' when the file has none. */
  serial: string;
}

export interface StatementImported {
  accountId: string;
  /** SHA-256, hex, of the file's bytes as sent. */
  fileHash: string;
  fileName?: string;
  format: StatementFormat;
  /** The lines not imported before, oldest first. */
  lines: StatementLine[];
  /** Rows of the file that repeat a line already imported (same 流水号, or same date, amount, counterparty and balance). */
  duplicateRows: number[];
  /** A file imported in parts, one event each (one append holds at most MAX_APPEND_BYTES): which this is. */
  part?: { index: number; of: number };
}

export interface MatchedEntry {
  projectId: string;
  entryId: string;
}

/** A matching decision, as a bank account's stream and the treasury's record it (match-decisions.ts). */
export interface MatchDecisionData {
  matchId: string;
  decision: MatchDecision;
  lineIds: string[];
  entries: MatchedEntry[];
  reason?: string;
  decidedOn: string;
}

/** The fields of a decision's event data, for each stream's registry. */
export const MATCH_DECISION_FIELDS = {
  matchId: string,
  decision: oneOf(MATCH_DECISIONS),
  lineIds: arrayOf(string),
  entries: arrayOf(shape<MatchedEntry>({ projectId: string, entryId: string })),
  reason: optional(string),
  decidedOn: string,
};

export interface StatementLineMatched extends MatchDecisionData {
  accountId: string;
}

export type BankAccountEvent =
  | DomainEvent<typeof BankAccountEventType.opened, BankAccountOpened>
  | DomainEvent<typeof BankAccountEventType.statementImported, StatementImported>
  | DomainEvent<typeof BankAccountEventType.lineMatched, StatementLineMatched>;

export const BANK_ACCOUNT_CATEGORY = 'bank-account';
export const bankAccountStreamId = (accountId: string): string => `${BANK_ACCOUNT_CATEGORY}-${accountId}`;

export const bankAccountEvents = new EventRegistry<BankAccountEvent>('bank-account', {
  [BankAccountEventType.opened]: shape<BankAccountOpened>({
    accountId: string,
    name: string,
    bank: string,
    accountNo: string,
    projectIds: arrayOf(string),
  }),
  [BankAccountEventType.statementImported]: shape<StatementImported>({
    accountId: string,
    fileHash: string,
    fileName: optional(string),
    format: oneOf(STATEMENT_FORMATS),
    lines: arrayOf(
      shape<StatementLine>({
        lineId: string,
        row: integer,
        date: string,
        direction: oneOf(['credit', 'debit'] as const),
        amount: decimalAmount,
        balance: decimalAmount,
        counterparty: string,
        counterpartyAccount: string,
        memo: string,
        serial: string,
      }),
    ),
    duplicateRows: arrayOf(integer),
    part: optional(shape<{ index: number; of: number }>({ index: integer, of: integer })),
  }),
  [BankAccountEventType.lineMatched]: shape<StatementLineMatched>({ accountId: string, ...MATCH_DECISION_FIELDS }),
});
