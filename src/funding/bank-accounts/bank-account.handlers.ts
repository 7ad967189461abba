import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EVENT_STORE, EventStore, MAX_APPEND_BYTES } from '../../event-store/event-store.port';
import { CommandContext, WriteResult } from '../../event-store/write-path';
import { OpenBankAccount, ParsedStatementLine, RecordMatch } from '../../bank-account/bank-account.commands';
import { planImport } from '../../bank-account/bank-account.decider';
import { BankAccountErrors } from '../../bank-account/bank-account.errors';
import { StatementLine, bankAccountStreamId } from '../../bank-account/bank-account.events';
import { StatementRead } from '../../bank-account/statement-file';
import { GENESIS_HASH } from '../../event-store/hashing';
import { brokenStreamsOf, verifyStored } from '../../event-store/integrity';
import { PersonalDataView } from '../../events/personal-fields';
import { ProjectErrors } from '../../project/project.errors';
import { projectStreamId } from '../../project/project.events';
import { ImportOutcome, ImportPart, importFile } from '../file-import/import-flow';
import { BANK_ACCOUNT_WRITER, BankAccountWriter } from './bank-account-writer';
import { BankAccountQueries, lineView } from './bank-account-queries';

export class OpenBankAccountCommand extends Command<WriteResult> {
  constructor(
    readonly command: OpenBankAccount,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(OpenBankAccountCommand)
export class OpenBankAccountHandler implements ICommandHandler<OpenBankAccountCommand, WriteResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(BANK_ACCOUNT_WRITER) private readonly accounts: BankAccountWriter,
    private readonly queries: BankAccountQueries,
  ) {}

  async execute({ command, context }: OpenBankAccountCommand): Promise<WriteResult> {
    // An account serves projects the ledger knows: its reconciliation reads their receipts and payments.
    if ((await this.store.readByCommand(context.commandId)).length === 0)
      for (const projectId of command.projectIds) await this.refuseUnknown(projectId);
    const result = await this.accounts.execute(bankAccountStreamId(command.accountId), command, context);
    // The receipts and payments of its projects are checked against the account from the next one on.
    this.queries.noteOpened(command.accountId, command.projectIds);
    return result;
  }

  /**
   * 404 unless the project's stream has a first event: that one is read and verified, not the
   * whole stream (the reads that fold it verify the rest); a stream known to be broken is refused.
   */
  private async refuseUnknown(projectId: string): Promise<void> {
    const streamId = projectStreamId(projectId);
    const broken = brokenStreamsOf(this.store);
    broken.refuseBroken(streamId);
    const [first] = await this.store.readStream(streamId, 0n, 1);
    if (first === undefined) throw ProjectErrors.projectNotFound(projectId);
    verifyStored(broken, first, -1n, GENESIS_HASH, 'read');
  }
}

export class ImportStatementCommand extends Command<ImportOutcome<StatementLine>> {
  constructor(
    readonly accountId: string,
    readonly read: StatementRead,
    readonly fileName: string | undefined,
    readonly dryRun: boolean,
    readonly view: PersonalDataView,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * A statement import: planned on the account as it stands (which lines are new, whether the
 * balance runs), written as one statement-imported.v1 when it has new lines (a file too large for
 * one event, in parts: statementParts), decided again on the write path (the decider refuses what
 * the plan found). A dry run, or a file all imported before, writes nothing. The same
 * Idempotency-Key sent again answers the first write. The flow is importFile's.
 */
@CommandHandler(ImportStatementCommand)
export class ImportStatementHandler implements ICommandHandler<ImportStatementCommand, ImportOutcome<StatementLine>> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(BANK_ACCOUNT_WRITER) private readonly accounts: BankAccountWriter,
    private readonly queries: BankAccountQueries,
  ) {}

  async execute(c: ImportStatementCommand): Promise<ImportOutcome<StatementLine>> {
    const { read } = c;
    const { state } = await this.queries.state(c.accountId);
    const plan = planImport(state, read.lines);
    const b = plan.balanceBreak;
    return importFile({
      read,
      plan,
      dryRun: c.dryRun,
      // The whole file's balance runs, or no part of it is written.
      refusal:
        b === null ? null : { row: b.row, error: BankAccountErrors.balanceBreak(b.row, b.expected, b.stated, b.after) },
      empty: BankAccountErrors.statementEmpty,
      // No id yet: the import gives it (PreviewLineDto documents '').
      lineView: (line) => lineView({ lineId: '', ...line }, c.view),
      parts: statementParts,
      write: (part, k, count, context) =>
        this.accounts.execute(
          bankAccountStreamId(c.accountId),
          {
            type: 'ImportStatement',
            fileHash: read.fileHash,
            ...(c.fileName !== undefined ? { fileName: c.fileName } : {}),
            format: read.format,
            lines: part.lines,
            ...(count > 1 ? { part: { index: k + 1, of: count, context: part.context } } : {}),
          },
          context,
        ),
      store: this.store,
      context: c.context,
    });
  }
}

/** What one part of a statement may take as stored: half of what one append holds, the rest left to its metadata. */
export const STATEMENT_PART_BYTES = MAX_APPEND_BYTES / 2;

/**
 * A statement cut into parts that each fit one event (a year of a busy account's lines does not),
 * by the lines' size as stored, so the same file is always cut the same way (a part's command id
 * is derived from its index: sent again, each part answers its first write). Each part after the
 * first starts with the last line of the part before, as context, so the decider checks the
 * running balance across the cut; the handler checks the whole file's balance before any part is
 * written. A file that fits is one part with no context, written as before.
 */
export function statementParts(
  lines: readonly ParsedStatementLine[],
  budget = STATEMENT_PART_BYTES,
): ImportPart<ParsedStatementLine>[] {
  const parts: ImportPart<ParsedStatementLine>[] = [];
  let start = 0;
  let bytes = 0;
  for (const [i, line] of lines.entries()) {
    // Its lineId ("L" and up to 9 digits) and the JSON around it, at most 32 bytes more.
    const size = Buffer.byteLength(JSON.stringify(line)) + 32;
    if (i > start && bytes + size > budget) {
      parts.push({ lines: lines.slice(Math.max(start - 1, 0), i), context: start > 0 ? 1 : 0 });
      start = i;
      bytes = 0;
    }
    bytes += size;
  }
  parts.push({ lines: lines.slice(Math.max(start - 1, 0)), context: start > 0 ? 1 : 0 });
  return parts;
}

export class RecordMatchCommand extends Command<WriteResult> {
  constructor(
    readonly accountId: string,
    readonly command: RecordMatch,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RecordMatchCommand)
export class RecordMatchHandler implements ICommandHandler<RecordMatchCommand, WriteResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(BANK_ACCOUNT_WRITER) private readonly accounts: BankAccountWriter,
    private readonly queries: BankAccountQueries,
  ) {}

  async execute({ accountId, command, context }: RecordMatchCommand): Promise<WriteResult> {
    if ((await this.store.readByCommand(context.commandId)).length === 0) {
      // The entries are the account's projects' receipts and payments: another stream's, checked here.
      const { state } = await this.queries.state(accountId);
      const items = await this.queries.ledgerItems(state.projectIds, 'shown');
      const known = new Set(items.map(({ item }) => `${item.projectId}/${item.entryId}`));
      for (const r of command.entries)
        if (!known.has(`${r.projectId}/${r.entryId}`)) throw BankAccountErrors.entryNotFound(r.projectId, r.entryId);
    }
    return this.accounts.execute(bankAccountStreamId(accountId), command, context);
  }
}
