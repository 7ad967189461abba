import { BankAccountEventType as A } from '../bank-account/bank-account.events';
import { FiscalYearEventType as Y } from '../fiscal-year/fiscal-year.events';
import { FundBatchEventType as B } from '../fund-batch/fund-batch.events';
import { ProjectEventType as T, isMilestoneEvent, milestoneOf } from '../project/project.events';
import { assertNever } from '../shared/domain/domain-error';
import { TreasuryFileEventType as F } from '../treasury-file/treasury-file.events';
import { LedgerEvent, SEAL_EVENT_TYPE } from './ledger-events';

/**
 * The business date an event takes effect on (the `asOf` axis), or null for an event that has
 * none of its own (registration, budget lines, seals): see BoundsCut (src/audit/time-bounds.ts) for
 * when those count. Here, beside the event registry, so that read models may date events too.
 */
export function businessDate(e: LedgerEvent): string | null {
  if (isMilestoneEvent(e)) return milestoneOf(e).on;
  switch (e.type) {
    case T.pledged:
      return e.data.pledgedOn;
    case T.received:
      return e.data.receivedOn;
    case T.disbursed:
    case T.treasuryPaid:
      return e.data.paidOn;
    case T.reversed:
    case T.reversalReversed:
      return e.data.reversedOn;
    case T.approved:
      return e.data.approvedOn;
    case T.allocationRecorded:
      return e.data.allocatedOn;
    case T.allocationReleased:
      return e.data.releasedOn;
    case B.issued:
      return e.data.issuedOn;
    case B.allocated:
      return e.data.allocatedOn;
    case B.allocationReversed:
      return e.data.reversedOn;
    case A.lineMatched:
    case F.lineMatched:
      return e.data.decidedOn;
    case Y.closed:
      return e.data.closedOn;
    case Y.reopened:
      return e.data.reopenedOn;
    case T.ownerVoteRecorded:
      return e.data.heldOn;
    case T.registered:
    case T.budgetLineAdded:
    case T.householdsRegistered:
    case T.householdCorrected:
    case T.costSharePlanAdopted:
    case SEAL_EVENT_TYPE:
    case A.opened:
    case A.statementImported:
    case F.imported:
      return null;
    default:
      return assertNever(e, 'event');
  }
}
