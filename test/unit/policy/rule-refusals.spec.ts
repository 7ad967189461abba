/**
 * Every refusal that applies a policy rule names it (`rule.ruleId`, `rule.citation`), and a rule is
 * applied by the business date of the act it judges: each rule moved into the registry is broken
 * here once, and the same command dated before and after the seed took effect (2021-11-25) is
 * judged by the version of its date.
 */
import { pipelinePayerRule } from '../../../src/policy/pipeline-payers';
import { POLICIES } from '../../../src/policy/policies';
import { ProjectCommand } from '../../../src/project/project.commands';
import { ProjectEvent } from '../../../src/project/project.events';
import { DomainError } from '../../../src/shared/domain/domain-error';
import {
  approvedProject,
  budgetLine,
  budgeted,
  disburse,
  pledge,
  pledged,
  receive,
  received,
} from '../../support/project-fixtures';
import {
  PASSING_BALLOTS,
  adoptPlan,
  ballots,
  decided,
  householdsRegistered,
  recordVote,
  withDecided,
  withElevatorPlan,
} from '../../support/resident-fixtures';

/** The refusal `command` meets on `history` (a test fails when it is decided, or crashes). */
function refusal(history: ProjectEvent[], command: ProjectCommand): DomainError {
  let events: ProjectEvent[];
  try {
    events = decided(history, command);
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error(`expected a refusal, got ${JSON.stringify(events.map((e) => e.type))}`);
}

const ruleOf = (history: ProjectEvent[], command: ProjectCommand) => {
  const e = refusal(history, command);
  return { code: e.code, ruleId: e.rule?.ruleId };
};

const withdrawal = { householdId: 'H-3-2-601' };
const drainPipe = budgetLine({ lineId: 'B5-drain-pipe', item: 'drainage', utility: 'drainage', estimatedCost: '1.00' });

describe('earmarks: the refusal names the rule in force on the entry’s date', () => {
  it('provident fund on a roof: the seed’s rule after 2021-11-25, the ledger’s default before it', () => {
    const onRoof = { source: 'provident_fund', details: withdrawal, lineId: 'B1-roof' };
    expect(ruleOf(budgeted(), pledge({ ...onRoof, pledgedOn: '2021-11-25' }))).toEqual({
      code: 'source-line-mismatch',
      ruleId: 'provident-fund-earmark',
    });
    expect(ruleOf(budgeted(), pledge({ ...onRoof, pledgedOn: '2021-11-24' }))).toEqual({
      code: 'source-line-mismatch',
      ruleId: 'provident-fund-earmark-before-seed',
    });
    expect(refusal(budgeted(), pledge(onRoof)).rule?.citation).toBe('潼南府办发〔2021〕71号 四(一)');
  });

  it('a restricted source without a line (line-required) names its earmark', () => {
    expect(ruleOf(budgeted(), pledge({ source: 'provident_fund', details: withdrawal }))).toEqual({
      code: 'line-required',
      ruleId: 'provident-fund-earmark',
    });
    expect(ruleOf(budgeted(), pledge({ source: 'municipal_subsidy', details: { program: 'parking' } }))).toEqual({
      code: 'line-required',
      ruleId: 'municipal-programme-purpose',
    });
  });

  it('pipeline money on another utility’s line names the seed’s payers; drainage money names the local extension', () => {
    const gasOnWater = pledge({ source: 'pipeline_unit', details: { utility: 'gas' }, lineId: 'B4-water-supply' });
    expect(ruleOf(budgeted(), gasOnWater)).toEqual({ code: 'source-line-mismatch', ruleId: 'pipeline-unit-earmark' });
    const drainageOnGas = pledge({ source: 'pipeline_unit', details: { utility: 'drainage' }, lineId: 'B3-gas-pipe' });
    expect(ruleOf([...budgeted(), drainPipe], drainageOnGas)).toEqual({
      code: 'source-line-mismatch',
      ruleId: 'pipeline-unit-drainage-local',
    });
    const onRoof = pledge({ source: 'pipeline_unit', details: { utility: 'water' }, lineId: 'B1-roof' });
    expect(ruleOf(budgeted(), onRoof).ruleId).toBe('pipeline-unit-earmark');
  });

  it('a utility no rule names is not a payer: ending the drainage extension would refuse drainage money', () => {
    expect(pipelinePayerRule('drainage', '2022-01-01')?.ruleId).toBe('pipeline-unit-drainage-local');
    expect(pipelinePayerRule('gas', '2022-01-01')?.ruleId).toBe('pipeline-unit-earmark');
    const withoutDrainage = POLICIES.filter((r) => r.ruleId !== 'pipeline-unit-drainage-local');
    expect(pipelinePayerRule('drainage', '2022-01-01', withoutDrainage)).toBeUndefined();
  });

  it('municipal money outside its programme names the programme rule, at receipt and when paid', () => {
    const parkingOnRoof = receive({ source: 'municipal_subsidy', details: { program: 'parking' }, lineId: 'B1-roof' });
    expect(ruleOf(budgeted(), parkingOnRoof)).toEqual({
      code: 'source-line-mismatch',
      ruleId: 'municipal-programme-purpose',
    });
    const parkingMoney = received({
      source: 'municipal_subsidy',
      details: { program: 'parking' },
      lineId: 'I2-parking',
    });
    expect(
      ruleOf([...approvedProject(), parkingMoney], disburse({ source: 'municipal_subsidy', lineId: 'B1-roof' })),
    ).toEqual({ code: 'source-line-mismatch', ruleId: 'municipal-programme-purpose' });
  });

  it('the maintenance fund on own-home work names the common-parts rule', () => {
    const ownHome = pledge({ source: 'maintenance_fund', lineId: 'H1-own-home' });
    expect(ruleOf(budgeted(), ownHome)).toEqual({
      code: 'source-line-mismatch',
      ruleId: 'maintenance-fund-common-parts',
    });
    expect(ruleOf(budgeted(), { ...ownHome, pledgedOn: '2021-06-01' }).ruleId).toBe(
      'maintenance-fund-common-parts-before-seed',
    );
  });

  it('both central channels on one line name the double-support rule', () => {
    const budget = pledged({ pledgeId: 'P-CBI', source: 'central_budget_investment', lineId: 'B1-roof' });
    const subsidy = pledge({ pledgeId: 'P-CFS', source: 'central_fiscal_subsidy', lineId: 'B1-roof' });
    expect(ruleOf([...budgeted(), budget], subsidy)).toEqual({
      code: 'central-double-support',
      ruleId: 'central-double-support-local',
    });
  });

  it('a fiscal year that does not fit the date names the budget law', () => {
    expect(ruleOf(budgeted(), receive({ fiscalYear: 2019 }))).toEqual({
      code: 'fiscal-year-mismatch',
      ruleId: 'fiscal-year-budget-law-18',
    });
  });
});

describe("the residents' share: the refusal names the rule", () => {
  const twelve = ['101', '102', '201', '202', '301', '302', '401', '402', '501', '502', '601', '602'];
  const withRegister = (): ProjectEvent[] => [...budgeted(), householdsRegistered()];
  const fundReceipt = (overrides: Parameters<typeof receive>[0] = {}) =>
    receive({ receiptId: 'R-FUND', source: 'maintenance_fund', amount: '1.00', lineId: 'B1-roof', ...overrides });

  it('a maintenance-fund receipt without a vote names the law of its date (民法典 from 2021)', () => {
    expect(ruleOf(withRegister(), fundReceipt())).toEqual({
      code: 'vote-required',
      ruleId: 'maintenance-fund-vote-civil-code',
    });
    expect(ruleOf(withRegister(), fundReceipt({ receivedOn: '2020-12-10', fiscalYear: 2020 })).ruleId).toBe(
      'maintenance-fund-vote-property-law',
    );
  });

  it('a vote of another matter names the rule that needs the vote; one that failed, the bounds it failed', () => {
    const alterationVote = withDecided(
      withRegister(),
      recordVote({ voteId: 'V-FUND', ballots: ballots(twelve, 'agree'), heldOn: '2021-11-01' }),
    );
    expect(ruleOf(alterationVote, fundReceipt({ voteId: 'V-FUND' }))).toEqual({
      code: 'vote-matter-mismatch',
      ruleId: 'maintenance-fund-vote-civil-code',
    });
    const failed = withDecided(
      withRegister(),
      recordVote({ voteId: 'V-FUND', matter: 'fund_use', ballots: ballots(['101'], 'agree'), heldOn: '2020-06-01' }),
    );
    expect(ruleOf(failed, fundReceipt({ voteId: 'V-FUND' }))).toEqual({
      code: 'vote-not-passed',
      ruleId: 'property-law-76',
    });
  });

  it('an elevator plan without a vote names the alteration rule', () => {
    const voted = withDecided(withRegister(), recordVote({ ballots: PASSING_BALLOTS }));
    expect(ruleOf(voted, adoptPlan({ voteId: undefined }))).toEqual({
      code: 'vote-required',
      ruleId: 'alteration-vote-civil-code',
    });
  });

  it('a plan beyond the net cost, and money beyond what a plan leaves, name R-CS6', () => {
    const voted = withDecided(withRegister(), recordVote({ ballots: PASSING_BALLOTS }));
    const subsidy = pledged({ pledgeId: 'P-SUB', amount: '200000.01', lineId: 'I1-elevator' });
    expect(ruleOf([...voted, subsidy], adoptPlan())).toEqual({
      code: 'share-exceeds-net-cost',
      ruleId: 'residents-share-net-cost-local',
    });
    expect(
      ruleOf(withElevatorPlan(), pledge({ pledgeId: 'P-SUB', amount: '200000.01', lineId: 'I1-elevator' })),
    ).toEqual({ code: 'funding-exceeds-net-cost', ruleId: 'residents-share-net-cost-local' });
  });

  it('a withdrawal with no share to finance, or beyond it, names R-CS7', () => {
    const withdraw = (overrides: Parameters<typeof receive>[0] = {}) =>
      receive({
        receiptId: 'R-PF',
        source: 'provident_fund',
        details: withdrawal,
        lineId: 'I1-elevator',
        ...overrides,
      });
    expect(ruleOf(budgeted(), withdraw())).toEqual({
      code: 'provident-needs-plan',
      ruleId: 'provident-fund-within-share-local',
    });
    expect(ruleOf(withElevatorPlan(), withdraw())).toEqual({
      code: 'plan-required',
      ruleId: 'provident-fund-within-share-local',
    });
    expect(ruleOf(withElevatorPlan(), withdraw({ planId: 'PLAN-ELEVATOR', amount: '58823.54' }))).toEqual({
      code: 'provident-exceeds-share',
      ruleId: 'provident-fund-within-share-local',
    });
  });
});
