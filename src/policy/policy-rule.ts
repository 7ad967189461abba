/**
 * A rule the ledger enforces or checks, as dated policy: where it comes from (document, clause,
 * the document's own words), from which business date it applies and until when, and its settings.
 * A command is judged by the rule in force on the business date of the act it records (an approval
 * by `approvedOn`, a vote by `heldOn`), never by the day it reaches the ledger.
 *
 * Rules of one `family` are the versions of one rule over time (e.g. the approval path before and
 * after 潼南府办发〔2021〕71号 took effect); their periods do not overlap. `GET /api/policies` lists
 * every rule; a refusal or a red flag names the `ruleId` it applies.
 */
export type Provenance =
  /** quoted from the seed, 潼南府办发〔2021〕71号: binding for this product */
  | 'seed'
  /** 民法典 / 物权法 and other national law, confirmed or from general knowledge (see `verified`) */
  | 'law'
  /** a national or municipal policy document other than the seed */
  | 'national'
  /** practice of this district or a setting the product owner chose; not in any document quoted */
  | 'local';

export interface PolicySource {
  /** e.g. 潼南府办发〔2021〕71号, 《中华人民共和国民法典》 */
  document: string;
  /** e.g. 三(三)1, 第二百七十八条 */
  clause: string;
  /** The document's own words for the rule ('' only for a local setting that quotes nothing). */
  quote: string;
  provenance: Provenance;
  /** false: quoted from general knowledge of the text, to be checked against an official copy. */
  verified: boolean;
}

export interface PolicyRule<Settings = unknown> {
  /** Stable id, kebab-case, e.g. `approval-path-seed`; refusals and red flags carry it. */
  ruleId: string;
  /** The rule this is a version of; at most one version of a family is in force on a day. */
  family: string;
  title: { zh: string; en: string };
  source: PolicySource;
  /** First business day (YYYY-MM-DD) the rule judges. */
  effectiveFrom: string;
  /** Last business day it judges; absent while in force. */
  effectiveTo?: string;
  settings: Settings;
  /** Where the documents are silent (domain.md §7): what the setting assumes and why. */
  silence?: string;
}

import { RuleReference } from '../shared/domain/domain-error';

export type { RuleReference };

/** What an error body or a red flag says about the rule it applies. */
export function ruleReference(rule: PolicyRule): RuleReference {
  return { ruleId: rule.ruleId, citation: `${rule.source.document} ${rule.source.clause}`.trim() };
}
