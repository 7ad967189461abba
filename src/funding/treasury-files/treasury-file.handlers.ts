import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { SkippedRow } from '../../bank-account/statement-file';
import { EVENT_STORE, EventStore } from '../../event-store/event-store.port';
import { CommandContext, WriteResult, Writer, writerFor } from '../../event-store/write-path';
import { PersonalDataView } from '../../events/personal-fields';
import { MetricsService } from '../../ops/metrics.service';
import {
  TreasuryFileCommand,
  TreasuryFileState,
  planTreasuryImport,
  treasuryFileDecider,
} from '../../treasury-file/treasury-file.decider';
import { TreasuryFileErrors } from '../../treasury-file/treasury-file.errors';
import { TREASURY_STREAM, TreasuryFileEvent, TreasuryFileLine } from '../../treasury-file/treasury-file.events';
import { TreasuryFileRead } from '../../treasury-file/treasury-payment-file';
import { TreasuryFileQueries, lineView } from './treasury-file-queries';

/** The write path for the treasury stream (see writerFor). */
export type TreasuryFileWriter = Writer<TreasuryFileState, TreasuryFileCommand>;
export const TREASURY_FILE_WRITER = Symbol('TREASURY_FILE_WRITER');
export const treasuryFileWriterProvider = {
  provide: TREASURY_FILE_WRITER,
  inject: [EVENT_STORE, MetricsService],
  useFactory: (store: EventStore, metrics?: MetricsService): TreasuryFileWriter =>
    writerFor<TreasuryFileState, TreasuryFileCommand, TreasuryFileEvent>(
      store,
      treasuryFileDecider,
      undefined,
      metrics,
    ),
};

/** What an import answers beside its write: the lines taken, the rows skipped and why. */
export interface TreasuryImportOutcome {
  /** Absent when nothing was written (a dry run, or every line was imported before). */
  write?: WriteResult;
  format: TreasuryFileRead['format'];
  fileHash: string;
  headerRow: number;
  imported: number;
  duplicateRows: number[];
  skippedRows: SkippedRow[];
  /** A dry run: every line read, marked new or duplicate, and what would refuse the import. */
  preview?: {
    lines: (TreasuryFileLine & { status: 'new' | 'duplicate' })[];
    problems: { row: number; error: string; message: string }[];
  };
}

export class ImportTreasuryFileCommand extends Command<TreasuryImportOutcome> {
  constructor(
    readonly read: TreasuryFileRead,
    readonly fileName: string | undefined,
    readonly dryRun: boolean,
    readonly view: PersonalDataView,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * A treasury file import, as a statement import is (ImportStatementHandler): planned on the
 * stream as it stands, written as one treasury-file-imported.v1 when it has new lines, decided
 * again on the write path. A dry run, or a file all imported before, writes nothing; a line that
 * cannot be read refuses the whole file, naming its row.
 */
@CommandHandler(ImportTreasuryFileCommand)
export class ImportTreasuryFileHandler implements ICommandHandler<ImportTreasuryFileCommand, TreasuryImportOutcome> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(TREASURY_FILE_WRITER) private readonly writer: TreasuryFileWriter,
    private readonly queries: TreasuryFileQueries,
  ) {}

  async execute(c: ImportTreasuryFileCommand): Promise<TreasuryImportOutcome> {
    const { read } = c;
    const { state } = await this.queries.state();
    const plan = planTreasuryImport(state, read.lines);
    const outcome: TreasuryImportOutcome = {
      format: read.format,
      fileHash: read.fileHash,
      headerRow: read.headerRow,
      imported: plan.fresh.length,
      duplicateRows: plan.duplicateRows,
      skippedRows: read.skipped,
    };
    if (c.dryRun) {
      const duplicate = new Set(plan.duplicateRows);
      const problems = read.problems.map((p) => ({ row: p.row, error: p.error.code, message: p.error.message }));
      if (read.lines.length === 0 && problems.length === 0) {
        const e = TreasuryFileErrors.empty();
        problems.push({ row: read.headerRow, error: e.code, message: e.message });
      }
      return {
        ...outcome,
        imported: 0,
        preview: {
          lines: read.lines.map((line) => ({
            // No id yet: the import gives it.
            ...lineView({ lineId: '', ...line }, c.view),
            status: duplicate.has(line.row) ? 'duplicate' : 'new',
          })),
          problems,
        },
      };
    }
    if (read.problems.length > 0) throw read.problems[0].error;
    const repeat = (await this.store.readByCommand(c.context.commandId)).length > 0;
    // Nothing new and not a repeat of a stored write: nothing to write, and nothing refused.
    if (!repeat && read.lines.length > 0 && plan.fresh.length === 0) return outcome;
    const write = await this.writer.execute(
      TREASURY_STREAM,
      {
        type: 'ImportTreasuryFile',
        fileHash: read.fileHash,
        ...(c.fileName !== undefined ? { fileName: c.fileName } : {}),
        format: read.format,
        lines: read.lines,
      },
      c.context,
    );
    return { ...outcome, write };
  }
}
