import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles, AuthedRequest } from '../auth/auth.guard';
import { WRITE_ROLES } from '../auth/tokens';
import { CLOCK } from '../config/clock.provider';
import { WriteResponseHeaders, answerWrite, commandContextOf } from '../http/command-context';
import { DomainError } from '../shared/domain/domain-error';
import { Clock } from '../shared/time/clock';
import { AddBudgetLineDto } from './add-budget-line/add-budget-line.dto';
import { ApproveProjectDto } from './approve-project/approve-project.dto';
import { DisburseFundsDto } from './disburse-funds/disburse-funds.dto';
import { PledgeFundingDto } from './pledge-funding/pledge-funding.dto';
import { ExecuteProjectCommand } from './project-command.handler';
import { ProjectRoute, projectCommandOf } from './project-command-of';
import { ProjectQueries } from './project-queries';
import { ReceiveFundsDto } from './receive-funds/receive-funds.dto';
import { RegisterProjectDto } from './register-project/register-project.dto';
import { ReverseEntryDto } from './reverse-entry/reverse-entry.dto';

const EVENTS_PAGE_MAX = 1000;


@ApiTags('projects')
@ApiBearerAuth()
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'repeat a write safely: the same key and body return the first answer and write nothing' })
@ApiHeader({ name: 'If-Match', required: false, description: 'the stream revision (ETag) the write was decided on; a stale one is 412' })
@Controller('api/projects')
export class ProjectsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: ProjectQueries,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @Roles(...WRITE_ROLES.projectAdmin)
  @ApiOperation({ summary: 'Register a project' })
  register(@Req() req: AuthedRequest, @Res({ passthrough: true }) res: WriteResponseHeaders, @Body() dto: RegisterProjectDto) {
    return this.write(req, res, 'POST /api/projects', dto.projectId, dto, 'register');
  }

  @Post(':id/approval')
  @Roles(...WRITE_ROLES.projectAdmin)
  @ApiOperation({ summary: 'Approve (or re-approve) a project; the approval path follows from the 10,000,000.00 threshold' })
  approve(@Req() req: AuthedRequest, @Res({ passthrough: true }) res: WriteResponseHeaders, @Param('id') id: string, @Body() dto: ApproveProjectDto) {
    return this.write(req, res, 'POST /api/projects/:id/approval', id, dto, 'approval');
  }

  @Post(':id/budget-lines')
  @Roles(...WRITE_ROLES.projectAdmin)
  @ApiOperation({ summary: 'Add a budget (cost) line' })
  addBudgetLine(@Req() req: AuthedRequest, @Res({ passthrough: true }) res: WriteResponseHeaders, @Param('id') id: string, @Body() dto: AddBudgetLineDto) {
    return this.write(req, res, 'POST /api/projects/:id/budget-lines', id, dto, 'budget-lines');
  }

  @Post(':id/pledges')
  @Roles(...WRITE_ROLES.money)
  @ApiOperation({ summary: 'Record a pledge (commitment) from a funding source' })
  pledge(@Req() req: AuthedRequest, @Res({ passthrough: true }) res: WriteResponseHeaders, @Param('id') id: string, @Body() dto: PledgeFundingDto) {
    return this.write(req, res, 'POST /api/projects/:id/pledges', id, dto, 'pledges');
  }

  @Post(':id/receipts')
  @Roles(...WRITE_ROLES.money)
  @ApiOperation({ summary: 'Record money (or an in-kind contribution) received' })
  receive(@Req() req: AuthedRequest, @Res({ passthrough: true }) res: WriteResponseHeaders, @Param('id') id: string, @Body() dto: ReceiveFundsDto) {
    return this.write(req, res, 'POST /api/projects/:id/receipts', id, dto, 'receipts');
  }

  @Post(':id/disbursements')
  @Roles(...WRITE_ROLES.money)
  @ApiOperation({ summary: 'Record a payment from a source against a budget line' })
  disburse(@Req() req: AuthedRequest, @Res({ passthrough: true }) res: WriteResponseHeaders, @Param('id') id: string, @Body() dto: DisburseFundsDto) {
    return this.write(req, res, 'POST /api/projects/:id/disbursements', id, dto, 'disbursements');
  }

  @Post(':id/reversals')
  @Roles(...WRITE_ROLES.money)
  @ApiOperation({ summary: 'Reverse a pledge, receipt or payment, fully or partly, with a reason' })
  reverse(@Req() req: AuthedRequest, @Res({ passthrough: true }) res: WriteResponseHeaders, @Param('id') id: string, @Body() dto: ReverseEntryDto) {
    return this.write(req, res, 'POST /api/projects/:id/reversals', id, dto, 'reversals');
  }

  @Get()
  @ApiOperation({ summary: 'Every project: status, approved investment, totals pledged / received / disbursed; with ?asOf=YYYY-MM-DD and/or ?knownAt=ISO time, {bounds, projects} replayed from the log' })
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
  @ApiOperation({ summary: 'Funding mix per source and tier; ?asOf=YYYY-MM-DD (effective date) and ?knownAt=ISO time (recorded) for the past' })
  fundingMix(@Param('id') id: string, @Query('asOf') asOf?: string, @Query('knownAt') knownAt?: string) {
    return this.queries.fundingMix(id, { asOf, knownAt });
  }

  @Get(':id/events')
  @ApiOperation({ summary: "The project's history, oldest first, with actor, command, correlation and causation ids" })
  events(@Param('id') id: string, @Query('fromRevision') fromRevision = '0', @Query('limit') limit = String(EVENTS_PAGE_MAX)) {
    if (!/^\d{1,18}$/.test(fromRevision)) throw new DomainError('invalid-query', 'fromRevision must be a whole number', 400, 'fromRevision');
    const n = Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > EVENTS_PAGE_MAX) throw new DomainError('invalid-query', `limit must be 1-${EVENTS_PAGE_MAX}`, 400, 'limit');
    return this.queries.events(id, BigInt(fromRevision), n);
  }

  private async write(req: AuthedRequest, res: WriteResponseHeaders, route: string, projectId: string, body: object, kind: ProjectRoute) {
    const context = commandContextOf(req, route, { id: projectId }, body, this.clock);
    const command = projectCommandOf(kind, body as Record<string, unknown>, context.recordedAt.slice(0, 10));
    return answerWrite(res, context.commandId, await this.commands.execute(new ExecuteProjectCommand(projectId, command, context)));
  }
}
