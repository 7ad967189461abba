import { Inject, Injectable } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { CommandContext, CommandWriter, WriteResult } from '../event-store/handle-command';
import { ProjectCommand } from '../project/project.commands';
import { ProjectState, projectDecider } from '../project/project.decider';
import { ProjectErrors } from '../project/project.errors';
import { ProjectEvent, projectStreamId } from '../project/project.events';

/** The write path for project streams, one per service (it owns the folded-state cache). */
@Injectable()
export class ProjectWriter extends CommandWriter<ProjectState, ProjectCommand, ProjectEvent> {
  constructor(@Inject(EVENT_STORE) store: EventStore) {
    super(store, projectDecider);
  }
}

/** Any command on one project's stream, routed by the CommandBus. */
export class ExecuteProjectCommand extends Command<WriteResult> {
  constructor(
    readonly projectId: string,
    readonly command: ProjectCommand,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(ExecuteProjectCommand)
export class ExecuteProjectCommandHandler implements ICommandHandler<ExecuteProjectCommand, WriteResult> {
  constructor(private readonly writer: ProjectWriter) {}

  execute({ projectId, command, context }: ExecuteProjectCommand): Promise<WriteResult> {
    return this.writer.execute(projectStreamId(projectId), command, context, (_state, revision) => {
      // No money, approval or budget before registration: the stream must exist (404 names the id).
      if (command.type !== 'RegisterProject' && revision < 0n) throw ProjectErrors.projectNotFound(projectId);
    });
  }
}
