/**
 * What GET /api/public/projects/:projectId/notice answers (public-notice.queries.ts), as the
 * OpenAPI document describes it: every field here is public by design; nothing personal.
 */
import { ApiProperty } from '@nestjs/swagger';
import { NoticeRoomDto } from '../funding/resident-views.dto';

const MONEY = { example: '1234567.80', description: 'CNY, a decimal string with two decimals' };
const AREA = { example: '60.00', description: 'm², a decimal string with two decimals' };
const DATE = { format: 'date', example: '2022-03-01' };
const PERCENT = { example: '42.50', description: 'percent of everything received, two decimals' };

class NoticeApprovalDto {
  @ApiProperty(MONEY) approvedInvestment!: string;
  @ApiProperty(DATE) approvedOn!: string;
  @ApiProperty({ example: '潼南发改〔2022〕12号' }) docNo!: string;
  @ApiProperty({ example: 'plan_review' }) approvalPath!: string;
  @ApiProperty({ example: '按改造方案审批（总投资1000万元以下）' }) approvalPathZh!: string;
}

class NoticeContentLineDto {
  @ApiProperty() lineId!: string;
  @ApiProperty({ example: 'basic' }) category!: string;
  @ApiProperty({ example: '基础类' }) categoryZh!: string;
  @ApiProperty({ example: 'roof' }) item!: string;
  @ApiProperty({ example: '屋顶' }) itemZh!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'broadcast',
    description: "a pipeline line's utility (two lines of one item differ by it); null for other lines",
  })
  utility!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '广电' }) utilityZh!: string | null;
  @ApiProperty(MONEY) estimatedCost!: string;
}

class NoticeFiguresDto {
  @ApiProperty(MONEY) pledged!: string;
  @ApiProperty(MONEY) received!: string;
  @ApiProperty(MONEY) disbursed!: string;
  @ApiProperty({ ...MONEY, description: 'received − disbursed' }) available!: string;
  @ApiProperty(PERCENT) share!: string;
}

class NoticeSourceDto extends NoticeFiguresDto {
  @ApiProperty({ example: 'district_matching' }) source!: string;
  @ApiProperty({ example: '区级配套资金' }) labelZh!: string;
  @ApiProperty({ example: 'district' }) tier!: string;
}

class NoticeFundingDto {
  @ApiProperty({ type: [NoticeSourceDto] }) sources!: NoticeSourceDto[];
  @ApiProperty({ type: NoticeFiguresDto }) totals!: NoticeFiguresDto;
}

class NoticePlanDto {
  @ApiProperty() planId!: string;
  @ApiProperty({ type: [String] }) lineIds!: string[];
  @ApiProperty(MONEY) amount!: string;
  @ApiProperty({ example: 'floor_coefficient' }) keyKind!: string;
  @ApiProperty({ type: String, nullable: true }) voteId!: string | null;
  @ApiProperty({ type: [NoticeRoomDto], description: 'by building, unit, floor and room' }) rooms!: NoticeRoomDto[];
  @ApiProperty(MONEY) total!: string;
}

class NoticeVoteCountDto {
  @ApiProperty({ type: 'integer' }) units!: number;
  @ApiProperty({ type: 'integer', description: 'owners, one per owner however many units' }) owners!: number;
  @ApiProperty(AREA) area!: string;
}

class NoticeVoteDto {
  @ApiProperty() voteId!: string;
  @ApiProperty({ example: 'alteration' }) matter!: string;
  @ApiProperty({ example: '改建、重建建筑物及其附属设施' }) matterZh!: string;
  @ApiProperty(DATE) heldOn!: string;
  @ApiProperty({ type: NoticeVoteCountDto }) scope!: NoticeVoteCountDto;
  @ApiProperty({ type: NoticeVoteCountDto }) participating!: NoticeVoteCountDto;
  @ApiProperty({ type: NoticeVoteCountDto }) agreeing!: NoticeVoteCountDto;
  @ApiProperty() quorumMet!: boolean;
  @ApiProperty() approvalMet!: boolean;
  @ApiProperty() passed!: boolean;
  @ApiProperty({ example: '《中华人民共和国民法典》第二百七十八条' }) citation!: string;
}

class NoticeMilestoneDto {
  @ApiProperty({ example: 'contract' }) kind!: string;
  @ApiProperty({ example: '签订施工合同' }) labelZh!: string;
  @ApiProperty(DATE) date!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '重庆琼江建设集团有限公司',
    description: "a contract's contractor or a tender's winner (an organisation); null for other milestones",
  })
  party!: string | null;
}

class NoticeContractorDto {
  @ApiProperty({ description: 'the contractor (an organisation), or a tender winner not yet under contract' })
  name!: string;
  @ApiProperty({ ...MONEY, description: "the contract's amount, else the tender's" }) amount!: string;
  @ApiProperty({ type: String, nullable: true, ...DATE, description: 'null: awarded, no contract yet' })
  signedOn!: string | null;
  @ApiProperty({
    type: [String],
    description:
      'the budget lines (renovationContent) it was paid on so far: a contract does not list its lines, so none before its first payment',
  })
  lineIds!: string[];
}

class NoticePeriodDto {
  @ApiProperty({ type: String, nullable: true, ...DATE }) startedOn!: string | null;
  @ApiProperty({ type: String, nullable: true, ...DATE }) completedOn!: string | null;
}

class NoticeSealedStreamDto {
  @ApiProperty({ type: 'integer' }) revision!: number;
  @ApiProperty({ description: "the project's event at that revision: its hash" }) hash!: string;
}

class NoticeSealDto {
  @ApiProperty() sealId!: string;
  @ApiProperty({ format: 'date-time', description: 'the exact instant, ISO 8601 UTC (the page shows it in 北京时间)' })
  sealedAt!: string;
  @ApiProperty() headPosition!: string;
  @ApiProperty({ description: 'SHA-256, hex, of canonicalJson({sealId, sealedAt, headPosition, streams})' })
  digest!: string;
  @ApiProperty({ description: 'SHA-256, hex, of the DER (SPKI) public key' }) keyFingerprint!: string;
  @ApiProperty({ description: "the signing key's public half, SPKI PEM" }) publicKey!: string;
  @ApiProperty({ description: 'Ed25519 signature, base64, over the digest' }) signature!: string;
  @ApiProperty({
    type: NoticeSealedStreamDto,
    nullable: true,
    description: "this project's stream head in the seal; null when it was registered after the seal",
  })
  projectStream!: NoticeSealedStreamDto | null;
}

/** GET /api/public/projects/:projectId/notice (公示, no token). */
export class PublicNoticeDto {
  @ApiProperty({ example: 'TN2021-017' }) projectId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() community!: string;
  @ApiProperty() town!: string;
  @ApiProperty({ enum: ['registered', 'approved', 'reapproval_required'] }) status!: string;
  @ApiProperty({ ...DATE, description: 'the day it is read, in China Standard Time' }) noticeDate!: string;
  @ApiProperty({ type: NoticeApprovalDto, nullable: true, description: 'null before approval' })
  approval!: NoticeApprovalDto | null;
  @ApiProperty({ type: [NoticeContentLineDto], description: 'the budget lines' })
  renovationContent!: NoticeContentLineDto[];
  @ApiProperty(MONEY) budgetTotal!: string;
  @ApiProperty({ type: NoticeFundingDto }) funding!: NoticeFundingDto;
  @ApiProperty({ type: [NoticePlanDto] }) costSharePlans!: NoticePlanDto[];
  @ApiProperty({ type: [NoticeVoteDto] }) votes!: NoticeVoteDto[];
  @ApiProperty({ type: [NoticeMilestoneDto] }) milestones!: NoticeMilestoneDto[];
  @ApiProperty({
    type: [NoticeContractorDto],
    description: 'every contract in the order signed, then each tender winner without a contract yet',
  })
  contractors!: NoticeContractorDto[];
  @ApiProperty({ type: NoticePeriodDto }) constructionPeriod!: NoticePeriodDto;
  @ApiProperty({ type: NoticeSealDto, nullable: true, description: "the ledger's latest seal; null before any" })
  seal!: NoticeSealDto | null;
}
