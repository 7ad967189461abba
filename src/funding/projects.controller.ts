import { Get, Param, Query, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { PersonalData } from '../auth/personal-data';
import { PersonalDataView } from '../events/personal-fields';
import { WriteResponseHeaders } from '../http/command-context';
import { DomainError } from '../shared/domain/domain-error';
import { ProjectQueries } from './project-queries';
import { ProjectsApi } from './projects-api';

const EVENTS_PAGE_MAX = 1000;

/** What is known of projects; each write route is its use case's slice (register-project/, receive-funds/, ...). */
@ProjectsApi()
export class ProjectsController {
  constructor(private readonly queries: ProjectQueries) {}

  @Get()
  @ApiOperation({
    summary:
      'Every project: status, approved investment, totals pledged / received / disbursed; with ?asOf=YYYY-MM-DD and/or ?knownAt=ISO time, {bounds, projects} replayed from the log',
  })
  list(@Query('town') town?: string, @Query('asOf') asOf?: string, @Query('knownAt') knownAt?: string) {
    return this.queries.listProjects({ town }, { asOf, knownAt });
  }

  @Get(':id')
  @ApiOperation({ summary: "A project's state, folded from its stream; ETag is the stream revision" })
  async get(@Param('id') id: string, @Res({ passthrough: true }) res: WriteResponseHeaders) {
    const { revision, view } = await this.queries.project(id);
    res.setHeader('ETag', `"${revision}"`);
    return view;
  }

  @Get(':id/funding-mix')
  @ApiOperation({
    summary:
      'Funding mix per source and tier; ?asOf=YYYY-MM-DD (effective date) and ?knownAt=ISO time (recorded) for the past',
  })
  fundingMix(@Param('id') id: string, @Query('asOf') asOf?: string, @Query('knownAt') knownAt?: string) {
    return this.queries.fundingMix(id, { asOf, knownAt });
  }

  @Get(':id/events')
  @ApiOperation({
    summary:
      "The project's history, oldest first, with actor, command, correlation and causation ids; personal data masked unless the role may see it",
  })
  events(
    @PersonalData() view: PersonalDataView,
    @Param('id') id: string,
    @Query('fromRevision') fromRevision = '0',
    @Query('limit') limit = String(EVENTS_PAGE_MAX),
  ) {
    if (!/^\d{1,18}$/.test(fromRevision))
      throw new DomainError('invalid-query', 'fromRevision must be a whole number', 400, 'fromRevision');
    // Digits only: Number() also took "1e3", " 5" and "0x10".
    const n = /^\d{1,4}$/.test(limit) ? Number(limit) : NaN;
    if (!(n >= 1 && n <= EVENTS_PAGE_MAX))
      throw new DomainError('invalid-query', `limit must be a whole number 1-${EVENTS_PAGE_MAX}`, 400, 'limit');
    return this.queries.events(id, BigInt(fromRevision), n, view);
  }
}
