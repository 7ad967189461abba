/**
 * 项目详情 (issue 19 point 3): one project's header, milestones, funding mix (chart and table),
 * budget lines, cost-sharing plans with each household's share, owners' votes, red flags and its
 * full event history. As of a past date every section is the project as it stood at the end of
 * that day: each read takes `asOf` (business dates, as the API cuts them; the history by recorded
 * time, what the ledger had recorded by then), and the page says which time each uses. The page
 * reloads within a second when the live feed reports a change of this project.
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
  /** The project now: its name and place (a past read of a project not yet registered has none). */
  project: ProjectView;
  /** As of a past date, the project as it stood then; null when not registered by then. Now: `project`. */
  then: ProjectView | null;
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
    readAllEvents(base, known, {}),
  ]);
  const planIds = idsOf(events, 'cost-share-plan-adopted.', 'planId');
  const voteIds = idsOf(events, 'owner-vote-recorded.', 'voteId');
  const [plans, votes] = await Promise.all([
    Promise.all(planIds.map((id) => getJson<CostSharePlan>(`${base}/cost-shares/${encodeURIComponent(id)}`))),
    Promise.all(voteIds.map((id) => getJson<OwnerVote>(`${base}/votes/${encodeURIComponent(id)}`))),
  ]);
  return { project, then: project, milestones, events, plans, votes };
}

/**
 * The project as it stood at the end of `asOf`: its state (404: not registered by then), the
 * milestones, plans and votes that count by then, and the events recorded by then. Every read of
 * the past goes through `pastRead`, one at a time.
 */
async function readPast(projectId: string, asOf: string): Promise<Recorded> {
  const base = `/api/projects/${encodeURIComponent(projectId)}`;
  const project = await getJson<ProjectView>(base);
  const then = await pastRead<ProjectView>(base, { asOf }).catch((err: unknown) => {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  });
  const milestones = then ? await pastRead<Milestone[]>(`${base}/milestones`, { asOf }) : [];
  const events = await readAllEvents(base, [], { asOf });
  const plans: CostSharePlan[] = [];
  for (const id of then?.planIds ?? [])
    plans.push(await pastRead<CostSharePlan>(`${base}/cost-shares/${encodeURIComponent(id)}`, { asOf }));
  const votes: OwnerVote[] = [];
  for (const id of then?.voteIds ?? [])
    votes.push(await pastRead<OwnerVote>(`${base}/votes/${encodeURIComponent(id)}`, { asOf }));
  return { project, then, milestones, events, plans, votes };
}

async function readAllEvents(
  base: string,
  known: readonly LedgerEvent[],
  bounds: { asOf?: string },
): Promise<LedgerEvent[]> {
  const all = [...known];
  for (;;) {
    const query = { fromRevision: String(all.length), limit: String(EVENTS_PAGE) };
    const page = bounds.asOf
      ? await pastRead<LedgerEvent[]>(`${base}/events`, { ...query, asOf: bounds.asOf })
      : await getJson<LedgerEvent[]>(`${base}/events`, query);
    all.push(...page);
    if (page.length < EVENTS_PAGE) return all;
  }
}

/** The plans and votes a project's history names, each once, in order. */
function idsOf(events: LedgerEvent[], typePrefix: string, field: string): string[] {
  const ids = events.filter((e) => e.type.startsWith(typePrefix)).map((e) => e.data[field]);
  return [...new Set(ids.filter((id): id is string => typeof id === 'string'))];
}

/**
 * The page's reads of the past, one at a time: a caller may have two time-travel reads in flight
 * (429 beyond), and the sections, the figures and a round started by a live change while one is
 * still running would otherwise hold more.
 */
let pastReads: Promise<unknown> = Promise.resolve();
/** The project and date the page shows: a read queued for another (the page has moved on) is not sent. */
let pastWanted = '';
function pastRead<T>(path: string, query: Record<string, string>): Promise<T> {
  const wanted = pastWanted;
  const read = pastReads.then(() =>
    wanted === pastWanted ? getJson<T>(path, query) : Promise.reject(new Error('a read for a date the page has left')),
  );
  pastReads = read.catch(() => undefined);
  return read;
}

interface AsOfFigures {
  mix: FundingMix;
  flags: RedFlags;
}

/**
 * The funding mix and the red flags, as of the page's date (the past through `pastRead`); null as
 * of a date before the project was registered (404 then: it had none, which is no error).
 */
async function readAsOf(projectId: string, asOf: string | undefined): Promise<AsOfFigures | null> {
  const base = `/api/projects/${encodeURIComponent(projectId)}`;
  if (!asOf) {
    const [mix, flags] = await Promise.all([
      getJson<FundingMix>(`${base}/funding-mix`),
      getJson<RedFlags>(`${base}/red-flags`),
    ]);
    return { mix, flags };
  }
  try {
    const mix = await pastRead<FundingMix>(`${base}/funding-mix`, { asOf });
    const flags = await pastRead<RedFlags>(`${base}/red-flags`, { asOf });
    return { mix, flags };
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

export function ProjectPage({ projectId, route }: { projectId: string; route: Route; actor: Actor }) {
  const asOf = asOfOf(route);
  pastWanted = `${projectId}@${asOf ?? ''}`;
  const thisProject = (change: LiveChange) => change.category === 'project' && change.id === projectId;
  const labels = useLoad(readLabels, []);
  const history = useRef<{ projectId: string; events: readonly LedgerEvent[] }>({ projectId, events: [] });
  const recorded = useLoad(
    async () => {
      if (asOf) return readPast(projectId, asOf);
      const known = history.current.projectId === projectId ? history.current.events : [];
      const read = await readRecorded(projectId, known);
      history.current = { projectId, events: read.events };
      return read;
    },
    [projectId, asOf],
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
              {(r) => <ProjectHeader project={r.project} then={r.then} asOf={asOf} labels={l} />}
            </Loading>
            {asOf ? (
              <p class="hint as-of-note" role="note">
                截至 {asOf}
                ：各部分均为该日终了时的项目情况（按业务发生日期：收付款、批复、里程碑、表决等的日期）；事件记录为该日（UTC）终了前台账已记录的事件（按记录时间）。
              </p>
            ) : null}
            <Loading loaded={figures}>{(f) => (f ? <FundingMixSection mix={f.mix} labels={l} /> : null)}</Loading>
            <Loading loaded={recorded}>
              {(r) =>
                r.then ? (
                  <>
                    <MilestoneTimeline milestones={r.milestones} labels={l} />
                    <BudgetSection project={r.then} labels={l} />
                    <CostSharesSection plans={r.plans} labels={l} />
                    <VotesSection votes={r.votes} />
                  </>
                ) : null
              }
            </Loading>
            <Loading loaded={figures}>{(f) => (f ? <RedFlagsSection flags={f.flags} /> : null)}</Loading>
            <Loading loaded={recorded}>
              {(r) => <EventHistory events={r.events} milestones={r.milestones} labels={l} asOf={asOf} />}
            </Loading>
          </>
        )}
      </Loading>
    </div>
  );
}
