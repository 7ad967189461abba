/** A statement line and a ledger entry as reconcile() takes them: a receipt of 100.00 from 潼南区财政局 on 2023-03-10 unless overridden. */
import { StatementLine } from '../../src/bank-account/bank-account.events';
import { LedgerItem } from '../../src/bank-account/reconciliation';

export function statementLine(over: Partial<StatementLine> = {}): StatementLine {
  return {
    lineId: 'L1',
    row: 1,
    date: '2023-03-10',
    direction: 'credit',
    amount: '100.00',
    balance: '0.00',
    counterparty: '潼南区财政局',
    counterpartyAccount: '',
    memo: '',
    serial: '',
    ...over,
  };
}

export function ledgerItem(over: Partial<LedgerItem> = {}): LedgerItem {
  return {
    projectId: 'TN-1',
    entryId: 'R1',
    kind: 'receipt',
    amount: '100.00',
    date: '2023-03-10',
    reference: '',
    counterparty: '潼南区财政局',
    ...over,
  };
}

/** The sheets of the reconciliation workbook, in order: the 调节表, then the four lists. */
export const RECONCILIATION_SHEETS = ['余额调节表', '已核对相符', '银行已记账面未记', '账面已记银行未记', '金额不符'];
