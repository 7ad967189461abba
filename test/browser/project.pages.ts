import type { Page } from 'playwright-core';
import { withThousands } from '../../src/shared/money/money';
import { count } from '../../web/src/format';
import { PagesContext } from './support/pages-context';

/**
 * 项目详情 (issue 19 points 3 and 5): the page of a demo project shows the API's figures (its
 * funding mix, now and as of a past date), a receipt posted through the API appears on the open
 * page without a reload, and a viewer's page shows no personal data the API hides from a viewer.
 */

interface MixFigures {
  pledged: string;
  received: string;
  disbursed: string;
  available: string;
  share: string;
}
interface KindPart {
  received: string;
  disbursed: string;
}
interface FundingMix {
  sources: (MixFigures & { source: string; inKind: boolean; byKind: { cash: KindPart; inKind: KindPart } })[];
  totals: MixFigures;
}
interface Milestone {
  milestoneId: string;
  date: string;
}
interface Plan {
  planId: string;
  households: { householdId: string }[];
}

/** What the API shows finance and masks ("***") for a viewer, by the field it is in. */
interface Masked {
  /** householdId, ownerKey: never on a viewer's page, not even inside a longer text. */
  identifiers: Set<string>;
  /** payer, payee and the like: never a viewer's page's text of its own. */
  names: Set<string>;
}
const IDENTIFIER_FIELDS = new Set(['householdId', 'ownerKey']);

/** Adds each string of `full` whose place in `masked` (the same read as a viewer) is "***". */
function collectMasked(full: unknown, masked: unknown, into: Masked, field = ''): void {
  if (masked === '***' && typeof full === 'string' && full !== '***')
    (IDENTIFIER_FIELDS.has(field) ? into.identifiers : into.names).add(full);
  else if (full && masked && typeof full === 'object' && typeof masked === 'object')
    for (const [key, value] of Object.entries(full))
      collectMasked(value, (masked as Record<string, unknown>)[key], into, Array.isArray(full) ? field : key);
}

/** Every text node of the page, trimmed (closed <details> included). */
const TEXTS = `(() => {
  const texts = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) { const t = walk.currentNode.textContent.trim(); if (t) texts.push(t); }
  return texts;
})()`;

const FIELDS: (keyof MixFigures)[] = ['pledged', 'received', 'disbursed', 'available', 'share'];

/** What the page shows for a figure: money with thousands separators and two decimals, a share with %. */
function shown(field: keyof MixFigures, value: string): string {
  return field === 'share' ? `${value}%` : withThousands(value);
}

function figure(page: Page, key: string) {
  return page.locator(`[data-figure="${key}"]`);
}

/** Waits until the figure shows `text` (the page reads and renders asynchronously). */
async function waitForFigure(page: Page, key: string, text: string): Promise<void> {
  await page.locator(`[data-figure="${key}"]:text-is("${text}")`).waitFor();
}

/** Every source's figures and the totals row on the page, equal to the funding mix the API answered. */
async function expectMixShown(page: Page, mix: FundingMix): Promise<void> {
  await waitForFigure(page, 'mix.total.received', shown('received', mix.totals.received));
  for (const s of mix.sources)
    for (const field of FIELDS)
      expect([s.source, field, await figure(page, `mix.source.${s.source}.${field}`).innerText()]).toEqual([
        s.source,
        field,
        shown(field, s[field]),
      ]);
  for (const field of FIELDS)
    expect([field, await figure(page, `mix.total.${field}`).innerText()]).toEqual([
      field,
      shown(field, mix.totals[field]),
    ]);
  // 形式: what was received of the source, as the 其中 rows count it (a donation valued in kind is 实物).
  for (const s of mix.sources)
    expect([s.source, await figure(page, `mix.source.${s.source}.form`).innerText()]).toEqual([s.source, formOf(s)]);
}

function formOf(s: FundingMix['sources'][number]): string {
  const moved = (p: KindPart) => p.received !== '0.00' || p.disbursed !== '0.00';
  const [cash, inKind] = [moved(s.byKind.cash), moved(s.byKind.inKind)];
  if (cash && inKind) return '货币资金、实物（折价）';
  return inKind || (!cash && s.inKind) ? '实物（折价）' : '货币资金';
}

/** A run of four or more digits before the decimals: money or an area written without separators. */
const UNGROUPED = /\d{4,}\.\d{2}/;

/** The shares as the page shows them, added in hundredths: they sum to 100.00. */
async function sharesShownSumTo10000(page: Page, mix: FundingMix): Promise<bigint> {
  let hundredths = 0n;
  for (const s of mix.sources) {
    const text = await figure(page, `mix.source.${s.source}.share`).innerText();
    hundredths += BigInt(text.replace('%', '').replace('.', ''));
  }
  return hundredths;
}

export function projectPages(ctx: PagesContext): void {
  describe('project page', () => {
    /** A funded demo project with a household register, cost-sharing plans and votes. */
    const projectId = () => {
      const withPlans = ctx.demo.district.residents.find((r) => r.plans.length > 0 && r.votes.length > 0);
      if (!withPlans) throw new Error('the demo district has no project with cost-sharing plans');
      return withPlans.projectId;
    };
    const mixPath = (asOf?: string) => `/api/projects/${projectId()}/funding-mix${asOf ? `?asOf=${asOf}` : ''}`;

    it("shows the project's funding mix as GET /api/projects/:id/funding-mix answers it, shares summing to 100.00", async () => {
      const page = await ctx.signedIn('finance', `#/projects/${projectId()}`);
      const mix = await ctx.demo.get<FundingMix>(mixPath());
      expect(mix.totals.share).toBe('100.00');
      await expectMixShown(page, mix);
      expect(await sharesShownSumTo10000(page, mix)).toBe(10000n);
      // The other sections are there, in Chinese.
      for (const heading of ['项目里程碑', '预算明细', '居民费用分摊', '业主表决', '风险预警', '事件记录'])
        await page.getByRole('heading', { name: heading, exact: false }).first().waitFor();
      // The red flags and the history are the API's: counts, and the first event's hashes in full.
      const [flags, events] = await Promise.all([
        ctx.demo.get<{ totals: { open: number; total: number } }>(`/api/projects/${projectId()}/red-flags`),
        ctx.demo.get<{ hash: string; prevHash: string }[]>(`/api/projects/${projectId()}/events?limit=1000`),
      ]);
      await waitForFigure(page, 'flags.total', String(flags.totals.total));
      expect(await figure(page, 'flags.open').innerText()).toBe(String(flags.totals.open));
      await waitForFigure(page, 'events.count', count(events.length));
      expect(await figure(page, 'event.0.hash').locator('summary').getAttribute('title')).toBe(events[0].hash);
      expect(await figure(page, 'event.0.prevHash').locator('summary').getAttribute('title')).toBe(events[0].prevHash);
    });

    it('writes the money of its red flags and the areas of its votes with thousands separators', async () => {
      const id = projectId();
      const flags = await ctx.demo.get<{ flags: { message: { zh: string } }[] }>(`/api/projects/${id}/red-flags`);
      // The demo project has flags with money above a thousand yuan, or this test could not tell.
      expect(flags.flags.some((f) => /\d,\d{3}\.\d{2} 元/.test(f.message.zh))).toBe(true);
      expect(flags.flags.filter((f) => UNGROUPED.test(f.message.zh))).toEqual([]);
      const page = await ctx.signedIn('finance', `#/projects/${id}`);
      await figure(page, 'flags.total').waitFor();
      const votes = page.getByRole('region', { name: '业主表决' });
      await votes.locator('[data-figure$=".quorum"]').first().waitFor();
      for (const section of [page.getByRole('region', { name: '风险预警', exact: false }), votes])
        expect((await section.allInnerTexts()).join('\n')).not.toMatch(UNGROUPED);
      expect(await votes.innerText()).toMatch(/\d,\d{3}\.\d{2}\/\d,\d{3}\.\d{2}/);
    });

    it('shows a date before the project was registered with its note, and no error for the sections it did not have', async () => {
      const page = await ctx.signedIn('finance', `#/projects/${projectId()}?asOf=2019-01-01`);
      await page.getByText('本项目尚未登记').waitFor();
      await page.getByRole('heading', { name: '事件记录', exact: false }).waitFor();
      await page.waitForLoadState('networkidle');
      expect(await page.getByRole('alert').allInnerTexts()).toEqual([]);
      expect(await page.getByRole('heading', { name: '资金构成', exact: false }).count()).toBe(0);
    });

    it('shows a receipt posted through the API on the open page, without a reload', async () => {
      const page = await ctx.signedIn('finance', `#/projects/${projectId()}`);
      const before = await ctx.demo.get<FundingMix>(mixPath());
      await expectMixShown(page, before);
      let loads = 0;
      page.on('load', () => (loads += 1));
      await page.evaluate('window.__openedBeforeTheReceipt = true');

      const today = new Date().toISOString().slice(0, 10);
      const receiptId = `R-WEB-LIVE-${Date.now()}`;
      const res = await ctx.demo.post(
        `/api/projects/${projectId()}/receipts`,
        {
          receiptId,
          source: 'social_donation',
          amount: '12345.67',
          payer: '潼南区某建材有限公司',
          donorKind: 'enterprise',
          reference: `网页实时更新测试 ${receiptId}`,
          receivedOn: today,
          fiscalYear: Number(today.slice(0, 4)),
        },
        'finance',
        `web-project-live-${receiptId}`,
      );
      expect([res.status, res.ok]).toEqual([201, true]);
      const { revision } = (await res.json()) as { revision: number };

      const after = await ctx.demo.get<FundingMix>(mixPath());
      const donation = (m: FundingMix) => m.sources.find((s) => s.source === 'social_donation')!.received;
      expect(donation(after)).not.toBe(donation(before));
      await waitForFigure(page, 'mix.source.social_donation.received', withThousands(donation(after)));
      await expectMixShown(page, after);
      // The history counts the receipt's event too (read after the events the page already had).
      const events = String(revision + 1).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
      await waitForFigure(page, 'events.count', events);
      expect(await page.evaluate('window.__openedBeforeTheReceipt')).toBe(true);
      expect(loads).toBe(0);
    });

    it('shows the past figures as of a past date, equal to the funding mix read with asOf', async () => {
      const asOf = '2021-12-31';
      const [past, now] = await Promise.all([
        ctx.demo.get<FundingMix>(mixPath(asOf)),
        ctx.demo.get<FundingMix>(mixPath()),
      ]);
      // The date must show other figures than today's, or this test could not tell them apart.
      expect(past.totals.received).not.toBe(now.totals.received);
      const page = await ctx.signedIn('finance', `#/projects/${projectId()}?asOf=${asOf}`);
      await page.getByRole('heading', { name: `资金构成（截至 ${asOf}）` }).waitFor();
      await expectMixShown(page, past);
      expect(await sharesShownSumTo10000(page, past)).toBe(10000n);
    });

    it('shows the milestones, plans and history as they stood at the end of a past date, as the asOf reads answer', async () => {
      const id = projectId();
      const base = `/api/projects/${id}`;
      const now = await ctx.demo.get<Milestone[]>(`${base}/milestones`);
      // The day before the last milestone's: the page must show the milestones dated by then, and not the last.
      const last = [...now]
        .map((m) => m.date)
        .sort()
        .at(-1)!;
      const asOf = new Date(Date.parse(`${last}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      const past = await ctx.demo.get<Milestone[]>(`${base}/milestones?asOf=${asOf}`);
      const later = now.filter((m) => m.date > asOf);
      expect(past.length).toBeGreaterThan(0);
      expect(later.length).toBeGreaterThan(0);
      const [events, eventsThen, project] = await Promise.all([
        ctx.demo.get<unknown[]>(`${base}/events?limit=1000`),
        ctx.demo.get<unknown[]>(`${base}/events?limit=1000&asOf=${asOf}`),
        ctx.demo.get<{ planIds: string[] }>(`${base}?asOf=${asOf}`),
      ]);
      // The demo records its whole district today: by recorded time, no event of it is from that day.
      expect([eventsThen.length, events.length > 0]).toEqual([0, true]);

      const page = await ctx.signedIn('finance', `#/projects/${id}?asOf=${asOf}`);
      await page.getByRole('heading', { name: `事件记录（截至 ${asOf} 已记录）` }).waitFor();
      await waitForFigure(page, 'events.count', count(eventsThen.length));
      for (const m of past) await waitForFigure(page, `milestone.${m.milestoneId}.date`, m.date);
      for (const m of later)
        expect([m.milestoneId, await figure(page, `milestone.${m.milestoneId}.date`).count()]).toEqual([
          m.milestoneId,
          0,
        ]);
      // The plans adopted by then, none other; the page's note no longer says any section is as recorded now.
      const plansShown = await page.locator('[data-figure^="plan."][data-figure$=".amount"]').count();
      expect(plansShown).toBe(project.planIds.length);
      expect((await page.locator('.as-of-note').innerText()).includes('当前')).toBe(false);
    });

    it("shows a viewer no household id, owner key or resident's name, where the API hides them from a viewer", async () => {
      const id = projectId();
      const residents = ctx.demo.district.residents.find((r) => r.projectId === id)!;
      const reads = [
        `/api/projects/${id}/households`,
        `/api/projects/${id}/events?limit=1000`,
        ...residents.plans.map((p) => `/api/projects/${id}/cost-shares/${p.planId}`),
        ...residents.votes.map((v) => `/api/projects/${id}/votes/${v.voteId}`),
      ];
      const hidden: Masked = { identifiers: new Set(), names: new Set() };
      for (const path of reads) {
        const [full, masked] = await Promise.all([ctx.demo.get(path, 'finance'), ctx.demo.get(path, 'viewer')]);
        collectMasked(full, masked, hidden);
      }
      const register = await ctx.demo.get<{ households: { householdId: string; ownerKey: string }[] }>(
        `/api/projects/${id}/households`,
        'finance',
      );
      expect(register.households.length).toBeGreaterThan(0);
      for (const h of register.households) {
        expect(hidden.identifiers).toContain(h.householdId);
        expect(hidden.identifiers).toContain(h.ownerKey);
      }
      expect(hidden.names.size).toBeGreaterThan(0);

      const planId = residents.plans[0].planId;
      const cell = `plan.${planId}.household.0.householdId`;
      const viewer = await ctx.signedIn('viewer', `#/projects/${id}`);
      await waitForFigure(viewer, cell, '***');
      await figure(viewer, 'events.count').waitFor();
      await figure(viewer, 'flags.total').waitFor();
      const text = (await viewer.evaluate('document.body.textContent')) as string;
      expect([...hidden.identifiers].filter((value) => text.includes(value))).toEqual([]);
      const texts = (await viewer.evaluate(TEXTS)) as string[];
      expect(texts.filter((t) => hidden.names.has(t))).toEqual([]);

      // The finance officer, who may see them, is shown the household ids: the check above can fail.
      const financePlan = await ctx.demo.get<Plan>(`/api/projects/${id}/cost-shares/${planId}`, 'finance');
      const finance = await ctx.signedIn('finance', `#/projects/${id}`);
      await waitForFigure(finance, cell, financePlan.households[0].householdId);
      expect(hidden.identifiers).toContain(financePlan.households[0].householdId);
    });
  });
}
