/**
 * What the meta routes answer (health, the funding-source table, the renovation items and their
 * labels, the policy rules), as the
 * OpenAPI document describes it. A class implements the type the code answers with where there is one.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ChainWatchStatus } from '../audit/chain-watch';
import { StreamFault } from '../event-store/integrity';
import { ByKind, FundingSourceSpec, Moved, SubFieldSpec, TIERS, Tier } from '../project/funding-sources';
import { CATEGORY_ITEMS } from '../project/renovation-content';
import { PolicySource, Provenance } from '../policy/policy-rule';
import { PolicyView } from '../policy/policy-view';
import { Actor, ROLES, Role } from '../auth/tokens';

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

const MONEY = { example: '1250.00', description: 'CNY, a decimal string with two decimals' };

class MovedDto implements Moved {
  @ApiProperty(MONEY) received!: string;
  @ApiProperty(MONEY) disbursed!: string;
  @ApiProperty({ ...MONEY, description: 'received − disbursed' }) available!: string;
}

/** Received and disbursed split into 现金 and 实物/投工投劳 (isInKind, entry by entry); the two add up to the totals. */
export class ByKindDto implements ByKind {
  @ApiProperty({ type: MovedDto, description: '现金: entries in cash (a treasury direct payment among them)' })
  cash!: MovedDto;
  @ApiProperty({
    type: MovedDto,
    description:
      '实物/投工投劳: entries in kind at their valuation (resident_in_kind, or a donation with valuationBasis)',
  })
  inKind!: MovedDto;
}

type CategoryItems = { [C in keyof typeof CATEGORY_ITEMS]: readonly string[] };

/** A code and the words users read for it (src/policy/labels.ts). */
export class LabelledCodeDto {
  @ApiProperty({ example: 'roof' }) code!: string;
  @ApiProperty({ example: '屋顶' }) zh!: string;
  @ApiProperty({ example: 'Roofs' }) en!: string;
}

class LabelledCategoryDto extends LabelledCodeDto {
  @ApiProperty({ type: [LabelledCodeDto], description: 'its items, with the seed’s own names' })
  items!: LabelledCodeDto[];
}

/** Budget-line categories and their item codes (domain.md §3), and the labels of the codes users see. */
export class RenovationItemsDto implements CategoryItems {
  @ApiProperty({ type: [String], example: ['water_supply', 'roof'] }) basic!: string[];
  @ApiProperty({ type: [String] }) improvement!: string[];
  @ApiProperty({ type: [String] }) enhancement!: string[];
  @ApiProperty({ type: [LabelledCategoryDto], description: '基础类 / 完善类 / 提升类 and their items, labelled' })
  categories!: LabelledCategoryDto[];
  @ApiProperty({ type: [LabelledCodeDto], description: 'the approval paths (plan_review, merged_fsr, standard)' })
  approvalPaths!: LabelledCodeDto[];
  @ApiProperty({ type: [LabelledCodeDto], description: "the milestones of a project's life, in the seed's words" })
  milestones!: LabelledCodeDto[];
}

class PolicyTitleDto {
  @ApiProperty({ example: '住房公积金仅用于加装电梯等自住住房改造' }) zh!: string;
  @ApiProperty({ example: 'Provident fund: elevators and own-home renovation only' }) en!: string;
}

class PolicySourceDto implements PolicySource {
  @ApiProperty({ example: '潼南府办发〔2021〕71号' }) document!: string;
  @ApiProperty({ example: '四(一)' }) clause!: string;
  @ApiProperty({ description: "the document's own words ('' for a local setting that quotes nothing)" })
  quote!: string;
  @ApiProperty({ enum: ['seed', 'law', 'national', 'local'] }) provenance!: Provenance;
  @ApiProperty({ description: 'false: quoted from general knowledge, to be checked against an official copy' })
  verified!: boolean;
}

/** A dated policy rule (src/policy): where it comes from, when it applies, its settings. */
export class PolicyViewDto implements PolicyView {
  @ApiProperty({ example: 'provident-fund-earmark' }) ruleId!: string;
  @ApiProperty({ example: 'provident-fund-earmark', description: 'the rule this is a version of' }) family!: string;
  @ApiProperty({ type: PolicyTitleDto }) title!: PolicyTitleDto;
  @ApiProperty({ type: PolicySourceDto }) source!: PolicySourceDto;
  @ApiProperty({ format: 'date', description: 'the first business date it judges' }) effectiveFrom!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date', description: 'the last; null while in force' })
  effectiveTo!: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'its settings (lists, thresholds, fees); integers too large for JSON numbers are decimal strings',
  })
  settings!: unknown;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'where the documents are silent: what the setting assumes and why',
  })
  silence!: string | null;
}

/** Who the bearer token is (never the token): what the web pages show and which views they offer. */
export class SessionDto implements Actor {
  @ApiProperty() actorId!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ description: 'the organisation, as the tokens file names it' }) org!: string;
  @ApiPropertyOptional({ type: [String], description: 'the towns a street office writes for (absent: the district)' })
  towns?: string[];
}
