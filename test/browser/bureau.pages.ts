import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import type { Download, Locator, Page } from 'playwright-core';
import type { Reconciliation } from '../../src/bank-account/reconciliation';
import type { BatchDetail, BatchListReport } from '../../src/reports/fund-batch-reports';
import type { TreasuryReconciliation } from '../../src/treasury-file/treasury-reconciliation';
import { PagesContext } from './support/pages-context';

/** A money string as the pages write it: thousands separators, two decimals (written here apart from web/src/format.ts). */
function money(amount: string): string {
  const [whole, fraction] = amount.split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction}`;
}
const rate = (value: string | null) => (value === null ? '—' : `${value}%`);

function figure(page: Page, key: string): Locator {
  return page.locator(`[data-figure="${key}"]`);
}

async function text(page: Page, key: string): Promise<string> {
  const el = figure(page, key);
  await el.waitFor();
  return (await el.innerText()).trim();
}

async function downloadOf(page: Page, buttonName: string): Promise<Download> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: buttonName, exact: true }).click(),
  ]);
  return file;
}

async function bytesOf(file: Download): Promise<Buffer> {
  return readFileSync(await file.path());
}

/** The CSV's rows split on commas (the batch list's cells hold none), BOM and CRLF dropped. */
function csvRows(content: string): string[][] {
  return content
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter((line) => line !== '')
    .map((line) => line.split(','));
}

/**
 * The bureau's pages (issue 19 point 4): the fund-batch ledger and the bank reconciliation as
 * finance reads them, their figures equal to the JSON, their downloads, and no way in for a viewer.
 */
export function bureauPages(ctx: PagesContext): void {
  describe('bureau pages', () => {
    it('shows the batch ledger with each batch, its allocations and the totals as GET /api/fund-batches gives them', async () => {
      const list = await ctx.demo.get<BatchListReport>('/api/fund-batches', 'finance');
      const page = await ctx.signedIn('finance', '#/batches');
      expect(await text(page, 'totals.amount')).toBe(money(list.totals.amount));

      const idle =
        list.batches.find((b) => b.idle && b.oldestUnpaidAgeDays !== null) ?? list.batches.find((b) => b.idle);
      const some = [...list.batches.slice(0, 3), list.batches[list.batches.length - 1], ...(idle ? [idle] : [])];
      expect(some.length).toBeGreaterThanOrEqual(4);
      for (const b of some) {
        const f = (field: string) => text(page, `batch.${b.batchId}.${field}`);
        for (const field of ['amount', 'allocated', 'unallocated', 'received', 'disbursed', 'available'] as const)
          expect([b.batchId, field, await f(field)]).toEqual([b.batchId, field, money(b[field])]);
        for (const field of ['allocationRate', 'fundingRate', 'paymentRate', 'timeProgress', 'progress'] as const)
          expect([b.batchId, field, await f(field)]).toEqual([b.batchId, field, rate(b[field])]);
        expect(await f('idleAmount')).toBe(money(b.idleAmount));
        const row = page.locator('tr', { has: page.locator(`[data-figure="batch.${b.batchId}.amount"]`) });
        expect(await row.innerText()).toContain(b.docNo);
      }
      if (idle) {
        expect(await text(page, `batch.${idle.batchId}.idleUnallocated`)).toBe(money(idle.idleUnallocated));
        expect(await text(page, `batch.${idle.batchId}.idleNotReceived`)).toBe(money(idle.idleNotReceived));
        expect(await text(page, `batch.${idle.batchId}.idleReceived`)).toBe(money(idle.idleReceived));
        expect(await text(page, `batch.${idle.batchId}.oldestUnpaidAgeDays`)).toBe(
          idle.oldestUnpaidAgeDays === null
            ? '—'
            : String(idle.oldestUnpaidAgeDays).replace(/\B(?=(\d{3})+(?!\d))/g, ','),
        );
      }
      const t = list.totals;
      for (const field of ['allocated', 'unallocated', 'received', 'disbursed', 'available', 'idleAmount'] as const)
        expect([field, await text(page, `totals.${field}`)]).toEqual([field, money(t[field])]);
      for (const field of ['allocationRate', 'fundingRate', 'paymentRate'] as const)
        expect([field, await text(page, `totals.${field}`)]).toEqual([field, rate(t[field])]);
      expect(await text(page, 'summary.paymentRate')).toBe(rate(t.paymentRate));
      expect(await text(page, 'totals.idleBatches')).toBe(String(t.idleBatches));

      // A batch's allocations to projects, opened from its row, each linking to its project.
      const batch = list.batches.find((b) => b.allocationCount > 0)!;
      const detail = await ctx.demo.get<BatchDetail>(`/api/fund-batches/${batch.batchId}`, 'finance');
      await page
        .getByRole('button', { name: `查看指标 ${batch.batchId} 分配到项目的明细（${batch.allocationCount} 笔）` })
        .click();
      expect(detail.allocations.length).toBe(batch.allocationCount);
      for (const a of detail.allocations.slice(0, 3)) {
        const key = `allocation.${batch.batchId}.${a.allocationId}`;
        expect(await text(page, `${key}.allocated`)).toBe(money(a.allocated));
        expect(await text(page, `${key}.received`)).toBe(money(a.received));
        expect(await text(page, `${key}.disbursed`)).toBe(money(a.disbursed));
        expect(await text(page, `${key}.idleAmount`)).toBe(money(a.idleAmount));
        const row = page.locator('tr', { has: figure(page, `${key}.allocated`) });
        expect(await row.getByRole('link').first().getAttribute('href')).toBe(`#/projects/${a.projectId}`);
      }
    });

    it('shows the batch ledger as of a past date with the figures the API gives for that date', async () => {
      const asOf = '2022-06-30';
      const list = await ctx.demo.get<BatchListReport>(`/api/fund-batches?asOf=${asOf}`, 'finance');
      const now = await ctx.demo.get<BatchListReport>('/api/fund-batches', 'finance');
      expect(list.totals.amount).not.toBe(now.totals.amount);
      const page = await ctx.signedIn('finance', `#/batches?asOf=${asOf}`);
      expect(await text(page, 'totals.amount')).toBe(money(list.totals.amount));
      expect(await text(page, 'totals.received')).toBe(money(list.totals.received));
      const b = list.batches[0];
      expect(await text(page, `batch.${b.batchId}.disbursed`)).toBe(money(b.disbursed));
      expect(await text(page, `batch.${b.batchId}.timeProgress`)).toBe(rate(b.timeProgress));
      expect(await figure(page, `batch.${now.batches[now.batches.length - 1].batchId}.amount`).count()).toBe(
        list.batches.some((x) => x.batchId === now.batches[now.batches.length - 1].batchId) ? 1 : 0,
      );
    });

    it('downloads the batch ledger as an xlsx workbook and as CSV files whose figures are the JSON figures', async () => {
      const list = await ctx.demo.get<BatchListReport>('/api/fund-batches', 'finance');
      const page = await ctx.signedIn('finance', '#/batches');
      await figure(page, 'totals.amount').waitFor();

      const xlsx = await downloadOf(page, '下载上级资金（指标）下达台账（Excel（xlsx））');
      expect(xlsx.suggestedFilename()).toBe('上级资金（指标）下达台账.xlsx');
      expect((await bytesOf(xlsx)).subarray(0, 4).toString('binary')).toBe('PK\u0003\u0004');

      const csv = await downloadOf(page, '下载上级资金（指标）下达台账（CSV（UTF-8））');
      expect(csv.suggestedFilename()).toBe('上级资金（指标）下达台账.csv');
      const rows = csvRows((await bytesOf(csv)).toString('utf8'));
      const header = rows[0];
      const col = (name: string) => {
        const i = header.indexOf(name);
        expect([name, i >= 0]).toEqual([name, true]);
        return i;
      };
      for (const b of list.batches.slice(0, 3)) {
        const row = rows.find((r) => r[0] === b.batchId)!;
        expect(row[col('下达文号')]).toBe(b.docNo);
        expect(row[col('下达金额')]).toBe(b.amount);
        expect(row[col('已分配指标')]).toBe(b.allocated);
        expect(row[col('到位金额')]).toBe(b.received);
        expect(row[col('支出金额')]).toBe(b.disbursed);
        expect(row[col('闲置金额')]).toBe(b.idleAmount);
      }
      const total = rows.find((r) => r[0] === '合计')!;
      expect(total[col('下达金额')]).toBe(list.totals.amount);
      expect(total[col('支出金额')]).toBe(list.totals.disbursed);

      const gbk = await downloadOf(page, '下载上级资金（指标）下达台账（CSV（GBK））');
      const bytes = await bytesOf(gbk);
      expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
      expect(csvRows(iconv.decode(bytes, 'gb18030'))[0]).toEqual(header);
    });

    it("shows a demo town account's month with exactly the planted differences and the 调节表 as the JSON says", async () => {
      const month = '2023-04';
      const planted = ctx.demo.district.statements.differences.filter(
        (d) => d.accountId === 'ZH-01' && d.date <= `${month}-31`,
      );
      const plantedOnly = planted.filter((d) => d.kind === 'statementOnly');
      const mismatch = planted.find((d) => d.kind === 'amountMismatch')!;
      expect(plantedOnly.length).toBe(2);
      expect(mismatch).toBeDefined();
      const r = await ctx.demo.get<Reconciliation>(`/api/bank-accounts/ZH-01/reconciliation?month=${month}`, 'finance');
      // The JSON finds what was planted and nothing else.
      expect(r.statementOnly.map((l) => [l.serial, l.amount]).sort()).toEqual(
        plantedOnly.map((d) => [d.serial, d.amount]).sort(),
      );
      expect(r.ledgerOnly).toEqual([]);
      expect(r.amountMismatch.length).toBe(1);

      const page = await ctx.signedIn('finance', `#/reconciliation/ZH-01?month=${month}`);
      expect(await text(page, 'reconciliation.matched')).toBe(String(r.matched.length));
      expect(await text(page, 'reconciliation.statementOnly')).toBe('2');
      expect(await text(page, 'reconciliation.ledgerOnly')).toBe('0');
      expect(await text(page, 'reconciliation.amountMismatch')).toBe('1');
      for (const line of r.statementOnly) {
        expect(await text(page, `statementOnly.${line.lineId}.amount`)).toBe(money(line.amount));
        const row = page.locator('tr', { has: figure(page, `statementOnly.${line.lineId}.amount`) });
        expect(await row.innerText()).toContain(line.direction === 'credit' ? '银收企未收' : '银付企未付');
        expect(await row.innerText()).toContain(line.serial);
      }
      expect(await page.locator('[data-figure^="statementOnly."]').count()).toBe(2);
      expect(await page.locator('[data-figure^="ledgerOnly."]').count()).toBe(0);

      const group = r.amountMismatch[0];
      const key = `amountMismatch.${group.lines[0].lineId}`;
      expect(group.lines[0].amount).toBe(mismatch.amount);
      expect(await text(page, `${key}.line.${group.lines[0].lineId}.amount`)).toBe(money(mismatch.amount));
      expect(await text(page, `${key}.entry.${mismatch.projectId}.${mismatch.entryId}.amount`)).toBe(
        money(mismatch.ledgerAmount!),
      );
      expect(await text(page, `${key}.difference`)).toBe(money(group.difference));

      const a = r.adjustment;
      const fields = [
        'bookBalance',
        'bankBalance',
        'bankCreditedNotBooked',
        'bankDebitedNotBooked',
        'bookedReceiptsNotInBank',
        'bookedPaymentsNotInBank',
        'explainedDifferences',
        'adjustedBookBalance',
        'adjustedBankBalance',
        'difference',
      ] as const;
      for (const field of fields)
        expect([field, await text(page, `adjustment.${field}`)]).toEqual([field, money(a[field])]);
      expect(a.balanced).toBe(false);
      expect(await text(page, 'adjustment.result')).toBe('不符');

      // Another month, picked on the page: before the fee and the missing receipt, only the mismatch.
      await page.getByLabel('对账月份').fill('2023-01');
      await page.getByLabel('对账月份').press('Enter');
      await page.locator('[data-figure="reconciliation.statementOnly"]', { hasText: /^0$/ }).waitFor();
      expect(page.url()).toContain('month=2023-01');
      const jan = await ctx.demo.get<Reconciliation>(
        '/api/bank-accounts/ZH-01/reconciliation?month=2023-01',
        'finance',
      );
      expect(await text(page, 'reconciliation.amountMismatch')).toBe(String(jan.amountMismatch.length));
      expect(await text(page, 'adjustment.adjustedBookBalance')).toBe(money(jan.adjustment.adjustedBookBalance));

      // The downloads: the exceptions as CSV (with the planted lines), the workbook as xlsx.
      await page.getByLabel('对账月份').fill(month);
      await page.getByLabel('对账月份').press('Enter');
      await page.locator('[data-figure="reconciliation.statementOnly"]', { hasText: /^2$/ }).waitFor();
      const csv = await downloadOf(page, `下载${month} 银行对账（CSV（UTF-8））`);
      expect(csv.suggestedFilename()).toMatch(/\.csv$/);
      const content = (await bytesOf(csv)).toString('utf8');
      for (const d of planted) expect(content).toContain(d.serial);
      expect(content).toContain('银付企未付');
      const xlsx = await downloadOf(page, `下载${month} 银行对账（Excel（xlsx））`);
      expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
      expect((await bytesOf(xlsx)).subarray(0, 4).toString('binary')).toBe('PK\u0003\u0004');
    });

    it('shows a balanced 调节表 where nothing was planted, and the accounts masked as the API masks them for an auditor', async () => {
      const r = await ctx.demo.get<Reconciliation>('/api/bank-accounts/ZH-02/reconciliation?month=2023-06', 'auditor');
      expect(r.adjustment.balanced).toBe(true);
      const page = await ctx.signedIn('auditor', '#/reconciliation/ZH-02?month=2023-06');
      expect(await text(page, 'adjustment.result')).toBe('相符');
      expect(await text(page, 'adjustment.difference')).toBe(money(r.adjustment.difference));
      expect(await text(page, 'adjustment.bankBalance')).toBe(money(r.adjustment.bankBalance));

      const accounts = await ctx.demo.get<{ accountId: string; accountNo: string }[]>('/api/bank-accounts', 'auditor');
      await page.getByRole('link', { name: '全部银行账户' }).click();
      const zh01 = accounts.find((x) => x.accountId === 'ZH-01')!;
      expect(zh01.accountNo).toMatch(/^\*{4}\d{4}$/);
      expect(await text(page, 'account.ZH-01.accountNo')).toBe(zh01.accountNo);
    });

    it("shows the treasury's reconciliation with the payment the ledger has not booked", async () => {
      const planted = ctx.demo.district.statements.differences.filter((d) => d.accountId === null);
      expect(planted.length).toBe(1);
      const month = planted[0].date.slice(0, 7);
      const r = await ctx.demo.get<TreasuryReconciliation>(
        `/api/treasury-files/reconciliation?month=${month}`,
        'finance',
      );
      expect(r.fileOnly.map((l) => l.voucher)).toEqual([planted[0].serial]);
      const page = await ctx.signedIn('finance', `#/reconciliation?month=${month}`);
      expect(await text(page, 'treasury.fileOnly')).toBe('1');
      expect(await text(page, `treasury.fileOnly.${r.fileOnly[0].lineId}.amount`)).toBe(money(planted[0].amount));
      expect(await text(page, 'treasury.amountMismatch')).toBe('0');
    });

    it('gives a viewer neither page: no link, and #/batches shows no ledger', async () => {
      const page = await ctx.signedIn('viewer', '#/batches');
      await page.getByRole('alert').filter({ hasText: '没有这个页面' }).waitFor();
      expect(await page.getByRole('link', { name: '资金下达台账' }).count()).toBe(0);
      expect(await page.getByRole('link', { name: '银行对账' }).count()).toBe(0);
      expect(await page.locator('[data-figure]').count()).toBe(0);
      await page.goto(`${ctx.demo.baseUrl}/#/reconciliation/ZH-01?month=2023-04`);
      await page.getByRole('alert').filter({ hasText: '没有这个页面' }).waitFor();
      expect(await page.locator('[data-figure]').count()).toBe(0);
    });

    // Last: it writes (a manual match on ZH-01), after the tests above have read the planted state.
    it('shows the 调节表 balanced without a reload once finance explains the amount mismatch through the API', async () => {
      const month = '2023-04';
      const before = await ctx.demo.get<Reconciliation>(
        `/api/bank-accounts/ZH-01/reconciliation?month=${month}`,
        'finance',
      );
      expect(before.adjustment.balanced).toBe(false);
      const group = before.amountMismatch[0];
      const page = await ctx.signedIn('finance', `#/reconciliation/ZH-01?month=${month}`);
      expect(await text(page, 'adjustment.result')).toBe('不符');
      await page.locator('.live.on').waitFor();
      const res = await ctx.demo.post(
        '/api/bank-accounts/ZH-01/matches',
        {
          matchId: 'browser-manual-1',
          decision: 'manual',
          lineIds: group.lines.map((l) => l.lineId),
          entries: group.entries.map((e) => ({ projectId: e.projectId, entryId: e.entryId })),
          reason: '账面将到账金额误记，待冲正后重记',
        },
        'finance',
        'browser-manual-1',
      );
      expect(res.status).toBe(201);
      await page.locator('[data-figure="adjustment.result"]', { hasText: '相符' }).waitFor();
      const after = await ctx.demo.get<Reconciliation>(
        `/api/bank-accounts/ZH-01/reconciliation?month=${month}`,
        'finance',
      );
      expect(after.adjustment.balanced).toBe(true);
      expect(await text(page, 'adjustment.explainedDifferences')).toBe(money(after.adjustment.explainedDifferences));
      expect(await text(page, 'adjustment.difference')).toBe(money(after.adjustment.difference));
      expect(await text(page, 'reconciliation.amountMismatch')).toBe('0');
    });
  });
}
