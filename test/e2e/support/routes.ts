/**
 * The service's routes as the specs that walk all of them read them: from the controllers' route
 * metadata (what Nest registers, src/http/openapi.ts's `ledgerRoutes`) and from the OpenAPI
 * document (what clients are told), so a new route is walked without editing a spec.
 */
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

/** Every route of the running service's controllers. */
export function registeredRoutes(ledger: TestLedger): RegisteredRoute[] {
  return ledger.routes().map((r) => ({
    method: r.method.toUpperCase(),
    path: r.path.replace(/\{(\w+)\}/g, ':$1'),
    query: declaredQueryParams(r.controller, r.handlerName),
  }));
}

/** A JSON schema as the OpenAPI document holds a request body's, its references resolved. */
export interface FieldSchema {
  type?: string;
  enum?: string[];
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  example?: unknown;
  required?: string[];
  properties?: Record<string, FieldSchema>;
  items?: FieldSchema;
}
export type BodySchema = FieldSchema & { properties: Record<string, FieldSchema> };

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
    components?: { schemas?: Record<string, OpenApiSchema> };
  };
  const schemas = doc.components?.schemas ?? {};
  const operations = new Map<string, DocumentedOperation>();
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const schema = op.requestBody?.content?.['application/json']?.schema;
      const body = schema ? resolved(schema, schemas) : undefined;
      operations.set(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`, {
        query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
        ...(body?.properties ? { body: body as BodySchema } : {}),
      });
    }
  }
  return operations;
}

type OpenApiSchema = FieldSchema & {
  $ref?: string;
  allOf?: OpenApiSchema[];
  properties?: Record<string, OpenApiSchema>;
  items?: OpenApiSchema;
};

interface OpenApiOperation {
  parameters?: { in: string; name: string }[];
  requestBody?: { content?: Record<string, { schema?: OpenApiSchema }> };
}

/** A schema with its `$ref`s and `allOf`s replaced by what they name (the document's DTOs hold no cycle). */
function resolved(schema: OpenApiSchema, schemas: Record<string, OpenApiSchema>): FieldSchema {
  const { $ref, allOf, properties, items, ...own } = schema;
  const base = $ref ? resolved(schemas[$ref.split('/').pop()!], schemas) : {};
  const merged = (allOf ?? []).reduce<FieldSchema>((acc, part) => ({ ...acc, ...resolved(part, schemas) }), base);
  return {
    ...merged,
    ...own,
    ...(properties
      ? { properties: Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, resolved(v, schemas)])) }
      : {}),
    ...(items ? { items: resolved(items, schemas) } : {}),
  };
}
