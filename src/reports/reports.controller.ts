import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Refuses } from '../http/openapi-responses';
import { AS_OF, KNOWN_AT, QueryParam } from '../http/query-param.decorator';
import {
  ENCODING_PARAM,
  ReportAnswer,
  ReportOrTotalsAnswer,
  answerReport as answer,
  formatParam,
} from './report-answer';
import { ReportQueries } from './report-queries';
import {
  BATCH_SOURCE_PARAM,
  FISCAL_YEAR_PARAM,
  IDLE_DAYS_PARAM,
  batchSourceParam,
  fiscalYearParam,
  idleDaysParam,
  totalsViewParam,
  viewParam,
} from './report-params';
import {
  BatchDetailDto,
  BatchListReportDto,
  BatchTotalsReportDto,
  IdleMoneyReportDto,
  SourceTotalsDto,
  TargetsTotalsDto,
  ProjectsReportDto,
  SourcesReportDto,
  TargetsReportDto,
  TownsReportDto,
} from './report-views.dto';
import {
  BATCH_LIST_TITLE,
  batchListTables,
  fileName,
  projectsReportTables,
  sourcesReportTables,
  targetsReportTables,
} from './report-tables';

const SOURCES_VIEW = viewParam(
  'rows and checks: fiscalYear, referenceDate, timeProgress, sources, tiers, totals, cashTotals, bounds',
);
const TARGETS_VIEW = viewParam("each period's projects");
const BATCHES_VIEW = viewParam('the batches: fiscalYear, source, referenceDate, idleDays, totals, bounds');

const FORMAT_PARAM = formatParam(
  'csv (UTF-8 with BOM, or GB18030 with encoding=gb18030: the detail table) or xlsx (every table, a sheet each) for Excel',
);

/** Reconciliation reports over the source ledger, for the finance bureau (reads: any role). */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/reports')
export class ReportsController {
  constructor(private readonly reports: ReportQueries) {}

  @Get('sources')
  @ApiOperation({
    summary:
      'Source ledger: rows source × fiscal year × project (pledged, allocated, received, disbursed, available, progress, unallocated), subtotals per source and tier, grand total, conservation checks',
  })
  @ReportOrTotalsAnswer(SourcesReportDto, SourceTotalsDto)
  sources(
    @QueryParam(FISCAL_YEAR_PARAM) fiscalYear?: string,
    @QueryParam(AS_OF) asOf?: string,
    @QueryParam(KNOWN_AT) knownAt?: string,
    @QueryParam(FORMAT_PARAM) format?: string,
    @QueryParam(ENCODING_PARAM) encoding?: string,
    @QueryParam(SOURCES_VIEW) view?: string,
  ) {
    if (totalsViewParam(view, [format, encoding]))
      return this.reports.sourceTotals(fiscalYearParam(fiscalYear), { asOf, knownAt });
    return answer(
      [format, encoding],
      () => this.reports.sources(fiscalYearParam(fiscalYear), { asOf, knownAt }),
      (r) => [fileName('资金来源台账', 'source-ledger', r.fiscalYear, r.bounds), sourcesReportTables(r)],
    );
  }

  @Get('projects')
  @ApiOperation({
    summary:
      '资金来源到位表: one row per project, per source pledged / allocated / received / disbursed / available, project totals, column totals',
  })
  @ReportAnswer(ProjectsReportDto)
  projects(
    @QueryParam(FISCAL_YEAR_PARAM) fiscalYear?: string,
    @QueryParam(AS_OF) asOf?: string,
    @QueryParam(KNOWN_AT) knownAt?: string,
    @QueryParam(FORMAT_PARAM) format?: string,
    @QueryParam(ENCODING_PARAM) encoding?: string,
  ) {
    return answer(
      [format, encoding],
      () => this.reports.projects(fiscalYearParam(fiscalYear), { asOf, knownAt }),
      (r) => [fileName('资金来源到位表', 'funding-by-project', r.fiscalYear, r.bounds), projectsReportTables(r)],
    );
  }

  @Get('targets')
  @ApiOperation({
    summary:
      "Progress against the seed's targets (潼南府办发〔2021〕71号 一(三)): per period, target and actual communities, 万m² and households, the reading taken, and the projects behind each figure; counted at asOf (else today)",
  })
  @ReportOrTotalsAnswer(TargetsReportDto, TargetsTotalsDto)
  targets(
    @QueryParam(AS_OF) asOf?: string,
    @QueryParam(KNOWN_AT) knownAt?: string,
    @QueryParam(FORMAT_PARAM) format?: string,
    @QueryParam(ENCODING_PARAM) encoding?: string,
    @QueryParam(TARGETS_VIEW) view?: string,
  ) {
    if (totalsViewParam(view, [format, encoding])) return this.reports.targetsTotals({ asOf, knownAt });
    return answer(
      [format, encoding],
      () => this.reports.targets({ asOf, knownAt }),
      (r) => [fileName('目标任务完成情况', 'targets', null, r.bounds), targetsReportTables(r)],
    );
  }

  @Get('idle-money')
  @ApiOperation({
    summary:
      'Idle money (RF-14) of the batch list by project: per project received and unpaid, and allocated and not received, idleDays or more at asOf (else today); the batches with money issued and not allocated; totals equal to the batch list’s',
  })
  @ApiOkResponse({ type: IdleMoneyReportDto })
  idleMoney(
    @QueryParam(IDLE_DAYS_PARAM) idleDays?: string,
    @QueryParam(AS_OF) asOf?: string,
    @QueryParam(KNOWN_AT) knownAt?: string,
  ) {
    return this.reports.idleMoney(idleDaysParam(idleDays), { asOf, knownAt });
  }

  @Get('towns')
  @ApiOperation({
    summary:
      'The projects by town: per town the number of projects and of those approved, approved investment, budget, pledged, received and disbursed summed over its projects (the project list), by town name',
  })
  @ApiOkResponse({ type: TownsReportDto })
  towns(@QueryParam(AS_OF) asOf?: string, @QueryParam(KNOWN_AT) knownAt?: string) {
    return this.reports.towns({ asOf, knownAt });
  }
}

/**
 * Reads of fund batches (the writes and `:id/events` are FundBatchesController's, on the same
 * prefix): the list with totals and idle flags, and one batch with its allocations.
 */
@ApiTags('fund batches')
@ApiBearerAuth()
@Controller('api/fund-batches')
export class FundBatchReportsController {
  constructor(private readonly reports: ReportQueries) {}

  @Get()
  @ApiOperation({
    summary:
      'Every fund batch: amount, allocated, unallocated, received, disbursed, available, idle money (RF-14) aged at asOf or today',
  })
  @ReportOrTotalsAnswer(BatchListReportDto, BatchTotalsReportDto)
  list(
    @QueryParam(FISCAL_YEAR_PARAM) fiscalYear?: string,
    @QueryParam(BATCH_SOURCE_PARAM) source?: string,
    @QueryParam(IDLE_DAYS_PARAM) idleDays?: string,
    @QueryParam(AS_OF) asOf?: string,
    @QueryParam(KNOWN_AT) knownAt?: string,
    @QueryParam(FORMAT_PARAM) format?: string,
    @QueryParam(ENCODING_PARAM) encoding?: string,
    @QueryParam(BATCHES_VIEW) view?: string,
  ) {
    if (totalsViewParam(view, [format, encoding]))
      return this.reports.batchTotals(
        { fiscalYear: fiscalYearParam(fiscalYear), source: batchSourceParam(source) },
        idleDaysParam(idleDays),
        { asOf, knownAt },
      );
    return answer(
      [format, encoding],
      () =>
        this.reports.batches(
          { fiscalYear: fiscalYearParam(fiscalYear), source: batchSourceParam(source) },
          idleDaysParam(idleDays),
          { asOf, knownAt },
        ),
      ({ report, details }) => [
        fileName(BATCH_LIST_TITLE, 'fund-batches', report.fiscalYear, report.bounds),
        batchListTables(report, details),
      ],
      ({ report }) => report,
    );
  }

  @Get(':id')
  @ApiOperation({
    summary:
      'One fund batch: issued data, amount, allocated, unallocated, received, disbursed, and per allocation the same with its dated flows and idle money',
  })
  @ApiOkResponse({ type: BatchDetailDto })
  @Refuses({ 404: ['fund-batch-not-found'] })
  batch(
    @Param('id') id: string,
    @QueryParam(IDLE_DAYS_PARAM) idleDays?: string,
    @QueryParam(AS_OF) asOf?: string,
    @QueryParam(KNOWN_AT) knownAt?: string,
  ) {
    return this.reports.batch(id, idleDaysParam(idleDays), { asOf, knownAt });
  }
}
