import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { IncomingMessage } from 'node:http';
import { AuthedRequest, Roles } from '../../auth/auth.guard';
import { PersonalData } from '../../auth/personal-data';
import { WRITE_ROLES } from '../../auth/tokens';
import { readStatement } from '../../bank-account/statement-file';
import { CLOCK } from '../../config/clock.provider';
import { EVENT_STORE, EventStore } from '../../event-store/event-store.port';
import { PersonalDataView } from '../../events/personal-fields';
import { WriteResponseHeaders, answerWrite, commandContextFor } from '../../http/command-context';
import { CommandWrite, Refuses, WRITE_RESPONSE_HEADERS, WriteResponse } from '../../http/openapi-responses';
import { QueryParam } from '../../http/query-param.decorator';
import { Clock } from '../../shared/time/clock';
import { DRY_RUN, FileImportBody, MONTH, importUpload, reconciliationMonth } from '../file-import/import-route';
import { ENCODING_PARAM, ReportAnswer, answerReport, formatParam } from '../../reports/report-answer';
import { OpenBankAccountDto, RecordMatchDto, recordMatchOf } from './bank-account.dto';
import { RecordMatchRoute } from './match-route';
import { ImportStatementCommand, OpenBankAccountCommand, RecordMatchCommand } from './bank-account.handlers';
import { BankAccountQueries } from './bank-account-queries';
import { reconciliationExceptionsTable, reconciliationFileName, reconciliationTables } from './reconciliation-tables';
import {
  BankAccountDetailDto,
  BankAccountViewDto,
  ReconciliationDto,
  StatementImportedDto,
  StatementNotWrittenDto,
} from './bank-account-views.dto';

const FORMAT = formatParam(
  'csv (the exceptions: lines the ledger lacks, entries the bank lacks, amounts that differ; UTF-8 with BOM, or GB18030 with encoding=gb18030) or xlsx (the 银行存款余额调节表 and the four lists, a sheet each)',
);

@ApiTags('bank accounts')
@ApiBearerAuth()
@Controller('api/bank-accounts')
export class BankAccountsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: BankAccountQueries,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Post()
  @Roles(...WRITE_ROLES.accounts)
  @ApiOperation({ summary: "Record a bank account: a project's special account (专户), or the district's account" })
  @ApiCreatedResponse({ type: WriteResponse, headers: WRITE_RESPONSE_HEADERS, description: 'written (or replayed)' })
  @CommandWrite({ ifMatch: 'the account stream' })
  @Refuses({ 400: ['invalid-account-no', 'invalid-id'], 404: ['project-not-found'], 409: ['bank-account-exists'] })
  async open(
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: WriteResponseHeaders,
    @Body() dto: OpenBankAccountDto,
  ) {
    const context = await commandContextFor(
      this.store,
      req,
      'POST /api/bank-accounts',
      { id: dto.accountId },
      dto,
      this.clock,
    );
    const { accountId, name, bank, accountNo, projectIds } = dto;
    const result = await this.commands.execute(
      new OpenBankAccountCommand(
        { type: 'OpenBankAccount', accountId, name, bank, accountNo, projectIds: projectIds ?? [] },
        context,
      ),
    );
    return answerWrite(res, context.idempotencyKey, result);
  }

  @Get()
  @ApiOperation({ summary: 'The bank accounts recorded (the number in full for finance and admin only)' })
  @ApiOkResponse({ type: [BankAccountViewDto] })
  list(@Req() req: AuthedRequest) {
    return this.queries.list(req.actor?.role ?? 'viewer');
  }

  @Get(':id')
  @ApiOperation({ summary: 'One bank account: its projects, lines imported, latest balance' })
  @ApiOkResponse({ type: BankAccountDetailDto })
  @Refuses({ 404: ['bank-account-not-found'], 409: ['chain-broken'] })
  account(@Req() req: AuthedRequest, @Param('id') id: string) {
    return this.queries.account(id, req.actor?.role ?? 'viewer');
  }

  @Post(':id/statements')
  @Roles(...WRITE_ROLES.accounts)
  @ApiOperation({
    summary:
      'Import a bank statement as the bank exports it: the file as the body (text/csv in GBK/GB18030 or UTF-8, or xlsx) or the multipart field `file`. ' +
      'Columns are found by their Chinese headers; a line already imported is skipped; a running balance that breaks is refused naming the row, nothing written. ' +
      '201: written; 200: nothing written (a preview with `dryRun=true`, or every line imported before)',
  })
  @FileImportBody({
    body: 'the statement file (docs/reconciliation.md lists the formats and headers taken)',
    written: StatementImportedDto,
    notWritten: StatementNotWrittenDto,
    notWrittenDescription: 'a preview, or a statement all imported before: nothing written',
  })
  @CommandWrite({ ifMatch: 'the account stream' })
  @Refuses({
    400: ['invalid-date'],
    404: ['bank-account-not-found'],
    409: ['chain-broken', 'statement-already-imported'],
    422: [
      'statement-balance-break',
      'statement-unreadable',
      'statement-headers-not-found',
      'statement-line-invalid',
      'statement-empty',
    ],
  })
  async importStatement(
    @Req() req: AuthedRequest & IncomingMessage,
    @Res({ passthrough: true }) res: WriteResponseHeaders & { status(code: number): unknown },
    @Param('id') id: string,
    @PersonalData() view: PersonalDataView,
    @QueryParam(DRY_RUN) dryRun?: string,
  ) {
    const { commands, store, clock } = this;
    return importUpload({ commands, store, clock }, req, res, {
      route: 'POST /api/bank-accounts/:id/statements',
      params: { id },
      dryRun,
      kind: 'statement',
      readFile: readStatement,
      command: (read, fileName, dry, context) => new ImportStatementCommand(id, read, fileName, dry, view, context),
    });
  }

  @Post(':id/matches')
  @RecordMatchRoute(
    'the account stream',
    'Record a matching decision: `confirmed` (also one line to many entries, or many lines to one), `manual` (with its reason) or `rejected` (with its reason: never proposed again)',
    ['bank-account-not-found'],
  )
  async match(
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: WriteResponseHeaders,
    @Param('id') id: string,
    @Body() dto: RecordMatchDto,
  ) {
    const context = await commandContextFor(
      this.store,
      req,
      'POST /api/bank-accounts/:id/matches',
      { id },
      dto,
      this.clock,
    );
    const result = await this.commands.execute(
      new RecordMatchCommand(id, recordMatchOf(dto, context.recordedAt.slice(0, 10)), context),
    );
    return answerWrite(res, context.idempotencyKey, result);
  }

  @Get(':id/reconciliation')
  @ApiOperation({
    summary:
      '对账 as of a month end: matched, statementOnly, ledgerOnly, amountMismatch, and the 银行存款余额调节表 (adjustment); counterparties masked as personal data is; ?format=csv|xlsx to file it',
  })
  @ReportAnswer(ReconciliationDto)
  @Refuses({ 404: ['bank-account-not-found'], 409: ['chain-broken'], 422: ['no-policy-in-force'] })
  async reconciliation(
    @Req() req: AuthedRequest,
    @Param('id') id: string,
    @PersonalData() view: PersonalDataView,
    @QueryParam(MONTH) month?: string,
    @QueryParam(FORMAT) format?: string,
    @QueryParam(ENCODING_PARAM) encoding?: string,
  ) {
    return answerReport(
      [format, encoding],
      () => this.queries.reconciliation(id, reconciliationMonth(month, this.clock), view),
      async (answer, as) => {
        // The file names the account, its number masked as GET /api/bank-accounts/:id masks it for the role.
        const account = await this.queries.account(id, req.actor?.role ?? 'viewer');
        const tables =
          as === 'csv' ? [reconciliationExceptionsTable(answer, account)] : reconciliationTables(answer, account);
        return [reconciliationFileName(answer), tables];
      },
    );
  }
}
