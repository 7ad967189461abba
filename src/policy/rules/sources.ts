/**
 * The documents the rules cite, written once, and the shape every seed rule shares with the
 * version that judges acts dated before the seed.
 */
import { DATE_MIN } from '../../shared/domain/input-rules';
import { PolicyRule, PolicySource } from '../policy-rule';

/** 潼南府办发〔2021〕71号: "本通知自公布之日起施行", published 2021-11-25. */
export const SEED = {
  document: '潼南府办发〔2021〕71号',
  effectiveFrom: '2021-11-25',
  /** The last day before it: an act dated then is judged by what was in force before it. */
  dayBefore: '2021-11-24',
} as const;

/** 国务院令第712号, in force from 2019-07-01: the procedure of a government-invested project. */
export const INVESTMENT_REGULATIONS = {
  document: '《政府投资条例》（国务院令第712号）',
  effectiveFrom: '2019-07-01',
} as const;

export const CIVIL_CODE = '《中华人民共和国民法典》';
export const CIVIL_CODE_FROM = '2021-01-01';
export const PROPERTY_LAW = '《中华人民共和国物权法》';
export const PROPERTY_LAW_FROM = '2007-10-01';
/** 建设部、财政部令第165号, in force from 2008-02-01. */
export const MAINTENANCE_FUND_MEASURES = '《住宅专项维修资金管理办法》（建设部、财政部令第165号）';
export const BUDGET_LAW = '《中华人民共和国预算法》';

/** The first business date the ledger takes (input-rules.ts): a rule the ledger sets itself starts there. */
export const LEDGER_FIRST_DAY = DATE_MIN;

/** The "document" of a local rule: the ledger's own setting. */
export const LEDGER_SETTING = '本台账设置 (ledger setting)';

/** A rule the ledger itself sets (product owner, domain.md): it quotes no document; `clause` says where it is argued. */
export function localSource(clause: string): PolicySource {
  return { document: LEDGER_SETTING, clause, quote: '', provenance: 'local', verified: false };
}

export function seedSource(clause: string, quote: string): PolicySource {
  return { document: SEED.document, clause, quote, provenance: 'seed', verified: true };
}

/**
 * The version of a seed rule that judges acts dated before the seed: the same settings, as the
 * ledger's own conservative default (a restricted source pays no more before the seed than the
 * seed lets it), since no document the ledger holds governed them. `why` says what the earlier
 * documents are and why they are not quoted.
 */
export function beforeSeed<S>(seedRule: PolicyRule<S>, why: string): PolicyRule<S> {
  return {
    ruleId: `${seedRule.ruleId}-before-seed`,
    family: seedRule.family,
    title: { zh: `${seedRule.title.zh}（${SEED.document}施行前）`, en: `${seedRule.title.en} (before the seed)` },
    source: localSource(`acts dated before ${SEED.document} took effect (${SEED.effectiveFrom})`),
    effectiveFrom: LEDGER_FIRST_DAY,
    effectiveTo: SEED.dayBefore,
    settings: seedRule.settings,
    silence: why,
  };
}
