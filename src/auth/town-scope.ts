import { Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { ProjectCommand } from '../project/project.commands';
import { ProjectErrors } from '../project/project.errors';
import { ProjectEventType, projectEvents, projectStreamId } from '../project/project.events';
import { DomainError, assert } from '../shared/domain/domain-error';
import { Actor } from './tokens';

/**
 * Town-scoped writers (issue 14, point 12): a token with `towns` (a street office's clerk) writes
 * only projects of those towns, and their entries; reads stay district-wide. Everything that is
 * not one project's is the district's: fund batches (an upper level's money, allocated across
 * towns by the finance bureau), seals, projection rebuilds. A scoped token may not write those.
 */
const TOWN_SCOPED_KEY = 'ledger:town-scoped-write';

/** Marks a write route whose target is one project: TownScope checks the project's town where the write is made. */
export const TownScopedWrite = () => SetMetadata(TOWN_SCOPED_KEY, true);

export function isTownScopedWrite(reflector: Reflector, targets: Parameters<Reflector['getAllAndOverride']>[1]) {
  return reflector.getAllAndOverride<boolean>(TOWN_SCOPED_KEY, targets) === true;
}

export const TownErrors = {
  outsideTowns: (actor: Actor, projectId: string, town: string) =>
    new DomainError(
      'outside-town-scope',
      `${actor.actorId} writes for ${townList(actor)} only; project ${projectId} is in ${town}`,
      403,
    ),
  districtWrite: (actor: Actor) =>
    new DomainError(
      'outside-town-scope',
      `${actor.actorId} writes for ${townList(actor)} only; this write is the district's (fund batches, seals, rebuilds) and needs a token without towns`,
      403,
    ),
};

function townList(actor: Actor): string {
  return (actor.towns ?? []).join(', ');
}

@Injectable()
export class TownScope {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /**
   * Refuses (403 outside-town-scope) a project write by a town-scoped actor to a project of
   * another town: a registration by the town it names, any other command by the town the project
   * was registered in. A project's town never changes after registration, so reading it before
   * the write decides is no race. Unscoped actors pass without a read.
   */
  async checkProjectWrite(actor: Actor | undefined, command: ProjectCommand): Promise<void> {
    if (!actor?.towns) return;
    const town = command.type === 'RegisterProject' ? command.town : await this.townOf(command.projectId);
    if (!actor.towns.includes(town)) throw TownErrors.outsideTowns(actor, command.projectId, town);
  }

  /** The town a project was registered in; 404 for a project that is not (what the decider would answer). */
  private async townOf(projectId: string): Promise<string> {
    const [first] = await this.store.readStream(projectStreamId(projectId), 0n, 1);
    if (!first) throw ProjectErrors.projectNotFound(projectId);
    const registered = projectEvents.parse(first);
    assert(registered.type === ProjectEventType.registered, `${first.streamId} begins with its registration`);
    return registered.data.town;
  }
}
