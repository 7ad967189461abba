import { PolicyRule, ruleReference } from '../policy/policy-rule';
import { DomainError } from '../shared/domain/domain-error';
import { InputErrors } from '../shared/domain/input-rules';

/**
 * Every rule the project decider enforces, with its stable code. Clients match on `code`;
 * each one has a spec in test/unit/project that breaks it on purpose.
 */
export const ProjectErrors = {
  projectNotFound: (id: string) => new DomainError('project-not-found', `project ${id} is not registered`, 404),
  projectExists: (id: string) =>
    new DomainError('project-exists', `project ${id} is already registered`, 409, 'projectId'),
  notApproved: (id: string) =>
    new DomainError('project-not-approved', `project ${id} is not approved: no disbursement before approval`, 409),
  reapprovalRequired: (id: string, budgetTotal: string, approvedInvestment: string, rule: PolicyRule) =>
    new DomainError(
      'reapproval-required',
      `project ${id}: budget lines added after the approval take the budget to ${budgetTotal}, above the approved investment ${approvedInvestment} (概算调整), so it must be approved again before any disbursement (${rule.source.document} ${rule.source.clause})`,
      409,
      undefined,
      ruleReference(rule),
    ),
  approvalPathNotAllowed: (path: string, allowed: string, why: string, rule: PolicyRule) =>
    new DomainError(
      'approval-path-not-allowed',
      `path ${path} is not the one ${rule.ruleId} (${rule.source.document} ${rule.source.clause}) allows: ${why}, so the path is ${allowed}`,
      422,
      'path',
      ruleReference(rule),
    ),
  jointReviewRequired: (approvedOn: string, rule: PolicyRule) =>
    new DomainError(
      'joint-review-required',
      `approval on the renovation plan (plan_review) rests on a joint review that passed ("根据联合审查通过的…方案和审查意见", ${rule.source.document} ${rule.source.clause}), and none is recorded on or before ${approvedOn}: record the joint review (POST .../milestones, kind joint_review) first`,
      422,
      'approvedOn',
      ruleReference(rule),
    ),
  dateBeforeApproval: (paidOn: string, approvedOn: string) =>
    new DomainError(
      'date-before-approval',
      `paidOn ${paidOn} is before the project was approved (${approvedOn}): no disbursement before approval`,
      422,
      'paidOn',
    ),
  investmentBelowBudget: (investment: string, budget: string) =>
    new DomainError(
      'approved-investment-below-budget',
      `approvedInvestment ${investment} is below the budget lines' total ${budget}`,
      422,
      'approvedInvestment',
    ),
  lineExists: (lineId: string) =>
    new DomainError('budget-line-exists', `budget line ${lineId} already exists`, 409, 'lineId'),
  lineNotFound: (lineId: string) =>
    new DomainError('budget-line-not-found', `budget line ${lineId} does not exist on this project`, 422, 'lineId'),
  itemNotInCategory: (category: string, item: string) =>
    new DomainError('invalid-budget-item', `item ${item} is not in category ${category}`, 400, 'item'),
  invalidCategory: (category: string) =>
    new DomainError(
      'invalid-category',
      `category must be basic, improvement or enhancement (got ${category})`,
      400,
      'category',
    ),
  invalidUtility: (utility: string) =>
    new DomainError(
      'invalid-utility',
      `utility ${utility} is not one of water, drainage, power, gas, telecom, postal, broadcast`,
      400,
      'utility',
    ),
  unknownSource: (source: string) =>
    new DomainError(
      'unknown-source',
      `source ${source} is not a funding source code (see GET /api/funding-sources)`,
      400,
      'source',
    ),
  subFieldNotAllowed: (source: string, field: string) =>
    new DomainError('sub-field-not-allowed', `${field} does not apply to source ${source}`, 400, field),
  subFieldRequired: (source: string, field: string) =>
    new DomainError('sub-field-required', `source ${source} requires ${field}`, 400, field),
  invalidSubField: (field: string, value: string, allowed: readonly string[]) =>
    new DomainError('invalid-sub-field', `${field} ${value} is not one of ${allowed.join(', ')}`, 400, field),
  lineRequired: (source: string, rule: PolicyRule) =>
    new DomainError(
      'line-required',
      `source ${source} is restricted: name the budget line it is earmarked to (lineId)`,
      422,
      'lineId',
      ruleReference(rule),
    ),
  sourceLineMismatch: (source: string, lineId: string, why: string, rule: PolicyRule) =>
    new DomainError(
      'source-line-mismatch',
      `source ${source} may not pay line ${lineId}: ${why}`,
      422,
      'lineId',
      ruleReference(rule),
    ),
  pipelinePayerNotNamed: (utility: string, rule: PolicyRule) =>
    new DomainError(
      'pipeline-payer-not-named',
      `no rule in force names the ${utility} utility among the units that pay for pipeline works (GET /api/policies)`,
      422,
      'utility',
      ruleReference(rule),
    ),
  centralDoubleSupport: (source: string, other: string, lineId: string, rule: PolicyRule) =>
    new DomainError(
      'central-double-support',
      `line ${lineId} already has ${other}; ${source} may not support the same line (no 重复支持)`,
      422,
      'lineId',
      ruleReference(rule),
    ),
  /** Issue 18: a receipt's reference and a payment's voucher are unique per bank account. */
  referenceHeld: (
    field: 'reference' | 'voucher',
    value: string,
    held: { accountId: string; projectId: string; entryId: string; kind: string },
  ) =>
    new DomainError(
      'reference-exists',
      `${field} ${value} is already the ${field} of ${held.kind} ${held.entryId} of project ${held.projectId} on bank account ${held.accountId}: it is unique per account`,
      409,
      field,
    ),
  entryExists: (id: string) =>
    new DomainError('entry-id-exists', `an entry with id ${id} already exists on this project`, 409),
  pledgeNotFound: (id: string) =>
    new DomainError('pledge-not-found', `pledge ${id} does not exist on this project`, 422, 'pledgeId'),
  pledgeSourceMismatch: (pledgeSource: string, source: string) =>
    new DomainError(
      'pledge-source-mismatch',
      `the pledge is from ${pledgeSource}, the receipt from ${source}`,
      422,
      'source',
    ),
  pledgeLineMismatch: (pledgeLine: string, lineId: string) =>
    new DomainError(
      'pledge-line-mismatch',
      `the pledge is earmarked to line ${pledgeLine}, the receipt to ${lineId}`,
      422,
      'lineId',
    ),
  receiptExceedsPledge: (amount: string, remaining: string) =>
    new DomainError(
      'receipt-exceeds-pledge',
      `receipt of ${amount} exceeds what remains of the pledge (${remaining})`,
      422,
      'amount',
    ),
  disbursementExceedsLine: (lineId: string, amount: string, room: string) =>
    new DomainError(
      'disbursement-exceeds-budget-line',
      `paying ${amount} on line ${lineId} takes it above its estimated cost: ${room} of the estimate is not yet paid; a budget revision is a new budget line (and approval again if the budget then exceeds the approved investment)`,
      422,
      'amount',
    ),
  insufficientAtDate: (what: string, amount: string, date: string, lowest: string, on: string) =>
    new DomainError(
      'insufficient-funds-at-date',
      `${amount} dated ${date} is more than ${what} held on ${on} (${lowest}): every date from an entry's own on must stay covered, as the as-of view shows it; date it later, or record the earlier money first`,
      422,
      'amount',
    ),
  dateBeforeEntry: (field: string, date: string, entryId: string, entryDate: string) =>
    new DomainError(
      'date-before-entry',
      `${field} ${date} is before ${entryId}, the entry it draws on or reverses, dated ${entryDate}`,
      422,
      field,
    ),
  fiscalYearMismatch: (field: string, date: string, fiscalYear: number, rule: PolicyRule) =>
    new DomainError(
      'fiscal-year-mismatch',
      `fiscalYear ${fiscalYear} does not fit ${field} ${date}: the fiscal year is the calendar year of the date, or the year before it for carried-over money (结转)`,
      422,
      'fiscalYear',
      ruleReference(rule),
    ),
  disbursementExceedsReceipts: (source: string, amount: string, available: string) =>
    new DomainError(
      'disbursement-exceeds-receipts',
      `disbursing ${amount} from ${source} exceeds what was received from it and not yet paid (${available})`,
      422,
      'amount',
    ),
  entryNotFound: (id: string) =>
    new DomainError('entry-not-found', `no pledge, receipt or payment ${id} on this project`, 422, 'entryId'),
  reversalExceedsEntry: (amount: string, remaining: string) =>
    new DomainError(
      'reversal-exceeds-entry',
      `reversal of ${amount} exceeds what remains of the entry (${remaining})`,
      422,
      'amount',
    ),
  nothingToReverse: (id: string, field: 'entryId' | 'allocationId' = 'entryId') =>
    new DomainError(
      'nothing-to-reverse',
      `${field === 'entryId' ? 'entry' : 'allocation'} ${id} has nothing left to reverse`,
      422,
      field,
    ),
  reversalBreaksDisbursed: (source: string, amount: string, available: string) =>
    new DomainError(
      'reversal-exceeds-available',
      `reversing ${amount} of a ${source} receipt would leave more disbursed than received (available ${available})`,
      422,
      'amount',
    ),
  allocationNotFound: (id: string) =>
    new DomainError(
      'allocation-not-found',
      `no fund-batch allocation ${id} on this project (allocate it with POST /api/fund-batches/:id/allocations first)`,
      422,
      'allocationId',
    ),
  allocationIdTaken: (id: string, batchId: string) =>
    new DomainError(
      'allocation-id-exists',
      `allocation id ${id} is already used on this project by fund batch ${batchId}`,
      409,
      'allocationId',
    ),
  allocationSourceMismatch: (allocationSource: string, source: string) =>
    new DomainError(
      'allocation-source-mismatch',
      `the allocation is ${allocationSource} money, the entry says ${source}`,
      422,
      'source',
    ),
  allocationProgramMismatch: (allocationProgram: string, program: string) =>
    new DomainError(
      'allocation-program-mismatch',
      `the allocation is from municipal programme ${allocationProgram}, the receipt names ${program}`,
      422,
      'program',
    ),
  receiptExceedsAllocation: (allocationId: string, amount: string, remaining: string) =>
    new DomainError(
      'receipt-exceeds-allocation',
      `receipt of ${amount} exceeds what remains of allocation ${allocationId} (${remaining})`,
      422,
      'amount',
    ),
  disbursementExceedsAllocation: (allocationId: string, amount: string, available: string) =>
    new DomainError(
      'disbursement-exceeds-allocation',
      `paying ${amount} on allocation ${allocationId} exceeds what was received on it and not yet paid (${available})`,
      422,
      'amount',
    ),
  dateBeforeAllocation: (field: string, date: string, allocationId: string, allocatedOn: string) =>
    new DomainError(
      'date-before-allocation',
      `${field} ${date} is before allocation ${allocationId} was made (${allocatedOn})`,
      422,
      field,
    ),
  allocationDrawn: (allocationId: string, amount: string, undrawn: string) =>
    new DomainError(
      'allocation-drawn',
      `reversing ${amount} of allocation ${allocationId} exceeds what receipts have not drawn on it (${undrawn}); reverse those receipts first`,
      422,
      'amount',
    ),
  // -------------------------------------------------------------------------------------------
  // the residents' share: household register, owners' votes, cost-sharing plans, household payments
  householdExists: (householdId: string, field: string, inRequest = false) =>
    new DomainError(
      'household-exists',
      inRequest
        ? `household ${householdId} appears twice in this request: a household is registered once`
        : `household ${householdId} is already in the register; change its facts with a correction`,
      409,
      field,
      undefined,
      [householdId],
    ),
  roomTaken: (room: { building: string; unit: string; room: string }, householdId: string, field: string) =>
    new DomainError(
      'household-room-exists',
      `building ${room.building}, unit ${room.unit}, room ${room.room} is household ${householdId} already: a unit with its own title is one household, registered once (correct the entry that is wrong)`,
      409,
      field,
      undefined,
      [householdId],
    ),
  householdNotFound: (householdId: string, field: string, status: 404 | 422 = 422) =>
    new DomainError(
      'household-not-found',
      `household ${householdId} is not in this project's register (POST /api/projects/:id/households)`,
      status,
      field,
      undefined,
      [householdId],
    ),
  unknownField: (field: string) =>
    new DomainError('unknown-field', `${field} is not a field of this request`, 400, field),
  invalidRegister: (why: string) => new DomainError('invalid-field', `households ${why}`, 400, 'households'),
  exclusiveAreaAboveBuildingArea: (field: string, exclusiveArea: string, buildingArea: string) =>
    new DomainError(
      'invalid-area',
      `${field} ${exclusiveArea} m² is larger than the building area ${buildingArea} m²: the exclusive part (专有部分) is part of the building area`,
      400,
      field,
    ),
  nothingToCorrect: (householdId: string) =>
    new DomainError(
      'nothing-to-correct',
      `the correction changes none of household ${householdId}'s facts: name at least one field with a new value`,
      422,
      undefined,
      undefined,
      [householdId],
    ),
  invalidScope: (problem: string, field = 'scope') =>
    new DomainError('invalid-scope', `${field} ${problem}`, 400, field),
  exemptOutsideScope: (householdId: string, field: string) =>
    new DomainError(
      'exempt-outside-scope',
      `household ${householdId} is exempted but is not in the plan's scope: only the scope's households can be exempted`,
      422,
      field,
      undefined,
      [householdId],
    ),
  voteExists: (voteId: string) =>
    new DomainError('vote-exists', `vote ${voteId} is already recorded on this project`, 409, 'voteId'),
  voteNotFound: (voteId: string, status: 404 | 422 = 422) =>
    new DomainError('vote-not-found', `no owners' vote ${voteId} is recorded on this project`, status, 'voteId'),
  voteRequired: (what: string, rule: PolicyRule) =>
    new DomainError('vote-required', what, 422, 'voteId', ruleReference(rule)),
  voteNotPassed: (voteId: string, rule: PolicyRule) =>
    new DomainError(
      'vote-not-passed',
      `owners' vote ${voteId} did not pass (GET .../votes/${voteId} shows its figures): it allows nothing`,
      422,
      'voteId',
      ruleReference(rule),
    ),
  voteMatterMismatch: (voteId: string, matter: string, needed: string, why: string, rule: PolicyRule) =>
    new DomainError(
      'vote-matter-mismatch',
      `owners' vote ${voteId} decided a ${matter} matter; ${why} needs a ${needed} vote`,
      422,
      'voteId',
      ruleReference(rule),
    ),
  voteScopeMismatch: (voteId: string, householdId: string, uncovered: number) =>
    new DomainError(
      'vote-scope-mismatch',
      `owners' vote ${voteId} does not cover every household it must bind: ${uncovered} are outside its scope, e.g. household ${householdId}`,
      422,
      'voteId',
      undefined,
      [householdId],
    ),
  dateBeforeVote: (field: string, date: string, voteId: string, heldOn: string) =>
    new DomainError(
      'date-before-vote',
      `${field} ${date} is before owners' vote ${voteId} was held (${heldOn}): a vote allows what comes after it`,
      422,
      field,
    ),
  planExists: (planId: string) =>
    new DomainError('plan-exists', `cost-sharing plan ${planId} is already adopted on this project`, 409, 'planId'),
  planNotFound: (planId: string, status: 404 | 422 = 422) =>
    new DomainError('plan-not-found', `no cost-sharing plan ${planId} on this project`, status, 'planId'),
  planRequired: (source: string, rule: PolicyRule) =>
    new DomainError(
      'plan-required',
      `a ${source} receipt on a project with a household register pays a household's share: name the plan (planId) and the household (householdId)`,
      422,
      'planId',
      ruleReference(rule),
    ),
  providentNeedsPlan: (projectId: string, rule: PolicyRule) =>
    new DomainError(
      'provident-needs-plan',
      `a provident-fund withdrawal finances a household's own share (domain.md R-CS7: never more than its allocated share), and project ${projectId} has no household register, so no share to finance: register the households (POST .../households), adopt the plan (POST .../cost-shares), then name planId and householdId`,
      422,
      'planId',
      ruleReference(rule),
    ),
  householdRequired: (planId: string) =>
    new DomainError(
      'household-required',
      `a receipt paying plan ${planId} names the household whose share it pays (householdId)`,
      422,
      'householdId',
    ),
  householdNotInPlan: (householdId: string, planId: string) =>
    new DomainError(
      'household-not-in-plan',
      `household ${householdId} has no share in plan ${planId}`,
      422,
      'householdId',
      undefined,
      [householdId],
    ),
  planLineMismatch: (planId: string, lineId: string, lineIds: readonly string[]) =>
    new DomainError(
      'plan-line-mismatch',
      `plan ${planId} shares lines ${lineIds.join(', ')}, not line ${lineId}`,
      422,
      'lineId',
    ),
  paymentExceedsShare: (householdId: string, planId: string, amount: string, outstanding: string) =>
    new DomainError(
      'payment-exceeds-share',
      `paying ${amount} for household ${householdId} in plan ${planId} exceeds what it still owes (${outstanding})`,
      422,
      'amount',
      undefined,
      [householdId],
    ),
  providentExceedsShare: (householdId: string, planId: string, amount: string, outstanding: string, rule: PolicyRule) =>
    new DomainError(
      'provident-exceeds-share',
      `a provident-fund withdrawal of ${amount} for household ${householdId} exceeds its outstanding share in plan ${planId} (${outstanding}): a withdrawal finances the household's own share, never more (domain.md R-CS7)`,
      422,
      'amount',
      ruleReference(rule),
      [householdId],
    ),
  shareExceedsNetCost: (amount: string, room: string, lineIds: readonly string[], rule: PolicyRule) =>
    new DomainError(
      'share-exceeds-net-cost',
      `residents may share at most ${room} of lines ${lineIds.join(', ')}: their estimated cost less what other sources have pledged or paid in to them and less the other plans on them (domain.md R-CS6); ${amount} is more`,
      422,
      'amount',
      ruleReference(rule),
    ),
  fundingExceedsNetCost: (
    source: string,
    amount: string,
    room: string,
    planId: string,
    lineIds: readonly string[],
    rule: PolicyRule,
  ) =>
    new DomainError(
      'funding-exceeds-net-cost',
      `${amount} of ${source} on lines ${lineIds.join(', ')} would take what other sources put on them, with the residents' plans on them (plan ${planId} and those sharing its lines), above their estimated cost: ${room} is left (domain.md R-CS6: sources assigned to a line may not exceed its cost, and residents share the cost net of the others); reduce the plan first, or add a budget line`,
      422,
      'amount',
      ruleReference(rule),
    ),
  // -------------------------------------------------------------------------------------------
  // the project's life: milestones (lifecycle.ts)
  milestoneExists: (milestoneId: string) =>
    new DomainError(
      'milestone-exists',
      `milestone ${milestoneId} is already recorded on this project`,
      409,
      'milestoneId',
    ),
  milestoneAlreadyRecorded: (kind: string, milestoneId: string, on: string) =>
    new DomainError(
      'milestone-already-recorded',
      `a project has one ${kind}, and milestone ${milestoneId} (${on}) is it: a correction is a matter for the record of that milestone, not a second one`,
      409,
      'kind',
    ),
  milestoneOutOfOrder: (kind: string, field: string, date: string, needs: string, found: string, rule: PolicyRule) =>
    new DomainError(
      'milestone-out-of-order',
      `${kind} dated ${date} needs ${needs} first, recorded on or before that day (${rule.ruleId}: ${rule.source.document} ${rule.source.clause}); ${found}`,
      422,
      field,
      ruleReference(rule),
    ),
  publicityTooShort: (startDate: string, endDate: string, minimumDays: number, lastDay: string, rule: PolicyRule) =>
    new DomainError(
      'publicity-too-short',
      `a publicity from ${startDate} to ${endDate} is shorter than ${minimumDays} days (the day it starts not counted): it must stay up until ${lastDay} at least (${rule.ruleId}; the seed sets no length, see GET /api/policies)`,
      422,
      'endDate',
      ruleReference(rule),
    ),
  jointReviewIncomplete: (why: string, field: string, rule: PolicyRule) =>
    new DomainError(
      'joint-review-incomplete',
      `the joint review ${why} ("${rule.source.quote}", ${rule.source.document} ${rule.source.clause})`,
      422,
      field,
      ruleReference(rule),
    ),
  acceptanceParticipantsMissing: (why: string, field: string, rule: PolicyRule) =>
    new DomainError(
      'acceptance-participants-missing',
      `the joint acceptance ${why} ("${rule.source.quote}", ${rule.source.document} ${rule.source.clause})`,
      422,
      field,
      ruleReference(rule),
    ),
  exemptionNotAllowed: (kind: string, exemption: string, why: string, field: string, rule: PolicyRule) =>
    new DomainError(
      'exemption-not-allowed',
      `${kind} exemption ${exemption} is not allowed: ${why} (${rule.ruleId}, ${rule.source.document} ${rule.source.clause})`,
      422,
      field,
      ruleReference(rule),
    ),
  invalidCreditCode: (field: string, why: string) =>
    new DomainError('invalid-credit-code', `${field} is not a 统一社会信用代码 (GB 32100-2015): ${why}`, 400, field),
  contractExists: (contractId: string, milestoneId: string) =>
    new DomainError(
      'contract-exists',
      `contract ${contractId} is already recorded on this project (milestone ${milestoneId})`,
      409,
      'contractId',
    ),
  // ids, text, dates and fiscal years: the rules every door shares (input-rules.ts)
  ...InputErrors,
  invalidNumber: (field: string, why: string) => new DomainError('invalid-field', `${field} ${why}`, 400, field),
};
