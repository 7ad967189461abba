import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PersonalData } from '../auth/personal-data';
import { PersonalDataView } from '../events/personal-fields';
import { Refuses } from '../http/openapi-responses';
import { AS_OF, KNOWN_AT, QueryParam, QueryParamDoc } from '../http/query-param.decorator';
import { downloadFormatOf, reportDownload } from '../reports/export/report-download';
import { ENCODING_PARAM, ReportAnswer, ReportOrTotalsAnswer, formatParam } from '../reports/report-answer';
import { RED_FLAG_CODE_LIST, SEVERITIES } from '../../projections/red-flags/red-flag-codes';
import { RawFilters, checkView } from './red-flag-report';
import { DomainError } from '../shared/domain/domain-error';
import { RedFlagQueries } from './red-flag-queries';
import { redFlagFileName, redFlagTables } from './red-flag-tables';
import { FlagCountsDto, RedFlagListDto, RedFlagTotalsViewDto } from './red-flag-views.dto';

const PROJECT_ID: QueryParamDoc = {
  name: 'projectId',
  description: "one project's flags",
  schema: { type: 'string', example: 'TN2021-017' },
};
const TOWN: QueryParamDoc = {
  name: 'town',
  description: 'the flags of the projects of one town (镇街), as projects record it',
  schema: { type: 'string', example: '桂林街道' },
};
const CODE: QueryParamDoc = {
  name: 'code',
  description: 'one rule (domain.md §6; docs/red-flags.md)',
  schema: { type: 'string', enum: RED_FLAG_CODE_LIST },
};
const SEVERITY: QueryParamDoc = {
  name: 'severity',
  description: 'one severity',
  schema: { type: 'string', enum: [...SEVERITIES] },
};
const OPEN: QueryParamDoc = {
  name: 'open',
  description: 'true: only flags still holding (as of the bounds); false: only those a later event cleared',
  schema: { type: 'string', enum: ['true', 'false'] },
};
const VIEW: QueryParamDoc = {
  name: 'view',
  description:
    'list (default): the flags and their totals (RedFlagList); totals: the totals alone and the open flags per town and severity, without the flags (RedFlagTotalsView; JSON only)',
  schema: { type: 'string', enum: ['list', 'totals'] },
};
const FORMAT = formatParam(
  'csv (UTF-8 with BOM, or GB18030 with encoding=gb18030: the flags, evidence as event ids) or xlsx (the flags, and totals by code and severity)',
);

/**
 * Red flags for auditors (issue 17): every irregularity the log shows, with its evidence and the
 * rule it breaks. Any role reads them, as every report: a flag names a household only by its id,
 * which is masked for a role that may not see personal data (src/auth/personal-data.ts); messages
 * name no household, payer or payee.
 */
@ApiTags('red flags')
@ApiBearerAuth()
@Controller('api')
export class RedFlagsController {
  constructor(private readonly queries: RedFlagQueries) {}

  @Get('red-flags')
  @ApiOperation({
    summary:
      'Red flags (domain.md §6): each with its code, severity, project, messages with the figures, evidence (event ids and positions), the rule it breaks (id, citation, quoted words), raisedAt and clearedAt; totals by code and severity; ?view=totals for the totals and the open flags per town alone (RedFlagTotalsView); ?asOf=/knownAt= for the past',
  })
  @ReportOrTotalsAnswer(RedFlagListDto, RedFlagTotalsViewDto, FlagCountsDto)
  @Refuses({ 400: ['invalid-query'] })
  list(
    @PersonalData() view: PersonalDataView,
    @QueryParam(PROJECT_ID) projectId?: string,
    @QueryParam(TOWN) town?: string,
    @QueryParam(CODE) code?: string,
    @QueryParam(SEVERITY) severity?: string,
    @QueryParam(OPEN) open?: string,
    @QueryParam(AS_OF) asOf?: string,
    @QueryParam(KNOWN_AT) knownAt?: string,
    @QueryParam(VIEW) reportView?: string,
    @QueryParam(FORMAT) format?: string,
    @QueryParam(ENCODING_PARAM) encoding?: string,
  ) {
    const filters = { projectId, town, code, severity, open };
    if (checkView(reportView) === 'totals') {
      // Refused as the list refuses them, whatever the view; then totals are JSON only.
      if (downloadFormatOf([format, encoding]).as !== 'json')
        throw new DomainError('invalid-query', 'view=totals is JSON only: leave out format', 400, 'view');
      return this.queries.totals(filters, { asOf, knownAt });
    }
    return this.answer(view, filters, { asOf, knownAt }, [format, encoding]);
  }

  @Get('projects/:id/red-flags')
  @ApiTags('projects')
  @ApiOperation({
    summary:
      "One project's red flags, as GET /api/red-flags?projectId= lists them (404 for a project unknown at the bounds)",
  })
  @ReportAnswer(RedFlagListDto, FlagCountsDto)
  @Refuses({ 404: ['project-not-found'] })
  project(
    @PersonalData() view: PersonalDataView,
    @Param('id') id: string,
    @QueryParam(CODE) code?: string,
    @QueryParam(SEVERITY) severity?: string,
    @QueryParam(OPEN) open?: string,
    @QueryParam(AS_OF) asOf?: string,
    @QueryParam(KNOWN_AT) knownAt?: string,
    @QueryParam(FORMAT) format?: string,
    @QueryParam(ENCODING_PARAM) encoding?: string,
  ) {
    return this.answer(view, { projectId: id, code, severity, open }, { asOf, knownAt }, [format, encoding], id);
  }

  /** The list as JSON, or as a download; the format is checked before any work. */
  private async answer(
    view: PersonalDataView,
    filters: RawFilters,
    bounds: { asOf?: string; knownAt?: string },
    [format, encoding]: [string | undefined, string | undefined],
    projectId?: string,
  ) {
    const { as, csvEncoding } = downloadFormatOf([format, encoding]);
    const list = await this.queries.list(filters, bounds, view);
    if (as === 'json') return list;
    const tables = redFlagTables(list);
    return reportDownload(as, redFlagFileName(list, projectId), as === 'csv' ? tables.slice(0, 1) : tables, {
      encoding: csvEncoding,
    });
  }
}
