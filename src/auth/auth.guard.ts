import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '../shared/domain/domain-error';
import { TokenRegistry } from './token-registry';
import { Actor, Role } from './tokens';
import { TownErrors, isTownScopedWrite } from './town-scope';

export const TOKENS = Symbol('TOKENS');
const ROLES_KEY = 'ledger:roles';
const PUBLIC_KEY = 'ledger:public';
/** Methods that read: a token's towns never narrow them. */
const READ_METHODS = new Set(['GET', 'HEAD']);

/** Only these roles may call the route. Without it, any valid token may. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
/** No token needed (health, funding-source taxonomy is not public: only health and docs are). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** `Bearer <token>`: the scheme in any case (RFC 9110 §11.1: `bearer`, `BEARER`), then spaces or tabs. */
const BEARER = /^bearer[ \t]+/i;

/**
 * The token an Authorization header carries in the Bearer scheme, or null when it carries none (no
 * header, another scheme). The guard and the live stream read a header the same way, here.
 */
export function bearerTokenOf(header: string | string[] | undefined): string | null {
  if (typeof header !== 'string') return null;
  const scheme = BEARER.exec(header);
  return scheme === null ? null : header.slice(scheme[0].length).trim();
}

/** Who may call a route, as the guard reads it: the OpenAPI document (http/openapi.ts) says the same. */
export function routeAccess(
  reflector: Reflector,
  targets: Parameters<Reflector['getAllAndOverride']>[1],
): { public: boolean; roles: Role[] | undefined } {
  return {
    public: reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) === true,
    roles: reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets),
  };
}

export interface AuthedRequest {
  headers: Record<string, string | string[] | undefined>;
  method?: string;
  actor?: Actor;
}

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKENS) private readonly tokens: TokenRegistry,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    const access = routeAccess(this.reflector, targets);
    if (access.public) return true;
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const token = bearerTokenOf(req.headers['authorization']);
    if (token === null) {
      throw new DomainError(
        'unauthenticated',
        'send Authorization: Bearer <token> (tokens come from LEDGER_TOKENS_FILE)',
        401,
      );
    }
    const actor = this.tokens.actorOf(token);
    if (!actor) throw new DomainError('unauthenticated', 'the bearer token is not known to this ledger', 401);
    req.actor = actor;
    const roles = access.roles;
    if (roles && !roles.includes(actor.role)) {
      throw new DomainError(
        'forbidden',
        `role ${actor.role} may not do this; it needs one of: ${roles.join(', ')}`,
        403,
      );
    }
    // A token scoped to towns writes projects of those towns only (checked per project where the
    // write is made, town-scope.ts); every other write is the district's, refused here.
    if (actor.towns && !READ_METHODS.has(req.method ?? '') && !isTownScopedWrite(this.reflector, targets))
      throw TownErrors.districtWrite(actor);
    return true;
  }
}
