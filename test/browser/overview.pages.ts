import type { Page } from 'playwright-core';
import { PagesContext } from './support/pages-context';

/**
 * 全区概览 (issue 19 point 2, point 8): signed in, the overview shows the seed's targets and the
 * district's totals, each the same figure as the JSON report, today and as of a past date; a
 * figure's link leads to the project list of the projects behind it.
 */

interface TargetPeriod {
  periodId: string;
  target: { communities: number | null; areaWanM2: string | null };
  actual: { communities: number; areaWanM2: string; households: number };
  progress: { communities: string | null; area: string | null };
  projects: { projectId: string }[];
}
type Money = Record<string, string | null>;
interface SourcesReport {
  sources: (Money & { source: string; projects: number })[];
  tiers: (Money & { tier: string })[];
  totals: Money;
  rows: { source: string; projectId: string }[];
}
type Counts = { open: number; cleared: number; total: number };
interface RedFlags {
  flags: { projectId: string | null; town: string | null; severity: string; open: boolean; subject: string }[];
  totals: Counts & { bySeverity: Record<'high' | 'medium' | 'low', Counts> };
}
interface ProjectItem {
  projectId: string;
  town: string;
  received: string;
  disbursed: string;
}

const PAST = '2022-06-30';
const MONEY_FIELDS = [
  'issued',
  'allocated',
  'received',
  'disbursed',
  'allocationRate',
  'fundingRate',
  'paymentRate',
  'progress',
];
const IDLE_FIELDS = ['idleAmount', 'idleReceived', 'idleNotReceived', 'idleUnallocated', 'idleBatches'];

/** The page's document, as far as these tests read it (the root tsconfig has no DOM lib). */
interface FigureDocument {
  querySelector(selector: string): { textContent: string | null } | null;
}

const ANY = '*';

/**
 * Runs in the page: the figure under `key` as shown, back in the API's terms (no thousands
 * separators, no %, null for —, undefined when absent), when it is `want` (or `want` is ANY), else
 * false. A function, not a string: the pages' CSP (script-src 'self') refuses the eval a string
 * predicate of waitForFunction needs.
 */
function figureWhen([key, want]: readonly [string, string | null]): { shown: string | null | undefined } | false {
  const doc = (globalThis as unknown as { document: FigureDocument }).document;
  const el = doc.querySelector(`[data-figure="${key}"]`);
  const text = el ? (el.textContent ?? '').trim() : undefined;
  const shown = text === undefined ? undefined : text === '—' ? null : text.replace(/[,%]/g, '');
  return want === '*' || shown === want ? { shown } : false;
}

async function figure(page: Page, key: string): Promise<string | null | undefined> {
  const found = await page.evaluate(figureWhen, [key, ANY] as const);
  return found ? found.shown : undefined;
}

/** Waits until the page shows `expected` under `key` (a reload may be under way), else fails naming what it shows. */
async function expectFigure(page: Page, key: string, expected: string | number | null): Promise<void> {
  const want = expected === null ? null : String(expected);
  try {
    await page.waitForFunction(figureWhen, [key, want] as const, { timeout: 20_000 });
  } catch (err) {
    const shown = JSON.stringify(await figure(page, key));
    throw new Error(`figure ${key}: the page shows ${shown}, the API ${want} (${(err as Error).message})`);
  }
}

/** Every figure of the overview against the JSON reports read with the same as-of date. */
async function expectOverviewMatches(ctx: PagesContext, page: Page, asOf?: string): Promise<void> {
  const q = asOf ? `?asOf=${asOf}` : '';
  // Read as a role no page of these tests signs in as: the ledger lets one caller have two past
  // reads in flight, and the page's own reads are the signed-in role's.
  const targets = await ctx.demo.get<{ periods: TargetPeriod[] }>(`/api/reports/targets${q}`, 'housing');
  const sources = await ctx.demo.get<SourcesReport>(`/api/reports/sources${q}`, 'housing');
  const batches = await ctx.demo.get<{ totals: Record<string, string | number> }>(`/api/fund-batches${q}`, 'housing');
  const flags = await ctx.demo.get<RedFlags>(`/api/red-flags${q}`, 'housing');

  expect(targets.periods.length).toBeGreaterThan(0);
  for (const p of targets.periods) {
    const k = `targets.${p.periodId}`;
    await expectFigure(page, `${k}.actual.communities`, p.actual.communities);
    await expectFigure(page, `${k}.actual.areaWanM2`, p.actual.areaWanM2);
    await expectFigure(page, `${k}.actual.households`, p.actual.households);
    await expectFigure(page, `${k}.progress.communities`, p.progress.communities);
    await expectFigure(page, `${k}.progress.area`, p.progress.area);
    if (p.target.communities !== null) await expectFigure(page, `${k}.target.communities`, p.target.communities);
    await expectFigure(page, `${k}.target.areaWanM2`, p.target.areaWanM2);
  }
  for (const f of MONEY_FIELDS) {
    await expectFigure(page, `money.totals.${f}`, sources.totals[f]);
    for (const t of sources.tiers) await expectFigure(page, `money.tier.${t.tier}.${f}`, t[f] ?? null);
    for (const s of sources.sources) await expectFigure(page, `money.source.${s.source}.${f}`, s[f] ?? null);
  }
  for (const s of sources.sources) await expectFigure(page, `money.source.${s.source}.projects`, s.projects);
  // Issue 19: the 合计 row's rates are the money issued's, the batch list's (资金下达台账) own.
  for (const f of ['allocationRate', 'fundingRate', 'paymentRate'])
    await expectFigure(page, `money.totals.${f}`, batches.totals[f] as string);
  await expectFigure(page, 'money.tier.resident.paymentRate', null);
  for (const f of IDLE_FIELDS) await expectFigure(page, `idle.${f}`, batches.totals[f]);
  for (const s of ['high', 'medium', 'low'] as const)
    for (const c of ['open', 'cleared', 'total'] as const)
      await expectFigure(page, `flags.${s}.${c}`, flags.totals.bySeverity[s][c]);
  for (const c of ['open', 'cleared', 'total'] as const) await expectFigure(page, `flags.all.${c}`, flags.totals[c]);
}

/** The project ids the project list shows, once it has loaded. */
async function listedProjects(page: Page): Promise<string[]> {
  await page.locator('[data-figure="projects.count"]').waitFor();
  const ids = (await page.evaluate(
    `[...document.querySelectorAll('tr[data-project-id]')].map((tr) => tr.getAttribute('data-project-id'))`,
  )) as string[];
  expect(await figure(page, 'projects.count')).toBe(String(ids.length));
  return ids.sort();
}

interface IdleMoney {
  projects: { projectId: string; idleReceived: string; idleNotReceived: string }[];
}

/**
 * Issue 19: the overview's 到位未支出 and 分配未到位 lead to the projects holding that money at the
 * page's date, each with its amount, the amounts summing to the figure (they were the RF-14 flags
 * raised by then, none as of 2022-06-30, each shown with its total received).
 */
async function expectIdleLeadsToItsProjects(ctx: PagesContext, page: Page, asOf?: string): Promise<void> {
  const q = asOf ? `?asOf=${asOf}` : '';
  const batches = await ctx.demo.get<{ totals: Record<string, string> }>(
    `/api/fund-batches?view=totals${q ? '&' + q.slice(1) : ''}`,
    'housing',
  );
  const idle = await ctx.demo.get<IdleMoney>(`/api/reports/idle-money${q}`, 'housing');
  for (const [kind, field, label] of [
    ['received', 'idleReceived', '到位未支出'],
    ['notReceived', 'idleNotReceived', '分配未到位'],
  ] as const) {
    const holding = idle.projects.filter((p) => p[field] !== '0.00');
    // A figure of zero has no projects behind it; any other figure must have some.
    expect([field, holding.length > 0]).toEqual([field, batches.totals[field] !== '0.00']);
    if (holding.length === 0) continue;
    await expectFigure(page, `idle.${field}`, batches.totals[field]);
    await page.locator(`[data-figure="idle.${field}"]`).click();
    await page.getByText(`闲置资金：${label}`).waitFor();
    expect(await listedProjects(page)).toEqual(holding.map((p) => p.projectId).sort());
    for (const p of holding) await expectFigure(page, `project.${p.projectId}.idle`, p[field]);
    await expectFigure(page, 'projects.idleTotal', batches.totals[field]);
    if (asOf) expect(page.url()).toContain(`asOf=${asOf}`);
    expect([kind, (await figure(page, 'projects.count')) !== '0']).toEqual([kind, true]);
    await page.goBack();
  }
  expect(fenOf(batches.totals.idleReceived)).toBeGreaterThan(0n);
}

const fenOf = (s: string) => BigInt(s.replace('.', ''));

const distinct = (ids: (string | null)[]) => [...new Set(ids.filter((id): id is string => id !== null))].sort();

export function overviewPages(ctx: PagesContext): void {
  describe('overview (全区概览)', () => {
    it('shows the targets, the money by source and tier, idle money and red flags as the JSON reports give them', async () => {
      const page = await ctx.signedIn('finance', '#/');
      await page.getByRole('heading', { name: '目标任务完成情况' }).waitFor();
      await expectOverviewMatches(ctx, page);
    });

    it('ranks the towns by what their projects paid, each figure the sum of the project list and the red-flag list', async () => {
      const page = await ctx.signedIn('finance', '#/');
      const projects = await ctx.demo.get<ProjectItem[]>('/api/projects');
      const flags = await ctx.demo.get<RedFlags>('/api/red-flags');
      const fen = (s: string) => BigInt(s.replace('.', ''));
      const byTown = new Map<string, { n: number; received: bigint; disbursed: bigint }>();
      for (const p of projects) {
        const t = byTown.get(p.town) ?? { n: 0, received: 0n, disbursed: 0n };
        byTown.set(p.town, {
          n: t.n + 1,
          received: t.received + fen(p.received),
          disbursed: t.disbursed + fen(p.disbursed),
        });
      }
      const yuanOf = (f: bigint) => `${f / 100n}.${String(f % 100n).padStart(2, '0')}`;
      for (const [town, t] of byTown) {
        await expectFigure(page, `towns.${town}.projects`, t.n);
        await expectFigure(page, `towns.${town}.received`, yuanOf(t.received));
        await expectFigure(page, `towns.${town}.disbursed`, yuanOf(t.disbursed));
        const open = flags.flags.filter((f) => f.open && f.town === town).length;
        await expectFigure(page, `towns.${town}.openFlags`, open);
      }
      // The demo has towns with open flags, or the figure above could not tell a count from none.
      expect(flags.flags.some((f) => f.open && f.town !== null)).toBe(true);
      const top = [...byTown].sort((a, b) => (b[1].disbursed > a[1].disbursed ? 1 : -1))[0][0];
      const firstRow = page
        .getByRole('table', { name: /镇街排名/ })
        .locator('tbody tr')
        .first();
      expect(await firstRow.locator('th').innerText()).toBe(top);
    });

    it('shows the district as of a past date picked with the date picker, and as of a date in the address', async () => {
      const page = await ctx.signedIn('finance', '#/');
      const now = await ctx.demo.get<SourcesReport>('/api/reports/sources');
      const past = await ctx.demo.get<SourcesReport>(`/api/reports/sources?asOf=${PAST}`);
      // The past must differ from today, or this test could not tell them apart.
      expect(past.totals.received).not.toBe(now.totals.received);
      await expectFigure(page, 'money.totals.received', now.totals.received);
      await page.getByLabel('截至日期').fill(PAST);
      await page.getByLabel('截至日期').press('Enter');
      await page.getByRole('status').filter({ hasText: PAST }).waitFor();
      await expectOverviewMatches(ctx, page, PAST);

      const direct = await ctx.signedIn('auditor', `#/?asOf=${PAST}`);
      await expectOverviewMatches(ctx, direct, PAST);
    });

    it("leads from a target's figure, a severity's open flags, a source and a town to the projects behind them", async () => {
      const page = await ctx.signedIn('finance', '#/');
      const targets = await ctx.demo.get<{ periods: TargetPeriod[] }>('/api/reports/targets');
      const period = targets.periods.find((p) => p.projects.length > 0)!;
      await page.locator(`[data-figure="targets.${period.periodId}.actual.communities"]`).click();
      await page.getByRole('heading', { name: '项目清单' }).waitFor();
      expect(await listedProjects(page)).toEqual(distinct(period.projects.map((p) => p.projectId)));

      await page.goBack();
      const flags = await ctx.demo.get<RedFlags>('/api/red-flags?severity=high&open=true');
      const flagged = distinct(flags.flags.map((f) => f.projectId));
      expect(flagged.length).toBeGreaterThan(0);
      await page.locator('[data-figure="flags.high.open"]').click();
      await page.getByText('严重程度高').waitFor();
      expect(await listedProjects(page)).toEqual(flagged);

      await page.goBack();
      const sources = await ctx.demo.get<SourcesReport>('/api/reports/sources');
      const source = sources.sources.find((s) => s.projects > 1)!;
      await page.locator(`[data-figure="money.source.${source.source}.projects"]`).click();
      await page.getByText(`资金来源：`).waitFor();
      const fromSource = await listedProjects(page);
      expect(fromSource).toEqual(
        distinct(sources.rows.filter((r) => r.source === source.source).map((r) => r.projectId)),
      );
      expect(fromSource.length).toBe(source.projects);

      await page.goBack();
      const projects = await ctx.demo.get<ProjectItem[]>('/api/projects');
      const town = projects[0].town;
      await page.locator(`[data-figure="towns.${town}.projects"]`).click();
      await page.getByText(`镇街：${town}`).waitFor();
      const inTown = await listedProjects(page);
      expect(inTown).toEqual(distinct(projects.filter((p) => p.town === town).map((p) => p.projectId)));
      // Each row's id leads to its project page.
      const link = page.locator(`tr[data-project-id="${inTown[0]}"] a`);
      expect(await link.getAttribute('href')).toBe(`#/projects/${inTown[0]}`);

      await page.goBack();
      await expectIdleLeadsToItsProjects(ctx, page);
    });

    it('leads from idle money as of a past date to the projects holding it then, each with its amount', async () => {
      const page = await ctx.signedIn('finance', `#/?asOf=${PAST}`);
      await expectIdleLeadsToItsProjects(ctx, page, PAST);
    });

    it('shows one fiscal year’s money with its 序时进度 when the year is picked', async () => {
      const page = await ctx.signedIn('finance', '#/');
      const year = await ctx.demo.get<SourcesReport & { timeProgress: string | null }>(
        '/api/reports/sources?fiscalYear=2022',
        'housing',
      );
      const all = await ctx.demo.get<SourcesReport>('/api/reports/sources', 'housing');
      expect(year.totals.disbursed).not.toBe(all.totals.disbursed);
      await expectFigure(page, 'money.totals.disbursed', all.totals.disbursed);
      await page.getByLabel('年度').selectOption('2022');
      await expectFigure(page, 'money.timeProgress', year.timeProgress);
      for (const f of MONEY_FIELDS) await expectFigure(page, `money.totals.${f}`, year.totals[f]);
      for (const t of year.tiers) await expectFigure(page, `money.tier.${t.tier}.paymentRate`, t.paymentRate ?? null);
    });

    it('moves its totals after a receipt posted through the API, without a reload, and back when it is reversed', async () => {
      const page = await ctx.signedIn('finance', '#/');
      const projects = await ctx.demo.get<(ProjectItem & { status: string })[]>('/api/projects');
      const project = projects.filter((p) => p.status === 'approved').at(-1)!.projectId;
      const before = (await ctx.demo.get<SourcesReport>('/api/reports/sources', 'housing')).totals.received;
      await expectFigure(page, 'money.totals.received', before);
      // A mark in the page's window: gone if the page were loaded again.
      await page.evaluate('window.__sameOverview = true');

      const receipt = {
        receiptId: 'R-OVERVIEW-LIVE',
        source: 'public_revenue',
        amount: '100.00',
        payer: '小区业主委员会',
        reference: 'OVERVIEW-LIVE',
        receivedOn: '2023-12-01',
        fiscalYear: 2023,
      };
      const posted = await ctx.demo.post(`/api/projects/${project}/receipts`, receipt, 'finance', 'overview-live-1');
      expect(posted.status).toBe(201);
      const after = (await ctx.demo.get<SourcesReport>('/api/reports/sources', 'housing')).totals.received;
      expect(after).not.toBe(before);
      await expectFigure(page, 'money.totals.received', after);

      // Reversed, so the district is as the other pages' tests expect it.
      const reversal = { reversalId: 'RV-OVERVIEW-LIVE', entryId: receipt.receiptId, reason: '页面测试后撤回' };
      const reversed = await ctx.demo.post(
        `/api/projects/${project}/reversals`,
        reversal,
        'finance',
        'overview-live-2',
      );
      expect(reversed.status).toBe(201);
      await expectFigure(page, 'money.totals.received', before);
      expect(await page.evaluate('window.__sameOverview === true')).toBe(true);
    });

    it('keeps the past date from a figure to its projects', async () => {
      const page = await ctx.signedIn('finance', `#/?asOf=${PAST}`);
      const targets = await ctx.demo.get<{ periods: TargetPeriod[] }>(`/api/reports/targets?asOf=${PAST}`);
      const now = await ctx.demo.get<{ periods: TargetPeriod[] }>('/api/reports/targets');
      const period = targets.periods.find(
        (p) =>
          p.projects.length > 0 &&
          p.projects.length !== now.periods.find((n) => n.periodId === p.periodId)!.projects.length,
      )!;
      expect(period).toBeDefined();
      await expectFigure(page, `targets.${period.periodId}.actual.communities`, period.actual.communities);
      await page.locator(`[data-figure="targets.${period.periodId}.actual.communities"]`).click();
      await page.getByRole('heading', { name: '项目清单' }).waitFor();
      expect(page.url()).toContain(`asOf=${PAST}`);
      expect(await listedProjects(page)).toEqual(distinct(period.projects.map((p) => p.projectId)));
    });
  });
}
