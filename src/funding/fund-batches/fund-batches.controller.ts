import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AuthedRequest, Roles } from '../../auth/auth.guard';
import { PersonalData } from '../../auth/personal-data';
import { PersonalDataView } from '../../events/personal-fields';
import { WRITE_ROLES } from '../../auth/tokens';
import { CLOCK } from '../../config/clock.provider';
import { EVENT_STORE, EventStore } from '../../event-store/event-store.port';
import { FundBatchErrors } from '../../fund-batch/fund-batch.errors';
import { fundBatchStreamId } from '../../fund-batch/fund-batch.events';
import { eventView } from '../project-views';
import { WriteResponseHeaders, answerWrite, commandContextFor, writeResponse } from '../../http/command-context';
import { Clock } from '../../shared/time/clock';
import { AllocateFundsDto, IssueFundBatchDto, ReverseAllocationDto } from './fund-batch.dto';
import {
  AllocateFundsCommand,
  FlowWrite,
  IssueFundBatchCommand,
  ReverseAllocationCommand,
  SECOND_WRITE_WAIT_MS,
  TwoStreamResult,
  isPending,
} from './fund-batch.handlers';
import { readVerifiedStream } from '../../event-store/integrity';
import { CommandWrite, Refuses, WRITE_RESPONSE_HEADERS, WriteResponse } from '../../http/openapi-responses';
import { EventViewDto } from '../project-views.dto';
import { CLOSED_YEAR_REFUSALS } from '../project-refusals';
import { TwoStreamAcceptedDto, TwoStreamWrittenDto } from './two-stream-write.dto';

/** The headers of a two-stream answer: ETag is the batch's revision, absent while the batch's write is pending. */
const TWO_STREAM_HEADERS = {
  ...WRITE_RESPONSE_HEADERS,
  ETag: { description: "the batch stream's revision after the write, when it is made", schema: { type: 'string' } },
  'Idempotent-Replayed': {
    description: '`true` when every write made was stored by an earlier request with the same key',
    schema: { type: 'string', enum: ['true'] },
  },
};

@ApiTags('fund batches')
@ApiBearerAuth()
@Controller('api/fund-batches')
export class FundBatchesController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get(':id/events')
  @ApiOperation({
    summary: "The batch's history, oldest first, with metadata (personal data masked unless the role may see it)",
  })
  @ApiOkResponse({ type: [EventViewDto] })
  @Refuses({ 404: ['fund-batch-not-found'], 409: ['chain-broken'] })
  async events(@PersonalData() view: PersonalDataView, @Param('id') id: string) {
    const events = await readVerifiedStream(this.store, fundBatchStreamId(id));
    if (events.length === 0) throw FundBatchErrors.batchNotFound(id);
    return events.map((e) => eventView(e, view));
  }

  @Post()
  @Roles(...WRITE_ROLES.batches)
  @ApiOperation({
    summary:
      'Record a fund batch: a central or municipal transfer indicator (文号), district matching budget or special-bond tranche',
  })
  @ApiCreatedResponse({ type: WriteResponse, headers: WRITE_RESPONSE_HEADERS, description: 'written (or replayed)' })
  @CommandWrite({ ifMatch: 'the batch stream' })
  @Refuses(CLOSED_YEAR_REFUSALS)
  @Refuses({
    400: ['sub-field-required', 'sub-field-not-allowed', 'invalid-sub-field', 'amount-too-large'],
    409: ['fund-batch-exists'],
    422: ['source-not-batched', 'date-in-future'],
  })
  async issue(
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: WriteResponseHeaders,
    @Body() dto: IssueFundBatchDto,
  ) {
    const context = await commandContextFor(
      this.store,
      req,
      'POST /api/fund-batches',
      { id: dto.batchId },
      dto,
      this.clock,
    );
    const { batchId, source, program, docNo, fiscalYear, amount, issuedOn } = dto;
    const result = await this.commands.execute(
      new IssueFundBatchCommand(
        {
          type: 'IssueFundBatch',
          batchId,
          source,
          ...(program !== undefined ? { program } : {}),
          docNo,
          fiscalYear,
          amount,
          issuedOn,
          recordedOn: context.recordedAt.slice(0, 10),
        },
        context,
      ),
    );
    return answerWrite(res, context.idempotencyKey, result);
  }

  @Post(':id/allocations')
  @Roles(...WRITE_ROLES.batches)
  @ApiOperation({
    summary:
      "Allocate part of a batch to a project (指标分配); never more than the batch's unallocated amount. Writes the batch; the project's record follows by itself. " +
      "201: both written (the batch's write, and under `project` the project's); 202: the batch's written, `project` is `{streamId, status: 'pending'}` " +
      '(send the same request with the same Idempotency-Key to read its status again)',
  })
  @ApiCreatedResponse({
    type: TwoStreamWrittenDto,
    headers: TWO_STREAM_HEADERS,
    description: "both writes made: the batch's, and the project's under `project`",
  })
  @ApiAcceptedResponse({
    type: TwoStreamAcceptedDto,
    headers: TWO_STREAM_HEADERS,
    description: `the batch's write made; the project's record not within ${SECOND_WRITE_WAIT_MS} ms: \`project: {streamId, status: 'pending'}\``,
  })
  @CommandWrite({ ifMatch: 'the batch stream' })
  @Refuses(CLOSED_YEAR_REFUSALS)
  @Refuses({
    400: ['amount-too-large'],
    404: ['fund-batch-not-found', 'project-not-found'],
    409: ['allocation-id-exists'],
    422: ['allocation-exceeds-batch', 'date-before-batch', 'date-in-future'],
  })
  async allocate(
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: FlowResponse,
    @Param('id') id: string,
    @Body() dto: AllocateFundsDto,
  ) {
    const context = await commandContextFor(
      this.store,
      req,
      'POST /api/fund-batches/:id/allocations',
      { id },
      dto,
      this.clock,
    );
    const { allocationId, projectId, amount, allocatedOn } = dto;
    const result = await this.commands.execute(
      new AllocateFundsCommand(
        id,
        {
          type: 'AllocateFunds',
          allocationId,
          projectId,
          amount,
          allocatedOn: allocatedOn ?? context.recordedAt.slice(0, 10),
          recordedOn: context.recordedAt.slice(0, 10),
        },
        context,
      ),
    );
    return twoStreamAnswer(res, context.idempotencyKey, result);
  }

  @Post(':id/reversals')
  @Roles(...WRITE_ROLES.batches)
  @ApiOperation({
    summary:
      'Give back all or part of an allocation (a reallocation is this plus a new allocation); never what receipts already drew on it. ' +
      "Writes the project's release; the batch's reversal follows by itself. 201: both written (answered like an allocation); 202: the project's written, " +
      "the batch's part is `{streamId, status: 'pending'}` (send the same request with the same Idempotency-Key to read its status again)",
  })
  @ApiCreatedResponse({
    type: TwoStreamWrittenDto,
    headers: TWO_STREAM_HEADERS,
    description: "both writes made: the batch's, and the project's under `project`",
  })
  @ApiAcceptedResponse({
    type: TwoStreamAcceptedDto,
    headers: TWO_STREAM_HEADERS,
    description: `the project's release made (under \`project\`); the batch's reversal not within ${SECOND_WRITE_WAIT_MS} ms: \`{streamId, status: 'pending'}\``,
  })
  @CommandWrite({ ifMatch: 'the batch stream' })
  @Refuses(CLOSED_YEAR_REFUSALS)
  @Refuses({
    400: ['amount-too-large'],
    404: ['fund-batch-not-found', 'project-not-found'],
    409: ['entry-id-exists'],
    422: [
      'allocation-not-found',
      'date-before-allocation',
      'nothing-to-reverse',
      'reversal-exceeds-entry',
      'allocation-drawn',
      'insufficient-funds-at-date',
    ],
  })
  async reverse(
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: FlowResponse,
    @Param('id') id: string,
    @Body() dto: ReverseAllocationDto,
  ) {
    const context = await commandContextFor(
      this.store,
      req,
      'POST /api/fund-batches/:id/reversals',
      { id },
      dto,
      this.clock,
    );
    const { reversalId, allocationId, amount, reason, reversedOn } = dto;
    const result = await this.commands.execute(
      new ReverseAllocationCommand(
        id,
        {
          type: 'ReverseAllocation',
          reversalId,
          allocationId,
          ...(amount !== undefined ? { amount } : {}),
          reason,
          reversedOn: reversedOn ?? context.recordedAt.slice(0, 10),
        },
        context,
      ),
    );
    return twoStreamAnswer(res, context.idempotencyKey, result);
  }
}

/** The part of the HTTP response a two-stream write touches. */
type FlowResponse = WriteResponseHeaders & { status(code: number): unknown };

/**
 * The batch's write as every write answers (its revision as ETag), and the project's beside it
 * under `project`: 201 when both are made. When the allocation reactor has not made the second
 * write yet (it follows by itself: after a restart, or a slow moment), that write reads
 * `{streamId, status: 'pending'}` and the status is 202 Accepted; the same request sent again
 * with the same Idempotency-Key writes nothing and answers the status as it is then.
 */
function twoStreamAnswer(res: FlowResponse, idempotencyKey: string, { batch, project }: TwoStreamResult) {
  res.setHeader('Idempotency-Key', idempotencyKey);
  if (!isPending(batch)) res.setHeader('ETag', `"${batch.revision}"`);
  if ([batch, project].every((w) => isPending(w) || w.replayed)) res.setHeader('Idempotent-Replayed', 'true');
  if (isPending(batch) || isPending(project)) res.status(202);
  return { ...flowWrite(batch), project: flowWrite(project) };
}

function flowWrite(write: FlowWrite) {
  return isPending(write) ? { streamId: write.streamId, status: write.status } : writeResponse(write);
}
