import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext, WriteResult } from '../../event-store/write-path';
import { FiscalYearCommand } from '../../fiscal-year/fiscal-year.commands';
import { fiscalYearStreamId } from '../../fiscal-year/fiscal-year.events';
import { FISCAL_YEAR_WRITER, FiscalYearWriter } from './fiscal-year-writer';
import { FiscalYearQueries } from './fiscal-year-queries';

/** Closing or reopening a fiscal year's books (年终结账). */
export class ActOnFiscalYearCommand extends Command<WriteResult> {
  constructor(
    readonly command: FiscalYearCommand,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(ActOnFiscalYearCommand)
export class ActOnFiscalYearHandler implements ICommandHandler<ActOnFiscalYearCommand, WriteResult> {
  constructor(
    @Inject(FISCAL_YEAR_WRITER) private readonly years: FiscalYearWriter,
    private readonly queries: FiscalYearQueries,
  ) {}

  async execute({ command, context }: ActOnFiscalYearCommand): Promise<WriteResult> {
    const result = await this.years.execute(fiscalYearStreamId(command.fiscalYear), command, context);
    // The entries of this process are judged by the year as written from the next one on.
    this.queries.noteWritten(command.fiscalYear, command.type === 'CloseFiscalYear', result.revision);
    return result;
  }
}
