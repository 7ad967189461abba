import { Section } from '../../components';
import { count, day } from '../../format';
import type { RedFlags } from './types';
import { Heads } from '../bureau-parts';

const SEVERITY: Record<string, string> = { high: '高', medium: '中', low: '低' };

/** 风险预警: the project's red flags, as GET /api/projects/:id/red-flags answers them (as of the page's date). */
export function RedFlagsSection({ flags }: { flags: RedFlags }) {
  return (
    <Section title={`风险预警（判断日期 ${day(flags.referenceDate)}）`}>
      <p>
        未解除 <strong data-figure="flags.open">{count(flags.totals.open)}</strong> 项，共{' '}
        <span data-figure="flags.total">{count(flags.totals.total)}</span> 项。
      </p>
      {flags.flags.length === 0 ? null : (
        <div class="table-wrap">
          <table>
            <caption>风险预警明细</caption>
            <Heads cols={['规则', '严重程度', '预警', '说明', '发出日期', '状态']} />
            <tbody>
              {flags.flags.map((f) => (
                <tr key={f.flagId}>
                  <td>{f.code}</td>
                  <td class={`severity-${f.severity}`} data-figure={`flag.${f.flagId}.severity`}>
                    {SEVERITY[f.severity] ?? f.severity}
                  </td>
                  <th scope="row">{f.title.zh}</th>
                  <td class="wrap">{f.message.zh}</td>
                  <td>{day(f.raisedAt)}</td>
                  <td>{f.open ? '未解除' : `已解除（${day(f.clearedAt)}）`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
