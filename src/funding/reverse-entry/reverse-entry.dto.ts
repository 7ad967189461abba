import { IsAmount, IsDay, IsId, IsText } from '../../http/validation';
import { ReverseEntry } from '../../project/project.commands';

/** The body of a full (no amount) or partial reversal of a pledge, receipt or payment. */
export class ReverseEntryDto {
  @IsId(false, 'X-001') reversalId!: string;
  @IsId(false, 'R-001') entryId!: string;
  @IsAmount(true) amount?: string;
  @IsText(false, '银行退票：收款账户有误') reason!: string;
  /** Effective date of the correction; today (UTC) when absent. */
  @IsDay(true) reversedOn?: string;
}

/** The command the body becomes, on project `projectId`; `today` (YYYY-MM-DD) dates a reversal that names no `reversedOn`. */
export function reverseEntryCommand(projectId: string, dto: ReverseEntryDto, today: string): ReverseEntry {
  const { reversalId, entryId, amount, reason, reversedOn } = dto;
  return { type: 'ReverseEntry', projectId, reversalId, entryId, amount, reason, reversedOn: reversedOn ?? today };
}
