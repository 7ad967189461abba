import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { SNAPSHOT_STORE } from '../event-store/event-store.module';
import { SnapshotStore } from '../event-store/snapshots';
import {
  CommandContext,
  SNAPSHOT_EVERY_EVENTS,
  WriteObserver,
  WriteResult,
  Writer,
  writerFor,
} from '../event-store/write-path';
import { MetricsService } from '../ops/metrics.service';
import { ProjectCommand } from '../project/project.commands';
import { ProjectState, projectDecider } from '../project/project.decider';
import { ProjectEvent, projectStreamId } from '../project/project.events';
import { ProjectErrors } from '../project/project.errors';
import { KeyedQueue } from '../shared/concurrency/keyed-queue';
import { BankAccountQueries } from './bank-accounts/bank-account-queries';
import { projectEntryDate } from './fiscal-years/entry-dates';
import { FiscalYearQueries } from './fiscal-years/fiscal-year-queries';

export type ProjectWriter = Writer<ProjectState, ProjectCommand>;
export const PROJECT_WRITER = Symbol('PROJECT_WRITER');

/** The write path for project streams (see writerFor), starting long streams from their snapshots. */
export function projectWriterFor(
  store: EventStore,
  snapshots?: SnapshotStore,
  observer?: WriteObserver,
): ProjectWriter {
  return writerFor<ProjectState, ProjectCommand, ProjectEvent>(
    store,
    projectDecider,
    snapshots && { store: snapshots, everyEvents: SNAPSHOT_EVERY_EVENTS },
    observer,
  );
}

export const projectWriterProvider = {
  provide: PROJECT_WRITER,
  inject: [EVENT_STORE, SNAPSHOT_STORE, MetricsService],
  useFactory: projectWriterFor,
};

/** Any command on one project's stream, routed by the CommandBus. */
export class ExecuteProjectCommand extends Command<WriteResult> {
  constructor(
    readonly command: ProjectCommand,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * The stream is the one the command names; the decider refuses a project that is not registered.
 *
 * A receipt's reference and a payment's voucher are unique per bank account (issue 18): among the
 * receipts (payments) of every project an account serves, not fully reversed, so a statement line
 * matches one entry by its reference. The accounts are other streams than the project's, so the
 * check is made here, before the write, with the receipts and payments of one account checked and
 * written one at a time in this process (another process racing this one can get past it, as an
 * allocation can: docs/reconciliation.md).
 *
 * A money entry dated in a closed fiscal year is refused first (409 year-closed: docs/api.md,
 * "Closing a year"), from the in-memory index of closed years.
 */
@CommandHandler(ExecuteProjectCommand)
export class ExecuteProjectCommandHandler implements ICommandHandler<ExecuteProjectCommand, WriteResult> {
  private readonly queue = new KeyedQueue();

  constructor(
    @Inject(PROJECT_WRITER) private readonly writer: ProjectWriter,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly accounts: BankAccountQueries,
    private readonly years: FiscalYearQueries,
  ) {}

  async execute({ command, context }: ExecuteProjectCommand): Promise<WriteResult> {
    await this.years.refuseClosed(projectEntryDate(command), context);
    const write = () => this.writer.execute(projectStreamId(command.projectId), command, context);
    if (command.type !== 'ReceiveFunds' && command.type !== 'DisburseFunds') return write();
    // In the order the accounts were recorded: one order for every project, as the queue asks of keys it shares.
    const accountIds = (await this.accounts.accountsServing(command.projectId)).map((id) => `account:${id}`);
    if (accountIds.length === 0) return write();
    return this.queue.run(accountIds, async () => {
      // A request sent again under its key answers its first write: its own entry holds the reference.
      if ((await this.store.readByCommand(context.commandId)).length === 0) {
        const receipt = command.type === 'ReceiveFunds';
        const reference = receipt ? command.reference : command.voucher;
        const held = await this.accounts.referenceHolder(command.projectId, receipt ? 'receipt' : 'payment', reference);
        if (held) throw ProjectErrors.referenceHeld(receipt ? 'reference' : 'voucher', reference, held);
      }
      return write();
    });
  }
}
