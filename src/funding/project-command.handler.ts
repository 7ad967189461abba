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

/** The stream is the one the command names; the decider refuses a project that is not registered. */
@CommandHandler(ExecuteProjectCommand)
export class ExecuteProjectCommandHandler implements ICommandHandler<ExecuteProjectCommand, WriteResult> {
  constructor(@Inject(PROJECT_WRITER) private readonly writer: ProjectWriter) {}

  execute({ command, context }: ExecuteProjectCommand): Promise<WriteResult> {
    return this.writer.execute(projectStreamId(command.projectId), command, context);
  }
}
