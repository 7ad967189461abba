import { useState } from 'preact/hooks';
import { Section } from '../../components';
import { count, moment } from '../../format';
import { ROLE_LABELS, Role } from '../../session';
import { Labels } from './labels';
import type { LedgerEvent, Milestone } from './types';
import { Heads, num } from '../bureau-parts';

/** Events shown on one page of the history. */
const PER_PAGE = 50;

/**
 * 事件记录: the project's whole history, oldest first as the ledger holds it, a page at a time:
 * position, time recorded, type, actor, and each event's hash and its predecessor's (the chain an
 * auditor checks), abbreviated, the full value one click away. Event data is not shown here. As
 * of a past date, the events recorded by the end of that day (recorded time, UTC): a beginning of
 * the chain, whatever the business dates the events carry.
 */
export function EventHistory({
  events,
  milestones,
  labels,
  asOf,
}: {
  events: LedgerEvent[];
  milestones: Milestone[];
  labels: Labels;
  asOf?: string;
}) {
  const pages = Math.max(1, Math.ceil(events.length / PER_PAGE));
  const [wanted, setPage] = useState(0);
  const page = Math.min(wanted, pages - 1);
  const shown = events.slice(page * PER_PAGE, (page + 1) * PER_PAGE);
  return (
    <Section title={asOf ? `事件记录（截至 ${asOf} 已记录）` : '事件记录'}>
      <p>
        {asOf ? `按记录时间：${asOf}（UTC）终了前台账已记录的事件，` : null}共{' '}
        <span data-figure="events.count">{count(events.length)}</span> 条事件（哈希链：每条事件记录前一条的哈希）。
        {asOf && events.length === 0 ? '本项目的事件均在该日之后录入台账。' : null}
      </p>
      <Pager page={page} pages={pages} onPage={setPage} />
      <div class="table-wrap">
        <table>
          <caption>
            事件记录，第 {page + 1} / {pages} 页
          </caption>
          <Heads
            cols={[num('序号'), num('全局位置'), '记录时间（UTC）', '事件类型', '操作人', '哈希', '前一事件哈希']}
          />
          <tbody>
            {shown.map((e) => (
              <tr key={e.revision}>
                <td class="num">{e.revision}</td>
                <td class="num">{e.position}</td>
                <td>{moment(e.recordedAt)}</td>
                <td title={e.type} data-figure={`event.${e.revision}.type`}>
                  {labels.eventType(e.type, milestones)}
                </td>
                <td>
                  {e.actor.org}（{ROLE_LABELS[e.actor.role as Role] ?? e.actor.role}）
                  <span class="muted"> {e.actor.id}</span>
                </td>
                <td data-figure={`event.${e.revision}.hash`}>
                  <Hash value={e.hash} />
                </td>
                <td data-figure={`event.${e.revision}.prevHash`}>
                  <Hash value={e.prevHash} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pages > 1 ? <Pager page={page} pages={pages} onPage={setPage} /> : null}
    </Section>
  );
}

/** A SHA-256 hex, its first 12 characters, the whole of it when opened (and in the tooltip). */
function Hash({ value }: { value: string }) {
  return (
    <details class="hash">
      <summary title={value}>
        <code>{value.slice(0, 12)}…</code>
      </summary>
      <code>{value}</code>
    </details>
  );
}

function Pager({ page, pages, onPage }: { page: number; pages: number; onPage: (page: number) => void }) {
  if (pages <= 1) return null;
  return (
    <nav class="pager" aria-label="事件记录翻页">
      <button type="button" disabled={page === 0} onClick={() => onPage(0)}>
        首页
      </button>
      <button type="button" disabled={page === 0} onClick={() => onPage(page - 1)}>
        上一页
      </button>
      <span>
        第 {page + 1} / {pages} 页
      </span>
      <button type="button" disabled={page >= pages - 1} onClick={() => onPage(page + 1)}>
        下一页
      </button>
      <button type="button" disabled={page >= pages - 1} onClick={() => onPage(pages - 1)}>
        末页
      </button>
    </nav>
  );
}
