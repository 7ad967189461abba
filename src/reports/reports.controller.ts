import { Controller, Get, Param, Query, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ReportFileName, reportDownload, reportFormatOf } from './export/report-download';
import { ReportTable } from './export/report-table';
import { ReportQueries } from './report-queries';
import { batchSourceParam, fiscalYearParam, idleDaysParam } from './report-params';
import { batchListTables, fileName, projectsReportTables, sourcesReportTables } from './report-tables';

const BOUNDS_QUERIES = [
  ApiQuery({
    name: 'asOf',
    required: false,
    description: 'YYYY-MM-DD: what had happened by the end of that day (business dates)',
  }),
  ApiQuery({ name: 'knownAt', required: false, description: 'ISO time: what the ledger had recorded by then' }),
];
const FORMAT_QUERY = ApiQuery({
  name: 'format',
  required: false,
  enum: ['json', 'csv', 'xlsx'],
  description: 'csv (UTF-8 with BOM) or xlsx for Excel; JSON by default',
});
const FISCAL_YEAR_QUERY = ApiQuery({
  name: 'fiscalYear',
  required: false,
  description: 'one fiscal year (calendar year); all years by default',
});
const IDLE_DAYS_QUERY = ApiQuery({
  name: 'idleDays',
  required: false,
  description: 'days unpaid after receipt from which money counts as idle (RF-14); default 365',
});

/**
 * A report as JSON, or as a download: CSV holds its first table (the detail), XLSX every table, a
 * sheet each. The format is checked before any work.
 */
async function answer<R>(
  format: string | undefined,
  load: () => Promise<R>,
  file: (report: R) => [ReportFileName, ReportTable[]],
  json: (report: R) => unknown = (r) => r,
) {
  const as = reportFormatOf(format);
  const report = await load();
  if (as === 'json') return json(report);
  const [name, tables] = file(report);
  return reportDownload(as, name, as === 'csv' ? tables.slice(0, 1) : tables);
}

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
  @applyDecorators(FISCAL_YEAR_QUERY, ...BOUNDS_QUERIES, FORMAT_QUERY)
  sources(
    @Query('fiscalYear') fiscalYear?: string,
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('format') format?: string,
  ) {
    return answer(
      format,
      () => this.reports.sources(fiscalYearParam(fiscalYear), { asOf, knownAt }),
      (r) => [fileName('资金来源台账', 'source-ledger', r.fiscalYear, r.bounds), sourcesReportTables(r)],
    );
  }

  @Get('projects')
  @ApiOperation({
    summary:
      '资金来源到位表: one row per project, per source pledged / allocated / received / disbursed / available, project totals, column totals',
  })
  @applyDecorators(FISCAL_YEAR_QUERY, ...BOUNDS_QUERIES, FORMAT_QUERY)
  projects(
    @Query('fiscalYear') fiscalYear?: string,
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('format') format?: string,
  ) {
    return answer(
      format,
      () => this.reports.projects(fiscalYearParam(fiscalYear), { asOf, knownAt }),
      (r) => [fileName('资金来源到位表', 'funding-by-project', r.fiscalYear, r.bounds), projectsReportTables(r)],
    );
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
  @applyDecorators(
    FISCAL_YEAR_QUERY,
    ApiQuery({ name: 'source', required: false, description: 'one batch source' }),
    IDLE_DAYS_QUERY,
    ...BOUNDS_QUERIES,
    FORMAT_QUERY,
  )
  list(
    @Query('fiscalYear') fiscalYear?: string,
    @Query('source') source?: string,
    @Query('idleDays') idleDays?: string,
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('format') format?: string,
  ) {
    return answer(
      format,
      () =>
        this.reports.batches(
          { fiscalYear: fiscalYearParam(fiscalYear), source: batchSourceParam(source) },
          idleDaysParam(idleDays),
          { asOf, knownAt },
        ),
      ({ report, details }) => [
        fileName('资金批次台账', 'fund-batches', report.fiscalYear, report.bounds),
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
  @applyDecorators(IDLE_DAYS_QUERY, ...BOUNDS_QUERIES)
  batch(
    @Param('id') id: string,
    @Query('idleDays') idleDays?: string,
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
  ) {
    return this.reports.batch(id, idleDaysParam(idleDays), { asOf, knownAt });
  }
}
