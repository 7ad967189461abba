/**
 * (k) Issue 18 point 10: importing and matching a 100,000-line GBK statement against 100,000
 * ledger entries, as a ratio of only decoding and parsing the same file in the same run, at 10,000
 * and 100,000 lines (1,000 and 10,000 with --quick), and how each grows from the smaller size to
 * the larger (linear: 10×; quadratic: 100×). What is measured is in statement-import-child.ts;
 * both sizes run their interleaved rounds in one child process.
 */
import { ScenarioResult, compare } from '../lib/report';
import { median, runInChild, tempDir } from '../lib/util';
import type { StatementRounds } from './statement-import-child';

const FULL = { small: 10_000, large: 100_000, rounds: 3 };
const QUICK = { small: 1_000, large: 10_000, rounds: 3 };

const label = (lines: number) => (lines >= 1000 ? `${lines / 1000}k` : String(lines));
const seconds = (ms: number[]) => median(ms) / 1000;
const cpuText = (ms: number[]) => `${seconds(ms).toFixed(2)} s`;
const cpuGrowth = (a: number[], b: number[]) => `${(median(a) / median(b)).toFixed(1)}×`;

export async function statementImportScenario(quick: boolean): Promise<Omit<ScenarioResult, 'seconds'>> {
  const sizes = quick ? QUICK : FULL;
  const { dir, cleanup } = tempDir('statement');
  try {
    const [small, large] = (
      await runInChild<StatementRounds[]>('scenarios/statement-import-child.ts', 'statementRounds', {
        sizes: [sizes.small, sizes.large],
        rounds: sizes.rounds,
        dir,
      })
    ).result;
    const versusParse = (r: StatementRounds) =>
      compare(
        `import_match_${label(r.lines)}_vs_parse`,
        `import and match a ${label(r.lines)}-line GBK statement against ${label(r.lines)} ledger entries, s`,
        {
          key: 'ours_import_match_s',
          label: 'readStatement + import + reconcile',
          value: seconds(r.importMatchMs),
          unit: 's',
        },
        { key: 'parse_only_s', label: 'readStatement only (decode + parse)', value: seconds(r.parseMs), unit: 's' },
        'ratio_import_match_over_parse',
      );
    const growth = (key: string, what: string, pick: (r: StatementRounds) => number[], target: boolean) =>
      compare(
        `${key}_growth`,
        `${what}, ${label(large.lines)} lines over ${label(small.lines)}`,
        {
          key: `ours_${key}_${label(large.lines)}_s`,
          label: `${label(large.lines)} lines`,
          value: seconds(pick(large)),
          unit: 's',
        },
        {
          key: `${key}_${label(small.lines)}_s`,
          label: `${label(small.lines)} lines`,
          value: seconds(pick(small)),
          unit: 's',
        },
        `ratio_${key}_large_over_small`,
        target ? ({ ratio }) => ({ text: '<= 20 (linear 10, quadratic 100)', met: ratio <= 20 }) : undefined,
      );
    const parts = (r: StatementRounds) => Math.ceil(r.lines / r.linesPerPart);
    return {
      id: 'k',
      title: `Importing and matching a ${label(large.lines)}-line GBK statement vs only decoding and parsing it, and growth from ${label(small.lines)}`,
      comparisons: [
        versusParse(large),
        versusParse(small),
        growth('import_match', 'import and match', (r) => r.importMatchMs, true),
        growth('match', 'match alone (reconcile)', (r) => r.reconcileMs, true),
        growth('import', 'import alone (readStatement + ImportStatementHandler)', (r) => r.importMs, false),
        growth('parse', 'decode and parse alone', (r) => r.parseMs, false),
      ],
      details: {
        lines_large: large.lines,
        lines_small: small.lines,
        file_bytes_large: large.fileBytes,
        rounds: large.rounds,
        lines_per_import: large.linesPerPart,
        imports_large: parts(large),
        imports_small: parts(small),
        state_read_s_large: seconds(large.stateReadMs),
        state_read_s_small: seconds(small.stateReadMs),
        cpu_s_import_match_large: seconds(large.importMatchCpuMs),
        cpu_s_import_match_small: seconds(small.importMatchCpuMs),
        cpu_s_parse_large: seconds(large.parseCpuMs),
        cpu_s_parse_small: seconds(small.parseCpuMs),
        cpu_s_import_large: seconds(large.importCpuMs),
        cpu_s_import_small: seconds(small.importCpuMs),
        cpu_s_match_large: seconds(large.reconcileCpuMs),
        cpu_s_match_small: seconds(small.reconcileCpuMs),
        matched_in_december_large: large.result.matched,
        statement_only_large: large.result.statementOnly,
        ledger_only_large: large.result.ledgerOnly,
        amount_mismatch_large: large.result.amountMismatch,
      },
      notes: [
        `a GBK CSV as a bank exports it (a title, the account and the period above the header 交易日期,交易流水号,摘要,收入金额,支出金额,余额,对方户名,对方账号; amounts with thousands separators; a 合计 footer), one year of lines, and as many ledger entries: 40% matched by reference, 45% by amount, date (0-3 days off) and counterparty, 10% an amount keyed wrong, 5% a line the ledger lacks and an entry the bank never saw; every round checks that the reconciliation finds exactly those.`,
        `import and match = readStatement, then ImportStatementHandler (the account's state, planImport, the decider, statement-imported.v1 appended to an SQLite store), then the account's state read back and reconcile() for the year's last month, as the reconciliation query does; the ledger's entries are handed to reconcile() as that query builds them (reading them from project streams is not in the figure). Rounds interleave the two passes and the two sizes, alternating the order; medians.`,
        `one import of the whole file: the store refuses one append over MAX_APPEND_BYTES (1 MB, 413 event-too-large), so the handler cuts a statement too large for one event into parts (about ${large.linesPerPart.toLocaleString('en-US')} lines each: ${parts(large)} statement-imported.v1 at ${label(large.lines)}, ${parts(small)} at ${label(small.lines)}), the whole file's balance checked once before the first.`,
        `CPU seconds (median, the child's user + system; the machine is shared): import and match ${cpuText(large.importMatchCpuMs)} at ${label(large.lines)}, ${cpuText(small.importMatchCpuMs)} at ${label(small.lines)} (growth ${cpuGrowth(large.importMatchCpuMs, small.importMatchCpuMs)}); decode and parse ${cpuText(large.parseCpuMs)} and ${cpuText(small.parseCpuMs)} (ratios to it ${cpuGrowth(large.importMatchCpuMs, large.parseCpuMs)} and ${cpuGrowth(small.importMatchCpuMs, small.parseCpuMs)}; its growth ${cpuGrowth(large.parseCpuMs, small.parseCpuMs)}); import alone grows ${cpuGrowth(large.importCpuMs, small.importCpuMs)}, match alone ${cpuGrowth(large.reconcileCpuMs, small.reconcileCpuMs)}.`,
        ...(quick
          ? [
              `--quick: ${label(QUICK.small)} and ${label(QUICK.large)} lines instead of ${label(FULL.small)} and ${label(FULL.large)}.`,
            ]
          : []),
      ],
    };
  } finally {
    cleanup();
  }
}
