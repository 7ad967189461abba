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
      await field.fill('2023/02/28');
      await field.press('Enter');
      await page.getByRole('alert').filter({ hasText: '请按 YYYY-MM-DD 填写' }).waitFor();
      // The form is right, the day is not: said so, not "YYYY-MM-DD".
      await field.fill('2023-02-30');
      await field.press('Enter');
      await page.getByRole('alert').filter({ hasText: '日历上没有 2023-02-30 这一天' }).waitFor();
      expect(await page.getByRole('alert').filter({ hasText: 'YYYY-MM-DD' }).count()).toBe(0);
      expect(page.url()).not.toContain('asOf=');
      await field.fill('2023-02-28');
      await field.press('Enter');
      await page.getByRole('status').filter({ hasText: '2023-02-28' }).waitFor();
      expect(page.url()).toContain('asOf=2023-02-28');
    });

    it('drops a typed date and its message on 回到今天 and on another page', async () => {
      const page = await ctx.signedIn('finance', '#/?asOf=2023-02-28');
      const field = page.getByLabel('截至日期');
      const problem = page.getByRole('alert').filter({ hasText: '日历上没有' });
      await field.fill('2023-02-30');
      await field.press('Enter');
      await problem.waitFor();
      await page.getByRole('button', { name: '回到今天' }).click();
      await problem.waitFor({ state: 'detached' });
      expect([await field.inputValue(), await field.getAttribute('aria-invalid')]).toEqual(['', null]);
      await field.fill('2023-13-01');
      await field.press('Enter');
      await problem.waitFor();
      await page.getByRole('link', { name: '资金下达台账' }).click();
      await page.getByRole('heading', { name: '下达台账', exact: false }).first().waitFor();
      await problem.waitFor({ state: 'detached' });
      expect([await field.inputValue(), await field.getAttribute('aria-invalid')]).toEqual(['', null]);
    });

    it('says once, in Chinese, that a date in the address is not one, and reads nothing with it', async () => {
      for (const asOf of ['2022-02-30', 'garbage']) {
        const page = await ctx.signedIn('finance', `#/?asOf=${asOf}`);
        await page
          .getByRole('alert')
          .filter({ hasText: `地址中的截至日期“${asOf}”有误` })
          .waitFor();
        await page.waitForLoadState('networkidle');
        const alerts = await page.getByRole('alert').allInnerTexts();
        expect(alerts).toHaveLength(1);
        expect(alerts[0]).toMatch(asOf === 'garbage' ? /请按 YYYY-MM-DD 填写/ : /日历上没有 2022-02-30 这一天/);
        expect(alerts[0]).not.toMatch(/[a-z]{3,}-[a-z]+|invalid|calendar/);
      }
    });

    // A headed browser asks for /favicon.ico (a 404 on every page) unless the page names an icon;
    // headless Chromium does not ask either way, so the icon link itself is what is checked.
    it('names its icon inline (a data: URL), so no browser asks for /favicon.ico', async () => {
      const page = await ctx.newPage();
      const asked: string[] = [];
      page.on('request', (r) => asked.push(new URL(r.url()).pathname));
      await page.goto(ctx.demo.baseUrl);
      await page.getByLabel('访问令牌').waitFor();
      await page.waitForLoadState('networkidle');
      expect(asked).not.toContain('/favicon.ico');
      const icons = await page
        .locator('link[rel="icon"]')
        .evaluateAll((links) => links.map((l) => l.getAttribute('href')));
      expect(icons).toEqual([expect.stringMatching(/^data:image\/svg\+xml,/)]);
    });
  });
}
