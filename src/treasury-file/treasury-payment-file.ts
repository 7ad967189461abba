/**
 * A treasury payment file (国库集中支付·直接支付 明细) as the treasury's system exports it, read
 * into lines with the bank statement's reader (src/bank-account/statement-file.ts): a CSV in UTF-8
 * or GBK/GB18030, or an xlsx workbook's first sheet; the header row found by the names of its
 * columns; every row below it with a 支付日期 read as one line, title, total and footer rows
 * skipped and listed. Amounts are decimal strings (thousands separators dropped), never a JS
 * number. docs/reconciliation.md lists the names taken.
 */
import { FileRead, TableSpec, amountFen, fileRead, readTable, tableLines } from '../bank-account/statement-file';
import { formatFen } from '../shared/money/money';
import { TreasuryFileErrors as E } from './treasury-file.errors';
import { TreasuryFileLine } from './treasury-file.events';

/** A column the reader looks for, with the names treasury exports give it. */
const COLUMNS = {
  voucher: ['支付凭证号', '支付凭证编号', '凭证号', '支付令号'],
  docNo: ['指标文号', '文号', '指标来源文号', '下达文号'],
  payee: ['收款人', '收款人名称', '收款人全称', '收款单位'],
  amount: ['金额', '支付金额', '实际支付金额'],
  paidOn: ['支付日期', '清算日期', '支付时间'],
  functionCode: ['功能科目', '功能分类科目', '支出功能分类科目', '功能分类'],
} as const;
type Column = keyof typeof COLUMNS;

const TREASURY_TABLE: TableSpec<Column> = {
  columns: COLUMNS,
  isHeader: (found) =>
    found.voucher !== undefined &&
    found.payee !== undefined &&
    found.amount !== undefined &&
    found.paidOn !== undefined,
  unreadable: E.unreadable,
  headersNotFound: E.headersNotFound,
};

/** One line as read from the file, before the decider gives it an id. */
export type ParsedTreasuryLine = Omit<TreasuryFileLine, 'lineId'>;

/** Its lines are the rows with a 支付日期; such a row that cannot be read is a problem, and refuses the import. */
export type TreasuryFileRead = FileRead<ParsedTreasuryLine>;

export async function readTreasuryFile(bytes: Buffer): Promise<TreasuryFileRead> {
  const table = await readTable(bytes, TREASURY_TABLE);
  const read = tableLines(table, 'paidOn', (r, paidOn, at) => ({
    row: r.row,
    voucher: voucherOf(r.row, at('voucher')),
    docNo: at('docNo'),
    payee: at('payee'),
    amount: amountOf(r.row, at('amount')),
    paidOn,
    functionCode: at('functionCode'),
  }));
  return fileRead(table, read);
}

/** A line is known by its 支付凭证号: one without it could never be told from a line imported before. */
function voucherOf(row: number, cell: string): string {
  if (cell === '') throw E.badLine(row, 'the line has no 支付凭证号');
  return cell;
}

/** A payment's amount: positive (a refund to the treasury, 退回, is not a payment of this file). */
function amountOf(row: number, cell: string): string {
  const fen = amountFen(cell, '金额', false, (why) => E.badLine(row, why));
  if (fen === null || fen === 0n) throw E.badLine(row, 'the line pays no money');
  return formatFen(fen);
}
