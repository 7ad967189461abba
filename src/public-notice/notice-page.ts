/**
 * The public notice as a printable zh-CN page (A4), rendered on the server from the same answer
 * as the public read API: no script, no framework, no font or style from elsewhere (the service's
 * Content-Security-Policy allows its own origin only). Every value is escaped where it is written.
 */
import { PublicNotice } from './public-notice.queries';
import { withThousands } from '../shared/money/money';

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

interface Column<R> {
  header: string;
  cell: (row: R) => string;
  money?: boolean;
}

function table<R>(caption: string, columns: Column<R>[], rows: readonly R[], totals?: string[]): string {
  if (rows.length === 0) return `<p class="none">${escapeHtml(caption)}：暂无。</p>`;
  const th = columns.map((c) => `<th scope="col"${c.money ? ' class="num"' : ''}>${escapeHtml(c.header)}</th>`);
  const tr = rows.map(
    (r) =>
      `<tr>${columns.map((c) => `<td${c.money ? ' class="num"' : ''}>${escapeHtml(c.cell(r))}</td>`).join('')}</tr>`,
  );
  const foot = totals
    ? `<tfoot><tr>${totals.map((t, i) => `<td${columns[i].money ? ' class="num"' : ''}>${escapeHtml(t)}</td>`).join('')}</tr></tfoot>`
    : '';
  return `<table><caption>${escapeHtml(caption)}</caption><thead><tr>${th.join('')}</tr></thead><tbody>${tr.join('')}</tbody>${foot}</table>`;
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
    { header: '改造内容', cell: (l) => l.itemZh },
    { header: '估算金额（元）', cell: (l) => yuan(l.estimatedCost), money: true },
  ];
  return section(
    '二、改造内容',
    table('改造内容及估算', columns, n.renovationContent, ['合计', '', yuan(n.budgetTotal)]),
  );
}

function fundingSection(n: PublicNotice): string {
  type Source = PublicNotice['funding']['sources'][number];
  const columns: Column<Source>[] = [
    { header: '资金来源', cell: (s) => s.labelZh },
    { header: '承诺（元）', cell: (s) => yuan(s.pledged), money: true },
    { header: '到位（元）', cell: (s) => yuan(s.received), money: true },
    { header: '已支付（元）', cell: (s) => yuan(s.disbursed), money: true },
    { header: '未支出余额（元）', cell: (s) => yuan(s.available), money: true },
    { header: '到位占比（%）', cell: (s) => s.share, money: true },
  ];
  const t = n.funding.totals;
  const totals = ['合计', yuan(t.pledged), yuan(t.received), yuan(t.disbursed), yuan(t.available), t.share];
  return section('三、资金来源', table('按来源分列的资金', columns, n.funding.sources, totals));
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
        `分摊方案 ${p.planId}（改造内容 ${p.lineIds.join('、')}）：居民分摊 ${yuan(p.amount)} 元`,
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
    { header: '表决日期', cell: (v) => v.heldOn },
    { header: '表决事项', cell: (v) => v.matterZh },
    { header: '参与表决（户 / 人 / m²）', cell: (v) => counts(v.participating, v.scope) },
    { header: '同意（户 / 人 / m²）', cell: (v) => counts(v.agreeing, v.scope) },
    { header: '结果', cell: (v) => (v.passed ? '通过' : '未通过') },
    { header: '依据', cell: (v) => v.citation },
  ];
  return section('五、业主表决结果', table('业主共同决定', columns, n.votes));
}

function counts(
  c: { units: number; owners: number; area: string },
  of: { units: number; owners: number; area: string },
) {
  return `${c.units}/${of.units} · ${c.owners}/${of.owners} · ${c.area}/${of.area}`;
}

function worksSection(n: PublicNotice): string {
  const c = n.contractor;
  const p = n.constructionPeriod;
  type Milestone = PublicNotice['milestones'][number];
  const columns: Column<Milestone>[] = [
    { header: '日期', cell: (m) => m.date },
    { header: '程序', cell: (m) => m.labelZh },
  ];
  return section(
    '六、施工单位和工期',
    facts([
      ['施工单位', c ? c.name : '尚未确定'],
      ['合同（中标）金额（元）', c ? yuan(c.amount) : '—'],
      ['合同签订日期', c?.signedOn ?? '—'],
      ['开工日期', p.startedOn ?? '尚未开工'],
      ['完工日期', p.completedOn ?? '尚未完工'],
    ]) + table('实施程序', columns, n.milestones),
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
      ['封存时间', s.sealedAt],
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
table { width: 100%; border-collapse: collapse; margin: 6px 0 10px; }
caption { text-align: left; font-weight: bold; padding: 4px 0; }
th, td { border: 1px solid #555; padding: 3px 5px; text-align: left; vertical-align: top; }
th { background: #eee; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tfoot td { font-weight: bold; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f5f5f5; border: 1px solid #ccc; padding: 6px; font-size: 12px; }
.none { color: #555; }
footer { margin-top: 16px; border-top: 1px solid #999; font-size: 12px; color: #333; }
@media print {
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  tr { break-inside: avoid; }
  thead { display: table-header-group; }
  pre { background: none; }
}
`;
