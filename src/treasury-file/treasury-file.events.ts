/**
 * Events of the treasury stream (`treasury-files`): the payment files the treasury (国库集中支付
 * 系统) exports of its direct payments, each imported as one event with the lines it added, and the
 * finance user's matching decisions on those lines (as a bank account's), so an auditor replays the
 * treasury reconciliation from the log. Amounts are CNY strings with two
 * decimals. A published version never changes (a new shape is a new `.vN` with an upcaster).
 */
import {
  MATCH_DECISION_FIELDS,
  MatchDecisionData,
  STATEMENT_FORMATS,
  StatementFormat,
} from '../bank-account/bank-account.events';
import { arrayOf, decimalAmount, integer, oneOf, optional, shape, string } from '../shared/domain/data-shape';
import { DomainEvent } from '../shared/domain/decider';
import { EventRegistry } from '../shared/domain/event-registry';

export const TreasuryFileEventType = {
  imported: 'treasury-file-imported.v1',
  lineMatched: 'treasury-line-matched.v1',
} as const;

export interface TreasuryFileLine {
  /** The stream's own id of the line: T1, T2, ... in the order lines were imported. */
  lineId: string;
  /** The line's row in the file, as a spreadsheet numbers it (1: the first). */
  row: number;
  /** 支付凭证号: the treasury's payment voucher; a line is known by it. */
  voucher: string;
  /** 指标文号: the document that issued the indicator paid from; '' when the file has none. */
  docNo: string;
  /** 收款人. Personal data (personal-fields.ts): a payee may be a person. */
  payee: string;
  /** Positive, two decimals. */
  amount: string;
  /** 支付日期 */
  paidOn: string;
  /** 功能科目 (支出功能分类科目), as the file writes it; '' when it has none. */
  functionCode: string;
}

export interface TreasuryFileImported {
  /** SHA-256, hex, of the file's bytes as sent. */
  fileHash: string;
  fileName?: string;
  format: StatementFormat;
  /** The lines not imported before, in the file's order. */
  lines: TreasuryFileLine[];
  /** Rows of the file whose 支付凭证号 was imported before (or appears higher in the same file). */
  duplicateRows: number[];
}

/** A decision on treasury lines and treasury direct payments (src/bank-account/match-decisions.ts). */
export type TreasuryLineMatched = MatchDecisionData;

export type TreasuryFileEvent =
  | DomainEvent<typeof TreasuryFileEventType.imported, TreasuryFileImported>
  | DomainEvent<typeof TreasuryFileEventType.lineMatched, TreasuryLineMatched>;

/** The district's one treasury stream: the treasury pays for every project from one system. */
export const TREASURY_STREAM = 'treasury-files';

export const treasuryFileEvents = new EventRegistry<TreasuryFileEvent>('treasury-file', {
  [TreasuryFileEventType.imported]: shape<TreasuryFileImported>({
    fileHash: string,
    fileName: optional(string),
    format: oneOf(STATEMENT_FORMATS),
    lines: arrayOf(
      shape<TreasuryFileLine>({
        lineId: string,
        row: integer,
        voucher: string,
        docNo: string,
        payee: string,
        amount: decimalAmount,
        paidOn: string,
        functionCode: string,
      }),
    ),
    duplicateRows: arrayOf(integer),
  }),
  [TreasuryFileEventType.lineMatched]: shape<TreasuryLineMatched>(MATCH_DECISION_FIELDS),
});
