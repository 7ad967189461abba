import { Section } from '../../components';
import { area, count, day, fraction, percent, yuan } from '../../format';
import { Labels, SHARE_KEYS, VOTE_MATTERS } from './labels';
import type { CostSharePlan, OwnerVote, VoteCheck } from './types';
import { Heads, num } from '../bureau-parts';

/** The residents' channels a household's share is paid through, in the API's order. */
const CHANNELS = ['resident_direct', 'provident_fund', 'maintenance_fund'];

/** A plan's household list is folded away when longer than this (it can run to thousands). */
const OPEN_UP_TO = 40;

/**
 * 费用分摊: each plan with every household's share, what it paid by channel and its balance, as
 * GET /api/projects/:id/cost-shares/:planId answers the reader's role (a household id is shown
 * only where the API gives it: masked as *** for roles that may not see personal data).
 */
export function CostSharesSection({ plans, labels }: { plans: CostSharePlan[]; labels: Labels }) {
  return (
    <Section title="居民费用分摊">
      {plans.length === 0 ? <p class="muted">本项目没有费用分摊方案。</p> : null}
      {plans.map((plan) => (
        <PlanTable key={plan.planId} plan={plan} labels={labels} />
      ))}
    </Section>
  );
}

function PlanTable({ plan, labels }: { plan: CostSharePlan; labels: Labels }) {
  const id = plan.planId;
  return (
    <div class="plan">
      <h3>分摊方案 {id}</h3>
      <p>
        分摊金额 <span data-figure={`plan.${id}.amount`}>{yuan(plan.amount)}</span> 元；
        {SHARE_KEYS[plan.key.kind] ?? plan.key.kind}；预算明细 {plan.lineIds.join('、')}
        {plan.voteId ? `；依据业主表决 ${plan.voteId}` : ''}
      </p>
      <details open={plan.households.length <= OPEN_UP_TO}>
        <summary>各户分摊与缴纳明细（{count(plan.households.length)} 户）</summary>
        <div class="table-wrap">
          <table>
            <caption>分摊方案 {id} 各户应分摊、已缴和未缴（金额单位：元）</caption>
            <thead>
              <tr>
                <th scope="col">户号</th>
                <th scope="col">楼栋</th>
                <th scope="col">单元</th>
                <th scope="col" class="num">
                  楼层
                </th>
                <th scope="col">房号</th>
                <th scope="col" class="num">
                  分摊权重
                </th>
                <th scope="col" class="num">
                  应分摊
                </th>
                {CHANNELS.map((c) => (
                  <th key={c} scope="col" class="num">
                    已缴：{labels.source(c)}
                  </th>
                ))}
                <th scope="col" class="num">
                  已缴合计
                </th>
                <th scope="col" class="num">
                  未缴余额
                </th>
              </tr>
            </thead>
            <tbody>
              {plan.households.map((h, n) => (
                <tr key={n}>
                  <td data-figure={`plan.${id}.household.${n}.householdId`}>{h.householdId}</td>
                  <td>{h.building}</td>
                  <td>{h.unit}</td>
                  <td class="num">{h.floor}</td>
                  <td>{h.room}</td>
                  <td class="num">{h.weight}</td>
                  <td class="num" data-figure={`plan.${id}.household.${n}.share`}>
                    {yuan(h.share)}
                  </td>
                  {CHANNELS.map((c) => (
                    <td key={c} class="num">
                      {yuan(h.paid[c])}
                    </td>
                  ))}
                  <td class="num" data-figure={`plan.${id}.household.${n}.paidTotal`}>
                    {yuan(h.paidTotal)}
                  </td>
                  <td class="num" data-figure={`plan.${id}.household.${n}.outstanding`}>
                    {yuan(h.outstanding)}
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={6}>
                  合计
                </th>
                <td class="num" data-figure={`plan.${id}.total.share`}>
                  {yuan(plan.totals.share)}
                </td>
                {CHANNELS.map((c) => (
                  <td key={c} class="num">
                    {yuan(plan.totals.paid[c])}
                  </td>
                ))}
                <td class="num" data-figure={`plan.${id}.total.paidTotal`}>
                  {yuan(plan.totals.paidTotal)}
                </td>
                <td class="num" data-figure={`plan.${id}.total.outstanding`}>
                  {yuan(plan.totals.outstanding)}
                </td>
              </tr>
            </tfoot>
          </table>
        </div>
      </details>
    </div>
  );
}

/** 业主表决: each owners' vote with its figures and result, as the ledger counted it. */
export function VotesSection({ votes }: { votes: OwnerVote[] }) {
  return (
    <Section title="业主表决">
      {votes.length === 0 ? (
        <p class="muted">本项目没有业主表决记录。</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption>业主表决结果（面积单位：m²）</caption>
            <Heads
              cols={[
                '表决编号',
                '表决事项',
                '表决日期',
                num('范围内户数 / 面积'),
                num('参与户数 / 面积'),
                num('同意户数 / 面积'),
                '参与表决要求（面积、人数）',
                '同意要求（面积、人数）',
                '结果',
                '依据',
              ]}
            />
            <tbody>
              {votes.map((v) => (
                <tr key={v.voteId}>
                  <th scope="row">{v.voteId}</th>
                  <td>{VOTE_MATTERS[v.matter] ?? v.matter}</td>
                  <td>{day(v.heldOn)}</td>
                  <td class="num">
                    {count(v.tally.scope.units)} / {area(v.tally.scope.area)}
                  </td>
                  <td class="num">
                    {count(v.tally.participating.units)} / {area(v.tally.participating.area)}
                  </td>
                  <td class="num">
                    {count(v.tally.agreeing.units)} / {area(v.tally.agreeing.area)}
                  </td>
                  <td data-figure={`vote.${v.voteId}.quorum`}>
                    <Check check={v.tally.quorum} />
                  </td>
                  <td data-figure={`vote.${v.voteId}.approval`}>
                    <Check check={v.tally.approval} />
                  </td>
                  <td data-figure={`vote.${v.voteId}.result`} class={v.passed ? 'passed' : 'severity-high'}>
                    {v.passed ? '通过' : '未通过'}
                  </td>
                  <td class="wrap">{v.tally.rule.citation}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}

function Check({ check }: { check: VoteCheck }) {
  return (
    <>
      面积 {check.required.area.text}：{fraction(check.area.display)}（{percent(check.area.percent)}）；人数{' '}
      {check.required.owners.text}：{fraction(check.owners.display)}（{percent(check.owners.percent)}）—
      {check.met ? '达到' : '未达到'}
    </>
  );
}
