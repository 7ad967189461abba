import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EVENT_STORE, EventStore, RecordedEvent } from '../../event-store/event-store.port';
import { CommandContext, WriteResult, staleRevision } from '../../event-store/write-path';
import { AllocateFunds, IssueFundBatch, ReverseAllocation } from '../../fund-batch/fund-batch.commands';
import { FundBatchState, fundBatchDecider } from '../../fund-batch/fund-batch.decider';
import { FundBatchErrors } from '../../fund-batch/fund-batch.errors';
import { FundBatchEventType, fundBatchEvents, fundBatchStreamId } from '../../fund-batch/fund-batch.events';
import { ReleaseAllocation } from '../../project/project.commands';
import { ProjectState, projectDecider } from '../../project/project.decider';
import { ProjectErrors } from '../../project/project.errors';
import { ProjectEventType, projectStreamId } from '../../project/project.events';
import { ALLOCATION_REACTOR } from '../../reactors/allocation-reactor.providers';
import {
  allocationRecordOf,
  batchReversalCommandId,
  batchReversalOf,
  compensationCommandId,
  recordCommandId,
} from '../../reactors/allocation-flow';
import { ReactorRunner } from '../../reactors/reactor-runner';
import { assert } from '../../shared/domain/domain-error';
import { foldStored } from '../../shared/domain/decider';
import { PROJECT_WRITER, ProjectWriter } from '../project-command.handler';
import { batchEntryDate } from '../fiscal-years/entry-dates';
import { FiscalYearQueries } from '../fiscal-years/fiscal-year-queries';
import { FUND_BATCH_WRITER, FundBatchWriter } from './fund-batch-writer';
import { readVerifiedStream } from '../../event-store/integrity';
import { KeyedQueue } from '../../shared/concurrency/keyed-queue';

/** A write of the flow that the allocation reactor has not made yet (it follows by itself). */
export interface PendingWrite {
  streamId: string;
  status: 'pending';
}
export type FlowWrite = WriteResult | PendingWrite;

export function isPending(write: FlowWrite): write is PendingWrite {
  return 'status' in write;
}

/** An allocation or its reversal touches two streams: the batch's write and the project's. */
export interface TwoStreamResult {
  batch: FlowWrite;
  project: FlowWrite;
}

/**
 * How long an answer waits for the reactor to make the second write before it says "pending":
 * long enough for a service that keeps up (the reactor is woken by the first write), short enough
 * for a client not to give up on the request.
 */
export const SECOND_WRITE_WAIT_MS = 2_000;

export class IssueFundBatchCommand extends Command<WriteResult> {
  constructor(
    readonly command: IssueFundBatch,
    readonly context: CommandContext,
  ) {
    super();
  }
}

export class AllocateFundsCommand extends Command<TwoStreamResult> {
  constructor(
    readonly batchId: string,
    readonly command: AllocateFunds,
    readonly context: CommandContext,
  ) {
    super();
  }
}

export class ReverseAllocationCommand extends Command<TwoStreamResult> {
  constructor(
    readonly batchId: string,
    readonly command: ReverseAllocation,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(IssueFundBatchCommand)
export class IssueFundBatchHandler implements ICommandHandler<IssueFundBatchCommand, WriteResult> {
  constructor(
    @Inject(FUND_BATCH_WRITER) private readonly batches: FundBatchWriter,
    private readonly years: FiscalYearQueries,
  ) {}

  async execute({ command, context }: IssueFundBatchCommand): Promise<WriteResult> {
    // An indicator issued in a closed year is refused (year-closed), as every money entry is.
    await this.years.refuseClosed(batchEntryDate(command), context);
    return this.batches.execute(fundBatchStreamId(command.batchId), command, context);
  }
}

/**
 * Allocating a batch to a project, and reversing an allocation, keep two rules in two streams,
 * each with its own optimistic concurrency: the batch's allocations never exceed it, and a
 * project's receipts never exceed what remains of its copy of an allocation. The request makes
 * the first write (the batch's allocation; the project's release of a reversal) and the
 * allocation reactor the second (src/reactors/allocation.reactor.ts), from the log, so a service
 * stopped between the two completes the flow by itself when it starts again.
 *
 * Before the first write the request checks, on both streams as they are, every rule the second
 * write will check (by deciding it: the deciders are pure), so a refusal writes nothing anywhere;
 * a date in a closed fiscal year (year-closed) is refused before either. The second write, the
 * reactor's, is not judged again: a year closed between the two does not leave a flow half made.
 * A request sent again under its Idempotency-Key skips the checks (the streams moved on since):
 * its first write answers it, and the second's status is read again.
 *
 * What an allocation's check reads must include the second writes of the allocations before it,
 * or two could both pass it (two batches allocating one allocation id to one project): so, in this
 * process, allocations to one project or from one batch check and make their first write one at a
 * time, each after the reactor has handled everything written before it. Only
 * another process racing this one can still get past the check; its flow then ends compensated
 * (docs/api.md, "A refusal in a race").
 */
abstract class AllocationFlowHandler {
  constructor(
    @Inject(EVENT_STORE) protected readonly store: EventStore,
    @Inject(FUND_BATCH_WRITER) protected readonly batches: FundBatchWriter,
    @Inject(PROJECT_WRITER) protected readonly projects: ProjectWriter,
    @Inject(ALLOCATION_REACTOR) protected readonly reactor: ReactorRunner,
    protected readonly years: FiscalYearQueries,
  ) {}

  /**
   * Allocations from one batch or to one project, one at a time (see `serially`). Nest makes one
   * handler of each kind per process, so this is the process's queue.
   */
  private readonly queue = new KeyedQueue();

  protected async isRepeat(context: CommandContext): Promise<boolean> {
    return (await this.store.readByCommand(context.commandId)).length > 0;
  }

  /** Runs `step` after the allocations before it on the batch or the project, once the reactor has made their second writes. */
  protected serially<T>(batchId: string, projectId: string, step: () => Promise<T>): Promise<T> {
    return this.queue.run([`batch:${batchId}`, `project:${projectId}`], async () => {
      // Not reached in time (a reactor stopped or far behind): the check reads what there is, and
      // a flow that gets past it ends compensated.
      await this.reactor.waitFor(await this.store.headPosition(), SECOND_WRITE_WAIT_MS);
      return step();
    });
  }

  protected async batchState(batchId: string): Promise<{ state: FundBatchState; revision: bigint }> {
    const events = await readVerifiedStream(this.store, fundBatchStreamId(batchId));
    const state = foldStored(fundBatchDecider, events);
    if (!state.issued) throw FundBatchErrors.batchNotFound(batchId);
    return { state, revision: events[events.length - 1].revision };
  }

  protected async projectState(projectId: string): Promise<ProjectState> {
    const state = foldStored(projectDecider, await readVerifiedStream(this.store, projectStreamId(projectId)));
    if (!state.registered) throw ProjectErrors.projectNotFound(projectId);
    return state;
  }

  /**
   * The second write, once this process's reactor has handled the first (waiting at most
   * SECOND_WRITE_WAIT_MS): the events of its derived command id, or pending.
   */
  protected async secondWrite(first: WriteResult, commandId: string, streamId: string): Promise<FlowWrite> {
    await this.reactor.waitFor(first.position, SECOND_WRITE_WAIT_MS);
    const events = (await this.store.readByCommand(commandId)).filter((e) => e.streamId === streamId);
    return events.length > 0 ? stored(events) : { streamId, status: 'pending' };
  }
}

@CommandHandler(AllocateFundsCommand)
export class AllocateFundsHandler
  extends AllocationFlowHandler
  implements ICommandHandler<AllocateFundsCommand, TwoStreamResult>
{
  async execute({ batchId, command, context }: AllocateFundsCommand): Promise<TwoStreamResult> {
    await this.years.refuseClosed(batchEntryDate(command), context);
    const batch = await this.serially(batchId, command.projectId, async () => {
      if (!(await this.isRepeat(context))) await this.check(batchId, command);
      return this.batches.execute(fundBatchStreamId(batchId), command, context);
    });
    const project = await this.secondWrite(
      batch,
      recordCommandId(batchId, command.allocationId),
      projectStreamId(command.projectId),
    );
    if (isPending(project)) await this.throwIfRefused(batchId, command, context);
    return { batch, project };
  }

  /** The batch's rules, then the project's on the copy the reactor will record. */
  private async check(batchId: string, command: AllocateFunds): Promise<void> {
    const { state: batch } = await this.batchState(batchId);
    const project = await this.projectState(command.projectId);
    const [allocated] = fundBatchDecider.decide(command, batch);
    assert(allocated.type === FundBatchEventType.allocated, 'an allocation decides funds-allocated');
    projectDecider.decide(allocationRecordOf(batch, allocated.data), project);
  }

  /**
   * A reactor (this process's, or another's before a restart) compensated: the project refused its
   * copy in a race the check could not see (its allocation id taken by another batch meanwhile),
   * and the batch has its room back. The answer is the project's refusal, decided again: an
   * allocation id never leaves a project.
   */
  private async throwIfRefused(batchId: string, command: AllocateFunds, context: CommandContext): Promise<void> {
    if ((await this.store.readByCommand(compensationCommandId(batchId, command.allocationId))).length === 0) return;
    const written = (await this.store.readByCommand(context.commandId)).map((e) => fundBatchEvents.parse(e));
    const allocated = written.find((e) => e.type === FundBatchEventType.allocated);
    assert(allocated?.type === FundBatchEventType.allocated, `command ${context.commandId} wrote the allocation`);
    const { state: batch } = await this.batchState(batchId);
    projectDecider.decide(allocationRecordOf(batch, allocated.data), await this.projectState(command.projectId));
  }
}

@CommandHandler(ReverseAllocationCommand)
export class ReverseAllocationHandler
  extends AllocationFlowHandler
  implements ICommandHandler<ReverseAllocationCommand, TwoStreamResult>
{
  async execute({ batchId, command, context }: ReverseAllocationCommand): Promise<TwoStreamResult> {
    await this.years.refuseClosed(batchEntryDate(command), context);
    const { state: batch, revision } = await this.batchState(batchId);
    const allocation = batch.allocations.get(command.allocationId);
    if (!allocation) throw FundBatchErrors.allocationNotFound(command.allocationId);
    const release: ReleaseAllocation = {
      type: 'ReleaseAllocation',
      projectId: allocation.projectId,
      batchId,
      allocationId: command.allocationId,
      reversalId: command.reversalId,
      ...(command.amount !== undefined ? { amount: command.amount } : {}),
      reason: command.reason,
      releasedOn: command.reversedOn,
    };
    if (!(await this.isRepeat(context))) {
      // If-Match names the batch's revision; the first write goes to the project, so it is checked here.
      if (context.ifMatch !== undefined && context.ifMatch !== revision)
        throw staleRevision(fundBatchStreamId(batchId), context.ifMatch, revision);
      await this.check(batch, command, release, allocation.projectId);
    }
    const project = await this.projects.execute(projectStreamId(allocation.projectId), release, {
      ...context,
      ifMatch: undefined,
    });
    const reversed = await this.secondWrite(
      project,
      batchReversalCommandId(batchId, command.allocationId, command.reversalId),
      fundBatchStreamId(batchId),
    );
    return { batch: reversed, project };
  }

  /**
   * The batch's rules as the request states them (its field names, its dates: a reversal dated
   * before its allocation), the project's (not what receipts drew), then the batch's again on the
   * reversal exactly as the reactor will write it (the amount the project gives back).
   */
  private async check(
    batch: FundBatchState,
    command: ReverseAllocation,
    release: ReleaseAllocation,
    projectId: string,
  ): Promise<void> {
    fundBatchDecider.decide(command, batch);
    const [released] = projectDecider.decide(release, await this.projectState(projectId));
    assert(released.type === ProjectEventType.allocationReleased, 'a release decides allocation-released');
    fundBatchDecider.decide(batchReversalOf(released.data), batch);
  }
}

/** The answer for a write found stored: its command's events. */
function stored(events: RecordedEvent[]): WriteResult {
  const last = events[events.length - 1];
  return {
    streamId: last.streamId,
    revision: last.revision,
    position: last.position,
    events: events.map(({ type, eventId }) => ({ type, eventId })),
    replayed: true,
  };
}
