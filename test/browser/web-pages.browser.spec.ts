/**
 * The web pages in a real browser: Debian's Chromium through playwright-core (headless, no
 * sandbox, no browser download), against a copy of the demo district loaded through the HTTP API
 * (test/support/demo-service.ts).
 * Each page's tests live in their own `*.pages.ts` and share the one district and browser.
 */
import { bureauPages } from './bureau.pages';
import { firstLoadPages } from './first-load.pages';
import { gongshiPages } from './gongshi.pages';
import { overviewPages } from './overview.pages';
import { projectPages } from './project.pages';
import { signInPages } from './sign-in.pages';
import { PagesContext } from './support/pages-context';

const ctx = new PagesContext();

beforeAll(() => ctx.start());
afterAll(() => ctx.stop());
afterEach(() => ctx.closePages());

describe('web pages', () => {
  signInPages(ctx);
  gongshiPages(ctx);
  firstLoadPages(ctx);
  // Pages whose tests write to the shared district come last; each compares the page with the
  // JSON read at the same moment, so an earlier page's write does not move its expectations.
  overviewPages(ctx);
  projectPages(ctx);
  bureauPages(ctx);
});
