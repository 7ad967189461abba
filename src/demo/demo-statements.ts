/**
 * The demo's bank side (issue 18, point 9): one special account (专户) per town serving its
 * projects, and its monthly statements as the bank exports them (GBK CSV, a title, the account and
 * the period above the header, a 合计 row and a note below), from the first month money moved to
 * the demo's last; with a few differences planted for the reconciliation to find
 * (DEMO_RECONCILIATION_DIFFERENCES), and nothing else to find.
 *
 * A statement line is the bank's side of a ledger receipt or payment of the town's projects: the
 * same day, the amount net of its reversals (one fully reversed never reached the bank), the payer
 * or payee as counterparty, and as 流水号 the receipt's reference or the payment's voucher, where
 * that is the only entry of the town holding it (else the bank's own serial, and the line is
 * matched by amount, date and counterparty). Contributions in kind (labour, donated goods) never
 * pass through a bank: they have no line.
 *
 * The treasury's side, its direct payments and its payment file, is demo-treasury.ts's.
 *
 * Pure and deterministic: the same district gives the same files, byte for byte.
 */
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import { fundingSource } from '../project/funding-sources';
import { groupBy } from '../shared/group-by';
import { Fen, fenOfStored, formatFen } from '../shared/money/money';
import type { DemoReconciliationDifference, DemoRequest } from './demo-units';

export type { DemoDifferenceKind, DemoReconciliationDifference } from './demo-units';
import { DEMO_LAST_DAY } from './demo-units';
import { readableFen } from '../shared/money/money';
import { DemoTreasuryFile, DemoTreasuryPayment, treasuryFile } from './demo-treasury';

export interface DemoBankAccount {
  accountId: string;
  name: string;
  bank: string;
  accountNo: string;
  town: string;
  projectIds: string[];
}

/** One month's statement of one account, GBK-encoded, as the demo writes it under DATA_DIR/demo-statements/. */
export interface DemoStatementFile {
  accountId: string;
  /** YYYY-MM */
  month: string;
  fileName: string;
  bytes: Buffer;
  lines: number;
}

export interface DemoStatements {
  accounts: DemoBankAccount[];
  /** Each account's monthly statements, oldest first. */
  files: DemoStatementFile[];
  /** The district's treasury direct payments, and the treasury's payment file for the last year (demo-treasury.ts). */
  treasuryPayments: DemoTreasuryPayment[];
  treasuryFile: DemoTreasuryFile;
  /** What is planted for the reconciliations to find, by date: DEMO_RECONCILIATION_DIFFERENCES for the demo's seed. */
  differences: DemoReconciliationDifference[];
}

/**
 * What the demo (DEMO_SEED) plants for the reconciliations to find, by date; `generateDemoDistrict(seed)
 * .statements.differences` says the same for any seed (a spec holds the two together). In the
 * busiest town account (ZH-01, 梓潼街道): a receipt keyed wrong in the ledger, a bank fee, a receipt
 * the ledger lacks; in the treasury's payment file: a direct payment the ledger has not booked.
 */
export const DEMO_RECONCILIATION_DIFFERENCES: readonly DemoReconciliationDifference[] = [
  {
    kind: 'amountMismatch',
    accountId: 'ZH-01',
    date: '2023-01-14',
    amount: '11060.00',
    serial: '潼南农商行改造资金专户进账单 2023-01-14-15',
    projectId: 'TN2022-001',
    entryId: 'R-040',
    ledgerAmount: '11600.00',
    what: 'receipt R-040 keyed as 11,600.00; the bank credited 11,060.00',
  },
  {
    kind: 'statementOnly',
    accountId: 'ZH-01',
    date: '2023-03-23',
    amount: '25.00',
    serial: 'NS202303230100035',
    what: 'a bank fee (跨行转账手续费) the ledger has no payment for',
  },
  {
    kind: 'statementOnly',
    accountId: 'ZH-01',
    date: '2023-04-16',
    amount: '38600.00',
    serial: 'NS202304160100036',
    what: 'a receipt from 重庆市潼南区财政局 (老旧小区改造以奖代补资金) the ledger lacks',
  },
  {
    kind: 'fileOnly',
    accountId: null,
    date: '2023-12-29',
    amount: '48600.00',
    serial: '国库集中支付凭证 2023-9001',
    what: 'a treasury direct payment to 重庆双江古镇建设有限公司 (渝财建〔2022〕69号) the ledger has not booked',
  },
];

/** The bank the towns' special accounts are kept with. */
export const DEMO_BANK = '重庆农村商业银行潼南支行';

/** The reference of a donation in kind (demo-district.ts): goods accepted, never money through a bank. */
export const IN_KIND_DONATION_REFERENCE = '捐赠物资验收单';

interface Entry {
  projectId: string;
  entryId: string;
  kind: 'receipt' | 'payment';
  date: string;
  fen: Fen;
  reference: string;
  counterparty: string;
  inKind: boolean;
}

interface Line {
  date: string;
  direction: 'credit' | 'debit';
  fen: Fen;
  serial: string;
  counterparty: string;
  memo: string;
}

/** The ledger's receipts and payments of the district, net of their reversals, in load order. */
function entriesOf(requests: readonly DemoRequest[]): Entry[] {
  const entries = new Map<string, Entry>();
  for (const r of requests) {
    if (r.batchId !== undefined) continue;
    const route = r.path.split('/').pop();
    const b = r.body;
    if (route === 'receipts' || route === 'disbursements') {
      const receipt = route === 'receipts';
      const entryId = (receipt ? b.receiptId : b.paymentId) as string;
      entries.set(`${r.projectId}/${entryId}`, {
        projectId: r.projectId,
        entryId,
        kind: receipt ? 'receipt' : 'payment',
        date: (receipt ? b.receivedOn : b.paidOn) as string,
        fen: fenOfStored(b.amount as string),
        reference: (receipt ? b.reference : b.voucher) as string,
        counterparty: (receipt ? b.payer : b.payee) as string,
        inKind:
          receipt &&
          (fundingSource(b.source as string)?.inKind === true ||
            (b.reference as string).startsWith(IN_KIND_DONATION_REFERENCE)),
      });
    } else if (route === 'reversals') {
      const entry = entries.get(`${r.projectId}/${b.entryId as string}`);
      // Pledges are reversed too; they move no money. A reversal of a reversal the demo never makes.
      if (entry === undefined) {
        if (/^X-/.test(b.entryId as string)) throw new Error(`demo: ${r.projectId} reverses a reversal`);
        continue;
      }
      entry.fen -= b.amount === undefined ? entry.fen : fenOfStored(b.amount as string);
    }
  }
  return [...entries.values()].filter((e) => e.fen > 0n);
}

/** "11600.00" → "11060.00": the last two differing neighbouring digits of the yuan swapped, a keyboard slip. */
function transposed(fen: Fen): Fen {
  const [yuan, cents] = formatFen(fen).split('.');
  for (let i = yuan.length - 2; i >= 0; i--) {
    if (yuan[i] !== yuan[i + 1]) {
      const swapped = yuan.slice(0, i) + yuan[i + 1] + yuan[i] + yuan.slice(i + 2);
      return fenOfStored(`${swapped}.${cents}`);
    }
  }
  return fen + 100_00n;
}

const monthOf = (date: string) => date.slice(0, 7);
const yearOf = (date: string) => date.slice(0, 4);

/**
 * The towns' accounts, their statements, and the planted differences: in the account with the
 * most lines in the demo's last year, one receipt keyed wrong in the ledger (the bank has the
 * right amount), one receipt the ledger lacks, and one bank fee.
 */
export function demoStatements(
  requests: readonly DemoRequest[],
  projects: readonly { projectId: string; town: string }[],
  treasuryPayments: DemoTreasuryPayment[],
): DemoStatements {
  const entries = entriesOf(requests);
  const towns = [...new Set(projects.map((p) => p.town))];
  const built = towns
    .map((town) => {
      const projectIds = projects.filter((p) => p.town === town).map((p) => p.projectId);
      const own = entries.filter((e) => projectIds.includes(e.projectId));
      return { town, projectIds, entries: own };
    })
    .filter((t) => t.entries.length > 0);

  const accounts: DemoBankAccount[] = built.map((t, i) => ({
    accountId: `ZH-${String(i + 1).padStart(2, '0')}`,
    name: `${t.town}老旧小区改造资金专户`,
    bank: DEMO_BANK,
    accountNo: `3105 0101 04${String(i + 1).padStart(2, '0')} ${String(20211125 + i * 7919).slice(-6)}`,
    town: t.town,
    projectIds: t.projectIds,
  }));

  const last = yearOf(DEMO_LAST_DAY);
  const linesOf = built.map((t, i) => {
    const cash = t.entries.filter((e) => !e.inKind);
    const held = new Map<string, number>();
    for (const e of cash) held.set(`${e.kind}|${e.reference}`, (held.get(`${e.kind}|${e.reference}`) ?? 0) + 1);
    let serial = 0;
    const bankSerial = (date: string) =>
      `NS${date.replace(/-/g, '')}${String(i + 1).padStart(2, '0')}${String(++serial).padStart(5, '0')}`;
    const lines = cash.map((e): Line & { entry: Entry } => ({
      date: e.date,
      direction: e.kind === 'receipt' ? 'credit' : 'debit',
      fen: e.fen,
      serial: held.get(`${e.kind}|${e.reference}`) === 1 ? e.reference : bankSerial(e.date),
      counterparty: e.counterparty,
      memo: e.kind === 'receipt' ? '资金到账' : '转账支付',
      entry: e,
    }));
    return { lines: lines as (Line & { entry?: Entry })[], bankSerial };
  });

  // The planted differences, in the account busiest in the demo's last year.
  const busiest = linesOf.reduce(
    (best, a, i) =>
      a.lines.filter((l) => yearOf(l.date) === last).length >
      linesOf[best].lines.filter((l) => yearOf(l.date) === last).length
        ? i
        : best,
    0,
  );
  const { lines, bankSerial } = linesOf[busiest];
  const accountId = accounts[busiest].accountId;
  const lastYear = lines.filter((l) => yearOf(l.date) === last).sort((a, b) => a.date.localeCompare(b.date));
  if (lastYear.length < 3) throw new Error(`demo: no account has lines enough in ${last} for the planted differences`);
  const differences: DemoReconciliationDifference[] = [];
  const keyed = lastYear.find(
    (l) => l.entry?.kind === 'receipt' && l.serial === l.entry.reference && l.fen >= 10_000_00n,
  );
  if (keyed === undefined) throw new Error(`demo: no receipt of ${last} to key wrong`);
  const booked = keyed.fen;
  keyed.fen = transposed(booked);
  differences.push({
    kind: 'amountMismatch',
    accountId,
    date: keyed.date,
    amount: formatFen(keyed.fen),
    serial: keyed.serial,
    projectId: keyed.entry!.projectId,
    entryId: keyed.entry!.entryId,
    ledgerAmount: formatFen(booked),
    what: `receipt ${keyed.entry!.entryId} keyed as ${readableFen(booked)}; the bank credited ${readableFen(keyed.fen)}`,
  });
  const feeDay = lastYear[Math.floor(lastYear.length / 3)].date;
  const fee: Line = {
    date: feeDay,
    direction: 'debit',
    fen: 25_00n,
    serial: bankSerial(feeDay),
    counterparty: DEMO_BANK,
    memo: '跨行转账手续费',
  };
  const lackingDay = lastYear[Math.floor((lastYear.length * 2) / 3)].date;
  const lacking: Line = {
    date: lackingDay,
    direction: 'credit',
    fen: 38_600_00n,
    serial: bankSerial(lackingDay),
    counterparty: '重庆市潼南区财政局',
    memo: '老旧小区改造以奖代补资金',
  };
  lines.push(fee, lacking);
  differences.push(
    {
      kind: 'statementOnly',
      accountId,
      date: fee.date,
      amount: formatFen(fee.fen),
      serial: fee.serial,
      what: `a bank fee (${fee.memo}) the ledger has no payment for`,
    },
    {
      kind: 'statementOnly',
      accountId,
      date: lacking.date,
      amount: formatFen(lacking.fen),
      serial: lacking.serial,
      what: `a receipt from ${lacking.counterparty} (${lacking.memo}) the ledger lacks`,
    },
  );
  const treasury = treasuryFile(treasuryPayments);
  differences.push(treasury.difference);
  differences.sort((a, b) => a.date.localeCompare(b.date));

  const files = built.flatMap((t, i) => statementFiles(accounts[i], linesOf[i].lines));
  return { accounts, files, treasuryPayments, treasuryFile: treasury.file, differences };
}

/**
 * The account's monthly statements, oldest first: each day's credits before its debits (money in
 * before it goes out), the running balance from an account opened empty.
 */
function statementFiles(account: DemoBankAccount, lines: readonly Line[]): DemoStatementFile[] {
  const sorted = lines
    .map((l, i) => ({ l, i }))
    .sort(
      (a, b) =>
        a.l.date.localeCompare(b.l.date) ||
        (a.l.direction === b.l.direction ? 0 : a.l.direction === 'credit' ? -1 : 1) ||
        a.i - b.i,
    )
    .map(({ l }) => l);
  const serials = new Set(sorted.map((l) => l.serial));
  if (serials.size !== sorted.length) throw new Error(`demo: ${account.accountId} repeats a 流水号`);
  let balance = 0n;
  const files: DemoStatementFile[] = [];
  for (const [month, ofMonth] of groupBy(sorted, (l) => monthOf(l.date))) {
    let credits = 0n;
    let debits = 0n;
    const rows = ofMonth.map((l) => {
      balance += l.direction === 'credit' ? l.fen : -l.fen;
      if (l.direction === 'credit') credits += l.fen;
      else debits += l.fen;
      const amount = readableFen(l.fen);
      return [
        l.date,
        l.serial,
        l.memo,
        l.direction === 'credit' ? amount : '',
        l.direction === 'debit' ? amount : '',
        readableFen(balance),
        l.counterparty,
        '',
      ];
    });
    const end = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).toISOString().slice(0, 10);
    const text = stringify(
      [
        ['重庆农村商业银行账户交易明细'],
        [`账号：${account.accountNo.replace(/\s/g, '')}，户名：${account.name}`],
        [`起止日期：${month}-01 至 ${end}`],
        ['交易日期', '交易流水号', '摘要', '收入金额', '支出金额', '余额', '对方户名', '对方账号'],
        ...rows,
        ['合计', '', '', readableFen(credits), readableFen(debits), '', '', ''],
        ['本明细仅供参考，以银行记账为准'],
      ],
      { record_delimiter: 'windows' },
    );
    files.push({
      accountId: account.accountId,
      month,
      fileName: `${account.accountId}-${month}.csv`,
      bytes: iconv.encode(text, 'gbk'),
      lines: rows.length,
    });
  }
  return files;
}
