/**
 * The command a demo request (a project's write, as the demo sends it over HTTP) becomes: the
 * slice of its route builds it from the body, exactly as that route's controller does.
 */
import { DemoRequest, projectRouteOf } from '../../src/demo/demo-district';
import { addBudgetLineCommand } from '../../src/funding/add-budget-line/add-budget-line.dto';
import { adoptCostSharePlanCommand } from '../../src/funding/adopt-cost-share-plan/adopt-cost-share-plan.dto';
import { approveProjectCommand } from '../../src/funding/approve-project/approve-project.dto';
import { makeTreasuryPaymentCommand } from '../../src/funding/make-treasury-payment/make-treasury-payment.dto';
import { disburseFundsCommand } from '../../src/funding/disburse-funds/disburse-funds.dto';
import { pledgeFundingCommand } from '../../src/funding/pledge-funding/pledge-funding.dto';
import { receiveFundsCommand } from '../../src/funding/receive-funds/receive-funds.dto';
import { recordOwnerVoteCommand } from '../../src/funding/record-owner-vote/record-owner-vote.dto';
import { registerHouseholdsCommand } from '../../src/funding/register-households/register-households.dto';
import { registerProjectCommand } from '../../src/funding/register-project/register-project.dto';
import { reverseEntryCommand } from '../../src/funding/reverse-entry/reverse-entry.dto';
import { recordMilestoneCommand } from '../../src/funding/record-milestone/record-milestone.dto';
import { ProjectCommand } from '../../src/project/project.commands';

/** `today` (YYYY-MM-DD) is the day the request is recorded: it dates a reversal that names no date, and bounds money's dates. */
export function demoCommandOf(r: DemoRequest, today: string): ProjectCommand {
  // The demo's bodies are the JSON a client sends; the DTO type is what the validation pipe lets through.
  const body = r.body as never;
  switch (projectRouteOf(r)) {
    case 'register':
      return registerProjectCommand(body);
    case 'approval':
      return approveProjectCommand(r.projectId, body);
    case 'budget-lines':
      return addBudgetLineCommand(r.projectId, body);
    case 'pledges':
      return pledgeFundingCommand(r.projectId, body, today);
    case 'receipts':
      return receiveFundsCommand(r.projectId, body, today);
    case 'disbursements':
      return disburseFundsCommand(r.projectId, body, today);
    case 'treasury-payments':
      return makeTreasuryPaymentCommand(r.projectId, body, today);
    case 'reversals':
      return reverseEntryCommand(r.projectId, body, today);
    case 'households':
      return registerHouseholdsCommand(r.projectId, body);
    case 'votes':
      return recordOwnerVoteCommand(r.projectId, body, today);
    case 'cost-shares':
      return adoptCostSharePlanCommand(r.projectId, body);
    case 'milestones':
      return recordMilestoneCommand(r.projectId, body, today);
  }
}
