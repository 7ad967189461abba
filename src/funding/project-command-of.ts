import { ProjectCommand } from '../project/project.commands';
import { detailsOf } from './pledge-funding/source-details.dto';

/** The write routes of a project, by the last segment of their path. */
export type ProjectRoute = 'register' | 'approval' | 'budget-lines' | 'pledges' | 'receipts' | 'disbursements' | 'reversals';

/**
 * The one mapping from a validated request body to the decider's command. `today` (YYYY-MM-DD)
 * dates a reversal that names no `reversedOn`.
 */
export function projectCommandOf(route: ProjectRoute, body: Record<string, any>, today: string): ProjectCommand {
  switch (route) {
    case 'register': {
      const { projectId, name, community, town, builtYear, buildingArea, households } = body;
      return { type: 'RegisterProject', projectId, name, community, town, builtYear, buildingArea, households };
    }
    case 'approval': {
      const { approvedInvestment, docNo, approvedOn } = body;
      return { type: 'ApproveProject', approvedInvestment, docNo, approvedOn };
    }
    case 'budget-lines': {
      const { lineId, category, item, utility, estimatedCost } = body;
      return { type: 'AddBudgetLine', lineId, category, item, utility, estimatedCost };
    }
    case 'pledges': {
      const { pledgeId, source, amount, payer, fiscalYear, pledgedOn, lineId } = body;
      return { type: 'PledgeFunding', pledgeId, source, amount, payer, fiscalYear, pledgedOn, lineId, details: detailsOf(body) };
    }
    case 'receipts': {
      const { receiptId, source, amount, payer, reference, receivedOn, fiscalYear, pledgeId, lineId, allocationId } = body;
      return { type: 'ReceiveFunds', receiptId, source, amount, payer, reference, receivedOn, fiscalYear, pledgeId, lineId, allocationId, details: detailsOf(body) };
    }
    case 'disbursements': {
      const { paymentId, source, lineId, amount, payee, voucher, paidOn, fiscalYear, allocationId } = body;
      return { type: 'DisburseFunds', paymentId, source, lineId, amount, payee, voucher, paidOn, fiscalYear, allocationId };
    }
    case 'reversals': {
      const { reversalId, entryId, amount, reason, reversedOn } = body;
      return { type: 'ReverseEntry', reversalId, entryId, amount, reason, reversedOn: reversedOn ?? today };
    }
  }
}
