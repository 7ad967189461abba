/**
 * The fund-batch flow against the real embedded store, on both write paths: the optimistic
 * OptimisticWriter (the EventStoreDB path: a lost race is a real revision conflict, decided again)
 * and the GroupCommitWriter. Two "processes" (their own writers and caches, their own connections
 * to one file) take turns with the requests. Two rules live in two streams: a batch's allocations
 * never exceed it, and receipts never exceed what remains of an allocation; they hold when
 * requests race, a stop between the two writes is completed exactly once by sending the request
 * again, and a project that refuses its record gives the batch its room back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandContext, GroupCommitWriter, OptimisticWriter, WriteResult, Writer } from '../../src/event-store/write-path';
import { canonicalJson, sha256Hex } from '../../src/event-store/hashing';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { AllocateFunds, FundBatchCommand, ReverseAllocation } from '../../src/fund-batch/fund-batch.commands';
import { FundBatchState, fundBatchDecider } from '../../src/fund-batch/fund-batch.decider';
import { FundBatchEvent, FundBatchEventType, fundBatchStreamId } from '../../src/fund-batch/fund-batch.events';
import {
  AllocateFundsCommand, AllocateFundsHandler, FundBatchWriter, IssueFundBatchCommand, IssueFundBatchHandler, ReverseAllocationCommand,
  ReverseAllocationHandler, TwoStreamResult,
} from '../../src/funding/fund-batches/fund-batch.handlers';
import { ProjectWriter } from '../../src/funding/project-command.handler';
import { ProjectCommand, ReceiveFunds } from '../../src/project/project.commands';
import { ProjectState, projectDecider } from '../../src/project/project.decider';
import { ProjectEvent, ProjectEventType, projectStreamId } from '../../src/project/project.events';
import { Decider, fold } from '../../src/shared/domain/decider';
import { DomainError } from '../../src/shared/domain/domain-error';

type WriterKind = 'OptimisticWriter' | 'GroupCommitWriter';

function writerOf<S, C, E extends FundBatchEvent | ProjectEvent>(kind: WriterKind, store: SqliteEventStore, decider: Decider<S, C, E>): Writer<S, C> {
  return kind === 'OptimisticWriter' ? new OptimisticWriter<S, C, E>(store, decider) : new GroupCommitWriter<S, C, E>(store, decider);
}

/** One service process: its own connection, writers (and their caches) and handlers. */
interface Process {
  store: SqliteEventStore;
  batches: FundBatchWriter;
  projects: ProjectWriter;
  issue: IssueFundBatchHandler;
  allocate: AllocateFundsHandler;
  reverse: ReverseAllocationHandler;
}

interface Wrappers {
  batches?: (writer: FundBatchWriter) => FundBatchWriter;
  projects?: (writer: ProjectWriter) => ProjectWriter;
}

/**
 * A writer that runs `instead` (and not the write) for the first command `matches` picks;
 * `instead` may throw (the process dies there) or write something first (a racing request).
 */
function onFirst<S, C>(writer: Writer<S, C>, matches: (command: C) => boolean, instead: (command: C) => Promise<void>): Writer<S, C> {
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

const died = (what: string) => async () => {
  throw new Error(`the process died before ${what}`);
};

let n = 0;
/** The context a request brings: its Idempotency-Key (or a fresh one) and the hash of the request. */
function requestContext(request: unknown, key = `key-${++n}`): CommandContext {
  return {
    commandId: key, requestHash: sha256Hex(canonicalJson(request)), actor: { id: 'finance-1', role: 'finance', org: 'Tongnan finance bureau' },
    correlationId: key, causationId: key, recordedAt: '2022-01-01T00:00:00.000Z',
  };
}

const BATCH = 'YCJ2021-88';
const OTHER_BATCH = 'TNCZ2021-30';

const allocation = (allocationId: string, projectId: string, amount: string): AllocateFunds => ({
  type: 'AllocateFunds', allocationId, projectId, amount, allocatedOn: '2021-06-10',
});
const reversal = (reversalId: string, allocationId: string, amount?: string): ReverseAllocation => ({
  type: 'ReverseAllocation', reversalId, allocationId, ...(amount !== undefined ? { amount } : {}), reason: '调整', reversedOn: '2021-08-01',
});
const receipt = (receiptId: string, allocationId: string, amount: string): Omit<ReceiveFunds, 'projectId'> => ({
  type: 'ReceiveFunds', receiptId, source: 'central_fiscal_subsidy', amount, payer: '潼南区财政局', reference: '国库拨款', receivedOn: '2021-07-01',
  fiscalYear: 2021, allocationId, details: {},
});

function allocate(p: Process, batchId: string, command: AllocateFunds, key?: string): Promise<TwoStreamResult> {
  return p.allocate.execute(new AllocateFundsCommand(batchId, command, requestContext({ route: 'allocations', batchId, command }, key)));
}
function reverse(p: Process, batchId: string, command: ReverseAllocation, key?: string): Promise<TwoStreamResult> {
  return p.reverse.execute(new ReverseAllocationCommand(batchId, command, requestContext({ route: 'reversals', batchId, command }, key)));
}
function receive(p: Process, projectId: string, command: Omit<ReceiveFunds, 'projectId'>): Promise<WriteResult> {
  return p.projects.execute(projectStreamId(projectId), { ...command, projectId }, requestContext({ route: 'receipts', projectId, command }));
}

async function issueBatch(p: Process, batchId: string, amount: string, source = 'central_fiscal_subsidy'): Promise<void> {
  const command: FundBatchCommand = { type: 'IssueFundBatch', batchId, source, docNo: '渝财建〔2021〕88号', fiscalYear: 2021, amount, issuedOn: '2021-06-01' };
  await p.issue.execute(new IssueFundBatchCommand(command, requestContext(command)));
}
async function registerProject(p: Process, projectId: string): Promise<void> {
  const command: ProjectCommand = { type: 'RegisterProject', projectId, name: projectId, community: 'c', town: 't', builtYear: 1995, buildingArea: 5000, households: 80 };
  await p.projects.execute(projectStreamId(projectId), command, requestContext(command));
}

/** The codes of the refusals, and any failure that is not a DomainError as it is. */
function refusals(settled: PromiseSettledResult<unknown>[]): string[] {
  return settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => {
    if (!(s.reason instanceof DomainError)) throw s.reason;
    return s.reason.code;
  });
}

describe.each<WriterKind>(['OptimisticWriter', 'GroupCommitWriter'])('the fund-batch flow on the %s', (kind) => {
  let dir: string;
  let file: string;
  const opened: SqliteEventStore[] = [];
  let a: Process;
  let b: Process;

  /** A process on its own connection to the store, with writers wrapped as a test needs. */
  function startProcess(wrap: Wrappers = {}): Process {
    const store = new SqliteEventStore(file);
    opened.push(store);
    const batches = (wrap.batches ?? ((w) => w))(writerOf(kind, store, fundBatchDecider));
    const projects = (wrap.projects ?? ((w) => w))(writerOf(kind, store, projectDecider));
    return {
      store, batches, projects,
      issue: new IssueFundBatchHandler(batches),
      allocate: new AllocateFundsHandler(store, batches, projects),
      reverse: new ReverseAllocationHandler(store, batches, projects),
    };
  }

  const events = (streamId: string) => a.store.readStream(streamId);
  const batchState = async (batchId: string): Promise<FundBatchState> =>
    fold(fundBatchDecider, (await events(fundBatchStreamId(batchId))).map((e) => ({ type: e.type, data: e.data }) as unknown as FundBatchEvent));
  const projectState = async (projectId: string): Promise<ProjectState> =>
    fold(projectDecider, (await events(projectStreamId(projectId))).map((e) => ({ type: e.type, data: e.data }) as unknown as ProjectEvent));
  const ofType = async (streamId: string, type: string) => (await events(streamId)).filter((e) => e.type === type);

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fund-batch-flow-'));
    file = join(dir, 'events.sqlite');
    a = startProcess();
    b = startProcess();
    for (const id of ['TN-A', 'TN-B', 'TN-C', 'TN-D']) await registerProject(a, id);
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('racing requests', () => {
    const projects = ['TN-A', 'TN-B', 'TN-C', 'TN-D'];
    /** 20 allocations of a tenth of the batch, sent at once through both processes. */
    async function twentyTenths(): Promise<PromiseSettledResult<TwoStreamResult>[]> {
      await issueBatch(a, BATCH, '1000000.00');
      return Promise.allSettled(Array.from({ length: 20 }, (_, i) => allocate(i % 2 ? b : a, BATCH, allocation(`A${i}`, projects[i % 4], '100000.00'))));
    }
    /** 30 receipts of a twentieth of an allocation, sent at once through both processes. */
    async function thirtyTwentieths(): Promise<PromiseSettledResult<WriteResult>[]> {
      await issueBatch(a, BATCH, '1000000.00');
      await allocate(a, BATCH, allocation('A1', 'TN-A', '1000.00'));
      return Promise.allSettled(Array.from({ length: 30 }, (_, i) => receive(i % 2 ? b : a, 'TN-A', receipt(`R${i}`, 'A1', '50.00'))));
    }
    // A request that lost its race is decided again on the new state, so racing requests are only
    // ever refused by a rule. Each writer runs its own process's commands on one stream one after
    // the other, so only the other process's writes can make an append lose.

    it('allocations sent at once never take more than the batch, and each written one is recorded once on its project', async () => {
      const settled = await twentyTenths();

      for (const code of refusals(settled)) expect(code).toBe('allocation-exceeds-batch');
      const batch = await batchState(BATCH);
      const written = (await ofType(fundBatchStreamId(BATCH), FundBatchEventType.allocated)).map((e) => e.data.allocationId);
      const fulfilled = settled.flatMap((s, i) => (s.status === 'fulfilled' ? [`A${i}`] : []));
      expect([...written].sort()).toEqual([...fulfilled].sort());
      expect(batch.allocatedFen).toBe(BigInt(fulfilled.length) * 100000_00n);
      expect(batch.allocatedFen).toBeLessThanOrEqual(batch.amountFen);
      // Each written allocation is recorded once on its own project, and no refused one anywhere.
      const recorded = (await Promise.all(projects.map((id) => ofType(projectStreamId(id), ProjectEventType.allocationRecorded))))
        .flat().map((e) => `${e.data.allocationId}@${e.streamId}`);
      expect(recorded.sort()).toEqual(fulfilled.map((id) => `${id}@project-${projects[Number(id.slice(1)) % 4]}`).sort());
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
      // than the OptimisticWriter's attempts), with the two requests on either process.
      await issueBatch(a, BATCH, '10000.00');
      const projectOf = (i: number) => projects[i % 4];
      for (let i = 0; i < 8; i++) await allocate(a, BATCH, allocation(`A${i}`, projectOf(i), '1000.00'));
      const rounds = await Promise.all(Array.from({ length: 8 }, (_, i) => {
        const [first, second] = i % 2 ? [a, b] : [b, a];
        return Promise.allSettled([receive(first, projectOf(i), receipt(`R${i}`, `A${i}`, '600.00')), reverse(second, BATCH, reversal(`AR${i}`, `A${i}`, '600.00'))]);
      }));

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
      // sent (seven racing writers on the batch): two or three of them fit, never all four.
      await issueBatch(a, BATCH, '1000.00');
      for (let i = 0; i < 3; i++) await allocate(a, BATCH, allocation(`A${i}`, 'TN-A', '200.00'));
      const settled = await Promise.allSettled([
        ...Array.from({ length: 3 }, (_, i) => reverse(i % 2 ? a : b, BATCH, reversal(`AR${i}`, `A${i}`, '100.00'))),
        ...Array.from({ length: 4 }, (_, i) => allocate(i % 2 ? b : a, BATCH, allocation(`N${i}`, 'TN-B', '200.00'))),
      ]);

      expect(settled.slice(0, 3).map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
      expect(refusals(settled).length).toBeGreaterThanOrEqual(1);
      expect(refusals(settled).every((code) => code === 'allocation-exceeds-batch')).toBe(true);
      const batch = await batchState(BATCH);
      const granted = settled.slice(3).filter((s) => s.status === 'fulfilled').length;
      expect(batch.allocatedFen).toBe(300_00n + BigInt(granted) * 200_00n);
      expect(batch.allocatedFen).toBeLessThanOrEqual(batch.amountFen);
      expect((await projectState('TN-B')).allocations.size).toBe(granted);
    });
  });

  describe('a stop between the two writes of an allocation', () => {
    /** A process that dies after the batch's write, before the project's record. */
    const dyingBeforeRecord = () => startProcess({
      projects: (w) => onFirst(w, (c) => c.type === 'RecordAllocation', died('the project recorded the allocation')),
    });

    async function halfWritten(key: string): Promise<void> {
      await issueBatch(a, BATCH, '1000.00');
      await expect(allocate(dyingBeforeRecord(), BATCH, allocation('A1', 'TN-A', '400.00'), key)).rejects.toThrow(/process died/);
      expect(await ofType(fundBatchStreamId(BATCH), FundBatchEventType.allocated)).toHaveLength(1);
      expect(await ofType(projectStreamId('TN-A'), ProjectEventType.allocationRecorded)).toHaveLength(0);
    }

    /** The stored events of the allocation, once each, and the answer names exactly them. */
    async function expectCompletedOnce(answer: TwoStreamResult): Promise<void> {
      const allocated = await ofType(fundBatchStreamId(BATCH), FundBatchEventType.allocated);
      const recorded = await ofType(projectStreamId('TN-A'), ProjectEventType.allocationRecorded);
      expect(allocated).toHaveLength(1);
      expect(recorded).toHaveLength(1);
      expect(recorded[0].data).toMatchObject({ batchId: BATCH, allocationId: 'A1', amount: '400.00', source: 'central_fiscal_subsidy' });
      expect(answer.batch).toMatchObject({ streamId: fundBatchStreamId(BATCH), revision: allocated[0].revision, events: [{ eventId: allocated[0].eventId }] });
      expect(answer.project).toMatchObject({ streamId: projectStreamId('TN-A'), revision: recorded[0].revision, events: [{ eventId: recorded[0].eventId }] });
      expect((await batchState(BATCH)).allocatedFen).toBe(400_00n);
    }

    it('sending it again with the same Idempotency-Key records it on the project once', async () => {
      await halfWritten('alloc-1');
      const again = await allocate(b, BATCH, allocation('A1', 'TN-A', '400.00'), 'alloc-1');
      expect(again.batch.replayed).toBe(true);
      expect(again.project.replayed).toBe(false);
      await expectCompletedOnce(again);

      const thrice = await allocate(startProcess(), BATCH, allocation('A1', 'TN-A', '400.00'), 'alloc-1');
      expect(thrice.project.replayed).toBe(true);
      await expectCompletedOnce(thrice);
    });

    it('sending it again under another key records it on the project once', async () => {
      await halfWritten('alloc-1');
      const again = await allocate(b, BATCH, allocation('A1', 'TN-A', '400.00'), 'alloc-1-retry');
      expect(again.project.replayed).toBe(false);
      await expectCompletedOnce(again);
      // ... and the first key afterwards finds everything written.
      const first = await allocate(a, BATCH, allocation('A1', 'TN-A', '400.00'), 'alloc-1');
      expect(first).toMatchObject({ batch: { replayed: true }, project: { replayed: true } });
      await expectCompletedOnce(first);
    });

    it('both at once record it on the project once', async () => {
      await halfWritten('alloc-1');
      const answers = await Promise.all([
        allocate(a, BATCH, allocation('A1', 'TN-A', '400.00'), 'alloc-1'),
        allocate(b, BATCH, allocation('A1', 'TN-A', '400.00'), 'alloc-1-retry'),
      ]);
      for (const answer of answers) await expectCompletedOnce(answer);
    });

    it('another allocation under the same id, sent after the stop, is refused and completes nothing', async () => {
      await halfWritten('alloc-1');
      await expect(allocate(b, BATCH, allocation('A1', 'TN-A', '300.00'))).rejects.toMatchObject({ code: 'allocation-id-exists' });
      await expect(allocate(b, BATCH, allocation('A1', 'TN-B', '400.00'))).rejects.toMatchObject({ code: 'allocation-id-exists' });
      expect(await ofType(projectStreamId('TN-A'), ProjectEventType.allocationRecorded)).toHaveLength(0);
      expect(await ofType(projectStreamId('TN-B'), ProjectEventType.allocationRecorded)).toHaveLength(0);
    });
  });

  describe('the project\'s record failing for a reason that may pass', () => {
    it('leaves the batch\'s write for a repeat to complete, never giving the room back', async () => {
      // Were the room given back here, the repeat would record on the project an allocation the
      // batch no longer holds, and the batch could allocate the same money twice.
      await issueBatch(a, BATCH, '1000.00');
      const conflicted = startProcess({
        projects: (w) => onFirst(w, (c) => c.type === 'RecordAllocation', async () => {
          throw new DomainError('write-conflict', 'stream changed under 8 attempts in a row; try again', 409);
        }),
      });
      await expect(allocate(conflicted, BATCH, allocation('A1', 'TN-A', '400.00'))).rejects.toMatchObject({ code: 'write-conflict' });
      expect(await ofType(fundBatchStreamId(BATCH), FundBatchEventType.allocationReversed)).toHaveLength(0);

      await allocate(b, BATCH, allocation('A1', 'TN-A', '400.00'));
      expect((await batchState(BATCH)).allocatedFen).toBe(400_00n);
      expect((await projectState('TN-A')).allocations.get('A1')!.amountFen).toBe(400_00n);
      await expect(allocate(b, BATCH, allocation('A2', 'TN-B', '600.01'))).rejects.toMatchObject({ code: 'allocation-exceeds-batch' });
    });
  });

  describe('a stop between the two writes of a reversal', () => {
    /** A process that dies after the project's release, before the batch's reversal. */
    const dyingBeforeBatch = () => startProcess({
      batches: (w) => onFirst(w, (c) => c.type === 'ReverseAllocation', died('the batch reversed the allocation')),
    });

    async function halfReversed(key: string): Promise<void> {
      await issueBatch(a, BATCH, '1000.00');
      await allocate(a, BATCH, allocation('A1', 'TN-A', '400.00'));
      await expect(reverse(dyingBeforeBatch(), BATCH, reversal('AR1', 'A1', '150.00'), key)).rejects.toThrow(/process died/);
      expect(await ofType(projectStreamId('TN-A'), ProjectEventType.allocationReleased)).toHaveLength(1);
      expect(await ofType(fundBatchStreamId(BATCH), FundBatchEventType.allocationReversed)).toHaveLength(0);
      // Safe meanwhile: the project no longer lets receipts draw on what it gave back.
      await expect(receive(a, 'TN-A', receipt('R1', 'A1', '250.01'))).rejects.toMatchObject({ code: 'receipt-exceeds-allocation' });
    }

    async function expectCompletedOnce(answer: TwoStreamResult): Promise<void> {
      const released = await ofType(projectStreamId('TN-A'), ProjectEventType.allocationReleased);
      const reversed = await ofType(fundBatchStreamId(BATCH), FundBatchEventType.allocationReversed);
      expect(released).toHaveLength(1);
      expect(reversed).toHaveLength(1);
      expect(reversed[0].data).toMatchObject({ reversalId: 'AR1', allocationId: 'A1', amount: '150.00', full: false });
      expect(answer.project).toMatchObject({ revision: released[0].revision, events: [{ eventId: released[0].eventId }] });
      expect(answer.batch).toMatchObject({ revision: reversed[0].revision, events: [{ eventId: reversed[0].eventId }] });
      expect((await batchState(BATCH)).allocatedFen).toBe(250_00n);
    }

    it('sending it again with the same Idempotency-Key reverses it in the batch once', async () => {
      await halfReversed('rev-1');
      const again = await reverse(b, BATCH, reversal('AR1', 'A1', '150.00'), 'rev-1');
      expect(again).toMatchObject({ project: { replayed: true }, batch: { replayed: false } });
      await expectCompletedOnce(again);
      const thrice = await reverse(a, BATCH, reversal('AR1', 'A1', '150.00'), 'rev-1');
      expect(thrice).toMatchObject({ project: { replayed: true }, batch: { replayed: true } });
      await expectCompletedOnce(thrice);
    });

    it('sending it again under another key reverses it in the batch once', async () => {
      await halfReversed('rev-1');
      const again = await reverse(b, BATCH, reversal('AR1', 'A1', '150.00'), 'rev-1-retry');
      expect(again.batch.replayed).toBe(false);
      await expectCompletedOnce(again);
      await expectCompletedOnce(await reverse(a, BATCH, reversal('AR1', 'A1', '150.00'), 'rev-1'));
    });

    it('both at once reverse it in the batch once', async () => {
      await halfReversed('rev-1');
      const answers = await Promise.all([
        reverse(a, BATCH, reversal('AR1', 'A1', '150.00'), 'rev-1'),
        reverse(b, BATCH, reversal('AR1', 'A1', '150.00'), 'rev-1-retry'),
      ]);
      for (const answer of answers) await expectCompletedOnce(answer);
    });

    it('a different reversal under the same id is refused, not answered with the first one', async () => {
      await halfReversed('rev-1');
      await expect(reverse(b, BATCH, reversal('AR1', 'A1', '100.00'))).rejects.toMatchObject({ code: 'entry-id-exists' });
      await expect(reverse(b, BATCH, reversal('AR1', 'A1'))).rejects.toMatchObject({ code: 'entry-id-exists' });
      expect(await ofType(fundBatchStreamId(BATCH), FundBatchEventType.allocationReversed)).toHaveLength(0);
    });
  });

  describe('reversal ids', () => {
    it('the same reversal id on allocations to two projects reverses each, in both streams', async () => {
      await issueBatch(a, BATCH, '1000.00');
      await allocate(a, BATCH, allocation('A1', 'TN-A', '400.00'));
      await allocate(a, BATCH, allocation('A2', 'TN-B', '300.00'));
      await reverse(a, BATCH, reversal('AR1', 'A1'));
      const second = await reverse(b, BATCH, reversal('AR1', 'A2'));

      expect(second.project.streamId).toBe(projectStreamId('TN-B'));
      expect((await batchState(BATCH)).allocatedFen).toBe(0n);
      expect((await projectState('TN-B')).allocations.get('A2')!.releasedFen).toBe(300_00n);
    });

    it('the same reversal id on two allocations of one project reverses each, answering each its own', async () => {
      await issueBatch(a, BATCH, '1000.00');
      await allocate(a, BATCH, allocation('A1', 'TN-A', '400.00'));
      await allocate(a, BATCH, allocation('A2', 'TN-A', '300.00'));
      const first = await reverse(a, BATCH, reversal('AR1', 'A1'));
      const second = await reverse(b, BATCH, reversal('AR1', 'A2'));

      expect(second.batch.events[0].eventId).not.toBe(first.batch.events[0].eventId);
      const reversed = await ofType(fundBatchStreamId(BATCH), FundBatchEventType.allocationReversed);
      expect(reversed.map((e) => [e.data.allocationId, e.data.amount])).toEqual([['A1', '400.00'], ['A2', '300.00']]);
      expect((await batchState(BATCH)).allocatedFen).toBe(0n);
    });
  });

  describe('compensation: the project refuses its record', () => {
    /** Another batch records the same allocation id on TN-A just before this process's record. */
    const racedByAnotherBatch = (): Process => startProcess({
      projects: (w) => onFirst(w, (c) => c.type === 'RecordAllocation', async () => {
        await allocate(a, OTHER_BATCH, allocation('A1', 'TN-A', '50.00'));
      }),
    });

    it('gives the batch its room back and answers with the project\'s refusal', async () => {
      await issueBatch(a, BATCH, '1000.00');
      await issueBatch(a, OTHER_BATCH, '1000.00');
      const err = await allocate(racedByAnotherBatch(), BATCH, allocation('A1', 'TN-A', '400.00')).catch((e) => e);

      expect(err).toBeInstanceOf(DomainError);
      expect(err).toMatchObject({ code: 'allocation-id-exists', status: 409, field: 'allocationId' });
      expect(err.message).toContain(OTHER_BATCH);
      const batchEvents = (await events(fundBatchStreamId(BATCH))).map((e) => [e.type, e.data.allocationId, e.data.amount]);
      expect(batchEvents.slice(1)).toEqual([[FundBatchEventType.allocated, 'A1', '400.00'], [FundBatchEventType.allocationReversed, 'A1', '400.00']]);
      expect((await batchState(BATCH)).allocatedFen).toBe(0n);
      expect((await projectState('TN-A')).allocations.get('A1')!.batchId).toBe(OTHER_BATCH);
      // The room is really back: the whole batch can be allocated elsewhere.
      await allocate(b, BATCH, allocation('A2', 'TN-B', '1000.00'));
    });

    it('also when the refusal comes on the request sent again after a stop between the two writes', async () => {
      await issueBatch(a, BATCH, '1000.00');
      await issueBatch(a, OTHER_BATCH, '1000.00');
      const dying = startProcess({ projects: (w) => onFirst(w, (c) => c.type === 'RecordAllocation', died('the project recorded the allocation')) });
      await expect(allocate(dying, BATCH, allocation('A1', 'TN-A', '400.00'), 'alloc-1')).rejects.toThrow(/process died/);
      // Meanwhile another batch records A1 on TN-A.
      await allocate(a, OTHER_BATCH, allocation('A1', 'TN-A', '50.00'));

      for (const key of ['alloc-1', 'alloc-1-retry']) {
        await expect(allocate(b, BATCH, allocation('A1', 'TN-A', '400.00'), key)).rejects.toMatchObject({ code: 'allocation-id-exists' });
      }
      expect(await ofType(fundBatchStreamId(BATCH), FundBatchEventType.allocationReversed)).toHaveLength(1);
      expect((await batchState(BATCH)).allocatedFen).toBe(0n);
    });
  });
});
