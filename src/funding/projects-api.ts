import { Controller, Inject, Injectable, Post, applyDecorators } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthedRequest, Roles } from '../auth/auth.guard';
import { Role } from '../auth/tokens';
import { TownScope, TownScopedWrite } from '../auth/town-scope';
import { CLOCK } from '../config/clock.provider';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { WriteResponseHeaders, answerWrite, commandContextFor } from '../http/command-context';
import { CommandWrite, WRITE_RESPONSE_HEADERS, WriteResponse } from '../http/openapi-responses';
import { ProjectCommand } from '../project/project.commands';
import { Clock } from '../shared/time/clock';
import { ExecuteProjectCommand } from './project-command.handler';

/**
 * What the project routes share: their prefix and OpenAPI tag, the shape of a write route,
 * and the one way a write request becomes a command on the bus. Each use case (a folder beside
 * this file) has its own controller, DTO and typed command.
 */
export const PROJECTS_PATH = 'api/projects';

/** The controller of routes under /api/projects (the write slices and the queries). */
export function ProjectsApi(): ClassDecorator {
  return applyDecorators(Controller(PROJECTS_PATH), ApiBearerAuth(), ApiTags('projects'));
}

/** A write route: its path under /api/projects, written once, and what is derived from it. */
export interface ProjectWriteRoute {
  path: string;
  /** What the request hash (idempotency) names the route: the method and the full path, as hashed since the first release. */
  requestName: string;
  operationId: string;
}

/**
 * `operation` keeps the OpenAPI operation id the route had when all project routes were one
 * controller (ProjectsController): client generators name their methods after it.
 */
export function projectWriteRoute(path: string, operation: string): ProjectWriteRoute {
  return {
    path,
    requestName: `POST /${[PROJECTS_PATH, path].filter((p) => p !== '').join('/')}`,
    operationId: `ProjectsController_${operation}`,
  };
}

/**
 * The route's POST, who may send it (a town-scoped token: for its towns' projects), its OpenAPI
 * summary and answer (the refusals particular to the route are its own `Refuses`).
 */
export function ProjectWrite(route: ProjectWriteRoute, roles: readonly Role[], summary: string): MethodDecorator {
  return applyDecorators(
    ApiOperation({ summary, operationId: route.operationId }),
    ApiCreatedResponse({ type: WriteResponse, headers: WRITE_RESPONSE_HEADERS, description: 'written (or replayed)' }),
    CommandWrite({ ifMatch: 'the project stream' }),
    Roles(...roles),
    TownScopedWrite(),
    Post(route.path),
  );
}

@Injectable()
export class ProjectWrites {
  constructor(
    private readonly commands: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly towns: TownScope,
  ) {}

  /**
   * Sends the command a write request becomes, and answers it. The request hash covers the
   * route, the project's id (and the route's other parameters) and the body as sent; `commandOf` is given the day the request is
   * recorded (UTC), which dates a reversal that names no date. A town-scoped actor's command is
   * refused before it is sent when the project is not in its towns.
   */
  async write(
    req: AuthedRequest,
    res: WriteResponseHeaders,
    route: ProjectWriteRoute,
    projectId: string,
    body: object,
    commandOf: (today: string) => ProjectCommand,
    /** The route's other path parameters (`householdId`): the request hash covers them too. */
    params: Record<string, string> = {},
  ) {
    const context = await commandContextFor(
      this.store,
      req,
      route.requestName,
      { id: projectId, ...params },
      body,
      this.clock,
    );
    const command = commandOf(context.recordedAt.slice(0, 10));
    await this.towns.checkProjectWrite(req.actor, command);
    return answerWrite(
      res,
      context.idempotencyKey,
      await this.commands.execute(new ExecuteProjectCommand(command, context)),
    );
  }
}
