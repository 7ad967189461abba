import { Section } from '../../components';
import { day } from '../../format';
import { ROLE_LABELS, Role } from '../../session';
import { Labels } from './labels';
import type { Milestone } from './types';

/** 项目里程碑: the project's milestones as recorded, by date, on a timeline. */
export function MilestoneTimeline({ milestones, labels }: { milestones: Milestone[]; labels: Labels }) {
  const byDate = [...milestones].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.revision - b.revision));
  return (
    <Section title="项目里程碑">
      {byDate.length === 0 ? (
        <p class="muted">尚未记录里程碑。</p>
      ) : (
        <ol class="timeline" aria-label="里程碑时间线">
          {byDate.map((m) => (
            <li key={m.milestoneId}>
              <time dateTime={m.date} data-figure={`milestone.${m.milestoneId}.date`}>
                {day(m.date)}
              </time>
              <div>
                <strong>{labels.milestone(m.kind)}</strong>
                {m.late ? <span class="severity-high">（逾期备案）</span> : null}
                {m.filingDeadline ? <span class="muted">　备案期限 {day(m.filingDeadline)}</span> : null}
                {m.docRefs.length > 0 ? <div class="muted">{m.docRefs.join('；')}</div> : null}
                <div class="muted">
                  {m.actor.org}（{ROLE_LABELS[m.actor.role as Role] ?? m.actor.role}）
                </div>
              </div>
            </li>
          ))}
        </ol>
      )}
    </Section>
  );
}
