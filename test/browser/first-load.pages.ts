import type { Response } from 'playwright-core';
import { PagesContext } from './support/pages-context';

/** The budget for the first page load: the compressed bytes of every page asset. */
const FIRST_LOAD_BUDGET_BYTES = 500 * 1024;

/**
 * The first load of the pages (index.html, scripts, styles, fonts, up to the signed-in overview)
 * travels compressed (brotli where the browser takes it, else gzip) and under 500 KB: an office on a slow intranet link opens it in seconds.
 */
export function firstLoadPages(ctx: PagesContext): void {
  describe('first load', () => {
    it('sends the page assets compressed (brotli or gzip), under 500 KB in all', async () => {
      const page = await ctx.newPage();
      const assets: Response[] = [];
      page.on('response', (r) => {
        const path = new URL(r.url()).pathname;
        if (!path.startsWith('/api/')) assets.push(r);
      });
      await page.goto(ctx.demo.baseUrl);
      await page.getByLabel('访问令牌').fill(ctx.demo.token('viewer'));
      await page.getByRole('button', { name: '登录' }).click();
      await page.getByRole('navigation', { name: '主导航' }).waitFor();
      await page.waitForLoadState('networkidle');
      const scripts = assets.filter((r) => new URL(r.url()).pathname.endsWith('.js'));
      expect(scripts.length).toBeGreaterThan(0);
      for (const r of scripts) expect((await r.allHeaders())['content-encoding']).toMatch(/^(br|gzip)$/);
      let total = 0;
      for (const r of assets) total += (await r.request().sizes()).responseBodySize;
      expect(total).toBeGreaterThan(0);
      expect(total).toBeLessThan(FIRST_LOAD_BUDGET_BYTES);
    });
  });
}
