/**
 * A large log written straight into a data directory's events.sqlite through the write path (the
 * deciders, group commit, the hash chain), as a service would have written it, but without HTTP:
 * thousands of receipts in a few seconds. It ends as a crash between the two writes of a flow
 * leaves a ledger: fund-batch allocations written to their batch, not yet recorded in their
 * project (the allocation reactor makes those second writes once a service runs on the log).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CommandContext, writerFor } from '../../../src/event-store/write-path';
import { SqliteEventStore } from '../../../src/event-store/sqlite/sqlite-event-store';
import { FundBatchCommand } from '../../../src/fund-batch/fund-batch.commands';
import { fundBatchDecider } from '../../../src/fund-batch/fund-batch.decider';
import { fundBatchStreamId } from '../../../src/fund-batch/fund-batch.events';
import { ProjectCommand } from '../../../src/project/project.commands';
import { receiveFundsCommand } from '../../../src/funding/receive-funds/receive-funds.dto';
import { registerProjectCommand } from '../../../src/funding/register-project/register-project.dto';
import { projectDecider } from '../../../src/project/project.decider';
import { projectStreamId } from '../../../src/project/project.events';
import { LEDGER_DATES, allocationBody, batchBody, projectBody, receiptBody } from './ledger-requests';

export interface SeededLog {
  projectIds: string[];
  batchId: string;
  /** Allocations written to the batch only: their project records are the reactor's to make. */
  pendingAllocationIds: string[];
}

/** The day the seeded log was recorded: that of its receipts, as if entered as the money came. */
const SEEDED_ON = LEDGER_DATES.received;
const SEED_ACTOR = { id: 'u-seed', role: 'finance', org: 'org-seed' };

/** How many commands are handed to the writer at once: it commits them in groups (write-path.ts, MAX_GROUP). */
const IN_FLIGHT = 1024;

export async function seedLargeLog(
  dataDir: string,
  options: { projects: number; receiptsPerProject: number; pendingAllocations: number },
): Promise<SeededLog> {
  mkdirSync(dataDir, { recursive: true });
  const store = new SqliteEventStore(join(dataDir, 'events.sqlite'));
  try {
    const projects = writerFor(store, projectDecider);
    const batches = writerFor(store, fundBatchDecider);
    let n = 0;
    const context = (): CommandContext => {
      n += 1;
      const commandId = `seed-${n}`;
      return {
        commandId,
        requestHash: `seed-request-${n}`,
        actor: SEED_ACTOR,
        correlationId: commandId,
        causationId: commandId,
        recordedAt: `${SEEDED_ON}T08:00:00.000Z`,
      };
    };
    const onProject = (c: ProjectCommand) => projects.execute(projectStreamId(c.projectId), c, context());
    const onBatch = (batchId: string, c: FundBatchCommand) => batches.execute(fundBatchStreamId(batchId), c, context());

    const projectIds = Array.from({ length: options.projects }, (_, i) => `SEED-${String(i + 1).padStart(3, '0')}`);
    await Promise.all(projectIds.map((id) => onProject(registerProjectCommand(projectBody(id)))));
    const receipts: ProjectCommand[] = [];
    for (const projectId of projectIds)
      for (let i = 0; i < options.receiptsPerProject; i++)
        receipts.push(receiveFundsCommand(projectId, receiptBody(`R-${projectId}-${i}`, i), SEEDED_ON));
    for (let i = 0; i < receipts.length; i += IN_FLIGHT)
      await Promise.all(receipts.slice(i, i + IN_FLIGHT).map(onProject));

    const batchId = 'SEED-BATCH';
    await onBatch(batchId, { type: 'IssueFundBatch', ...batchBody(batchId), recordedOn: LEDGER_DATES.allocated });
    const pendingAllocationIds: string[] = [];
    for (let i = 0; i < options.pendingAllocations; i++) {
      const allocationId = `SA-${i}`;
      pendingAllocationIds.push(allocationId);
      await onBatch(batchId, {
        type: 'AllocateFunds',
        ...allocationBody(allocationId, projectIds[i % projectIds.length], i),
        recordedOn: LEDGER_DATES.allocated,
      });
    }
    return { projectIds, batchId, pendingAllocationIds };
  } finally {
    await store.close();
  }
}
