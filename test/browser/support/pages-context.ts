import type { Browser, Page } from 'playwright-core';
import { Role } from '../../../src/auth/tokens';
import { launchChromium } from './chromium';
import { DemoService, startDemoService } from '../../support/demo-service';
import { ensureWebBuilt } from './web-build';

/**
 * What every page's browser tests share: one demo district served once (a copy of the one loaded for the
 * specs, test/support/demo-service.ts), one Chromium. web-pages.browser.spec.ts starts it; each page's tests (`*.pages.ts`)
 * receive it and read `demo` and `browser` inside their tests, once it has started.
 */
export class PagesContext {
  demo!: DemoService;
  browser!: Browser;
  private readonly pages: Page[] = [];

  async start(): Promise<void> {
    ensureWebBuilt();
    [this.demo, this.browser] = await Promise.all([startDemoService(), launchChromium()]);
  }

  async stop(): Promise<void> {
    await this.browser?.close();
    await this.demo?.stop();
  }

  /** A new tab at 1366×768 (the office's screen) unless told otherwise, closed after each test. */
  async newPage(viewport = { width: 1366, height: 768 }): Promise<Page> {
    const page = await this.browser.newPage({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    this.pages.push(page);
    return page;
  }

  async closePages(): Promise<void> {
    await Promise.all(this.pages.splice(0).map((p) => p.close()));
  }

  /** A tab signed in as `role`, at `hash` (e.g. `#/projects/TN2021-001`), once the navigation shows. */
  async signedIn(role: Role, hash = '#/', viewport?: { width: number; height: number }): Promise<Page> {
    const page = await this.newPage(viewport);
    await page.goto(`${this.demo.baseUrl}/${hash}`);
    await page.getByLabel('访问令牌').fill(this.demo.token(role));
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('navigation', { name: '主导航' }).waitFor();
    return page;
  }
}
