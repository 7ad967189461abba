import { IsAmount, IsDay, IsFiscalYear, IsId, IsText } from '../../http/validation';
import { MakeTreasuryPayment } from '../../project/project.commands';

/**
 * The body of a treasury direct payment (国库集中支付·直接支付): the treasury pays the payee from a
 * fund-batch allocation, which is received and paid at once. Its source is the allocation's.
 */
export class MakeTreasuryPaymentDto {
  @IsId(false, 'TP-001') paymentId!: string;
  /** The fund-batch allocation spent: its remainder (allocated, not given back, not yet drawn) must cover the amount. */
  @IsId(false, 'A-001') allocationId!: string;
  @IsId(false, 'B1') lineId!: string;
  @IsAmount() amount!: string;
  @IsText(false, '重庆某建设工程有限公司') payee!: string;
  /** The treasury's payment voucher (支付凭证号). */
  @IsText(false, '国库支付凭证 2023-0789') voucher!: string;
  @IsDay() paidOn!: string;
  /** Absent: the allocation's, while paidOn falls in it or the carry-over year after it (结转); else paidOn's year. */
  @IsFiscalYear(true) fiscalYear?: number;
}

/** The command the body becomes, on project `projectId`; `today` (YYYY-MM-DD, UTC) is the day the request is recorded. */
export function makeTreasuryPaymentCommand(
  projectId: string,
  dto: MakeTreasuryPaymentDto,
  today: string,
): MakeTreasuryPayment {
  const { paymentId, allocationId, lineId, amount, payee, voucher, paidOn, fiscalYear } = dto;
  return {
    type: 'MakeTreasuryPayment',
    projectId,
    paymentId,
    allocationId,
    lineId,
    amount,
    payee,
    voucher,
    paidOn,
    ...(fiscalYear !== undefined ? { fiscalYear } : {}),
    recordedOn: today,
  };
}
