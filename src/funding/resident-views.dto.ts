/**
 * What the residents' reads answer (resident-queries.ts), as the OpenAPI document describes it.
 * Household ids and owner keys read "***" for roles that may not see personal data.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BoundsUsedDto } from '../audit/time-bounds.dto';

const BOUNDS = { type: BoundsUsedDto, description: 'with ?asOf / ?knownAt only: the bounds the read used' };

const MONEY = { example: '41176.47', description: 'CNY, a decimal string with two decimals' };
const AREA = { example: '60.00', description: 'm², a decimal string with two decimals' };
const PERSONAL = { description: 'personal data: "***" unless the role may see it' };

class HouseholdViewDto {
  @ApiProperty({ example: 'H-1-1-601', ...PERSONAL }) householdId!: string;
  @ApiProperty({ example: '1' }) building!: string;
  @ApiProperty({ example: '1' }) unit!: string;
  @ApiProperty({ type: 'integer', example: 6 }) floor!: number;
  @ApiProperty({ example: '601' }) room!: string;
  @ApiProperty(AREA) buildingArea!: string;
  @ApiPropertyOptional(AREA) exclusiveArea?: string;
  @ApiPropertyOptional({ example: 'owner_occupied' }) tenure?: string;
  @ApiProperty({ example: 'OK-0001', ...PERSONAL }) ownerKey!: string;
}

class RegisterTotalsDto {
  @ApiProperty({ type: 'integer' }) households!: number;
  @ApiProperty({ type: 'integer', description: 'distinct owner keys' }) owners!: number;
  @ApiProperty(AREA) buildingArea!: string;
  @ApiProperty(AREA) exclusiveArea!: string;
}

/** GET /api/projects/:id/households */
export class HouseholdRegisterDto {
  @ApiProperty({ example: 'TN2021-017' }) projectId!: string;
  @ApiProperty({ type: [HouseholdViewDto] }) households!: HouseholdViewDto[];
  @ApiProperty({ type: RegisterTotalsDto }) totals!: RegisterTotalsDto;
}

/** Paid by channel: direct payment, provident fund, maintenance fund. */
class PaidByChannelDto {
  @ApiProperty(MONEY) resident_direct!: string;
  @ApiProperty(MONEY) provident_fund!: string;
  @ApiProperty(MONEY) maintenance_fund!: string;
}

class ShareFiguresDto {
  @ApiProperty(MONEY) share!: string;
  @ApiProperty({ type: PaidByChannelDto }) paid!: PaidByChannelDto;
  @ApiProperty(MONEY) paidTotal!: string;
  @ApiProperty(MONEY) outstanding!: string;
}

class PlanHouseholdDto extends ShareFiguresDto {
  @ApiProperty({ example: 'H-1-1-601', ...PERSONAL }) householdId!: string;
  @ApiProperty() building!: string;
  @ApiProperty() unit!: string;
  @ApiProperty({ type: 'integer' }) floor!: number;
  @ApiProperty() room!: string;
  @ApiProperty({ example: '42', description: 'the household weight under the plan key, an exact decimal' })
  weight!: string;
}

const KEY = {
  type: 'object',
  description:
    'the sharing key: {kind: building_area | exclusive_area | household} or {kind: floor_coefficient, coefficients, basis} or {kind: custom, weights}',
  additionalProperties: true,
} as const;

const SCOPE = {
  type: 'object',
  description: 'the households the plan or vote covers, as chosen (a list, a building, a building and unit)',
  additionalProperties: true,
} as const;

/** GET /api/projects/:id/cost-shares/:planId */
export class CostSharePlanDto {
  @ApiProperty({ example: 'P-ELEV-1' }) planId!: string;
  @ApiProperty({ type: [String] }) lineIds!: string[];
  @ApiProperty(MONEY) amount!: string;
  @ApiProperty(SCOPE) scope!: object;
  @ApiProperty(KEY) key!: object;
  @ApiPropertyOptional({ type: [String], ...PERSONAL }) exempt?: string[];
  @ApiPropertyOptional() voteId?: string;
  @ApiProperty({ type: [PlanHouseholdDto] }) households!: PlanHouseholdDto[];
  @ApiProperty({ type: ShareFiguresDto }) totals!: ShareFiguresDto;
  @ApiPropertyOptional(BOUNDS) bounds?: BoundsUsedDto;
}

class StatementReceiptDto {
  @ApiProperty() receiptId!: string;
  @ApiProperty({ enum: ['resident_direct', 'provident_fund', 'maintenance_fund'] }) source!: string;
  @ApiProperty(MONEY) amount!: string;
  @ApiProperty(MONEY) reversed!: string;
  @ApiProperty({ format: 'date' }) receivedOn!: string;
  @ApiPropertyOptional() voteId?: string;
}

class BindingVoteDto {
  @ApiProperty() voteId!: string;
  @ApiProperty({ enum: ['fund_use', 'fund_raise', 'alteration', 'common_parts', 'other'] }) matter!: string;
  @ApiProperty({ format: 'date' }) heldOn!: string;
  @ApiProperty() passed!: boolean;
}

class StatementPlanDto extends ShareFiguresDto {
  @ApiProperty() planId!: string;
  @ApiProperty({ type: [String] }) lineIds!: string[];
  @ApiProperty({ type: [StatementReceiptDto] }) receipts!: StatementReceiptDto[];
  @ApiProperty({ type: [BindingVoteDto] }) votes!: BindingVoteDto[];
}

/** GET /api/projects/:id/households/:householdId/statement */
export class HouseholdStatementDto {
  @ApiProperty() projectId!: string;
  @ApiProperty({ type: HouseholdViewDto }) household!: HouseholdViewDto;
  @ApiProperty({ type: [StatementPlanDto] }) plans!: StatementPlanDto[];
  @ApiProperty({ type: ShareFiguresDto }) totals!: ShareFiguresDto;
}

class BallotDto {
  @ApiProperty({ ...PERSONAL }) householdId!: string;
  @ApiProperty({ enum: ['agree', 'disagree', 'abstain'] }) choice!: string;
}

/** GET /api/projects/:id/votes/:voteId: the vote as recorded, with every figure of its tally. */
export class OwnerVoteDto {
  @ApiProperty() voteId!: string;
  @ApiProperty({ enum: ['fund_use', 'fund_raise', 'alteration', 'common_parts', 'other'] }) matter!: string;
  @ApiProperty(SCOPE) scope!: object;
  @ApiProperty({ format: 'date' }) heldOn!: string;
  @ApiProperty({ type: [BallotDto] }) ballots!: BallotDto[];
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'the tally: scope totals, participating and agreeing area and owners as exact fractions and percents, quorum and approval, the rule applied (民法典 第二百七十八条 or 物权法 第七十六条, by heldOn)',
  })
  tally!: object;
  @ApiProperty() passed!: boolean;
  @ApiPropertyOptional(BOUNDS) bounds?: BoundsUsedDto;
}

export class NoticeRoomDto {
  @ApiProperty() building!: string;
  @ApiProperty() unit!: string;
  @ApiProperty({ type: 'integer' }) floor!: number;
  @ApiProperty() room!: string;
  @ApiProperty({ type: String, nullable: true, ...AREA }) area!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '0.7' }) coefficient!: string | null;
  @ApiProperty({ example: '42' }) weight!: string;
  @ApiProperty(MONEY) share!: string;
}

/** GET /api/projects/:id/cost-shares/:planId/notice (公示): rooms and shares, no household id, no owner key. */
export class PlanNoticeDto {
  @ApiProperty() projectId!: string;
  @ApiProperty() planId!: string;
  @ApiProperty({ type: [String] }) lineIds!: string[];
  @ApiProperty(MONEY) amount!: string;
  @ApiProperty(KEY) key!: object;
  @ApiPropertyOptional() voteId?: string;
  @ApiProperty({ type: [NoticeRoomDto] }) rooms!: NoticeRoomDto[];
  @ApiProperty(MONEY) total!: string;
}
