// Screenshots of the web pages for the README and docs/web.md, from a running demo:
//   npm run demo   (in another terminal), then
//   node tools/screenshots.mjs [http://localhost:3000] [DATA_DIR of the demo, default ./demo-data]
// Debian's Chromium through playwright-core (CHROMIUM_PATH to use another), 1366×768 and a phone.
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const base = process.argv[2] ?? 'http://localhost:3000';
const dataDir = process.argv[3] ?? './demo-data';
const out = 'docs/screenshots';
const tokens = JSON.parse(readFileSync(join(dataDir, 'demo-tokens.json'), 'utf8'));
const tokenOf = (role) => tokens.find((t) => t.role === role).token;

const shots = [
  { file: 'overview.png', role: 'finance', hash: '#/', wait: '全区概览' },
  { file: 'overview-2022-06-30.png', role: 'finance', hash: '#/?asOf=2022-06-30', wait: '正在查看' },
  { file: 'project.png', role: 'finance', hash: '#/projects/TN2021-003', wait: '资金构成' },
  { file: 'batches.png', role: 'finance', hash: '#/batches', wait: '资金下达台账' },
  { file: 'reconciliation.png', role: 'finance', hash: '#/reconciliation/ZH-01?month=2023-04', wait: '调节表' },
  { file: 'project-phone.png', role: 'viewer', hash: '#/projects/TN2021-003', wait: '资金构成', phone: true },
];

mkdirSync(out, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--lang=zh-CN'],
  // Chromium on Linux draws its date pickers in the language of its environment.
  env: { ...process.env, LANGUAGE: 'zh_CN', LANG: 'zh_CN.UTF-8' },
});
try {
  for (const shot of shots) {
    const viewport = shot.phone ? { width: 390, height: 844 } : { width: 1366, height: 768 };
    const page = await browser.newPage({ viewport, locale: 'zh-CN', deviceScaleFactor: 1 });
    await page.goto(`${base}/${shot.hash}`);
    await page.getByLabel('访问令牌').fill(tokenOf(shot.role));
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText(shot.wait).first().waitFor();
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(1500); // the charts' entry animation
    await page.screenshot({ path: join(out, shot.file), fullPage: false });
    await page.close();
    console.log(`${out}/${shot.file}`);
  }
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  await page.goto(`${base}/gongshi/TN2021-003`);
  await page.screenshot({ path: join(out, 'gongshi.png'), fullPage: false });
  console.log(`${out}/gongshi.png`);
} finally {
  await browser.close();
}
