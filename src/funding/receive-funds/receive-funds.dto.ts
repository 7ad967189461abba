import { IsAmount, IsDay, IsFiscalYear, IsFlag, IsId, IsSourceCode, IsText } from '../../http/validation';
import { ReceiveFunds } from '../../project/project.commands';
import { SourceDetailsDto, detailsOf } from '../pledge-funding/source-details.dto';

/** The body of a receipt. */
export class ReceiveFundsDto extends SourceDetailsDto {
  @IsId(false, 'R-001') receiptId!: string;
  @IsSourceCode() source!: string;
  @IsAmount() amount!: string;
  @IsText(false, '潼南区财政局') payer!: string;
  @IsText(false, 'bank statement line or treasury voucher') reference!: string;
  @IsDay() receivedOn!: string;
  @IsFiscalYear() fiscalYear!: number;
  @IsId(true, 'P-001') pledgeId?: string;
  @IsId(true, 'B1') lineId?: string;
  /** The fund-batch allocation this receipt draws on (upper-level money): never more than what remains of it. */
  @IsId(true, 'A-001') allocationId?: string;
  /** The cost-sharing plan whose share of `householdId` this pays (resident_direct, provident_fund, maintenance_fund). */
  @IsId(true, 'PLAN-3-2-ELEVATOR') planId?: string;
  /** maintenance_fund: the owners' passed fund_use vote that allows the use. */
  @IsId(true, 'V-2022-01') voteId?: string;
  /** maintenance_fund: used without a vote in an emergency (民法典 第二百八十一条), with `emergencyReason`. */
  @IsFlag(true) emergency?: boolean;
  @IsText(true, '屋面渗漏危及安全，紧急维修') emergencyReason?: string;
}

/**
 * The command the body becomes, on project `projectId` (sub-fields flat in the body, under
 * `details` in the command); `today` (YYYY-MM-DD, UTC) is the day the request is recorded.
 */
export function receiveFundsCommand(projectId: string, dto: ReceiveFundsDto, today: string): ReceiveFunds {
  const { receiptId, source, amount, payer, reference, receivedOn, fiscalYear, pledgeId, lineId, allocationId } = dto;
  const { planId, voteId, emergency, emergencyReason } = dto;
  return {
    type: 'ReceiveFunds',
    projectId,
    receiptId,
    source,
    amount,
    payer,
    reference,
    receivedOn,
    fiscalYear,
    pledgeId,
    lineId,
    allocationId,
    details: detailsOf(dto),
    planId,
    voteId,
    emergency,
    emergencyReason,
    recordedOn: today,
  };
}
