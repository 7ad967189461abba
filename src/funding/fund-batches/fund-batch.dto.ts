import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { BATCH_SOURCES, MUNICIPAL_PROGRAMS } from '../../project/funding-sources';
import { IsAmount, IsDay, IsFiscalYear, IsId, IsSourceCode, IsText } from '../../http/validation';

/** POST /api/fund-batches: a transfer indicator, the district's matching budget or a bond tranche. */
export class IssueFundBatchDto {
  @IsId(false, 'YCJ2021-88') batchId!: string;
  @IsSourceCode(BATCH_SOURCES) source!: string;
  @ApiPropertyOptional({ enum: MUNICIPAL_PROGRAMS, description: 'municipal_subsidy only: the programme' })
  @IsOptional()
  @IsString({ message: 'program must be a string' })
  program?: string;
  @IsText(false, '渝财建〔2021〕88号') docNo!: string;
  @IsFiscalYear() fiscalYear!: number;
  @IsAmount() amount!: string;
  @IsDay() issuedOn!: string;
}

/** POST /api/fund-batches/:id/allocations */
export class AllocateFundsDto {
  @IsId(false, 'A-001') allocationId!: string;
  @IsId(false, 'TN2021-017') projectId!: string;
  @IsAmount() amount!: string;
  /** Date of the allocation (指标分配); today (UTC) when absent. */
  @IsDay(true) allocatedOn?: string;
}

/** POST /api/fund-batches/:id/reversals: all (no amount) or part of an allocation given back. */
export class ReverseAllocationDto {
  @IsId(false, 'AR-001') reversalId!: string;
  @IsId(false, 'A-001') allocationId!: string;
  @IsAmount(true) amount?: string;
  @IsText(false, '调整至 TN2021-020') reason!: string;
  @IsDay(true) reversedOn?: string;
}
