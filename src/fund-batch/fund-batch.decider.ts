import { Complete, Decider } from '../shared/domain/decider';
import { assert, assertNever } from '../shared/domain/domain-error';
import { KeyedMap, KeyedSet } from '../shared/domain/keyed-collections';
import { Fen, fenOfStored, formatFen, parseAmount } from '../shared/money/money';
import { BATCH_SOURCES, MUNICIPAL_PROGRAMS, isBatchSource } from '../project/funding-sources';
import { DatedBalances, addOn, emptyDatedBalances, lowestFrom } from '../project/dated-balances';
import { checkDate, checkFiscalYear, checkId, checkText } from '../project/project.decider';
import { checkNotAfterRecording } from '../shared/domain/input-rules';
import { ProjectErrors } from '../project/project.errors';
import { AllocateFunds, FundBatchCommand, IssueFundBatch, ReverseAllocation } from './fund-batch.commands';
import { FundBatchErrors as E } from './fund-batch.errors';
import { FundBatchEvent, FundBatchEventType as T, fundBatchEvents } from './fund-batch.events';

export interface BatchAllocation {
  allocationId: string;
  projectId: string;
  amountFen: Fen;
  reversedFen: Fen;
  allocatedOn: string;
}

export interface FundBatchState {
  issued: boolean;
  batchId: string;
  source: string;
  program?: string;
  docNo: string;
  fiscalYear: number;
  amountFen: Fen;
  issuedOn: string;
  /** Net of reversals. */
  allocatedFen: Fen;
  allocations: KeyedMap<Readonly<BatchAllocation>>;
  /**
   * `${allocationId}/${reversalId}` of every reversal: a reversal id is unique per allocation, as
   * on the project (which gives the allocation back first and knows only its own allocations), so
   * the batch never refuses a reversal its project already made.
   */
  reversalIds: KeyedSet;
  /**
   * What remains unallocated, by business date (dated-balances.ts, account UNALLOCATED): the
   * amount from the day of issue, less each allocation from its date, plus each reversal from its
   * date. As of any date, the batch never has more allocated than its amount.
   */
  dated: DatedBalances;
}

const UNALLOCATED = 'unallocated';

export function initialFundBatchState(): FundBatchState {
  return {
    issued: false,
    batchId: '',
    source: '',
    docNo: '',
    fiscalYear: 0,
    amountFen: 0n,
    issuedOn: '',
    allocatedFen: 0n,
    allocations: KeyedMap.empty(),
    reversalIds: KeyedSet.empty(),
    dated: emptyDatedBalances(),
  };
}

/** The batch's own rule: its allocations, net of reversals, never exceed its amount. */
export const fundBatchDecider: Decider<FundBatchState, FundBatchCommand, FundBatchEvent> = {
  initialState: initialFundBatchState,
  decide(command, state) {
    switch (command.type) {
      case 'IssueFundBatch':
        return issue(command, state);
      case 'AllocateFunds':
        return allocate(command, requireIssued(state));
      case 'ReverseAllocation':
        return reverseAllocation(command, requireIssued(state));
    }
  },
  evolve,
  events: fundBatchEvents,
  // 2: what remains unallocated is kept by date.
  stateVersion: 2,
};

function issue(c: IssueFundBatch, s: FundBatchState): FundBatchEvent[] {
  checkId('batchId', c.batchId);
  if (s.issued) throw E.batchExists(c.batchId);
  if (!isBatchSource(c.source)) throw E.sourceNotBatched(c.source, BATCH_SOURCES);
  if (c.source === 'municipal_subsidy') {
    if (c.program === undefined) throw E.programRequired();
    if (!(MUNICIPAL_PROGRAMS as readonly string[]).includes(c.program))
      throw ProjectErrors.invalidSubField('program', c.program, MUNICIPAL_PROGRAMS);
  } else if (c.program !== undefined) throw E.programNotAllowed(c.source);
  checkText('docNo', c.docNo);
  checkFiscalYear(c.fiscalYear);
  const amountFen = parseAmount(c.amount, 'amount');
  checkDate('issuedOn', c.issuedOn);
  checkNotAfterRecording('issuedOn', c.issuedOn, c.recordedOn, 'a batch is recorded once it was issued');
  return [
    {
      type: T.issued,
      data: {
        batchId: c.batchId,
        source: c.source,
        ...(c.program !== undefined ? { program: c.program } : {}),
        docNo: c.docNo,
        fiscalYear: c.fiscalYear,
        amount: formatFen(amountFen),
        issuedOn: c.issuedOn,
      },
    },
  ];
}

function allocate(c: AllocateFunds, s: FundBatchState): FundBatchEvent[] {
  checkId('allocationId', c.allocationId);
  if (s.allocations.has(c.allocationId)) throw E.allocationExists(c.allocationId);
  checkId('projectId', c.projectId);
  const amountFen = parseAmount(c.amount, 'amount');
  checkDate('allocatedOn', c.allocatedOn);
  checkNotAfterRecording('allocatedOn', c.allocatedOn, c.recordedOn, 'an allocation is recorded once it was made');
  if (c.allocatedOn < s.issuedOn) throw E.allocatedBeforeIssued(c.allocatedOn, s.issuedOn);
  const unallocatedFen = s.amountFen - s.allocatedFen;
  if (amountFen > unallocatedFen)
    throw E.allocationExceedsBatch(s.batchId, formatFen(amountFen), formatFen(unallocatedFen));
  // Room given back by a reversal counts from the reversal's date: an allocation dated before it
  // would have the batch allocate more than its amount as of the days between.
  const lowest = lowestFrom(s.dated, UNALLOCATED, c.allocatedOn);
  if (amountFen > lowest.fen)
    throw ProjectErrors.insufficientAtDate(
      `fund batch ${s.batchId} (unallocated)`,
      formatFen(amountFen),
      c.allocatedOn,
      formatFen(lowest.fen),
      lowest.on,
    );
  return [
    {
      type: T.allocated,
      data: {
        batchId: s.batchId,
        allocationId: c.allocationId,
        projectId: c.projectId,
        source: s.source,
        fiscalYear: s.fiscalYear,
        amount: formatFen(amountFen),
        allocatedOn: c.allocatedOn,
        allocatedTotal: formatFen(s.allocatedFen + amountFen),
      },
    },
  ];
}

function reverseAllocation(c: ReverseAllocation, s: FundBatchState): FundBatchEvent[] {
  checkId('reversalId', c.reversalId);
  checkText('reason', c.reason);
  checkDate('reversedOn', c.reversedOn);
  const a = s.allocations.get(c.allocationId);
  if (!a) throw E.allocationNotFound(c.allocationId);
  if (c.reversedOn < a.allocatedOn) throw E.reversedBeforeAllocated(c.reversedOn, a.allocatedOn);
  if (s.reversalIds.has(`${a.allocationId}/${c.reversalId}`)) throw E.reversalExists(c.reversalId);
  const remainingFen = a.amountFen - a.reversedFen;
  if (remainingFen <= 0n) throw ProjectErrors.nothingToReverse(c.allocationId, 'allocationId');
  const amountFen = c.amount === undefined ? remainingFen : parseAmount(c.amount, 'amount');
  if (amountFen > remainingFen) throw ProjectErrors.reversalExceedsEntry(formatFen(amountFen), formatFen(remainingFen));
  return [
    {
      type: T.allocationReversed,
      data: {
        batchId: s.batchId,
        reversalId: c.reversalId,
        allocationId: a.allocationId,
        projectId: a.projectId,
        source: s.source,
        fiscalYear: s.fiscalYear,
        amount: formatFen(amountFen),
        full: amountFen === remainingFen,
        reason: c.reason,
        reversedOn: c.reversedOn,
        allocatedTotal: formatFen(s.allocatedFen - amountFen),
      },
    },
  ];
}

function requireIssued(s: FundBatchState): FundBatchState {
  if (!s.issued) throw E.batchNotFound(s.batchId || 'unknown');
  return s;
}

// evolve: returns a new state and leaves the given one as it was; asserts what decide guaranteed
// when each event was written (the batch issued first, an allocation made before it is reversed).

function evolve(s: Readonly<FundBatchState>, e: FundBatchEvent): FundBatchState {
  if (e.type === T.issued) assert(!s.issued, 'a batch is issued once');
  else assert(s.issued, `${e.type} follows the batch's issue`);
  switch (e.type) {
    case T.issued: {
      const { batchId, source, program, docNo, fiscalYear, issuedOn } = e.data;
      const amountFen = fenOfStored(e.data.amount);
      return {
        ...s,
        issued: true,
        batchId,
        source,
        program,
        docNo,
        fiscalYear,
        issuedOn,
        amountFen,
        dated: addOn(s.dated, UNALLOCATED, issuedOn, amountFen),
      };
    }
    case T.allocated: {
      const d = e.data;
      assert(!s.allocations.has(d.allocationId), `allocation ${d.allocationId} is made once`);
      const fen = fenOfStored(d.amount);
      const allocatedFen = s.allocatedFen + fen;
      assert(allocatedFen <= s.amountFen, `batch ${s.batchId} never allocates more than its amount`);
      const allocation: BatchAllocation = {
        allocationId: d.allocationId,
        projectId: d.projectId,
        amountFen: fen,
        reversedFen: 0n,
        allocatedOn: d.allocatedOn,
      };
      return changed(
        s,
        s.allocations.set(d.allocationId, allocation),
        s.reversalIds,
        allocatedFen,
        addOn(s.dated, UNALLOCATED, d.allocatedOn, -fen),
      );
    }
    case T.allocationReversed: {
      const d = e.data;
      const reversalKey = `${d.allocationId}/${d.reversalId}`;
      const a = s.allocations.get(d.allocationId);
      assert(a !== undefined, `allocation ${d.allocationId} is made before it is reversed`);
      assert(!s.reversalIds.has(reversalKey), `reversal ${reversalKey} is made once`);
      const fen = fenOfStored(d.amount);
      const reversed: BatchAllocation = {
        allocationId: a.allocationId,
        projectId: a.projectId,
        amountFen: a.amountFen,
        reversedFen: a.reversedFen + fen,
        allocatedOn: a.allocatedOn,
      };
      assert(reversed.reversedFen <= a.amountFen, `allocation ${d.allocationId} is never reversed beyond its amount`);
      return changed(
        s,
        s.allocations.set(a.allocationId, reversed),
        s.reversalIds.add(reversalKey),
        s.allocatedFen - fen,
        addOn(s.dated, UNALLOCATED, d.reversedOn, fen),
      );
    }
    default:
      return assertNever(e, 'fund-batch event');
  }
}

/**
 * The issued batch with new allocation figures: what every event after the issue changes. Written
 * out field by field (see `changed` in project.decider.ts for why not a spread).
 */
function changed(
  s: Readonly<FundBatchState>,
  allocations: FundBatchState['allocations'],
  reversalIds: FundBatchState['reversalIds'],
  allocatedFen: Fen,
  dated: FundBatchState['dated'],
): FundBatchState {
  const copy: Complete<FundBatchState> = {
    issued: s.issued,
    batchId: s.batchId,
    source: s.source,
    program: s.program,
    docNo: s.docNo,
    fiscalYear: s.fiscalYear,
    amountFen: s.amountFen,
    issuedOn: s.issuedOn,
    allocatedFen,
    allocations,
    reversalIds,
    dated,
  };
  return copy;
}
