import { useMemo } from 'preact/hooks';
import { Chart, chartValue } from '../../chart';
import { Section } from '../../components';
import { percent, yuan } from '../../format';
import { Labels, TIER_LABELS } from './labels';
import type { FundingMix, KindPart, MixFigures } from './types';

const FIELDS: (keyof MixFigures)[] = ['pledged', 'received', 'disbursed', 'available', 'share'];

/**
 * 资金构成: a pie of the money received by source, and the figures by source and by 资金类别 as
 * the funding mix answers them (shares of everything received, in kind at its valuation, summing
 * to 100.00; the totals row is the API's totals).
 */
export function FundingMixSection({ mix, labels }: { mix: FundingMix; labels: Labels }) {
  const option = useMemo(() => pieOf(mix, labels), [mix, labels]);
  const asOf = mix.bounds.asOf;
  return (
    <Section title={asOf ? `资金构成（截至 ${asOf}）` : '资金构成'}>
      {mix.sources.some((s) => chartValue(s.received) > 0) ? (
        <Chart option={option} label="到位资金按来源构成的饼图（数据见下表）" height={280} />
      ) : (
        <p class="muted">尚无到位资金。</p>
      )}
      <div class="table-wrap">
        <table>
          <caption>按资金来源（金额单位：元；占比为占全部到位资金的百分比）</caption>
          <thead>
            <tr>
              <th scope="col">资金来源</th>
              <FigureHeads />
              <th scope="col">资金类别</th>
              <th scope="col">形式</th>
            </tr>
          </thead>
          <tbody>
            {mix.sources.map((s) => (
              <tr key={s.source}>
                <th scope="row">{labels.source(s.source)}</th>
                <FigureCells figures={s} prefix={`mix.source.${s.source}`} />
                <td>{TIER_LABELS[s.tier] ?? s.tier}</td>
                <td data-figure={`mix.source.${s.source}.form`}>{formOf(s)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">合计</th>
              <FigureCells figures={mix.totals} prefix="mix.total" />
              <td colSpan={2} />
            </tr>
            {mix.byKind.inKind.received !== '0.00' || mix.byKind.inKind.disbursed !== '0.00' ? (
              <>
                <PartRow label="其中：货币资金" part={mix.byKind.cash} prefix="mix.cash" />
                <PartRow label="其中：实物（折价）" part={mix.byKind.inKind} prefix="mix.inKind" />
              </>
            ) : null}
          </tfoot>
        </table>
      </div>
      <div class="table-wrap">
        <table>
          <caption>按资金类别（金额单位：元）</caption>
          <thead>
            <tr>
              <th scope="col">资金类别</th>
              <FigureHeads />
            </tr>
          </thead>
          <tbody>
            {mix.tiers.map((t) => (
              <tr key={t.tier}>
                <th scope="row">{TIER_LABELS[t.tier] ?? t.tier}</th>
                <FigureCells figures={t} prefix={`mix.tier.${t.tier}`} />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Section>
  );
}

function FigureHeads() {
  return (
    <>
      <th scope="col" class="num">
        计划（认缴）金额
      </th>
      <th scope="col" class="num">
        到位金额
      </th>
      <th scope="col" class="num">
        已支付
      </th>
      <th scope="col" class="num">
        未支出余额
      </th>
      <th scope="col" class="num">
        占比
      </th>
    </>
  );
}

function FigureCells({ figures, prefix }: { figures: MixFigures; prefix: string }) {
  return (
    <>
      {FIELDS.map((field) => (
        <td key={field} class="num" data-figure={`${prefix}.${field}`}>
          {field === 'share' ? percent(figures.share) : yuan(figures[field])}
        </td>
      ))}
    </>
  );
}

/**
 * The cash or in-kind part of the totals, as the API's `byKind` gives it (each entry judged as the
 * ledger judges it, a reversal following its entry): received, paid and unspent; no pledge or share.
 */
function PartRow({ label, part, prefix }: { label: string; part: KindPart; prefix: string }) {
  return (
    <tr class="part">
      <th scope="row">{label}</th>
      <FigureCells figures={{ ...part, pledged: '', share: '' }} prefix={prefix} />
      <td colSpan={2} />
    </tr>
  );
}

/**
 * 形式: what was received of the source, as the 其中 rows below count it (entry by entry: a social
 * donation valued in kind is 实物, one paid in money 货币); before anything is received, what the
 * source itself is.
 */
function formOf(s: FundingMix['sources'][number]): string {
  const cash = s.byKind.cash.received !== '0.00' || s.byKind.cash.disbursed !== '0.00';
  const inKind = s.byKind.inKind.received !== '0.00' || s.byKind.inKind.disbursed !== '0.00';
  if (cash && inKind) return '货币资金、实物（折价）';
  if (inKind || (!cash && s.inKind)) return '实物（折价）';
  return '货币资金';
}

function pieOf(mix: FundingMix, labels: Labels) {
  const received = mix.sources.filter((s) => chartValue(s.received) > 0);
  const byName = new Map(received.map((s) => [labels.source(s.source), s]));
  return {
    tooltip: {
      trigger: 'item',
      // The tooltip reads the API's strings, not the chart's numbers.
      formatter: (p: { name: string }) => {
        const s = byName.get(p.name);
        return s ? `${p.name}<br/>${yuan(s.received)} 元（${s.share}%）` : p.name;
      },
    },
    series: [
      {
        type: 'pie',
        radius: ['30%', '62%'],
        center: ['50%', '50%'],
        label: { formatter: '{b}' },
        data: received.map((s) => ({ name: labels.source(s.source), value: chartValue(s.received) })),
      },
    ],
  };
}
