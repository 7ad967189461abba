/**
 * What the project reads answer, as the OpenAPI document describes it. Each class implements the
 * type the code answers with, so the compiler holds the two together.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FundingMix } from '../../projections/funding-mix/funding-mix.query';
import { ProjectListItem } from '../../projections/project-list/project-list.projection';
import { BoundsUsedDto } from '../audit/time-bounds.dto';
import { ByKindDto } from '../http/meta-views.dto';
import { TIERS, Tier } from '../project/funding-sources';
import { ELIGIBILITY_BASES, EligibilityBasis, EligibilityRecord } from '../project/eligibility';
import { MILESTONE_KINDS } from '../project/project.events';
import { APPROVAL_PATHS, ApprovalPath } from '../policy/rules/approval.rules';
import { ProjectQueries } from './project-queries';
import { eventView } from './project-views';

const MONEY = { example: '1250.00', description: 'CNY, a decimal string with two decimals' };

/** One project in the list (the project-list read model). */
export class ProjectListItemDto implements ProjectListItem {
  @ApiProperty({ example: 'TN2021-017' }) projectId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() community!: string;
  @ApiProperty() town!: string;
  @ApiProperty({ enum: ['registered', 'approved', 'reapproval_required'] }) status!: string;
  @ApiProperty({ type: String, nullable: true, ...MONEY }) approvedInvestment!: string | null;
  @ApiProperty({ type: String, nullable: true, enum: APPROVAL_PATHS }) approvalPath!: string | null;
  @ApiProperty(MONEY) budgetTotal!: string;
  @ApiProperty(MONEY) pledged!: string;
  @ApiProperty(MONEY) received!: string;
  @ApiProperty(MONEY) disbursed!: string;
}

/** The list as it stood at `asOf` / `knownAt`, replayed from the log, with the bounds it used. */
export class BoundedProjectListDto {
  @ApiProperty({ type: BoundsUsedDto }) bounds!: BoundsUsedDto;
  @ApiProperty({ type: [ProjectListItemDto] }) projects!: ProjectListItemDto[];
}

type ProjectView = Awaited<ReturnType<ProjectQueries['project']>>['view'];

type Approval = NonNullable<ProjectView['approval']>;
type BudgetLine = ProjectView['budgetLines'][number];
type Entry = ProjectView['pledges'][number];
type ProjectAllocation = ProjectView['allocations'][number];
type SourcePosition = ProjectView['sources'][number];

class ApprovalDto implements Approval {
  @ApiProperty(MONEY) approvedInvestment!: string;
  @ApiProperty({ enum: APPROVAL_PATHS }) approvalPath!: ApprovalPath;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'approval-path-seed',
    description:
      'the approval-path rule that decided it (GET /api/policies); null for an approval recorded before rules were dated',
  })
  ruleId!: string | null;
  @ApiProperty({ type: Boolean, nullable: true, description: 'null for an approval recorded before it was asked' })
  involvesIndependentInfrastructure!: boolean | null;
  @ApiPropertyOptional({ description: 'plan_review: the passed joint review (a milestone id) it rests on' })
  jointReviewId?: string;
  @ApiProperty() docNo!: string;
  @ApiProperty({ format: 'date' }) approvedOn!: string;
}

class EligibilityDto implements EligibilityRecord {
  @ApiProperty({ enum: ELIGIBILITY_BASES }) basis!: EligibilityBasis;
  @ApiProperty({ example: 'eligibility-scope-seed' }) ruleId!: string;
  @ApiProperty({ description: "false: outside the seed's scope (recorded, never refused; a red flag)" })
  withinScope!: boolean;
  @ApiProperty() reason!: string;
}

class BudgetLineDto implements BudgetLine {
  @ApiProperty() lineId!: string;
  @ApiProperty() category!: string;
  @ApiProperty() item!: string;
  @ApiPropertyOptional({ description: 'set on pipeline work: the utility' }) utility?: string;
  @ApiProperty(MONEY) estimatedCost!: string;
}

/** A pledge, receipt or payment, with what remains of it after reversals. */
class EntryDto implements Entry {
  @ApiProperty() id!: string;
  @ApiProperty() source!: string;
  @ApiProperty(MONEY) amount!: string;
  @ApiProperty(MONEY) reversed!: string;
  @ApiPropertyOptional({ ...MONEY, description: 'pledges only: received against it' }) received?: string;
  @ApiProperty({ ...MONEY, description: 'amount − reversed (− received, for a pledge)' }) remaining!: string;
  @ApiPropertyOptional() lineId?: string;
  @ApiPropertyOptional() pledgeId?: string;
  @ApiPropertyOptional() allocationId?: string;
}

class ProjectAllocationDto implements ProjectAllocation {
  @ApiProperty() allocationId!: string;
  @ApiProperty() batchId!: string;
  @ApiProperty() source!: string;
  @ApiPropertyOptional({ description: 'municipal_subsidy only: the programme' }) program?: string;
  @ApiProperty() docNo!: string;
  @ApiProperty({ type: 'integer' }) fiscalYear!: number;
  @ApiProperty(MONEY) amount!: string;
  @ApiProperty(MONEY) released!: string;
  @ApiProperty(MONEY) received!: string;
  @ApiProperty(MONEY) disbursed!: string;
  @ApiProperty({ ...MONEY, description: 'amount − released − received' }) undrawn!: string;
}

class SourcePositionDto implements SourcePosition {
  @ApiProperty() source!: string;
  @ApiProperty(MONEY) pledged!: string;
  @ApiProperty(MONEY) received!: string;
  @ApiProperty(MONEY) disbursed!: string;
  @ApiProperty({ ...MONEY, description: 'received − disbursed' }) available!: string;
}

/** A project's state, folded from its stream. */
export class ProjectViewDto implements ProjectView {
  @ApiProperty({ example: 'TN2021-017' }) projectId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() community!: string;
  @ApiProperty() town!: string;
  @ApiProperty({ type: 'integer' }) builtYear!: number;
  @ApiProperty({ description: 'm², at most two decimals' }) buildingArea!: number;
  @ApiProperty({ type: 'integer' }) households!: number;
  @ApiProperty({ type: EligibilityDto }) eligibility!: EligibilityDto;
  @ApiPropertyOptional({ description: 'built 2001-2005: why its living conditions are poor' })
  conditionJustification?: string;
  @ApiProperty({ enum: ['registered', 'approved', 'reapproval_required'] }) status!:
    'registered' | 'approved' | 'reapproval_required';
  @ApiProperty({ type: ApprovalDto, nullable: true }) approval!: ApprovalDto | null;
  @ApiProperty(MONEY) budgetTotal!: string;
  @ApiProperty({ type: [BudgetLineDto] }) budgetLines!: BudgetLineDto[];
  @ApiProperty({ type: [EntryDto] }) pledges!: EntryDto[];
  @ApiProperty({ type: [EntryDto] }) receipts!: EntryDto[];
  @ApiProperty({ type: [EntryDto] }) payments!: EntryDto[];
  @ApiProperty({
    type: [EntryDto],
    description: 'treasury direct payments (国库集中支付·直接支付): each received and paid at once, on its allocation',
  })
  treasuryPayments!: EntryDto[];
  @ApiProperty({ type: [ProjectAllocationDto] }) allocations!: ProjectAllocationDto[];
  @ApiProperty({ type: [SourcePositionDto] }) sources!: SourcePositionDto[];
  @ApiProperty({
    type: [String],
    description: 'the cost-sharing plans adopted (GET /api/projects/:id/cost-shares/:planId)',
  })
  planIds!: string[];
  @ApiProperty({ type: [String], description: "the owners' votes recorded (GET /api/projects/:id/votes/:voteId)" })
  voteIds!: string[];
  @ApiProperty({
    type: 'integer',
    description: 'the stream revision (also the ETag); at past bounds, the last revision kept',
  })
  revision!: number;
  @ApiPropertyOptional({ type: BoundsUsedDto, description: 'with ?asOf / ?knownAt only: the bounds the read used' })
  bounds?: BoundsUsedDto;
}

type MixFigures = FundingMix['totals'];
type MixSource = FundingMix['sources'][number];

class MixFiguresDto implements MixFigures {
  @ApiProperty(MONEY) pledged!: string;
  @ApiProperty(MONEY) received!: string;
  @ApiProperty(MONEY) disbursed!: string;
  @ApiProperty({ ...MONEY, description: 'received − disbursed' }) available!: string;
  @ApiProperty({ example: '62.50', description: 'percent of everything received, two decimals' }) share!: string;
}

class MixSourceDto extends MixFiguresDto implements MixSource {
  @ApiProperty() source!: string;
  @ApiProperty({ enum: TIERS }) tier!: Tier;
  @ApiProperty() labelZh!: string;
  @ApiProperty({ description: 'a contribution in kind (valued, never cash)' }) inKind!: boolean;
  @ApiProperty({
    type: ByKindDto,
    description: 'what was received of the source in cash and in kind, entry by entry (a donation may be either)',
  })
  byKind!: ByKindDto;
}

class MixTierDto extends MixFiguresDto {
  @ApiProperty({ enum: TIERS }) tier!: Tier;
}

/** A project's funding mix per source and tier, with the bounds the read used. */
export class FundingMixDto implements FundingMix {
  @ApiProperty() projectId!: string;
  @ApiProperty({ type: [MixSourceDto] }) sources!: MixSourceDto[];
  @ApiProperty({ type: [MixTierDto] }) tiers!: MixTierDto[];
  @ApiProperty({ type: MixFiguresDto }) totals!: MixFiguresDto;
  @ApiProperty({ type: ByKindDto }) byKind!: ByKindDto;
  @ApiProperty({ type: BoundsUsedDto }) bounds!: BoundsUsedDto;
}

type EventView = ReturnType<typeof eventView>;

type Actor = EventView['actor'];

class ActorDto implements Actor {
  @ApiProperty() id!: string;
  @ApiProperty() role!: string;
  @ApiProperty() org!: string;
}

/** An event with its metadata, its personal data masked unless the caller's role may see it. */
export class EventViewDto implements EventView {
  @ApiProperty({ example: 'project-TN2021-017' }) streamId!: string;
  @ApiProperty({ type: 'integer' }) revision!: number;
  @ApiProperty({ example: '1042', description: 'global position, a decimal string' }) position!: string;
  @ApiProperty() eventId!: string;
  @ApiProperty({ example: 'funds-received.v1' }) type!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: "the event's data (domain.md)" })
  data!: Record<string, unknown>;
  @ApiProperty({ type: ActorDto }) actor!: ActorDto;
  @ApiProperty() commandId!: string;
  @ApiProperty() correlationId!: string;
  @ApiProperty() causationId!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ description: 'SHA-256, hex, of the previous event of the stream' }) prevHash!: string;
  @ApiProperty({ description: 'SHA-256, hex, of this event' }) hash!: string;
}

type MilestoneView = Awaited<ReturnType<ProjectQueries['milestones']>>[number];

/** A milestone of the project's life, as recorded. */
export class MilestoneViewDto implements MilestoneView {
  @ApiProperty({ example: 'M-2022-001' }) milestoneId!: string;
  @ApiProperty({ enum: MILESTONE_KINDS }) kind!: MilestoneView['kind'];
  @ApiProperty({ format: 'date', description: "its business date (the kind's own field: heldOn, startedOn, ...)" })
  date!: string;
  @ApiProperty({ type: [String] }) docRefs!: string[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'the rule it was held to (publicity, review, exemption, acceptance, filing), if any',
  })
  ruleId!: string | null;
  @ApiPropertyOptional({
    format: 'date',
    description:
      'a filing: its deadline; a passed joint acceptance: the deadline its filing has (15 days, rest days moved)',
  })
  filingDeadline?: string;
  @ApiPropertyOptional({
    description:
      'true when the deadline reaches a year whose holiday notice the ledger does not hold yet: counted by weekends alone',
  })
  deadlineProvisional?: boolean;
  @ApiPropertyOptional({ description: 'a filing: whether it was made after its deadline (recorded, never refused)' })
  late?: boolean;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the rest of what was recorded, by kind' })
  details!: Record<string, unknown>;
  @ApiProperty({ type: String, example: 'construction-started.v1' }) type!: MilestoneView['type'];
  @ApiProperty({ type: 'integer' }) revision!: number;
  @ApiProperty({ type: ActorDto }) actor!: ActorDto;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
}
