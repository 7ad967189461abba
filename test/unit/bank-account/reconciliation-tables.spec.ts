/**
 * 对账 as files: the CSV's one table is the exceptions (the lines the ledger lacks, the entries
 * the bank lacks, the mismatched matches, each line and entry of a match on its own row under one
 * group, its difference on the first), and the workbook the 调节表 and the four lists, in Chinese,
 * read back with exceljs. The 调节表's adjusted balances and their difference are the JSON's.
 */
import { Workbook } from 'exceljs';
import { StatementLine } from '../../../src/bank-account/bank-account.events';
import { reconcile } from '../../../src/bank-account/reconciliation';
import {
  reconciliationExceptionsTable,
  reconciliationFileName,
  reconciliationTables,
} from '../../../src/funding/bank-accounts/reconciliation-tables';
import { toCsv } from '../../../src/reports/export/report-csv';
import { toXlsx } from '../../../src/reports/export/report-xlsx';
import { RECONCILIATION_SHEETS, ledgerItem, statementLine } from '../../support/reconciliation-fixtures';
import { readCsv } from '../reports/report-fixtures';

const line = (n: number, over: Partial<StatementLine>) =>
  statementLine({ lineId: `L${n}`, row: n + 3, counterpartyAccount: '500101000000111', memo: '财政拨款', ...over });
const entry = ledgerItem;

/** A statement with a receipt keyed wrong (55,000 booked 50,000), a bank fee, and a payment the bank has not seen. */
const answer = {
  accountId: 'ZH-001',
  ...reconcile({
    month: '2023-03',
    lines: [
      line(1, { amount: '55000.00', balance: '55000.00', serial: 'YH1' }),
      line(2, { direction: 'debit', amount: '12.50', balance: '54987.50', counterparty: '', memo: '手续费' }),
    ],
    entries: [
      entry({ entryId: 'R1', amount: '50000.00', reference: 'YH1' }),
      entry({ entryId: 'D1', kind: 'payment', amount: '800.00', date: '2023-03-30', counterparty: '某建设公司' }),
    ],
    decisions: [],
    windowDays: 3,
  }),
};
const account = { accountId: 'ZH-001', name: '某街道专户', bank: '农行潼南支行', accountNo: '****1234' };

describe('reconciliation files', () => {
  it('the CSV: one row per exception, a mismatch as its line and its entry under one group', () => {
    const records = readCsv(toCsv(reconciliationExceptionsTable(answer, account)));
    const header = records[0];
    const col = (name: string) => records.slice(1).map((r) => r[header.indexOf(name)]);
    expect(col('类别')).toEqual(['银付企未付', '企付银未付', '金额不符', '金额不符']);
    expect(col('来源')).toEqual(['银行对账单', '账面', '银行对账单', '账面']);
    expect(col('金额')).toEqual(['12.50', '800.00', '55000.00', '50000.00']);
    expect(col('匹配组')).toEqual(['', '', 'X1', 'X1']);
    expect(col('匹配依据')).toEqual(['', '', '流水号/凭证号相同', '流水号/凭证号相同']);
    expect(col('差额（银行减账面）')).toEqual(['', '', '5000.00', '']);
    expect(col('项目编号')).toEqual(['', 'TN-1', '', 'TN-1']);
  });

  it('the workbook: the 调节表 with the JSON figures, unbalanced by the mismatch, and the four lists', async () => {
    const workbook = new Workbook();
    await workbook.xlsx.load((await toXlsx(reconciliationTables(answer, account))) as never);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(RECONCILIATION_SHEETS);
    const sheet = workbook.getWorksheet('余额调节表')!;
    expect(sheet.getCell('A1').value).toBe(
      '银行存款余额调节表（某街道专户，农行潼南支行，账号 ****1234，截至 2023-03-31，日期相差不超过 3 天）',
    );
    const a = answer.adjustment;
    expect(sheet.getCell('B7').value).toBe(Number(a.adjustedBookBalance));
    expect(sheet.getCell('D7').value).toBe(Number(a.adjustedBankBalance));
    expect([sheet.getCell('A8').value, sheet.getCell('D8').value]).toEqual(['调节结果：不符', Number(a.difference)]);
    expect(a.difference).toBe('5000.00');
    expect(workbook.getWorksheet('已核对相符')!.actualRowCount).toBe(2); // title and header: nothing matched
    expect(workbook.getWorksheet('金额不符')!.getCell('B3').value).toBe('X1');
    expect(workbook.getWorksheet('金额不符')!.views[0]).toMatchObject({ xSplit: 2, ySplit: 2 });
  });

  it('names the file by account and month, in Chinese and ASCII', () => {
    expect(reconciliationFileName(answer)).toEqual({
      title: '银行存款余额调节表-ZH-001-2023-03',
      ascii: 'reconciliation-ZH-001-2023-03',
    });
  });
});
