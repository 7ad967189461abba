/**
 * 全区概览 (issue 19 point 2): the seed's targets against what the ledger counts, money by source
 * type and tier with the bureau's rates, idle money, red flags by severity and the towns ranked,
 * each as a chart beside a table of the same figures, each figure linking to the projects behind
 * it (#/projects?…). Every read takes the as-of date; the page reloads when a write could move it.
 *
 * Every figure is the API's as it comes, never recomputed, except each town's open red flags (the
 * sum of its open flags by severity in the red flags' totals view). The reads are the reports'
 * totals views (issue 19 point 9: the figures without the detail rows, so the page loads fast at
 * 10,000 projects).
 *
 * data-figure keys (each on the element holding the formatted value):
 * - targets (GET /api/reports/targets?view=totals), per period id P (e.g. 2021-completed):
 *   `targets.P.target.communities`, `targets.P.target.areaWanM2`, `targets.P.actual.communities`,
 *   `targets.P.actual.areaWanM2`, `targets.P.actual.households`, `targets.P.progress.communities`,
 *   `targets.P.progress.area`, `targets.P.register.communities`
 * - money (GET /api/reports/sources?view=totals, with &fiscalYear= when one is picked): `money.timeProgress`;
 *   per source code S `money.source.S.F`, per tier T `money.tier.T.F`, the totals `money.totals.F`,
 *   F one of issued, allocated, received, disbursed, allocationRate, fundingRate, paymentRate,
 *   progress (and `money.source.S.projects`); the money issued that arrived and was paid,
 *   `money.totals.issuedReceived` and `money.totals.issuedDisbursed` (the rates' numerators)
 * - idle money (GET /api/fund-batches?view=totals): `idle.idleAmount`, `idle.idleReceived`,
 *   `idle.idleNotReceived`, `idle.idleUnallocated`, `idle.idleBatches`
 * - red flags (GET /api/red-flags?view=totals): `flags.V.open`, `flags.V.cleared`, `flags.V.total`, V a
 *   severity (high, medium, low) or `all`
 * - towns (GET /api/reports/towns): `towns.N.projects`, `towns.N.approvedInvestment`,
 *   `towns.N.received`, `towns.N.disbursed`; `towns.N.openFlags` (the open flags of the town, from
 *   the red flags' totals view), N the town's name
 */
import type { ComponentChildren } from 'preact';
import { useMemo } from 'preact/hooks';
import { Chart, chartValue } from '../chart';
import { Loading, Section } from '../components';
import { count, day, percent, yuan } from '../format';
import { useLoad } from '../load';
import { fenOf } from './project/fen';
import {
  BatchTotals,
  IDLE_KINDS,
  MoneyFigures,
  RedFlagTotals,
  SEVERITIES,
  SEVERITY_LABELS,
  SourceTotalsView,
  TargetTotals,
  TownView,
  getBatchTotals,
  getRedFlagTotals,
  getSourceTotals,
  getTargetTotals,
  getTowns,
  movesDistrict,
} from '../reports';
import { Route, asOfOf, href, navigate } from '../router';
import { Actor, seesBureauPages } from '../session';
import { Heads, num } from './bureau-parts';

const STATUS_LABELS: Record<string, string> = { not_started: '未开始', in_progress: '进行中', closed: '已截止' };

/** A figure's cell: the value, linking to the projects behind it when there are any. */
function Fig({ k, link, children }: { k: string; link?: string; children: ComponentChildren }) {
  return link ? (
    <a href={link} data-figure={k}>
      {children}
    </a>
  ) : (
    <span data-figure={k}>{children}</span>
  );
}

/** A table's number cell holding one figure. */
function NumCell({ k, link, children }: { k: string; link?: string; children: ComponentChildren }) {
  return (
    <td class="num">
      <Fig k={k} link={link}>
        {children}
      </Fig>
    </td>
  );
}

function projectsLink(query: Record<string, string | undefined>): string {
  return href('/projects', query);
}

export function OverviewPage({ route, actor }: { route: Route; actor: Actor }) {
  const asOf = asOfOf(route);
  const fiscalYear = route.query.get('fiscalYear') ?? undefined;
  const targets = useLoad(() => getTargetTotals(asOf), [asOf], movesDistrict);
  const sources = useLoad(() => getSourceTotals(asOf, fiscalYear), [asOf, fiscalYear], movesDistrict);
  // Idle money of every batch, whatever year is picked: the projects behind it (its RF-14 flags) are not by year.
  const batches = useLoad(() => getBatchTotals(asOf), [asOf], movesDistrict);
  const flags = useLoad(() => getRedFlagTotals(asOf), [asOf], movesDistrict);
  const towns = useLoad(() => getTowns(asOf), [asOf], movesDistrict);
  return (
    <>
      <h1>全区概览</h1>
      <Section title="目标任务完成情况">
        <Loading loaded={targets}>{(t) => <Targets report={t} />}</Loading>
      </Section>
      <Section title="资金来源与拨付" actions={<FiscalYearPicker route={route} fiscalYear={fiscalYear} asOf={asOf} />}>
        <Loading loaded={sources}>{(s) => <Money report={s} />}</Loading>
      </Section>
      <div class="grid">
        <Section title="闲置资金">
          <Loading loaded={batches}>{(b) => <Idle list={b} bureau={seesBureauPages(actor.role)} />}</Loading>
        </Section>
        <Section title="红色预警">
          <Loading loaded={flags}>{(f) => <Flags report={f} />}</Loading>
        </Section>
      </div>
      <Section title="镇街排名">
        <Loading loaded={towns}>
          {(t) => <Towns towns={t.towns} flags={flags.data} fiscalYearIgnored={fiscalYear !== undefined} />}
        </Loading>
      </Section>
    </>
  );
}

function FiscalYearPicker({ route, fiscalYear, asOf }: { route: Route; fiscalYear?: string; asOf?: string }) {
  const last = Number((asOf ?? new Date().toISOString()).slice(0, 4));
  const years: number[] = [];
  for (let y = last; y >= 2019; y--) years.push(y);
  const pick = (value: string) => {
    const query: Record<string, string | undefined> = {};
    route.query.forEach((v, k) => (query[k] = v));
    query.fiscalYear = value || undefined;
    navigate(route.path, query);
  };
  return (
    <label>
      年度{' '}
      <select value={fiscalYear ?? ''} onChange={(e) => pick((e.target as HTMLSelectElement).value)}>
        <option value="">全部年度</option>
        {years.map((y) => (
          <option key={y} value={String(y)}>
            {y} 年度
          </option>
        ))}
      </select>
    </label>
  );
}

/** Below this width (a phone) the targets' bars lie down: seven periods' names do not fit side by side. */
const NARROW_PX = 700;

function Targets({ report }: { report: TargetTotals }) {
  const narrow = window.innerWidth < NARROW_PX;
  const option = useMemo(() => {
    const periods = {
      type: 'category',
      data: report.periods.map((p) => p.title.zh),
      // Each name broken over lines within its share of the width (the grid makes room for them).
      axisLabel: { interval: 0, width: narrow ? 120 : 140, overflow: 'break', lineHeight: 16 },
      ...(narrow ? { inverse: true } : {}),
    };
    // Lying down, the counts' name goes under their axis (at its end it runs off a phone's edge).
    const counts = { type: 'value', name: '小区（个）', ...(narrow ? { nameLocation: 'middle', nameGap: 28 } : {}) };
    return {
      tooltip: { trigger: 'axis' },
      legend: { data: ['目标个数', '实际个数'] },
      grid: { left: 8, right: 24, bottom: narrow ? 32 : 8, top: 40, containLabel: true },
      xAxis: narrow ? counts : periods,
      yAxis: narrow ? periods : counts,
      series: [
        {
          name: '目标个数',
          type: 'bar',
          data: report.periods.map((p) => p.target.communities ?? p.register?.communities ?? 0),
        },
        { name: '实际个数', type: 'bar', data: report.periods.map((p) => p.actual.communities) },
      ],
    };
  }, [report, narrow]);
  return (
    <>
      <p class="muted">
        依据 {report.source.document} {report.source.clause}；统计截至 {day(report.referenceDate)}。
        “目标个数”为方案所定；方案未定个数的，图中以本台账登记的小区数（分母）代之。
      </p>
      <div class="table-wrap">
        <table>
          <caption class="muted">各期目标与实际（点击实际数查看相关项目）</caption>
          <Heads
            cols={[
              '期间',
              '状态',
              num('目标个数'),
              num('实际个数'),
              num('个数完成率'),
              num('目标面积（万m²）'),
              num('实际面积（万m²）'),
              num('面积完成率'),
              num('户数'),
            ]}
          />
          <tbody>
            {report.periods.map((p) => {
              const key = `targets.${p.periodId}`;
              const link = projectsLink({ period: p.periodId });
              return (
                <tr key={p.periodId}>
                  <th scope="row" title={p.reading.zh} style={{ whiteSpace: 'normal', minWidth: '9em' }}>
                    {p.title.zh}
                  </th>
                  <td>
                    {STATUS_LABELS[p.status] ?? p.status}
                    {p.countedThrough && p.status === 'in_progress' ? `（至 ${day(p.countedThrough)}）` : ''}
                  </td>
                  <td class="num">
                    {p.target.communities !== null ? (
                      <Fig k={`${key}.target.communities`}>{count(p.target.communities)}</Fig>
                    ) : p.register ? (
                      <span title="方案未定个数：本台账登记的该范围小区">
                        登记 <Fig k={`${key}.register.communities`}>{count(p.register.communities)}</Fig>
                      </span>
                    ) : (
                      '—'
                    )}
                  </td>
                  <NumCell k={`${key}.actual.communities`} link={link}>
                    {count(p.actual.communities)}
                  </NumCell>
                  <NumCell k={`${key}.progress.communities`}>{percent(p.progress.communities)}</NumCell>
                  <NumCell k={`${key}.target.areaWanM2`}>{yuan(p.target.areaWanM2)}</NumCell>
                  <NumCell k={`${key}.actual.areaWanM2`} link={link}>
                    {yuan(p.actual.areaWanM2)}
                  </NumCell>
                  <NumCell k={`${key}.progress.area`}>{percent(p.progress.area)}</NumCell>
                  <NumCell k={`${key}.actual.households`} link={link}>
                    {count(p.actual.households)}
                  </NumCell>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <Chart
        option={option}
        label="各期目标个数与实际个数对比柱状图（数字见上表）"
        height={narrow ? 80 + report.periods.length * 64 : 360}
      />
    </>
  );
}

const MONEY_COLUMNS: { field: keyof MoneyFigures; label: string; rate?: boolean }[] = [
  { field: 'issued', label: '下达' },
  { field: 'allocated', label: '分配' },
  { field: 'received', label: '到位' },
  { field: 'disbursed', label: '支付' },
  { field: 'allocationRate', label: '分配率', rate: true },
  { field: 'fundingRate', label: '资金到位率', rate: true },
  { field: 'paymentRate', label: '支付率（支出进度）', rate: true },
  { field: 'progress', label: '到位资金支付率', rate: true },
];

/** A row's money figures, each linking to the projects behind the row (`link`). */
function MoneyCells({ figures, key0, link }: { figures: MoneyFigures; key0: string; link: string }) {
  return (
    <>
      {MONEY_COLUMNS.map((c) => (
        <NumCell key={c.field} k={`${key0}.${c.field}`} link={link}>
          {c.rate ? percent(figures[c.field] as string | null) : yuan(figures[c.field] as string | undefined)}
        </NumCell>
      ))}
    </>
  );
}

function Money({ report }: { report: SourceTotalsView }) {
  const fiscalYear = report.fiscalYear !== null ? String(report.fiscalYear) : undefined;
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { data: ['分配', '到位', '支付'] },
      grid: { left: 80, right: 16, bottom: 40, top: 40 },
      xAxis: { type: 'category', data: report.tiers.map((t) => t.tierZh), axisLabel: { interval: 0 } },
      yAxis: { type: 'value', name: '元' },
      series: (['allocated', 'received', 'disbursed'] as const).map((f, i) => ({
        name: ['分配', '到位', '支付'][i],
        type: 'bar',
        data: report.tiers.map((t) => chartValue(t[f])),
      })),
    }),
    [report],
  );
  return (
    <>
      <p class="muted">
        {fiscalYear ? `${fiscalYear} 年度` : '全部年度'}；金额单位：元；统计截至 {day(report.referenceDate)}。
        {fiscalYear ? (
          <>
            {' '}
            序时进度 <strong data-figure="money.timeProgress">{percent(report.timeProgress)}</strong>
            （支付率与之对照）。
          </>
        ) : (
          ' 选择年度后显示该年度的序时进度。'
        )}
      </p>
      <div class="table-wrap">
        <table>
          <caption class="muted">按来源层级与来源（点击来源或金额查看涉及项目）</caption>
          <thead>
            <tr>
              <th scope="col">资金来源</th>
              <th scope="col" class="num">
                涉及项目
              </th>
              {MONEY_COLUMNS.map((c) => (
                <th scope="col" class="num" key={c.field}>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          {report.tiers.map((tier) => (
            <tbody key={tier.tier}>
              <tr>
                <th scope="row">
                  <a href={projectsLink({ tier: tier.tier, fiscalYear })}>{tier.tierZh}（小计）</a>
                </th>
                <td />
                <MoneyCells
                  figures={tier}
                  key0={`money.tier.${tier.tier}`}
                  link={projectsLink({ tier: tier.tier, fiscalYear })}
                />
              </tr>
              {report.sources
                .filter((s) => s.tier === tier.tier)
                .map((s) => (
                  <tr key={s.source}>
                    <th scope="row" style={{ fontWeight: 'normal', paddingLeft: '24px' }}>
                      <a href={projectsLink({ source: s.source, fiscalYear })}>{s.labelZh}</a>
                    </th>
                    <td class="num">
                      <Fig
                        k={`money.source.${s.source}.projects`}
                        link={projectsLink({ source: s.source, fiscalYear })}
                      >
                        {count(s.projects)}
                      </Fig>
                    </td>
                    <MoneyCells
                      figures={s}
                      key0={`money.source.${s.source}`}
                      link={projectsLink({ source: s.source, fiscalYear })}
                    />
                  </tr>
                ))}
            </tbody>
          ))}
          <tfoot>
            <tr>
              <td>合计</td>
              <td />
              <MoneyCells figures={report.totals} key0="money.totals" link={projectsLink({ fiscalYear })} />
            </tr>
          </tfoot>
        </table>
      </div>
      <p class="muted">
        分配率、资金到位率、支付率均按上级资金（指标）下达口径计算，与资金下达台账一致：分配率＝已分配指标÷下达金额，
        资金到位率＝指标资金到位÷已分配指标（合计{' '}
        <span data-figure="money.totals.issuedReceived">{yuan(report.totals.issuedReceived)}</span>
        元），支付率＝指标资金支付÷下达金额（合计{' '}
        <span data-figure="money.totals.issuedDisbursed">{yuan(report.totals.issuedDisbursed)}</span> 元）；
        “到位”“支付”两列含居民、管线单位、社会力量等无下达指标的资金及未对应指标的到位资金，这些资金不计入上述比率（显示“—”）。
      </p>
      <Chart option={option} label="各来源层级的分配、到位与支付金额柱状图（数字见上表）" />
    </>
  );
}

function Idle({ list, bureau }: { list: BatchTotals; bureau: boolean }) {
  const t = list.totals;
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'item' },
      legend: { bottom: 0 },
      series: [
        {
          type: 'pie',
          radius: ['35%', '65%'],
          data: [
            { name: IDLE_KINDS.received.label, value: chartValue(t.idleReceived) },
            { name: IDLE_KINDS.notReceived.label, value: chartValue(t.idleNotReceived) },
            { name: '下达未分配', value: chartValue(t.idleUnallocated) },
          ],
        },
      ],
    }),
    [list],
  );
  return (
    <>
      <p class="muted">
        各年度批次中闲置满 {count(list.idleDays)} 天的资金（截至 {day(list.referenceDate)}），共{' '}
        <span data-figure="idle.idleBatches">{count(t.idleBatches)}</span> 个批次有闲置。
      </p>
      <div class="table-wrap">
        <table>
          <caption class="muted">闲置资金按类别（元）</caption>
          <tbody>
            <tr>
              <th scope="row">{IDLE_KINDS.received.label}</th>
              <NumCell k="idle.idleReceived" link={projectsLink({ idle: 'received' })}>
                {yuan(t.idleReceived)}
              </NumCell>
            </tr>
            <tr>
              <th scope="row">{IDLE_KINDS.notReceived.label}</th>
              <NumCell k="idle.idleNotReceived" link={projectsLink({ idle: 'notReceived' })}>
                {yuan(t.idleNotReceived)}
              </NumCell>
            </tr>
            <tr>
              <th scope="row">下达未分配（尚无项目）</th>
              <NumCell k="idle.idleUnallocated" link={bureau ? href('/batches') : undefined}>
                {yuan(t.idleUnallocated)}
              </NumCell>
            </tr>
          </tbody>
          <tfoot>
            <tr>
              <td>闲置资金合计</td>
              <NumCell k="idle.idleAmount">{yuan(t.idleAmount)}</NumCell>
            </tr>
          </tfoot>
        </table>
      </div>
      {t.idleAmount === '0.00' ? null : (
        <Chart option={option} label="闲置资金按类别构成环形图（数字见上表）" height={240} />
      )}
    </>
  );
}

function Flags({ report }: { report: RedFlagTotals }) {
  const by = report.totals.bySeverity;
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'item' },
      legend: { bottom: 0 },
      color: ['#b3261e', '#c77700', '#7a8793'],
      series: [
        {
          type: 'pie',
          radius: ['35%', '65%'],
          data: SEVERITIES.map((s) => ({ name: `${SEVERITY_LABELS[s]}（未解除）`, value: by[s].open })),
        },
      ],
    }),
    [report],
  );
  return (
    <>
      <p class="muted">截至 {day(report.referenceDate)}；点击数字查看相关项目。</p>
      <div class="table-wrap">
        <table>
          <caption class="muted">红色预警按严重程度（条）</caption>
          <Heads cols={['严重程度', num('未解除'), num('已解除'), num('合计')]} />
          <tbody>
            {SEVERITIES.map((s) => (
              <tr key={s}>
                <th scope="row" class={`severity-${s}`}>
                  {SEVERITY_LABELS[s]}
                </th>
                <NumCell k={`flags.${s}.open`} link={projectsLink({ flags: 'open', severity: s })}>
                  {count(by[s].open)}
                </NumCell>
                <NumCell k={`flags.${s}.cleared`} link={projectsLink({ flags: 'cleared', severity: s })}>
                  {count(by[s].cleared)}
                </NumCell>
                <NumCell k={`flags.${s}.total`} link={projectsLink({ flags: 'all', severity: s })}>
                  {count(by[s].total)}
                </NumCell>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <td>合计</td>
              <NumCell k="flags.all.open" link={projectsLink({ flags: 'open' })}>
                {count(report.totals.open)}
              </NumCell>
              <NumCell k="flags.all.cleared" link={projectsLink({ flags: 'cleared' })}>
                {count(report.totals.cleared)}
              </NumCell>
              <NumCell k="flags.all.total" link={projectsLink({ flags: 'all' })}>
                {count(report.totals.total)}
              </NumCell>
            </tr>
          </tfoot>
        </table>
      </div>
      {report.totals.open === 0 ? null : (
        <Chart option={option} label="未解除红色预警按严重程度构成环形图（数字见上表）" height={240} />
      )}
    </>
  );
}

interface TownRow {
  town: string;
  projects: number;
  approvedInvestment: string;
  received: string;
  disbursed: string;
  openFlags: number | undefined;
}

function Towns({
  towns,
  flags,
  fiscalYearIgnored,
}: {
  towns: TownView[];
  flags: RedFlagTotals | undefined;
  fiscalYearIgnored: boolean;
}) {
  const rows = useMemo(() => {
    const out: TownRow[] = towns.map((t) => ({
      town: t.town,
      projects: t.projects,
      approvedInvestment: t.approvedInvestment,
      received: t.received,
      disbursed: t.disbursed,
      openFlags: flags ? Object.values(flags.openByTown[t.town] ?? {}).reduce((n, c) => n + c, 0) : undefined,
    }));
    // Ranked by money paid (支付), then received, in fen: compared as BigInt, never as floats.
    return out.sort((a, b) => {
      const d = fenOf(b.disbursed) - fenOf(a.disbursed) || fenOf(b.received) - fenOf(a.received);
      return d > 0n ? 1 : d < 0n ? -1 : a.town.localeCompare(b.town, 'zh-CN');
    });
  }, [towns, flags]);
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { data: ['到位', '支付'] },
      grid: { left: 80, right: 16, top: 30, bottom: 20 },
      yAxis: { type: 'category', inverse: true, data: rows.map((r) => r.town) },
      xAxis: { type: 'value', name: '元' },
      series: [
        { name: '到位', type: 'bar', data: rows.map((r) => chartValue(r.received)) },
        { name: '支付', type: 'bar', data: rows.map((r) => chartValue(r.disbursed)) },
      ],
    }),
    [rows],
  );
  return (
    <>
      <p class="muted">
        按支付金额排序；各镇街的数字为该镇街项目之和（元）。
        {fiscalYearIgnored ? ' 不分年度。' : ''}
      </p>
      <div class="grid">
        <div class="table-wrap">
          <table>
            <caption class="muted">镇街排名（点击镇街或金额查看其项目）</caption>
            <Heads
              cols={[num('名次'), '镇街', num('项目数'), num('批复投资'), num('到位'), num('支付'), num('未解除预警')]}
            />
            <tbody>
              {rows.map((r, i) => {
                const link = projectsLink({ town: r.town });
                const key = `towns.${r.town}`;
                return (
                  <tr key={r.town}>
                    <td class="num">{i + 1}</td>
                    <th scope="row">
                      <a href={link}>{r.town}</a>
                    </th>
                    <NumCell k={`${key}.projects`} link={link}>
                      {count(r.projects)}
                    </NumCell>
                    <NumCell k={`${key}.approvedInvestment`} link={link}>
                      {yuan(r.approvedInvestment)}
                    </NumCell>
                    <NumCell k={`${key}.received`} link={link}>
                      {yuan(r.received)}
                    </NumCell>
                    <NumCell k={`${key}.disbursed`} link={link}>
                      {yuan(r.disbursed)}
                    </NumCell>
                    <td class="num">
                      {r.openFlags === undefined ? (
                        '—'
                      ) : (
                        <Fig k={`${key}.openFlags`} link={projectsLink({ town: r.town, flags: 'open' })}>
                          {count(r.openFlags)}
                        </Fig>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <Chart
          option={option}
          label="各镇街到位与支付金额条形图（数字见左表）"
          height={Math.max(240, rows.length * 28)}
        />
      </div>
    </>
  );
}
