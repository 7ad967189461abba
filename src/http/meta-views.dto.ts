/**
 * What the meta routes answer (health, the funding-source table, the renovation items), as the
 * OpenAPI document describes it. A class implements the type the code answers with where there is one.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ChainWatchStatus } from '../audit/chain-watch';
import { StreamFault } from '../event-store/integrity';
import { FundingSourceSpec, SubFieldSpec, TIERS, Tier } from '../project/funding-sources';
import { CATEGORY_ITEMS } from '../project/renovation-content';

class HealthStoreDto {
  @ApiProperty({ enum: ['sqlite', 'eventstoredb'] }) kind!: string;
  @ApiPropertyOptional({ description: "the log's head position (when the store answers)" }) headPosition?: string;
  @ApiPropertyOptional({ description: 'why the store does not answer (503)' }) error?: string;
}

class HealthProjectionDto {
  @ApiProperty() name!: string;
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty({ description: 'the log position it has processed through' }) position!: string;
  @ApiPropertyOptional({ description: 'events between it and the head (when the store answers)' }) lag?: string;
}

class VerifierStatusDto implements ChainWatchStatus {
  @ApiProperty() running!: boolean;
  @ApiProperty({ type: 'integer', description: 'passes over the whole log completed since start' }) passes!: number;
  @ApiProperty({ description: 'the position through which the current pass has verified' }) checkedThrough!: string;
  @ApiProperty({ type: 'integer' }) eventsChecked!: number;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) lastPassEndedAt!: string | null;
  @ApiProperty({ type: 'integer' }) brokenStreams!: number;
}

/** A stream whose stored events do not verify: nothing is decided on it. */
class StreamFaultDto implements StreamFault {
  @ApiProperty() streamId!: string;
  @ApiProperty() revision!: string;
  @ApiProperty() eventId!: string;
  @ApiProperty() position!: string;
  @ApiProperty({ description: 'what does not hold, in words' }) problem!: string;
  @ApiProperty({ enum: ['write-path', 'read', 'verifier'] }) foundBy!: 'write-path' | 'read' | 'verifier';
  @ApiProperty({ format: 'date-time' }) foundAt!: string;
}

class IntegrityDto {
  @ApiProperty({ type: VerifierStatusDto }) verifier!: VerifierStatusDto;
  @ApiProperty({ type: [StreamFaultDto] }) brokenStreams!: StreamFaultDto[];
}

/** The service's state: `ok`, `degraded` (a projection failing, or a stream that does not verify), or `store-unavailable` (503). */
export class HealthDto {
  @ApiProperty({ enum: ['ok', 'degraded', 'store-unavailable'] }) status!: string;
  @ApiProperty({ type: HealthStoreDto }) store!: HealthStoreDto;
  @ApiProperty({ type: [HealthProjectionDto] }) projections!: HealthProjectionDto[];
  @ApiPropertyOptional({ description: 'why the projections are failing' }) projectionError?: string;
  @ApiPropertyOptional({ type: IntegrityDto, description: 'when the store answers' }) integrity?: IntegrityDto;
}

export class LiveDto {
  @ApiProperty({ enum: ['alive'] }) status!: 'alive';
}

class SubFieldSpecDto implements SubFieldSpec {
  @ApiProperty({ example: 'householdId' }) name!: string;
  @ApiProperty() required!: boolean;
  @ApiPropertyOptional({ type: [String], description: 'the allowed values; absent: any text' }) values?: string[];
  @ApiProperty() description!: string;
}

/** A funding source: its code, labels, tier, sub-fields and rule. */
export class FundingSourceSpecDto implements FundingSourceSpec {
  @ApiProperty({ example: 'resident_direct' }) code!: string;
  @ApiProperty() labelZh!: string;
  @ApiProperty() labelEn!: string;
  @ApiProperty({ enum: TIERS }) tier!: Tier;
  @ApiProperty({ description: 'a contribution in kind: valued, never counted as cash' }) inKind!: boolean;
  @ApiProperty({ type: [SubFieldSpecDto] }) subFields!: SubFieldSpecDto[];
  @ApiProperty({ description: 'the rule the ledger holds it to ("" for none)' }) rule!: string;
}

type CategoryItems = { [C in keyof typeof CATEGORY_ITEMS]: readonly string[] };

/** Budget-line categories and their item codes (domain.md §3). */
export class RenovationItemsDto implements CategoryItems {
  @ApiProperty({ type: [String], example: ['water_supply', 'roof'] }) basic!: string[];
  @ApiProperty({ type: [String] }) improvement!: string[];
  @ApiProperty({ type: [String] }) enhancement!: string[];
}
