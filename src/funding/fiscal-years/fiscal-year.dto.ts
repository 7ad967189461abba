import { IsText } from '../../http/validation';

/** POST /api/fiscal-years/:year/close: 年终结账; the day is the ledger's. */
export class CloseFiscalYearDto {
  @IsText(true, '2022年度年终结账') reason?: string;
}

/** POST /api/fiscal-years/:year/reopen: the reason is required (reopen-reason-required). */
export class ReopenFiscalYearDto {
  @IsText(true, '补记2022年12月未入账的拨款') reason?: string;
}
