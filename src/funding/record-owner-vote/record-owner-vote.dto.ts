import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDay, IsId, IsJsonObject, IsObjectList, IsOneOf } from '../../http/validation';
import { BALLOT_CHOICES, VOTE_MATTERS } from '../../project/owner-votes';
import { HouseholdScope, RecordOwnerVote } from '../../project/project.commands';
import { BALLOTS_MAX } from '../../project/residents';

/**
 * Which households a vote or a plan covers (OpenAPI only; the decider judges it): exactly one of
 * `{all: true}`, `{building}`, `{building, unit}` or `{householdIds}`.
 */
export class HouseholdScopeDoc {
  @ApiPropertyOptional({ example: true, description: 'every household of the register' }) all?: boolean;
  @ApiPropertyOptional({ example: '3' }) building?: string;
  @ApiPropertyOptional({ example: '2', description: 'with building: one unit (单元, stairwell)' }) unit?: string;
  @ApiPropertyOptional({ type: [String], example: ['H-3-2-601', 'H-3-2-602'] }) householdIds?: string[];
}

export class BallotDoc {
  @ApiProperty({ example: 'H-3-2-601' }) householdId!: string;
  @ApiProperty({ enum: BALLOT_CHOICES }) choice!: string;
}

/** The body of an owners' vote: its ballots, one per household that took part. */
export class RecordOwnerVoteDto {
  @IsId(false, 'V-3-2-ELEVATOR') voteId!: string;
  @IsOneOf(VOTE_MATTERS) matter!: string;
  @IsJsonObject(HouseholdScopeDoc, { building: '3', unit: '2' }) scope!: HouseholdScope;
  @IsDay() heldOn!: string;
  @IsObjectList(BALLOTS_MAX, BallotDoc, { min: 0 }) ballots!: { householdId: string; choice: string }[];
}

/** The command the body becomes; `today` (YYYY-MM-DD, UTC) is the day the vote is recorded. */
export function recordOwnerVoteCommand(projectId: string, dto: RecordOwnerVoteDto, today: string): RecordOwnerVote {
  const { voteId, matter, scope, heldOn, ballots } = dto;
  return { type: 'RecordOwnerVote', projectId, voteId, matter, scope, heldOn, ballots, recordedOn: today };
}
