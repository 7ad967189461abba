/** Commands the fiscal-year decider takes; the day of the act comes from the ledger's clock. */
export interface CloseFiscalYear {
  type: 'CloseFiscalYear';
  fiscalYear: number;
  closedOn: string;
  reason?: string;
}

export interface ReopenFiscalYear {
  type: 'ReopenFiscalYear';
  fiscalYear: number;
  reopenedOn: string;
  reason?: string;
}

export type FiscalYearCommand = CloseFiscalYear | ReopenFiscalYear;
