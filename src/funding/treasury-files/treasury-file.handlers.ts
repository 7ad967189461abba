import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { RecordMatch } from '../../bank-account/bank-account.commands';
import { BankAccountErrors } from '../../bank-account/bank-account.errors';
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
import { ImportOutcome, importFile, onePart } from '../file-import/import-flow';
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

export class ImportTreasuryFileCommand extends Command<ImportOutcome<TreasuryFileLine>> {
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
 * A treasury file import, as a statement import is (the flow is importFile's): planned on the
 * stream as it stands, written as one treasury-file-imported.v1 when it has new lines, decided
 * again on the write path. A dry run, or a file all imported before, writes nothing; a line that
 * cannot be read refuses the whole file, naming its row. Unlike a statement, a file is never cut
 * in parts and has no running balance to refuse.
 */
@CommandHandler(ImportTreasuryFileCommand)
export class ImportTreasuryFileHandler implements ICommandHandler<
  ImportTreasuryFileCommand,
  ImportOutcome<TreasuryFileLine>
> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(TREASURY_FILE_WRITER) private readonly writer: TreasuryFileWriter,
    private readonly queries: TreasuryFileQueries,
  ) {}

  async execute(c: ImportTreasuryFileCommand): Promise<ImportOutcome<TreasuryFileLine>> {
    const { read } = c;
    const { state } = await this.queries.state();
    return importFile({
      read,
      plan: planTreasuryImport(state, read.lines),
      dryRun: c.dryRun,
      refusal: null,
      empty: TreasuryFileErrors.empty,
      // No id yet: the import gives it.
      lineView: (line) => lineView({ lineId: '', ...line }, c.view),
      parts: onePart,
      write: (part, _k, _count, context) =>
        this.writer.execute(
          TREASURY_STREAM,
          {
            type: 'ImportTreasuryFile',
            fileHash: read.fileHash,
            ...(c.fileName !== undefined ? { fileName: c.fileName } : {}),
            format: read.format,
            lines: part.lines,
          },
          context,
        ),
      store: this.store,
      context: c.context,
    });
  }
}

export class RecordTreasuryMatchCommand extends Command<WriteResult> {
  constructor(
    readonly command: RecordMatch,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * A finance user's decision on treasury file lines and treasury direct payments, as on a bank
 * account's lines (RecordMatchHandler): the entries are the projects' treasury payments, another
 * stream's, checked here; the rest is the decider's (match-decisions.ts).
 */
@CommandHandler(RecordTreasuryMatchCommand)
export class RecordTreasuryMatchHandler implements ICommandHandler<RecordTreasuryMatchCommand, WriteResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(TREASURY_FILE_WRITER) private readonly writer: TreasuryFileWriter,
    private readonly queries: TreasuryFileQueries,
  ) {}

  async execute({ command, context }: RecordTreasuryMatchCommand): Promise<WriteResult> {
    if ((await this.store.readByCommand(context.commandId)).length === 0) {
      const known = new Set((await this.queries.treasuryPayments()).map((p) => `${p.projectId}/${p.paymentId}`));
      for (const r of command.entries)
        if (!known.has(`${r.projectId}/${r.entryId}`)) throw BankAccountErrors.entryNotFound(r.projectId, r.entryId);
    }
    return this.writer.execute(TREASURY_STREAM, command, context);
  }
}
