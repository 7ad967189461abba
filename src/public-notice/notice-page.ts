/**
 * The public notice as a printable zh-CN page (A4), rendered on the server from the same answer
 * as the public read API: no script, no framework, no font or style from elsewhere (the service's
 * Content-Security-Policy allows its own origin only). Every value is escaped where it is written.
 */
import { PublicNotice } from './public-notice.queries';
import { fenOfStored, formatFen, sumFen, groupThousands, withThousands } from '../shared/money/money';

export const NOTICE_STYLESHEET_PATH = '/gongshi/notice.css';

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text for HTML content or a quoted attribute. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

const yuan = withThousands;

const STATUS_ZH: Readonly<Record<string, string>> = {
  registered: '已登记，尚未批复',
  approved: '已批复',
  reapproval_required: '需重新批复',
};

/** A whole count with thousands separators. */
function count(n: number): string {
  return groupThousands(String(n));
}

/** An area (m², a decimal string) with thousands separators and two decimals. */
const area = withThousands;

const BEIJING_MINUTE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** An instant (ISO 8601) as YYYY-MM-DD HH:mm in China Standard Time, as the page writes its times. */
function beijingMinute(iso: string): string {
  const parts = Object.fromEntries(BEIJING_MINUTE.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}（北京时间）`;
}

interface Column<R> {
  header: string;
  cell: (row: R) => string;
  money?: boolean;
  /** A short value kept on one line (a date, a result). */
  nowrap?: boolean;
  /** A longer text, given room before the table scrolls (a name, a list, a citation). */
  text?: boolean;
  /** The cell is HTML its function escaped itself. */
  html?: boolean;
}

function cellClass(c: Column<unknown>): string {
  return c.money ? ' class="num"' : c.nowrap ? ' class="nowrap"' : c.text ? ' class="text"' : '';
}

/**
 * A table in a box of its own that scrolls sideways when the table is wider than the screen (a
 * phone), so the page itself never does; the box can be focused and scrolled from the keyboard.
 */
function table<R>(caption: string, columns: Column<R>[], rows: readonly R[], totals?: string[]): string {
  if (rows.length === 0) return `<p class="none">${escapeHtml(caption)}：暂无。</p>`;
  const cols = columns as Column<unknown>[];
  const th = cols.map((c) => `<th scope="col"${cellClass(c)}>${escapeHtml(c.header)}</th>`);
  const tr = rows.map(
    (r) =>
      `<tr>${cols.map((c) => `<td${cellClass(c)}>${c.html ? c.cell(r) : escapeHtml(c.cell(r))}</td>`).join('')}</tr>`,
  );
  const foot = totals
    ? `<tfoot><tr>${totals.map((t, i) => `<td${cellClass(cols[i])}>${escapeHtml(t)}</td>`).join('')}</tr></tfoot>`
    : '';
  return (
    `<div class="table-wrap" role="region" tabindex="0" aria-label="${escapeHtml(caption)}">` +
    `<table><caption>${escapeHtml(caption)}</caption><thead><tr>${th.join('')}</tr></thead><tbody>${tr.join('')}</tbody>${foot}</table></div>`
  );
}

/**
 * Each budget line's name as a reader tells it apart: its item, with the utility whose pipeline
 * it is (通信 and 广电 are both 水电气讯（通信）); two lines still alike show their 明细编号 too.
 */
function lineNames(n: PublicNotice): ReadonlyMap<string, string> {
  const named = n.renovationContent.map((l) => [
    l.lineId,
    l.utilityZh ? `${l.itemZh}（${l.utilityZh}管线）` : l.itemZh,
  ]);
  const times = new Map<string, number>();
  for (const [, name] of named) times.set(name, (times.get(name) ?? 0) + 1);
  return new Map(named.map(([id, name]) => [id, times.get(name)! > 1 ? `${name}（明细 ${id}）` : name]));
}

function linesOf(n: PublicNotice, lineIds: readonly string[]): string {
  const names = lineNames(n);
  return lineIds.map((id) => names.get(id) ?? id).join('、');
}

function section(title: string, body: string): string {
  return `<section><h2>${escapeHtml(title)}</h2>${body}</section>`;
}

function facts(rows: [string, string][]): string {
  return `<dl>${rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`;
}

function projectSection(n: PublicNotice): string {
  const a = n.approval;
  return section(
    '一、项目概况',
    facts([
      ['项目编号', n.projectId],
      ['小区', n.community],
      ['街道（镇）', n.town],
      ['项目状态', STATUS_ZH[n.status] ?? n.status],
      ['批复总投资（元）', a ? yuan(a.approvedInvestment) : '尚未批复'],
      ['批复文号', a ? a.docNo : '—'],
      ['批复日期', a ? a.approvedOn : '—'],
      ['审批程序', a ? a.approvalPathZh : '—'],
    ]),
  );
}

function contentSection(n: PublicNotice): string {
  type Line = PublicNotice['renovationContent'][number];
  const columns: Column<Line>[] = [
    { header: '类别', cell: (l) => l.categoryZh },
    { header: '改造内容', cell: (l) => names.get(l.lineId)! },
    { header: '估算金额（元）', cell: (l) => yuan(l.estimatedCost), money: true },
  ];
  const names = lineNames(n);
  return section(
    '二、改造内容',
    table('改造内容及估算', columns, n.renovationContent, ['合计', '', yuan(n.budgetTotal)]),
  );
}

function fundingSection(n: PublicNotice): string {
  type Source = PublicNotice['funding']['sources'][number];
  const columns: Column<Source>[] = [
    { header: '资金来源', cell: (s) => s.labelZh },
    { header: '承诺', cell: (s) => yuan(s.pledged), money: true },
    { header: '到位', cell: (s) => yuan(s.received), money: true },
    { header: '已支付', cell: (s) => yuan(s.disbursed), money: true },
    { header: '未支出余额', cell: (s) => yuan(s.available), money: true },
    { header: '到位占比（%）', cell: (s) => s.share, money: true },
  ];
  const t = n.funding.totals;
  const totals = ['合计', yuan(t.pledged), yuan(t.received), yuan(t.disbursed), yuan(t.available), t.share];
  return section('三、资金来源', table('按来源分列的资金（金额单位：元）', columns, n.funding.sources, totals));
}

function plansSection(n: PublicNotice): string {
  type Room = PublicNotice['costSharePlans'][number]['rooms'][number];
  const columns: Column<Room>[] = [
    { header: '楼栋', cell: (r) => r.building },
    { header: '单元', cell: (r) => r.unit },
    { header: '楼层', cell: (r) => String(r.floor), money: true },
    { header: '房号', cell: (r) => r.room },
    { header: '面积（m²）', cell: (r) => r.area ?? '—', money: true },
    { header: '系数', cell: (r) => r.coefficient ?? '—', money: true },
    { header: '分摊金额（元）', cell: (r) => yuan(r.share), money: true },
  ];
  const body = n.costSharePlans
    .map((p) =>
      table(
        `分摊方案 ${p.planId}（改造内容：${linesOf(n, p.lineIds)}）：居民分摊 ${yuan(p.amount)} 元`,
        columns,
        p.rooms,
        ['合计', '', '', '', '', '', yuan(p.total)],
      ),
    )
    .join('');
  return section('四、居民出资分摊（按房号）', body || '<p class="none">暂无分摊方案。</p>');
}

function votesSection(n: PublicNotice): string {
  type Vote = PublicNotice['votes'][number];
  const columns: Column<Vote>[] = [
    { header: '表决日期', cell: (v) => v.heldOn, nowrap: true },
    { header: '表决事项', cell: (v) => v.matterZh },
    { header: '参与表决', cell: (v) => counts(v.participating, v.scope), html: true },
    { header: '同意', cell: (v) => counts(v.agreeing, v.scope), html: true },
    { header: '结果', cell: (v) => (v.passed ? '通过' : '未通过'), nowrap: true },
    { header: '依据', cell: (v) => v.citation, text: true },
  ];
  return section('五、业主表决结果', table('业主共同决定', columns, n.votes));
}

function counts(
  c: { units: number; owners: number; area: string },
  of: { units: number; owners: number; area: string },
) {
  const line = (label: string, value: string) =>
    `<span class="nowrap">${escapeHtml(label)} ${escapeHtml(value)}</span>`;
  return [
    line('户数', `${count(c.units)}/${count(of.units)}`),
    line('人数', `${count(c.owners)}/${count(of.owners)}`),
    line('面积', `${area(c.area)}/${area(of.area)} m²`),
  ].join('<br>');
}

function worksSection(n: PublicNotice): string {
  const p = n.constructionPeriod;
  type Contractor = PublicNotice['contractors'][number];
  const contractColumns: Column<Contractor>[] = [
    { header: '施工单位', cell: (c) => c.name, text: true },
    { header: '承担的改造内容', cell: (c) => (c.lineIds.length > 0 ? linesOf(n, c.lineIds) : '尚无付款'), text: true },
    { header: '合同（中标）金额（元）', cell: (c) => yuan(c.amount), money: true },
    { header: '合同签订日期', cell: (c) => c.signedOn ?? '已中标，尚未签订', nowrap: true },
  ];
  const signed = n.contractors.filter((c) => c.signedOn !== null);
  const signedTotal = formatFen(sumFen(signed.map((c) => fenOfStored(c.amount))));
  type Milestone = PublicNotice['milestones'][number];
  const columns: Column<Milestone>[] = [
    { header: '日期', cell: (m) => m.date, nowrap: true },
    { header: '程序', cell: (m) => (m.party ? `${m.labelZh}：${m.party}` : m.labelZh) },
  ];
  return section(
    '六、施工单位和工期',
    facts([
      ['开工日期', p.startedOn ?? '尚未开工'],
      ['完工日期', p.completedOn ?? '尚未完工'],
    ]) +
      (n.contractors.length === 0
        ? '<p class="none">施工单位：尚未确定。</p>'
        : table(
            `施工合同（已签订 ${signed.length} 份，合同金额合计 ${yuan(signedTotal)} 元）`,
            contractColumns,
            n.contractors,
          ) + '<p class="note">承担的改造内容：已向该单位付款的预算明细（合同本身不列明细）。</p>') +
      table('实施程序', columns, n.milestones),
  );
}

function sealSection(n: PublicNotice): string {
  const s = n.seal;
  if (!s) return section('七、账本封存', '<p class="none">账本尚未封存。</p>');
  const api = `/api/public/projects/${encodeURIComponent(n.projectId)}/notice`;
  const recipe = [
    `curl -s http://服务地址${api} > notice.json   # 服务地址：本页的主机和端口`,
    'jq -r .seal.publicKey notice.json > seal-pub.pem',
    'openssl pkey -pubin -in seal-pub.pem -outform DER | sha256sum   # 公钥指纹，须与上列一致',
    'jq -j .seal.digest notice.json > digest.txt',
    'jq -r .seal.signature notice.json | base64 -d > signature.bin',
    'openssl pkeyutl -verify -pubin -inkey seal-pub.pem -rawin -in digest.txt -sigfile signature.bin',
  ].join('\n');
  return section(
    '七、账本封存（防篡改核验）',
    facts([
      ['封存编号', s.sealId],
      ['封存时间', beijingMinute(s.sealedAt)],
      ['摘要（SHA-256）', s.digest],
      ['签名公钥指纹', s.keyFingerprint],
      [
        '本项目在封存中的记录',
        s.projectStream
          ? `事件序号 ${s.projectStream.revision}（自 0 起计），哈希 ${s.projectStream.hash}`
          : '本项目在最近一次封存之后登记',
      ],
    ]) +
      '<p>任何人都可以用 OpenSSL 核验：签名是对摘要的 Ed25519 签名，公钥指纹是公钥（DER）的 SHA-256。最后一条命令输出 “Signature Verified Successfully” 即为有效。摘要本身由审计人员持有的完整封存文件重算（见 README 与 docs/audit.md）。</p>' +
      `<pre>${escapeHtml(recipe)}</pre>`,
  );
}

/** The whole page. */
export function noticePage(n: PublicNotice): string {
  const title = `老旧小区改造项目公示：${n.name}`;
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${NOTICE_STYLESHEET_PATH}">
</head>
<body>
<main>
<header>
<h1>老旧小区改造项目公示</h1>
<p class="project">${escapeHtml(n.name)}</p>
<p class="date">公示日期：<time datetime="${escapeHtml(n.noticeDate)}">${escapeHtml(n.noticeDate)}</time></p>
</header>
${projectSection(n)}
${contentSection(n)}
${fundingSection(n)}
${plansSection(n)}
${votesSection(n)}
${worksSection(n)}
${sealSection(n)}
<footer><p>依据《潼南区全面推进城镇老旧小区改造和社区服务提升工作实施方案》（潼南府办发〔2021〕71号）三（一）：将小区改造内容全部进行公示，接受社区居民、业主委员会、产权单位、物业服务企业等社会监督。本页不含任何个人信息。</p></footer>
</main>
</body>
</html>
`;
}

/** The page for a project that is not registered. */
export function notFoundPage(projectId: string): string {
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>未找到项目</title>
<link rel="stylesheet" href="${NOTICE_STYLESHEET_PATH}">
</head>
<body>
<main>
<h1>未找到项目</h1>
<p>没有编号为 ${escapeHtml(projectId)} 的改造项目。</p>
</main>
</body>
</html>
`;
}

/** Screen and A4 print rules; served as a file of this origin, as the CSP asks. */
export const NOTICE_STYLESHEET = `@page { size: A4; margin: 15mm 12mm; }
html { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif; font-size: 14px; color: #111; }
body { margin: 0; background: #fff; }
main { max-width: 186mm; margin: 0 auto; padding: 16px; }
header { text-align: center; border-bottom: 2px solid #111; margin-bottom: 12px; }
h1 { font-size: 22px; margin: 8px 0 4px; letter-spacing: 2px; }
h2 { font-size: 16px; margin: 18px 0 6px; border-left: 4px solid #a00; padding-left: 6px; }
.project { font-size: 17px; margin: 4px 0; }
.date { margin: 4px 0 8px; }
dl { display: grid; grid-template-columns: 12em 1fr; gap: 2px 12px; margin: 0; }
dt { font-weight: bold; }
dd { margin: 0; overflow-wrap: anywhere; }
.note { font-size: 12px; color: #333; margin: -4px 0 10px; }
.table-wrap { max-width: 100%; overflow-x: auto; margin: 6px 0 10px; }
.table-wrap:focus-visible { outline: 2px solid #a00; }
table { width: 100%; border-collapse: collapse; }
caption { text-align: left; font-weight: bold; padding: 4px 0; }
th, td { border: 1px solid #555; padding: 3px 5px; text-align: left; vertical-align: top; }
th { background: #eee; white-space: nowrap; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.nowrap { white-space: nowrap; }
.text { min-width: 9em; }
tfoot td { font-weight: bold; white-space: nowrap; }
@media screen {
  .table-wrap tr > :first-child { position: sticky; left: 0; background: #fff; }
  .table-wrap thead tr > :first-child { background: #eee; }
}
@media screen and (max-width: 480px) {
  main { padding: 8px; }
  dl { grid-template-columns: 1fr; }
  dd { margin-bottom: 4px; }
}
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f5f5f5; border: 1px solid #ccc; padding: 6px; font-size: 12px; }
.none { color: #555; }
footer { margin-top: 16px; border-top: 1px solid #999; font-size: 12px; color: #333; }
@media print {
  main { max-width: none; padding: 0; }
  .table-wrap { overflow: visible; }
  h2 { break-after: avoid; }
  tr { break-inside: avoid; }
  thead { display: table-header-group; }
  pre { background: none; }
}
`;
