import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsAmount, IsId, IsIdList, IsJsonObject } from '../../http/validation';
import { COST_SHARE_KEY_KINDS } from '../../project/cost-sharing';
import { AdoptCostSharePlan, HouseholdScope } from '../../project/project.commands';
import { BALLOTS_MAX, PLAN_LINES_MAX } from '../../project/residents';
import { HouseholdScopeDoc } from '../record-owner-vote/record-owner-vote.dto';

/** How a plan weighs its households (OpenAPI only; cost-sharing.ts judges it). */
export class CostShareKeyDoc {
  @ApiProperty({ enum: COST_SHARE_KEY_KINDS }) kind!: string;
  @ApiPropertyOptional({
    example: { '1': '0', '2': '0', '3': '0.7', '4': '0.8', '5': '0.9', '6': '1.0' },
    description: 'floor_coefficient: the coefficient of each floor of the scope, agreed for this plan',
  })
  coefficients?: Record<string, string>;
  @ApiPropertyOptional({
    enum: ['building_area', 'exclusive_area'],
    description: 'floor_coefficient: the area it multiplies',
  })
  basis?: string;
  @ApiPropertyOptional({
    example: { 'H-3-2-601': '1.5' },
    description: 'custom: the weight of each household of the scope',
  })
  weights?: Record<string, string>;
}

/** The body of a cost-sharing plan. */
export class AdoptCostSharePlanDto {
  @IsId(false, 'PLAN-3-2-ELEVATOR') planId!: string;
  @IsIdList(PLAN_LINES_MAX, ['I1']) lineIds!: string[];
  @IsAmount() amount!: string;
  @IsJsonObject(HouseholdScopeDoc, { building: '3', unit: '2' }) scope!: HouseholdScope;
  @IsJsonObject(CostShareKeyDoc, { kind: 'building_area' }) key!: unknown;
  @IsIdList(BALLOTS_MAX, ['H-3-2-101', 'H-3-2-102'], { optional: true, min: 0 }) exempt?: string[];
  @IsId(true, 'V-3-2-ELEVATOR') voteId?: string;
}

export function adoptCostSharePlanCommand(projectId: string, dto: AdoptCostSharePlanDto): AdoptCostSharePlan {
  const { planId, lineIds, amount, scope, key, exempt, voteId } = dto;
  return { type: 'AdoptCostSharePlan', projectId, planId, lineIds, amount, scope, key, exempt, voteId };
}
