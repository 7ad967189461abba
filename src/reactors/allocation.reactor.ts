import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK } from '../config/clock.provider';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { readVerifiedStream } from '../event-store/integrity';
import { LedgerEvent, ledgerEvents } from '../events/ledger-events';
import {
  FundBatchEventType,
  FundsAllocated,
  fundBatchEvents,
  fundBatchStreamId,
} from '../fund-batch/fund-batch.events';
import { FUND_BATCH_WRITER, FundBatchWriter } from '../funding/fund-batches/fund-batch-writer';
import { PROJECT_WRITER, ProjectWriter } from '../funding/project-command.handler';
import { ProjectEventType, projectEvents, projectStreamId } from '../project/project.events';
import { DomainError, assert, assertNever } from '../shared/domain/domain-error';
import { ParsedRecordWithMetadata } from '../shared/events/parsed-record';
import { Clock } from '../shared/time/clock';
import {
  allocationRecordOf,
  batchReversalCommandId,
  batchReversalOf,
  compensationCommandId,
  compensationOf,
  derivedContext,
  recordCommandId,
} from './allocation-flow';
import { Reactor } from './reactor-runner';

const HANDLES = [FundBatchEventType.allocated, ProjectEventType.allocationReleased] as const;
/** An event of the flow's first writes, as the runner hands it. */
type FlowEvent<T extends (typeof HANDLES)[number] = (typeof HANDLES)[number]> = ParsedRecordWithMetadata<
  Extract<LedgerEvent, { type: T }>
>;

/**
 * The allocation flow's second writes (docs/internals.md, "Allocations across two streams"). An allocation is written to the
 * batch first (it takes the room) and recorded in the project second (until then no receipt can
 * draw on it); a reversal is written to the project first (no receipt can draw on that part any
 * more) and to the batch second (which frees the room). No transaction spans two streams (none
 * does on EventStoreDB), so the second write follows the first here, from the log:
 *
 * - `funds-allocated.v1` → the project records its copy (`RecordAllocation`). If the project
 *   refuses it for good (its allocation id taken by another batch in a race the HTTP check could
 *   not see), the batch gets its room back by a compensating reversal;
 * - `allocation-released.v1` → the batch reverses the same amount (`ReverseAllocation`).
 *
 * The HTTP handler checked both streams' rules before the first write, so the second is refused
 * only by a race (the allocation id) or by history the checks never saw.
 */
@Injectable()
export class AllocationReactor implements Reactor {
  readonly name = 'allocation-flow';
  readonly events = ledgerEvents;
  readonly handles = HANDLES;
  private readonly logger = new Logger('allocation reactor');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(FUND_BATCH_WRITER) private readonly batches: FundBatchWriter,
    @Inject(PROJECT_WRITER) private readonly projects: ProjectWriter,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async handle(event: FlowEvent): Promise<void> {
    switch (event.type) {
      case FundBatchEventType.allocated:
        return this.recordInProject(event);
      case ProjectEventType.allocationReleased:
        return this.reverseInBatch(event);
      default:
        return assertNever(event, 'event');
    }
  }

  private async recordInProject(event: FlowEvent<typeof FundBatchEventType.allocated>): Promise<void> {
    const allocated = event.data;
    const batchStream = fundBatchStreamId(allocated.batchId);
    const [opening] = await this.store.readStream(batchStream, 0n, 1);
    const issue = opening && fundBatchEvents.parse(opening);
    assert(issue?.type === FundBatchEventType.issued, `${batchStream} opens with its issue`);
    const record = allocationRecordOf(issue.data, allocated);
    const context = derivedContext(
      event,
      recordCommandId(allocated.batchId, allocated.allocationId),
      record,
      this.now(),
    );
    try {
      await this.projects.execute(projectStreamId(allocated.projectId), record, context);
    } catch (err) {
      if (!refusedForGood(err)) throw err;
      // Recorded already from this batch (under this id or another, as by an earlier version of the
      // flow): nothing is missing. Otherwise the room goes back to the batch, once (derived id).
      if ((await this.recordedBatch(allocated)) === allocated.batchId) return;
      await this.settle(`the compensation of ${allocated.allocationId} in ${batchStream}`, () =>
        this.batches.execute(
          batchStream,
          compensationOf(allocated, err.code),
          derivedContext(
            event,
            compensationCommandId(allocated.batchId, allocated.allocationId),
            { batchId: allocated.batchId, allocationId: allocated.allocationId },
            this.now(),
          ),
        ),
      );
    }
  }

  private async reverseInBatch(event: FlowEvent<typeof ProjectEventType.allocationReleased>): Promise<void> {
    const released = event.data;
    const reversal = batchReversalOf(released);
    const commandId = batchReversalCommandId(released.batchId, released.allocationId, released.reversalId);
    // The batch can refuse only a release the flow never checked against it (history from before
    // the flow did): the project's release is final, and the flow goes on with the next events.
    await this.settle(
      `the reversal ${released.reversalId} of ${released.allocationId} in ${fundBatchStreamId(released.batchId)}`,
      () =>
        this.batches.execute(
          fundBatchStreamId(released.batchId),
          reversal,
          derivedContext(event, commandId, reversal, this.now()),
        ),
    );
  }

  /** Runs a write whose refusal nothing can undo: a refusal for good is logged, the rest thrown (offered again). */
  private async settle(what: string, write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (err) {
      if (!refusedForGood(err)) throw err;
      this.logger.error(
        `${what} was refused for good (${err.code}: ${err.message}); the two streams disagree until it is corrected`,
      );
    }
  }

  /** The batch whose allocation the project holds under this id, if any. */
  private async recordedBatch(allocated: FundsAllocated): Promise<string | undefined> {
    for (const stored of await readVerifiedStream(this.store, projectStreamId(allocated.projectId))) {
      const e = projectEvents.parse(stored);
      if (e.type === ProjectEventType.allocationRecorded && e.data.allocationId === allocated.allocationId)
        return e.data.batchId;
    }
    return undefined;
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}

/**
 * A rule refused the write: trying again changes nothing. A write conflict (409 `write-conflict`)
 * may pass; a stream found broken (409 `chain-broken`) is decided on by no one, so the flow holds
 * there (offered again) until it reads whole, restored from a good copy: giving the room back or
 * dropping the step would be a decision taken on it.
 */
export function refusedForGood(err: unknown): err is DomainError {
  return err instanceof DomainError && err.code !== 'write-conflict' && err.code !== 'chain-broken' && err.status < 500;
}
