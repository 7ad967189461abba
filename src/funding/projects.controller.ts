import { Get, Param, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, getSchemaPath } from '@nestjs/swagger';
import { PersonalData } from '../auth/personal-data';
import { PersonalDataView } from '../events/personal-fields';
import { WriteResponseHeaders } from '../http/command-context';
import { Refuses } from '../http/openapi-responses';
import { AS_OF, KNOWN_AT, QueryParam, QueryParamDoc } from '../http/query-param.decorator';
import { DomainError } from '../shared/domain/domain-error';
import { checkTimeBounds, isBounded } from '../audit/time-bounds';
import { ProjectQueries } from './project-queries';
import { ProjectsApi } from './projects-api';
import {
  BoundedProjectListDto,
  EventViewDto,
  FundingMixDto,
  MilestoneViewDto,
  ProjectListItemDto,
  ProjectViewDto,
} from './project-views.dto';

const EVENTS_PAGE_MAX = 1000;

const TOWN: QueryParamDoc = {
  name: 'town',
  description: 'only the projects of this town (街道/镇), as registered',
  schema: { type: 'string', example: '桂林街道' },
};
const FROM_REVISION: QueryParamDoc = {
  name: 'fromRevision',
  description: 'the first stream revision to return (inclusive); 0 by default',
  schema: { type: 'integer', minimum: 0, default: 0 },
};
const LIMIT: QueryParamDoc = {
  name: 'limit',
  description: `at most this many events (1-${EVENTS_PAGE_MAX})`,
  schema: { type: 'integer', minimum: 1, maximum: EVENTS_PAGE_MAX, default: EVENTS_PAGE_MAX },
};
/** `asOf` on a history: recorded time, not business dates (ProjectQueries.events). */
const AS_OF_RECORDED: QueryParamDoc = {
  ...AS_OF,
  description: 'YYYY-MM-DD: only the events the ledger had recorded by the end of that day (recordedAt, UTC)',
};
/** 404 for a project never registered; 409 for one whose stored events do not verify (integrity.ts). */
const ONE_PROJECT = Refuses({ 404: ['project-not-found'], 409: ['chain-broken'] });

/** What is known of projects; each write route is its use case's slice (register-project/, receive-funds/, ...). */
@ProjectsApi()
export class ProjectsController {
  constructor(private readonly queries: ProjectQueries) {}

  @Get()
  @ApiOperation({
    summary:
      'Every project: status, approved investment, totals pledged / received / disbursed; with ?asOf=YYYY-MM-DD and/or ?knownAt=ISO time, {bounds, projects} replayed from the log',
  })
  @ApiExtraModels(ProjectListItemDto, BoundedProjectListDto)
  @ApiOkResponse({
    description: 'live: the list; with asOf or knownAt: {bounds, projects}',
    schema: {
      oneOf: [
        { type: 'array', items: { $ref: getSchemaPath(ProjectListItemDto) } },
        { $ref: getSchemaPath(BoundedProjectListDto) },
      ],
    },
  })
  list(@QueryParam(TOWN) town?: string, @QueryParam(AS_OF) asOf?: string, @QueryParam(KNOWN_AT) knownAt?: string) {
    return this.queries.listProjects({ town }, { asOf, knownAt });
  }

  @Get(':id')
  @ApiOperation({
    summary:
      "A project's state, folded from its stream; ETag is the stream revision. ?asOf / ?knownAt: as it stood then (its stream cut as a replay cuts it; 404 if not registered by then), with the bounds used and no ETag",
  })
  @ApiOkResponse({
    type: ProjectViewDto,
    headers: {
      ETag: { description: 'the stream revision, e.g. "3": send it as If-Match', schema: { type: 'string' } },
    },
  })
  @ONE_PROJECT
  async get(
    @Param('id') id: string,
    @Res({ passthrough: true }) res: WriteResponseHeaders,
    @QueryParam(AS_OF) asOf?: string,
    @QueryParam(KNOWN_AT) knownAt?: string,
  ) {
    const bounds = checkTimeBounds({ asOf, knownAt });
    // A past state is not a revision to write on: no ETag.
    if (isBounded(bounds)) return this.queries.projectAtBounds(id, bounds);
    const { revision, view } = await this.queries.project(id);
    res.setHeader('ETag', `"${revision}"`);
    return view;
  }

  @Get(':id/funding-mix')
  @ApiOperation({
    summary:
      'Funding mix per source and tier; ?asOf=YYYY-MM-DD (effective date) and ?knownAt=ISO time (recorded) for the past',
  })
  @ApiOkResponse({ type: FundingMixDto })
  @ONE_PROJECT
  fundingMix(@Param('id') id: string, @QueryParam(AS_OF) asOf?: string, @QueryParam(KNOWN_AT) knownAt?: string) {
    return this.queries.fundingMix(id, { asOf, knownAt });
  }

  @Get(':id/milestones')
  @ApiOperation({
    summary:
      "The project's milestones as recorded (consultation to management model), each with its date, documents, rule, actor; a filing with its deadline and whether it was late; ?asOf / ?knownAt: those that count by then (a milestone by its date)",
  })
  @ApiOkResponse({ type: [MilestoneViewDto] })
  @ONE_PROJECT
  milestones(@Param('id') id: string, @QueryParam(AS_OF) asOf?: string, @QueryParam(KNOWN_AT) knownAt?: string) {
    return this.queries.milestones(id, { asOf, knownAt });
  }

  @Get(':id/events')
  @ApiOperation({
    summary:
      "The project's history, oldest first, with actor, command, correlation and causation ids; personal data masked unless the role may see it. ?asOf=YYYY-MM-DD / ?knownAt: only the events recorded by then, by recorded time (recordedAt, UTC; asOf: by the end of that UTC day)",
  })
  @ApiOkResponse({ type: [EventViewDto] })
  @ONE_PROJECT
  events(
    @PersonalData() view: PersonalDataView,
    @Param('id') id: string,
    @QueryParam(AS_OF_RECORDED) asOf: string | undefined,
    @QueryParam(KNOWN_AT) knownAt: string | undefined,
    @QueryParam(FROM_REVISION) fromRevision = '0',
    @QueryParam(LIMIT) limit = String(EVENTS_PAGE_MAX),
  ) {
    if (!/^\d{1,18}$/.test(fromRevision))
      throw new DomainError('invalid-query', 'fromRevision must be a whole number', 400, 'fromRevision');
    // Digits only: Number() also took "1e3", " 5" and "0x10".
    const n = /^\d{1,4}$/.test(limit) ? Number(limit) : NaN;
    if (!(n >= 1 && n <= EVENTS_PAGE_MAX))
      throw new DomainError('invalid-query', `limit must be a whole number 1-${EVENTS_PAGE_MAX}`, 400, 'limit');
    return this.queries.events(id, BigInt(fromRevision), n, view, { asOf, knownAt });
  }
}
