import { IsAmount, IsDay, IsFiscalYear, IsId, IsSourceCode, IsText } from '../../http/validation';
import { DisburseFunds } from '../../project/project.commands';

/** The body of a payment from a source against a budget line. */
export class DisburseFundsDto {
  @IsId(false, 'D-001') paymentId!: string;
  @IsSourceCode() source!: string;
  @IsId(false, 'B1') lineId!: string;
  @IsAmount() amount!: string;
  @IsText(false, '重庆某建设工程有限公司') payee!: string;
  @IsText(false, '国库支付凭证 2021-0456') voucher!: string;
  @IsDay() paidOn!: string;
  @IsFiscalYear() fiscalYear!: number;
  /** The fund-batch allocation this payment spends (consumes its indicator balance): never more than was received on it and not yet paid. */
  @IsId(true, 'A-001') allocationId?: string;
}

/** The command the body becomes, on project `projectId`; `today` (YYYY-MM-DD, UTC) is the day the request is recorded. */
export function disburseFundsCommand(projectId: string, dto: DisburseFundsDto, today: string): DisburseFunds {
  const { paymentId, source, lineId, amount, payee, voucher, paidOn, fiscalYear, allocationId } = dto;
  return {
    type: 'DisburseFunds',
    projectId,
    paymentId,
    source,
    lineId,
    amount,
    payee,
    voucher,
    paidOn,
    fiscalYear,
    allocationId,
    recordedOn: today,
  };
}
