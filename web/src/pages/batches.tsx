/**
 * 资金下达台账 (上级资金（指标）下达台账), issue 19 point 4: every fund batch as GET /api/fund-batches
 * gives it (下达金额, 分配, 到位, 支付, the bureau's rates beside 序时进度, idle money by kind), each
 * batch's allocations to projects (GET /api/fund-batches/:id) on demand, the totals as the API
 * gives them, and the bureau's reports to download as xlsx and csv. Every read takes the as-of
 * date; the page reloads on a live change of a fund batch or a project (receipts and payments on
 * allocations move the batches' figures).
 *
 * data-figure keys (each on the element holding the formatted value):
 * - `batch.<batchId>.<field>`: amount, allocated, unallocated, received, disbursed, available,
 *   allocationRate, fundingRate, paymentRate, timeProgress, progress, idleAmount (the ledger table);
 *   idleUnallocated, idleNotReceived, idleReceived, oldestUnpaidOn, oldestUnpaidAgeDays (the idle table)
 * - `totals.<field>`: amount, allocated, unallocated, received, disbursed, available,
 *   allocationRate, fundingRate, paymentRate, idleAmount, idleUnallocated, idleNotReceived,
 *   idleReceived, idleBatches
 * - `summary.<field>`: the headline figures above the table, the same totals: amount, allocated,
 *   allocationRate, received, fundingRate, disbursed, paymentRate, idleAmount, idleBatches
 * - `allocation.<batchId>.<allocationId>.<field>`: allocated, received, disbursed, available,
 *   undrawn, progress, idleAmount, oldestUnpaidAgeDays
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { BatchDetail, BatchListReport, BatchView } from '../../../src/reports/fund-batch-reports';
import { getJson } from '../api';
import { Loading, Section } from '../components';
import { Downloads } from '../downloads';
import { Figure, Heads, Money, Rate, num } from './bureau-parts';
import { count, day, percent, yuan } from '../format';
import { LiveChange } from '../live';
import { useLoad } from '../load';
import { Route, asOfOf, href } from '../router';
import { Actor } from '../session';
import './bureau.css';

/**
 * The JSON of GET /api/fund-batches and GET /api/fund-batches/:id is the service's own report types
 * (type-only imports: nothing of the service is bundled), so a change of its shape fails this
 * page's type check.
 */
type BatchList = BatchListReport;
type Batch = BatchView;

/**
 * The 层级 of the sources that come in batches, as the reports name the tiers (TIER_LABELS_ZH in
 * src/reports/ledger-figures.ts; domain.md §8); the batch list gives the source, not its tier.
 */
const TIER_OF_SOURCE: Record<string, string> = {
  central_budget_investment: '中央补助',
  central_fiscal_subsidy: '中央补助',
  municipal_subsidy: '市级补助',
  district_matching: '区级财政',
  special_bond: '债务性资金',
};

/** What a change on the live feed may move on this page. */
const movesBatches = (change: LiveChange) => change.category === 'fundbatch' || change.category === 'project';

export function BatchesPage({ route }: { route: Route; actor: Actor }) {
  const asOf = asOfOf(route);
  const loaded = useLoad(() => getJson<BatchList>('/api/fund-batches', { asOf }), [asOf], movesBatches);
  return (
    <>
      <h1 class="page-title">上级资金（指标）下达台账</h1>
      <Loading loaded={loaded}>{(list) => <Ledger list={list} asOf={asOf} />}</Loading>
      <Reports asOf={asOf} />
    </>
  );
}

/** The ledger's money columns, in the order of the batch list's CSV. */
const LEDGER_MONEY = [
  ['amount', '下达金额'],
  ['allocated', '已分配指标'],
  ['unallocated', '未分配指标'],
  ['received', '到位金额'],
  ['disbursed', '支出金额'],
  ['available', '未支出余额'],
] as const;
/** The bureau's rates (domain.md §8); the totals have their own, but no 序时进度 or 到位资金支付率. */
const LEDGER_RATES = [
  ['allocationRate', '分配率'],
  ['fundingRate', '资金到位率'],
  ['paymentRate', '支付率（支出进度）'],
  ['timeProgress', '序时进度'],
  ['progress', '到位资金支付率'],
] as const;
/** Idle money by kind (RF-14). */
const IDLE_KINDS = [
  ['idleUnallocated', '其中：下达未分配'],
  ['idleNotReceived', '其中：已分配未到位'],
  ['idleReceived', '其中：到位未支出'],
] as const;
/** The headline figures: the batch list's totals. */
const SUMMARY: readonly [keyof BatchList['totals'], string, 'money' | 'rate' | 'count'][] = [
  ['amount', '下达金额（元）', 'money'],
  ['allocated', '已分配指标（元）', 'money'],
  ['allocationRate', '分配率', 'rate'],
  ['received', '到位金额（元）', 'money'],
  ['fundingRate', '资金到位率', 'rate'],
  ['disbursed', '支出金额（元）', 'money'],
  ['paymentRate', '支付率（支出进度）', 'rate'],
  ['idleAmount', '闲置资金（元）', 'money'],
  ['idleBatches', '存在闲置资金的指标数', 'count'],
];
const ALLOCATION_MONEY = [
  ['allocated', '已分配指标'],
  ['received', '到位金额'],
  ['undrawn', '未到位'],
  ['disbursed', '支出金额'],
  ['available', '未支出余额'],
] as const;

function Ledger({ list, asOf }: { list: BatchList; asOf: string | undefined }) {
  const t = list.totals;
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (batchId: string) => {
    const next = new Set(open);
    if (next.has(batchId)) next.delete(batchId);
    else next.add(batchId);
    setOpen(next);
  };
  const idle = list.batches.filter((b) => b.idle);
  return (
    <>
      <Section title="总体情况">
        <dl class="figures">
          {SUMMARY.map(([field, label, shown]) => (
            <Figure key={field} label={label} figure={`summary.${field}`}>
              {shown === 'money'
                ? yuan(t[field] as string)
                : shown === 'rate'
                  ? percent(t[field] as string | null)
                  : count(t[field])}
            </Figure>
          ))}
        </dl>
        <p class="hint">
          截至 {day(list.referenceDate)}。分配率 = 已分配指标 ÷ 下达金额；资金到位率 = 到位金额 ÷
          已分配指标；支付率（支出进度）= 支出金额 ÷ 下达金额，与序时进度（年度已过天数占比）对照；到位资金支付率 =
          支出金额 ÷ 到位金额。
        </p>
      </Section>

      <Section
        title="下达台账"
        actions={<Downloads path="/api/fund-batches" query={{ asOf }} label="上级资金（指标）下达台账" />}
      >
        <div class="table-wrap">
          <table>
            <caption class="sr-only">上级资金（指标）下达台账，金额单位：元</caption>
            <Heads
              cols={[
                '指标编号',
                '下达文号',
                '资金来源',
                '层级',
                num('年度'),
                '下达日期',
                ...LEDGER_MONEY.map(([, label]) => num(label)),
                ...LEDGER_RATES.map(([, label]) => num(label)),
                num('闲置资金'),
                '分配到项目',
              ]}
            />
            <tbody>
              {list.batches.map((b) => {
                const f = (field: string) => `batch.${b.batchId}.${field}`;
                const expanded = open.has(b.batchId);
                return (
                  <tr key={b.batchId}>
                    <th scope="row">{b.batchId}</th>
                    <td>{b.docNo}</td>
                    <td>{b.labelZh}</td>
                    <td>{TIER_OF_SOURCE[b.source] ?? '—'}</td>
                    <td class="num">{b.fiscalYear}</td>
                    <td>{day(b.issuedOn)}</td>
                    {LEDGER_MONEY.map(([field]) => (
                      <Money key={field} value={b[field]} figure={f(field)} />
                    ))}
                    {LEDGER_RATES.map(([field]) => (
                      <Rate
                        key={field}
                        value={b[field]}
                        figure={f(field)}
                        behind={field === 'paymentRate' && behind(b.paymentRate, b.timeProgress)}
                      />
                    ))}
                    <Money value={b.idleAmount} figure={f('idleAmount')} warn={b.idle} />
                    <td>
                      {b.allocationCount > 0 ? (
                        <button
                          type="button"
                          class="link"
                          aria-expanded={expanded}
                          aria-controls={`allocations-${b.batchId}`}
                          aria-label={`${expanded ? '收起' : '查看'}指标 ${b.batchId} 分配到项目的明细（${b.allocationCount} 笔）`}
                          onClick={() => toggle(b.batchId)}
                        >
                          {expanded ? '收起' : '查看'}（{b.allocationCount} 笔）
                        </button>
                      ) : (
                        <span class="muted">未分配</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">合计</th>
                <td colSpan={5} />
                {LEDGER_MONEY.map(([field]) => (
                  <Money key={field} value={t[field]} figure={`totals.${field}`} />
                ))}
                {LEDGER_RATES.map(([field]) =>
                  field === 'timeProgress' || field === 'progress' ? (
                    <td key={field} class="num">
                      —
                    </td>
                  ) : (
                    <Rate key={field} value={t[field]} figure={`totals.${field}`} />
                  ),
                )}
                <Money value={t.idleAmount} figure="totals.idleAmount" />
                <td />
              </tr>
            </tfoot>
          </table>
        </div>
        <p class="hint">
          支付率低于序时进度的以<span class="behind">橙色</span>标出；合计的比率为合计数本身的比率，不是各行的平均。
        </p>
      </Section>

      {list.batches
        .filter((b) => open.has(b.batchId))
        .map((b) => (
          <Allocations key={b.batchId} batch={b} asOf={asOf} onClose={() => toggle(b.batchId)} />
        ))}

      <Section title="闲置资金">
        <p class="hint">
          下达满 {list.idleDays} 天仍未分配、分配满 {list.idleDays} 天仍未到位、到位满 {list.idleDays}{' '}
          天仍未支出的资金（截至 {day(list.referenceDate)}）。
        </p>
        {idle.length === 0 ? (
          <p>没有闲置资金。</p>
        ) : (
          <div class="table-wrap">
            <table>
              <caption class="sr-only">闲置资金，按指标，金额单位：元</caption>
              <Heads
                cols={[
                  '指标编号',
                  '下达文号',
                  '资金来源',
                  num('闲置金额'),
                  ...IDLE_KINDS.map(([, label]) => num(label)),
                  '最早未支出资金到位日期',
                  num('未支出天数'),
                ]}
              />
              <tbody>
                {idle.map((b) => (
                  <tr key={b.batchId}>
                    <th scope="row">{b.batchId}</th>
                    <td>{b.docNo}</td>
                    <td>{b.labelZh}</td>
                    <Money value={b.idleAmount} />
                    {IDLE_KINDS.map(([field]) => (
                      <Money key={field} value={b[field]} figure={`batch.${b.batchId}.${field}`} />
                    ))}
                    <td data-figure={`batch.${b.batchId}.oldestUnpaidOn`}>{day(b.oldestUnpaidOn)}</td>
                    <td class="num" data-figure={`batch.${b.batchId}.oldestUnpaidAgeDays`}>
                      {count(b.oldestUnpaidAgeDays)}
                    </td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">合计</th>
                  <td colSpan={2}>
                    <span data-figure="totals.idleBatches">{count(t.idleBatches)}</span> 个指标
                  </td>
                  <Money value={t.idleAmount} />
                  {IDLE_KINDS.map(([field]) => (
                    <Money key={field} value={t[field]} figure={`totals.${field}`} />
                  ))}
                  <td colSpan={2} />
                </tr>
              </tfoot>
            </table>
          </div>
        )}
      </Section>
    </>
  );
}

/** A batch's allocations to projects, read when the reader opens them. */
function Allocations({ batch, asOf, onClose }: { batch: Batch; asOf: string | undefined; onClose: () => void }) {
  const loaded = useLoad(
    () => getJson<BatchDetail>(`/api/fund-batches/${encodeURIComponent(batch.batchId)}`, { asOf }),
    [batch.batchId, asOf],
    (change) => (change.category === 'fundbatch' && change.id === batch.batchId) || change.category === 'project',
  );
  // Opened from the ledger's row: bring it into view and move the focus there (keyboard readers).
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    box.current?.scrollIntoView({ block: 'start' });
    box.current?.focus({ preventScroll: true });
  }, []);
  return (
    <div id={`allocations-${batch.batchId}`} ref={box} tabIndex={-1}>
      <Section
        title={`分配到项目：${batch.batchId} ${batch.docNo}`}
        actions={
          <button type="button" class="link" onClick={onClose}>
            收起
          </button>
        }
      >
        <Loading loaded={loaded}>
          {(detail) => (
            <div class="table-wrap">
              <table>
                <caption>
                  {detail.labelZh}，下达金额 {yuan(detail.amount)} 元，分配到项目 {detail.allocations.length}{' '}
                  笔，金额单位：元
                </caption>
                <Heads
                  cols={[
                    '分配编号',
                    '项目',
                    '分配日期',
                    ...ALLOCATION_MONEY.map(([, label]) => num(label)),
                    num('到位资金支付率'),
                    num('闲置资金'),
                    '最早未支出资金到位日期',
                    num('未支出天数'),
                  ]}
                />
                <tbody>
                  {detail.allocations.map((a) => {
                    const f = (field: string) => `allocation.${detail.batchId}.${a.allocationId}.${field}`;
                    return (
                      <tr key={a.allocationId}>
                        <th scope="row">{a.allocationId}</th>
                        <td>
                          <a href={href(`/projects/${encodeURIComponent(a.projectId)}`)}>
                            {a.projectId} {a.projectName ?? ''}
                          </a>
                          {a.recorded !== a.allocated ? (
                            <span class="muted">（项目已记 {yuan(a.recorded)}，待记入）</span>
                          ) : null}
                        </td>
                        <td>{day(a.allocatedOn)}</td>
                        {ALLOCATION_MONEY.map(([field]) => (
                          <Money key={field} value={a[field]} figure={f(field)} />
                        ))}
                        <Rate value={a.progress} figure={f('progress')} />
                        <Money value={a.idleAmount} figure={f('idleAmount')} warn={a.idle} />
                        <td>{day(a.oldestUnpaidOn)}</td>
                        <td class="num" data-figure={f('oldestUnpaidAgeDays')}>
                          {count(a.oldestUnpaidAgeDays)}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </Loading>
      </Section>
    </div>
  );
}

/** The bureau's other reports, to download as the API writes them (the batch list's own are above its table). */
function Reports({ asOf }: { asOf: string | undefined }) {
  return (
    <Section title="报表下载">
      <ul class="reports">
        <li>
          <span>资金来源明细表（按来源、层级、项目）</span>
          <Downloads path="/api/reports/sources" query={{ asOf }} label="资金来源明细表" />
        </li>
        <li>
          <span>资金来源到位表（按项目）</span>
          <Downloads path="/api/reports/projects" query={{ asOf }} label="资金来源到位表" />
        </li>
      </ul>
    </Section>
  );
}

/** Whether 支付率 is below 序时进度 (both percents with two decimals, compared in hundredths). */
function behind(paymentRate: string | null, timeProgress: string | null): boolean {
  if (paymentRate === null || timeProgress === null) return false;
  const hundredths = (p: string) => BigInt(p.replace('.', ''));
  return hundredths(paymentRate) < hundredths(timeProgress);
}
