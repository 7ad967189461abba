/**
 * 银行对账, issue 19 point 4. `#/reconciliation`: the bank accounts (GET /api/bank-accounts, the
 * account number as the API gives it to the role) and the treasury's reconciliation (国库集中支付,
 * GET /api/treasury-files/reconciliation). `#/reconciliation/:accountId`: one account's
 * reconciliation for a month (GET /api/bank-accounts/:id/reconciliation?month=YYYY-MM): the
 * matched count, the exceptions in the 银行存款余额调节表's terms, the 调节表 itself, and the
 * downloads (xlsx, csv, csv in GBK). The month is in the hash query (`?month=YYYY-MM`); without
 * one it is the as-of date's month, else the month of the account's latest statement line. The
 * reconciliation reads take no `asOf` (the month's last day is their as-of date), so the as-of
 * date picks the month and bounds the picker. Reloads on a live change of a bank account, a
 * project (its receipts and payments are the ledger's side) and, for the treasury, the treasury
 * file and the fund batches (their 下达文号).
 *
 * data-figure keys (each on the element holding the formatted value):
 * - index: `account.<accountId>.<field>` for accountNo, lineCount, balance, balanceOn
 * - account: `reconciliation.matched` (matches in the month), `reconciliation.statementOnly`,
 *   `reconciliation.ledgerOnly`, `reconciliation.amountMismatch` (how many of each);
 *   `statementOnly.<lineId>.amount`, `ledgerOnly.<projectId>.<entryId>.amount`,
 *   `amountMismatch.<first lineId>.difference`, `amountMismatch.<first lineId>.line.<lineId>.amount`,
 *   `amountMismatch.<first lineId>.entry.<projectId>.<entryId>.amount`;
 *   `adjustment.<field>` for bookBalance, bankBalance, bankCreditedNotBooked, bankDebitedNotBooked,
 *   bookedReceiptsNotInBank, bookedPaymentsNotInBank, explainedDifferences, adjustedBookBalance,
 *   adjustedBankBalance, difference, and `adjustment.result` (相符 / 不符)
 * - treasury: `treasury.matched`, `treasury.fileOnly`, `treasury.ledgerOnly`,
 *   `treasury.amountMismatch`, `treasury.docNoMismatch` (how many); `treasury.fileOnly.<lineId>.amount`,
 *   `treasury.ledgerOnly.<projectId>.<paymentId>.amount`, `treasury.amountMismatch.<lineId>.difference`,
 *   `treasury.docNoMismatch.<lineId>.docNo`
 */
import type { StatementLine } from '../../../src/bank-account/bank-account.events';
import type { Adjustment, LedgerItem, MatchedGroup, Reconciliation } from '../../../src/bank-account/reconciliation';
import type { TreasuryReconciliation } from '../../../src/treasury-file/treasury-reconciliation';
import { getJson } from '../api';
import { Loading, Section } from '../components';
import { DateField } from '../date-field';
import { Downloads } from '../downloads';
import { Heads, ListSection, Money, Tally, num } from './bureau-parts';
import { count, day, yuan } from '../format';
import { LiveChange } from '../live';
import { useLoad } from '../load';
import { Route, asOfOf, href, navigate } from '../router';
import { Actor } from '../session';
import './bureau.css';

/**
 * The JSON of the reconciliation reads is the service's own types (type-only imports: nothing of
 * the service is bundled); an account as GET /api/bank-accounts lists it is written out here.
 */
interface BankAccount {
  accountId: string;
  name: string;
  bank: string;
  accountNo: string;
  projectIds: string[];
  lineCount: number;
  balance: string | null;
  balanceOn: string | null;
  matchDecisions: number;
}

const BASIS: Record<string, string> = {
  reference: '流水号与凭证号一致',
  'amount-date-counterparty': '金额、日期、对方户名一致',
  confirmed: '人工确认',
  manual: '人工匹配（已说明差异）',
  voucher: '支付凭证号一致',
  'amount-date-payee': '金额、日期、收款人一致',
};

const isYearMonth = (value: string | null | undefined): value is string => !!value && /^\d{4}-\d{2}$/.test(value);

function thisMonth(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

/** The month picked in the hash query, else the as-of date's, else `fallback`. */
function monthOf(route: Route, fallback: string): string {
  const picked = route.query.get('month');
  if (isYearMonth(picked)) return picked;
  const asOf = asOfOf(route);
  return asOf ? asOf.slice(0, 7) : fallback;
}

export function ReconciliationPage({ accountId, route }: { accountId?: string; route: Route; actor: Actor }) {
  return accountId === undefined ? <AccountsPage route={route} /> : <AccountPage accountId={accountId} route={route} />;
}

function MonthPicker({ route, month, id }: { route: Route; month: string; id: string }) {
  const asOf = asOfOf(route);
  const pick = (value: string) => {
    const query: Record<string, string | undefined> = {};
    route.query.forEach((v, k) => (query[k] = v));
    query.month = isYearMonth(value) ? value : undefined;
    navigate(route.path, query);
  };
  return (
    <span class="month-picker">
      <DateField
        id={id}
        label="对账月份"
        kind="month"
        value={month}
        max={asOf ? asOf.slice(0, 7) : thisMonth()}
        onCommit={pick}
      />
    </span>
  );
}

const movesAccounts = (change: LiveChange) => change.category === 'bank-account';

function AccountsPage({ route }: { route: Route }) {
  const accounts = useLoad(() => getJson<BankAccount[]>('/api/bank-accounts'), [], movesAccounts);
  return (
    <>
      <h1 class="page-title">银行对账</h1>
      <Section title="银行账户">
        <Loading loaded={accounts}>
          {(list) =>
            list.length === 0 ? (
              <p>还没有登记银行账户。</p>
            ) : (
              <div class="table-wrap">
                <table>
                  <caption class="sr-only">银行账户，选择账户查看对账</caption>
                  <Heads
                    cols={[
                      '账户',
                      '开户银行',
                      '账号',
                      num('服务项目数'),
                      num('已导入流水'),
                      num('最新余额'),
                      '余额日期',
                    ]}
                  />
                  <tbody>
                    {list.map((a) => (
                      <tr key={a.accountId}>
                        <th scope="row">
                          <a href={href(`/reconciliation/${encodeURIComponent(a.accountId)}`)}>
                            {a.accountId} {a.name}
                          </a>
                        </th>
                        <td>{a.bank}</td>
                        <td data-figure={`account.${a.accountId}.accountNo`}>{a.accountNo}</td>
                        <td class="num">{count(a.projectIds.length)}</td>
                        <td class="num" data-figure={`account.${a.accountId}.lineCount`}>
                          {count(a.lineCount)}
                        </td>
                        <Money value={a.balance} figure={`account.${a.accountId}.balance`} />
                        <td data-figure={`account.${a.accountId}.balanceOn`}>{day(a.balanceOn)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )
          }
        </Loading>
      </Section>
      <Treasury route={route} />
    </>
  );
}

const movesAccount = (change: LiveChange) => change.category === 'bank-account' || change.category === 'project';

function AccountPage({ accountId, route }: { accountId: string; route: Route }) {
  const path = `/api/bank-accounts/${encodeURIComponent(accountId)}`;
  const account = useLoad(() => getJson<BankAccount>(path), [path], movesAccount);
  return (
    <>
      <p>
        <a href={href('/reconciliation')}>← 全部银行账户</a>
      </p>
      <Loading loaded={account}>
        {(a) => {
          const month = monthOf(route, a.balanceOn ? a.balanceOn.slice(0, 7) : thisMonth());
          return (
            <>
              <h1 class="page-title">
                银行对账：{a.name}
                <span class="muted">
                  （{a.bank}，账号 <span data-figure={`account.${a.accountId}.accountNo`}>{a.accountNo}</span>）
                </span>
              </h1>
              <AccountReconciliation accountId={a.accountId} month={month} route={route} />
            </>
          );
        }}
      </Loading>
    </>
  );
}

function AccountReconciliation({ accountId, month, route }: { accountId: string; month: string; route: Route }) {
  const path = `/api/bank-accounts/${encodeURIComponent(accountId)}/reconciliation`;
  const loaded = useLoad(() => getJson<Reconciliation>(path, { month }), [path, month], movesAccount);
  return (
    <>
      <Section
        title={`${month} 对账结果`}
        actions={
          <>
            <MonthPicker route={route} month={month} id="reconciliation-month" />
            <Downloads path={path} query={{ month }} label={`${month} 银行对账`} />
          </>
        }
      >
        <Loading loaded={loaded}>
          {(r) => (
            <>
              <dl class="figures">
                <Tally label="本月已核对相符" figure="reconciliation.matched" items={r.matched} unit="组" />
                <Tally
                  label="银行已记账面未记"
                  figure="reconciliation.statementOnly"
                  items={r.statementOnly}
                  unit="笔"
                />
                <Tally label="账面已记银行未记" figure="reconciliation.ledgerOnly" items={r.ledgerOnly} unit="笔" />
                <Tally label="金额不符" figure="reconciliation.amountMismatch" items={r.amountMismatch} unit="组" />
              </dl>
              <p class="hint">
                截至 {day(r.adjustment.asOf)}
                ；未达账项为截至月末仍未对上的全部记录。自动匹配：流水号与凭证号一致，或金额、方向、对方户名一致且日期相差不超过{' '}
                {r.windowDays} 天。
              </p>
            </>
          )}
        </Loading>
      </Section>
      <Loading loaded={loaded}>
        {(r) => (
          <>
            <AdjustmentTable adjustment={r.adjustment} />
            <StatementOnly lines={r.statementOnly} />
            <LedgerOnly items={r.ledgerOnly} />
            <AmountMismatch groups={r.amountMismatch} />
          </>
        )}
      </Loading>
    </>
  );
}

/** 银行存款余额调节表: the book side beside the bank side, as it is printed. */
/** An amount of the 调节表. */
type AdjustmentAmount = Exclude<keyof Adjustment, 'asOf' | 'balanced'>;

/** The 调节表's two sides, each a list of rows (label, field) ending with its adjusted balance. */
const BOOK_SIDE: readonly [string, AdjustmentAmount][] = [
  ['银行存款日记账余额', 'bookBalance'],
  ['加：银行已收、企业未收（银收企未收）', 'bankCreditedNotBooked'],
  ['减：银行已付、企业未付（银付企未付）', 'bankDebitedNotBooked'],
  ['加：已说明的金额差异', 'explainedDifferences'],
  ['调节后的银行存款日记账余额', 'adjustedBookBalance'],
];
const BANK_SIDE: readonly [string, AdjustmentAmount][] = [
  ['银行对账单余额', 'bankBalance'],
  ['加：企业已收、银行未收（企收银未收）', 'bookedReceiptsNotInBank'],
  ['减：企业已付、银行未付（企付银未付）', 'bookedPaymentsNotInBank'],
  ['调节后的银行对账单余额', 'adjustedBankBalance'],
];

/**
 * 银行存款余额调节表: the book side beside the bank side, as it is printed (one above the other
 * on a phone), then the result.
 */
function AdjustmentTable({ adjustment: a }: { adjustment: Adjustment }) {
  const side = (title: string, rows: readonly [string, AdjustmentAmount][]) => (
    <div class="table-wrap">
      <table class="adjustment">
        <caption>
          {title}（截至 {day(a.asOf)}，金额单位：元）
        </caption>
        <Heads cols={['项目', num('金额')]} />
        <tbody>
          {rows.slice(0, -1).map(([label, field]) => (
            <tr key={field}>
              <th scope="row">{label}</th>
              <Money value={a[field]} figure={`adjustment.${field}`} />
            </tr>
          ))}
        </tbody>
        <tfoot>
          {rows.slice(-1).map(([label, field]) => (
            <tr key={field}>
              <th scope="row">{label}</th>
              <Money value={a[field]} figure={`adjustment.${field}`} />
            </tr>
          ))}
        </tfoot>
      </table>
    </div>
  );
  return (
    <Section title="银行存款余额调节表">
      <div class="grid">
        {side('企业账面（银行存款日记账）', BOOK_SIDE)}
        {side('银行对账单', BANK_SIDE)}
      </div>
      <p class={a.balanced ? 'result ok' : 'result severity-high'} role="status">
        调节结果：<strong data-figure="adjustment.result">{a.balanced ? '相符' : '不符'}</strong>
        ，差额（调节后银行减调节后账面）<span data-figure="adjustment.difference">{yuan(a.difference)}</span> 元
        {a.balanced ? null : '：尚未说明的金额不符，见下方“金额不符”。'}
      </p>
    </Section>
  );
}

function StatementOnly({ lines }: { lines: StatementLine[] }) {
  return (
    <ListSection
      title="银行已记账面未记（银收企未收、银付企未付）"
      caption="银行已记账面未记的对账单记录，金额单位：元"
      cols={['类别', '日期', num('金额'), '对方户名', '摘要', '流水号', num('对账单行号')]}
      empty={lines.length === 0}
    >
      <tbody>
        {lines.map((l) => (
          <tr key={l.lineId}>
            <th scope="row">{l.direction === 'credit' ? '银收企未收' : '银付企未付'}</th>
            <td>{day(l.date)}</td>
            <Money value={l.amount} figure={`statementOnly.${l.lineId}.amount`} />
            <td>{l.counterparty}</td>
            <td>{l.memo}</td>
            <td>{l.serial}</td>
            <td class="num">{l.row}</td>
          </tr>
        ))}
      </tbody>
    </ListSection>
  );
}

function LedgerOnly({ items }: { items: LedgerItem[] }) {
  return (
    <ListSection
      title="账面已记银行未记（企收银未收、企付银未付）"
      caption="账面已记银行未记的收款和付款，金额单位：元"
      cols={['类别', '日期', num('金额'), '项目', '账面记录编号', '对方户名', '流水号/凭证号']}
      empty={items.length === 0}
    >
      <tbody>
        {items.map((e) => (
          <tr key={`${e.projectId}/${e.entryId}`}>
            <th scope="row">{e.kind === 'receipt' ? '企收银未收' : '企付银未付'}</th>
            <td>{day(e.date)}</td>
            <Money value={e.amount} figure={`ledgerOnly.${e.projectId}.${e.entryId}.amount`} />
            <td>
              <ProjectLink projectId={e.projectId} />
            </td>
            <td>{e.entryId}</td>
            <td>{e.counterparty}</td>
            <td>{e.reference}</td>
          </tr>
        ))}
      </tbody>
    </ListSection>
  );
}

function AmountMismatch({ groups }: { groups: MatchedGroup[] }) {
  return (
    <ListSection
      title="金额不符"
      caption="金额不符：同一笔款项银行与账面金额不同，金额单位：元"
      cols={['来源', '日期', num('金额'), '项目 / 账面记录编号', '对方户名', '流水号/凭证号', '匹配依据']}
      empty={groups.length === 0}
    >
      {groups.map((g) => {
        const key = `amountMismatch.${g.lines[0]?.lineId ?? g.entries[0]?.entryId ?? ''}`;
        return (
          <tbody key={key} class="group">
            {g.lines.map((l) => (
              <tr key={l.lineId}>
                <th scope="row">银行对账单</th>
                <td>{day(l.date)}</td>
                <Money value={l.amount} figure={`${key}.line.${l.lineId}.amount`} />
                <td class="muted">对账单第 {l.row} 行</td>
                <td>{l.counterparty}</td>
                <td>{l.serial}</td>
                <td>{BASIS[g.basis] ?? g.basis}</td>
              </tr>
            ))}
            {g.entries.map((e) => (
              <tr key={`${e.projectId}/${e.entryId}`}>
                <th scope="row">账面</th>
                <td>{day(e.date)}</td>
                <Money value={e.amount} figure={`${key}.entry.${e.projectId}.${e.entryId}.amount`} />
                <td>
                  <ProjectLink projectId={e.projectId} /> {e.entryId}
                </td>
                <td>{e.counterparty}</td>
                <td>{e.reference}</td>
                <td>{BASIS[g.basis] ?? g.basis}</td>
              </tr>
            ))}
            <tr class="difference">
              <th scope="row">差额（银行减账面）</th>
              <td />
              <Money value={g.difference} figure={`${key}.difference`} warn />
              <td colSpan={4}>{g.reason ?? ''}</td>
            </tr>
          </tbody>
        );
      })}
    </ListSection>
  );
}

function ProjectLink({ projectId }: { projectId: string }) {
  return <a href={href(`/projects/${encodeURIComponent(projectId)}`)}>{projectId}</a>;
}

const movesTreasury = (change: LiveChange) =>
  change.category === 'treasury-files' || change.category === 'project' || change.category === 'fundbatch';

/** 国库集中支付对账: the treasury's payment file against the ledger's treasury direct payments. */
function Treasury({ route }: { route: Route }) {
  const month = monthOf(route, thisMonth());
  const loaded = useLoad(
    () => getJson<TreasuryReconciliation>('/api/treasury-files/reconciliation', { month }),
    [month],
    movesTreasury,
  );
  return (
    <Section
      title={`国库集中支付对账（${month}）`}
      actions={
        <>
          <MonthPicker route={route} month={month} id="treasury-month" />
          <Downloads path="/api/treasury-files/reconciliation" query={{ month }} label={`${month} 国库集中支付对账`} />
        </>
      }
    >
      <Loading loaded={loaded}>
        {(r) => (
          <>
            <dl class="figures">
              <Tally label="本月已核对相符" figure="treasury.matched" items={r.matched} unit="笔" />
              <Tally label="国库已付账面未记" figure="treasury.fileOnly" items={r.fileOnly} unit="笔" />
              <Tally label="账面已记国库未付" figure="treasury.ledgerOnly" items={r.ledgerOnly} unit="笔" />
              <Tally label="金额不符" figure="treasury.amountMismatch" items={r.amountMismatch} unit="笔" />
              <Tally label="指标文号不符" figure="treasury.docNoMismatch" items={r.docNoMismatch} unit="笔" />
            </dl>
            <p class="hint">
              国库支付明细与账面国库集中支付（直接支付）逐笔核对，截至 {r.month}{' '}
              月末；先按支付凭证号，再按金额、收款人且日期相差不超过 {r.windowDays} 天。
            </p>
            {r.fileOnly.length + r.ledgerOnly.length + r.amountMismatch.length + r.docNoMismatch.length === 0 ? (
              <p>没有差异。</p>
            ) : (
              <div class="table-wrap">
                <table>
                  <caption>国库对账差异，金额单位：元</caption>
                  <Heads
                    cols={[
                      '类别',
                      '支付日期',
                      num('金额'),
                      '支付凭证号',
                      '指标文号',
                      '收款人',
                      '项目 / 账面记录编号',
                      num('差额（国库减账面）'),
                    ]}
                  />
                  <tbody>
                    {r.fileOnly.map((l) => (
                      <tr key={`file-${l.lineId}`}>
                        <th scope="row">国库已付账面未记</th>
                        <td>{day(l.paidOn)}</td>
                        <Money value={l.amount} figure={`treasury.fileOnly.${l.lineId}.amount`} />
                        <td>{l.voucher}</td>
                        <td>{l.docNo}</td>
                        <td>{l.payee}</td>
                        <td class="muted">{l.functionCode}</td>
                        <td />
                      </tr>
                    ))}
                    {r.ledgerOnly.map((p) => (
                      <tr key={`ledger-${p.projectId}-${p.paymentId}`}>
                        <th scope="row">账面已记国库未付</th>
                        <td>{day(p.paidOn)}</td>
                        <Money value={p.amount} figure={`treasury.ledgerOnly.${p.projectId}.${p.paymentId}.amount`} />
                        <td>{p.voucher}</td>
                        <td>{p.docNo}</td>
                        <td>{p.payee}</td>
                        <td>
                          <ProjectLink projectId={p.projectId} /> {p.paymentId}
                        </td>
                        <td />
                      </tr>
                    ))}
                    {r.amountMismatch.map((m) => (
                      <tr key={`amount-${m.lines[0].lineId}`}>
                        <th scope="row">金额不符</th>
                        <td>{day(m.lines[0].paidOn)}</td>
                        <td class="num">
                          {m.lines.map((l) => yuan(l.amount)).join('、')}（账面{' '}
                          {m.payments.map((x) => yuan(x.amount)).join('、')}）
                        </td>
                        <td>{m.lines[0].voucher}</td>
                        <td>{m.lines[0].docNo}</td>
                        <td>{m.lines[0].payee}</td>
                        <td>
                          {m.payments.map((x) => (
                            <span key={x.paymentId}>
                              <ProjectLink projectId={x.projectId} /> {x.paymentId}{' '}
                            </span>
                          ))}
                        </td>
                        <td
                          class="num severity-high"
                          data-figure={`treasury.amountMismatch.${m.lines[0].lineId}.difference`}
                        >
                          {yuan(m.difference)}
                        </td>
                      </tr>
                    ))}
                    {r.docNoMismatch.map((m) => (
                      <tr key={`doc-${m.lines[0].lineId}`}>
                        <th scope="row">指标文号不符</th>
                        <td>{day(m.lines[0].paidOn)}</td>
                        <Money value={m.lines[0].amount} />
                        <td>{m.lines[0].voucher}</td>
                        <td data-figure={`treasury.docNoMismatch.${m.lines[0].lineId}.docNo`}>
                          {m.lines[0].docNo}（账面 {m.payments.map((x) => x.docNo).join('、')}）
                        </td>
                        <td>{m.lines[0].payee}</td>
                        <td>
                          {m.payments.map((x) => (
                            <span key={x.paymentId}>
                              <ProjectLink projectId={x.projectId} /> {x.paymentId}{' '}
                            </span>
                          ))}
                        </td>
                        <Money value={m.difference} />
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </>
        )}
      </Loading>
    </Section>
  );
}
