import { IsAmount, IsDay, IsFiscalYear, IsId, IsSourceCode, IsText } from '../../http/validation';
import { PledgeFunding } from '../../project/project.commands';
import { SourceDetailsDto, detailsOf } from './source-details.dto';

/** The body of a pledge. */
export class PledgeFundingDto extends SourceDetailsDto {
  @IsId(false, 'P-001') pledgeId!: string;
  @IsSourceCode() source!: string;
  @IsAmount() amount!: string;
  @IsText(false, '潼南区财政局') payer!: string;
  @IsFiscalYear() fiscalYear!: number;
  @IsDay() pledgedOn!: string;
  @IsId(true, 'B1') lineId?: string;
}

/**
 * The command the body becomes, on project `projectId` (sub-fields flat in the body, under `details` in the command);
 * `today` (YYYY-MM-DD, UTC) is the day the request is recorded.
 */
export function pledgeFundingCommand(projectId: string, dto: PledgeFundingDto, today: string): PledgeFunding {
  const { pledgeId, source, amount, payer, fiscalYear, pledgedOn, lineId } = dto;
  return {
    type: 'PledgeFunding',
    projectId,
    pledgeId,
    source,
    amount,
    payer,
    fiscalYear,
    pledgedOn,
    lineId,
    details: detailsOf(dto),
    recordedOn: today,
  };
}
