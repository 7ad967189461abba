/**
 * 对账 as files (issue 18 point 3): the 银行存款余额调节表 and the four lists with Chinese headers,
 * for CSV and XLSX (src/reports/export). XLSX holds the 调节表 and a sheet per list; CSV, one
 * table by reportFile's rule, holds the flat list of exceptions (the lines the ledger lacks, the
 * entries the bank has not seen, the amounts that differ), which is what a clerk works through.
 * The cells are the JSON answer's, masked as it is: counterparties as personal data, the account
 * number as the caller's role may see it.
 */
import { ReportFileName } from '../../reports/export/report-download';
import { ReportColumn, ReportRow, ReportTable } from '../../reports/export/report-table';
import {
  Adjustment,
  LedgerItem,
  MatchBasis,
  MatchedGroup,
  Reconciliation,
  monthEnd,
} from '../../bank-account/reconciliation';
import { StatementLine } from '../../bank-account/bank-account.events';

/** The account as the caller may see it (its number masked but for finance and admin). */
export interface ReconciledAccount {
  readonly accountId: string;
  readonly name: string;
  readonly bank: string;
  readonly accountNo: string;
}

export type ReconciliationAnswer = Reconciliation & { readonly accountId: string };

const text = (key: string, header: string): ReportColumn => ({ key, header, kind: 'text' });
const money = (key: string, header: string): ReportColumn => ({ key, header, kind: 'money' });
const date = (key: string, header: string): ReportColumn => ({ key, header, kind: 'date' });
const integer = (key: string, header: string): ReportColumn => ({ key, header, kind: 'integer' });

const BASIS_ZH: Readonly<Record<MatchBasis, string>> = {
  reference: '流水号/凭证号相同',
  'amount-date-counterparty': '金额、日期、对方相符',
  confirmed: '人工确认',
  manual: '手工匹配',
};

/** The lists' categories, in a finance officer's words (未达账项 and 金额不符). */
export const CATEGORY_ZH = {
  matched: '已核对相符',
  bankCredited: '银收企未收',
  bankDebited: '银付企未付',
  bookedReceipt: '企收银未收',
  bookedPayment: '企付银未付',
  amountMismatch: '金额不符',
} as const;

export const SHEET_ZH = {
  adjustment: '余额调节表',
  matched: '已核对相符',
  statementOnly: '银行已记账面未记',
  ledgerOnly: '账面已记银行未记',
  amountMismatch: '金额不符',
  exceptions: '对账差异明细',
} as const;

/**
 * What the other side is called where a list names it: the bank's statement, or the treasury's
 * payment file (国库对账, src/funding/treasury-files), whose lines the same tables show.
 */
interface LineSide {
  /** 来源 of a line's row. */
  readonly name: string;
  /** 类别 of a line the ledger lacks, by direction, and of an entry the other side lacks, by kind. */
  readonly lineOnly: { readonly credit: string; readonly debit: string };
  readonly bookOnly: { readonly receipt: string; readonly payment: string };
  readonly differenceHeader: string;
}

const BANK: LineSide = {
  name: '银行对账单',
  lineOnly: { credit: CATEGORY_ZH.bankCredited, debit: CATEGORY_ZH.bankDebited },
  bookOnly: { receipt: CATEGORY_ZH.bookedReceipt, payment: CATEGORY_ZH.bookedPayment },
  differenceHeader: '差额（银行减账面）',
};

/**
 * One row per statement line or ledger entry: a match is its lines and entries on consecutive
 * rows under one group number, its difference and reason on its first row.
 */
const itemColumns = (side: LineSide): readonly ReportColumn[] => [
  text('category', '类别'),
  text('group', '匹配组'),
  text('side', '来源'),
  text('basis', '匹配依据'),
  date('date', '日期'),
  text('direction', '收支'),
  money('amount', '金额'),
  text('counterparty', '对方户名'),
  text('counterpartyAccount', '对方账号'),
  text('reference', '流水号/凭证号'),
  text('memo', '摘要'),
  integer('row', '对账单行号'),
  text('lineId', '对账单行编号'),
  text('projectId', '项目编号'),
  text('entryId', '账面记录编号'),
  money('difference', side.differenceHeader),
  text('reason', '说明'),
];

type ItemRow = Record<string, string | number | null>;

const EMPTY_ROW: ItemRow = Object.fromEntries(itemColumns(BANK).map((c) => [c.key, null]));

function lineRow(category: string, line: StatementLine, side: LineSide): ItemRow {
  return {
    ...EMPTY_ROW,
    category,
    side: side.name,
    date: line.date,
    direction: line.direction === 'credit' ? '收入' : '支出',
    amount: line.amount,
    counterparty: line.counterparty,
    counterpartyAccount: line.counterpartyAccount,
    reference: line.serial,
    memo: line.memo,
    row: line.row,
    lineId: line.lineId,
  };
}

function entryRow(category: string, entry: LedgerItem): ItemRow {
  return {
    ...EMPTY_ROW,
    category,
    side: '账面',
    date: entry.date,
    direction: entry.kind === 'receipt' ? '收入' : '支出',
    amount: entry.amount,
    counterparty: entry.counterparty,
    reference: entry.reference,
    projectId: entry.projectId,
    entryId: entry.entryId,
  };
}

/** A match: its lines, then its entries; its group, basis, difference and reason on the first row. */
function groupRows(category: string, groupNo: string, g: MatchedGroup, side: LineSide): ItemRow[] {
  const rows = [...g.lines.map((l) => lineRow(category, l, side)), ...g.entries.map((e) => entryRow(category, e))];
  return rows.map((row, i) => ({
    ...row,
    group: groupNo,
    basis: BASIS_ZH[g.basis],
    ...(i === 0 ? { difference: g.difference, reason: g.reason ?? null } : {}),
  }));
}

/** The lists a reconciliation's files show, in the bank's types (a treasury file's lines are read as a statement's). */
type Lists = Pick<Reconciliation, 'matched' | 'statementOnly' | 'ledgerOnly' | 'amountMismatch'>;

const statementOnlyRows = (r: Lists, side = BANK): ItemRow[] =>
  r.statementOnly.map((l) => lineRow(side.lineOnly[l.direction], l, side));
const ledgerOnlyRows = (r: Lists, side = BANK): ItemRow[] =>
  r.ledgerOnly.map((e) => entryRow(side.bookOnly[e.kind], e));
/** Group numbers: 'X1', 'X2'… for the mismatches, 'P1', 'P2'… for the matches, or the decision's id. */
const groupsRows = (category: string, prefix: string, groups: readonly MatchedGroup[], side: LineSide): ItemRow[] =>
  groups.flatMap((g, i) => groupRows(category, g.matchId ?? `${prefix}${i + 1}`, g, side));
const mismatchRows = (r: Lists, side = BANK): ItemRow[] =>
  groupsRows(CATEGORY_ZH.amountMismatch, 'X', r.amountMismatch, side);
const matchedRows = (r: Lists, side = BANK): ItemRow[] => groupsRows(CATEGORY_ZH.matched, 'P', r.matched, side);

function itemTable(sheetName: string, title: string, rows: readonly ItemRow[], side = BANK): ReportTable {
  return { sheetName, title, columns: itemColumns(side), rows: rows as readonly ReportRow[], frozenColumns: 2 };
}

/**
 * 银行存款余额调节表 in its printed form: the book side on the left, the bank side on the right,
 * each adjusted for the other's unmatched items, then the adjusted balances, which are equal when
 * reconciled; under them the difference and the result (相符 / 不符).
 */
function adjustmentTable(a: Adjustment, title: string): ReportTable {
  return {
    sheetName: SHEET_ZH.adjustment,
    title,
    columns: [
      text('bookItem', '项目（单位账面）'),
      money('bookAmount', '金额'),
      text('bankItem', '项目（银行对账单）'),
      money('bankAmount', '金额'),
    ],
    rows: [
      {
        bookItem: '银行存款日记账余额',
        bookAmount: a.bookBalance,
        bankItem: '银行对账单余额',
        bankAmount: a.bankBalance,
      },
      {
        bookItem: `加：${CATEGORY_ZH.bankCredited}`,
        bookAmount: a.bankCreditedNotBooked,
        bankItem: `加：${CATEGORY_ZH.bookedReceipt}`,
        bankAmount: a.bookedReceiptsNotInBank,
      },
      {
        bookItem: `减：${CATEGORY_ZH.bankDebited}`,
        bookAmount: a.bankDebitedNotBooked,
        bankItem: `减：${CATEGORY_ZH.bookedPayment}`,
        bankAmount: a.bookedPaymentsNotInBank,
      },
      { bookItem: '加：已说明的金额差异', bookAmount: a.explainedDifferences, bankItem: null, bankAmount: null },
      {
        bookItem: '调节后的银行存款日记账余额',
        bookAmount: a.adjustedBookBalance,
        bankItem: '调节后的银行对账单余额',
        bankAmount: a.adjustedBankBalance,
      },
      {
        bookItem: `调节结果：${a.balanced ? '相符' : '不符'}`,
        bookAmount: null,
        bankItem: '差额（调节后银行减调节后账面）',
        bankAmount: a.difference,
      },
    ],
  };
}

function titleOf(name: string, account: ReconciledAccount, r: ReconciliationAnswer): string {
  return `${name}（${account.name}，${account.bank}，账号 ${account.accountNo}，截至 ${r.adjustment.asOf}，日期相差不超过 ${r.windowDays} 天）`;
}

/** The workbook: the 调节表 first, then the four lists, a sheet each. */
export function reconciliationTables(r: ReconciliationAnswer, account: ReconciledAccount): ReportTable[] {
  return [
    adjustmentTable(r.adjustment, titleOf('银行存款余额调节表', account, r)),
    itemTable(SHEET_ZH.matched, titleOf(`${r.month} 已核对相符`, account, r), matchedRows(r)),
    itemTable(SHEET_ZH.statementOnly, titleOf('银行已记账面未记', account, r), statementOnlyRows(r)),
    itemTable(SHEET_ZH.ledgerOnly, titleOf('账面已记银行未记', account, r), ledgerOnlyRows(r)),
    itemTable(SHEET_ZH.amountMismatch, titleOf('金额不符', account, r), mismatchRows(r)),
  ];
}

/** The CSV's one table: every exception, the lines the ledger lacks, the entries the bank lacks, the mismatches. */
export function reconciliationExceptionsTable(r: ReconciliationAnswer, account: ReconciledAccount): ReportTable {
  return itemTable(SHEET_ZH.exceptions, titleOf('对账差异明细', account, r), [
    ...statementOnlyRows(r),
    ...ledgerOnlyRows(r),
    ...mismatchRows(r),
  ]);
}

export function reconciliationFileName(r: ReconciliationAnswer): ReportFileName {
  return {
    title: `银行存款余额调节表-${r.accountId}-${r.month}`,
    ascii: `reconciliation-${r.accountId}-${r.month}`,
  };
}

/**
 * 国库对账 as files (issue 18 points 3 and 5): the same lists and columns as a bank account's, a
 * treasury file's lines in the statement's place, and the matches whose 指标文号 is not the
 * batch's 下达文号 as a list of their own. No 调节表: the treasury's file runs no balance.
 */
export interface TreasuryLists extends Lists {
  readonly month: string;
  readonly windowDays: number;
  readonly docNoMismatch: readonly MatchedGroup[];
}

const TREASURY: LineSide = {
  name: '国库支付文件',
  lineOnly: { credit: '国库已收账面未记', debit: '国库已付账面未记' },
  bookOnly: { receipt: '账面已收国库未付', payment: '账面已付国库未付' },
  differenceHeader: '差额（国库减账面）',
};
const DOC_NO_MISMATCH = '指标文号不符';

const treasuryTitle = (name: string, r: TreasuryLists) =>
  `${name}（国库集中支付·直接支付，截至 ${monthEnd(r.month)}，日期相差不超过 ${r.windowDays} 天）`;

/** The workbook: the matches, the lines the ledger lacks, the payments the file lacks, the mismatches, a sheet each. */
export function treasuryReconciliationTables(r: TreasuryLists): ReportTable[] {
  return [
    itemTable(SHEET_ZH.matched, treasuryTitle(`${r.month} 已核对相符`, r), matchedRows(r, TREASURY), TREASURY),
    itemTable('国库已付账面未记', treasuryTitle('国库已付账面未记', r), statementOnlyRows(r, TREASURY), TREASURY),
    itemTable('账面已付国库未付', treasuryTitle('账面已付国库未付', r), ledgerOnlyRows(r, TREASURY), TREASURY),
    itemTable(SHEET_ZH.amountMismatch, treasuryTitle('金额不符', r), mismatchRows(r, TREASURY), TREASURY),
    itemTable(
      DOC_NO_MISMATCH,
      treasuryTitle(DOC_NO_MISMATCH, r),
      groupsRows(DOC_NO_MISMATCH, 'W', r.docNoMismatch, TREASURY),
      TREASURY,
    ),
  ];
}

/** The CSV's one table: every exception, as a bank account's, then the 指标文号 mismatches. */
export function treasuryExceptionsTable(r: TreasuryLists): ReportTable {
  return itemTable(
    SHEET_ZH.exceptions,
    treasuryTitle('国库对账差异明细', r),
    [
      ...statementOnlyRows(r, TREASURY),
      ...ledgerOnlyRows(r, TREASURY),
      ...mismatchRows(r, TREASURY),
      ...groupsRows(DOC_NO_MISMATCH, 'W', r.docNoMismatch, TREASURY),
    ],
    TREASURY,
  );
}

export function treasuryReconciliationFileName(r: { month: string }): ReportFileName {
  return { title: `国库集中支付对账-${r.month}`, ascii: `treasury-reconciliation-${r.month}` };
}
