/**
 * The service's routes as the specs that walk all of them read them: from the controllers' route
 * metadata (what Nest registers) and from the OpenAPI document (what clients are told), so a new
 * route is walked without editing a spec.
 */
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { AppModule } from '../../../src/app.module';
import { loadConfig } from '../../../src/config/config';
import { EventStore } from '../../../src/event-store/event-store.port';
import { declaredQueryParams } from '../../../src/http/query-params.interceptor';
import { TestLedger } from './test-app';

export interface RegisteredRoute {
  /** 'GET', 'POST', ... */
  method: string;
  /** As `/api/projects/:id/receipts`. */
  path: string;
  /** The query parameters its handler declares; 'any' when it takes the whole query. */
  query: readonly string[] | 'any';
}

/** Every route in the controllers' metadata. */
export function registeredRoutes(): RegisteredRoute[] {
  const module = AppModule.forConfig(loadConfig({}), {} as EventStore);
  const routes: RegisteredRoute[] = [];
  for (const controller of module.controllers ?? []) {
    const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    const proto = (controller as { prototype: object }).prototype;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const handler = (proto as Record<string, unknown>)[name];
      const method = typeof handler === 'function' ? Reflect.getMetadata(METHOD_METADATA, handler) : undefined;
      if (method === undefined) continue;
      const path = String(Reflect.getMetadata(PATH_METADATA, handler as object) ?? '');
      routes.push({
        method: RequestMethod[method as RequestMethod],
        path: `/${[base, path].filter((p) => p !== '' && p !== '/').join('/')}`,
        query: declaredQueryParams(controller, name),
      });
    }
  }
  return routes;
}

/** A JSON schema as the OpenAPI document holds a request body's (components resolved). */
export interface BodySchema {
  required?: string[];
  properties: Record<string, FieldSchema>;
}
export interface FieldSchema {
  type?: string;
  enum?: string[];
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
}

export interface DocumentedOperation {
  /** The query parameters the document lists. */
  query: string[];
  /** The JSON body's schema, for an operation that takes one. */
  body?: BodySchema;
}

/** The OpenAPI document's operations, by `METHOD /api/projects/:id` (paths written as Nest writes them). */
export async function openApiOperations(ledger: TestLedger): Promise<Map<string, DocumentedOperation>> {
  const doc = (await ledger.get('/docs-json', null)).body as {
    paths: Record<string, Record<string, OpenApiOperation>>;
    components?: { schemas?: Record<string, BodySchema> };
  };
  const operations = new Map<string, DocumentedOperation>();
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const ref = op.requestBody?.content?.['application/json']?.schema?.$ref;
      const body = ref ? doc.components?.schemas?.[ref.split('/').pop()!] : undefined;
      operations.set(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`, {
        query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
        ...(body ? { body } : {}),
      });
    }
  }
  return operations;
}

interface OpenApiOperation {
  parameters?: { in: string; name: string }[];
  requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> };
}
