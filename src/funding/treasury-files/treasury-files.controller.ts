import { Body, Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { IncomingMessage } from 'node:http';
import { AuthedRequest, Roles } from '../../auth/auth.guard';
import { PersonalData } from '../../auth/personal-data';
import { WRITE_ROLES } from '../../auth/tokens';
import { CLOCK } from '../../config/clock.provider';
import { EVENT_STORE, EventStore } from '../../event-store/event-store.port';
import { PersonalDataView } from '../../events/personal-fields';
import { WriteResponseHeaders, answerWrite, commandContextFor } from '../../http/command-context';
import { CommandWrite, Refuses } from '../../http/openapi-responses';
import { QueryParam } from '../../http/query-param.decorator';
import { Clock } from '../../shared/time/clock';
import { DRY_RUN, FileImportBody, MONTH, importUpload, reconciliationMonth } from '../file-import/import-route';
import { readTreasuryFile } from '../../treasury-file/treasury-payment-file';
import { ENCODING_PARAM, ReportAnswer, answerReport, formatParam } from '../../reports/report-answer';
import { asStatementLists } from '../../treasury-file/treasury-reconciliation';
import { RecordMatchDto, recordMatchOf } from '../bank-accounts/bank-account.dto';
import { RecordMatchRoute } from '../bank-accounts/match-route';
import {
  treasuryExceptionsTable,
  treasuryReconciliationFileName,
  treasuryReconciliationTables,
} from '../bank-accounts/reconciliation-tables';
import { ImportTreasuryFileCommand, RecordTreasuryMatchCommand } from './treasury-file.handlers';
import { TreasuryFileQueries } from './treasury-file-queries';
import {
  TreasuryFileImportedDto,
  TreasuryFileNotWrittenDto,
  TreasuryFilesDto,
  TreasuryReconciliationDto,
} from './treasury-file-views.dto';

const FORMAT = formatParam(
  'csv (the exceptions: lines the ledger lacks, payments the file lacks, amounts and 指标文号 that differ; UTF-8 with BOM, or GB18030 with encoding=gb18030) or xlsx (the lists, a sheet each)',
);

/**
 * The treasury's payment files (国库集中支付·直接支付 明细): imported as the bank statements are
 * (src/funding/bank-accounts), and reconciled against the ledger's treasury direct payments.
 */
@ApiTags('treasury files')
@ApiBearerAuth()
@Controller('api/treasury-files')
export class TreasuryFilesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: TreasuryFileQueries,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Post()
  @Roles(...WRITE_ROLES.accounts)
  @ApiOperation({
    summary:
      'Import a treasury payment file as the treasury exports it: the file as the body (text/csv in GBK/GB18030 or UTF-8, or xlsx) or the multipart field `file`. ' +
      'Columns (支付凭证号, 指标文号, 收款人, 金额, 支付日期, 功能科目) are found by their headers; a line whose 支付凭证号 was imported before is skipped; a line that cannot be read is refused naming its row, nothing written. ' +
      '201: written; 200: nothing written (a preview with `dryRun=true`, or every line imported before)',
  })
  @FileImportBody({
    body: 'the treasury payment file (docs/reconciliation.md lists the formats and headers taken)',
    written: TreasuryFileImportedDto,
    notWritten: TreasuryFileNotWrittenDto,
    notWrittenDescription: 'a preview, or a file all imported before: nothing written',
  })
  @CommandWrite({ ifMatch: 'the treasury stream' })
  @Refuses({
    400: ['invalid-date'],
    409: ['chain-broken', 'treasury-file-already-imported'],
    422: [
      'treasury-file-unreadable',
      'treasury-file-headers-not-found',
      'treasury-file-line-invalid',
      'treasury-file-empty',
    ],
  })
  async importFile(
    @Req() req: AuthedRequest & IncomingMessage,
    @Res({ passthrough: true }) res: WriteResponseHeaders & { status(code: number): unknown },
    @PersonalData() view: PersonalDataView,
    @QueryParam(DRY_RUN) dryRun?: string,
  ) {
    const { commands, store, clock } = this;
    return importUpload({ commands, store, clock }, req, res, {
      route: 'POST /api/treasury-files',
      params: {},
      dryRun,
      kind: 'treasury payment file',
      readFile: readTreasuryFile,
      command: (read, fileName, dry, context) => new ImportTreasuryFileCommand(read, fileName, dry, view, context),
    });
  }

  @Get()
  @ApiOperation({ summary: 'The treasury file lines imported; payees masked as personal data is' })
  @ApiOkResponse({ type: TreasuryFilesDto })
  @Refuses({ 409: ['chain-broken'] })
  list(@PersonalData() view: PersonalDataView) {
    return this.queries.summary(view);
  }

  @Post('matches')
  @RecordMatchRoute(
    'the treasury stream',
    "Record a matching decision on treasury file lines and treasury direct payments, as on a bank account's lines: `confirmed` (also one line to many payments, or many to one), `manual` (with its reason) or `rejected` (with its reason: never proposed again)",
  )
  async match(
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: WriteResponseHeaders,
    @Body() dto: RecordMatchDto,
  ) {
    const context = await commandContextFor(this.store, req, 'POST /api/treasury-files/matches', {}, dto, this.clock);
    const result = await this.commands.execute(
      new RecordTreasuryMatchCommand(recordMatchOf(dto, context.recordedAt.slice(0, 10)), context),
    );
    return answerWrite(res, context.idempotencyKey, result);
  }

  @Get('reconciliation')
  @ApiOperation({
    summary:
      "国库对账 as of a month end: matched, fileOnly, ledgerOnly, amountMismatch, and docNoMismatch (指标文号 not the payment's batch 下达文号), the finance user's decisions replayed; payees masked as personal data is; ?format=csv|xlsx to file it",
  })
  @ReportAnswer(TreasuryReconciliationDto)
  @Refuses({ 409: ['chain-broken'], 422: ['no-policy-in-force'] })
  async reconciliation(
    @PersonalData() view: PersonalDataView,
    @QueryParam(MONTH) month?: string,
    @QueryParam(FORMAT) format?: string,
    @QueryParam(ENCODING_PARAM) encoding?: string,
  ) {
    return answerReport(
      [format, encoding],
      () => this.queries.reconciliation(reconciliationMonth(month, this.clock), view),
      (answer, as) => {
        const lists = asStatementLists(answer);
        const tables = as === 'csv' ? [treasuryExceptionsTable(lists)] : treasuryReconciliationTables(lists);
        return [treasuryReconciliationFileName(answer), tables];
      },
    );
  }
}
