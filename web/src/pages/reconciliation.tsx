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
import { getJson } from '../api';
import { Loading, Section } from '../components';
import { Downloads } from '../downloads';
import { count, day, yuan } from '../format';
import { LiveChange } from '../live';
import { useLoad } from '../load';
import { Route, asOfOf, href, navigate } from '../router';
import { Actor } from '../session';
import './bureau.css';

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

interface StatementLine {
  lineId: string;
  row: number;
  date: string;
  direction: 'credit' | 'debit';
  amount: string;
  balance: string;
  counterparty: string;
  counterpartyAccount: string;
  memo: string;
  serial: string;
}

interface LedgerItem {
  projectId: string;
  entryId: string;
  kind: 'receipt' | 'payment';
  amount: string;
  date: string;
  reference: string;
  counterparty: string;
}

interface MatchedGroup {
  basis: string;
  matchId?: string;
  reason?: string;
  lines: StatementLine[];
  entries: LedgerItem[];
  difference: string;
}

interface Adjustment {
  asOf: string;
  bookBalance: string;
  bankBalance: string;
  bankCreditedNotBooked: string;
  bankDebitedNotBooked: string;
  bookedReceiptsNotInBank: string;
  bookedPaymentsNotInBank: string;
  explainedDifferences: string;
  adjustedBookBalance: string;
  adjustedBankBalance: string;
  difference: string;
  balanced: boolean;
}

interface Reconciliation {
  month: string;
  windowDays: number;
  matched: MatchedGroup[];
  statementOnly: StatementLine[];
  ledgerOnly: LedgerItem[];
  amountMismatch: MatchedGroup[];
  adjustment: Adjustment;
}

interface TreasuryLine {
  lineId: string;
  row: number;
  voucher: string;
  docNo: string;
  payee: string;
  amount: string;
  paidOn: string;
  functionCode: string;
}

interface TreasuryPayment {
  projectId: string;
  paymentId: string;
  allocationId: string;
  batchId: string;
  amount: string;
  paidOn: string;
  voucher: string;
  payee: string;
  docNo: string;
}

interface TreasuryMatch {
  basis: string;
  line: TreasuryLine;
  payment: TreasuryPayment;
  difference: string;
}

interface TreasuryReconciliation {
  month: string;
  windowDays: number;
  matched: TreasuryMatch[];
  fileOnly: TreasuryLine[];
  ledgerOnly: TreasuryPayment[];
  amountMismatch: TreasuryMatch[];
  docNoMismatch: TreasuryMatch[];
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
      <label for={id}>对账月份</label>
      <input
        id={id}
        type="month"
        value={month}
        max={asOf ? asOf.slice(0, 7) : thisMonth()}
        onChange={(e) => pick((e.target as HTMLInputElement).value)}
      />
    </span>
  );
}

const movesAccounts = (change: LiveChange) => change.category === 'bank-account';

function AccountsPage({ route }: { route: Route }) {
  const accounts = useLoad(() => getJson<BankAccount[]>('/api/bank-accounts'), [], movesAccounts);
  return (
    <>
      <h2 class="page-title">银行对账</h2>
      <Section title="银行账户">
        <Loading loaded={accounts}>
          {(list) =>
            list.length === 0 ? (
              <p>还没有登记银行账户。</p>
            ) : (
              <div class="table-wrap">
                <table>
                  <caption class="sr-only">银行账户，选择账户查看对账</caption>
                  <thead>
                    <tr>
                      <th scope="col">账户</th>
                      <th scope="col">开户银行</th>
                      <th scope="col">账号</th>
                      <th scope="col" class="num">
                        服务项目数
                      </th>
                      <th scope="col" class="num">
                        已导入流水
                      </th>
                      <th scope="col" class="num">
                        最新余额
                      </th>
                      <th scope="col">余额日期</th>
                    </tr>
                  </thead>
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
                        <td class="num" data-figure={`account.${a.accountId}.balance`}>
                          {yuan(a.balance)}
                        </td>
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
              <h2 class="page-title">
                银行对账：{a.name}
                <span class="muted">
                  （{a.bank}，账号 <span data-figure={`account.${a.accountId}.accountNo`}>{a.accountNo}</span>）
                </span>
              </h2>
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
                <div class="figure-box">
                  <dt>本月已核对相符</dt>
                  <dd class="figure">
                    <span data-figure="reconciliation.matched">{count(r.matched.length)}</span> 组
                  </dd>
                </div>
                <div class="figure-box">
                  <dt>银行已记账面未记</dt>
                  <dd class="figure">
                    <span data-figure="reconciliation.statementOnly">{count(r.statementOnly.length)}</span> 笔
                  </dd>
                </div>
                <div class="figure-box">
                  <dt>账面已记银行未记</dt>
                  <dd class="figure">
                    <span data-figure="reconciliation.ledgerOnly">{count(r.ledgerOnly.length)}</span> 笔
                  </dd>
                </div>
                <div class="figure-box">
                  <dt>金额不符</dt>
                  <dd class="figure">
                    <span data-figure="reconciliation.amountMismatch">{count(r.amountMismatch.length)}</span> 组
                  </dd>
                </div>
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
function AdjustmentTable({ adjustment: a }: { adjustment: Adjustment }) {
  const cell = (field: keyof Adjustment, value: string) => (
    <td class="num" data-figure={`adjustment.${field}`}>
      {yuan(value)}
    </td>
  );
  return (
    <Section title="银行存款余额调节表">
      <div class="table-wrap">
        <table class="adjustment">
          <caption>截至 {day(a.asOf)}，金额单位：元</caption>
          <thead>
            <tr>
              <th scope="col">项目</th>
              <th scope="col" class="num">
                金额
              </th>
              <th scope="col">项目</th>
              <th scope="col" class="num">
                金额
              </th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">银行存款日记账余额</th>
              {cell('bookBalance', a.bookBalance)}
              <th scope="row">银行对账单余额</th>
              {cell('bankBalance', a.bankBalance)}
            </tr>
            <tr>
              <th scope="row">加：银行已收、企业未收（银收企未收）</th>
              {cell('bankCreditedNotBooked', a.bankCreditedNotBooked)}
              <th scope="row">加：企业已收、银行未收（企收银未收）</th>
              {cell('bookedReceiptsNotInBank', a.bookedReceiptsNotInBank)}
            </tr>
            <tr>
              <th scope="row">减：银行已付、企业未付（银付企未付）</th>
              {cell('bankDebitedNotBooked', a.bankDebitedNotBooked)}
              <th scope="row">减：企业已付、银行未付（企付银未付）</th>
              {cell('bookedPaymentsNotInBank', a.bookedPaymentsNotInBank)}
            </tr>
            <tr>
              <th scope="row">加：已说明的金额差异</th>
              {cell('explainedDifferences', a.explainedDifferences)}
              <td />
              <td />
            </tr>
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">调节后的银行存款日记账余额</th>
              {cell('adjustedBookBalance', a.adjustedBookBalance)}
              <th scope="row">调节后的银行对账单余额</th>
              {cell('adjustedBankBalance', a.adjustedBankBalance)}
            </tr>
          </tfoot>
        </table>
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
    <Section title="银行已记账面未记（银收企未收、银付企未付）">
      {lines.length === 0 ? (
        <p>没有。</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="sr-only">银行已记账面未记的对账单记录，金额单位：元</caption>
            <thead>
              <tr>
                <th scope="col">类别</th>
                <th scope="col">日期</th>
                <th scope="col" class="num">
                  金额
                </th>
                <th scope="col">对方户名</th>
                <th scope="col">摘要</th>
                <th scope="col">流水号</th>
                <th scope="col" class="num">
                  对账单行号
                </th>
              </tr>
            </thead>
            <tbody>
              {lines.map((l) => (
                <tr key={l.lineId}>
                  <th scope="row">{l.direction === 'credit' ? '银收企未收' : '银付企未付'}</th>
                  <td>{day(l.date)}</td>
                  <td class="num" data-figure={`statementOnly.${l.lineId}.amount`}>
                    {yuan(l.amount)}
                  </td>
                  <td>{l.counterparty}</td>
                  <td>{l.memo}</td>
                  <td>{l.serial}</td>
                  <td class="num">{l.row}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}

function LedgerOnly({ items }: { items: LedgerItem[] }) {
  return (
    <Section title="账面已记银行未记（企收银未收、企付银未付）">
      {items.length === 0 ? (
        <p>没有。</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="sr-only">账面已记银行未记的收款和付款，金额单位：元</caption>
            <thead>
              <tr>
                <th scope="col">类别</th>
                <th scope="col">日期</th>
                <th scope="col" class="num">
                  金额
                </th>
                <th scope="col">项目</th>
                <th scope="col">账面记录编号</th>
                <th scope="col">对方户名</th>
                <th scope="col">流水号/凭证号</th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <tr key={`${e.projectId}/${e.entryId}`}>
                  <th scope="row">{e.kind === 'receipt' ? '企收银未收' : '企付银未付'}</th>
                  <td>{day(e.date)}</td>
                  <td class="num" data-figure={`ledgerOnly.${e.projectId}.${e.entryId}.amount`}>
                    {yuan(e.amount)}
                  </td>
                  <td>
                    <ProjectLink projectId={e.projectId} />
                  </td>
                  <td>{e.entryId}</td>
                  <td>{e.counterparty}</td>
                  <td>{e.reference}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}

function AmountMismatch({ groups }: { groups: MatchedGroup[] }) {
  return (
    <Section title="金额不符">
      {groups.length === 0 ? (
        <p>没有。</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="sr-only">金额不符：同一笔款项银行与账面金额不同，金额单位：元</caption>
            <thead>
              <tr>
                <th scope="col">来源</th>
                <th scope="col">日期</th>
                <th scope="col" class="num">
                  金额
                </th>
                <th scope="col">项目 / 账面记录编号</th>
                <th scope="col">对方户名</th>
                <th scope="col">流水号/凭证号</th>
                <th scope="col">匹配依据</th>
              </tr>
            </thead>
            {groups.map((g) => {
              const key = `amountMismatch.${g.lines[0]?.lineId ?? g.entries[0]?.entryId ?? ''}`;
              return (
                <tbody key={key} class="group">
                  {g.lines.map((l) => (
                    <tr key={l.lineId}>
                      <th scope="row">银行对账单</th>
                      <td>{day(l.date)}</td>
                      <td class="num" data-figure={`${key}.line.${l.lineId}.amount`}>
                        {yuan(l.amount)}
                      </td>
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
                      <td class="num" data-figure={`${key}.entry.${e.projectId}.${e.entryId}.amount`}>
                        {yuan(e.amount)}
                      </td>
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
                    <td class="num severity-high" data-figure={`${key}.difference`}>
                      {yuan(g.difference)}
                    </td>
                    <td colSpan={4}>{g.reason ?? ''}</td>
                  </tr>
                </tbody>
              );
            })}
          </table>
        </div>
      )}
    </Section>
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
      actions={<MonthPicker route={route} month={month} id="treasury-month" />}
    >
      <Loading loaded={loaded}>
        {(r) => (
          <>
            <dl class="figures">
              <div class="figure-box">
                <dt>本月已核对相符</dt>
                <dd class="figure">
                  <span data-figure="treasury.matched">{count(r.matched.length)}</span> 笔
                </dd>
              </div>
              <div class="figure-box">
                <dt>国库已付账面未记</dt>
                <dd class="figure">
                  <span data-figure="treasury.fileOnly">{count(r.fileOnly.length)}</span> 笔
                </dd>
              </div>
              <div class="figure-box">
                <dt>账面已记国库未付</dt>
                <dd class="figure">
                  <span data-figure="treasury.ledgerOnly">{count(r.ledgerOnly.length)}</span> 笔
                </dd>
              </div>
              <div class="figure-box">
                <dt>金额不符</dt>
                <dd class="figure">
                  <span data-figure="treasury.amountMismatch">{count(r.amountMismatch.length)}</span> 笔
                </dd>
              </div>
              <div class="figure-box">
                <dt>指标文号不符</dt>
                <dd class="figure">
                  <span data-figure="treasury.docNoMismatch">{count(r.docNoMismatch.length)}</span> 笔
                </dd>
              </div>
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
                  <thead>
                    <tr>
                      <th scope="col">类别</th>
                      <th scope="col">支付日期</th>
                      <th scope="col" class="num">
                        金额
                      </th>
                      <th scope="col">支付凭证号</th>
                      <th scope="col">指标文号</th>
                      <th scope="col">收款人</th>
                      <th scope="col">项目 / 账面记录编号</th>
                      <th scope="col" class="num">
                        差额（国库减账面）
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.fileOnly.map((l) => (
                      <tr key={`file-${l.lineId}`}>
                        <th scope="row">国库已付账面未记</th>
                        <td>{day(l.paidOn)}</td>
                        <td class="num" data-figure={`treasury.fileOnly.${l.lineId}.amount`}>
                          {yuan(l.amount)}
                        </td>
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
                        <td class="num" data-figure={`treasury.ledgerOnly.${p.projectId}.${p.paymentId}.amount`}>
                          {yuan(p.amount)}
                        </td>
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
                      <tr key={`amount-${m.line.lineId}`}>
                        <th scope="row">金额不符</th>
                        <td>{day(m.line.paidOn)}</td>
                        <td class="num">
                          {yuan(m.line.amount)}（账面 {yuan(m.payment.amount)}）
                        </td>
                        <td>{m.line.voucher}</td>
                        <td>{m.line.docNo}</td>
                        <td>{m.line.payee}</td>
                        <td>
                          <ProjectLink projectId={m.payment.projectId} /> {m.payment.paymentId}
                        </td>
                        <td
                          class="num severity-high"
                          data-figure={`treasury.amountMismatch.${m.line.lineId}.difference`}
                        >
                          {yuan(m.difference)}
                        </td>
                      </tr>
                    ))}
                    {r.docNoMismatch.map((m) => (
                      <tr key={`doc-${m.line.lineId}`}>
                        <th scope="row">指标文号不符</th>
                        <td>{day(m.line.paidOn)}</td>
                        <td class="num">{yuan(m.line.amount)}</td>
                        <td>{m.line.voucher}</td>
                        <td data-figure={`treasury.docNoMismatch.${m.line.lineId}.docNo`}>
                          {m.line.docNo}（账面 {m.payment.docNo}）
                        </td>
                        <td>{m.line.payee}</td>
                        <td>
                          <ProjectLink projectId={m.payment.projectId} /> {m.payment.paymentId}
                        </td>
                        <td class="num">{yuan(m.difference)}</td>
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
