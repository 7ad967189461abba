import { Query } from '@nestjs/common';
import { ApiQuery, DECORATORS, SchemaObject } from '@nestjs/swagger';

/** A query parameter as the OpenAPI document describes it (every one is optional). */
export interface QueryParamDoc {
  name: string;
  description: string;
  schema: SchemaObject;
}

/**
 * A handler's query parameter, declared once: `@Query(name)`, which is both what the handler is
 * given and what the strict query check lets through (query-params.interceptor.ts), and the same
 * parameter in the OpenAPI document. A parameter documented but not taken, or taken but not
 * documented, cannot be written this way.
 */
export function QueryParam(param: QueryParamDoc): ParameterDecorator {
  return (target, key, index) => {
    Query(param.name)(target, key, index);
    // A parameter decorator runs once the method is on the prototype: document it on that method.
    const descriptor = Object.getOwnPropertyDescriptor(target, key!)!;
    ApiQuery({ required: false, ...param })(target, key!, descriptor);
    // Parameter decorators run last parameter first, and ApiQuery appends: move this one to the
    // front, so the document lists the parameters in the handler's order.
    const documented = Reflect.getMetadata(DECORATORS.API_PARAMETERS, descriptor.value as object) as unknown[];
    documented.unshift(documented.pop());
  };
}

/** `asOf` and `knownAt`: time travel (docs/api.md, "Time travel"). */
export const AS_OF: QueryParamDoc = {
  name: 'asOf',
  description: 'YYYY-MM-DD: what had happened by the end of that day (business dates), replayed from the log',
  schema: { type: 'string', format: 'date', example: '2022-12-31' },
};
export const KNOWN_AT: QueryParamDoc = {
  name: 'knownAt',
  description: 'ISO-8601 time (a bare date is its midnight UTC): what the ledger had recorded by then',
  schema: { type: 'string', example: '2023-01-01T00:00:00Z' },
};
