import { FundBatchCommand } from '../../fund-batch/fund-batch.commands';
import { ProjectCommand } from '../../project/project.commands';
import { assertNever } from '../../shared/domain/domain-error';

/** The business date that puts a money entry in its fiscal year, and the field that holds it. */
export interface EntryDate {
  field: string;
  date: string;
}

/**
 * The date a project command books money on, or null for a command that books none (registration,
 * the register of households, milestones, votes). A payment of an indicator carried over (结转) is
 * dated in the year it is carried into: its paidOn. The allocation flow's own commands are judged
 * by the fund-batch command that starts them (batchEntryDate).
 */
export function projectEntryDate(c: ProjectCommand): EntryDate | null {
  switch (c.type) {
    case 'PledgeFunding':
      return { field: 'pledgedOn', date: c.pledgedOn };
    case 'ReceiveFunds':
      return { field: 'receivedOn', date: c.receivedOn };
    case 'DisburseFunds':
    case 'MakeTreasuryPayment':
      return { field: 'paidOn', date: c.paidOn };
    case 'ReverseEntry':
      return { field: 'reversedOn', date: c.reversedOn };
    case 'RecordAllocation':
      return { field: 'allocatedOn', date: c.allocatedOn };
    case 'ReleaseAllocation':
      return { field: 'releasedOn', date: c.releasedOn };
    case 'RegisterProject':
    case 'ApproveProject':
    case 'AddBudgetLine':
    case 'RegisterHouseholds':
    case 'CorrectHousehold':
    case 'RecordOwnerVote':
    case 'AdoptCostSharePlan':
    case 'RecordMilestone':
      return null;
    default:
      return assertNever(c, 'project command');
  }
}

/** The date a fund-batch command books money on: an indicator's issue, an allocation, its reversal. */
export function batchEntryDate(c: FundBatchCommand): EntryDate {
  switch (c.type) {
    case 'IssueFundBatch':
      return { field: 'issuedOn', date: c.issuedOn };
    case 'AllocateFunds':
      return { field: 'allocatedOn', date: c.allocatedOn };
    case 'ReverseAllocation':
      return { field: 'reversedOn', date: c.reversedOn };
    default:
      return assertNever(c, 'fund-batch command');
  }
}
