import { Section } from '../../components';
import { yuan } from '../../format';
import { decimalOfFen, fenOf } from './fen';
import { UTILITY_LABELS } from '../../../../src/policy/labels';
import { Labels } from './labels';
import type { Entry, ProjectView } from './types';
import { Heads, num } from '../bureau-parts';

/**
 * 预算明细: each budget line with its estimated cost and what was paid on it. The API gives each
 * payment (net of reversals: `remaining`) but no sum per line, so the page adds them up in fen
 * (BigInt), the one sum it makes; the budget total is the API's.
 */
export function BudgetSection({ project, labels }: { project: ProjectView; labels: Labels }) {
  const paid = paidByLine([...project.payments, ...project.treasuryPayments]);
  const paidTotal = [...paid.values()].reduce((a, b) => a + b, 0n);
  return (
    <Section title="预算明细">
      {project.budgetLines.length === 0 ? (
        <p class="muted">尚无预算明细。</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption>预算明细（金额单位：元；已支付含国库集中支付，已扣除冲销）</caption>
            <Heads cols={['明细编号', '类别', '改造内容', num('概算金额'), num('已支付')]} />
            <tbody>
              {project.budgetLines.map((line) => (
                <tr key={line.lineId}>
                  <th scope="row">{line.lineId}</th>
                  <td>{labels.category(line.category)}</td>
                  <td>
                    {labels.item(line.item)}
                    {line.utility ? `（${UTILITY_LABELS[line.utility]?.zh ?? line.utility}管线）` : ''}
                  </td>
                  <td class="num" data-figure={`budget.${line.lineId}.estimatedCost`}>
                    {yuan(line.estimatedCost)}
                  </td>
                  <td class="num" data-figure={`budget.${line.lineId}.paid`}>
                    {yuan(decimalOfFen(paid.get(line.lineId) ?? 0n))}
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={3}>
                  合计
                </th>
                <td class="num" data-figure="budget.total.estimatedCost">
                  {yuan(project.budgetTotal)}
                </td>
                <td class="num" data-figure="budget.total.paid">
                  {yuan(decimalOfFen(paidTotal))}
                </td>
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </Section>
  );
}

function paidByLine(payments: Entry[]): Map<string, bigint> {
  const byLine = new Map<string, bigint>();
  for (const p of payments) if (p.lineId) byLine.set(p.lineId, (byLine.get(p.lineId) ?? 0n) + fenOf(p.remaining));
  return byLine;
}
