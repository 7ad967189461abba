/**
 * The fourteen funding channels of the district plan (product.md, "Funding sources"; domain.md §1),
 * with the sub-fields each one takes. This table is the one place the codes live: the decider,
 * the DTOs, the projections and `GET /api/funding-sources` all read it.
 */
import { Fen, formatFen } from '../shared/money/money';

export type Tier = 'resident' | 'utility' | 'social' | 'central' | 'municipal' | 'district' | 'debt';
export const TIERS: readonly Tier[] = ['resident', 'utility', 'social', 'central', 'municipal', 'district', 'debt'];

export const UTILITIES = ['water', 'drainage', 'power', 'gas', 'telecom', 'postal', 'broadcast'] as const;
export type Utility = (typeof UTILITIES)[number];

export const MUNICIPAL_PROGRAMS = [
  'urban_renewal',
  'shantytown',
  'rental_housing',
  'elderly_care',
  'childcare',
  'health',
  'convenience',
  'parking',
  'security',
] as const;
export type MunicipalProgram = (typeof MUNICIPAL_PROGRAMS)[number];

export const DONOR_KINDS = ['enterprise', 'social_org', 'original_owner_unit'] as const;

export interface SubFieldSpec {
  name: string;
  required: boolean;
  /** Allowed values; absent means any non-empty string up to 200 characters. */
  values?: readonly string[];
  description: string;
}

export interface FundingSourceSpec {
  code: string;
  labelZh: string;
  labelEn: string;
  tier: Tier;
  /** Contributions in kind are valued, never counted as cash in reconciliation. */
  inKind: boolean;
  subFields: SubFieldSpec[];
  rule: string;
}

const householdOptional: SubFieldSpec = {
  name: 'householdId',
  required: false,
  description: 'the contributing household',
};

export const FUNDING_SOURCES: readonly FundingSourceSpec[] = [
  {
    code: 'resident_direct',
    labelZh: '居民直接出资',
    labelEn: 'Residents, direct payment',
    tier: 'resident',
    inKind: false,
    subFields: [householdOptional],
    rule: '',
  },
  {
    code: 'maintenance_fund',
    labelZh: '住宅专项维修资金',
    labelEn: 'Special housing maintenance fund',
    tier: 'resident',
    inKind: false,
    subFields: [
      { name: 'voteRef', required: false, description: "reference of the owners' vote that approved the use" },
      {
        name: 'householdId',
        required: false,
        description: 'the household whose fund account pays (its share of a plan)',
      },
    ],
    rule: 'common parts only; on a project with a household register, a passed fund_use vote (voteId) or an emergency',
  },
  {
    code: 'provident_fund',
    labelZh: '提取住房公积金',
    labelEn: 'Housing provident fund withdrawal',
    tier: 'resident',
    inKind: false,
    subFields: [{ name: 'householdId', required: true, description: 'the withdrawing household' }],
    rule: "elevator or own-home lines only; on a project with a household register, within the household's outstanding share of a plan",
  },
  {
    code: 'public_revenue',
    labelZh: '让渡小区公共收益',
    labelEn: 'Ceded common revenue',
    tier: 'resident',
    inKind: false,
    subFields: [],
    rule: '',
  },
  {
    code: 'resident_in_kind',
    labelZh: '居民捐物、投工投劳',
    labelEn: 'Residents, materials and labour in kind',
    tier: 'resident',
    inKind: true,
    subFields: [
      {
        name: 'valuationBasis',
        required: true,
        description: 'how the contribution was valued, e.g. "120 h × 25.00/h"',
      },
      householdOptional,
    ],
    rule: 'in kind: never counted as cash in reconciliation',
  },
  {
    code: 'pipeline_unit',
    labelZh: '管线单位出资',
    labelEn: 'Pipeline utility',
    tier: 'utility',
    inKind: false,
    subFields: [
      { name: 'utility', required: true, values: UTILITIES, description: 'the utility whose pipeline work this pays' },
    ],
    rule: "only lines of that utility's pipeline work",
  },
  {
    code: 'social_donation',
    labelZh: '社会捐资捐物',
    labelEn: 'Social donation',
    tier: 'social',
    inKind: false,
    subFields: [
      {
        name: 'donorKind',
        required: true,
        values: DONOR_KINDS,
        description: 'enterprise, social organisation or original owner unit',
      },
      { name: 'valuationBasis', required: false, description: 'for a donation in kind: how it was valued' },
    ],
    rule: 'cash or in kind',
  },
  {
    code: 'social_capital',
    labelZh: '社会资本市场化参与',
    labelEn: 'Market investment',
    tier: 'social',
    inKind: false,
    subFields: [
      {
        name: 'operatingRights',
        required: false,
        description: 'the operating rights granted in return (parking, elderly care, ...)',
      },
    ],
    rule: 'investment, with its operating rights noted',
  },
  {
    code: 'central_budget_investment',
    labelZh: '中央预算内投资',
    labelEn: 'Central budget investment',
    tier: 'central',
    inKind: false,
    subFields: [],
    rule: 'not on the same line as central_fiscal_subsidy',
  },
  {
    code: 'central_fiscal_subsidy',
    labelZh: '中央财政补助资金',
    labelEn: 'Central fiscal subsidy',
    tier: 'central',
    inKind: false,
    subFields: [],
    rule: 'not on the same line as central_budget_investment',
  },
  {
    code: 'municipal_subsidy',
    labelZh: '市级专项资金',
    labelEn: 'Municipal special fund',
    tier: 'municipal',
    inKind: false,
    subFields: [
      {
        name: 'program',
        required: true,
        values: MUNICIPAL_PROGRAMS,
        description: 'the municipal programme the money comes from',
      },
    ],
    rule: "the program's purpose",
  },
  {
    code: 'district_matching',
    labelZh: '区级配套资金',
    labelEn: 'District matching funds',
    tier: 'district',
    inKind: false,
    subFields: [],
    rule: '',
  },
  {
    code: 'special_bond',
    labelZh: '地方政府专项债券',
    labelEn: 'Local government special bond',
    tier: 'debt',
    inKind: false,
    subFields: [{ name: 'bondId', required: false, description: 'the bond issue' }],
    rule: '',
  },
  {
    code: 'bank_loan',
    labelZh: '金融机构融资',
    labelEn: 'Bank loan',
    tier: 'debt',
    inKind: false,
    subFields: [{ name: 'lender', required: true, description: 'the lending institution' }],
    rule: '',
  },
];

/**
 * The channels that pay a household's share of a cost-sharing plan (a receipt naming `planId`),
 * each counted apart on the household's statement. Every other source is money from elsewhere,
 * which a plan's amount leaves out (domain.md R-CS6).
 */
export const SHARE_CHANNELS = ['resident_direct', 'provident_fund', 'maintenance_fund'] as const;
export type ShareChannel = (typeof SHARE_CHANNELS)[number];
export function isShareChannel(source: string): source is ShareChannel {
  return (SHARE_CHANNELS as readonly string[]).includes(source);
}

export const SOURCE_CODES: readonly string[] = FUNDING_SOURCES.map((s) => s.code);
export const SUB_FIELD_NAMES: readonly string[] = [
  ...new Set(FUNDING_SOURCES.flatMap((s) => s.subFields.map((f) => f.name))),
];

const BY_CODE = new Map(FUNDING_SOURCES.map((s) => [s.code, s]));
export function fundingSource(code: string): FundingSourceSpec | undefined {
  return BY_CODE.get(code);
}

/**
 * An entry in kind (labour, materials, equipment): its source is one (resident_in_kind), or it
 * says how it was valued (a social donation in kind). It moves no cash, so no bank sees it.
 */
export function isInKind(source: string, details: Readonly<Record<string, unknown>> | undefined): boolean {
  return (fundingSource(source)?.inKind ?? false) || details?.valuationBasis !== undefined;
}

/**
 * What the source alone says of isInKind: true or false, or undefined where the entry's details
 * decide (a source that may be valued, e.g. a social donation). A reversal names the source but
 * carries no details, so a read model asks this first and looks the entry up only when it must.
 */
export function sourceSaysInKind(source: string): boolean | undefined {
  const spec = fundingSource(source);
  if (spec?.inKind) return true;
  return spec?.subFields.some((f) => f.name === 'valuationBasis') ? undefined : false;
}

/** Received and disbursed, in fen, of the entries in cash or of those in kind (isInKind). */
export interface MovedFen {
  receivedFen: Fen;
  disbursedFen: Fen;
}
/** The same as the reports show it: CNY strings, with what is left (received − disbursed). */
export interface Moved {
  received: string;
  disbursed: string;
  available: string;
}
/** A total split into 现金 (cash) and 实物/投工投劳 (in kind, at its valuation): the two add up to it. */
export interface ByKind {
  cash: Moved;
  inKind: Moved;
}

export function byKindOf(cash: MovedFen, inKind: MovedFen): ByKind {
  const moved = (m: MovedFen): Moved => ({
    received: formatFen(m.receivedFen),
    disbursed: formatFen(m.disbursedFen),
    available: formatFen(m.receivedFen - m.disbursedFen),
  });
  return { cash: moved(cash), inKind: moved(inKind) };
}

/**
 * Sources whose money arrives in batches from an upper level or the district budget: central and
 * municipal transfers, district matching, special-bond tranches (domain.md §6). Receipts from
 * these sources that name no allocation show as unallocated in the source ledger.
 */
export const BATCH_SOURCES: readonly string[] = FUNDING_SOURCES.filter(
  (s) => s.tier === 'central' || s.tier === 'municipal' || s.tier === 'district' || s.code === 'special_bond',
).map((s) => s.code);
const BATCH_SOURCE_SET = new Set(BATCH_SOURCES);
export function isBatchSource(code: string): boolean {
  return BATCH_SOURCE_SET.has(code);
}
