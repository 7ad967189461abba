import { PolicyRule } from '../policy-rule';
import { INVESTMENT_REGULATIONS, SEED } from './sources';

/**
 * How a renovation project is approved (立项), by the business date of the approval. Before the
 * seed took effect on 2021-11-25 ("本通知自公布之日起施行") its simplified paths did not exist: a
 * government-invested project went through the full procedure of 《政府投资条例》 (project
 * proposal, feasibility study, preliminary design). From that day the seed's 三(三)1 sets two
 * simplified paths, each only for a project without independent supporting infrastructure.
 */

export const APPROVAL_FAMILIES = {
  approvalPath: 'approval-path',
  reapproval: 'reapproval',
} as const;
const F = APPROVAL_FAMILIES;

/** The approval paths: the seed's two simplified ones and the full procedure of 《政府投资条例》. */
export const APPROVAL_PATHS = ['plan_review', 'merged_fsr', 'standard'] as const;
export type ApprovalPath = (typeof APPROVAL_PATHS)[number];

export interface ApprovalPathSettings {
  /**
   * The investment (CNY, a decimal string) from which the merged feasibility study applies, that
   * amount included ("（含 1000 万元）"); below it, approval on the jointly reviewed plan. null: the
   * rule knows no simplified path, every project takes `independentInfrastructurePath`'s procedure.
   */
  mergedFsrFrom: string | null;
  /** `plan_review` needs a joint review that passed, recorded on or before the approval date. */
  planReviewNeedsPassedJointReview: boolean;
  /** The path of a project that involves independent supporting infrastructure (功能独立配套基础设施). */
  independentInfrastructurePath: ApprovalPath;
}

/**
 * The seed's paths (三(三)1): its threshold ("（含 1000 万元）") is also the one RF-04 watches a
 * budget cross, and the one the demo sizes its projects by.
 */
export const SEED_APPROVAL_PATH = {
  mergedFsrFrom: '10000000.00',
  planReviewNeedsPassedJointReview: true,
  independentInfrastructurePath: 'standard',
} as const satisfies ApprovalPathSettings;

export const APPROVAL_RULES: readonly PolicyRule[] = [
  {
    ruleId: 'approval-path-investment-regulations',
    family: F.approvalPath,
    title: {
      zh: '政府投资项目审批（项目建议书、可行性研究报告、初步设计）',
      en: 'Approval of a government-invested project: proposal, feasibility study and preliminary design',
    },
    source: {
      document: INVESTMENT_REGULATIONS.document,
      clause: '第九条',
      quote:
        '政府采取直接投资方式、资本金注入方式投资的项目（以下统称政府投资项目），项目单位应当编制项目建议书、可行性研究报告、初步设计，按照政府投资管理权限和规定的程序，报投资主管部门或者其他有关部门审批。',
      provenance: 'national',
      // Two public copies found with `search` word this article differently (one reads like the
      // 2017 draft): to be checked against the official text.
      verified: false,
    },
    effectiveFrom: INVESTMENT_REGULATIONS.effectiveFrom,
    effectiveTo: SEED.dayBefore,
    settings: {
      mergedFsrFrom: null,
      planReviewNeedsPassedJointReview: false,
      independentInfrastructurePath: 'standard',
    } satisfies ApprovalPathSettings,
  },
  {
    ruleId: 'approval-path-seed',
    family: F.approvalPath,
    title: {
      zh: '项目立项：按改造方案审批（1000万元以下）或合并可研审批（1000万元及以上）',
      en: 'Approval path: on the jointly reviewed plan below 10,000,000.00, by a merged feasibility study from it',
    },
    source: {
      document: SEED.document,
      clause: '三(三)1',
      quote:
        '总投资在 1000 万元以下且不涉及功能独立配套基础设施的项目，可根据联合审查通过的老旧小区改造提升方案和审查意见进行审批；总投资在 1000 万元以上（含 1000 万元）且不涉及功能独立配套基础设施的项目，将项目建议书、可行性研究报告、概算合并为可行性研究报告审批。',
      provenance: 'seed',
      verified: true,
    },
    effectiveFrom: SEED.effectiveFrom,
    settings: SEED_APPROVAL_PATH,
    silence:
      'The seed gives no path for a project that involves independent supporting infrastructure (功能独立配套基础设施): both of its paths exclude it. The ledger takes the full procedure of 《政府投资条例》 第九条 (`standard`), the one that asks the most, until the district says otherwise (domain.md §7).',
  },
  {
    ruleId: 'reapproval-above-approved-investment',
    family: F.reapproval,
    title: {
      zh: '概算调整超过批复投资的，应重新报批',
      en: 'A budget revision above the approved investment is approved again before money is paid',
    },
    source: {
      document: INVESTMENT_REGULATIONS.document,
      clause: '第二十三条',
      quote:
        '政府投资项目建设投资原则上不得超过经核定的投资概算。因国家政策调整、价格上涨、地质条件发生重大变化等原因确需增加投资概算的，项目单位应当提出调整方案及资金来源，按照规定的程序报原初步设计审批部门或者投资概算核定部门核定',
      provenance: 'national',
      // Two public copies found with `search` (jianbiaoku.com and a mirror) agree word for word.
      verified: true,
    },
    effectiveFrom: INVESTMENT_REGULATIONS.effectiveFrom,
    settings: { payments: 'refused until approved again' },
  },
];
