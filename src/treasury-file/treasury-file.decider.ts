/**
 * The treasury stream's rules: a payment file's lines imported once each, known by their 支付凭证号
 * (a line whose voucher was imported before, or appears higher in the same file, is skipped and
 * listed); a file with nothing new writes nothing. The finance user's decisions on its lines
 * (confirmed, rejected, manual) follow a bank statement's rules (match-decisions.ts).
 */
import { RecordMatch } from '../bank-account/bank-account.commands';
import { StatementFormat } from '../bank-account/bank-account.events';
import { MatchBook, bookMatch, decideMatch, emptyMatchBook } from '../bank-account/match-decisions';
import { Decider } from '../shared/domain/decider';
import { assert, assertNever } from '../shared/domain/domain-error';
import { KeyedMap } from '../shared/domain/keyed-collections';
import { checkDate } from '../shared/domain/input-rules';
import { fenOfStored } from '../shared/money/money';
import { TreasuryFileErrors as E } from './treasury-file.errors';
import {
  TreasuryFileEvent,
  TreasuryFileEventType as T,
  TreasuryFileLine,
  TreasuryLineMatched,
  treasuryFileEvents,
} from './treasury-file.events';
import { ParsedTreasuryLine } from './treasury-payment-file';

export interface ImportTreasuryFile {
  type: 'ImportTreasuryFile';
  fileHash: string;
  fileName?: string;
  format: StatementFormat;
  /** In the file's order. */
  lines: readonly ParsedTreasuryLine[];
}

export type TreasuryFileCommand = ImportTreasuryFile | RecordMatch;

export interface TreasuryFileState extends MatchBook<TreasuryLineMatched> {
  /** Every imported line, by lineId. */
  lines: KeyedMap<Readonly<TreasuryFileLine>>;
  /** 支付凭证号 → the line that holds it. */
  byVoucher: KeyedMap<string>;
}

export function initialTreasuryFileState(): TreasuryFileState {
  return { lines: KeyedMap.empty(), byVoucher: KeyedMap.empty(), ...emptyMatchBook<TreasuryLineMatched>() };
}

/** What importing `lines` would do: the new lines, and the rows whose voucher is already known. */
export interface TreasuryImportPlan {
  fresh: ParsedTreasuryLine[];
  duplicateRows: number[];
}

export function planTreasuryImport(
  s: Readonly<TreasuryFileState>,
  lines: readonly ParsedTreasuryLine[],
): TreasuryImportPlan {
  const seen = new Set<string>();
  const fresh: ParsedTreasuryLine[] = [];
  const duplicateRows: number[] = [];
  for (const line of lines) {
    if (s.byVoucher.has(line.voucher) || seen.has(line.voucher)) duplicateRows.push(line.row);
    else fresh.push(line);
    seen.add(line.voucher);
  }
  return { fresh, duplicateRows };
}

export const treasuryFileDecider: Decider<TreasuryFileState, TreasuryFileCommand, TreasuryFileEvent> = {
  initialState: initialTreasuryFileState,
  decide(command, state) {
    switch (command.type) {
      case 'ImportTreasuryFile':
        return importFile(command, state);
      case 'RecordMatch':
        return [{ type: T.lineMatched, data: decideMatch(command, state, (lineId) => state.lines.has(lineId)) }];
    }
  },
  evolve,
  events: treasuryFileEvents,
  stateVersion: 2,
};

function importFile(c: ImportTreasuryFile, s: TreasuryFileState): TreasuryFileEvent[] {
  if (c.lines.length === 0) throw E.empty();
  for (const line of c.lines) {
    checkDate(`row ${line.row} 支付日期`, line.paidOn);
    if (line.voucher === '') throw E.badLine(line.row, 'the line has no 支付凭证号');
    if (!/^\d+\.\d{2}$/.test(line.amount) || fenOfStored(line.amount) <= 0n)
      throw E.badLine(line.row, `金额 "${line.amount}" is not a positive amount with two decimals`);
  }
  const plan = planTreasuryImport(s, c.lines);
  if (plan.fresh.length === 0) throw E.nothingNew();
  const count = s.lines.size;
  return [
    {
      type: T.imported,
      data: {
        fileHash: c.fileHash,
        ...(c.fileName !== undefined ? { fileName: c.fileName } : {}),
        format: c.format,
        lines: plan.fresh.map((line, i) => ({ lineId: `T${count + i + 1}`, ...line })),
        duplicateRows: plan.duplicateRows,
      },
    },
  ];
}

// evolve: returns a new state and leaves the given one as it was; asserts what decide guaranteed.

function evolve(s: Readonly<TreasuryFileState>, e: TreasuryFileEvent): TreasuryFileState {
  switch (e.type) {
    case T.imported: {
      let { lines, byVoucher } = s;
      for (const line of e.data.lines) {
        assert(!lines.has(line.lineId), `treasury line ${line.lineId} is imported once`);
        assert(!byVoucher.has(line.voucher), `支付凭证号 ${line.voucher} is imported once`);
        lines = lines.set(line.lineId, line);
        byVoucher = byVoucher.set(line.voucher, line.lineId);
      }
      return { ...s, lines, byVoucher };
    }
    case T.lineMatched:
      assert(!s.matches.has(e.data.matchId), `match ${e.data.matchId} is decided once`);
      return { ...s, ...bookMatch(s, e.data) };
    default:
      return assertNever(e, 'treasury-file event');
  }
}
