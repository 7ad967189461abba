import type {
  FundingMix as ServiceFundingMix,
  MixFigures,
} from '../../../../projections/funding-mix/funding-mix.query';
import type { Moved } from '../../../../src/project/funding-sources';
/**
 * The JSON the project page reads, as the API answers it (docs/api.md; checked against the demo).
 * Only the fields the page shows are typed; money and percents stay decimal strings.
 */
export interface Labelled {
  code: string;
  zh: string;
  en: string;
}

export interface RenovationItems {
  categories: (Labelled & { items: Labelled[] })[];
  approvalPaths: Labelled[];
  milestones: Labelled[];
}

export interface FundingSourceSpec {
  code: string;
  labelZh: string;
  tier: string;
  inKind: boolean;
}

export interface BudgetLine {
  lineId: string;
  category: string;
  item: string;
  utility?: string;
  estimatedCost: string;
}

export interface Entry {
  id: string;
  source: string;
  amount: string;
  reversed: string;
  remaining: string;
  lineId?: string;
}

export interface ProjectView {
  projectId: string;
  name: string;
  community: string;
  town: string;
  builtYear: number;
  households: number;
  status: string;
  approval: { approvedInvestment: string; approvalPath: string; docNo: string; approvedOn: string } | null;
  budgetTotal: string;
  budgetLines: BudgetLine[];
  payments: Entry[];
  treasuryPayments: Entry[];
  planIds: string[];
  voteIds: string[];
  revision: number;
}

/** One row of GET /api/projects?asOf=: the project as it stood that day. */
export interface ProjectListItem {
  projectId: string;
  status: string;
  approvedInvestment: string | null;
  approvalPath: string | null;
  budgetTotal: string;
}

export interface Bounds {
  asOf: string | null;
  knownAt: string | null;
  position: string;
}

/** The funding mix as the service's query answers it, with the read's bounds the route adds. */
export type FundingMix = ServiceFundingMix & { bounds: Bounds };
export type { MixFigures };
/** The cash or in-kind part of the totals (byKind). */
export type KindPart = Moved;

export interface Milestone {
  milestoneId: string;
  kind: string;
  type: string;
  date: string;
  docRefs: string[];
  filingDeadline?: string;
  late?: boolean;
  revision: number;
  actor: Actor;
}

export interface Actor {
  id: string;
  role: string;
  org: string;
}

export interface LedgerEvent {
  revision: number;
  position: string;
  type: string;
  data: Record<string, unknown>;
  actor: Actor;
  recordedAt: string;
  prevHash: string;
  hash: string;
}

export interface PlanHousehold {
  householdId: string;
  building: string;
  unit: string;
  floor: number;
  room: string;
  weight: string;
  share: string;
  paid: Record<string, string>;
  paidTotal: string;
  outstanding: string;
}

export interface CostSharePlan {
  planId: string;
  lineIds: string[];
  amount: string;
  key: { kind: string };
  voteId?: string;
  households: PlanHousehold[];
  totals: { share: string; paid: Record<string, string>; paidTotal: string; outstanding: string };
}

export interface Ratio {
  display: string;
  percent: string;
}

export interface VoteCheck {
  required: { area: { text: string }; owners: { text: string } };
  area: Ratio;
  owners: Ratio;
  met: boolean;
}

export interface OwnerVote {
  voteId: string;
  matter: string;
  heldOn: string;
  tally: {
    rule: { citation: string };
    scope: { units: number; owners: number; area: string };
    participating: { units: number; owners: number; area: string };
    agreeing: { units: number; owners: number; area: string };
    quorum: VoteCheck;
    approval: VoteCheck;
  };
  passed: boolean;
}

export interface RedFlag {
  flagId: string;
  code: string;
  severity: 'high' | 'medium' | 'low';
  title: { zh: string };
  message: { zh: string };
  raisedAt: string;
  clearedAt: string | null;
  open: boolean;
}

export interface RedFlags {
  bounds: Bounds;
  referenceDate: string;
  flags: RedFlag[];
  totals: { open: number; cleared: number; total: number };
}
