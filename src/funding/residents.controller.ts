import { Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery } from '@nestjs/swagger';
import { Refuses } from '../http/openapi-responses';
import {
  CostSharePlanDto,
  HouseholdRegisterDto,
  HouseholdStatementDto,
  OwnerVoteDto,
  PlanNoticeDto,
} from './resident-views.dto';
import { PersonalData } from '../auth/personal-data';
import { PersonalDataView } from '../events/personal-fields';
import { downloadFormatOf, reportDownload } from '../reports/export/report-download';
import { ENCODING_PARAM } from '../reports/report-answer';
import { AS_OF, KNOWN_AT, QueryParam } from '../http/query-param.decorator';
import { ReportTable } from '../reports/export/report-table';
import { PlanNotice, ResidentQueries } from './resident-queries';
import { ProjectsApi } from './projects-api';

/**
 * The residents' reads (the writes are the slices register-households/, correct-household/,
 * record-owner-vote/ and adopt-cost-share-plan/): any role may read; household ids and owner keys
 * are masked for a reader who may not see personal data.
 */
@ProjectsApi()
export class ResidentsController {
  constructor(private readonly queries: ResidentQueries) {}

  @Get(':id/households')
  @ApiOkResponse({ type: HouseholdRegisterDto })
  @Refuses({ 404: ['project-not-found'] })
  @ApiOperation({
    summary: "The project's household register, with totals (household ids and owner keys are personal)",
  })
  households(@PersonalData() view: PersonalDataView, @Param('id') id: string) {
    return this.queries.households(id, view);
  }

  @Get(':id/households/:householdId/statement')
  @ApiOkResponse({ type: HouseholdStatementDto })
  @Refuses({ 404: ['project-not-found', 'household-not-found'] })
  @ApiOperation({
    summary:
      "A household's statement: per plan its share, what was paid by channel (direct, provident fund, maintenance fund), outstanding, and the votes that bind it",
  })
  statement(
    @PersonalData() view: PersonalDataView,
    @Param('id') id: string,
    @Param('householdId') householdId: string,
  ) {
    return this.queries.statement(id, householdId, view);
  }

  @Get(':id/votes/:voteId')
  @ApiOkResponse({ type: OwnerVoteDto })
  @Refuses({ 404: ['project-not-found', 'vote-not-found'], 409: ['chain-broken'] })
  @ApiOperation({
    summary:
      "An owners' vote: scope, ballots, and every figure (participation, agreement, by area and heads) with the rule applied and whether it passed; ?asOf / ?knownAt: as held by then (404 if not), with the bounds used",
  })
  vote(
    @PersonalData() view: PersonalDataView,
    @Param('id') id: string,
    @Param('voteId') voteId: string,
    @QueryParam(AS_OF) asOf?: string,
    @QueryParam(KNOWN_AT) knownAt?: string,
  ) {
    return this.queries.vote(id, voteId, view, { asOf, knownAt });
  }

  @Get(':id/cost-shares/:planId')
  @ApiOkResponse({ type: CostSharePlanDto })
  @Refuses({ 404: ['project-not-found', 'plan-not-found'], 409: ['chain-broken'] })
  @ApiOperation({
    summary:
      'A cost-sharing plan: every household with its weight, share, paid (by channel) and outstanding; ?asOf / ?knownAt: the plan adopted by then (404 if not), each account as paid by then, with the bounds used',
  })
  plan(
    @PersonalData() view: PersonalDataView,
    @Param('id') id: string,
    @Param('planId') planId: string,
    @QueryParam(AS_OF) asOf?: string,
    @QueryParam(KNOWN_AT) knownAt?: string,
  ) {
    return this.queries.plan(id, planId, view, { asOf, knownAt });
  }

  @Get(':id/cost-shares/:planId/notice')
  @ApiOkResponse({ type: PlanNoticeDto })
  @Refuses({ 400: ['invalid-format', 'invalid-encoding'], 404: ['project-not-found', 'plan-not-found'] })
  @ApiOperation({
    summary:
      "A plan's public notice (公示): each room with its area, coefficient and share, no household id or owner key; ?format=csv|xlsx to print",
  })
  @ApiQuery({
    name: 'format',
    required: false,
    enum: ['json', 'csv', 'xlsx'],
    description: 'csv or xlsx to print; JSON by default',
  })
  async notice(
    @Param('id') id: string,
    @Param('planId') planId: string,
    @Query('format') format?: string,
    @QueryParam(ENCODING_PARAM) encoding?: string,
  ) {
    const { as, csvEncoding } = downloadFormatOf([format, encoding]);
    const notice = await this.queries.notice(id, planId);
    if (as === 'json') return notice;
    return reportDownload(
      as,
      {
        title: `分摊公示-${notice.projectId}-${notice.planId}`,
        ascii: `cost-share-notice-${notice.projectId}-${notice.planId}`,
      },
      [noticeTable(notice)],
      { encoding: csvEncoding },
    );
  }
}

function noticeTable(n: PlanNotice): ReportTable {
  return {
    sheetName: '分摊公示',
    title: `${n.projectId} 费用分摊方案 ${n.planId}（${n.lineIds.join('、')}）：居民分摊 ${n.amount} 元`,
    columns: [
      { key: 'building', header: '楼栋', kind: 'text' },
      { key: 'unit', header: '单元', kind: 'text' },
      { key: 'floor', header: '楼层', kind: 'integer' },
      { key: 'room', header: '房号', kind: 'text' },
      { key: 'area', header: '面积（m²）', kind: 'text' },
      { key: 'coefficient', header: '系数', kind: 'text' },
      { key: 'weight', header: '权重', kind: 'text' },
      { key: 'share', header: '分摊金额（元）', kind: 'money' },
    ],
    rows: n.rooms,
    totals: { labelColumn: 'building', sumColumns: ['share'] },
  };
}
