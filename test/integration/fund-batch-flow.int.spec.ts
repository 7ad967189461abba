/**
 * The fund-batch flow against the real embedded store, through both appenders: the
 * OptimisticWriter (the EventStoreDB path: a lost race is a real revision conflict, decided again)
 * and the GroupCommitWriter. Two "processes" (their own writers, caches,
 * connections to one file and allocation reactors with their own checkpoints) take turns with the
 * requests. Two rules live in two streams: a batch's allocations never exceed it, and receipts
 * never exceed what remains of an allocation. The request makes the first write and the
 * allocation reactor the second, so:
 *
 * - the rules hold when requests race, and every rule the second write checks is checked before
 *   the first, so a refusal writes nothing in either stream;
 * - a process stopped between the two writes (its reactor not run) leaves the second to the next
 *   reactor that runs, which makes it once, under its derived command id, without any request;
 * - a project that refuses its record for good gets the batch its room back.
 *
 * Last, the same through the service itself: a Nest app on a file-backed store, stopped between
 * the two writes and started again, and its answers (201 both written, 202 the second pending).
 */
import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/config';
import { EVENT_STORE, EventStore, RecordedEvent } from '../../src/event-store/event-store.port';
import {
  CommandContext,
  GroupCommitWriter,
  OptimisticWriter,
  WriteResult,
  Writer,
  writerFor,
} from '../../src/event-store/write-path';
import { canonicalJson, sha256Hex } from '../../src/event-store/hashing';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { AllocateFunds, FundBatchCommand, ReverseAllocation } from '../../src/fund-batch/fund-batch.commands';
import { FundBatchState, fundBatchDecider } from '../../src/fund-batch/fund-batch.decider';
import { FundBatchEvent, FundBatchEventType, fundBatchStreamId } from '../../src/fund-batch/fund-batch.events';
import { FundBatchWriter } from '../../src/funding/fund-batches/fund-batch-writer';
import { FiscalYearQueries } from '../../src/funding/fiscal-years/fiscal-year-queries';
import {
  AllocateFundsCommand,
  AllocateFundsHandler,
  FlowWrite,
  IssueFundBatchCommand,
  IssueFundBatchHandler,
  ReverseAllocationCommand,
  ReverseAllocationHandler,
  TwoStreamResult,
  isPending,
} from '../../src/funding/fund-batches/fund-batch.handlers';
import { ProjectWriter } from '../../src/funding/project-command.handler';
import { ProjectCommand, ReceiveFunds, ReleaseAllocation } from '../../src/project/project.commands';
import { ProjectState, projectDecider } from '../../src/project/project.decider';
import { ProjectEvent, ProjectEventType, projectStreamId } from '../../src/project/project.events';
import { ALLOCATION_REACTOR } from '../../src/reactors/allocation-reactor.providers';
import { batchReversalCommandId, compensationCommandId, recordCommandId } from '../../src/reactors/allocation-flow';
import { AllocationReactor } from '../../src/reactors/allocation.reactor';
import { ReactorCheckpoints } from '../../src/reactors/reactor-checkpoints';
import { ReactorRunner } from '../../src/reactors/reactor-runner';
import { ledgerEvents } from '../../src/events/ledger-events';
import { parseRecord } from '../../src/shared/events/parsed-record';
import { Decider, foldStored } from '../../src/shared/domain/decider';
import { DomainError } from '../../src/shared/domain/domain-error';
import { systemClock } from '../../src/shared/time/clock';
import { TOKENS } from '../e2e/support/test-app';
import { LogIndex } from '../../src/event-store/log-index';

type WriterKind = 'OptimisticWriter' | 'GroupCommitWriter';

function writerOf<S, C, E extends FundBatchEvent | ProjectEvent>(
  kind: WriterKind,
  store: SqliteEventStore,
  decider: Decider<S, C, E>,
): Writer<S, C> {
  return kind === 'OptimisticWriter'
    ? new OptimisticWriter<S, C, E>(store, decider)
    : new GroupCommitWriter<S, C, E>(store, decider);
}

/** One service process: its own connection, writers (and their caches), handlers and allocation reactor. */
interface Process {
  store: SqliteEventStore;
  batches: FundBatchWriter;
  projects: ProjectWriter;
  reactor: ReactorRunner;
  issue: IssueFundBatchHandler;
  allocate: AllocateFundsHandler;
  reverse: ReverseAllocationHandler;
}

interface ProcessOptions {
  /** Whether its reactor runs (a process stopped before its reactor ran has one that does not). */
  reacting?: boolean;
  batches?: (writer: FundBatchWriter) => FundBatchWriter;
  projects?: (writer: ProjectWriter) => ProjectWriter;
}

/** A writer that runs `instead` (and not the write) for the first command `matches` picks; `instead` may throw. */
function onFirst<S, C>(
  writer: Writer<S, C>,
  matches: (command: C) => boolean,
  instead: (command: C) => Promise<void>,
): Writer<S, C> {
  let done = false;
  return {
    async execute(streamId, command, ctx) {
      if (!done && matches(command)) {
        done = true;
        await instead(command);
      }
      return writer.execute(streamId, command, ctx);
    },
  };
}

/** A writer that runs `then` right after the first command `matches` picks was written. */
function afterFirst<S, C>(
  writer: Writer<S, C>,
  matches: (command: C) => boolean,
  then: () => Promise<void>,
): Writer<S, C> {
  let done = false;
  return {
    async execute(streamId, command, ctx) {
      const result = await writer.execute(streamId, command, ctx);
      if (!done && matches(command)) {
        done = true;
        await then();
      }
      return result;
    },
  };
}

let n = 0;
/** The context a request brings: its Idempotency-Key (or a fresh one) and the hash of the request. */
function requestContext(request: unknown, key = `key-${++n}`): CommandContext {
  return {
    commandId: key,
    requestHash: sha256Hex(canonicalJson(request)),
    actor: { id: 'finance-1', role: 'finance', org: 'Tongnan finance bureau' },
    correlationId: key,
    causationId: key,
    recordedAt: '2022-01-01T00:00:00.000Z',
  };
}

const BATCH = 'YCJ2021-88';
const OTHER_BATCH = 'TNCZ2021-30';

const allocation = (allocationId: string, projectId: string, amount: string): AllocateFunds => ({
  type: 'AllocateFunds',
  allocationId,
  projectId,
  amount,
  allocatedOn: '2021-06-10',
  recordedOn: '2022-01-01',
});
const reversal = (
  reversalId: string,
  allocationId: string,
  amount?: string,
  reversedOn = '2021-08-01',
): ReverseAllocation => ({
  type: 'ReverseAllocation',
  reversalId,
  allocationId,
  ...(amount !== undefined ? { amount } : {}),
  reason: '调整',
  reversedOn,
});
const receipt = (receiptId: string, allocationId: string, amount: string): ReceiveFunds => ({
  type: 'ReceiveFunds',
  projectId: 'TN-A',
  receiptId,
  source: 'central_fiscal_subsidy',
  amount,
  payer: '潼南区财政局',
  reference: '国库拨款',
  receivedOn: '2021-07-01',
  fiscalYear: 2021,
  allocationId,
  details: {},
  recordedOn: '2021-07-01',
});

function allocate(p: Process, batchId: string, command: AllocateFunds, key?: string): Promise<TwoStreamResult> {
  return p.allocate.execute(
    new AllocateFundsCommand(batchId, command, requestContext({ route: 'allocations', batchId, command }, key)),
  );
}
function reverse(p: Process, batchId: string, command: ReverseAllocation, key?: string): Promise<TwoStreamResult> {
  return p.reverse.execute(
    new ReverseAllocationCommand(batchId, command, requestContext({ route: 'reversals', batchId, command }, key)),
  );
}
function receive(p: Process, projectId: string, command: ReceiveFunds): Promise<WriteResult> {
  const named = { ...command, projectId };
  return p.projects.execute(
    projectStreamId(projectId),
    named,
    requestContext({ route: 'receipts', projectId, command: named }),
  );
}

async function issueBatch(
  p: Process,
  batchId: string,
  amount: string,
  source = 'central_fiscal_subsidy',
): Promise<void> {
  const command: FundBatchCommand = {
    type: 'IssueFundBatch',
    batchId,
    source,
    docNo: '渝财建〔2021〕88号',
    fiscalYear: 2021,
    amount,
    issuedOn: '2021-06-01',
    recordedOn: '2022-01-01',
  };
  await p.issue.execute(new IssueFundBatchCommand(command, requestContext(command)));
}
async function registerProject(p: Process, projectId: string): Promise<void> {
  const command: ProjectCommand = {
    type: 'RegisterProject',
    projectId,
    name: projectId,
    community: 'c',
    town: 't',
    builtYear: 1995,
    buildingArea: 5000,
    households: 80,
  };
  await p.projects.execute(projectStreamId(projectId), command, requestContext(command));
}

/** The codes of the refusals, and any failure that is not a DomainError as it is. */
function refusals(settled: PromiseSettledResult<unknown>[]): string[] {
  return settled
    .filter((s): s is PromiseRejectedResult => s.status === 'rejected')
    .map((s) => {
      if (!(s.reason instanceof DomainError)) throw s.reason;
      return s.reason.code;
    });
}

/** A write of the flow that must be made. */
function written(write: FlowWrite): WriteResult {
  if (isPending(write)) throw new Error(`the write to ${write.streamId} is pending`);
  return write;
}

/** How long a test waits for a reactor to get somewhere before it fails (a bound, not a measure). */
const REACTOR_DEADLINE_MS = 30_000;

describe.each<WriterKind>(['OptimisticWriter', 'GroupCommitWriter'])('the fund-batch flow on the %s', (kind) => {
  let dir: string;
  let file: string;
  const opened: SqliteEventStore[] = [];
  const runners: ReactorRunner[] = [];
  const yearIndexes: FiscalYearQueries[] = [];
  let a: Process;
  let b: Process;

  /** A process on its own connection to the store, its reactor's checkpoint in a file of its own. */
  function startProcess({ reacting = true, ...wrap }: ProcessOptions = {}): Process {
    const store = new SqliteEventStore(file);
    opened.push(store);
    const batches = (wrap.batches ?? ((w) => w))(writerOf(kind, store, fundBatchDecider));
    const projects = (wrap.projects ?? ((w) => w))(writerOf(kind, store, projectDecider));
    const reactor = new ReactorRunner(
      store,
      new AllocationReactor(store, batches, projects, systemClock),
      new ReactorCheckpoints(join(dir, `read-model-${runners.length}.sqlite`)),
    );
    runners.push(reactor);
    if (reacting) reactor.start();
    const years = new FiscalYearQueries(store, new LogIndex(store));
    yearIndexes.push(years);
    return {
      store,
      batches,
      projects,
      reactor,
      issue: new IssueFundBatchHandler(batches, years),
      allocate: new AllocateFundsHandler(store, batches, projects, reactor, years),
      reverse: new ReverseAllocationHandler(store, batches, projects, reactor, years),
    };
  }

  const events = (streamId: string) => a.store.readStream(streamId);
  const batchState = async (batchId: string): Promise<FundBatchState> =>
    foldStored(fundBatchDecider, await events(fundBatchStreamId(batchId)));
  const projectState = async (projectId: string): Promise<ProjectState> =>
    foldStored(projectDecider, await events(projectStreamId(projectId)));
  const ofType = async (streamId: string, type: string) => (await events(streamId)).filter((e) => e.type === type);
  const head = () => a.store.headPosition();

  /** Every running reactor has handled everything written so far (and so made every second write). */
  async function reactorsDone(): Promise<void> {
    const position = await head();
    for (const runner of runners.filter((r) => r.running()))
      expect(await runner.waitFor(position, REACTOR_DEADLINE_MS)).toBe(true);
  }
  const stopReactors = () => Promise.all([a.reactor.stop(), b.reactor.stop()]);
  /** A process started after the stop: its reactor runs from the first event (a checkpoint of its own), until it has handled everything. */
  async function restarted(): Promise<Process> {
    const p = startProcess();
    await reactorsDone();
    return p;
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fund-batch-flow-'));
    file = join(dir, 'events.sqlite');
    a = startProcess();
    b = startProcess();
    for (const id of ['TN-A', 'TN-B', 'TN-C', 'TN-D']) await registerProject(a, id);
  });
  afterEach(async () => {
    for (const runner of runners.splice(0)) await runner.close();
    for (const years of yearIndexes.splice(0)) await years.beforeApplicationShutdown();
    for (const store of opened.splice(0)) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('racing requests', () => {
    const projects = ['TN-A', 'TN-B', 'TN-C', 'TN-D'];
    /** 20 allocations of a tenth of the batch, sent at once through both processes. */
    async function twentyTenths(): Promise<PromiseSettledResult<TwoStreamResult>[]> {
      await issueBatch(a, BATCH, '1000000.00');
      const settled = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          allocate(i % 2 ? b : a, BATCH, allocation(`A${i}`, projects[i % 4], '100000.00')),
        ),
      );
      await reactorsDone();
      return settled;
    }
    /** 30 receipts of a twentieth of an allocation, sent at once through both processes. */
    async function thirtyTwentieths(): Promise<PromiseSettledResult<WriteResult>[]> {
      await issueBatch(a, BATCH, '1000000.00');
      await allocate(a, BATCH, allocation('A1', 'TN-A', '1000.00'));
      await reactorsDone();
      return Promise.allSettled(
        Array.from({ length: 30 }, (_, i) => receive(i % 2 ? b : a, 'TN-A', receipt(`R${i}`, 'A1', '50.00'))),
      );
    }
    // A request that lost its race is decided again on the new state, so racing requests are only
    // ever refused by a rule. Each writer runs its own process's commands on one stream one after
    // the other, so only the other process's writes can make an append lose. Both processes'
    // reactors make every second write, so those race too.

    it('allocations sent at once never take more than the batch, and each written one is recorded once on its project', async () => {
      const settled = await twentyTenths();

      for (const code of refusals(settled)) expect(code).toBe('allocation-exceeds-batch');
      const batch = await batchState(BATCH);
      const written = (await ofType(fundBatchStreamId(BATCH), FundBatchEventType.allocated)).map(
        (e) => e.data.allocationId,
      );
      const fulfilled = settled.flatMap((s, i) => (s.status === 'fulfilled' ? [`A${i}`] : []));
      expect([...written].sort()).toEqual([...fulfilled].sort());
      expect(batch.allocatedFen).toBe(BigInt(fulfilled.length) * 100000_00n);
      expect(batch.allocatedFen).toBeLessThanOrEqual(batch.amountFen);
      // Each written allocation is recorded once on its own project, and no refused one anywhere.
      const recorded = (
        await Promise.all(projects.map((id) => ofType(projectStreamId(id), ProjectEventType.allocationRecorded)))
      )
        .flat()
        .map((e) => `${e.data.allocationId}@${e.streamId}`);
      expect(recorded.sort()).toEqual(
        fulfilled.map((id) => `${id}@project-${projects[Number(id.slice(1)) % 4]}`).sort(),
      );
    });

    it('of 20 allocations of a tenth of the batch sent at once, exactly 10 are written', async () => {
      const settled = await twentyTenths();
      expect(refusals(settled)).toEqual(Array(10).fill('allocation-exceeds-batch'));
      const batch = await batchState(BATCH);
      expect(batch.allocatedFen).toBe(batch.amountFen);
    });

    it('receipts sent at once on one allocation never exceed it', async () => {
      const settled = await thirtyTwentieths();

      for (const code of refusals(settled)) expect(code).toBe('receipt-exceeds-allocation');
      const a1 = (await projectState('TN-A')).allocations.get('A1')!;
      const fulfilled = settled.filter((s) => s.status === 'fulfilled').length;
      expect(a1.receivedFen).toBe(BigInt(fulfilled) * 50_00n);
      expect(a1.receivedFen).toBeLessThanOrEqual(a1.amountFen);
      expect(await ofType(projectStreamId('TN-A'), ProjectEventType.received)).toHaveLength(fulfilled);
    });

    it('of 30 receipts of a twentieth of an allocation sent at once, exactly 20 are written', async () => {
      const settled = await thirtyTwentieths();
      expect(refusals(settled)).toEqual(Array(10).fill('receipt-exceeds-allocation'));
      const a1 = (await projectState('TN-A')).allocations.get('A1')!;
      expect(a1.receivedFen).toBe(a1.amountFen);
    });

    it('a receipt and a reversal racing on one allocation never both take the same money', async () => {
      // 1,000.00 each: a receipt of 600.00 and a reversal of 600.00 cannot both fit. Eight rounds at
      // once, each on its own allocation (two per project, so no stream has more racing writers
      // than the CommandWriter's attempts), with the two requests on either process.
      await issueBatch(a, BATCH, '10000.00');
      const projectOf = (i: number) => projects[i % 4];
      for (let i = 0; i < 8; i++) await allocate(a, BATCH, allocation(`A${i}`, projectOf(i), '1000.00'));
      await reactorsDone();
      const rounds = await Promise.all(
        Array.from({ length: 8 }, (_, i) => {
          const [first, second] = i % 2 ? [a, b] : [b, a];
          return Promise.allSettled([
            receive(first, projectOf(i), receipt(`R${i}`, `A${i}`, '600.00')),
            reverse(second, BATCH, reversal(`AR${i}`, `A${i}`, '600.00')),
          ]);
        }),
      );
      await reactorsDone();

      for (const round of rounds) {
        expect(round.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
        expect(['receipt-exceeds-allocation', 'allocation-drawn']).toContain(refusals(round)[0]);
      }
      const batch = await batchState(BATCH);
      for (let i = 0; i < 8; i++) {
        const onProject = (await projectState(projectOf(i))).allocations.get(`A${i}`)!;
        expect(onProject.receivedFen + onProject.releasedFen).toBeLessThanOrEqual(onProject.amountFen);
        // What the project gave back is what the batch got back: the two streams agree.
        expect(batch.allocations.get(`A${i}`)!.reversedFen).toBe(onProject.releasedFen);
      }
    });

    it('allocations and reversals racing on one batch never take more than the batch', async () => {
      // 600.00 of 1,000.00 allocated; 300.00 given back while four new allocations of 200.00 are
      // sent (seven racing writers on the batch, counting the reactors' reversals): two or three of
      // them fit, never all four.
      await issueBatch(a, BATCH, '1000.00');
      for (let i = 0; i < 3; i++) await allocate(a, BATCH, allocation(`A${i}`, 'TN-A', '200.00'));
      await reactorsDone();
      const settled = await Promise.allSettled([
        ...Array.from({ length: 3 }, (_, i) => reverse(i % 2 ? a : b, BATCH, reversal(`AR${i}`, `A${i}`, '100.00'))),
        ...Array.from({ length: 4 }, (_, i) => allocate(i % 2 ? b : a, BATCH, allocation(`N${i}`, 'TN-B', '200.00'))),
      ]);
      await reactorsDone();

      expect(settled.slice(0, 3).map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
      expect(refusals(settled).length).toBeGreaterThanOrEqual(1);
      // Refused for the batch's total, or, once the batch has the reversals (dated after the new
      // allocations), for its room on the allocation's date.
      for (const code of refusals(settled))
        expect(['allocation-exceeds-batch', 'insufficient-funds-at-date']).toContain(code);
      const batch = await batchState(BATCH);
      const granted = settled.slice(3).filter((s) => s.status === 'fulfilled').length;
      expect(batch.allocatedFen).toBe(300_00n + BigInt(granted) * 200_00n);
      expect(batch.allocatedFen).toBeLessThanOrEqual(batch.amountFen);
      expect((await projectState('TN-B')).allocations.size).toBe(granted);
    });

    // In one process, flows on one project check and write one at a time, each after the reactor
    // made the second writes before it: the loser of a race for an allocation id writes nothing.
    it('two batches allocating one allocation id to one project at once in one process: one is refused (allocation-id-exists) and its batch has nothing written', async () => {
      await issueBatch(a, BATCH, '1000.00');
      await issueBatch(a, OTHER_BATCH, '1000.00');
      const before = await head();
      const settled = await Promise.allSettled([
        allocate(a, BATCH, allocation('A1', 'TN-A', '100.00')),
        allocate(a, OTHER_BATCH, allocation('A1', 'TN-A', '200.00')),
      ]);
      await reactorsDone();

      expect(settled.map((s) => s.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(refusals(settled)).toEqual(['allocation-id-exists']);
      const loser = settled[0].status === 'rejected' ? BATCH : OTHER_BATCH;
      expect((await events(fundBatchStreamId(loser))).filter((e) => e.position > before)).toEqual([]);
      expect(await ofType(fundBatchStreamId(loser), FundBatchEventType.allocationReversed)).toEqual([]);
      expect((await projectState('TN-A')).allocations.size).toBe(1);
    });
  });

  describe('every rule of the second write is checked before the first', () => {
    /** A1 (400.00 of 1,000.00, dated 2021-06-10) made in both streams. */
    async function allocated(): Promise<void> {
      await issueBatch(a, BATCH, '1000.00');
      written((await allocate(a, BATCH, allocation('A1', 'TN-A', '400.00'))).project);
      await reactorsDone();
    }

    it('a reversal dated before its allocation is refused (date-before-allocation) and writes nothing in either stream', async () => {
      await allocated();
      const before = await head();
      await expect(reverse(a, BATCH, reversal('AR1', 'A1', '100.00', '2021-06-09'))).rejects.toMatchObject({
        code: 'date-before-allocation',
        status: 422,
        field: 'reversedOn',
      });
      expect(await head()).toBe(before);
      // Corrected, it is made in both streams, which agree.
      await reverse(a, BATCH, reversal('AR1', 'A1', '100.00', '2021-06-10'));
      await reactorsDone();
      expect((await batchState(BATCH)).allocations.get('A1')!.reversedFen).toBe(100_00n);
      expect((await projectState('TN-A')).allocations.get('A1')!.releasedFen).toBe(100_00n);
    });

    describe("the batch's rules, also where its stream says more than the project's", () => {
      // History the flow never checked (a stream written before it did): the batch holds a reversal
      // of A1 its project does not. Written straight to the batch, with the reactors stopped.
      async function batchAhead(): Promise<void> {
        await allocated();
        await stopReactors();
        await a.batches.execute(fundBatchStreamId(BATCH), reversal('AR1', 'A1', '300.00'), requestContext('legacy'));
      }

      it('a reversal id the batch used on the allocation is refused (entry-id-exists) and writes nothing', async () => {
        await batchAhead();
        const before = await head();
        await expect(reverse(a, BATCH, reversal('AR1', 'A1', '50.00'))).rejects.toMatchObject({
          code: 'entry-id-exists',
          field: 'reversalId',
        });
        expect(await head()).toBe(before);
      });

      it('more than remains of the allocation in the batch is refused (reversal-exceeds-entry) and writes nothing', async () => {
        await batchAhead();
        const before = await head();
        // The project would give back 200.00 of its 400.00; the batch has only 100.00 left.
        await expect(reverse(a, BATCH, reversal('AR2', 'A1', '200.00'))).rejects.toMatchObject({
          code: 'reversal-exceeds-entry',
        });
        expect(await head()).toBe(before);
      });
    });

    it('an allocation id another batch holds in the project is refused (allocation-id-exists) and writes nothing', async () => {
      await issueBatch(a, BATCH, '1000.00');
      await issueBatch(a, OTHER_BATCH, '1000.00');
      written((await allocate(a, OTHER_BATCH, allocation('A1', 'TN-A', '50.00'))).project);
      await reactorsDone();
      const before = await head();
      const err = await allocate(b, BATCH, allocation('A1', 'TN-A', '400.00')).catch((e) => e);
      expect(err).toMatchObject({ code: 'allocation-id-exists', status: 409, field: 'allocationId' });
      expect(err.message).toContain(OTHER_BATCH);
      expect(await head()).toBe(before);
    });

    it('an allocation to a project not registered is refused (project-not-found) and writes nothing', async () => {
      await issueBatch(a, BATCH, '1000.00');
      const before = await head();
      await expect(allocate(a, BATCH, allocation('A1', 'TN-NONE', '400.00'))).rejects.toMatchObject({
        code: 'project-not-found',
        status: 404,
      });
      expect(await head()).toBe(before);
    });
  });

  describe('a stop between the two writes of an allocation', () => {
    /** The batch's write made by a process whose reactor does not run: the answer says the project's is pending. */
    async function halfWritten(key: string): Promise<void> {
      await issueBatch(a, BATCH, '1000.00');
      await stopReactors();
      const answer = await allocate(a, BATCH, allocation('A1', 'TN-A', '400.00'), key);
      expect(answer.project).toEqual({ streamId: projectStreamId('TN-A'), status: 'pending' });
      expect(await ofType(fundBatchStreamId(BATCH), FundBatchEventType.allocated)).toHaveLength(1);
      expect(await ofType(projectStreamId('TN-A'), ProjectEventType.allocationRecorded)).toHaveLength(0);
    }

    /** The stored events of the allocation, once each: the record under its derived command id, caused by the batch's event. */
    async function expectCompletedOnce(): Promise<{ allocated: RecordedEvent; recorded: RecordedEvent }> {
      const allocated = await ofType(fundBatchStreamId(BATCH), FundBatchEventType.allocated);
      const recorded = await ofType(projectStreamId('TN-A'), ProjectEventType.allocationRecorded);
      expect(allocated).toHaveLength(1);
      expect(recorded).toHaveLength(1);
      expect(recorded[0].data).toMatchObject({
        batchId: BATCH,
        allocationId: 'A1',
        amount: '400.00',
        source: 'central_fiscal_subsidy',
      });
      expect(recorded[0].metadata).toMatchObject({
        commandId: recordCommandId(BATCH, 'A1'),
        causationId: allocated[0].eventId,
        correlationId: allocated[0].metadata.correlationId,
        actor: allocated[0].metadata.actor,
      });
      expect((await batchState(BATCH)).allocatedFen).toBe(400_00n);
      return { allocated: allocated[0], recorded: recorded[0] };
    }

    it('the next reactor to run records it on the project once, without any request', async () => {
      await halfWritten('alloc-1');
      await restarted();
      await expectCompletedOnce();
    });

    it('sent again with its Idempotency-Key afterwards, it answers both writes and writes nothing', async () => {
      await halfWritten('alloc-1');
      const c = await restarted();
      const { allocated, recorded } = await expectCompletedOnce();
      const before = await head();
      const again = await allocate(c, BATCH, allocation('A1', 'TN-A', '400.00'), 'alloc-1');
      expect(again.batch).toMatchObject({
        replayed: true,
        revision: allocated.revision,
        events: [{ eventId: allocated.eventId }],
      });
      expect(again.project).toMatchObject({
        streamId: projectStreamId('TN-A'),
        revision: recorded.revision,
        events: [{ eventId: recorded.eventId }],
      });
      expect(await head()).toBe(before);
    });

    it('reactors of two processes at once record it once', async () => {
      await halfWritten('alloc-1');
      a.reactor.start();
      b.reactor.start();
      await reactorsDone();
      await expectCompletedOnce();
    });

    it('a reactor that lost its checkpoint handles the allocation again and still records it once', async () => {
      await halfWritten('alloc-1');
      await restarted();
      await restarted(); // its checkpoint file empty: from the first event on
      await expectCompletedOnce();
    });

    it('sent again under another key, it is refused as the same allocation id, and the reactor still completes the first', async () => {
      await halfWritten('alloc-1');
      await expect(allocate(b, BATCH, allocation('A1', 'TN-A', '400.00'), 'alloc-1-retry')).rejects.toMatchObject({
        code: 'allocation-id-exists',
      });
      await restarted();
      await expectCompletedOnce();
    });

    it('another allocation under the same id, sent after the stop, is refused and completes nothing', async () => {
      await halfWritten('alloc-1');
      await expect(allocate(b, BATCH, allocation('A1', 'TN-A', '300.00'))).rejects.toMatchObject({
        code: 'allocation-id-exists',
      });
      await expect(allocate(b, BATCH, allocation('A1', 'TN-B', '400.00'))).rejects.toMatchObject({
        code: 'allocation-id-exists',
      });
      await restarted();
      await expectCompletedOnce();
      expect(await ofType(projectStreamId('TN-B'), ProjectEventType.allocationRecorded)).toHaveLength(0);
    });
  });

  describe("the project's record failing for a reason that may pass", () => {
    // Were the room given back here, the project could record an allocation the batch no longer
    // holds, and the batch could allocate the same money twice. A stream found broken is decided on
    // by no one: after a restore from a good copy the project may well take the record.
    it.each([
      ['a write conflict', 'write-conflict', 'stream changed under 8 attempts in a row; try again'],
      ['its stream found broken', 'chain-broken', 'project-TN-A: the event at revision 1 does not verify'],
    ])('(%s) is tried again by the reactor, never giving the room back', async (_, code, message) => {
      await issueBatch(a, BATCH, '1000.00');
      await stopReactors();
      const refusedOnce = startProcess({
        projects: (w) =>
          onFirst(
            w,
            (c) => c.type === 'RecordAllocation',
            async () => {
              throw new DomainError(code, message, 409);
            },
          ),
      });
      await allocate(refusedOnce, BATCH, allocation('A1', 'TN-A', '400.00'));
      await reactorsDone();

      expect(await ofType(fundBatchStreamId(BATCH), FundBatchEventType.allocationReversed)).toHaveLength(0);
      expect((await batchState(BATCH)).allocatedFen).toBe(400_00n);
      expect((await projectState('TN-A')).allocations.get('A1')!.amountFen).toBe(400_00n);
      await expect(allocate(b, BATCH, allocation('A2', 'TN-B', '600.01'))).rejects.toMatchObject({
        code: 'allocation-exceeds-batch',
      });
    });
  });

  describe('a stop between the two writes of a reversal', () => {
    /** The project's release made by a process whose reactor does not run: the answer says the batch's is pending. */
    async function halfReversed(key: string): Promise<void> {
      await issueBatch(a, BATCH, '1000.00');
      await allocate(a, BATCH, allocation('A1', 'TN-A', '400.00'));
      await reactorsDone();
      await stopReactors();
      const answer = await reverse(a, BATCH, reversal('AR1', 'A1', '150.00'), key);
      expect(answer.batch).toEqual({ streamId: fundBatchStreamId(BATCH), status: 'pending' });
      expect(await ofType(projectStreamId('TN-A'), ProjectEventType.allocationReleased)).toHaveLength(1);
      expect(await ofType(fundBatchStreamId(BATCH), FundBatchEventType.allocationReversed)).toHaveLength(0);
      // Safe meanwhile: the project no longer lets receipts draw on what it gave back.
      await expect(receive(a, 'TN-A', receipt('R1', 'A1', '250.01'))).rejects.toMatchObject({
        code: 'receipt-exceeds-allocation',
      });
    }

    async function expectCompletedOnce(): Promise<{ released: RecordedEvent; reversed: RecordedEvent }> {
      const released = await ofType(projectStreamId('TN-A'), ProjectEventType.allocationReleased);
      const reversed = await ofType(fundBatchStreamId(BATCH), FundBatchEventType.allocationReversed);
      expect(released).toHaveLength(1);
      expect(reversed).toHaveLength(1);
      expect(reversed[0].data).toMatchObject({ reversalId: 'AR1', allocationId: 'A1', amount: '150.00', full: false });
      expect(reversed[0].metadata).toMatchObject({
        commandId: batchReversalCommandId(BATCH, 'A1', 'AR1'),
        causationId: released[0].eventId,
      });
      expect((await batchState(BATCH)).allocatedFen).toBe(250_00n);
      return { released: released[0], reversed: reversed[0] };
    }

    it('the next reactor to run reverses it in the batch once, without any request; sent again with its key, it answers both', async () => {
      await halfReversed('rev-1');
      const c = await restarted();
      const { released, reversed } = await expectCompletedOnce();
      const again = await reverse(c, BATCH, reversal('AR1', 'A1', '150.00'), 'rev-1');
      expect(again.project).toMatchObject({
        replayed: true,
        revision: released.revision,
        events: [{ eventId: released.eventId }],
      });
      expect(again.batch).toMatchObject({ revision: reversed.revision, events: [{ eventId: reversed.eventId }] });
      await expectCompletedOnce();
    });

    it('reactors of two processes at once reverse it in the batch once', async () => {
      await halfReversed('rev-1');
      a.reactor.start();
      b.reactor.start();
      await reactorsDone();
      await expectCompletedOnce();
    });

    it('sent again under another key, it is refused as the same reversal id, and the reactor still completes the first', async () => {
      await halfReversed('rev-1');
      await expect(reverse(b, BATCH, reversal('AR1', 'A1', '150.00'), 'rev-1-retry')).rejects.toMatchObject({
        code: 'entry-id-exists',
      });
      await restarted();
      await expectCompletedOnce();
    });

    it('a different reversal under the same id is refused, not answered with the first one', async () => {
      await halfReversed('rev-1');
      await expect(reverse(b, BATCH, reversal('AR1', 'A1', '100.00'))).rejects.toMatchObject({
        code: 'entry-id-exists',
      });
      await expect(reverse(b, BATCH, reversal('AR1', 'A1'))).rejects.toMatchObject({ code: 'entry-id-exists' });
      expect(await ofType(fundBatchStreamId(BATCH), FundBatchEventType.allocationReversed)).toHaveLength(0);
    });
  });

  describe('reversal ids', () => {
    it('the same reversal id on allocations to two projects reverses each, in both streams', async () => {
      await issueBatch(a, BATCH, '1000.00');
      await allocate(a, BATCH, allocation('A1', 'TN-A', '400.00'));
      await allocate(a, BATCH, allocation('A2', 'TN-B', '300.00'));
      await reactorsDone();
      await reverse(a, BATCH, reversal('AR1', 'A1'));
      const second = await reverse(b, BATCH, reversal('AR1', 'A2'));
      await reactorsDone();

      expect(written(second.project).streamId).toBe(projectStreamId('TN-B'));
      expect((await batchState(BATCH)).allocatedFen).toBe(0n);
      expect((await projectState('TN-B')).allocations.get('A2')!.releasedFen).toBe(300_00n);
    });

    it('the same reversal id on two allocations of one project reverses each, answering each its own', async () => {
      await issueBatch(a, BATCH, '1000.00');
      await allocate(a, BATCH, allocation('A1', 'TN-A', '400.00'));
      await allocate(a, BATCH, allocation('A2', 'TN-A', '300.00'));
      await reactorsDone();
      await reverse(a, BATCH, reversal('AR1', 'A1'), 'rev-1');
      await reverse(b, BATCH, reversal('AR1', 'A2'), 'rev-2');
      await reactorsDone();
      // Each one's answer, read again under its key once both are made.
      const first = await reverse(a, BATCH, reversal('AR1', 'A1'), 'rev-1');
      const second = await reverse(b, BATCH, reversal('AR1', 'A2'), 'rev-2');

      expect(written(second.batch).events[0].eventId).not.toBe(written(first.batch).events[0].eventId);
      const reversed = await ofType(fundBatchStreamId(BATCH), FundBatchEventType.allocationReversed);
      expect(reversed.map((e) => [e.data.allocationId, e.data.amount])).toEqual([
        ['A1', '400.00'],
        ['A2', '300.00'],
      ]);
      expect((await batchState(BATCH)).allocatedFen).toBe(0n);
    });
  });

  describe('compensation: the project refuses its record', () => {
    /**
     * Another batch's allocation A1 of TN-A, made in both streams with the reactors stopped (its
     * record made by handling its event directly), as if it raced in after the check of ours.
     */
    async function otherBatchTakesA1(): Promise<void> {
      await allocate(a, OTHER_BATCH, allocation('A1', 'TN-A', '50.00'));
      const [stored] = await ofType(fundBatchStreamId(OTHER_BATCH), FundBatchEventType.allocated);
      const allocated = parseRecord(ledgerEvents, stored);
      if (allocated.type !== FundBatchEventType.allocated) throw new Error(`${stored.type} read as ${allocated.type}`);
      await new AllocationReactor(a.store, a.batches, a.projects, systemClock).handle(allocated);
    }

    beforeEach(async () => {
      await issueBatch(a, BATCH, '1000.00');
      await issueBatch(a, OTHER_BATCH, '1000.00');
      await stopReactors();
    });

    it("gives the batch its room back and answers with the project's refusal", async () => {
      // Right after our batch's write, another batch records A1 on TN-A; then the reactor runs.
      let raced: Process | undefined;
      raced = startProcess({
        reacting: false,
        batches: (w) =>
          afterFirst(
            w,
            (c) => c.type === 'AllocateFunds',
            async () => {
              await otherBatchTakesA1();
              raced!.reactor.start();
            },
          ),
      });
      const err = await allocate(raced, BATCH, allocation('A1', 'TN-A', '400.00')).catch((e) => e);

      expect(err).toBeInstanceOf(DomainError);
      expect(err).toMatchObject({ code: 'allocation-id-exists', status: 409, field: 'allocationId' });
      expect(err.message).toContain(OTHER_BATCH);
      const batchEvents = (await events(fundBatchStreamId(BATCH))).map((e) => [
        e.type,
        e.data.allocationId,
        e.data.amount,
      ]);
      expect(batchEvents.slice(1)).toEqual([
        [FundBatchEventType.allocated, 'A1', '400.00'],
        [FundBatchEventType.allocationReversed, 'A1', '400.00'],
      ]);
      expect((await batchState(BATCH)).allocatedFen).toBe(0n);
      expect((await projectState('TN-A')).allocations.get('A1')!.batchId).toBe(OTHER_BATCH);
      // The room is really back: the whole batch can be allocated elsewhere.
      await allocate(raced, BATCH, allocation('A2', 'TN-B', '1000.00'));
    });

    it('also when the reactor runs only after a stop, once; the request sent again answers the refusal', async () => {
      await allocate(a, BATCH, allocation('A1', 'TN-A', '400.00'), 'alloc-1');
      await otherBatchTakesA1();
      await restarted();
      await restarted(); // and a reactor that lost its checkpoint does not compensate twice

      const undone = await ofType(fundBatchStreamId(BATCH), FundBatchEventType.allocationReversed);
      expect(undone).toHaveLength(1);
      expect(undone[0].metadata.commandId).toBe(compensationCommandId(BATCH, 'A1'));
      expect((await batchState(BATCH)).allocatedFen).toBe(0n);
      for (const key of ['alloc-1', 'alloc-1-retry']) {
        await expect(allocate(b, BATCH, allocation('A1', 'TN-A', '400.00'), key)).rejects.toMatchObject({
          code: 'allocation-id-exists',
        });
      }
      expect(await ofType(fundBatchStreamId(BATCH), FundBatchEventType.allocationReversed)).toHaveLength(1);
    });
  });
});

describe('the service stopped between the two writes of the allocation flow', () => {
  const B = 'YCJ2021-88';
  const OTHER = 'TNCZ2021-30';
  let dataDir: string;
  let tokensFile: string;
  let app: INestApplication | null = null;
  let url = '';

  async function start(): Promise<void> {
    app = await createApp(loadConfig({ DATA_DIR: dataDir, LEDGER_TOKENS_FILE: tokensFile, PORT: '0' }), {
      logger: false,
    });
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  }
  async function stop(): Promise<void> {
    await app?.close();
    app = null;
  }
  const runner = () => app!.get<ReactorRunner>(ALLOCATION_REACTOR);
  const store = () => app!.get<EventStore>(EVENT_STORE);

  interface Reply {
    status: number;
    headers: Headers;
    body: any;
  }
  async function post(path: string, body: unknown, role: keyof typeof TOKENS, key?: string): Promise<Reply> {
    const res = await fetch(url + path, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TOKENS[role]}`,
        'content-type': 'application/json',
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body: JSON.stringify(body),
    });
    return { status: res.status, headers: res.headers, body: await res.json() };
  }
  async function ok(reply: Promise<Reply>): Promise<Reply> {
    const r = await reply;
    if (r.status !== 201) throw new Error(`expected 201, got ${r.status}: ${JSON.stringify(r.body)}`);
    return r;
  }

  /** The service's reactor has handled everything in the log (so made every second write). */
  async function reactorDone(): Promise<void> {
    expect(await runner().waitFor(await store().headPosition(), REACTOR_DEADLINE_MS)).toBe(true);
  }
  const ofType = async (streamId: string, type: string) =>
    (await store().readStream(streamId)).filter((e) => e.type === type);

  /** A write the stopped service made before its reactor ran: straight through a writer on the store's file. */
  async function writtenWhileStopped(write: (store: SqliteEventStore) => Promise<unknown>): Promise<void> {
    const file = new SqliteEventStore(join(dataDir, 'events.sqlite'));
    try {
      await write(file);
    } finally {
      await file.close();
    }
  }

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'allocation-reactor-'));
    tokensFile = join(dataDir, 'tokens.json');
    writeFileSync(
      tokensFile,
      JSON.stringify(
        Object.entries(TOKENS).map(([role, token]) => ({ token, role, actorId: `u-${role}`, org: `org-${role}` })),
      ),
    );
    await start();
    for (const projectId of ['TN-A', 'TN-B']) {
      await ok(
        post(
          '/api/projects',
          {
            projectId,
            name: projectId,
            community: 'c',
            town: 't',
            builtYear: 1995,
            buildingArea: 5000,
            households: 80,
          },
          'housing',
        ),
      );
    }
    for (const batchId of [B, OTHER]) {
      await ok(
        post(
          '/api/fund-batches',
          {
            batchId,
            source: 'central_fiscal_subsidy',
            docNo: '渝财建〔2021〕88号',
            fiscalYear: 2021,
            amount: '1000.00',
            issuedOn: '2021-06-01',
          },
          'finance',
        ),
      );
    }
  });
  afterEach(async () => {
    await stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const allocationBody = { allocationId: 'A1', projectId: 'TN-A', amount: '400.00', allocatedOn: '2021-06-10' };
  /** The context the service gave this request (its key and the hash of route, id and body), so the request sent again is its repeat. */
  const allocationContext = (key: string): CommandContext => ({
    commandId: key,
    requestHash: sha256Hex(
      canonicalJson({ route: 'POST /api/fund-batches/:id/allocations', params: { id: B }, body: allocationBody }),
    ),
    actor: { id: 'u-finance', role: 'finance', org: 'org-finance' },
    correlationId: key,
    causationId: key,
    recordedAt: new Date().toISOString(),
  });

  it('records an allocation in the project after a restart, without any request, exactly once and under its derived command id', async () => {
    await stop();
    await writtenWhileStopped((file) =>
      writerFor(file, fundBatchDecider).execute(
        fundBatchStreamId(B),
        { type: 'AllocateFunds', ...allocationBody, recordedOn: '2022-01-01' },
        allocationContext('alloc-1'),
      ),
    );
    await start();
    await reactorDone();

    const [allocated] = await ofType(fundBatchStreamId(B), FundBatchEventType.allocated);
    const recorded = await ofType(projectStreamId('TN-A'), ProjectEventType.allocationRecorded);
    expect(recorded).toHaveLength(1);
    expect(recorded[0].data).toMatchObject({ batchId: B, allocationId: 'A1', amount: '400.00' });
    expect(recorded[0].metadata).toMatchObject({
      commandId: recordCommandId(B, 'A1'),
      causationId: allocated.eventId,
      correlationId: 'alloc-1',
      actor: { id: 'u-finance' },
    });

    // The request sent again with its key answers both writes, and writes nothing.
    const head = await store().headPosition();
    const again = await ok(post(`/api/fund-batches/${B}/allocations`, allocationBody, 'finance', 'alloc-1'));
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toMatchObject({
      events: [{ eventId: allocated.eventId }],
      project: { streamId: 'project-TN-A', events: [{ eventId: recorded[0].eventId }] },
    });
    expect(await store().headPosition()).toBe(head);

    // Started again with its checkpoint lost, the reactor handles the allocation again: still once.
    await stop();
    const readModel = new Database(join(dataDir, 'read-model.sqlite'));
    readModel.exec('DELETE FROM reactor_checkpoints');
    readModel.close();
    await start();
    await reactorDone();
    expect(await ofType(projectStreamId('TN-A'), ProjectEventType.allocationRecorded)).toHaveLength(1);
    expect(await store().headPosition()).toBe(head);
  });

  it('reverses an allocation in the batch after a restart, without any request, exactly once', async () => {
    await ok(post(`/api/fund-batches/${B}/allocations`, allocationBody, 'finance'));
    await stop();
    const release: ReleaseAllocation = {
      type: 'ReleaseAllocation',
      projectId: 'TN-A',
      batchId: B,
      allocationId: 'A1',
      reversalId: 'AR1',
      amount: '150.00',
      reason: '调整',
      releasedOn: '2021-08-01',
    };
    await writtenWhileStopped((file) =>
      writerFor(file, projectDecider).execute(projectStreamId('TN-A'), release, requestContext(release, 'rev-1')),
    );
    await start();
    await reactorDone();

    const [released] = await ofType(projectStreamId('TN-A'), ProjectEventType.allocationReleased);
    const reversed = await ofType(fundBatchStreamId(B), FundBatchEventType.allocationReversed);
    expect(reversed).toHaveLength(1);
    expect(reversed[0].data).toMatchObject({
      reversalId: 'AR1',
      allocationId: 'A1',
      amount: '150.00',
      reversedOn: '2021-08-01',
    });
    expect(reversed[0].metadata).toMatchObject({
      commandId: batchReversalCommandId(B, 'A1', 'AR1'),
      causationId: released.eventId,
      correlationId: 'rev-1',
    });
    expect(reversed[0].data.allocatedTotal).toBe('250.00');
  });

  it('gives the batch its room back after a restart when the project refuses the record', async () => {
    // Another batch's A1 is recorded on TN-A; ours, checked before that, is written while stopped.
    await ok(post(`/api/fund-batches/${OTHER}/allocations`, { ...allocationBody, amount: '50.00' }, 'finance'));
    await stop();
    await writtenWhileStopped((file) =>
      writerFor(file, fundBatchDecider).execute(
        fundBatchStreamId(B),
        { type: 'AllocateFunds', ...allocationBody, recordedOn: '2022-01-01' },
        allocationContext('alloc-1'),
      ),
    );
    await start();
    await reactorDone();

    const undone = await ofType(fundBatchStreamId(B), FundBatchEventType.allocationReversed);
    expect(undone).toHaveLength(1);
    expect(undone[0].data).toMatchObject({ allocationId: 'A1', amount: '400.00', full: true });
    expect(undone[0].metadata.commandId).toBe(compensationCommandId(B, 'A1'));
    const recorded = await ofType(projectStreamId('TN-A'), ProjectEventType.allocationRecorded);
    expect(recorded.map((e) => e.data.batchId)).toEqual([OTHER]);
    // The request sent again answers the project's refusal.
    const again = await post(`/api/fund-batches/${B}/allocations`, allocationBody, 'finance', 'alloc-1');
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: 'allocation-id-exists', field: 'allocationId' });
  });

  it('answers 202 with the second write pending while the reactor does not run, and 201 with both once it has', async () => {
    await runner().stop();
    const pending = await post(`/api/fund-batches/${B}/allocations`, allocationBody, 'finance', 'alloc-1');
    expect(pending.status).toBe(202);
    expect(pending.headers.get('etag')).toBe('"1"');
    expect(pending.body).toEqual({
      streamId: fundBatchStreamId(B),
      revision: 1,
      position: expect.any(String),
      events: [{ type: 'funds-allocated.v1', eventId: expect.any(String) }],
      project: { streamId: 'project-TN-A', status: 'pending' },
    });
    runner().start();
    await reactorDone();
    const done = await post(`/api/fund-batches/${B}/allocations`, allocationBody, 'finance', 'alloc-1');
    expect(done.status).toBe(201);
    expect(done.body).toMatchObject({
      events: pending.body.events,
      project: { streamId: 'project-TN-A', events: [{ type: 'allocation-recorded.v1' }] },
    });

    await runner().stop();
    const reversal = {
      reversalId: 'AR1',
      allocationId: 'A1',
      amount: '100.00',
      reason: '调整',
      reversedOn: '2021-08-01',
    };
    const half = await post(`/api/fund-batches/${B}/reversals`, reversal, 'finance', 'rev-1');
    expect(half.status).toBe(202);
    expect(half.body).toMatchObject({
      streamId: fundBatchStreamId(B),
      status: 'pending',
      project: { streamId: 'project-TN-A', events: [{ type: 'allocation-released.v1' }] },
    });
    runner().start();
    await reactorDone();
    const whole = await post(`/api/fund-batches/${B}/reversals`, reversal, 'finance', 'rev-1');
    expect(whole.status).toBe(201);
    expect(whole.body).toMatchObject({ events: [{ type: 'allocation-reversed.v1' }], project: half.body.project });
  });
});
