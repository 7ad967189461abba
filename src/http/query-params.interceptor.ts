import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { Observable } from 'rxjs';
import { DomainError } from '../shared/domain/domain-error';

/**
 * A route's query parameters are the ones its handler declares with `@Query('name')`: that
 * declaration is the one place, and this check holds every request to it before the handler
 * runs. A parameter the route does not take (`?fiscalyear=` for `fiscalYear`, `?source=` on a
 * report without that filter, `?stream[]=`) or one given twice (`?format=csv&format=xlsx`, an
 * array) is 400 `invalid-query` naming it, where it used to be ignored: a client that misspells a
 * filter must not read the unfiltered answer as the filtered one.
 */
@Injectable()
export class QueryParamsInterceptor implements NestInterceptor {
  private readonly allowedByHandler = new WeakMap<object, readonly string[] | 'any'>();

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const query = context.switchToHttp().getRequest<{ query?: Record<string, unknown> }>().query ?? {};
      checkQuery(query, this.allowed(context));
    }
    return next.handle();
  }

  private allowed(context: ExecutionContext): readonly string[] | 'any' {
    const handler = context.getHandler();
    let allowed = this.allowedByHandler.get(handler);
    if (allowed === undefined) {
      allowed = declaredQueryParams(context.getClass(), handler.name);
      this.allowedByHandler.set(handler, allowed);
    }
    return allowed;
  }
}

/** The names a handler takes with `@Query('name')`; 'any' when it takes the whole query (`@Query()`). */
export function declaredQueryParams(controller: object, method: string): readonly string[] | 'any' {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<
    string,
    { index: number; data?: unknown }
  >;
  const query = Object.entries(args)
    .filter(([key]) => key.split(':')[0] === String(RouteParamtypes.QUERY))
    .map(([, arg]) => arg)
    .sort((a, b) => a.index - b.index); // in the handler's order, to name them as it does
  if (query.some((arg) => typeof arg.data !== 'string')) return 'any';
  return query.map((arg) => arg.data as string);
}

/** Refuses a parameter the route does not declare, and any given more than once or as a structure. */
export function checkQuery(query: Record<string, unknown>, allowed: readonly string[] | 'any'): void {
  for (const [name, value] of Object.entries(query)) {
    if (allowed !== 'any' && !allowed.includes(name)) {
      const takes = allowed.length === 0 ? 'it takes none' : `it takes ${allowed.join(', ')}`;
      const meant = allowed.find((a) => a.toLowerCase() === name.toLowerCase().replace(/\[\]$/, ''));
      throw new DomainError(
        'invalid-query',
        `${name} is not a query parameter of this route (${takes})${meant ? `; did you mean ${meant}?` : ''}`,
        400,
        name,
      );
    }
    if (typeof value !== 'string')
      throw new DomainError('invalid-query', `${name} must be given once, as one plain value`, 400, name);
  }
}
