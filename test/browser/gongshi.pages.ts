import { PagesContext } from './support/pages-context';

interface Notice {
  name: string;
  noticeDate: string;
  funding: { totals: { received: string } };
  costSharePlans: { planId: string; rooms: { room: string; share: string }[] }[];
  seal: { digest: string; keyFingerprint: string } | null;
}

/** Values of a project's requests that identify a person: household ids, owner keys, residents who paid. */
function personalValuesOf(ctx: PagesContext, projectId: string): string[] {
  const values = new Set<string>();
  for (const r of ctx.demo.district.requests) {
    if (r.projectId !== projectId) continue;
    const body = r.body as Record<string, unknown>;
    // The register's body lists households (a registration's `households` is only a count).
    const households = Array.isArray(body.households) ? (body.households as Record<string, unknown>[]) : [];
    for (const h of households) {
      values.add(String(h.householdId));
      values.add(String(h.ownerKey));
    }
    // A resident's own payment names the household and the person who paid.
    if (typeof body.householdId === 'string') {
      values.add(body.householdId);
      if (typeof body.payer === 'string') values.add(body.payer);
    }
  }
  return [...values];
}

/**
 * Run in the page (strings: this spec's compiler has no DOM types): the page's and its tables'
 * widths at a phone's, and the headers and totals broken over lines ("合" over "计": taller than one line).
 */
const PHONE_LAYOUT = `(() => {
  const screen = document.documentElement.clientWidth;
  const wraps = [...document.querySelectorAll('.table-wrap')];
  return {
    screen,
    page: document.documentElement.scrollWidth,
    tables: document.querySelectorAll('table').length,
    outside: [...document.querySelectorAll('table')].filter((t) => !t.parentElement.classList.contains('table-wrap')).length,
    wrapsPastScreen: wraps.filter((w) => w.getBoundingClientRect().right > screen).length,
    scrolling: wraps.filter((w) => w.scrollWidth > w.clientWidth).length,
    broken: [...document.querySelectorAll('th, tfoot td')]
      .filter((c) => c.getBoundingClientRect().height > 2 * parseFloat(getComputedStyle(c).fontSize) + 8)
      .map((c) => c.textContent),
  };
})()`;

/** The printed page's width and the right edge of its widest table. */
const PRINT_WIDTHS = `({
  page: document.documentElement.clientWidth,
  widest: Math.max(...[...document.querySelectorAll('table')].map((t) => t.getBoundingClientRect().right)),
})`;

/** The public notice (公示) page, read without signing in, as a resident would. */
export function gongshiPages(ctx: PagesContext): void {
  describe('public notice /gongshi/:projectId', () => {
    const projectId = () => ctx.demo.district.residents[0].projectId;

    it("shows the households' shares by room and the latest seal, with no personal data, without a token", async () => {
      const page = await ctx.newPage();
      const answer = await page.goto(`${ctx.demo.baseUrl}/gongshi/${encodeURIComponent(projectId())}`);
      expect(answer?.status()).toBe(200);
      const notice = await ctx.demo.get<Notice>(`/api/public/projects/${encodeURIComponent(projectId())}/notice`);
      const text = await page.locator('body').innerText();
      expect(text).toContain(notice.name);
      expect(text).toMatch(/\d{4}-\d{2}-\d{2}/);
      // Every plan's rooms, each with its share, are on the page.
      const plans = notice.costSharePlans;
      expect(plans.length).toBeGreaterThan(0);
      for (const plan of plans) expect(text).toContain(plan.planId);
      const rows = plans.reduce((n, p) => n + p.rooms.length, 0);
      expect(await page.locator('table tbody tr').count()).toBeGreaterThanOrEqual(rows);
      // The seal anyone can check with openssl: its digest and key fingerprint.
      expect(notice.seal).not.toBeNull();
      expect(text).toContain(notice.seal!.digest);
      expect(text).toContain(notice.seal!.keyFingerprint);
      // Nothing that names a person, and no token, anywhere in what the browser received.
      const html = await page.content();
      const personal = personalValuesOf(ctx, projectId());
      expect(personal.length).toBeGreaterThan(10);
      for (const value of [...personal, ...ctx.demo.tokens.map((t) => t.token)]) expect(html).not.toContain(value);
    });

    it('is readable on a phone: the page never wider than the screen, each table scrolls in its box', async () => {
      const page = await ctx.newPage({ width: 390, height: 844 });
      await page.goto(`${ctx.demo.baseUrl}/gongshi/${encodeURIComponent(projectId())}`);
      const layout = (await page.evaluate(PHONE_LAYOUT)) as Record<string, unknown>;
      expect(layout.screen).toBe(390);
      expect(layout.page).toBe(layout.screen);
      expect(layout.tables).toBeGreaterThan(5);
      expect(layout.outside).toBe(0);
      expect(layout.wrapsPastScreen).toBe(0);
      // The funding table is wider than a phone: it scrolls inside its box (so its last columns are read there).
      expect(layout.scrolling).toBeGreaterThan(0);
      expect(layout.broken).toEqual([]);
      const funding = page.getByRole('region', { name: /按来源分列的资金/ });
      const share = funding.getByRole('columnheader', { name: '到位占比（%）' });
      const rightOf = async () => (await share.boundingBox())!.x + (await share.boundingBox())!.width;
      expect(await rightOf()).toBeGreaterThan(390);
      await funding.evaluate((w) => (w.scrollLeft = w.scrollWidth));
      expect(await rightOf()).toBeLessThanOrEqual(390);
    });

    it('prints on A4 with its title', async () => {
      // A4's width less the page's margins (186 mm at 96 px per inch), the width the tables are laid out in.
      const page = await ctx.newPage({ width: 703, height: 1000 });
      await page.goto(`${ctx.demo.baseUrl}/gongshi/${encodeURIComponent(projectId())}`);
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('h1').first().isVisible()).toBe(true);
      // Nothing is cut at the paper's edge: no table is wider than the page.
      const widths = (await page.evaluate(PRINT_WIDTHS)) as { page: number; widest: number };
      expect(widths.widest).toBeLessThanOrEqual(widths.page);
      const pdf = await page.pdf({ format: 'A4', printBackground: false });
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      // A4 is 595×842 points: every page of the file says so.
      const boxes = pdf.toString('latin1').match(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g) ?? [];
      expect(boxes.length).toBeGreaterThan(0);
      for (const box of boxes) expect(box).toMatch(/0 0 59[45](\.\d+)? 84[12](\.\d+)?/);
    });
  });
}
