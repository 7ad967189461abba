/**
 * The web pages in a real browser: Debian's Chromium through playwright-core (headless, no
 * sandbox, no browser download), against the demo district loaded once through the HTTP API.
 * Each page's tests live in their own `*.pages.ts` and share the one district and browser.
 */
import { overviewPages } from './overview.pages';
import { signInPages } from './sign-in.pages';
import { PagesContext } from './support/pages-context';

const ctx = new PagesContext();

beforeAll(() => ctx.start());
afterAll(() => ctx.stop());
afterEach(() => ctx.closePages());

describe('web pages', () => {
  signInPages(ctx);
  overviewPages(ctx);
});
