import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { HAZARD_CODES, PARTICIPANT_CODES, REVIEW_UNIT_CODES as UNIT_CODES } from '../../policy/rules/lifecycle.rules';
import { HOUSEHOLDS_MAX } from '../../shared/domain/input-rules';
import {
  IsAmount,
  IsCodeList,
  IsDay,
  IsFlag,
  IsId,
  IsJsonObject,
  IsObjectList,
  IsOneOf,
  IsText,
  IsTextList,
  IsWholeNumber,
  validateBodyAs,
} from '../../http/validation';
import { EXEMPTION_CODES, MILESTONE_LIST_MAX } from '../../project/lifecycle';
import { RecordMilestone } from '../../project/project.commands';
import {
  CONSULTATION_METHODS,
  DETERMINATION_KINDS,
  FEE_BASES,
  HANDOVER_PARTS,
  MANAGEMENT_MODELS,
  MILESTONE_KINDS,
  MilestoneKind,
  REVIEW_RESULTS,
  isMilestoneKind,
  TENDER_METHODS,
} from '../../project/project.events';
import { DomainError } from '../../shared/domain/domain-error';
import { describeValue } from '../../shared/domain/data-shape';

/**
 * The body of `POST /api/projects/:id/milestones`: one milestone, its `kind` saying which. Each
 * kind has its DTO below; the route picks it by `kind` and judges the body by it (400 naming the
 * field), and the decider (src/project/lifecycle.ts) judges the rest: the objects' members, the
 * order, the rules of the milestone's date.
 */

const DOC_REFS_EXAMPLE = ['潼南住建发〔2022〕15号'];

/** What every milestone has: its kind, its id and the documents it rests on. */
abstract class MilestoneBody {
  abstract kind: string;
  @IsId(false, 'M-2022-001') milestoneId!: string;
  @IsTextList(MILESTONE_LIST_MAX, DOC_REFS_EXAMPLE) docRefs!: string[];
}

export class ConsultationDto extends MilestoneBody {
  @IsOneOf(['consultation']) kind!: 'consultation';
  @IsDay() heldOn!: string;
  @IsOneOf(CONSULTATION_METHODS) method!: string;
  @IsWholeNumber(0, HOUSEHOLDS_MAX, 'a whole number of households', 180) householdsReached!: number;
  @IsWholeNumber(0, HOUSEHOLDS_MAX, 'a whole number of households', 150) householdsSupporting!: number;
  @IsText(true, '桂林街道办事处') organiser?: string;
}

export class ObjectionsDoc {
  @ApiProperty({ type: 'integer', minimum: 0, example: 2 }) received!: number;
  @ApiPropertyOptional({ example: '两户对停车位布置提出意见，已调整' }) summary?: string;
}

export class PublicityDto extends MilestoneBody {
  @IsOneOf(['publicity']) kind!: 'publicity';
  @IsText(false, '建设路小区改造内容') subject!: string;
  @IsDay() startDate!: string;
  @IsDay() endDate!: string;
  @IsTextList(MILESTONE_LIST_MAX, ['小区公示栏', '社区微信群'], 1) channels!: string[];
  @IsJsonObject(ObjectionsDoc, { received: 0 }) objections!: { received: number; summary?: string };
}

export class JointReviewDto extends MilestoneBody {
  @IsOneOf(['joint_review']) kind!: 'joint_review';
  @IsDay() reviewedOn!: string;
  @IsOneOf(UNIT_CODES) lead!: string;
  @IsCodeList(UNIT_CODES, ['development_reform', 'finance_bureau']) reviewers!: string[];
  @IsOneOf(REVIEW_RESULTS) result!: string;
  @IsText(false, '潼南住建审〔2022〕8号') opinionRef!: string;
}

export class PermitFactsDoc {
  @ApiPropertyOptional({ example: '0.00', description: 'm² of building area added' }) addedArea?: string;
  @ApiPropertyOptional({ example: '850000.00', description: 'the works investment (工程投资额), CNY' })
  investment?: string;
  @ApiPropertyOptional() structureChanged?: boolean;
  @ApiPropertyOptional({ type: 'array', items: { type: 'string', enum: [...HAZARD_CODES] }, example: [] })
  hazards?: string[];
  @ApiPropertyOptional({ description: "the construction unit's written commitment (告知承诺)" })
  commitmentMade?: boolean;
  @ApiPropertyOptional() newConstructionLand?: boolean;
  @ApiPropertyOptional() independentLandUse?: boolean;
  @ApiPropertyOptional() landRightChange?: boolean;
  @ApiPropertyOptional() affectsEvacuation?: boolean;
  @ApiPropertyOptional() changesRegisteredUse?: boolean;
  @ApiPropertyOptional() withinProjectLand?: boolean;
  @ApiPropertyOptional() affectsNeighbours?: boolean;
  @ApiPropertyOptional() changesFireAccess?: boolean;
}

/** A land procedure, planning permit, drawing review or construction permit: a number, or an exemption with its facts. */
export class DeterminationDto extends MilestoneBody {
  @IsOneOf(DETERMINATION_KINDS) kind!: string;
  @IsDay() determinedOn!: string;
  @IsText(true, '潼南建施〔2022〕012号') permitNo?: string;
  @IsOneOf(EXEMPTION_CODES, true) exemption?: string;
  @IsJsonObject(PermitFactsDoc, { structureChanged: false, addedArea: '0.00', hazards: [] }, true) facts?: object;
}

export class TenderDto extends MilestoneBody {
  @IsOneOf(['tender']) kind!: 'tender';
  @IsDay() awardedOn!: string;
  @IsOneOf(TENDER_METHODS) method!: string;
  @IsText(false, '重庆潼南建工集团有限公司') winner!: string;
  @IsAmount() amount!: string;
}

export class PayeeDoc {
  @ApiProperty({ example: '重庆潼南建工集团有限公司' }) name!: string;
  @ApiProperty({
    example: '91500152MA5UTN001P',
    description: '统一社会信用代码 (GB 32100-2015), check character verified',
  })
  creditCode!: string;
}
export class PaymentTermsDoc {
  @ApiProperty({ example: '80.00', description: 'progress payments at most this percent of the value measured' })
  progressPaymentCapPercent!: string;
  @ApiProperty({ example: '3.00', description: 'percent retained (质量保证金)' }) retentionPercent!: string;
}

export class ContractDto extends MilestoneBody {
  @IsOneOf(['contract']) kind!: 'contract';
  @IsDay() signedOn!: string;
  @IsId(false, 'HT-2022-001') contractId!: string;
  @IsJsonObject(PayeeDoc) payee!: object;
  @IsAmount() amount!: string;
  @IsJsonObject(PaymentTermsDoc, { progressPaymentCapPercent: '80.00', retentionPercent: '3.00' })
  paymentTerms!: object;
  @IsFlag(true) smallOrMediumEnterprise?: boolean;
}

export class ConstructionStartedDto extends MilestoneBody {
  @IsOneOf(['construction_started']) kind!: 'construction_started';
  @IsDay() startedOn!: string;
}

export class ConstructionCompletedDto extends MilestoneBody {
  @IsOneOf(['construction_completed']) kind!: 'construction_completed';
  @IsDay() completedOn!: string;
}

export class JointAcceptanceDto extends MilestoneBody {
  @IsOneOf(['joint_acceptance']) kind!: 'joint_acceptance';
  @IsDay() acceptedOn!: string;
  @IsOneOf(UNIT_CODES) lead!: string;
  @IsCodeList(PARTICIPANT_CODES, ['construction_unit', 'contractor', 'resident_representative'])
  participants!: string[];
  @IsOneOf(REVIEW_RESULTS) result!: string;
  @IsText(true, '潼南住建验〔2022〕21号') opinionRef?: string;
}

export class AcceptanceReportFiledDto extends MilestoneBody {
  @IsOneOf(['acceptance_report_filed']) kind!: 'acceptance_report_filed';
  @IsDay() filedOn!: string;
}

export class HandoverPartDoc {
  @ApiProperty({ enum: HANDOVER_PARTS }) part!: string;
  @ApiProperty({ example: '国网重庆潼南供电公司' }) receivingParty!: string;
  @ApiPropertyOptional({ example: '小区配电设施' }) scope?: string;
}

export class HandoverDto extends MilestoneBody {
  @IsOneOf(['handover']) kind!: 'handover';
  @IsDay() handedOverOn!: string;
  @IsObjectList(MILESTONE_LIST_MAX, HandoverPartDoc) parts!: object[];
}

export class FeeDoc {
  @ApiProperty({ example: '0.60' }) amount!: string;
  @ApiProperty({ enum: FEE_BASES }) basis!: string;
}

export class ManagementModelDto extends MilestoneBody {
  @IsOneOf(['management_model']) kind!: 'management_model';
  @IsDay() agreedOn!: string;
  @IsOneOf(MANAGEMENT_MODELS) model!: string;
  @IsText(false, '重庆潼南宜居物业服务有限公司') unit!: string;
  @IsText(false, '公共区域保洁、绿化养护、设施设备管护') scope!: string;
  @IsText(false, '《重庆市住宅物业服务等级标准》三级') standard!: string;
  @IsJsonObject(FeeDoc, { amount: '0.60', basis: 'per_m2_month' }, true) fee?: object;
}

/** The DTO of each kind (the four determinations share one). */
export const MILESTONE_DTOS: Record<MilestoneKind, Function> = {
  consultation: ConsultationDto,
  publicity: PublicityDto,
  joint_review: JointReviewDto,
  land_procedure: DeterminationDto,
  planning_permit: DeterminationDto,
  drawing_review: DeterminationDto,
  construction_permit: DeterminationDto,
  tender: TenderDto,
  contract: ContractDto,
  construction_started: ConstructionStartedDto,
  construction_completed: ConstructionCompletedDto,
  joint_acceptance: JointAcceptanceDto,
  acceptance_report_filed: AcceptanceReportFiledDto,
  handover: HandoverDto,
  management_model: ManagementModelDto,
};

/** The body judged by its kind's DTO: `kind` first, then the fields that kind takes. */
export async function milestoneBody(body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const kind = body.kind;
  if (kind === undefined) throw new DomainError('missing-field', 'kind is required', 400, 'kind');
  if (!isMilestoneKind(kind))
    throw new DomainError(
      'invalid-field',
      `kind must be one of ${MILESTONE_KINDS.join(', ')} (got ${describeValue(kind)})`,
      400,
      'kind',
    );
  await validateBodyAs(MILESTONE_DTOS[kind], body);
  // The decider parses the fields again, whoever sends them: the DTO only answers a client sooner.
  return body;
}

/** The command the body becomes; `today` (YYYY-MM-DD, UTC) is the day it is recorded. */
export function recordMilestoneCommand(
  projectId: string,
  milestone: RecordMilestone['milestone'],
  today: string,
): RecordMilestone {
  return { type: 'RecordMilestone', projectId, milestone, recordedOn: today };
}
