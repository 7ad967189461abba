/**
 * The demo district: a deterministic, Tongnan-like set of renovation projects and the HTTP
 * requests that load it, in order, through the same API any client uses.
 *
 * Pure: the same seed always gives the same requests (a seeded PRNG, no Math.random, no clock).
 * Money is integer fen (bigint) from the first draw to the last; amounts leave as two-decimal
 * strings. Every request respects the ledger's rules (src/project/project.decider.ts): restricted
 * sources are earmarked to lines that fit them, the two central channels never share a line,
 * payments follow approval and never exceed what their source has received, and a reversal never
 * takes back more than remains. test/unit/demo-district.spec.ts folds the whole district through
 * the decider to hold it to that.
 *
 * Each project's life (demo-lifecycle.ts) follows the seed's sequence (一(三)): an earlier batch
 * approved and started in 2020 and accepted in 2021, the 2021 batch started in 2021 and accepted in
 * 2022, the 2022 batch started in 2022. Money is received once its project is approved and paid
 * once the payee's contract is signed, but where something goes wrong on purpose for the red flags
 * (plantIrregularities; demo-irregularities.ts lists them).
 */
import { fenOfStored, formatFen } from '../shared/money/money';
import { ruleInForce } from '../policy/policies';
import { FUNDING_FAMILIES, HouseholdFee } from '../policy/rules/funding.rules';
import { ApprovalPathSettings, SEED_APPROVAL_PATH } from '../policy/rules/approval.rules';
import { SEED_JOINT_REVIEWERS } from '../policy/rules/lifecycle.rules';
import { ApprovalPath, Category, approvalPathUnder } from '../project/renovation-content';
import {
  CONTRACTORS,
  CommunityScale,
  DEMO_COMMUNITIES,
  DemoCommunity,
  DemoStage,
  EARLIER_COMMUNITIES,
  ELEVATOR_CONTRACTOR,
  UTILITY_COMPANIES,
} from './demo-communities';
import {
  DemoLifecycle,
  DemoPayee,
  LifecycleInput,
  PROGRESS_PAYMENT_CAP_PERCENT,
  planLifecycle,
} from './demo-lifecycle';
import { DemoIrregularity, Plants, irregularitiesOf } from './demo-irregularities';
import { ContributionDraw, DemoFundBatch, addFundBatches } from './demo-fund-batches';
import { DemoResidents, planResidents } from './demo-residents';
import { SeededRandom } from './seeded-random';
import { DemoStatements, IN_KIND_DONATION_REFERENCE, demoStatements } from './demo-statements';
import { makeTreasuryPayments } from './demo-treasury';
import { entryOf } from '../project/residents';
import {
  BP_WHOLE,
  DEMO_FIRST_DAY,
  DEMO_LAST_DAY,
  FIRST,
  HUNDRED_YUAN,
  LAST,
  VOUCHER_PENDING,
  WAN_YUAN,
  YUAN,
  ceilTo,
  dayOf,
  floorTo,
  isoOf,
  minFen,
  percentOf,
  yearOf,
  yuan,
} from './demo-units';

export type { DemoStage } from './demo-communities';
export type { DemoAllocation, DemoFundBatch } from './demo-fund-batches';
export type { DemoRequest, DemoRole } from './demo-units';
export type { DemoIrregularity } from './demo-irregularities';
import type { DemoRequest, DemoRole } from './demo-units';

/** 潼南府办发〔2021〕71号 was issued on 2021-11-25. */
export const DEMO_SEED = 20211125;

export interface DemoProject {
  projectId: string;
  name: string;
  community: string;
  town: string;
  builtYear: number;
  households: number;
  buildingArea: number;
  stage: DemoStage;
  /** The plan year (demo-communities.ts): 2020 the earlier batch, 2021, 2022. */
  batch: DemoCommunity['batch'];
  budgetTotal: string;
  approvedInvestment: string | null;
  approvalPath: ApprovalPath | null;
  /** Funding sources with money received, net of reversals. */
  sourcesReceived: string[];
  requestCount: number;
}

/** A project's residents' side, as `npm run demo` describes it (demo-residents.ts). */
export interface DemoResidentsSummary {
  projectId: string;
  households: number;
  votes: { voteId: string; matter: string; passed: boolean; areaMet: boolean; ownersMet: boolean }[];
  plans: { planId: string; kind: string; lineIds: string[]; amount: string; households: number }[];
  /** Paid into the plans, all households and channels, and what is still owed. */
  paid: string;
  outstanding: string;
  /** A household with a provident-fund withdrawal and a balance still owed, whose statement to try. */
  statementHouseholdId?: string;
}

export interface DemoDistrict {
  seed: number;
  projects: DemoProject[];
  /** The projects with a household register, their votes and plans. */
  residents: DemoResidentsSummary[];
  /** Fund batches with their allocations, in the order they are issued. */
  batches: DemoFundBatch[];
  /** In load order: the batches first, then each project's requests with its allocations among them. */
  requests: DemoRequest[];
  /** What the district does wrong on purpose, for the red flags to find (demo-irregularities.ts). */
  irregularities: DemoIrregularity[];
  /** The towns' special accounts and their bank statements, with the differences planted in them (demo-statements.ts). */
  statements: DemoStatements;
}

// ---------------------------------------------------------------------------------------------
// days and money: see demo-units.ts

export { DEMO_FIRST_DAY, DEMO_LAST_DAY } from './demo-units';

// ---------------------------------------------------------------------------------------------
// budget lines

interface Line {
  lineId: string;
  category: Category;
  item: string;
  utility?: string;
  costFen: bigint;
}
type LineDraft = Omit<Line, 'lineId'>;

/** Yuan per household: [low, high]. */
const PER_HOUSEHOLD: Record<string, [number, number]> = {
  roof: [900, 1600],
  facade: [1500, 2800],
  road: [600, 1100],
  drainage: [700, 1300],
  fire_safety: [300, 600],
  security: [200, 450],
  stair_railing: [150, 320],
  canopy: [100, 260],
  waste_sorting: [80, 200],
  septic_tank: [250, 520],
  greening: [300, 700],
  lighting: [150, 300],
  boundary_wall: [120, 260],
  energy_saving: [900, 1500],
};
/** Pipeline work per household, by utility: [item, low, high]. */
const PIPELINES: Record<string, [string, number, number]> = {
  water: ['water_supply', 4200, 4800],
  gas: ['gas', 4600, 5400],
  power: ['power', 2400, 3800],
  telecom: ['telecom', 500, 900],
  broadcast: ['telecom', 300, 520],
  drainage: ['drainage', 900, 1500],
};
/** Whole-line yuan: [low, high]. */
const FIXED: Record<string, [number, number]> = {
  parking: [300_000, 1_200_000],
  ev_charging: [120_000, 380_000],
  culture_sports: [80_000, 240_000],
  property_office: [150_000, 380_000],
  elderly_care: [350_000, 900_000],
  meal_aid: [200_000, 550_000],
  childcare: [300_000, 800_000],
  community_service_centre: [400_000, 1_200_000],
  public_health: [150_000, 400_000],
  convenience_store: [100_000, 300_000],
};

/** Percent chance of an optional line, by scale: [town, street, large]. */
const OPTIONAL: [Category, string, string | undefined, [number, number, number]][] = [
  ['basic', 'security', undefined, [50, 80, 100]],
  ['basic', 'drainage', undefined, [50, 60, 100]],
  ['basic', 'stair_railing', undefined, [50, 50, 100]],
  ['basic', 'canopy', undefined, [40, 40, 60]],
  ['basic', 'waste_sorting', undefined, [40, 60, 100]],
  ['basic', 'septic_tank', undefined, [40, 20, 0]],
  ['basic', 'water_supply', 'water', [60, 70, 100]],
  ['basic', 'gas', 'gas', [40, 60, 70]],
  ['basic', 'power', 'power', [40, 50, 60]],
  ['basic', 'telecom', 'telecom', [20, 40, 100]],
  ['basic', 'telecom', 'broadcast', [15, 25, 60]],
  ['basic', 'drainage', 'drainage', [0, 15, 100]],
  ['improvement', 'greening', undefined, [60, 80, 100]],
  ['improvement', 'lighting', undefined, [60, 80, 100]],
  ['improvement', 'boundary_wall', undefined, [30, 25, 0]],
  ['improvement', 'energy_saving', undefined, [0, 15, 0]],
  ['improvement', 'parking', undefined, [10, 40, 100]],
  ['improvement', 'ev_charging', undefined, [0, 30, 100]],
  ['improvement', 'culture_sports', undefined, [25, 40, 100]],
  ['improvement', 'property_office', undefined, [15, 30, 100]],
  ['improvement', 'own_home', undefined, [15, 25, 50]],
  ['enhancement', 'community_service_centre', undefined, [15, 20, 100]],
  ['enhancement', 'elderly_care', undefined, [15, 30, 100]],
  ['enhancement', 'meal_aid', undefined, [0, 20, 50]],
  ['enhancement', 'childcare', undefined, [0, 15, 50]],
  ['enhancement', 'public_health', undefined, [10, 10, 0]],
  ['enhancement', 'convenience_store', undefined, [0, 15, 0]],
];
const SCALE_INDEX: Record<CommunityScale, number> = { town: 0, street: 1, large: 2 };

interface Elevators {
  count: number;
  costEachFen: bigint;
}
interface OwnHome {
  householdCostsFen: bigint[];
}

function draftLines(
  rng: SeededRandom,
  c: DemoCommunity,
  households: number,
): { lines: LineDraft[]; elevators?: Elevators; ownHome?: OwnHome } {
  const hh = BigInt(households);
  const perHousehold = (item: string): bigint =>
    hh * rng.bigint(yuan(PER_HOUSEHOLD[item][0]), yuan(PER_HOUSEHOLD[item][1]));
  const lines: LineDraft[] = ['roof', 'facade', 'road', 'fire_safety'].map((item) => ({
    category: 'basic' as Category,
    item,
    costFen: perHousehold(item),
  }));
  let elevators: Elevators | undefined;
  let ownHome: OwnHome | undefined;
  for (const [category, item, utility, chances] of OPTIONAL) {
    if (!rng.chance(chances[SCALE_INDEX[c.scale]])) continue;
    if (utility) {
      const [, lo, hi] = PIPELINES[utility];
      lines.push({ category, item, utility, costFen: hh * rng.bigint(yuan(lo), yuan(hi)) });
    } else if (item === 'own_home') {
      const count = Math.min(households, rng.int(3, c.scale === 'large' ? 16 : 8));
      ownHome = {
        householdCostsFen: Array.from({ length: count }, () => floorTo(rng.bigint(yuan(9_000), yuan(26_000)), YUAN)),
      };
      lines.push({ category, item, costFen: ownHome.householdCostsFen.reduce((a, b) => a + b, 0n) });
    } else if (FIXED[item]) {
      const [lo, hi] = FIXED[item];
      const cost = rng.bigint(yuan(lo), yuan(hi));
      lines.push({ category, item, costFen: c.scale === 'large' ? cost * 2n : cost });
    } else {
      lines.push({ category, item, costFen: perHousehold(item) });
    }
  }
  // 加装电梯: multi-storey blocks of the streets; a large estate does several stairwells.
  const wantsElevator = c.scale === 'large' || (c.scale === 'street' && c.builtYear >= 1988 && rng.chance(45));
  if (wantsElevator) {
    elevators = {
      count: c.scale === 'large' ? rng.int(4, 6) : rng.int(1, 3),
      costEachFen: floorTo(rng.bigint(yuan(560_000), yuan(680_000)), HUNDRED_YUAN),
    };
    lines.push({ category: 'improvement', item: 'elevator', costFen: elevators.costEachFen * BigInt(elevators.count) });
  }
  return { lines, elevators, ownHome };
}

/**
 * The path the approval-path rule in force on the approval's day gives (no demo project involves
 * independent infrastructure): `standard` before the seed took effect on 2021-11-25.
 */
export function demoApprovalPath(approvedFen: bigint, day: number): ApprovalPath {
  const rule = ruleInForce<ApprovalPathSettings>('approval-path', isoOf(day));
  return approvalPathUnder(rule.settings, { investmentFen: approvedFen, involvesIndependentInfrastructure: false })
    .path;
}

/**
 * The seed's threshold (10,000,000.00, "总投资在 1000 万元以上（含 1000 万元）"), as its rule
 * states it: what keeps a demo project on one side of it.
 */
const APPROVAL_THRESHOLD_FEN = fenOfStored(SEED_APPROVAL_PATH.mergedFsrFrom);

function approvedInvestmentFor(budgetFen: bigint, contingencyBp: number): bigint {
  return ceilTo((budgetFen * (BP_WHOLE + BigInt(contingencyBp))) / BP_WHOLE, WAN_YUAN);
}

/** Keeps ordinary projects on the plan-review path and large ones at or above the threshold. */
function sizeLines(
  drafts: { lines: LineDraft[]; elevators?: Elevators; ownHome?: OwnHome },
  c: DemoCommunity,
  contingencyBp: number,
) {
  const total = () => drafts.lines.reduce((t, l) => t + l.costFen, 0n);
  const ceiling = APPROVAL_THRESHOLD_FEN - 20_0000_00n; // 9,800,000.00: room below the merged-FSR threshold
  while (c.scale !== 'large' && approvedInvestmentFor(total(), contingencyBp) >= ceiling) {
    const optional = drafts.lines.filter((l) => l.category !== 'basic');
    const pool = optional.length > 0 ? optional : drafts.lines.filter((l) => l.utility !== undefined);
    if (pool.length === 0) throw new Error(`demo: cannot bring ${c.community} below the approval threshold`);
    const dropped = pool.reduce((a, b) => (b.costFen > a.costFen ? b : a));
    drafts.lines = drafts.lines.filter((l) => l !== dropped);
    if (dropped.item === 'elevator') drafts.elevators = undefined;
    if (dropped.item === 'own_home') drafts.ownHome = undefined;
  }
  const floor = APPROVAL_THRESHOLD_FEN + 50_0000_00n;
  if (c.scale === 'large' && total() < floor) {
    // The estate's roads and pipes outside the buildings (片区道路), enough to reach the FSR path.
    drafts.lines.push({ category: 'basic', item: 'road', costFen: floor - total() });
  }
}

function numberLines(drafts: LineDraft[]): Line[] {
  const prefix = (d: LineDraft) =>
    d.utility ? 'P' : d.category === 'basic' ? 'B' : d.category === 'improvement' ? 'I' : 'E';
  const order = ['B', 'P', 'I', 'E'];
  const sorted = drafts.slice().sort((a, b) => order.indexOf(prefix(a)) - order.indexOf(prefix(b)));
  const counters = new Map<string, number>();
  return sorted.map((d) => {
    const p = prefix(d);
    const n = (counters.get(p) ?? 0) + 1;
    counters.set(p, n);
    const slug = d.utility && d.utility !== d.item ? d.utility : d.item.replace(/_/g, '-');
    return { ...d, lineId: `${p}${n}-${slug}` };
  });
}

// ---------------------------------------------------------------------------------------------
// funding: who pays what on each line

type Scenario =
  'receipt-bounce' | 'receipt-refund' | 'payment-audit-cut' | 'payment-bounce' | 'pledge-cut' | 'pledge-withdrawn';

interface Contribution {
  source: string;
  /** The line the money is earmarked to; none for a project-level allocation (see `lines`). */
  lineId: string | undefined;
  /** A project-level allocation: pledged and received for the project, paid out line by line. */
  lines?: { lineId: string; amountFen: bigint }[];
  amountFen: bigint;
  payer: string;
  details: Record<string, string>;
  /** Pledged first (indicator, agreement, commitment letter), then received against the pledge. */
  pledged: boolean;
  /** Valued in kind: received at its valuation, never paid out as cash. */
  inKind: boolean;
  receivedPercent: number;
  paidPercent: number;
  scenario?: Scenario;
  /** Day of the first entry, when it must follow something else (a substitute for a withdrawn pledge). */
  startDay?: number;
  /** The district budget stepping in for a withdrawn pledge of this source. */
  substituteFor?: string;
  /** A maintenance-fund receipt on a project with a register: the owners' fund_use vote it names. */
  voteId?: string;
  /** Planted: received before the project's approval (RF-01); every other receipt waits for it. */
  beforeApproval?: true;
  /** Planted: a maintenance-fund use on the emergency exception, without a vote (RF-07), and why. */
  emergencyReason?: string;
}

const GOVERNMENT = new Set([
  'central_budget_investment',
  'central_fiscal_subsidy',
  'municipal_subsidy',
  'district_matching',
  'special_bond',
]);
const NOT_PLEDGED = new Set(['provident_fund', 'public_revenue', 'resident_in_kind']);

const MUNICIPAL_PAYERS: Record<string, string> = {
  urban_renewal: '重庆市住房城乡建委（城市更新专项）',
  elderly_care: '重庆市民政局（养老服务专项）',
  childcare: '重庆市卫生健康委（托育服务专项）',
  health: '重庆市卫生健康委（基层卫生专项）',
  convenience: '重庆市商务委（便民服务专项）',
  parking: '重庆市城市管理局（停车设施专项）',
  security: '重庆市公安局（智慧安防专项）',
};
const SOCIAL_CAPITAL: Record<string, { company: string; rights: string }> = {
  parking: { company: '重庆潼畅停车管理有限公司', rights: '小区公共停车位经营权 15 年，收益按 7:3 与业主分成' },
  ev_charging: { company: '重庆绿能充电科技有限公司', rights: '充电设施运营权 10 年' },
  elderly_care: { company: '重庆颐康养老服务有限公司', rights: '社区养老服务站运营权 8 年' },
  convenience_store: { company: '重庆邻里便民商贸有限公司', rights: '便民超市经营权 10 年' },
};
const LENDERS = ['重庆农村商业银行潼南支行', '中国农业发展银行潼南县支行'];
const DONOR_ENTERPRISES = ['重庆琼江体育器材有限公司', '重庆潼南绿化苗木有限公司'];

interface ProjectPlan {
  index: number;
  projectId: string;
  c: DemoCommunity;
  households: number;
  buildingArea: number;
  lines: Line[];
  elevators?: Elevators;
  ownHome?: OwnHome;
  contingencyBp: number;
  contractor: string;
  contributions: Contribution[];
  /** Day the project is approved (approval stages) or its pledges start (pledged stage). */
  startDay: number;
  /** A funded project with elevators or own-home works: its register, votes, plans and household payments. */
  residents?: DemoResidents;
  /** The seed of the residents' own draws (their payments' tranches and dates). */
  residentsSeed: number;
}

/** Builds the contributions of one line; `rest` (usually district matching) makes them add up to the cost. */
class LineFunding {
  readonly parts: Contribution[] = [];
  private leftFen: bigint;

  constructor(
    private readonly plan: ProjectPlan,
    private readonly rng: SeededRandom,
    readonly line: Line,
  ) {
    this.leftFen = line.costFen;
  }

  /** Leaves `amountFen` of the line to the residents' plans (demo-residents.ts): no other source funds it. */
  reserve(amountFen: bigint): this {
    this.leftFen -= minFen(amountFen, this.leftFen);
    return this;
  }

  fixed(source: string, amountFen: bigint, extra: Partial<Contribution> = {}): this {
    const amount = minFen(amountFen, this.leftFen);
    if (amount <= 0n) return this;
    this.parts.push(contribution(this.plan, this.rng, source, this.line.lineId, amount, extra));
    this.leftFen -= amount;
    return this;
  }

  /** A share of the line's cost between `lo` and `hi` percent, rounded down to 100 yuan. */
  share(source: string, lo: number, hi: number, extra: Partial<Contribution> = {}): this {
    const bp = BigInt(this.rng.int(lo * 100, hi * 100));
    return this.fixed(source, floorTo((this.line.costFen * bp) / BP_WHOLE, HUNDRED_YUAN), extra);
  }

  maybe(percent: number, fn: (f: this) => unknown): this {
    if (this.rng.chance(percent)) fn(this);
    return this;
  }

  rest(source = 'district_matching', extra: Partial<Contribution> = {}): Contribution[] {
    this.fixed(source, this.leftFen, extra);
    return this.parts;
  }
}

function contribution(
  plan: ProjectPlan,
  rng: SeededRandom,
  source: string,
  lineId: string,
  amountFen: bigint,
  extra: Partial<Contribution>,
): Contribution {
  const details = extra.details ?? {};
  const batch2021 = plan.c.batch === 2021;
  return {
    source,
    lineId,
    amountFen,
    details,
    payer: extra.payer ?? payerOf(source, plan.c, details),
    pledged: extra.pledged ?? !NOT_PLEDGED.has(source),
    inKind: extra.inKind ?? source === 'resident_in_kind',
    ...(extra.voteId !== undefined ? { voteId: extra.voteId } : {}),
    receivedPercent: batch2021 ? (rng.chance(85) ? 100 : rng.int(60, 95)) : rng.chance(55) ? 100 : rng.int(40, 90),
    paidPercent: batch2021 ? (rng.chance(35) ? 100 : rng.int(70, 99)) : rng.int(20, 75),
  };
}

function payerOf(source: string, c: DemoCommunity, details: Record<string, string>): string {
  switch (source) {
    case 'central_fiscal_subsidy':
      return '中央财政（重庆市财政局转下达）';
    case 'central_budget_investment':
      return '国家发展改革委（重庆市发展改革委转下达）';
    case 'municipal_subsidy':
      return MUNICIPAL_PAYERS[details.program];
    case 'district_matching':
      return '潼南区财政局';
    case 'special_bond':
      return '潼南区财政局（地方政府专项债券资金）';
    case 'bank_loan':
      return details.lender;
    case 'pipeline_unit':
      return UTILITY_COMPANIES[details.utility].payer;
    case 'resident_direct':
      return `${c.community}居民`;
    case 'provident_fund':
      return '重庆市住房公积金管理中心潼南分中心';
    case 'maintenance_fund':
      return '潼南区住宅专项维修资金管理中心';
    case 'public_revenue':
      return `${c.community}业主委员会`;
    case 'resident_in_kind':
      return `${c.community}居民志愿者`;
    default:
      throw new Error(`demo: no default payer for ${source}`);
  }
}

/** Owners who bought their homes after the 1998 reform have a maintenance fund to draw on. */
function hasMaintenanceFund(c: DemoCommunity): boolean {
  return c.builtYear >= 1996;
}

function fundLine(plan: ProjectPlan, rng: SeededRandom, line: Line): Contribution[] {
  const f = new LineFunding(plan, rng, line);
  const { c } = plan;
  const large = c.scale === 'large';
  const ownerUnit = c.ownerUnit;
  const fund = hasMaintenanceFund(c);
  // With a register, the receipt names the owners' fund_use vote (民法典 第二百七十八条).
  const vote = {
    details: { voteRef: `${c.community}业主大会决议（${plan.c.batch}）第${rng.int(1, 3)}号` },
    ...(plan.residents ? { voteId: plan.residents.fundVoteId } : {}),
  };
  // What the residents' plans share of the line, before any other source (R-CS6: they share the rest).
  f.reserve(plan.residents?.reservedFen.get(line.lineId) ?? 0n);
  if (line.utility) return fundPipeline(f, plan, rng, line);
  switch (line.item) {
    case 'roof':
      f.share('central_fiscal_subsidy', 65, 78);
      if (fund) f.share('maintenance_fund', 8, 15, vote);
      if (ownerUnit && rng.chance(70))
        f.share('social_donation', 4, 8, { payer: ownerUnit, details: { donorKind: 'original_owner_unit' } });
      return f.rest();
    case 'facade':
      f.share('central_fiscal_subsidy', 62, 75)
        .maybe(35, (x) => x.share('municipal_subsidy', 10, 15, { details: { program: 'urban_renewal' } }))
        .maybe(30, (x) => x.share('resident_direct', 3, 6));
      return f.rest();
    case 'road':
    case 'drainage':
    case 'septic_tank':
      f.share('central_budget_investment', 60, 72);
      if (large)
        f.share('special_bond', 20, 30, {
          details: { bondId: `${plan.c.batch}年重庆市潼南区城镇老旧小区改造专项债券` },
        });
      return f.rest();
    case 'fire_safety':
    case 'security':
      f.share('central_fiscal_subsidy', 50, 62).maybe(60, (x) =>
        x.share('municipal_subsidy', 25, 35, { details: { program: 'security' } }),
      );
      return f.rest();
    case 'stair_railing':
    case 'canopy':
    case 'waste_sorting':
      f.share('central_fiscal_subsidy', 55, 68);
      if (fund && line.item !== 'waste_sorting') f.maybe(50, (x) => x.share('maintenance_fund', 15, 25, vote));
      if (ownerUnit && line.item === 'stair_railing')
        f.share('social_donation', 8, 12, { payer: ownerUnit, details: { donorKind: 'original_owner_unit' } });
      return f.rest();
    case 'greening':
      f.maybe(50, (x) => {
        const days = rng.int(60, 400);
        const rate = yuan(rng.int(120, 180));
        x.fixed('resident_in_kind', BigInt(days) * rate, {
          details: { valuationBasis: `投工投劳 ${days} 工日 × ${formatFen(rate)} 元/工日` },
        });
      });
      if (large) f.share('public_revenue', 5, 15);
      else f.maybe(40, (x) => x.share('public_revenue', 5, 15));
      f.maybe(20, (x) =>
        x.share('social_donation', 5, 10, { payer: DONOR_ENTERPRISES[1], details: { donorKind: 'enterprise' } }),
      );
      return f.rest();
    case 'lighting':
    case 'property_office':
      f.maybe(40, (x) => x.share('public_revenue', 10, 20));
      return f.rest();
    case 'boundary_wall':
      if (fund) f.share('maintenance_fund', 15, 25, vote);
      return f.rest();
    case 'energy_saving':
      f.share('central_fiscal_subsidy', 40, 50);
      return f.rest();
    case 'parking':
      f.share('municipal_subsidy', 25, 35, { details: { program: 'parking' } });
      f.share('social_capital', 30, 45, {
        payer: SOCIAL_CAPITAL.parking.company,
        details: { operatingRights: SOCIAL_CAPITAL.parking.rights },
      });
      if (large) {
        const lender = LENDERS[plan.index % LENDERS.length];
        f.share('bank_loan', 15, 20, { details: { lender } });
      }
      return f.rest();
    case 'ev_charging':
      f.share('social_capital', 60, 80, {
        payer: SOCIAL_CAPITAL.ev_charging.company,
        details: { operatingRights: SOCIAL_CAPITAL.ev_charging.rights },
      }).share('municipal_subsidy', 10, 20, { details: { program: 'parking' } });
      return f.rest();
    case 'culture_sports': {
      const sets = rng.int(6, 20);
      const unit = yuan(rng.int(2_800, 6_500));
      f.maybe(70, (x) =>
        x.fixed('social_donation', minFen(BigInt(sets) * unit, percentOf(line.costFen, 40, YUAN)), {
          payer: DONOR_ENTERPRISES[0],
          inKind: true,
          details: {
            donorKind: 'enterprise',
            valuationBasis: `捐赠健身器材 ${sets} 套 × ${formatFen(unit)} 元（按采购发票价）`,
          },
        }),
      );
      return f.rest();
    }
    case 'elevator':
      return fundElevator(f, plan);
    case 'own_home':
      return fundOwnHome(f, plan);
    case 'elderly_care':
      f.share('municipal_subsidy', 45, 60, { details: { program: 'elderly_care' } }).maybe(40, (x) =>
        x.share('social_capital', 15, 25, {
          payer: SOCIAL_CAPITAL.elderly_care.company,
          details: { operatingRights: SOCIAL_CAPITAL.elderly_care.rights },
        }),
      );
      return f.rest();
    case 'meal_aid':
      f.share('municipal_subsidy', 50, 60, { details: { program: 'elderly_care' } });
      return f.rest();
    case 'childcare':
      f.share('municipal_subsidy', 50, 60, { details: { program: 'childcare' } });
      return f.rest();
    case 'community_service_centre':
      f.share('municipal_subsidy', 25, 35, { details: { program: rng.chance(50) ? 'convenience' : 'urban_renewal' } });
      return f.rest();
    case 'public_health':
      f.share('municipal_subsidy', 55, 65, { details: { program: 'health' } });
      return f.rest();
    case 'convenience_store':
      f.share('social_capital', 60, 75, {
        payer: SOCIAL_CAPITAL.convenience_store.company,
        details: { operatingRights: SOCIAL_CAPITAL.convenience_store.rights },
      }).share('municipal_subsidy', 15, 25, { details: { program: 'convenience' } });
      return f.rest();
    default:
      return f.rest();
  }
}

/** 一户一表: what each household pays per utility under the policy in force on `date` (fen). */
function householdFee(date: string): HouseholdFee['householdFeeFen'] {
  return ruleInForce<HouseholdFee>(FUNDING_FAMILIES.oneMeterFee, date).settings.householdFeeFen;
}

/** 一户一表: each household pays the fee of the policy in force (300.00 for water), the utility the rest (domain.md §4, R-CS4). */
function fundPipeline(f: LineFunding, plan: ProjectPlan, rng: SeededRandom, line: Line): Contribution[] {
  const utility = line.utility!;
  const unit = { details: { utility } };
  const fee = householdFee(isoOf(plan.startDay));
  switch (utility) {
    case 'water':
      f.fixed('resident_direct', fee.water * BigInt(plan.households));
      return f.rest('pipeline_unit', unit);
    case 'gas':
      f.share('pipeline_unit', 85, 100, unit);
      return f.rest();
    case 'power':
      f.share('pipeline_unit', 70, 100, unit);
      return f.rest();
    case 'drainage':
      f.share('pipeline_unit', 40, 60, unit).share('central_budget_investment', 25, 35);
      return f.rest();
    default:
      return f.rest('pipeline_unit', unit);
  }
}

/**
 * 加装电梯 (domain.md §4, Example A): a subsidy of 200,000.00 per elevator; each stairwell's
 * residents share the rest by floor coefficient × floor area (floors 1-2 pay nothing), under their
 * plan (demo-residents.ts, reserved on the line before this), directly or from their provident fund.
 */
function fundElevator(f: LineFunding, plan: ProjectPlan): Contribution[] {
  const subsidySource = plan.index % 2 === 0 ? 'central_fiscal_subsidy' : 'district_matching';
  f.fixed(subsidySource, ELEVATOR_SUBSIDY_FEN * BigInt(plan.elevators!.count));
  return f.rest('resident_direct');
}

/** 自住住房改造 (适老化): a district grant; each owner shares the rest by their home's cost, under the plan. */
function fundOwnHome(f: LineFunding, plan: ProjectPlan): Contribution[] {
  const grant = plan.residents?.ownHomeDistrictFen;
  if (grant !== undefined) f.fixed('district_matching', grant);
  return f.rest(grant !== undefined ? 'resident_direct' : 'district_matching');
}

/** What the district or the centre puts into each elevator (illustrative, Example A). */
const ELEVATOR_SUBSIDY_FEN = yuan(200_000);

// ---------------------------------------------------------------------------------------------
// the district

function planProjects(rng: SeededRandom, seed: number): ProjectPlan[] {
  const numbered = { 2020: 0, 2021: 0, 2022: 0 };
  const fundedInBatch = { 2020: 0, 2021: 0, 2022: 0 };
  let showcase = true;
  return DEMO_COMMUNITIES.map((c, index) => {
    numbered[c.batch] += 1;
    const projectId = `TN${c.batch}-${String(numbered[c.batch]).padStart(3, '0')}`;
    const households =
      c.scale === 'large' ? rng.int(880, 1_300) : c.scale === 'street' ? rng.int(140, 420) : rng.int(36, 220);
    // Building area in hundredths of a square metre (an area, not money, but kept exact all the same).
    const areaHundredths = households * rng.int(5_800, 9_200) + rng.int(0, 99);
    const buildingArea = areaOf(areaHundredths);
    const contingencyBp = rng.int(150, 500);
    const drafts = draftLines(rng, c, households);
    sizeLines(drafts, c, contingencyBp);
    const plan: ProjectPlan = {
      index,
      projectId,
      c,
      households,
      buildingArea,
      lines: c.stage === 'registered' ? [] : numberLines(drafts.lines),
      elevators: drafts.elevators,
      ownHome: drafts.ownHome,
      contingencyBp,
      contractor: CONTRACTORS[index % CONTRACTORS.length],
      contributions: [],
      startDay: startDayOf(rng, c, c.stage === 'funded' ? fundedInBatch[c.batch]++ : 0),
      residentsSeed: seed * 7_919 + index,
    };
    if (c.stage === 'funded' && (plan.elevators || plan.ownHome)) {
      plan.residents = residentsOf(plan, showcase && plan.elevators !== undefined);
      if (plan.elevators) showcase = false;
    }
    if (c.stage === 'funded' || c.stage === 'pledged')
      plan.contributions = plan.lines.flatMap((line) => fundLine(plan, rng, line));
    return plan;
  });
}

/** The residents' side of a funded project with elevators or own-home works (demo-residents.ts). */
function residentsOf(plan: ProjectPlan, showcase: boolean): DemoResidents {
  const line = (item: string) => plan.lines.find((l) => l.item === item);
  const lineOf = (item: string) => {
    const l = line(item);
    return l && { lineId: l.lineId, costFen: l.costFen };
  };
  const elevator = line('elevator');
  const ownHome = line('own_home');
  return planResidents(plan.residentsSeed, 0, {
    projectId: plan.projectId,
    approvalDay: plan.startDay,
    showcase,
    ...(elevator && plan.elevators
      ? {
          elevator: {
            lineId: elevator.lineId,
            count: plan.elevators.count,
            costEachFen: plan.elevators.costEachFen,
            subsidyEachFen: ELEVATOR_SUBSIDY_FEN,
          },
        }
      : {}),
    ...(ownHome && plan.ownHome
      ? {
          ownHome: {
            lineId: ownHome.lineId,
            costFen: ownHome.costFen,
            householdCostsFen: plan.ownHome.householdCostsFen,
          },
        }
      : {}),
    roof: lineOf('roof'),
    facade: lineOf('facade'),
  });
}

function startDayOf(rng: SeededRandom, c: DemoCommunity, nth: number): number {
  switch (c.stage) {
    case 'funded':
      return c.batch === 2021
        ? dayOf('2021-03-01') + nth * 6 + rng.int(0, 5)
        : dayOf('2022-03-01') + nth * 20 + rng.int(0, 10);
    case 'approved':
      return dayOf('2023-10-09') + rng.int(0, 40);
    case 'pledged':
      return dayOf('2023-09-04') + rng.int(0, 50);
    default:
      return 0;
  }
}

/** A handful of corrections, each on the first contribution that fits it (deterministic). */
function assignScenarios(plans: ProjectPlan[]): void {
  const funded2021 = plans.filter((p) => p.c.stage === 'funded' && p.c.batch === 2021);
  const funded2022 = plans.filter((p) => p.c.stage === 'funded' && p.c.batch === 2022);
  const assign = (
    scenario: Scenario,
    pool: ProjectPlan[],
    fits: (c: Contribution, p: ProjectPlan) => boolean,
    tweak?: (c: Contribution) => void,
  ) => {
    for (const p of pool) {
      const found = p.contributions.find((c) => c.scenario === undefined && fits(c, p));
      if (found) {
        found.scenario = scenario;
        tweak?.(found);
        return;
      }
    }
    throw new Error(`demo: no contribution fits the ${scenario} correction`);
  };
  assign(
    'receipt-bounce',
    funded2021,
    (c) => c.source === 'district_matching' && c.pledged && c.amountFen >= yuan(50_000),
    (c) => {
      c.receivedPercent = 100;
    },
  );
  assign(
    'receipt-refund',
    funded2021.slice(2),
    (c, p) => c.source === 'resident_direct' && p.lines.some((l) => l.lineId === c.lineId && l.utility === 'water'),
    (c) => {
      c.receivedPercent = 100;
    },
  );
  assign(
    'payment-audit-cut',
    funded2021.filter((p) => p.c.scale === 'large'),
    (c) => c.source === 'central_budget_investment',
    (c) => {
      c.receivedPercent = 100;
      c.paidPercent = 100;
    },
  );
  assign(
    'payment-bounce',
    funded2021.slice(5),
    (c) => c.source === 'pipeline_unit',
    (c) => {
      c.receivedPercent = 100;
      c.paidPercent = 100;
    },
  );
  assign(
    'pledge-cut',
    funded2022,
    (c) => c.source === 'municipal_subsidy' && c.amountFen >= yuan(100_000),
    (c) => {
      c.receivedPercent = 70;
    },
  );
  assign('pledge-withdrawn', funded2021.slice(3), (c) => c.source === 'social_capital');
}

// ---------------------------------------------------------------------------------------------
// requests

/**
 * The order of a day's requests: a joint review, an approval, the project's other milestones (a
 * contract before the payments it allows), the owners' votes, the plans they allow, then the money.
 */
const RANK = {
  review: -1,
  approval: 0,
  milestone: 0.5,
  vote: 1,
  plan: 2,
  pledge: 3,
  receipt: 4,
  reversal: 5,
  payment: 6,
} as const;
type Kind = keyof typeof RANK;

interface Dated {
  day: number;
  kind: Kind;
  seq: number;
  role: DemoRole;
  path: string;
  body: Record<string, unknown>;
}

/** Shared numbering of documents across the district (indicator documents, approvals). */
class Registry {
  private readonly docs = new Map<string, number>();
  private readonly serials = new Map<string, number>();
  constructor(private readonly rng: SeededRandom) {}

  /** One indicator document per source and year, as upper-level funds arrive in batches. */
  doc(source: string, year: number): string {
    const prefix = DOC_PREFIX[source];
    const key = `${source}${year}`;
    if (!this.docs.has(key)) this.docs.set(key, this.rng.int(12, 186));
    return `${prefix}〔${year}〕${this.docs.get(key)}号`;
  }

  /** Sequential document numbers of one issuer and year, starting somewhere plausible. */
  serial(prefix: string, year: number): string {
    const key = `serial:${prefix}${year}`;
    const n = (this.serials.get(key) ?? this.rng.int(20, 60)) + 1;
    this.serials.set(key, n);
    return `${prefix}〔${year}〕${n}号`;
  }
}

const DOC_PREFIX: Record<string, string> = {
  central_fiscal_subsidy: '渝财建',
  central_budget_investment: '渝发改投',
  municipal_subsidy: '渝财建',
  district_matching: '潼南财建',
  special_bond: '潼南财债',
};

/** A voucher's number is given once the whole district is dated: vouchers run in date order through the year (VOUCHER_PENDING). */

function numberVouchers(requests: DemoRequest[]): void {
  const payments = requests
    .map((r, index) => ({ body: r.body, index }))
    .filter((p) => typeof p.body.voucher === 'string' && p.body.voucher.startsWith(VOUCHER_PENDING))
    .sort((a, b) => (a.body.paidOn as string).localeCompare(b.body.paidOn as string) || a.index - b.index);
  const counters = new Map<string, number>();
  for (const { body } of payments) {
    const kind = (body.voucher as string).slice(VOUCHER_PENDING.length);
    const year = (body.paidOn as string).slice(0, 4);
    const n = (counters.get(kind + year) ?? 0) + 1;
    counters.set(kind + year, n);
    body.voucher = `${kind} ${year}-${String(n).padStart(4, '0')}`;
  }
}

class Timeline {
  readonly items: Dated[] = [];
  private seq = 0;
  private placeholder = 0;

  /** `first`: the earlier batch's life begins before the rest of the district's (EARLIER_FIRST). */
  constructor(
    private readonly projectId: string,
    private readonly first = FIRST,
  ) {}

  add(day: number, kind: Kind, role: DemoRole, route: string, body: Record<string, unknown>): void {
    if (day < this.first || day > LAST)
      throw new Error(
        `demo: ${this.projectId} ${kind} dated ${isoOf(day)} is outside ${isoOf(this.first)}..${DEMO_LAST_DAY}`,
      );
    this.items.push({ day, kind, seq: this.seq++, role, path: `/api/projects/${this.projectId}/${route}`, body });
  }

  /** A stand-in id; real ids (P-001, R-001, …) are given in date order once the timeline is sorted. */
  newId(prefix: 'P' | 'R' | 'D' | 'X'): string {
    return `${prefix}\u0000${this.placeholder++}`;
  }

  sorted(): Dated[] {
    const items = this.items.slice().sort((a, b) => a.day - b.day || RANK[a.kind] - RANK[b.kind] || a.seq - b.seq);
    const ids = new Map<string, string>();
    const counters = new Map<string, number>();
    const resolve = (value: unknown, define: boolean): unknown => {
      if (typeof value !== 'string' || !value.includes('\u0000')) return value;
      if (define) {
        const prefix = value.split('\u0000')[0];
        const n = (counters.get(prefix) ?? 0) + 1;
        counters.set(prefix, n);
        ids.set(value, `${prefix}-${String(n).padStart(3, '0')}`);
      }
      const id = ids.get(value);
      if (!id) throw new Error(`demo: ${this.projectId} refers to an entry before it exists`);
      return id;
    };
    for (const item of items) {
      for (const field of ['pledgeId', 'receiptId', 'paymentId', 'reversalId', 'entryId']) {
        if (field in item.body) {
          const defines =
            (field === 'pledgeId' && item.kind === 'pledge') ||
            field === 'receiptId' ||
            field === 'paymentId' ||
            field === 'reversalId';
          item.body[field] = resolve(item.body[field], defines);
        }
      }
    }
    return items;
  }
}

interface MoneyContext {
  plan: ProjectPlan;
  rng: SeededRandom;
  registry: Registry;
  tl: Timeline;
  approvalDay: number;
  /** Net received per source, to report which sources a project's mix shows. */
  receivedBySource: Map<string, bigint>;
  /** Batch-source contributions, for the fund batches to allocate (demo-fund-batches.ts). */
  draws: ContributionDraw[];
  /** Each payee's contract day: a payment to it comes after (RF-01). */
  contractDays: ReadonlyMap<string, number>;
  /** The works' completion (DONE-1), if by the demo's last day: until then a contract is paid no more than its progress-payment cap (RF-03). */
  completionDay: number | null;
}

/** Starts the record of a contribution from a source that comes in fund batches; none for other sources. */
function drawOf(m: MoneyContext, c: Contribution): ContributionDraw | undefined {
  if (!GOVERNMENT.has(c.source)) return undefined;
  const draw: ContributionDraw = {
    projectId: m.plan.projectId,
    source: c.source,
    ...(c.details.program !== undefined ? { program: c.details.program } : {}),
    receipts: [],
    payments: [],
    lines: c.lines ?? (c.lineId !== undefined ? [{ lineId: c.lineId, amountFen: c.amountFen }] : []),
    ...(c.substituteFor !== undefined ? { substituteFor: c.substituteFor } : {}),
  };
  m.draws.push(draw);
  return draw;
}

function receiptRole(source: string): DemoRole {
  return GOVERNMENT.has(source) || source === 'bank_loan' ? 'finance' : 'clerk';
}

function referenceOf(m: MoneyContext, c: Contribution, day: number, docNo: string | undefined): string {
  const date = isoOf(day);
  if (docNo) return `${docNo} 国库资金到账 ${date}`;
  switch (c.source) {
    case 'provident_fund':
      return `公积金提取划款 GJJ${date.replace(/-/g, '')}${String(m.rng.int(1, 999)).padStart(3, '0')}`;
    case 'maintenance_fund':
      return `维修资金划拨通知书 ${date}`;
    case 'bank_loan':
      return `${c.details.lender} 放款回单 ${date}`;
    case 'resident_in_kind':
      return `投工投劳验收单 ${m.plan.c.community} ${date}`;
    default:
      return c.inKind
        ? `${IN_KIND_DONATION_REFERENCE} ${date}`
        : `潼南农商行改造资金专户进账单 ${date}-${String(m.rng.int(1, 40)).padStart(2, '0')}`;
  }
}

function payeeOf(m: MoneyContext, lineId: string): string {
  const line = m.plan.lines.find((l) => l.lineId === lineId)!;
  if (line.utility) return UTILITY_COMPANIES[line.utility].contractor;
  if (line.item === 'elevator') return ELEVATOR_CONTRACTOR;
  return m.plan.contractor;
}

function trancheSplit(m: MoneyContext, totalFen: bigint, min: bigint): bigint[] {
  if (totalFen < min || !m.rng.chance(50)) return [totalFen];
  const first = percentOf(totalFen, m.rng.int(50, 70), HUNDRED_YUAN);
  return first > 0n && first < totalFen ? [first, totalFen - first] : [totalFen];
}

/** The planted money before approval (RF-01): pledged a month before it, received twelve days before. */
const EARLY_PLEDGE_DAYS = 30;
const EARLY_RECEIPT_DAYS = 12;

function moneyEvents(m: MoneyContext, c: Contribution): void {
  const { rng, tl } = m;
  const sub = c.details;
  const draw = drawOf(m, c);
  let pledgeRef: string | undefined;
  let pledgeDay = 0;
  if (c.pledged) {
    pledgeDay = c.startDay ?? Math.max(FIRST, m.approvalDay + rng.int(-45, 30));
    if (c.beforeApproval) pledgeDay = Math.min(pledgeDay, m.approvalDay - EARLY_PLEDGE_DAYS);
    pledgeRef = tl.newId('P');
    const body = {
      pledgeId: pledgeRef,
      source: c.source,
      amount: formatFen(c.amountFen),
      payer: c.payer,
      fiscalYear: yearOf(pledgeDay),
      pledgedOn: isoOf(pledgeDay),
      ...(c.lineId ? { lineId: c.lineId } : {}),
      ...sub,
    };
    tl.add(pledgeDay, 'pledge', 'finance', 'pledges', body);
    if (draw) draw.pledge = { body, amountFen: c.amountFen, day: pledgeDay };
  }
  if (c.scenario === 'pledge-withdrawn') return withdrawPledge(m, c, pledgeRef!, pledgeDay);
  const docNo = DOC_PREFIX[c.source] ? m.registry.doc(c.source, yearOf(pledgeDay || m.approvalDay)) : undefined;

  const receivedTarget =
    c.receivedPercent === 100 || (c.receivedPercent > 0 && matchingDeadline(c, pledgeDay) !== null)
      ? c.amountFen
      : percentOf(c.amountFen, c.receivedPercent, HUNDRED_YUAN);
  const receipt = (onDay: number, amount: bigint, reference: string): string => {
    const id = tl.newId('R');
    const body = {
      receiptId: id,
      source: c.source,
      amount: formatFen(amount),
      payer: c.payer,
      reference,
      receivedOn: isoOf(onDay),
      fiscalYear: yearOf(onDay),
      ...(pledgeRef ? { pledgeId: pledgeRef } : {}),
      ...(c.lineId ? { lineId: c.lineId } : {}),
      ...sub,
      ...(c.voteId !== undefined ? { voteId: c.voteId } : {}),
      ...(c.emergencyReason !== undefined ? { emergency: true, emergencyReason: c.emergencyReason } : {}),
    };
    tl.add(onDay, 'receipt', receiptRole(c.source), 'receipts', body);
    draw?.receipts.push(body);
    return id;
  };
  let day = c.pledged ? pledgeDay + rng.int(15, 120) : (c.startDay ?? m.approvalDay + rng.int(10, 150));
  // Money is received once the project is approved (RF-01), but where it was planted before.
  day = c.beforeApproval ? m.approvalDay - EARLY_RECEIPT_DAYS : Math.max(day, m.approvalDay);
  // The district's matching committed for a fiscal year is in place by its end (RF-15): each
  // tranche by mid-December of the pledge's year, however the draws fall.
  const matchingBy = matchingDeadline(c, pledgeDay);
  let netFen = 0n;
  let lastReceipt: { id: string; day: number } | null = null;
  /** What each receipt brought, net, and the day it may be spent from: the payments follow them. */
  const tranches: Tranche[] = [];
  // Money comes in by progress: what would take it beyond the contract's progress-payment cap
  // (80%) comes once the works are completed, when it can be paid (RF-03, RF-14). The district's
  // matching is the exception: it is due within its year.
  const progressCapFen = percentOf(receivedTarget, PROGRESS_PAYMENT_CAP_PERCENT, HUNDRED_YUAN);
  let inFen = 0n;
  // (`i`: the tranche's place in the split; -1 for what the cap held back to the completion.)
  const byProgress = matchingBy === null && !c.beforeApproval && c.emergencyReason === undefined;
  const split = trancheSplit(m, receivedTarget, yuan(200_000)).flatMap((amount, i) => {
    const upTo = progressCapFen - inFen;
    inFen += amount;
    return byProgress && upTo > 0n && upTo < amount
      ? [
          { amount: upTo, i, atCompletion: false },
          { amount: amount - upTo, i: -1, atCompletion: true },
        ]
      : [{ amount, i, atCompletion: byProgress && upTo <= 0n }];
  });
  for (const { amount, i, atCompletion } of split) {
    if (matchingBy !== null) day = Math.min(day, matchingBy - (i === 0 ? 20 : 0));
    else if (atCompletion) {
      if (m.completionDay === null) break;
      day = Math.max(day, m.completionDay + (day % 15));
    }
    if (amount <= 0n || day > LAST) break;
    lastReceipt = { id: receipt(day, amount, referenceOf(m, c, day, docNo)), day };
    if (i === 0 && c.scenario === 'receipt-bounce') {
      const bounced = day + rng.int(2, 6);
      tl.add(bounced, 'reversal', 'finance', 'reversals', {
        reversalId: tl.newId('X'),
        entryId: lastReceipt.id,
        reason: '银行退票：收款账户有误，资金退回区财政局',
        reversedOn: isoOf(bounced),
      });
      day = bounced + rng.int(3, 10);
      lastReceipt = { id: receipt(day, amount, `${referenceOf(m, c, day, docNo)}（退票后重新拨付）`), day };
    }
    tranches.push({ day, fen: amount, receiptId: lastReceipt.id });
    netFen += amount;
    if (i >= 0) day += rng.int(30, 150);
  }
  if (c.scenario === 'receipt-refund' && lastReceipt) {
    const refundDay = lastReceipt.day + rng.int(5, 20);
    // The last receipt is at least 36 households' fees: three are paid back.
    const refund = householdFee(isoOf(lastReceipt.day)).water * 3n;
    tl.add(refundDay, 'reversal', 'clerk', 'reversals', {
      reversalId: tl.newId('X'),
      entryId: lastReceipt.id,
      amount: formatFen(refund),
      reason: '退还 3 户重复缴纳的一户一表改造费用',
      reversedOn: isoOf(refundDay),
    });
    netFen -= refund;
    const last = tranches[tranches.length - 1];
    last.fen -= refund;
    last.day = refundDay;
  }
  if (c.scenario === 'pledge-cut' && pledgeRef) {
    // Received stays at 70% of the pledge, so the 15% cut never reaches money already in.
    const cut = percentOf(c.amountFen, 15, HUNDRED_YUAN);
    const cutDay = pledgeDay + rng.int(20, 60);
    const reason = `市级专项资金下达额度调减（${m.registry.serial('渝财建', yearOf(cutDay))}）`;
    tl.add(cutDay, 'reversal', 'finance', 'reversals', {
      reversalId: tl.newId('X'),
      entryId: pledgeRef,
      amount: formatFen(cut),
      reason,
      reversedOn: isoOf(cutDay),
    });
    if (draw) draw.pledgeCut = { amountFen: cut, day: cutDay, reason };
  }
  if (netFen > 0n) m.receivedBySource.set(c.source, (m.receivedBySource.get(c.source) ?? 0n) + netFen);
  if (!c.inKind && netFen > 0n) payments(m, c, tranches, draw);
}

/** Money a receipt brought (net of what was given back), spendable from `day`. */
interface Tranche {
  day: number;
  fen: bigint;
  /** The receipt, for what a payment cut back returns to the treasury. */
  receiptId: string;
}

/** The day by which the district's matching pledged for a fiscal year is received: mid-December of that year; null for other money. */
function matchingDeadline(c: Contribution, pledgeDay: number): number | null {
  if (c.source !== 'district_matching' || !c.pledged) return null;
  return dayOf(`${yearOf(pledgeDay)}-12-15`);
}

/** The completion of the works, if it happened by the demo's last day. */
function completionOf(life: DemoLifecycle | null): number | null {
  const done = life?.milestones.find((ms) => ms.body.kind === 'construction_completed');
  return done === undefined || done.day > LAST ? null : done.day;
}

function payments(m: MoneyContext, c: Contribution, tranches: Tranche[], draw: ContributionDraw | undefined): void {
  if (!c.lines) return paymentsOnLine(m, c, c.lineId!, c.amountFen, tranches, draw);
  // A project-level allocation is paid out on each line in proportion to what the line was allotted.
  // Each line's part of all that came in so far, the rounding given to lines with room left, so
  // that all of it is paid and no line beyond its allotment.
  let inFen = 0n;
  let before = c.lines.map(() => 0n);
  const parts = tranches.map((t) => {
    inFen += t.fen;
    const upTo = c.lines!.map((share) => (share.amountFen * inFen) / c.amountFen);
    let left = inFen - upTo.reduce((x, y) => x + y, 0n);
    c.lines!.forEach((share, i) => {
      const more = share.amountFen - upTo[i] < left ? share.amountFen - upTo[i] : left;
      upTo[i] += more;
      left -= more;
    });
    const each = upTo.map((fen, i) => (fen > before[i] ? fen - before[i] : 0n));
    before = upTo;
    return each;
  });
  c.lines.forEach((share, i) =>
    paymentsOnLine(
      m,
      c,
      share.lineId,
      share.amountFen,
      tranches.map((t, j) => ({ ...t, fen: parts[j][i] })),
      draw,
    ),
  );
}

/**
 * Money is paid out as it comes in (RF-14: none of it left unpaid for a year): each receipt a few
 * weeks after it arrived, once the payee's contract is signed (RF-01). Until the works are
 * completed a contract is paid no more than its progress-payment cap (80%, RF-03): each
 * contribution pays at most 80% of what it gives the line before, and the rest after completion.
 * Only the special bond keeps part of its money unpaid: the idle batch the demo plants.
 */
function paymentsOnLine(
  m: MoneyContext,
  c: Contribution,
  lineId: string,
  lineFen: bigint,
  tranches: Tranche[],
  draw: ContributionDraw | undefined,
): void {
  const { rng, tl } = m;
  const government = GOVERNMENT.has(c.source);
  const paidPercent = c.source === 'special_bond' ? c.paidPercent : 100;
  const pay = (onDay: number, amount: bigint): string => {
    const id = tl.newId('D');
    const body = {
      paymentId: id,
      source: c.source,
      lineId,
      amount: formatFen(amount),
      payee: payeeOf(m, lineId),
      voucher: `${VOUCHER_PENDING}${government ? '国库集中支付凭证' : '专户转账凭证'}`,
      paidOn: isoOf(onDay),
      fiscalYear: yearOf(onDay),
    };
    tl.add(onDay, 'payment', 'finance', 'disbursements', body);
    draw?.payments.push(body);
    return id;
  };
  const contractDay = (m.contractDays.get(payeeOf(m, lineId)) ?? 0) + 1;
  const capFen = percentOf(lineFen, PROGRESS_PAYMENT_CAP_PERCENT, YUAN);
  let paidFen = 0n;
  let heldFen = 0n;
  let last: { id: string; amount: bigint; day: number; receiptId: string } | null = null;
  let lastDay = 0;
  const payOut = (onDay: number, amount: bigint, receiptId: string) => {
    let id = pay(onDay, amount);
    if (last === null && c.scenario === 'payment-bounce') {
      const bounced = onDay + rng.int(3, 8);
      tl.add(bounced, 'reversal', 'finance', 'reversals', {
        reversalId: tl.newId('X'),
        entryId: id,
        reason: '支付退票：收款单位账户名称有误，款项退回专户',
        reversedOn: isoOf(bounced),
      });
      onDay = bounced + rng.int(3, 10);
      id = pay(onDay, amount);
    }
    paidFen += amount;
    last = { id, amount, day: onDay, receiptId };
  };
  for (const t of tranches) {
    const dueFen = paidPercent === 100 ? t.fen : percentOf(t.fen, paidPercent, YUAN);
    const day = Math.max(t.day + rng.int(10, 60), contractDay, lastDay + 1);
    lastDay = t.day;
    if (dueFen <= 0n || day > LAST) continue;
    const completed = m.completionDay !== null && day >= m.completionDay;
    const room = capFen - paidFen;
    const nowFen = completed ? dueFen + heldFen : dueFen < room ? dueFen : room > 0n ? room : 0n;
    heldFen = completed ? 0n : heldFen + dueFen - nowFen;
    if (nowFen > 0n) payOut(day, nowFen, t.receiptId);
    lastDay = Math.max(lastDay, day);
  }
  if (heldFen > 0n && m.completionDay !== null) {
    // 完工后支付至合同价款: what the cap held back, once the works are completed.
    const day = Math.max(m.completionDay + rng.int(5, 30), lastDay + 1);
    if (day <= LAST) payOut(day, heldFen, tranches[tranches.length - 1].receiptId);
  }
  const cutBack = last as { id: string; amount: bigint; day: number; receiptId: string } | null;
  if (c.scenario === 'payment-audit-cut' && cutBack) {
    const cut = percentOf(cutBack.amount, rng.int(3, 8), YUAN);
    const cutDay = Math.min(cutBack.day + rng.int(20, 60), LAST);
    tl.add(cutDay, 'reversal', 'finance', 'reversals', {
      reversalId: tl.newId('X'),
      entryId: cutBack.id,
      amount: formatFen(cut),
      reason: '结算审核审减，施工单位退回多付工程款',
      reversedOn: isoOf(cutDay),
    });
    // What the contractor returned goes back to the treasury the same day, not to be paid again (RF-14).
    tl.add(cutDay, 'reversal', 'finance', 'reversals', {
      reversalId: tl.newId('X'),
      entryId: cutBack.receiptId,
      amount: formatFen(cut),
      reason: `结算审减资金 ${formatFen(cut)} 元缴回国库`,
      reversedOn: isoOf(cutDay),
    });
    if (draw) draw.paymentCut = true;
  }
}

/** 社会资本方退出: the pledge is withdrawn in full and the district budget steps in for the line. */
function withdrawPledge(m: MoneyContext, c: Contribution, pledgeRef: string, pledgeDay: number): void {
  const withdrawnDay = pledgeDay + m.rng.int(60, 120);
  m.tl.add(withdrawnDay, 'reversal', 'finance', 'reversals', {
    reversalId: m.tl.newId('X'),
    entryId: pledgeRef,
    reason: '社会资本方退出合作，撤回出资承诺',
    reversedOn: isoOf(withdrawnDay),
  });
  moneyEvents(m, {
    ...c,
    source: 'district_matching',
    payer: '潼南区财政局',
    details: {},
    scenario: undefined,
    startDay: withdrawnDay + m.rng.int(7, 20),
    substituteFor: c.source,
  });
}

/**
 * 区级配套资金 is allocated to a project as one indicator (潼南财建〔…〕), received as a project
 * and paid line by line: one pledge and a receipt or two instead of one per line. Contributions with
 * a correction to show, or a start of their own, stay on their line.
 */
function poolDistrictMatching(contributions: Contribution[]): Contribution[] {
  const pool = contributions.filter(
    (c) =>
      c.source === 'district_matching' && c.scenario === undefined && c.startDay === undefined && !c.beforeApproval,
  );
  if (pool.length < 2) return contributions;
  const merged: Contribution = {
    ...pool[0],
    lineId: undefined,
    amountFen: pool.reduce((t, c) => t + c.amountFen, 0n),
    lines: pool.map((c) => ({ lineId: c.lineId!, amountFen: c.amountFen })),
  };
  return [merged, ...contributions.filter((c) => !pool.includes(c))];
}

function projectRequests(
  plan: ProjectPlan,
  rng: SeededRandom,
  registry: Registry,
  plants: Plants,
): { requests: DemoRequest[]; summary: DemoProject; draws: ContributionDraw[] } {
  const { c, projectId } = plan;
  const name = `${c.town}${c.community}城镇老旧小区改造项目`;
  const head: Omit<DemoRequest, 'idempotencyKey'>[] = [];
  const post = (role: DemoRole, path: string, body: Record<string, unknown>) =>
    head.push({ method: 'POST', path, body, role, projectId });
  post('housing', '/api/projects', {
    projectId,
    name,
    community: c.community,
    town: c.town,
    builtYear: c.builtYear,
    buildingArea: plan.buildingArea,
    households: plan.households,
    ...(c.conditionJustification !== undefined ? { conditionJustification: c.conditionJustification } : {}),
  });
  for (const l of plan.lines) {
    post('housing', `/api/projects/${projectId}/budget-lines`, {
      lineId: l.lineId,
      category: l.category,
      item: l.item,
      ...(l.utility ? { utility: l.utility } : {}),
      estimatedCost: formatFen(l.costFen),
    });
  }
  if (plan.residents)
    post('clerk', `/api/projects/${projectId}/households`, { households: plan.residents.households.map(entryOf) });
  const budgetFen = plan.lines.reduce((t, l) => t + l.costFen, 0n);
  const first = c.stage === 'earlier' ? EARLIER_FIRST : FIRST;
  const tl = new Timeline(projectId, first);
  let approvedFen: bigint | null = null;
  if (c.stage === 'funded' || c.stage === 'approved' || c.stage === 'earlier') {
    approvedFen = approvedInvestmentFor(budgetFen, plan.contingencyBp);
    const path = demoApprovalPath(approvedFen, plan.startDay);
    // The housing commission approves a plan; the development and reform commission the rest.
    const docNo = registry.serial(path === 'plan_review' ? '潼南住建发' : '潼南发改投', yearOf(plan.startDay));
    // Every plan is reviewed jointly two weeks before its approval (seed 三(二)); under the seed
    // the plan-review path rests on it. Numbered without the generator's draws, so the rest of
    // the district stays as it was.
    const reviewDay = Math.max(first, plan.startDay - 14);
    const opinionRef = `潼南住建审〔${yearOf(reviewDay)}〕${plan.index + 1}号`;
    tl.add(reviewDay, 'review', 'housing', 'milestones', {
      kind: 'joint_review',
      milestoneId: 'JR-1',
      docRefs: [opinionRef],
      reviewedOn: isoOf(reviewDay),
      lead: 'housing_commission',
      reviewers: [...SEED_JOINT_REVIEWERS],
      result: 'passed',
      opinionRef,
    });
    tl.add(plan.startDay, 'approval', 'housing', 'approval', {
      approvedInvestment: formatFen(approvedFen),
      docNo,
      approvedOn: isoOf(plan.startDay),
      involvesIndependentInfrastructure: false,
    });
  }
  const life = c.stage === 'registered' ? null : planLifecycle(lifecycleInput(plan, plants, first));
  for (const ms of life?.milestones ?? []) tl.add(ms.day, 'milestone', 'housing', 'milestones', { ...ms.body });
  const m: MoneyContext = {
    plan,
    rng,
    registry,
    tl,
    approvalDay: plan.startDay,
    receivedBySource: new Map(),
    draws: [],
    contractDays: life?.contractDays ?? new Map(),
    completionDay: completionOf(life),
  };
  if (c.stage === 'funded')
    for (const contribution of poolDistrictMatching(plan.contributions)) moneyEvents(m, contribution);
  if (plan.residents) residentsEvents(m, plan.residents);
  if (c.stage === 'pledged') {
    // Upper-level indicators and the district's commitment arrive before the plan is approved.
    for (const contribution of poolDistrictMatching(plan.contributions).filter((x) => GOVERNMENT.has(x.source))) {
      moneyEvents(m, { ...contribution, receivedPercent: 0, startDay: plan.startDay + rng.int(0, 30) });
    }
  }
  const all = [
    ...head,
    ...tl.sorted().map((d) => ({ method: 'POST' as const, path: d.path, body: d.body, role: d.role, projectId })),
  ];
  const requests = all.map((r, i) => ({ ...r, idempotencyKey: `demo-${projectId}-${String(i + 1).padStart(3, '0')}` }));
  const summary: DemoProject = {
    projectId,
    name,
    community: c.community,
    town: c.town,
    builtYear: c.builtYear,
    households: plan.households,
    buildingArea: plan.buildingArea,
    stage: c.stage,
    batch: c.batch,
    budgetTotal: formatFen(budgetFen),
    approvedInvestment: approvedFen === null ? null : formatFen(approvedFen),
    approvalPath: approvedFen === null ? null : demoApprovalPath(approvedFen, plan.startDay),
    sourcesReceived: [...m.receivedBySource.entries()].filter(([, fen]) => fen > 0n).map(([s]) => s),
    requestCount: requests.length,
  };
  return { requests, summary, draws: m.draws };
}

/** The earlier batch's life begins in 2019: consulted and reviewed before its 2020 approval. */
const EARLIER_FIRST = dayOf('2019-10-08');

/** What the project's life needs to know of its plan (demo-lifecycle.ts). */
function lifecycleInput(plan: ProjectPlan, plants: Plants, first: number): LifecycleInput {
  const { c, projectId } = plan;
  const approved = c.stage === 'funded' || c.stage === 'approved' || c.stage === 'earlier';
  const utilities = [...new Set(plan.lines.flatMap((l) => (l.utility ? [l.utility] : [])))];
  return {
    projectId,
    index: plan.index,
    town: c.town,
    community: c.community,
    scale: c.scale,
    households: plan.households,
    approvalDay: approved ? plan.startDay : null,
    // A plan still being prepared is consulted on in the autumn of 2023.
    preparedDay: plan.startDay > 0 ? plan.startDay : dayOf('2023-11-01') + (plan.index % 20),
    reach:
      c.stage === 'funded' || c.stage === 'earlier'
        ? 'whole'
        : c.stage === 'approved'
          ? 'determinations'
          : c.stage === 'pledged'
            ? 'publicity'
            : 'consultation',
    payees: payeesOf(plan),
    elevators: plan.lines.some((l) => l.item === 'elevator') ? (plan.elevators?.count ?? 1) : 0,
    utilities: utilities.map((u) => ({ utility: u, receivingParty: UTILITY_COMPANIES[u].payer })),
    ownHome: plan.lines.some((l) => l.item === 'own_home'),
    first,
    last: LAST,
    // The earlier batch is done in 2021, the 2021 batch in 2022 (seed 一(三)).
    ...(c.batch === 2020 ? { completeFrom: dayOf('2021-01-11') } : {}),
    ...(c.batch === 2021 ? { completeFrom: dayOf('2022-01-10') } : {}),
    ...(plants.lateFiling === projectId ? { lateFiling: true } : {}),
    ...(plants.startBeforePermit === projectId ? { startBeforePermit: true } : {}),
    seed: plan.residentsSeed,
  };
}

/** Who the project pays, each under one contract: its general contractor, the elevators', each utility's works. */
function payeesOf(plan: ProjectPlan): DemoPayee[] {
  const byName = new Map<string, DemoPayee>();
  for (const l of plan.lines) {
    const [name, kind] = l.utility
      ? [UTILITY_COMPANIES[l.utility].contractor, 'utility' as const]
      : l.item === 'elevator'
        ? [ELEVATOR_CONTRACTOR, 'elevator' as const]
        : [plan.contractor, 'general' as const];
    const payee = byName.get(name) ?? { name, kind, amountFen: 0n };
    payee.amountFen += l.costFen;
    byName.set(name, payee);
  }
  return [...byName.values()];
}

/**
 * What goes wrong on purpose (demo-irregularities.ts), each on the first project that fits it, so
 * that a seed always plants all of them: late filing and a start before the permit are the
 * milestones' (demo-lifecycle.ts); money before the approval, the maintenance fund on the
 * emergency exception and a pipeline line its utility does not pay are the money's, set here on
 * the contributions (without new draws, so the rest of the district stays as it was).
 */
function plantIrregularities(plans: ProjectPlan[]): Plants {
  const funded2021 = plans.filter((p) => p.c.stage === 'funded' && p.c.batch === 2021);
  const funded2022 = plans.filter((p) => p.c.stage === 'funded' && p.c.batch === 2022);
  const first = <T>(pool: ProjectPlan[], find: (p: ProjectPlan) => T | undefined, what: string): [ProjectPlan, T] => {
    for (const p of pool) {
      const found = find(p);
      if (found !== undefined) return [p, found];
    }
    throw new Error(`demo: no project fits the planted ${what}`);
  };
  const [early, receipt] = first(
    funded2022.slice(2),
    (p) =>
      p.contributions.find(
        (c) => c.source === 'district_matching' && c.pledged && c.scenario === undefined && c.startDay === undefined,
      ),
    'money before approval',
  );
  receipt.beforeApproval = true;
  const [fundUse, fund] = first(
    funded2021.slice(6).filter((p) => p.residents === undefined),
    (p) => p.contributions.find((c) => c.source === 'maintenance_fund' && c.scenario === undefined),
    'emergency use of the maintenance fund',
  );
  fund.emergencyReason = '屋面严重渗漏、危及住户安全，业主委员会申请应急维修';
  fund.details = {};
  const [pipeline, line] = first(
    funded2021.slice(8),
    (p) =>
      p.lines.find(
        (l) =>
          (l.utility === 'gas' || l.utility === 'power') &&
          p.contributions.some((c) => c.lineId === l.lineId && c.source === 'pipeline_unit' && !c.scenario),
      ),
    'pipeline line its utility does not pay',
  );
  // The district's share of the line takes the utility's too (one contribution a source and line).
  const utility = pipeline.contributions.filter((x) => x.lineId === line.lineId && x.source === 'pipeline_unit');
  const district = pipeline.contributions.find(
    (x) => x.lineId === line.lineId && x.source === 'district_matching' && !x.scenario && x.startDay === undefined,
  );
  if (district) {
    district.amountFen += utility.reduce((t, x) => t + x.amountFen, 0n);
    pipeline.contributions = pipeline.contributions.filter((x) => !utility.includes(x));
  } else {
    for (const c of utility)
      Object.assign(c, {
        source: 'district_matching',
        payer: payerOf('district_matching', pipeline.c, {}),
        details: {},
      });
  }
  return {
    lateFiling: funded2021[4].projectId,
    startBeforePermit: funded2022[1].projectId,
    moneyBeforeApproval: early.projectId,
    emergencyFund: { projectId: fundUse.projectId, lineId: fund.lineId! },
    pipelineUnpaid: { projectId: pipeline.projectId, lineId: line.lineId },
  };
}

/**
 * The earlier batch (EARLIER_COMMUNITIES): registered, budgeted on the basic items, reviewed and
 * approved in 2020 (the full procedure, before the seed), its works done in 2021. Its own draws,
 * after the rest of the district's.
 */
function planEarlierBatch(seed: number): ProjectPlan[] {
  const rng = new SeededRandom(seed * 31 + 2020);
  return EARLIER_COMMUNITIES.map((c, i) => {
    const households = c.scale === 'street' ? rng.int(140, 320) : rng.int(40, 160);
    const areaHundredths = households * rng.int(5_800, 8_600) + rng.int(0, 99);
    const hh = BigInt(households);
    const lines = numberLines(
      ['roof', 'facade', 'road', 'fire_safety'].map((item) => ({
        category: 'basic' as Category,
        item,
        costFen: floorTo(hh * rng.bigint(yuan(PER_HOUSEHOLD[item][0]), yuan(PER_HOUSEHOLD[item][1])), HUNDRED_YUAN),
      })),
    );
    return {
      index: 100 + i,
      projectId: `TN2020-${String(i + 1).padStart(3, '0')}`,
      c,
      households,
      buildingArea: areaOf(areaHundredths),
      lines,
      contingencyBp: rng.int(150, 500),
      contractor: CONTRACTORS[(i + 3) % CONTRACTORS.length],
      contributions: [],
      startDay: dayOf('2020-03-02') + i * 9 + rng.int(0, 5),
      residentsSeed: seed * 7_919 + 100 + i,
    };
  });
}

/** Hundredths of a m² as the JSON number a registration sends. */
function areaOf(hundredths: number): number {
  return Number(`${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`);
}

// ---------------------------------------------------------------------------------------------
// the residents' requests (demo-residents.ts plans them)

/**
 * The votes, the plans, each household's payment into its share, and the payments of that money
 * to the works: per plan and channel, once the households have paid, as any other money of the
 * project (its own draws, so the rest of the district does not shift with the residents').
 */
function residentsEvents(m: MoneyContext, r: DemoResidents): void {
  const { tl } = m;
  for (const v of r.votes)
    tl.add(v.day, 'vote', 'clerk', 'votes', {
      voteId: v.voteId,
      matter: v.matter,
      scope: v.scope,
      heldOn: isoOf(v.day),
      ballots: v.ballots,
    });
  for (const p of r.plans)
    tl.add(p.day, 'plan', 'housing', 'cost-shares', {
      planId: p.planId,
      lineIds: p.lineIds,
      amount: formatFen(p.amountFen),
      scope: p.scope,
      key: p.key,
      ...(p.voteId !== undefined ? { voteId: p.voteId } : {}),
    });
  const rng = new SeededRandom(m.plan.residentsSeed + 1_000_003);
  const paid = new Map<string, { plan: DemoResidents['plans'][number]; source: string; tranches: Tranche[] }>();
  for (const pay of r.payments) {
    const plan = r.plans.find((p) => p.planId === pay.planId)!;
    // A household pays into its share once the project is approved (RF-01).
    const payDay = Math.max(pay.day, m.approvalDay);
    const date = isoOf(payDay);
    const receiptId = tl.newId('R');
    tl.add(payDay, 'receipt', 'clerk', 'receipts', {
      receiptId,
      source: pay.source,
      amount: formatFen(pay.amountFen),
      payer: payerOf(pay.source, m.plan.c, {}),
      reference:
        pay.source === 'provident_fund'
          ? `公积金提取划款 GJJ${date.replace(/-/g, '')}${String(rng.int(1, 999)).padStart(3, '0')}`
          : `${SHARE_RECEIPTS[plan.kind]}收款收据 ${date}-${String(rng.int(1, 99)).padStart(2, '0')}`,
      receivedOn: date,
      fiscalYear: yearOf(payDay),
      householdId: pay.householdId,
      planId: plan.planId,
      ...(plan.lineIds.length === 1 ? { lineId: plan.lineIds[0] } : {}),
    });
    const key = `${plan.planId}|${pay.source}`;
    const group = paid.get(key) ?? { plan, source: pay.source, tranches: [] };
    // The households' money of a season is paid on together (the payments follow by a few weeks).
    const season = group.tranches[group.tranches.length - 1];
    if (season !== undefined && payDay - season.day < 90) {
      season.fen += pay.amountFen;
      season.day = payDay;
    } else group.tranches.push({ day: payDay, fen: pay.amountFen, receiptId });
    paid.set(key, group);
    m.receivedBySource.set(pay.source, (m.receivedBySource.get(pay.source) ?? 0n) + pay.amountFen);
  }
  const spending = { ...m, rng };
  for (const { plan, source, tranches } of paid.values()) {
    const fen = tranches.reduce((t, x) => t + x.fen, 0n);
    const c: Contribution = {
      source,
      lineId: undefined,
      amountFen: fen,
      payer: '',
      details: {},
      pledged: false,
      inKind: false,
      receivedPercent: 100,
      paidPercent: rng.chance(40) ? 100 : rng.int(60, 95),
    };
    for (const line of plan.lines) {
      const part = (x: bigint) => (plan.lines.length === 1 ? x : floorTo((x * line.amountFen) / plan.amountFen, YUAN));
      const lineTranches = tranches.map((t) => ({ ...t, fen: part(t.fen) }));
      const lineFen = lineTranches.reduce((t, x) => t + x.fen, 0n);
      if (lineFen > 0n) paymentsOnLine(spending, c, line.lineId, lineFen, lineTranches, undefined);
    }
  }
}

/** What a household's receipt says it is for, by the plan's works. */
const SHARE_RECEIPTS: Record<DemoResidents['plans'][number]['kind'], string> = {
  elevator: '加装电梯费用分摊款',
  own_home: '自住住房适老化改造分摊款',
  roof_facade: '屋面及外墙改造费用分摊款',
};

function residentsSummary(projectId: string, r: DemoResidents): DemoResidentsSummary {
  const shareFen = r.plans.reduce((t, p) => t + p.amountFen, 0n);
  const paidFen = r.payments.reduce((t, p) => t + p.amountFen, 0n);
  return {
    projectId,
    households: r.households.length,
    votes: r.votes.map((v) => ({
      voteId: v.voteId,
      matter: v.matter,
      passed: v.passed,
      areaMet: v.areaMet,
      ownersMet: v.ownersMet,
    })),
    plans: r.plans.map((p) => ({
      planId: p.planId,
      kind: p.kind,
      lineIds: p.lineIds,
      amount: formatFen(p.amountFen),
      households: p.shares.length,
    })),
    paid: formatFen(paidFen),
    outstanding: formatFen(shareFen - paidFen),
    ...(r.statementHouseholdId !== undefined ? { statementHouseholdId: r.statementHouseholdId } : {}),
  };
}

/** The demo district for a seed: its projects and, in order, the requests that load it. */
export function generateDemoDistrict(seed: number = DEMO_SEED): DemoDistrict {
  const rng = new SeededRandom(seed);
  const plans = planProjects(rng, seed);
  assignScenarios(plans);
  const plants = plantIrregularities(plans);
  const registry = new Registry(rng);
  const projects: DemoProject[] = [];
  const projectWrites: DemoRequest[] = [];
  const draws: ContributionDraw[] = [];
  for (const plan of plans) {
    const built = projectRequests(plan, rng, registry, plants);
    projects.push(built.summary);
    projectWrites.push(...built.requests);
    draws.push(...built.draws);
  }
  // The earlier batch is generated last (its document numbers draw on the district's registry)
  // and loaded first, as it came first.
  const earlier = planEarlierBatch(seed).map((plan) => projectRequests(plan, rng, registry, plants));
  projects.unshift(...earlier.map((b) => b.summary));
  projectWrites.unshift(...earlier.flatMap((b) => b.requests));
  const preparing = new Set(
    plans.filter((p) => p.c.stage === 'pledged' || p.c.stage === 'approved').map((p) => p.projectId),
  );
  const { batches, requests } = addFundBatches(seed, draws, projectWrites, preparing);
  numberVouchers(requests);
  const treasuryPayments = makeTreasuryPayments(requests, batches, plantedOn(plants));
  // Each treasury payment took the place of a receipt and a payment: one request fewer.
  for (const t of treasuryPayments) projects.find((p) => p.projectId === t.projectId)!.requestCount -= 1;
  const residents = plans.flatMap((p) => (p.residents ? [residentsSummary(p.projectId, p.residents)] : []));
  const irregularities = irregularitiesOf(requests, plants, batches);
  const statements = demoStatements(requests, projects, treasuryPayments);
  return { seed, projects, residents, batches, requests, irregularities, statements };
}

/** The projects a red flag is planted on: left as they are by what is planted for the reconciliation. */
function plantedOn(p: Plants): Set<string> {
  return new Set([
    p.lateFiling,
    p.startBeforePermit,
    p.moneyBeforeApproval,
    p.emergencyFund.projectId,
    p.pipelineUnpaid.projectId,
  ]);
}

/** The write routes of a project, as a client names them: 'register', or the last segment of the path. */
export type ProjectRoute =
  | 'register'
  | 'approval'
  | 'budget-lines'
  | 'pledges'
  | 'receipts'
  | 'disbursements'
  | 'treasury-payments'
  | 'reversals'
  | 'households'
  | 'votes'
  | 'cost-shares'
  | 'milestones';
/** The routes of a fund batch: issuing it, allocating it, reversing (part of) an allocation. */
export type FundBatchRoute = 'batch-issue' | 'batch-allocations' | 'batch-reversals';
export type DemoRoute = ProjectRoute | FundBatchRoute;

/** The write route a demo request goes to (a project's or a fund batch's). */
export function routeOf(r: DemoRequest): DemoRoute {
  if (r.batchId !== undefined)
    return r.path === '/api/fund-batches' ? 'batch-issue' : (`batch-${r.path.split('/').pop()}` as FundBatchRoute);
  return (r.path === '/api/projects' ? 'register' : r.path.split('/').pop()) as ProjectRoute;
}

/** The project route of a request that is not a fund batch's. */
export function projectRouteOf(r: DemoRequest): ProjectRoute {
  const route = routeOf(r);
  if (route.startsWith('batch-')) throw new Error(`demo: ${r.path} is a fund batch's route`);
  return route as ProjectRoute;
}
