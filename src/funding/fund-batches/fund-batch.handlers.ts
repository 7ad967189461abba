import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EVENT_STORE, EventStore, RecordedEvent } from '../../event-store/event-store.port';
import { CommandContext, WriteResult, Writer, staleRevision } from '../../event-store/write-path';
import { canonicalJson, sha256Hex, uuidFromSeed } from '../../event-store/hashing';
import { AllocateFunds, FundBatchCommand, IssueFundBatch, ReverseAllocation } from '../../fund-batch/fund-batch.commands';
import { FundBatchState, fundBatchDecider } from '../../fund-batch/fund-batch.decider';
import { FundBatchErrors } from '../../fund-batch/fund-batch.errors';
import { AllocationReversed, FundBatchEvent, FundBatchEventType, FundsAllocated, fundBatchStreamId } from '../../fund-batch/fund-batch.events';
import { ProjectCommand, RecordAllocation, ReleaseAllocation } from '../../project/project.commands';
import { ProjectState, projectDecider } from '../../project/project.decider';
import { ProjectErrors } from '../../project/project.errors';
import { AllocationReleased, ProjectEventType, projectStreamId } from '../../project/project.events';
import { DomainError, assert } from '../../shared/domain/domain-error';
import { fenOfStored, parseAmount } from '../../shared/money/money';
import { fold } from '../../shared/domain/decider';
import { PROJECT_WRITER, ProjectWriter } from '../project-command.handler';
import { writerFor } from '../../event-store/write-path';

export type FundBatchWriter = Writer<FundBatchState, FundBatchCommand>;
export const FUND_BATCH_WRITER = Symbol('FUND_BATCH_WRITER');
export const fundBatchWriterProvider = {
  provide: FUND_BATCH_WRITER,
  inject: [EVENT_STORE],
  useFactory: (store: EventStore): FundBatchWriter => writerFor<FundBatchState, FundBatchCommand, FundBatchEvent>(store, fundBatchDecider),
};

/** An allocation or its reversal touches two streams: the batch's write and the project's. */
export interface TwoStreamResult {
  batch: WriteResult;
  project: WriteResult;
}

export class IssueFundBatchCommand extends Command<WriteResult> {
  constructor(readonly command: IssueFundBatch, readonly context: CommandContext) {
    super();
  }
}

export class AllocateFundsCommand extends Command<TwoStreamResult> {
  constructor(readonly batchId: string, readonly command: AllocateFunds, readonly context: CommandContext) {
    super();
  }
}

export class ReverseAllocationCommand extends Command<TwoStreamResult> {
  constructor(readonly batchId: string, readonly command: ReverseAllocation, readonly context: CommandContext) {
    super();
  }
}

@CommandHandler(IssueFundBatchCommand)
export class IssueFundBatchHandler implements ICommandHandler<IssueFundBatchCommand, WriteResult> {
  constructor(@Inject(FUND_BATCH_WRITER) private readonly batches: FundBatchWriter) {}

  execute({ command, context }: IssueFundBatchCommand): Promise<WriteResult> {
    return this.batches.execute(fundBatchStreamId(command.batchId), command, context);
  }
}

/**
 * Allocating a batch to a project, and reversing an allocation, keep two rules in two streams,
 * each with its own optimistic concurrency (no transaction spans two streams, so the same design
 * holds on EventStoreDB):
 *
 * - the batch stream alone decides that allocations never exceed the batch (`funds-allocated.v1`,
 *   appended at the revision the decision saw);
 * - the project stream alone decides that receipts never exceed what remains of an allocation, on
 *   its own copy of the allocation (`allocation-recorded.v1`).
 *
 * The order of the two writes makes every moment in between safe: an allocation is written to the
 * batch first (it takes room in the batch) and recorded in the project second (until then no
 * receipt can draw on it); a reversal is written to the project first (from then on no receipt can
 * draw on the part given back, and the project refuses it if receipts already did) and to the batch
 * second (which frees the room). The second write's command id derives from the batch, the
 * allocation and (for a reversal) the reversal id, so if the service stops between the two, sending
 * the same request again (with or without the same Idempotency-Key) completes the second write
 * exactly once. Reversal ids are unique per allocation in both streams, so the batch never refuses
 * a reversal its project has already made.
 */
abstract class TwoStreamHandler {
  constructor(
    @Inject(EVENT_STORE) protected readonly store: EventStore,
    @Inject(FUND_BATCH_WRITER) protected readonly batches: FundBatchWriter,
    @Inject(PROJECT_WRITER) protected readonly projects: ProjectWriter,
  ) {}

  protected async batchState(batchId: string): Promise<{ state: FundBatchState; revision: bigint }> {
    const events = await this.store.readStream(fundBatchStreamId(batchId));
    const state = fold(fundBatchDecider, toDomain<FundBatchEvent>(events));
    if (!state.issued) throw FundBatchErrors.batchNotFound(batchId);
    return { state, revision: events[events.length - 1].revision };
  }

  /** The stored event of a stream with this type whose data has these values, if any. */
  protected async storedEvent(streamId: string, type: string, values: Record<string, string>): Promise<RecordedEvent | undefined> {
    return (await this.store.readStream(streamId)).find((e) => isEvent(e, type, values));
  }

  /** The stored event a write (or an earlier sending's) just made. */
  protected async writtenEvent(streamId: string, type: string, values: Record<string, string>, commandId?: string): Promise<RecordedEvent> {
    // Written under this request's own command id: one indexed lookup; else (an earlier sending's) a scan of the stream.
    const found = commandId === undefined
      ? await this.storedEvent(streamId, type, values)
      : (await this.store.readByCommand(commandId)).find((e) => e.streamId === streamId && isEvent(e, type, values));
    assert(found, `${type} ${JSON.stringify(values)} is in ${streamId} after its write`);
    return found;
  }

  protected async projectEvents(projectId: string): Promise<RecordedEvent[]> {
    return this.store.readStream(projectStreamId(projectId));
  }

  /** The context of a write the flow derives from the request: its own id and request hash. */
  protected derivedContext(context: CommandContext, seed: string, command: object, causationId: string): CommandContext {
    return {
      ...context, commandId: uuidFromSeed(seed), requestHash: sha256Hex(canonicalJson(command)), causationId, ifMatch: undefined,
    };
  }
}

@CommandHandler(AllocateFundsCommand)
export class AllocateFundsHandler extends TwoStreamHandler implements ICommandHandler<AllocateFundsCommand, TwoStreamResult> {
  async execute({ batchId, command, context }: AllocateFundsCommand): Promise<TwoStreamResult> {
    const { state: batch } = await this.batchState(batchId);
    // Checked before anything is written, so a refusal writes nothing (a race on the same project
    // between this check and the second write is caught there and undone in the batch).
    const project = fold(projectDecider, toDomain<never>(await this.projectEvents(command.projectId))) as ProjectState;
    if (!project.registered) throw ProjectErrors.projectNotFound(command.projectId);
    const taken = project.allocations.get(command.allocationId);
    // Unless the batch holds the allocation already (a repeat after a stop between the two writes):
    // then the project's refusal below gives the batch its room back.
    if (taken && taken.batchId !== batchId && !batch.allocations.has(command.allocationId)) {
      throw ProjectErrors.allocationIdTaken(command.allocationId, taken.batchId);
    }

    const batchStream = fundBatchStreamId(batchId);
    const allocationOf = { allocationId: command.allocationId };
    let batchWrite: WriteResult | undefined;
    try {
      batchWrite = await this.batches.execute(batchStream, command, context);
    } catch (err) {
      // The same allocation sent again under another key (after a stop between the two writes, or
      // while its first sending is under way): the batch has it, so only the project's record may
      // be missing. Compared with what is stored now, not with the state read before the write.
      if (!(err instanceof DomainError && err.code === 'allocation-id-exists')) throw err;
      const prior = (await this.storedEvent(batchStream, FundBatchEventType.allocated, allocationOf))?.data as unknown as FundsAllocated | undefined;
      if (prior?.projectId !== command.projectId || fenOfStored(prior.amount) !== parseAmount(command.amount, 'amount')) throw err;
    }
    // The project's record is made from what the batch stored, so a repeat builds the same one.
    const allocated = await this.writtenEvent(batchStream, FundBatchEventType.allocated, allocationOf, batchWrite && context.commandId);
    const a = allocated.data as unknown as FundsAllocated;
    batchWrite ??= stored(allocated);
    const record: RecordAllocation = {
      type: 'RecordAllocation', projectId: command.projectId, batchId, allocationId: a.allocationId, source: batch.source,
      ...(batch.program !== undefined ? { program: batch.program } : {}), docNo: batch.docNo, fiscalYear: batch.fiscalYear,
      amount: a.amount, allocatedOn: a.allocatedOn,
    };
    // Hashed without projectId, as before commands named their project, so a repeat matches a stored record's hash.
    const { projectId: _named, ...hashed } = record;
    const recordContext = this.derivedContext(context, `allocation-recorded:${batchId}/${a.allocationId}`, hashed, allocated.eventId);
    try {
      const projectWrite = await this.projects.execute(projectStreamId(command.projectId), record as ProjectCommand, recordContext);
      return { batch: batchWrite, project: projectWrite };
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const holder = await this.storedEvent(projectStreamId(command.projectId), ProjectEventType.allocationRecorded, allocationOf);
      // Another sending of this allocation recorded it first (the optimistic writer can decide on a
      // stream that holds a command before it finds that command's id): answer with that record.
      if (holder?.data.batchId === batchId) return { batch: batchWrite, project: stored(holder) };
      // Not recorded, and not refused for ever (a write conflict, say): giving the room back now
      // would let a later repeat record the allocation on a batch that no longer holds it. The
      // batch's write stays; a repeat completes it, or is refused and gives the room back.
      if (holder === undefined) throw err;
      // The project holds the id from another batch (a race the check above could not see), and
      // an allocation id never leaves a project: give the batch its room back, so the two streams
      // agree, and answer with the project's reason. Also on a repeat (its derived id writes it once).
      await this.batches.execute(batchStream, {
        type: 'ReverseAllocation', reversalId: `undo-${command.allocationId}`.slice(0, 64), allocationId: command.allocationId,
        reason: `refused by project ${command.projectId}: ${err.code}`, reversedOn: command.allocatedOn,
      }, this.derivedContext(context, `allocation-undone:${batchId}/${command.allocationId}`, { batchId, allocationId: command.allocationId }, batchWrite.events[0].eventId));
      throw err;
    }
  }
}

@CommandHandler(ReverseAllocationCommand)
export class ReverseAllocationHandler extends TwoStreamHandler implements ICommandHandler<ReverseAllocationCommand, TwoStreamResult> {
  async execute({ batchId, command, context }: ReverseAllocationCommand): Promise<TwoStreamResult> {
    const { state: batch, revision } = await this.batchState(batchId);
    // If-Match names the batch's revision; the first write goes to the project, so it is checked here.
    if (context.ifMatch !== undefined && context.ifMatch !== revision) throw staleRevision(fundBatchStreamId(batchId), context.ifMatch, revision);
    const allocation = batch.allocations.get(command.allocationId);
    if (!allocation) throw FundBatchErrors.allocationNotFound(command.allocationId);
    const streamId = projectStreamId(allocation.projectId);

    const release: ReleaseAllocation = {
      type: 'ReleaseAllocation', projectId: allocation.projectId, batchId, allocationId: command.allocationId, reversalId: command.reversalId,
      ...(command.amount !== undefined ? { amount: command.amount } : {}), reason: command.reason, releasedOn: command.reversedOn,
    };
    const releaseOf = { batchId, allocationId: command.allocationId, reversalId: command.reversalId };
    let projectWrite: WriteResult | undefined;
    try {
      projectWrite = await this.projects.execute(streamId, release as ProjectCommand, { ...context, ifMatch: undefined });
    } catch (err) {
      // Sent again under another key (after a stop between the two writes, or while its first
      // sending is under way): the project already gave the allocation back under this reversal
      // id; complete the batch's side. Another reversal under the same id is refused.
      if (!(err instanceof DomainError && err.code === 'entry-id-exists')) throw err;
      const prior = (await this.storedEvent(streamId, ProjectEventType.allocationReleased, releaseOf))?.data as unknown as AllocationReleased | undefined;
      const same = prior !== undefined && (command.amount === undefined ? prior.full : fenOfStored(prior.amount) === parseAmount(command.amount, 'amount'));
      if (!same) throw err;
    }
    const released = await this.writtenEvent(streamId, ProjectEventType.allocationReleased, releaseOf, projectWrite && context.commandId);
    const r = released.data as unknown as AllocationReleased;
    projectWrite ??= stored(released);

    const reverse: ReverseAllocation = {
      type: 'ReverseAllocation', reversalId: command.reversalId, allocationId: r.allocationId, amount: r.amount, reason: r.reason, reversedOn: r.releasedOn,
    };
    const batchStream = fundBatchStreamId(batchId);
    try {
      const batchWrite = await this.batches.execute(
        batchStream, reverse,
        this.derivedContext(context, `allocation-reversed:${batchId}/${r.allocationId}/${r.reversalId}`, reverse, released.eventId),
      );
      return { batch: batchWrite, project: projectWrite };
    } catch (err) {
      // Another sending of this reversal completed the batch's side first (see AllocateFundsHandler).
      if (!(err instanceof DomainError && err.code === 'entry-id-exists')) throw err;
      const done = await this.storedEvent(batchStream, FundBatchEventType.allocationReversed, { allocationId: r.allocationId, reversalId: r.reversalId });
      if (!done || (done.data as unknown as AllocationReversed).amount !== r.amount) throw err;
      return { batch: stored(done), project: projectWrite };
    }
  }
}

function toDomain<E>(events: RecordedEvent[]): E[] {
  return events.map((e) => ({ type: e.type, data: e.data }) as unknown as E);
}

/** Whether `e` has this type and these values in its data. */
function isEvent(e: RecordedEvent, type: string, values: Record<string, string>): boolean {
  return e.type === type && Object.entries(values).every(([k, v]) => e.data[k] === v);
}

/** The answer for a write found already stored. */
function stored(e: RecordedEvent): WriteResult {
  return { streamId: e.streamId, revision: e.revision, position: e.position, events: [{ type: e.type, eventId: e.eventId }], replayed: true };
}
