import { Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { IncomingMessage } from 'node:http';
import { AuthedRequest, Roles } from '../../auth/auth.guard';
import { PersonalData } from '../../auth/personal-data';
import { WRITE_ROLES } from '../../auth/tokens';
import { CLOCK } from '../../config/clock.provider';
import { EVENT_STORE, EventStore } from '../../event-store/event-store.port';
import { PersonalDataView } from '../../events/personal-fields';
import { STATEMENT_MEDIA_TYPES, readStatementUpload } from '../../http/body-reading.middleware';
import { WriteResponseHeaders, answerWrite, commandContextFor, writeResponse } from '../../http/command-context';
import { CommandWrite, Refuses, WRITE_RESPONSE_HEADERS } from '../../http/openapi-responses';
import { QueryParam, QueryParamDoc } from '../../http/query-param.decorator';
import { STATEMENT_LIMIT_BYTES } from '../../http/validation';
import { DomainError } from '../../shared/domain/domain-error';
import { Clock } from '../../shared/time/clock';
import { readTreasuryFile } from '../../treasury-file/treasury-payment-file';
import { ImportTreasuryFileCommand } from './treasury-file.handlers';
import { TreasuryFileQueries } from './treasury-file-queries';
import {
  TreasuryFileImportedDto,
  TreasuryFileNotWrittenDto,
  TreasuryFilesDto,
  TreasuryReconciliationDto,
} from './treasury-file-views.dto';

const DRY_RUN: QueryParamDoc = {
  name: 'dryRun',
  description: '`true`: read the file and answer the lines and problems found, writing nothing',
  schema: { type: 'string', enum: ['true', 'false'] },
};
const MONTH: QueryParamDoc = {
  name: 'month',
  description: 'YYYY-MM: reconcile as of the last day of that month (default: the current month)',
  schema: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$', example: '2023-06' },
};

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
  @ApiConsumes(...STATEMENT_MEDIA_TYPES, 'multipart/form-data')
  @ApiBody({
    description: 'the treasury payment file (docs/reconciliation.md lists the formats and headers taken)',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiCreatedResponse({
    type: TreasuryFileImportedDto,
    headers: WRITE_RESPONSE_HEADERS,
    description: 'written (or replayed)',
  })
  @ApiOkResponse({
    type: TreasuryFileNotWrittenDto,
    description: 'a preview, or a file all imported before: nothing written',
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
    if (dryRun !== undefined && dryRun !== 'true' && dryRun !== 'false')
      throw new DomainError('invalid-query', `dryRun must be true or false (got "${dryRun}")`, 400, 'dryRun');
    const upload = await readStatementUpload(req, STATEMENT_LIMIT_BYTES);
    const read = await readTreasuryFile(upload.bytes);
    const context = await commandContextFor(
      this.store,
      req,
      'POST /api/treasury-files',
      {},
      { fileHash: read.fileHash, dryRun: dryRun === 'true' },
      this.clock,
    );
    const outcome = await this.commands.execute(
      new ImportTreasuryFileCommand(read, upload.fileName, dryRun === 'true', view, context),
    );
    const { write, preview, ...figures } = outcome;
    if (write === undefined) {
      res.status(200);
      return { ...figures, ...(preview ?? {}) };
    }
    answerWrite(res, context.idempotencyKey, write);
    return { ...writeResponse(write), ...figures };
  }

  @Get()
  @ApiOperation({ summary: 'The treasury file lines imported; payees masked as personal data is' })
  @ApiOkResponse({ type: TreasuryFilesDto })
  @Refuses({ 409: ['chain-broken'] })
  list(@PersonalData() view: PersonalDataView) {
    return this.queries.summary(view);
  }

  @Get('reconciliation')
  @ApiOperation({
    summary:
      "国库对账 as of a month end: matched, fileOnly, ledgerOnly, amountMismatch, and docNoMismatch (指标文号 not the payment's batch 下达文号); payees masked as personal data is",
  })
  @ApiOkResponse({ type: TreasuryReconciliationDto })
  @Refuses({ 409: ['chain-broken'], 422: ['no-policy-in-force'] })
  reconciliation(@PersonalData() view: PersonalDataView, @QueryParam(MONTH) month?: string) {
    const m = month ?? this.clock.now().toISOString().slice(0, 7);
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(m) || m < '2000-01' || m > '2100-12')
      throw new DomainError(
        'invalid-query',
        `month must be YYYY-MM from 2000-01 to 2100-12 (got "${m}")`,
        400,
        'month',
      );
    return this.queries.reconciliation(m, view);
  }
}
