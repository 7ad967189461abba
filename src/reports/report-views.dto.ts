/**
 * What the reports answer as JSON, as the OpenAPI document describes it. Each class implements the
 * type the code answers with, so the compiler holds the two together.
 */
import { ApiExtraModels, ApiProperty, OmitType, getSchemaPath } from '@nestjs/swagger';
import { BoundsUsedDto } from '../audit/time-bounds.dto';
import { ByKindDto } from '../http/meta-views.dto';
import { TIERS, Tier } from '../project/funding-sources';
import { AllocationView, BatchDetail, BatchListReport, BatchListTotals, BatchView } from './fund-batch-reports';
import { BatchUnallocatedView, IdleByProject, ProjectIdleView } from './idle-by-project';
import { LedgerFigures, SummaryFigures } from './ledger-figures';
import { Check, ProjectsReport, SourceRowView, SourcesReport } from './source-reports';
import { TARGETS_SOURCE, TARGET_METRICS, TARGET_SCOPES, TargetMetric, TargetScope } from './district-targets';
import {
  PERIOD_STATUSES,
  PeriodStatus,
  TargetFigures,
  TargetPeriodView,
  TargetProjectView,
  TargetsReport,
} from './targets-report';
import { TownView, TownsReport } from './towns-report';

const MONEY = { example: '1250.00', description: 'CNY, a decimal string with two decimals' };
const PROGRESS = {
  type: String,
  nullable: true,
  example: '62.50',
  description: '到位资金支付率: disbursed ÷ received in percent, two decimals; null when nothing was received',
};
const RATE = { type: String, nullable: true, example: '62.50' };
const RATES = {
  allocationRate: {
    ...RATE,
    description: '分配率: allocated ÷ issued (the batch amount), percent; null when nothing was issued',
  },
  fundingRate: {
    ...RATE,
    description: '资金到位率: received ÷ planned (allocated), percent; null when nothing was allocated',
  },
  paymentRate: {
    ...RATE,
    description: '支付率 (支出进度): disbursed ÷ issued, percent, read beside 序时进度; null when nothing was issued',
  },
};
/** The bureau's figures of an indicator (IndicatorRates). */
class IndicatorRatesDto {
  @ApiProperty(RATES.allocationRate) allocationRate!: string | null;
  @ApiProperty(RATES.fundingRate) fundingRate!: string | null;
  @ApiProperty(RATES.paymentRate) paymentRate!: string | null;
}

export class LedgerFiguresDto implements LedgerFigures {
  @ApiProperty(MONEY) pledged!: string;
  @ApiProperty({ ...MONEY, description: 'from fund batches (指标分配), in the batch’s fiscal year' })
  allocated!: string;
  @ApiProperty(MONEY) received!: string;
  @ApiProperty(MONEY) disbursed!: string;
  @ApiProperty({ ...MONEY, description: 'received − disbursed' }) available!: string;
  @ApiProperty({
    ...MONEY,
    description: '计划数, 资金到位率’s divisor: per row the larger of pledged and allocated; a subtotal sums its rows’',
  })
  planned!: string;
  @ApiProperty(PROGRESS) progress!: string | null;
  @ApiProperty({ ...MONEY, description: 'received from a batch source without naming an allocation' })
  unallocated!: string;
  // IndicatorRatesDto's fields (a class extends one other only)
  @ApiProperty({
    ...RATES.allocationRate,
    description: '分配率: allocated ÷ issued, percent; on a subtotal only (a project’s row: null)',
  })
  allocationRate!: string | null;
  @ApiProperty({ ...RATE, description: '资金到位率: received ÷ planned, percent; null when nothing was planned' })
  fundingRate!: string | null;
  @ApiProperty({
    ...RATE,
    description:
      '支付率 (支出进度): disbursed ÷ issued, percent, read beside 序时进度; issued is a project’s allocations on its rows, the batches’ amount on a subtotal; null when nothing was issued',
  })
  paymentRate!: string | null;
}

/** A subtotal over whole sources, with the money the fund batches issued for them: its rates are that money's. */
export class SummaryFiguresDto extends LedgerFiguresDto implements SummaryFigures {
  @ApiProperty({ ...MONEY, description: '下达金额: the fund batches’ amount issued for these sources in the year' })
  issued!: string;
  @ApiProperty({ ...MONEY, description: 'received on those batches’ allocations (the money issued that arrived)' })
  issuedReceived!: string;
  @ApiProperty({ ...MONEY, description: 'paid on those batches’ allocations (the money issued that was paid)' })
  issuedDisbursed!: string;
  @ApiProperty({
    ...RATE,
    description: '分配率: allocated ÷ issued, percent; null when no batch issued money for these sources',
  })
  declare allocationRate: string | null;
  @ApiProperty({
    ...RATE,
    description: '资金到位率 of the money issued: issuedReceived ÷ allocated, percent; null when nothing was allocated',
  })
  declare fundingRate: string | null;
  @ApiProperty({
    ...RATE,
    description:
      '支付率 (支出进度) of the money issued: issuedDisbursed ÷ issued, percent, read beside 序时进度; null when no batch issued money (residents’, pipeline units’, social money)',
  })
  declare paymentRate: string | null;
}

const REFERENCE_DATE = {
  type: String,
  nullable: true,
  format: 'date',
  description: 'the date 序时进度 is read at: asOf, else today',
} as const;
const TIME_PROGRESS = {
  type: String,
  nullable: true,
  example: '50.14',
  description: '序时进度: the share of the fiscal year elapsed at the reference date, percent; null for all years',
} as const;

class SourceRowDto extends LedgerFiguresDto implements SourceRowView {
  @ApiProperty() source!: string;
  @ApiProperty() labelZh!: string;
  @ApiProperty({ enum: TIERS }) tier!: Tier;
  @ApiProperty() tierZh!: string;
  @ApiProperty() inKind!: boolean;
  @ApiProperty({ type: 'integer' }) fiscalYear!: number;
  @ApiProperty(TIME_PROGRESS) timeProgress!: string | null;
  @ApiProperty() projectId!: string;
  @ApiProperty({ type: String, nullable: true }) projectName!: string | null;
}

type SourceSubtotal = SourcesReport['sources'][number];
type TierSubtotal = SourcesReport['tiers'][number];

class SourceSubtotalDto extends SummaryFiguresDto implements SourceSubtotal {
  @ApiProperty() source!: string;
  @ApiProperty() labelZh!: string;
  @ApiProperty({ enum: TIERS }) tier!: Tier;
  @ApiProperty() tierZh!: string;
  @ApiProperty() inKind!: boolean;
  @ApiProperty({ type: 'integer', description: 'projects with a figure from the source' }) projects!: number;
}

class TierSubtotalDto extends SummaryFiguresDto implements TierSubtotal {
  @ApiProperty({ enum: TIERS }) tier!: Tier;
  @ApiProperty() tierZh!: string;
}

const TEXT_MAP = { type: 'object', additionalProperties: { type: 'string' } } as const;

/** A conservation check: the figures it compares, and where it does not hold, what differs. */
class CheckDto implements Check {
  @ApiProperty() name!: string;
  @ApiProperty() holds!: boolean;
  @ApiProperty({ ...TEXT_MAP, description: 'the figures compared, each a CNY string' })
  figures!: Record<string, string>;
  @ApiProperty({
    required: false,
    type: 'array',
    items: TEXT_MAP,
    description: 'the projects or allocations that differ',
  })
  differences?: Record<string, string>[];
  @ApiProperty({
    example: '0.00',
    description: '差额: how far the figures are out, 0.00 when the check holds (items summed in absolute value)',
  })
  difference!: string;
}

/** The source ledger: rows source × fiscal year × project, subtotals, totals and checks. */
export class SourcesReportDto implements SourcesReport {
  @ApiProperty({ type: 'integer', nullable: true, description: 'the fiscal year asked for; null: all' })
  fiscalYear!: number | null;
  @ApiProperty({ type: [SourceRowDto] }) rows!: SourceRowDto[];
  @ApiProperty({ type: [SourceSubtotalDto] }) sources!: SourceSubtotalDto[];
  @ApiProperty({ type: [TierSubtotalDto] }) tiers!: TierSubtotalDto[];
  @ApiProperty(REFERENCE_DATE) referenceDate!: string | null;
  @ApiProperty(TIME_PROGRESS) timeProgress!: string | null;
  @ApiProperty({ type: SummaryFiguresDto }) totals!: SummaryFiguresDto;
  @ApiProperty({ type: SummaryFiguresDto, description: 'the totals without the sources in kind (resident_in_kind)' })
  cashTotals!: SummaryFiguresDto;
  @ApiProperty({ type: ByKindDto }) byKind!: ByKindDto;
  @ApiProperty({ type: [CheckDto] }) checks!: CheckDto[];
  @ApiProperty({ type: BoundsUsedDto }) bounds!: BoundsUsedDto;
}

type MatrixSource = ProjectsReport['sources'][number];
type MatrixRow = ProjectsReport['rows'][number];

class MatrixSourceDto implements MatrixSource {
  @ApiProperty() source!: string;
  @ApiProperty() labelZh!: string;
  @ApiProperty({ enum: TIERS }) tier!: Tier;
  @ApiProperty() tierZh!: string;
}

/** Figures per source code. */
const FIGURES_BY_SOURCE = {
  type: 'object',
  additionalProperties: { $ref: getSchemaPath(LedgerFiguresDto) },
  description: 'figures per source code',
} as const;

class MatrixRowDto implements MatrixRow {
  @ApiProperty() projectId!: string;
  @ApiProperty({ type: String, nullable: true }) projectName!: string | null;
  @ApiProperty({ type: String, nullable: true }) town!: string | null;
  @ApiProperty(FIGURES_BY_SOURCE) sources!: Record<string, LedgerFiguresDto>;
  @ApiProperty({ type: LedgerFiguresDto }) totals!: LedgerFiguresDto;
}

class MatrixTotalsDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(SummaryFiguresDto) },
    description: 'figures per source code, against the batches’ amount issued',
  })
  sources!: Record<string, SummaryFiguresDto>;
  @ApiProperty({ type: SummaryFiguresDto }) totals!: SummaryFiguresDto;
}

/** 资金来源到位表: a row per project, its sources side by side, column totals. */
@ApiExtraModels(LedgerFiguresDto, SummaryFiguresDto)
export class ProjectsReportDto implements ProjectsReport {
  @ApiProperty({ type: 'integer', nullable: true, description: 'the fiscal year asked for; null: all' })
  fiscalYear!: number | null;
  @ApiProperty(REFERENCE_DATE) referenceDate!: string | null;
  @ApiProperty(TIME_PROGRESS) timeProgress!: string | null;
  @ApiProperty({ type: [MatrixSourceDto], description: 'the column groups, in the taxonomy’s order' })
  sources!: MatrixSourceDto[];
  @ApiProperty({ type: [MatrixRowDto] }) rows!: MatrixRowDto[];
  @ApiProperty({ type: MatrixTotalsDto }) totals!: MatrixTotalsDto;
  @ApiProperty({ type: ByKindDto }) byKind!: ByKindDto;
  @ApiProperty({ type: BoundsUsedDto }) bounds!: BoundsUsedDto;
}

/** Money received and paid on a batch or an allocation, and how much of it lies idle (RF-14). */
class MoneyAndIdleDto {
  @ApiProperty(MONEY) received!: string;
  @ApiProperty(MONEY) disbursed!: string;
  @ApiProperty({ ...MONEY, description: 'received − disbursed' }) available!: string;
  @ApiProperty(PROGRESS) progress!: string | null;
  @ApiProperty({ description: 'some money is idle idleDays or more (RF-14, any of its three kinds)' }) idle!: boolean;
  @ApiProperty({ ...MONEY, description: 'idleReceived + idleNotReceived + idleUnallocated' }) idleAmount!: string;
  @ApiProperty({ ...MONEY, description: 'received and unpaid idleDays or more' }) idleReceived!: string;
  @ApiProperty({
    ...MONEY,
    description:
      'allocated idleDays or more ago and not received: the allocation’s undrawn remainder (allocated − released − received)',
  })
  idleNotReceived!: string;
  @ApiProperty({
    ...MONEY,
    description: 'a batch’s money issued idleDays or more ago and not allocated (0.00 on an allocation)',
  })
  idleUnallocated!: string;
  @ApiProperty({ ...MONEY, description: 'received and not yet paid at the reference date' }) unpaid!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date' }) oldestUnpaidOn!: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) oldestUnpaidAgeDays!: number | null;
}

/** A fund batch with its totals and idle money (a row of the list). */
export class BatchViewDto extends MoneyAndIdleDto implements BatchView {
  // IndicatorRatesDto's fields (a class extends one other only)
  @ApiProperty(RATES.allocationRate) allocationRate!: string | null;
  @ApiProperty(RATES.fundingRate) fundingRate!: string | null;
  @ApiProperty(RATES.paymentRate) paymentRate!: string | null;
  @ApiProperty({
    example: '50.14',
    description: '序时进度: the share of the batch’s fiscal year elapsed at the reference date, percent',
  })
  timeProgress!: string;
  @ApiProperty() batchId!: string;
  @ApiProperty() source!: string;
  @ApiProperty() labelZh!: string;
  @ApiProperty({ type: String, nullable: true, description: 'municipal_subsidy only: the programme' })
  program!: string | null;
  @ApiProperty() docNo!: string;
  @ApiProperty({ type: 'integer' }) fiscalYear!: number;
  @ApiProperty({ format: 'date' }) issuedOn!: string;
  @ApiProperty(MONEY) amount!: string;
  @ApiProperty(MONEY) allocated!: string;
  @ApiProperty({ ...MONEY, description: 'amount − allocated' }) unallocated!: string;
  @ApiProperty({ ...MONEY, description: 'as the projects record it (less than allocated while pending)' })
  recorded!: string;
  @ApiProperty({ type: 'integer' }) allocationCount!: number;
}

class BatchListTotalsDto extends IndicatorRatesDto implements BatchListTotals {
  @ApiProperty(MONEY) amount!: string;
  @ApiProperty(MONEY) allocated!: string;
  @ApiProperty(MONEY) unallocated!: string;
  @ApiProperty(MONEY) received!: string;
  @ApiProperty(MONEY) disbursed!: string;
  @ApiProperty(MONEY) available!: string;
  @ApiProperty(MONEY) idleAmount!: string;
  @ApiProperty(MONEY) idleReceived!: string;
  @ApiProperty(MONEY) idleNotReceived!: string;
  @ApiProperty(MONEY) idleUnallocated!: string;
  @ApiProperty({ type: 'integer' }) idleBatches!: number;
}

/** Every fund batch listed, with the totals over the list. */
export class BatchListReportDto implements BatchListReport {
  @ApiProperty({ type: 'integer', nullable: true, description: 'the fiscal year asked for; null: all' })
  fiscalYear!: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'the source asked for; null: all' }) source!: string | null;
  @ApiProperty({ type: BoundsUsedDto }) bounds!: BoundsUsedDto;
  @ApiProperty({ format: 'date', description: 'the date idle money is aged at: asOf, else today' })
  referenceDate!: string;
  @ApiProperty({ type: 'integer' }) idleDays!: number;
  @ApiProperty({ type: [BatchViewDto] }) batches!: BatchViewDto[];
  @ApiProperty({ type: BatchListTotalsDto }) totals!: BatchListTotalsDto;
}

type AllocationFlowView = AllocationView['flows'][number];

class AllocationFlowDto implements AllocationFlowView {
  @ApiProperty({
    enum: [
      'receipt',
      'payment',
      'treasury-payment',
      'receipt-reversal',
      'payment-reversal',
      'treasury-payment-reversal',
    ],
    description: 'treasury-payment: a treasury direct payment, received and disbursed at once',
  })
  kind!: string;
  @ApiProperty() id!: string;
  @ApiProperty({ required: false, description: 'a reversal: the entry it reverses' }) entryId?: string;
  @ApiProperty({ format: 'date' }) on!: string;
  @ApiProperty(MONEY) amount!: string;
}

class AllocationViewDto extends MoneyAndIdleDto implements AllocationView {
  @ApiProperty() allocationId!: string;
  @ApiProperty() projectId!: string;
  @ApiProperty({ type: String, nullable: true }) projectName!: string | null;
  @ApiProperty({ format: 'date' }) allocatedOn!: string;
  @ApiProperty({ ...MONEY, description: 'as the batch records it, net of reversals' }) allocated!: string;
  @ApiProperty({ ...MONEY, description: 'as the project records it (its copy), net of releases' }) recorded!: string;
  @ApiProperty({ ...MONEY, description: 'allocated − received' }) undrawn!: string;
  @ApiProperty({ type: [AllocationFlowDto], description: 'dated receipts, payments and reversals, oldest first' })
  flows!: AllocationFlowDto[];
}

/** One fund batch with each of its allocations, the bounds the read used and how idle money was aged. */
export class BatchDetailDto extends BatchViewDto implements BatchDetail {
  @ApiProperty({ type: [AllocationViewDto] }) allocations!: AllocationViewDto[];
  @ApiProperty({ type: BoundsUsedDto }) bounds!: BoundsUsedDto;
  @ApiProperty({ format: 'date', description: 'the date idle money is aged at: asOf, else today' })
  referenceDate!: string;
  @ApiProperty({ type: 'integer' }) idleDays!: number;
}

class WordsDto {
  @ApiProperty() zh!: string;
  @ApiProperty() en!: string;
}

const COUNT = { type: 'integer' } as const;
const AREA_M2 = { example: '7812.50', description: 'm², a decimal string with two decimals, summed exactly' };
const AREA_WAN = { example: '66.70', description: '万m², rounded half up to two decimals (areaM2 is exact)' };
const PERCENT = {
  type: String,
  nullable: true,
  example: '8.33',
  description: 'actual ÷ target in percent, two decimals; null without a target figure',
};

class TargetFiguresDto implements TargetFigures {
  @ApiProperty({ ...COUNT, description: 'communities (town + name), each once' }) communities!: number;
  @ApiProperty(AREA_M2) areaM2!: string;
  @ApiProperty(AREA_WAN) areaWanM2!: string;
  @ApiProperty(COUNT) households!: number;
}

class TargetRegisterDto extends TargetFiguresDto {
  @ApiProperty({ type: WordsDto }) note!: WordsDto;
}

class TargetDto {
  @ApiProperty({ type: 'integer', nullable: true, description: "the seed's figure; null where it gives none" })
  communities!: number | null;
  @ApiProperty({ type: String, nullable: true, example: '66.70' }) areaWanM2!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '667000.00' }) areaM2!: string | null;
  @ApiProperty({ description: "the seed's words for the period" }) words!: string;
}

class TargetProgressDto {
  @ApiProperty(PERCENT) communities!: string | null;
  @ApiProperty(PERCENT) area!: string | null;
}

class TargetProjectDto implements TargetProjectView {
  @ApiProperty() projectId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() town!: string;
  @ApiProperty() community!: string;
  @ApiProperty(COUNT) builtYear!: number;
  @ApiProperty({ format: 'date', description: 'its start, or its passed acceptance' }) on!: string;
  @ApiProperty({ type: String, nullable: true }) milestoneId!: string | null;
  @ApiProperty({ ...AREA_M2, description: 'as the project registered it' }) areaM2!: string;
  @ApiProperty(COUNT) households!: number;
  @ApiProperty({ description: 'whether it counts its community here (the community’s first)' }) counted!: boolean;
  @ApiProperty({ type: WordsDto, nullable: true, description: 'where its community counted, when it does not' })
  note!: WordsDto | null;
}

class TargetPeriodDto implements TargetPeriodView {
  @ApiProperty({ example: '2021-completed' }) periodId!: string;
  @ApiProperty({ enum: TARGET_METRICS }) metric!: TargetMetric;
  @ApiProperty({ enum: TARGET_SCOPES }) scope!: TargetScope;
  @ApiProperty({ type: WordsDto }) title!: WordsDto;
  @ApiProperty({ type: WordsDto, description: 'how the ledger reads the seed here (cumulative or within the year)' })
  reading!: WordsDto;
  @ApiProperty({ type: String, nullable: true, format: 'date', description: 'null: cumulative' }) from!: string | null;
  @ApiProperty({ format: 'date' }) to!: string;
  @ApiProperty({ enum: PERIOD_STATUSES }) status!: PeriodStatus;
  @ApiProperty({ type: String, nullable: true, format: 'date', description: 'the last day counted' })
  countedThrough!: string | null;
  @ApiProperty({ type: TargetDto }) target!: TargetDto;
  @ApiProperty({ type: TargetFiguresDto }) actual!: TargetFiguresDto;
  @ApiProperty({ type: TargetProgressDto }) progress!: TargetProgressDto;
  @ApiProperty({
    type: TargetRegisterDto,
    nullable: true,
    description: "a goal over one scope: that scope's communities registered in the ledger (not an inventory)",
  })
  register!: TargetRegisterDto | null;
  @ApiProperty({ type: [TargetProjectDto], description: 'the projects behind the figure, by date' })
  projects!: TargetProjectDto[];
}

class TargetsSourceDto {
  @ApiProperty() document!: string;
  @ApiProperty() clause!: string;
  @ApiProperty() quote!: string;
}

class TargetDefinitionsDto {
  @ApiProperty({ type: WordsDto }) started!: WordsDto;
  @ApiProperty({ type: WordsDto }) completed!: WordsDto;
  @ApiProperty({ type: WordsDto }) community!: WordsDto;
  @ApiProperty({ type: WordsDto }) area!: WordsDto;
  @ApiProperty({ type: WordsDto }) households!: WordsDto;
}

/** Progress against the seed's targets, period by period. */
export class TargetsReportDto implements TargetsReport {
  @ApiProperty({ format: 'date', description: 'the date the periods are counted at: asOf, else today' })
  referenceDate!: string;
  @ApiProperty({ type: TargetsSourceDto }) source!: typeof TARGETS_SOURCE;
  @ApiProperty({ type: TargetDefinitionsDto }) definitions!: TargetDefinitionsDto;
  @ApiProperty({ type: [TargetPeriodDto] }) periods!: TargetPeriodDto[];
  @ApiProperty({ type: BoundsUsedDto }) bounds!: BoundsUsedDto;
}

/** One town's projects summed (TownView). */
class TownDto implements TownView {
  @ApiProperty({ example: '桂林街道' }) town!: string;
  @ApiProperty({ description: 'projects registered in the town' }) projects!: number;
  @ApiProperty({ description: 'of them, those with an approved investment' }) approvedProjects!: number;
  @ApiProperty({
    ...MONEY,
    description: '批复投资: the approved investments summed (projects not yet approved add nothing)',
  })
  approvedInvestment!: string;
  @ApiProperty(MONEY) budgetTotal!: string;
  @ApiProperty(MONEY) pledged!: string;
  @ApiProperty(MONEY) received!: string;
  @ApiProperty(MONEY) disbursed!: string;
}

/** The projects by town (GET /api/reports/towns). */
export class TownsReportDto implements TownsReport {
  @ApiProperty({ type: [TownDto], description: 'by town name' }) towns!: TownDto[];
  @ApiProperty({ type: BoundsUsedDto }) bounds!: BoundsUsedDto;
}

/** GET /api/reports/sources?view=totals: the subtotals and totals without the rows, the cash and in-kind split or the checks. */
export class SourceTotalsDto extends OmitType(SourcesReportDto, ['rows', 'byKind', 'checks'] as const) {}

class TargetPeriodTotalsDto extends OmitType(TargetPeriodDto, ['projects'] as const) {}

/** GET /api/reports/targets?view=totals: each period without its list of projects. */
export class TargetsTotalsDto extends OmitType(TargetsReportDto, ['periods'] as const) {
  @ApiProperty({ type: [TargetPeriodTotalsDto] }) periods!: TargetPeriodTotalsDto[];
}

/** GET /api/fund-batches?view=totals: the list's totals without the batches. */
export class BatchTotalsReportDto extends OmitType(BatchListReportDto, ['batches'] as const) {}

class ProjectIdleDto implements ProjectIdleView {
  @ApiProperty() projectId!: string;
  @ApiProperty({ type: String, nullable: true }) projectName!: string | null;
  @ApiProperty({ ...MONEY, description: 'idleReceived + idleNotReceived' }) idleAmount!: string;
  @ApiProperty({ ...MONEY, description: 'received on its allocations and unpaid idleDays or more (到位未支出)' })
  idleReceived!: string;
  @ApiProperty({ ...MONEY, description: 'allocated to it and not received idleDays or more (分配未到位)' })
  idleNotReceived!: string;
  @ApiProperty({ type: [String], description: 'the batches whose allocations to it hold idle money' })
  batchIds!: string[];
}

class BatchUnallocatedDto implements BatchUnallocatedView {
  @ApiProperty() batchId!: string;
  @ApiProperty() docNo!: string;
  @ApiProperty({ ...MONEY, description: 'issued idleDays or more ago and still not allocated (下达未分配)' })
  idleUnallocated!: string;
}

class IdleTotalsDto {
  @ApiProperty(MONEY) idleAmount!: string;
  @ApiProperty(MONEY) idleReceived!: string;
  @ApiProperty(MONEY) idleNotReceived!: string;
  @ApiProperty(MONEY) idleUnallocated!: string;
}

/** GET /api/reports/idle-money: the batch list's idle money by project, and its batches' money not allocated. */
export class IdleMoneyReportDto implements IdleByProject {
  @ApiProperty({ format: 'date', description: 'the date idle money is aged at: asOf, else today' })
  referenceDate!: string;
  @ApiProperty() idleDays!: number;
  @ApiProperty({ type: [ProjectIdleDto], description: 'the projects with idle money, by project id' })
  projects!: ProjectIdleDto[];
  @ApiProperty({ type: [BatchUnallocatedDto], description: 'the batches with idle money not allocated, by batch id' })
  batches!: BatchUnallocatedDto[];
  @ApiProperty({ type: IdleTotalsDto, description: 'the batch list’s idle totals, each the sum of its list' })
  totals!: IdleTotalsDto;
  @ApiProperty({ type: BoundsUsedDto }) bounds!: BoundsUsedDto;
}
