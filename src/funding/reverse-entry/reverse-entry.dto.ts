import { IsAmount, IsDay, IsId, IsText } from '../../http/validation';

/** POST /api/projects/:id/reversals: full (no amount) or partial reversal of a pledge, receipt or payment. */
export class ReverseEntryDto {
  @IsId(false, 'X-001') reversalId!: string;
  @IsId(false, 'R-001') entryId!: string;
  @IsAmount(true) amount?: string;
  @IsText(false, '银行退票：收款账户有误') reason!: string;
  /** Effective date of the correction; today (UTC) when absent. */
  @IsDay(true) reversedOn?: string;
}
