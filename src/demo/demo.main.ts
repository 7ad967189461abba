/**
 * `npm run demo`: a fresh embedded ledger loaded with the demo district, served until Ctrl-C.
 *
 * The district goes in through the HTTP API, request by request, with bearer tokens and
 * Idempotency-Keys: the same commands any client sends, never rows written behind the service's
 * back. DATA_DIR defaults to ./demo-data (not the service's ./data); PORT to 3000.
 */
import 'reflect-metadata';
import { withThousands } from '../shared/money/money';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { generateSealKeyFile } from '../audit/seal-key';
import { createApp } from '../bootstrap';
import { ConfigError, loadConfig } from '../config/config';
import { MetricsEndpoint } from '../ops/metrics-server';
import { localUrlOf } from '../ops/startup';
import { LockError } from '../shared/fs/pid-lock';
import {
  DEMO_LAST_DAY,
  DEMO_SEED,
  DemoFundBatch,
  DemoIrregularity,
  DemoResidentsSummary,
  generateDemoDistrict,
} from './demo-district';
import { IDLE_DAYS } from './demo-fund-batches';
import { fundingSource } from '../project/funding-sources';
import {
  DEMO_SEAL_FILE,
  DEMO_SEAL_KEY_FILE,
  DEMO_STATEMENTS_DIR,
  DEMO_TOKENS_FILE,
  DemoLoadError,
  DemoSetupError,
  demoTokens,
  loadDistrict,
  loadStatements,
  prepareDemoDataDir,
  sealDistrict,
  tokenOf,
  writeStatementFiles,
  writeTokensFile,
} from './demo-setup';
import { DemoStatements } from './demo-statements';

async function main(): Promise<void> {
  if (!process.env.DATA_DIR) process.env.DATA_DIR = './demo-data';
  // A try-out on one machine, where the published example tokens are allowed (README). The
  // demo's own tokens are fresh and random, so this only keeps the check from refusing a try-out.
  process.env.LEDGER_ALLOW_EXAMPLE_TOKENS = '1';
  const config = loadConfig(process.env);
  if (config.eventStore !== 'sqlite') {
    throw new ConfigError('the demo loads a fresh embedded store: unset EVENT_STORE (or set EVENT_STORE=sqlite)');
  }
  // The directory's lock and the ports first: a service or demo using this directory holds its lock,
  // one serving elsewhere may hold the ports, and a ledger in use must survive this one failing.
  const { removed, lock } = await prepareDemoDataDir(config.dataDir, [
    { host: config.host, port: config.port },
    { host: config.metricsHost, port: config.metricsPort },
  ]);
  const tokens = demoTokens();
  const tokensFile = join(config.dataDir, DEMO_TOKENS_FILE);
  writeTokensFile(tokensFile, tokens);
  if (config.tokensFile)
    console.log(`note: the demo ignores LEDGER_TOKENS_FILE=${config.tokensFile} and uses ${tokensFile}`);
  config.tokensFile = tokensFile;
  // The demo's own seal key, made fresh: a real ledger's key comes from LEDGER_SEAL_KEY_FILE.
  const sealKeyFile = join(config.dataDir, DEMO_SEAL_KEY_FILE);
  const sealKey = generateSealKeyFile(sealKeyFile);
  if (config.sealKeyFile)
    console.log(
      `note: the demo ignores LEDGER_SEAL_KEY_FILE=${config.sealKeyFile} and uses a fresh key in ${sealKeyFile}`,
    );
  config.sealKeyFile = sealKeyFile;

  const district = generateDemoDistrict(DEMO_SEED);
  const app = await createApp(config, { logger: ['error', 'warn'] });
  lock.release(); // the app holds the directory now, until it shuts down
  let metricsUrl: string | null = null;
  try {
    await app.listen(config.port, config.host);
    if (config.metricsPort !== null)
      metricsUrl = `${localUrlOf(await app.get(MetricsEndpoint).listen(config.metricsHost, config.metricsPort))}/metrics`;
  } catch (err) {
    await app.close();
    throw new DemoSetupError(
      `cannot listen on port ${config.port} or ${config.metricsPort} (set PORT or METRICS_PORT to another one): ${(err as Error).message}`,
    );
  }
  const baseUrl = localUrlOf(app.getHttpServer().address() as AddressInfo);
  console.log(
    `renovation-ledger demo: data in ${config.dataDir}${removed.length ? ` (cleared ${removed.join(', ')})` : ' (new)'}`,
  );
  console.log(
    `loading the demo district (seed ${district.seed}): ${district.batches.length} fund batches, ${district.projects.length} projects, ` +
      `${district.requests.length} requests to ${baseUrl}`,
  );

  const started = Date.now();
  const byId = new Map(district.projects.map((p) => [p.projectId, p]));
  const width = String(district.projects.length).length;
  let loaded;
  try {
    loaded = await loadDistrict(baseUrl, tokens, district.requests, (p) => {
      if (p.projectId === '') {
        console.log(`  fund batches issued: ${p.requests} requests, ${p.events} events`);
        return;
      }
      const project = byId.get(p.projectId)!;
      const n = String(p.projectNumber).padStart(width, ' ');
      console.log(
        `  [${n}/${district.projects.length}] ${p.projectId}  ${project.town} ${project.community}  ${stageLabel(project.stage)}  ${p.requests} requests, ${p.events} events`,
      );
    });
  } catch (err) {
    if (err instanceof DemoLoadError) {
      console.error(`\ndemo: the ledger refused the demo district, stopping.\n${err.message}`);
      await app.close();
      process.exitCode = 1;
      return;
    }
    throw err;
  }
  // The towns' bank statements and the treasury's payment file, saved as exported, then imported.
  const statementsDir = join(config.dataDir, DEMO_STATEMENTS_DIR);
  writeStatementFiles(statementsDir, district.statements);
  let imported;
  try {
    imported = await loadStatements(baseUrl, tokens, district.statements);
  } catch (err) {
    if (err instanceof DemoSetupError) {
      console.error(`\ndemo: the ledger refused a statement, stopping.\n${err.message}`);
      await app.close();
      process.exitCode = 1;
      return;
    }
    throw err;
  }
  console.log(
    `  statements: ${imported.accounts} special accounts, ${imported.files} monthly statements (${imported.lines} lines) ` +
      `and the treasury's file, from ${statementsDir}`,
  );
  const seconds = ((Date.now() - started) / 1000).toFixed(1);

  const viewer = tokenOf(tokens, 'viewer');
  const projects = (await getJson(`${baseUrl}/api/projects`, viewer)) as unknown[];
  const health = (await getJson(`${baseUrl}/api/health`, viewer)) as { store: { headPosition: string } };
  // The auditor seals the district as loaded, through the API like any auditor.
  const sealFile = join(config.dataDir, DEMO_SEAL_FILE);
  const seal = await sealDistrict(baseUrl, tokens, sealFile);
  const example = district.projects.reduce((a, b) => (b.sourcesReceived.length > a.sourcesReceived.length ? b : a));
  const roleWidth = Math.max(...tokens.map((t) => t.role.length));

  console.log('');
  console.log('renovation-ledger demo is up');
  console.log(`  address   ${baseUrl}`);
  console.log(`  web pages ${baseUrl}/  (全区概览: sign in with a token printed below)`);
  console.log(`  公示       ${baseUrl}/gongshi/${noticeProjectOf(district)}  (the public notice, no sign-in)`);
  console.log(`  API docs  ${baseUrl}/docs`);
  if (metricsUrl) console.log(`  metrics   ${metricsUrl} (Prometheus, no token)`);
  console.log(
    `  loaded    ${projects.length} projects, ${health.store.headPosition} events (${loaded.requests} requests in ${seconds} s)`,
  );
  console.log(
    `  seal      ${seal.sealId}: ${seal.streams.length} streams up to position ${seal.headPosition}, in ${sealFile}`,
  );
  console.log(`  seal key  ${sealKeyFile}, fingerprint ${sealKey.fingerprint}`);
  printBatches(district.batches);
  printResidents(district.residents);
  printIrregularities(district.irregularities);
  printDifferences(district.statements);
  console.log(`  tokens    (also in ${tokensFile})`);
  for (const t of tokens) console.log(`    ${t.role.padEnd(roleWidth)}  ${t.token}  ${t.actorId}  ${t.org}`);
  console.log('  try');
  console.log(`    curl -s -H 'Authorization: Bearer ${viewer}' ${baseUrl}/api/projects`);
  console.log(
    `    curl -s -H 'Authorization: Bearer ${viewer}' ${baseUrl}/api/projects/${example.projectId}/funding-mix`,
  );
  console.log(
    '  (funding mix of ' +
      `${example.projectId} ${example.town} ${example.community}: ${example.sourcesReceived.length} sources)`,
  );
  // The batch with the reallocation, and the project that gave the money back.
  const batch =
    district.batches.find((b) => b.allocations.some((a) => a.reallocatedFrom !== undefined)) ?? district.batches[0];
  const givenBack =
    batch.allocations.find((a) => a.reallocatedFrom !== undefined)?.reallocatedFrom ??
    batch.allocations[0].allocationId;
  const donor = batch.allocations.find((a) => a.allocationId === givenBack)!.projectId;
  console.log(`    curl -s -H 'Authorization: Bearer ${viewer}' ${baseUrl}/api/fund-batches/${batch.batchId}/events`);
  console.log(`    curl -s -H 'Authorization: Bearer ${viewer}' ${baseUrl}/api/projects/${donor}`);
  const residents = district.residents.find((r) => r.statementHouseholdId !== undefined);
  if (residents) {
    const P = `${baseUrl}/api/projects/${residents.projectId}`;
    console.log(
      `    curl -s -H 'Authorization: Bearer ${tokenOf(tokens, 'clerk')}' ${P}/households/${residents.statementHouseholdId}/statement`,
    );
    console.log(
      `    curl -s -H 'Authorization: Bearer ${viewer}' '${P}/cost-shares/${residents.plans[0].planId}/notice?format=csv'`,
    );
    console.log(
      `  (a household's statement: its shares, paid directly and from its provident fund, still owed; the plan's public notice, no household ids)`,
    );
  }
  console.log(`    curl -s -H 'Authorization: Bearer ${viewer}' '${baseUrl}/api/reports/targets?asOf=2021-12-31'`);
  console.log(
    "  (the seed's targets beside the district's figures: the demo has a few dozen communities, not the seed's 77 + 99 + 38)",
  );
  const differences = district.statements.differences;
  const inAccount = differences.find((d) => d.accountId !== null);
  if (inAccount) {
    console.log(
      `    curl -s -H 'Authorization: Bearer ${viewer}' '${baseUrl}/api/bank-accounts/${inAccount.accountId}/reconciliation?month=${lastMonthOf(differences, inAccount.accountId)}'`,
    );
    console.log(
      `  (对账 of ${inAccount.accountId} as of the month's end: its planted differences, outstanding, and the 银行存款余额调节表; &format=xlsx for the file)`,
    );
  }
  console.log(
    `    curl -s -H 'Authorization: Bearer ${viewer}' '${baseUrl}/api/treasury-files/reconciliation?month=${lastMonthOf(differences, null)}'`,
  );
  console.log(`    curl -s -H 'Authorization: Bearer ${tokenOf(tokens, 'auditor')}' ${baseUrl}/api/audit/verify`);
  console.log(`    DATA_DIR=${config.dataDir} npx renovation-ledger verify --seal ${sealFile}`);
  console.log('Press Ctrl-C to stop.');
}

/** The fund batches as loaded: 文号, amount, allocation, what was received and paid on them, and the idle one. */
function printBatches(batches: DemoFundBatch[]): void {
  const years = [...new Set(batches.map((b) => b.fiscalYear))].map(
    (y) => `${batches.filter((b) => b.fiscalYear === y).length} for ${y}`,
  );
  console.log(`  fund batches  ${batches.length} (${years.join(', ')}), amounts in yuan`);
  const idWidth = Math.max(...batches.map((b) => b.batchId.length));
  for (const b of batches) {
    const label = `${fundingSource(b.source)?.labelZh ?? b.source}${b.program ? `·${b.program}` : ''}`;
    const projects = new Set(b.allocations.map((a) => a.projectId)).size;
    const flags = [
      ...(b.idle
        ? [
            `IDLE: ${withThousands(b.idleAmount)} received ${IDLE_DAYS} days or more before ${DEMO_LAST_DAY} and still unpaid`,
          ]
        : []),
      ...b.allocations
        .filter((a) => a.reallocatedFrom)
        .map((a) => `reallocation: ${withThousands(a.amount)} from ${a.reallocatedFrom} to ${a.projectId}`),
    ];
    console.log(
      `    ${b.batchId.padEnd(idWidth)}  ${b.docNo}  ${label}  FY${b.fiscalYear}  issued ${b.issuedOn}  ${withThousands(b.amount)}; ` +
        `allocated ${withThousands(b.allocated)} to ${projects} projects, unallocated ${withThousands(b.unallocated)}; ` +
        `received ${withThousands(b.received)}, paid ${withThousands(b.disbursed)}${flags.length ? `  [${flags.join('; ')}]` : ''}`,
    );
  }
}

/** The projects with a household register: their plans and votes, what was paid and what is still owed. */
function printResidents(residents: DemoResidentsSummary[]): void {
  const households = residents.reduce((t, r) => t + r.households, 0);
  const plans = residents.reduce((t, r) => t + r.plans.length, 0);
  console.log(
    `  residents  ${residents.length} projects with a register: ${households} households, ${plans} cost-sharing plans`,
  );
  for (const r of residents) {
    const kinds = [...new Set(r.plans.map((p) => PLAN_KINDS[p.kind] ?? p.kind))].join(', ');
    const failed = r.votes
      .filter((v) => !v.passed)
      .map((v) => `vote ${v.voteId} failed${!v.areaMet && v.ownersMet ? ' on area though it passed on heads' : ''}`);
    console.log(
      `    ${r.projectId}  ${r.households} households, ${count(r.plans.length, 'plan')} (${kinds}), ${count(r.votes.length, 'vote')}; ` +
        `paid ${withThousands(r.paid)}, still owed ${withThousands(r.outstanding)}${failed.length ? `  [${failed.join('; ')}]` : ''}`,
    );
  }
}

/** What the district does wrong on purpose, for the red flags to find (demo-irregularities.ts). */
function printIrregularities(irregularities: DemoIrregularity[]): void {
  console.log(`  planted   ${irregularities.length} irregularities for the red flags`);
  for (const x of irregularities) {
    const where = [x.projectId, x.batchId, x.receiptId, x.milestoneId, x.lineId].filter((v) => v).join(' ');
    console.log(`    ${x.code}  ${where}: ${x.what}`);
  }
}

/** What is planted for the reconciliations (demo-statements.ts), and what the accounts and the treasury file hold. */
function printDifferences(statements: DemoStatements): void {
  const { accounts, files, treasuryPayments } = statements;
  console.log(
    `  bank      ${accounts.length} special accounts (专户), one per town with money, ${files.length} monthly statements (GBK CSV); ` +
      `${treasuryPayments.length} treasury direct payments and the treasury's payment file`,
  );
  for (const a of accounts.slice(0, 3))
    console.log(`    ${a.accountId}  ${a.name}  ${a.bank}  ${a.projectIds.length} projects`);
  if (accounts.length > 3) console.log(`    … ${accounts.length - 3} more: GET /api/bank-accounts`);
  console.log(`  planted   ${statements.differences.length} differences for the reconciliation`);
  for (const d of statements.differences)
    console.log(
      `    ${d.kind}  ${d.accountId ?? 'treasury file'}  ${d.date}  ${withThousands(d.amount)}  ${d.serial}: ${d.what}`,
    );
}

/** The month of the last difference planted in an account (null: the treasury file), where all of them are outstanding. */
function lastMonthOf(differences: DemoStatements['differences'], accountId: string | null): string {
  const dates = differences.filter((d) => d.accountId === accountId).map((d) => d.date);
  return (dates.sort().pop() ?? DEMO_LAST_DAY).slice(0, 7);
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

const PLAN_KINDS: Record<string, string> = {
  elevator: 'elevators by floor coefficient',
  own_home: 'own homes by their cost',
  roof_facade: 'roof and facade by building area',
};

function stageLabel(stage: string): string {
  const labels: Record<string, string> = {
    funded: 'funded',
    approved: 'approved, no money yet',
    pledged: 'pledged, not approved',
    budgeted: 'budgeted, not approved',
    registered: 'registered only',
    earlier: 'earlier batch: approved 2020, accepted 2021, its money before the ledger',
  };
  return `(${labels[stage] ?? stage})`;
}

async function getJson(url: string, token: string): Promise<unknown> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${text}`);
  return JSON.parse(text);
}

main().catch((err) => {
  const known = err instanceof ConfigError || err instanceof DemoSetupError || err instanceof LockError;
  console.error(known ? `demo: ${err.message}` : err);
  process.exit(1);
});

/** The project whose public notice the demo points at: one with households, plans and votes to show. */
function noticeProjectOf(district: { residents: DemoResidentsSummary[]; projects: { projectId: string }[] }): string {
  return district.residents[0]?.projectId ?? district.projects[0].projectId;
}
