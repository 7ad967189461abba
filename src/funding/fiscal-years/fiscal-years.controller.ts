import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthedRequest, Roles } from '../../auth/auth.guard';
import { WRITE_ROLES } from '../../auth/tokens';
import { CLOCK } from '../../config/clock.provider';
import { EVENT_STORE, EventStore } from '../../event-store/event-store.port';
import { WriteResponseHeaders, answerWrite, commandContextFor } from '../../http/command-context';
import { CommandWrite, Refuses, WRITE_RESPONSE_HEADERS, WriteResponse } from '../../http/openapi-responses';
import { FiscalYearCommand } from '../../fiscal-year/fiscal-year.commands';
import { InputErrors } from '../../shared/domain/input-rules';
import { Clock } from '../../shared/time/clock';
import { CloseFiscalYearDto, ReopenFiscalYearDto } from './fiscal-year.dto';
import { ActOnFiscalYearCommand } from './fiscal-year.handlers';
import { FiscalYearQueries } from './fiscal-year-queries';
import { FiscalYearViewDto } from './fiscal-year-views.dto';

/** The year in the path: four digits (the decider then holds it to FISCAL_YEAR_MIN..MAX). */
function yearParam(year: string): number {
  if (!/^\d{4}$/.test(year)) throw InputErrors.invalidFiscalYear(year);
  return Number(year);
}

@ApiTags('fiscal years')
@ApiBearerAuth()
@Controller('api/fiscal-years')
export class FiscalYearsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: FiscalYearQueries,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every year ever closed (年终结账): open or closed now, with each close and reopen' })
  @ApiOkResponse({ type: [FiscalYearViewDto] })
  @Refuses({ 409: ['chain-broken'] })
  list() {
    return this.queries.list();
  }

  @Post(':year/close')
  @Roles(...WRITE_ROLES.years)
  @ApiOperation({
    summary:
      '年终结账: close a year that has ended; from then on a money entry dated in it is refused (409 year-closed) until the year is reopened',
  })
  @ApiCreatedResponse({ type: WriteResponse, headers: WRITE_RESPONSE_HEADERS, description: 'written (or replayed)' })
  @CommandWrite({ ifMatch: 'the year stream' })
  @Refuses({ 400: ['invalid-fiscal-year'], 409: ['year-already-closed', 'year-not-ended', 'chain-broken'] })
  close(
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: WriteResponseHeaders,
    @Param('year') year: string,
    @Body() dto: CloseFiscalYearDto,
  ) {
    const { reason } = dto;
    return this.act(req, res, year, 'close', dto, (fiscalYear, today) => ({
      type: 'CloseFiscalYear',
      fiscalYear,
      closedOn: today,
      ...(reason !== undefined ? { reason } : {}),
    }));
  }

  @Post(':year/reopen')
  @Roles(...WRITE_ROLES.years)
  @ApiOperation({ summary: 'Reopen a closed year, with its reason: entries dated in it are taken again' })
  @ApiCreatedResponse({ type: WriteResponse, headers: WRITE_RESPONSE_HEADERS, description: 'written (or replayed)' })
  @CommandWrite({ ifMatch: 'the year stream' })
  @Refuses({ 400: ['invalid-fiscal-year', 'reopen-reason-required'], 409: ['year-not-closed', 'chain-broken'] })
  reopen(
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: WriteResponseHeaders,
    @Param('year') year: string,
    @Body() dto: ReopenFiscalYearDto,
  ) {
    const { reason } = dto;
    return this.act(req, res, year, 'reopen', dto, (fiscalYear, today) => ({
      type: 'ReopenFiscalYear',
      fiscalYear,
      reopenedOn: today,
      ...(reason !== undefined ? { reason } : {}),
    }));
  }

  /** Either act, dated by the ledger's clock (the day the request is recorded). */
  private async act(
    req: AuthedRequest,
    res: WriteResponseHeaders,
    year: string,
    verb: 'close' | 'reopen',
    dto: object,
    commandOf: (fiscalYear: number, today: string) => FiscalYearCommand,
  ) {
    const fiscalYear = yearParam(year);
    const route = `POST /api/fiscal-years/:year/${verb}`;
    const context = await commandContextFor(this.store, req, route, { year }, dto, this.clock);
    const command = commandOf(fiscalYear, context.recordedAt.slice(0, 10));
    const result = await this.commands.execute(new ActOnFiscalYearCommand(command, context));
    return answerWrite(res, context.idempotencyKey, result);
  }
}
