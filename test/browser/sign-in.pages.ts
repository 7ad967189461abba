import { PagesContext } from './support/pages-context';

/** Signing in with a printed token, a wrong token refused, the token kept for the tab's session only. */
export function signInPages(ctx: PagesContext): void {
  describe('sign-in', () => {
    it('refuses an unknown token in Chinese and signs in with the finance token, showing who is signed in', async () => {
      const page = await ctx.newPage();
      await page.goto(ctx.demo.baseUrl);
      await page.getByLabel('访问令牌').fill('not-a-token-of-this-ledger');
      await page.getByRole('button', { name: '登录' }).click();
      await page.getByRole('alert').filter({ hasText: '令牌无效' }).waitFor();
      await page.getByLabel('访问令牌').fill(ctx.demo.token('finance'));
      await page.getByRole('button', { name: '登录' }).click();
      await page.getByRole('navigation', { name: '主导航' }).waitFor();
      expect(await page.getByRole('link', { name: '资金下达台账' }).count()).toBe(1);
      expect(await page.locator('.who').innerText()).toContain('财政局');
      // The token is in this tab's sessionStorage: nothing in localStorage or a cookie.
      expect(await page.evaluate('Object.keys(localStorage).length')).toBe(0);
      expect(await page.evaluate('document.cookie')).toBe('');
    });

    it('offers a viewer no bureau pages', async () => {
      const page = await ctx.signedIn('viewer');
      expect(await page.getByRole('link', { name: '全区概览' }).count()).toBe(1);
      expect(await page.getByRole('link', { name: '资金下达台账' }).count()).toBe(0);
    });

    it('takes the as-of date as YYYY-MM-DD, names an impossible one and keeps the page as it was', async () => {
      const page = await ctx.signedIn('viewer');
      const field = page.getByLabel('截至日期');
      await field.fill('2023-02-30');
      await field.press('Enter');
      await page.getByRole('alert').filter({ hasText: 'YYYY-MM-DD' }).waitFor();
      expect(page.url()).not.toContain('asOf=');
      await field.fill('2023-02-28');
      await field.press('Enter');
      await page.getByRole('status').filter({ hasText: '2023-02-28' }).waitFor();
      expect(page.url()).toContain('asOf=2023-02-28');
    });
  });
}
