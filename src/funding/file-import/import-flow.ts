/**
 * The flow of a file import, shared by the bank statement import (ImportStatementHandler) and the
 * treasury payment file import (ImportTreasuryFileHandler): each reads its file and plans it on its
 * stream (which lines are new, which were imported before); this answers a dry run with a preview,
 * or refuses the file, or writes its parts. What differs is passed in: the line's view, what the
 * plan found that refuses the whole file, how the lines are cut into events, and the write.
 */
import { FileRead, SkippedRow, StatementProblem } from '../../bank-account/statement-file';
import { EventStore } from '../../event-store/event-store.port';
import { sha256Hex, uuidFromSeed } from '../../event-store/hashing';
import { CommandContext, WriteResult } from '../../event-store/write-path';
import { DomainError } from '../../shared/domain/domain-error';

/** What an import answers beside its write: the lines taken, the rows skipped and why. */
export interface ImportOutcome<V> {
  /** Absent when nothing was written (a dry run, or every line was imported before); of a file in parts, the last part's. */
  write?: WriteResult;
  /** A file too large for one event: how many parts (events) it was cut into. */
  parts?: number;
  format: FileRead<unknown>['format'];
  fileHash: string;
  headerRow: number;
  imported: number;
  duplicateRows: number[];
  skippedRows: SkippedRow[];
  /** A dry run: every line read, marked new or duplicate, and what would refuse the import. */
  preview?: {
    lines: (V & { status: 'new' | 'duplicate' })[];
    problems: { row: number; error: string; message: string }[];
  };
}

/** Lines cut for writing: each part one event; `context` lines lead it that the part before wrote (see statementParts). */
export interface ImportPart<L> {
  lines: readonly L[];
  context: number;
}

export interface FileImport<L extends { row: number }, V> {
  read: FileRead<L>;
  /** The plan on the stream as it stands: the lines not imported before, and the rows that were. */
  plan: { fresh: readonly L[]; duplicateRows: number[] };
  dryRun: boolean;
  /** What the plan found that refuses the whole file (a statement's balance break), listed in a preview. */
  refusal: StatementProblem | null;
  /** The refusal of a file with no line, listed in a preview (the decider refuses it on a write). */
  empty(): DomainError;
  /** A line as a preview shows it. */
  lineView(line: L): V;
  /** The lines cut into parts, each written as one event (a file that fits: one part). */
  parts(lines: readonly L[]): ImportPart<L>[];
  /** Writes part `index` (0, 1, ...) of `count` with its context. */
  write(part: ImportPart<L>, index: number, count: number, context: CommandContext): Promise<WriteResult>;
  store: Pick<EventStore, 'readByCommand'>;
  context: CommandContext;
}

/**
 * A dry run writes nothing and answers every line read, marked new or duplicate, and what would
 * refuse the import. Otherwise the first row that cannot be read refuses the file, then the plan's
 * refusal; each part is written unless it has no new line and is not a repeat of a stored write (a
 * file all imported before writes nothing, and is not refused). The same Idempotency-Key sent
 * again answers the first write: a part's command id is derived from the request's (partContext).
 */
export async function importFile<L extends { row: number }, V>(i: FileImport<L, V>): Promise<ImportOutcome<V>> {
  const { read, plan } = i;
  const outcome: ImportOutcome<V> = {
    format: read.format,
    fileHash: read.fileHash,
    headerRow: read.headerRow,
    imported: plan.fresh.length,
    duplicateRows: plan.duplicateRows,
    skippedRows: read.skipped,
  };
  if (i.dryRun) return { ...outcome, imported: 0, preview: previewOf(i) };
  if (read.problems.length > 0) throw read.problems[0].error;
  // The whole file's refusal, or no part of it is written.
  if (i.refusal !== null) throw i.refusal.error;
  const freshRows = new Set(plan.fresh.map((line) => line.row));
  const parts = i.parts(read.lines);
  let write: WriteResult | undefined;
  for (const [k, part] of parts.entries()) {
    const context = k === 0 ? i.context : partContext(i.context, k + 1);
    const repeat = (await i.store.readByCommand(context.commandId)).length > 0;
    // Nothing new in it and not a repeat of a stored write: nothing to write, and nothing refused.
    const fresh = part.lines.slice(part.context).some((line) => freshRows.has(line.row));
    if (!repeat && part.lines.length > 0 && !fresh) continue;
    write = await i.write(part, k, parts.length, context);
  }
  return write === undefined ? outcome : { ...outcome, write, ...(parts.length > 1 ? { parts: parts.length } : {}) };
}

/** A file written whole, as one event. */
export function onePart<L>(lines: readonly L[]): ImportPart<L>[] {
  return [{ lines, context: 0 }];
}

function previewOf<L extends { row: number }, V>(i: FileImport<L, V>): NonNullable<ImportOutcome<V>['preview']> {
  const { read, plan } = i;
  const duplicate = new Set(plan.duplicateRows);
  const problems = [...read.problems, ...(i.refusal !== null ? [i.refusal] : [])].map((p) => ({
    row: p.row,
    error: p.error.code,
    message: p.error.message,
  }));
  if (read.lines.length === 0 && problems.length === 0) {
    const e = i.empty();
    problems.push({ row: read.headerRow, error: e.code, message: e.message });
  }
  return {
    lines: read.lines.map((line) => ({ ...i.lineView(line), status: duplicate.has(line.row) ? 'duplicate' : 'new' })),
    problems: problems.sort((a, b) => a.row - b.row),
  };
}

/**
 * The context of part `index` (2, 3, ...) of an import: a command id derived from the request's,
 * the same actor and cause. The seed keeps the name it had when only statements came in parts:
 * the ids of the parts already stored are derived from it.
 */
function partContext(ctx: CommandContext, index: number): CommandContext {
  return {
    ...ctx,
    commandId: uuidFromSeed(`statement-part:${ctx.commandId}/${index}`),
    requestHash: sha256Hex(`${ctx.requestHash}/${index}`),
  };
}
