/**
 * The reports as tables for CSV and XLSX (src/reports/export): Chinese headers, the JSON's own
 * figures (plain decimal strings), a 合计 row. CSV carries the first table of each; XLSX all.
 */
import { BoundsUsed } from '../audit/time-bounds';
import { ReportColumn, ReportRow, ReportTable, ReportTotals } from './export/report-table';
import { ReportFileName } from './export/report-download';
import { BatchDetail, BatchListReport } from './fund-batch-reports';
import { ByKind } from '../project/funding-sources';
import { LedgerFigures } from './ledger-figures';
import { ProjectsReport, SourcesReport } from './source-reports';
import { PeriodStatus, TargetsReport } from './targets-report';

const text = (key: string, header: string): ReportColumn => ({ key, header, kind: 'text' });
const money = (key: string, header: string): ReportColumn => ({ key, header, kind: 'money' });
const percent = (key: string, header: string): ReportColumn => ({ key, header, kind: 'percent' });
const integer = (key: string, header: string): ReportColumn => ({ key, header, kind: 'integer' });
const area = (key: string, header: string): ReportColumn => ({ key, header, kind: 'area' });
const date = (key: string, header: string): ReportColumn => ({ key, header, kind: 'date' });
const year = (key: string, header: string): ReportColumn => ({ key, header, kind: 'year' });

/** The figure columns, in the order the bureau reads them (domain.md §8's words). */
const FIGURE_HEADERS: readonly [keyof LedgerFigures, string][] = [
  ['pledged', '计划（认缴）金额'],
  ['allocated', '已分配指标'],
  ['received', '到位金额'],
  ['disbursed', '支出金额'],
  ['available', '未支出余额'],
];
/** Paid ÷ received: the bureau's 支出进度 is paid ÷ issued (支付率), so this one is named apart. */
const PROGRESS_HEADER = '到位资金支付率(%)';
const RATE_HEADERS = {
  allocationRate: '分配率(%)',
  fundingRate: '资金到位率(%)',
  paymentRate: '支付率(%)',
  timeProgress: '序时进度(%)',
} as const;
/** A project's row: its plan, and its rates against it and against the indicator allocated to it. */
const figureColumns = (): ReportColumn[] => [
  ...FIGURE_HEADERS.map(([key, header]) => money(key, header)),
  money('planned', '计划数'),
  percent('progress', PROGRESS_HEADER),
  percent('fundingRate', RATE_HEADERS.fundingRate),
  percent('paymentRate', RATE_HEADERS.paymentRate),
  money('unallocated', '未对应指标的到位资金'),
];
/** A subtotal over whole sources: the batches' amount issued (下达金额) and 分配率 against it too. */
const summaryColumns = (): ReportColumn[] => [
  money('issued', '下达金额'),
  ...figureColumns(),
  percent('allocationRate', RATE_HEADERS.allocationRate),
];
/** A 合计 row summing every money column; the rates are the total's own (a sum of percents means nothing). */
const totalsWith = (totals: Pick<LedgerFigures, 'progress' | 'fundingRate' | 'paymentRate'>) => ({
  cells: { progress: totals.progress, fundingRate: totals.fundingRate, paymentRate: totals.paymentRate },
});
/**
 * The 合计's 其中 rows: received, disbursed and what is left of it in cash and in kind (isInKind),
 * under the columns `prefix` + received / disbursed / available.
 */
const byKindParts = (byKind: ByKind, prefix = ''): NonNullable<ReportTotals['parts']> =>
  (
    [
      ['其中：现金', byKind.cash],
      ['其中：实物/投工投劳', byKind.inKind],
    ] as const
  ).map(([label, m]) => ({
    label,
    cells: {
      [`${prefix}received`]: m.received,
      [`${prefix}disbursed`]: m.disbursed,
      [`${prefix}available`]: m.available,
    },
  }));
/** The same under summaryColumns, with 分配率. */
const summaryTotalsWith = (totals: LedgerFigures) => ({
  cells: { ...totalsWith(totals).cells, allocationRate: totals.allocationRate },
});

/**
 * The conservation checks as the bureau names them (勾稽校验), with the figures each compares;
 * a check this list lacks keeps its code.
 */
const CHECK_NAMES_ZH: Readonly<Record<string, string>> = {
  'pledged-adds-up': '计划（认缴）金额：按来源合计＝按项目合计＝总数',
  'allocated-adds-up': '已分配指标：按来源合计＝按项目合计＝总数',
  'received-adds-up': '到位金额：按来源合计＝按项目合计＝总数',
  'disbursed-adds-up': '支出金额：按来源合计＝按项目合计＝总数',
  'received-matches-funding-mix': '到位金额：资金来源台账＝项目资金构成',
  'allocations-recorded-in-projects': '已分配指标：指标下达台账＝项目登记',
  'plan-shares-sum-to-amount': '居民分摊方案：各户分摊额合计＝方案金额',
  'no-household-paid-beyond-share': '居民出资：无一户超过其分摊额',
};
const CHECK_WORDS_ZH: Readonly<Record<string, string>> = {
  bySource: '按来源合计',
  byProject: '按项目合计',
  total: '总数',
  sourceLedger: '资金来源台账',
  fundingMix: '项目资金构成',
  batches: '指标下达台账',
  projects: '项目登记',
  batch: '指标下达台账',
  project: '项目登记',
  amounts: '方案金额',
  amount: '方案金额',
  shares: '分摊额合计',
  paid: '已缴',
  projectId: '项目编号',
  planId: '方案编号',
  batchId: '指标编号',
  allocationId: '分配编号',
  households: '户数',
  beyond: '超出分摊额',
};
const inWords = (record: Record<string, string>) =>
  Object.entries(record)
    .map(([k, v]) => `${CHECK_WORDS_ZH[k] ?? k} ${v}`)
    .join('；');

/** The cells a table shows, picked from the JSON report's objects (which hold more: flags, lists). */
function rowsFor(columns: readonly ReportColumn[], items: readonly object[]): ReportRow[] {
  return items.map((item) =>
    Object.fromEntries(columns.map((c) => [c.key, (item as Record<string, ReportRow[string]>)[c.key]])),
  );
}

function table(
  sheetName: string,
  title: string | undefined,
  columns: ReportColumn[],
  items: readonly object[],
  totals?: ReportTable['totals'],
): ReportTable {
  return { sheetName, title, columns, rows: rowsFor(columns, items), ...(totals ? { totals } : {}) };
}

/** The title over an XLSX sheet, naming the fiscal year and the bounds. */
function titleOf(name: string, fiscalYear: number | null, bounds: BoundsUsed, ...more: string[]): string {
  const parts = [fiscalYear === null ? '全部年度' : `${fiscalYear} 年度`, ...more];
  if (bounds.asOf !== null) parts.push(`截至 ${bounds.asOf}`);
  if (bounds.knownAt !== null) parts.push(`记录截至 ${bounds.knownAt}`);
  return `${name}（${parts.join('，')}）`;
}

export function fileName(title: string, ascii: string, fiscalYear: number | null, bounds: BoundsUsed): ReportFileName {
  const year = fiscalYear === null ? '' : `-${fiscalYear}`;
  const asOf = bounds.asOf === null ? '' : `-asof-${bounds.asOf}`;
  return {
    title: `${title}${year}${bounds.asOf === null ? '' : `-截至${bounds.asOf}`}`,
    ascii: `${ascii}${year}${asOf}`,
  };
}

/** The title's mention of 序时进度, where the report has one (a single year). */
const timeProgressNote = (r: { timeProgress: string | null; referenceDate: string | null }) =>
  r.timeProgress === null ? [] : [`序时进度 ${r.timeProgress}%（${r.referenceDate}）`];

export function sourcesReportTables(r: SourcesReport & { bounds: BoundsUsed }): ReportTable[] {
  const title = (name: string) => titleOf(name, r.fiscalYear, r.bounds, ...timeProgressNote(r));
  const sourceColumns = [text('labelZh', '资金来源'), text('source', '来源代码'), text('tierZh', '层级/资金类别')];
  return [
    table(
      '来源明细',
      title('资金来源台账'),
      [
        ...sourceColumns,
        year('fiscalYear', '年度'),
        text('projectId', '项目编号'),
        text('projectName', '项目名称'),
        ...figureColumns(),
        percent('timeProgress', RATE_HEADERS.timeProgress),
      ],
      r.rows,
      { ...totalsWith(r.totals), parts: byKindParts(r.byKind) },
    ),
    table(
      '按来源汇总',
      title('资金来源汇总'),
      [...sourceColumns, integer('projects', '项目数'), ...summaryColumns()],
      r.sources,
      summaryTotalsWith(r.totals),
    ),
    table(
      '按层级类别汇总',
      title('资金层级/类别汇总'),
      [text('tierZh', '层级/资金类别'), ...summaryColumns()],
      r.tiers,
      summaryTotalsWith(r.totals),
    ),
    table(
      '勾稽校验',
      title('勾稽校验'),
      [
        text('name', '校验项'),
        text('result', '结果'),
        money('difference', '差额'),
        text('figures', '比较数'),
        text('differences', '差异'),
      ],
      r.checks.map((c) => ({
        name: CHECK_NAMES_ZH[c.name] ?? c.name,
        result: c.holds ? '相符' : '不符',
        difference: c.difference,
        figures: inWords(c.figures),
        differences: (c.differences ?? []).map(inWords).join('\n') || null,
      })),
    ),
  ];
}

/** 资金来源到位表: a column group per source with any figure, then the project's totals. */
export function projectsReportTables(r: ProjectsReport & { bounds: BoundsUsed }): ReportTable[] {
  const title = (name: string) => titleOf(name, r.fiscalYear, r.bounds, ...timeProgressNote(r));
  const projectColumns = [text('projectId', '项目编号'), text('projectName', '项目名称'), text('town', '镇街')];
  const sourceColumns = r.sources.flatMap((s) =>
    FIGURE_HEADERS.map(([key, header]) => money(`${s.source}.${key}`, `${s.labelZh}·${header}`)),
  );
  const totalColumns = [
    ...FIGURE_HEADERS.map(([key, header]) => money(`total.${key}`, `合计·${header}`)),
    percent('total.progress', `合计·${PROGRESS_HEADER}`),
    percent('total.fundingRate', `合计·${RATE_HEADERS.fundingRate}`),
    percent('total.paymentRate', `合计·${RATE_HEADERS.paymentRate}`),
  ];
  const flat = (sources: Record<string, LedgerFigures>, totals: LedgerFigures) => ({
    ...Object.fromEntries(
      r.sources.flatMap((s) => FIGURE_HEADERS.map(([key]) => [`${s.source}.${key}`, sources[s.source][key]])),
    ),
    ...Object.fromEntries(Object.entries(totals).map(([key, value]) => [`total.${key}`, value])),
  });
  const matrix = table(
    '资金来源到位表',
    title('资金来源到位表'),
    [...projectColumns, ...sourceColumns, ...totalColumns],
    r.rows.map((p) => ({ ...p, ...flat(p.sources, p.totals) })),
    {
      cells: {
        'total.progress': r.totals.totals.progress,
        'total.fundingRate': r.totals.totals.fundingRate,
        'total.paymentRate': r.totals.totals.paymentRate,
      },
      parts: byKindParts(r.byKind, 'total.'),
    },
  );
  const perProject = table(
    '项目合计',
    title('项目资金合计'),
    [...projectColumns, ...figureColumns()],
    r.rows.map((p) => ({ ...p, ...p.totals })),
    { ...totalsWith(r.totals.totals), parts: byKindParts(r.byKind) },
  );
  return [matrix, perProject];
}

const idleColumns = (): ReportColumn[] => [
  money('idleAmount', '闲置金额'),
  money('idleReceived', '其中：到位未支出'),
  money('idleNotReceived', '其中：已分配未到位'),
  text('idleFlag', '是否闲置'),
  date('oldestUnpaidOn', '最早未支出资金到位日期'),
  integer('oldestUnpaidAgeDays', '未支出天数'),
];
const moneyColumns = (): ReportColumn[] => [
  money('received', '到位金额'),
  money('disbursed', '支出金额'),
  money('available', '未支出余额'),
  percent('progress', PROGRESS_HEADER),
];

/** 上级资金（指标）下达台账 (domain.md §8): the batches are the indicators issued from above. */
export const BATCH_LIST_TITLE = '上级资金（指标）下达台账';

export function batchListTables(r: BatchListReport, details: readonly BatchDetail[]): ReportTable[] {
  const title = titleOf(
    BATCH_LIST_TITLE,
    r.fiscalYear,
    r.bounds,
    `闲置：满 ${r.idleDays} 天未支出、已分配未到位或下达未分配，参考日 ${r.referenceDate}`,
  );
  const idleFlag = (idle: boolean) => (idle ? '是' : '否');
  const batches = table(
    '指标下达',
    title,
    [
      text('batchId', '指标编号'),
      text('labelZh', '资金来源'),
      text('docNo', '下达文号'),
      year('fiscalYear', '年度'),
      date('issuedOn', '下达日期'),
      money('amount', '下达金额'),
      money('allocated', '已分配指标'),
      money('unallocated', '未分配指标'),
      ...moneyColumns(),
      percent('allocationRate', RATE_HEADERS.allocationRate),
      percent('fundingRate', RATE_HEADERS.fundingRate),
      percent('paymentRate', RATE_HEADERS.paymentRate),
      percent('timeProgress', RATE_HEADERS.timeProgress),
      ...idleColumns(),
      money('idleUnallocated', '其中：下达未分配'),
    ],
    r.batches.map((b) => ({ ...b, idleFlag: idleFlag(b.idle) })),
    {
      cells: {
        allocationRate: r.totals.allocationRate,
        fundingRate: r.totals.fundingRate,
        paymentRate: r.totals.paymentRate,
      },
    },
  );
  const allocations = table(
    '指标分配明细',
    title,
    [
      text('batchId', '指标编号'),
      text('docNo', '下达文号'),
      text('allocationId', '分配编号'),
      text('projectId', '项目编号'),
      text('projectName', '项目名称'),
      date('allocatedOn', '分配日期'),
      money('allocated', '已分配指标'),
      money('recorded', '项目已登记'),
      ...moneyColumns(),
      ...idleColumns(),
    ],
    details.flatMap((b) =>
      b.allocations.map((a) => ({ ...a, batchId: b.batchId, docNo: b.docNo, idleFlag: idleFlag(a.idle) })),
    ),
    true,
  );
  return [batches, allocations];
}

const METRIC_ZH = { started: '开工', completed: '完成（验收合格）' } as const;
const DEFINITION_ZH: Readonly<Record<keyof TargetsReport['definitions'], string>> = {
  started: '开工',
  completed: '完成',
  community: '小区',
  area: '面积',
  households: '户数',
};
const STATUS_ZH: Readonly<Record<PeriodStatus, string>> = {
  not_started: '未开始',
  in_progress: '进行中',
  closed: '已结束',
};

/**
 * 目标任务完成情况: the periods with target and actual side by side (the CSV's table), the projects
 * behind each figure, and the definitions with the seed's words.
 */
export function targetsReportTables(r: TargetsReport & { bounds: BoundsUsed }): ReportTable[] {
  const known = r.bounds.knownAt === null ? '' : `，记录截至 ${r.bounds.knownAt}`;
  const title = (name: string) => `${name}（截至 ${r.referenceDate}${known}）`;
  const periods = table(
    '目标对照',
    title('城镇老旧小区改造目标任务完成情况'),
    [
      text('title', '期间'),
      text('metricZh', '指标'),
      text('reading', '口径'),
      integer('targetCommunities', '目标个数'),
      integer('actualCommunities', '实际个数'),
      percent('communitiesProgress', '个数完成率(%)'),
      area('targetArea', '目标面积（万平方米）'),
      area('actualArea', '实际面积（万平方米）'),
      percent('areaProgress', '面积完成率(%)'),
      area('actualAreaM2', '实际面积（平方米）'),
      integer('households', '实际户数'),
      integer('registered', '已登记小区数（分母）'),
      text('statusZh', '状态'),
      date('countedThrough', '计至'),
    ],
    r.periods.map((p) => ({
      title: p.title.zh,
      metricZh: METRIC_ZH[p.metric],
      reading: p.reading.zh,
      targetCommunities: p.target.communities,
      actualCommunities: p.actual.communities,
      communitiesProgress: p.progress.communities,
      targetArea: p.target.areaWanM2,
      actualArea: p.actual.areaWanM2,
      areaProgress: p.progress.area,
      actualAreaM2: p.actual.areaM2,
      households: p.actual.households,
      registered: p.register?.communities ?? null,
      statusZh: STATUS_ZH[p.status],
      countedThrough: p.countedThrough,
    })),
  );
  const projects = table(
    '项目明细',
    title('目标任务完成情况项目明细'),
    [
      text('period', '期间'),
      text('metricZh', '指标'),
      text('town', '镇街'),
      text('community', '小区'),
      text('projectId', '项目编号'),
      text('name', '项目名称'),
      year('builtYear', '建成年份'),
      date('on', '日期'),
      area('areaM2', '建筑面积（平方米）'),
      integer('households', '户数'),
      text('countedZh', '是否计入'),
      text('noteZh', '说明'),
    ],
    r.periods.flatMap((p) =>
      p.projects.map((x) => ({
        ...x,
        period: p.title.zh,
        metricZh: METRIC_ZH[p.metric],
        countedZh: x.counted ? '是' : '否',
        noteZh: x.note?.zh ?? null,
      })),
    ),
  );
  const definitions = table(
    '口径说明',
    title('口径说明'),
    [text('item', '项目'), text('zh', '说明'), text('en', 'Definition')],
    [
      { item: '依据', zh: `${r.source.document} ${r.source.clause}：${r.source.quote}`, en: null },
      ...Object.entries(r.definitions).map(([item, words]) => ({
        item: DEFINITION_ZH[item as keyof typeof DEFINITION_ZH],
        ...words,
      })),
    ],
  );
  return [periods, projects, definitions];
}
