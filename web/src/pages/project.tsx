/**
 * 项目详情 (issue 19 point 3): one project's header, milestones, funding mix (chart and table),
 * budget lines, cost-sharing plans with each household's share, owners' votes, red flags and its
 * full event history. Every read that takes `asOf` takes the page's as-of date (the funding mix,
 * the red flags, the project's figures from the list); the others answer the ledger as recorded
 * now, which the page says. The page reloads within a second when the live feed reports a change
 * of this project.
 *
 * data-figure keys (each on the element holding the formatted value):
 * - project.status, project.approvedInvestment, project.approvalPath, project.budgetTotal
 * - mix.source.<source>.<pledged|received|disbursed|available|share>
 * - mix.tier.<tier>.<pledged|received|disbursed|available|share>
 * - mix.total.<pledged|received|disbursed|available|share>
 * - mix.cash.<...>, mix.inKind.<...>: the cash and in-kind parts (sums of the sources the API marks
 *   inKind; shown when a source is in kind)
 * - milestone.<milestoneId>.date
 * - budget.<lineId>.<estimatedCost|paid>, budget.total.<estimatedCost|paid>
 * - plan.<planId>.amount, plan.<planId>.household.<n>.<householdId|share|paidTotal|outstanding>
 *   (n from 0 in the API's order), plan.<planId>.total.<share|paidTotal|outstanding>
 * - vote.<voteId>.result, vote.<voteId>.quorum, vote.<voteId>.approval
 * - flags.open, flags.total, flag.<flagId>.severity
 * - events.count, event.<revision>.<type|hash|prevHash>
 */
import { useRef } from 'preact/hooks';
import { ApiError, getJson } from '../api';
import { Loading } from '../components';
import { LiveChange } from '../live';
import { useLoad } from '../load';
import { Route, asOfOf } from '../router';
import { Actor } from '../session';
import { BudgetSection } from './project/budget';
import { CostSharesSection, VotesSection } from './project/cost-shares';
import { EventHistory } from './project/history';
import { FundingMixSection } from './project/funding-mix';
import { ProjectHeader } from './project/header';
import { Labels } from './project/labels';
import { MilestoneTimeline } from './project/milestones';
import { RedFlagsSection } from './project/red-flags';
import './project/project.css';
import type {
  CostSharePlan,
  FundingMix,
  FundingSourceSpec,
  LedgerEvent,
  Milestone,
  OwnerVote,
  ProjectListItem,
  ProjectView,
  RedFlags,
  RenovationItems,
} from './project/types';

/** The most events one read of GET /api/projects/:id/events answers. */
const EVENTS_PAGE = 1000;

/** The API's labels, read once per page load (they change only with a new release). */
let labelsRead: Promise<Labels> | undefined;
function readLabels(): Promise<Labels> {
  labelsRead ??= Promise.all([
    getJson<RenovationItems>('/api/renovation-items'),
    getJson<FundingSourceSpec[]>('/api/funding-sources'),
  ]).then(([items, sources]) => new Labels(items, sources));
  labelsRead.catch(() => (labelsRead = undefined));
  return labelsRead;
}

interface Recorded {
  project: ProjectView;
  milestones: Milestone[];
  events: LedgerEvent[];
  plans: CostSharePlan[];
  votes: OwnerVote[];
}

/**
 * The project as recorded now: its state, milestones, whole history, and the plans and votes it
 * names. History is never edited, so of the history only what follows `known` (the events read
 * before, from revision 0) is read: after a write, its new events, not the whole history again.
 */
async function readRecorded(projectId: string, known: readonly LedgerEvent[]): Promise<Recorded> {
  const base = `/api/projects/${encodeURIComponent(projectId)}`;
  const [project, milestones, events] = await Promise.all([
    getJson<ProjectView>(base),
    getJson<Milestone[]>(`${base}/milestones`),
    readAllEvents(base, known),
  ]);
  const planIds = idsOf(events, 'cost-share-plan-adopted.', 'planId');
  const voteIds = idsOf(events, 'owner-vote-recorded.', 'voteId');
  const [plans, votes] = await Promise.all([
    Promise.all(planIds.map((id) => getJson<CostSharePlan>(`${base}/cost-shares/${encodeURIComponent(id)}`))),
    Promise.all(voteIds.map((id) => getJson<OwnerVote>(`${base}/votes/${encodeURIComponent(id)}`))),
  ]);
  return { project, milestones, events, plans, votes };
}

async function readAllEvents(base: string, known: readonly LedgerEvent[]): Promise<LedgerEvent[]> {
  const all = [...known];
  for (;;) {
    const page = await getJson<LedgerEvent[]>(`${base}/events`, {
      fromRevision: String(all.length),
      limit: String(EVENTS_PAGE),
    });
    all.push(...page);
    if (page.length < EVENTS_PAGE) return all;
  }
}

/** The plans and votes a project's history names (the API lists neither), each once, in order. */
function idsOf(events: LedgerEvent[], typePrefix: string, field: string): string[] {
  const ids = events.filter((e) => e.type.startsWith(typePrefix)).map((e) => e.data[field]);
  return [...new Set(ids.filter((id): id is string => typeof id === 'string'))];
}

interface AsOfFigures {
  mix: FundingMix;
  flags: RedFlags;
  /** The project in GET /api/projects?asOf= (undefined without asOf; null when not registered by then). */
  listed?: ProjectListItem | null;
}

/**
 * The reads that take the as-of date: the funding mix, the red flags and, as of a past date, the
 * project's list row. As of a past date they go one after the other: a caller may have two
 * time-travel reads in flight (429 beyond), and a live change may start a second round while one
 * is still running.
 */
async function readAsOf(projectId: string, asOf: string | undefined): Promise<AsOfFigures> {
  const base = `/api/projects/${encodeURIComponent(projectId)}`;
  const mixRead = () => getJson<FundingMix>(`${base}/funding-mix`, { asOf });
  const flagsRead = () => getJson<RedFlags>(`${base}/red-flags`, { asOf });
  if (!asOf) {
    const [mix, flags] = await Promise.all([mixRead(), flagsRead()]);
    return { mix, flags };
  }
  const mix = await mixRead();
  const flags = await flagsRead();
  const list = await getJson<{ projects: ProjectListItem[] }>('/api/projects', { asOf });
  return { mix, flags, listed: list.projects.find((p) => p.projectId === projectId) ?? null };
}

export function ProjectPage({ projectId, route }: { projectId: string; route: Route; actor: Actor }) {
  const asOf = asOfOf(route);
  const thisProject = (change: LiveChange) => change.category === 'project' && change.id === projectId;
  const labels = useLoad(readLabels, []);
  const history = useRef<{ projectId: string; events: readonly LedgerEvent[] }>({ projectId, events: [] });
  const recorded = useLoad(
    async () => {
      const known = history.current.projectId === projectId ? history.current.events : [];
      const read = await readRecorded(projectId, known);
      history.current = { projectId, events: read.events };
      return read;
    },
    [projectId],
    thisProject,
  );
  const figures = useLoad(() => readAsOf(projectId, asOf), [projectId, asOf], thisProject);

  if (recorded.error instanceof ApiError && recorded.error.status === 404)
    return (
      <p class="error" role="alert">
        没有这个项目：{projectId}
      </p>
    );
  return (
    <div class="project-page">
      <Loading loaded={labels}>
        {(l) => (
          <>
            <Loading loaded={recorded}>
              {(r) => <ProjectHeader project={r.project} listed={figures.data?.listed} asOf={asOf} labels={l} />}
            </Loading>
            {asOf ? (
              <p class="hint as-of-note" role="note">
                截至 {asOf}
                ：项目状态、批复投资、资金构成和风险预警为该日的数据；里程碑、预算明细、费用分摊、业主表决和事件记录为台账当前的记录。
              </p>
            ) : null}
            <Loading loaded={figures}>{(f) => <FundingMixSection mix={f.mix} labels={l} />}</Loading>
            <Loading loaded={recorded}>
              {(r) => (
                <>
                  <MilestoneTimeline milestones={r.milestones} labels={l} />
                  <BudgetSection project={r.project} labels={l} />
                  <CostSharesSection plans={r.plans} labels={l} />
                  <VotesSection votes={r.votes} />
                </>
              )}
            </Loading>
            <Loading loaded={figures}>{(f) => <RedFlagsSection flags={f.flags} />}</Loading>
            <Loading loaded={recorded}>
              {(r) => <EventHistory events={r.events} milestones={r.milestones} labels={l} />}
            </Loading>
          </>
        )}
      </Loading>
    </div>
  );
}
