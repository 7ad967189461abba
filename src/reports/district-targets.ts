/**
 * The seed's targets (潼南府办发〔2021〕71号 一(三) 目标任务; domain.md §5), period by period, with
 * the reading the ledger takes of each. The seed's words leave two questions open (domain.md §7):
 * whether "截止 2021 年底" counts what was done before 2021, and whether "新开工" counts what
 * started earlier. The ledger reads:
 * - 完成 by 2021: cumulative, as "截止" says: every community accepted on or before 2021-12-31;
 * - 新开工 in 2021: within the year: communities whose works started in 2021. The seed's own
 *   figures call for it: 77 communities done and 99 newly started by the end of 2021, then "2022
 *   年 … 完成 99 个", the 2021 starts finished (domain.md §9). Counting every start up to 2021
 *   would count the 77 done among the 99 started, and leave 22 communities to finish 99 in 2022.
 * - 2022: within the year for both 启动实施 (started) and 完成 (accepted).
 * - 2023 and 2025: qualitative goals, no figure; the report counts what the ledger can (the
 *   communities of the scope done or started, against those of the scope it has registered).
 */

export const TARGETS_SOURCE = {
  document: '潼南府办发〔2021〕71号',
  clause: '一(三) 目标任务',
  quote:
    '截止 2021 年底，老旧小区改造完成 77 个、66.7 万平方米，新开工 99个、77.3 万平方米；2022 年，老旧小区改造启动实施 38 个、62 万平方米，完成 99 个；2023 年底，基本完成 2000 年底前建成的需要改造的城镇老旧小区改造提升任务；到 2025 年，对 2005 年底前建成的居住条件较差的城镇老旧小区逐步实施改造提升。',
} as const;

/** What a period counts: works started (construction_started) or accepted (a passed joint acceptance). */
export const TARGET_METRICS = ['started', 'completed'] as const;
export type TargetMetric = (typeof TARGET_METRICS)[number];

/** The communities a period counts among: all, or those of one eligibility basis (src/project/eligibility.ts). */
export const TARGET_SCOPES = ['all', 'pre2000', 'pre2005_poor_condition'] as const;
export type TargetScope = (typeof TARGET_SCOPES)[number];

export interface Words {
  zh: string;
  en: string;
}

export interface DistrictTarget {
  periodId: string;
  metric: TargetMetric;
  scope: TargetScope;
  /** First day counted; null: cumulative, everything up to `to`. */
  from: string | null;
  /** Last day counted. */
  to: string;
  title: Words;
  /** How the ledger reads the seed's words for this period. */
  reading: Words;
  /** The seed's figures; null where it gives none. */
  communities: number | null;
  /** 万m², as the seed writes it ("66.7"). */
  areaWanM2: string | null;
  /** The seed's words for the period. */
  words: string;
}

export const DISTRICT_TARGETS: readonly DistrictTarget[] = [
  {
    periodId: '2021-completed',
    metric: 'completed',
    scope: 'all',
    from: null,
    to: '2021-12-31',
    title: { zh: '截止2021年底 完成', en: 'Completed by the end of 2021' },
    reading: {
      zh: '累计口径：2021-12-31（含）前联合竣工验收合格的小区，不论何年开工（“截止”）',
      en: 'cumulative: communities whose joint acceptance passed on or before 2021-12-31, whenever their works started ("截止")',
    },
    communities: 77,
    areaWanM2: '66.7',
    words: '截止 2021 年底，老旧小区改造完成 77 个、66.7 万平方米',
  },
  {
    periodId: '2021-started',
    metric: 'started',
    scope: 'all',
    from: '2021-01-01',
    to: '2021-12-31',
    title: { zh: '2021年 新开工', en: 'Newly started in 2021' },
    reading: {
      zh: '年内口径：2021 年内开工的小区。方案所列 2021 年底前完成的 77 个与新开工的 99 个是两批（2022 年“完成 99 个”即这批），故不累计此前开工的小区',
      en: 'within the year: communities whose works started in 2021. The seed counts the 77 done and the 99 newly started by the end of 2021 as two batches (the 99 are the "完成 99 个" of 2022), so starts before 2021 are not counted',
    },
    communities: 99,
    areaWanM2: '77.3',
    words: '新开工 99个、77.3 万平方米',
  },
  {
    periodId: '2022-started',
    metric: 'started',
    scope: 'all',
    from: '2022-01-01',
    to: '2022-12-31',
    title: { zh: '2022年 启动实施', en: 'Started in 2022' },
    reading: {
      zh: '年内口径：2022 年内开工的小区',
      en: 'within the year: communities whose works started in 2022',
    },
    communities: 38,
    areaWanM2: '62',
    words: '2022 年，老旧小区改造启动实施 38 个、62 万平方米',
  },
  {
    periodId: '2022-completed',
    metric: 'completed',
    scope: 'all',
    from: '2022-01-01',
    to: '2022-12-31',
    title: { zh: '2022年 完成', en: 'Completed in 2022' },
    reading: {
      zh: '年内口径：2022 年内联合竣工验收合格的小区。方案未写面积（若即 2021 年新开工的一批，约 77.3 万平方米，属推断，不列为目标）',
      en: 'within the year: communities whose joint acceptance passed in 2022. The seed gives no area (77.3万m², if these are the 2021 starts, is an inference and not shown as a target)',
    },
    communities: 99,
    areaWanM2: null,
    words: '（2022 年）完成 99 个',
  },
  {
    periodId: '2023-pre2000',
    metric: 'completed',
    scope: 'pre2000',
    from: null,
    to: '2023-12-31',
    title: {
      zh: '2023年底 基本完成2000年底前建成的小区',
      en: 'By the end of 2023: communities built by 2000 basically done',
    },
    reading: {
      zh: '累计口径：登记为 2000 年底前建成的小区中，2023-12-31（含）前联合竣工验收合格的；“需要改造的”总数以本台账登记的小区为准，并非全区普查清单',
      en: 'cumulative: communities built by 2000 (registered as pre2000) whose joint acceptance passed on or before 2023-12-31; "those needing renovation" is taken as the communities registered in the ledger, not an inventory of the district',
    },
    communities: null,
    areaWanM2: null,
    words: '2023 年底，基本完成 2000 年底前建成的需要改造的城镇老旧小区改造提升任务',
  },
  {
    periodId: '2025-pre2005',
    metric: 'started',
    scope: 'pre2005_poor_condition',
    from: null,
    to: '2025-12-31',
    title: {
      zh: '到2025年 逐步改造2005年底前建成的居住条件较差小区',
      en: 'By 2025: communities built 2001-2005 in poor condition renovated step by step',
    },
    reading: {
      zh: '累计口径：2001—2005 年建成、登记时说明居住条件较差的小区中，2025-12-31（含）前开工的；总数以本台账登记的小区为准，并非全区普查清单',
      en: 'cumulative: communities built 2001-2005 and registered with their poor living conditions (pre2005_poor_condition) whose works started on or before 2025-12-31; the total is the communities registered in the ledger, not an inventory of the district',
    },
    communities: null,
    areaWanM2: null,
    words: '到 2025 年，对 2005 年底前建成的居住条件较差的城镇老旧小区逐步实施改造提升',
  },
];

/** What the figures count, as the report states it beside them. */
export const TARGET_DEFINITIONS: Readonly<
  Record<'started' | 'completed' | 'community' | 'area' | 'households', Words>
> = {
  started: {
    zh: '开工：项目记录“开工”（construction_started），以其开工日期计',
    en: 'started: the project recorded construction_started, counted on its date',
  },
  completed: {
    zh: '完成：联合竣工验收合格（joint_acceptance，结果为合格），以验收日期计；已竣工（construction_completed）而未验收合格的不计',
    en: 'completed: a joint acceptance that passed, counted on its date; works completed (construction_completed) but not yet accepted do not count',
  },
  community: {
    zh: '小区以“镇街 + 小区名称”（登记所填）识别：一个小区有几个项目只计一次，计入其最早开工（或最早验收合格）的期间；名称写法不同即视为不同小区',
    en: 'a community is its town and its name as registered: however many projects it has, it counts once, in the period of its first start (or first passed acceptance); names written differently are different communities',
  },
  area: {
    zh: '面积为小区建筑面积（登记所填），不是改造工程量；同一小区各项目登记的面积不同时取最大者；按 0.01 平方米精确累加，万平方米四舍五入保留两位小数',
    en: "area is the community's building area as registered, not the area of works; where its projects registered different areas, the largest; summed exactly in hundredths of a m², 万m² rounded half up to two decimals",
  },
  households: {
    zh: '户数为小区登记户数，同一小区取各项目中最大者',
    en: "households are the community's as registered, the largest of its projects'",
  },
};
