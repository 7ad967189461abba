import { IsText } from '../../http/validation';
import { SourceDetails } from '../../project/project.events';
import { SUB_FIELD_NAMES } from '../../project/funding-sources';

/**
 * The sub-fields a funding source may take (product.md). Which apply to which source is the
 * decider's rule (`sub-field-not-allowed`, `sub-field-required`); here they are only strings.
 */
export class SourceDetailsDto {
  @IsText(true) householdId?: string;
  @IsText(true) utility?: string;
  @IsText(true) program?: string;
  @IsText(true) donorKind?: string;
  @IsText(true) valuationBasis?: string;
  @IsText(true) voteRef?: string;
  @IsText(true) operatingRights?: string;
  @IsText(true) bondId?: string;
  @IsText(true) lender?: string;
}

export function detailsOf(dto: SourceDetailsDto): SourceDetails {
  const details: SourceDetails = {};
  for (const name of SUB_FIELD_NAMES) {
    const v = (dto as Record<string, unknown>)[name];
    if (typeof v === 'string') details[name] = v;
  }
  return details;
}
