import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { SOURCE_CODES } from '../../project/funding-sources';
import { IsAmount, IsDay, IsFiscalYear, IsId, IsText } from '../../http/validation';
import { SourceDetailsDto } from './source-details.dto';

/** POST /api/projects/:id/pledges */
export class PledgeFundingDto extends SourceDetailsDto {
  @IsId(false, 'P-001') pledgeId!: string;
  @ApiProperty({ enum: SOURCE_CODES }) @IsString({ message: 'source must be a funding source code' }) source!: string;
  @IsAmount() amount!: string;
  @IsText(false, '潼南区财政局') payer!: string;
  @IsFiscalYear() fiscalYear!: number;
  @IsDay() pledgedOn!: string;
  @IsId(true, 'B1') lineId?: string;
}
