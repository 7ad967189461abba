import { INestApplication, RequestMethod, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, OperationObject, SwaggerModule, getSchemaPath } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';
import { routeAccess } from '../auth/auth.guard';
import { describeProjectionsController } from './openapi-projections';
import { ErrorResponse, RefusalStatus, Refusals, declaredRefusals, mergeRefusals } from './openapi-responses';
import { declaredQueryParams } from './query-params.interceptor';

/** A route of the application, as its controller declares it. */
export interface LedgerRoute {
  controller: Type;
  handlerName: string;
  handler: object;
  /** Lower case, as OpenAPI keys operations: `get`, `post`. */
  method: string;
  /** As OpenAPI writes it: `/api/projects/{id}`. */
  path: string;
}

/**
 * The OpenAPI document of the service, as `/docs` serves it: what @nestjs/swagger reads from the
 * controllers and DTOs, completed with what every route shares (the bearer scheme, the servers,
 * open health routes) and each route's refusals (`ErrorResponse`, with their codes in
 * `x-error-codes`). The document is linted in `npm test` (test/integration/openapi.int.spec.ts).
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('renovation-ledger')
    .setDescription(
      'Event-sourced funding ledger for old residential community renovation (城镇老旧小区改造), 潼南府办发〔2021〕71号. ' +
        'Every refusal is an `ErrorResponse` whose `error` is a stable code; each response lists the codes it may carry ' +
        'in `x-error-codes` (docs/api.md, "Error codes").',
    )
    .setVersion('0.1.0')
    // Relative: the document is served by the service it describes, wherever that is reached.
    .addServer('/')
    // An opaque token from LEDGER_TOKENS_FILE: no bearerFormat, which would call it a JWT.
    .addSecurity('bearer', {
      type: 'http',
      scheme: 'bearer',
      description: 'a token of LEDGER_TOKENS_FILE (an opaque string, not a JWT)',
    })
    .addSecurityRequirements('bearer')
    .build();
  describeProjectionsController();
  const doc = SwaggerModule.createDocument(app, config, { extraModels: [ErrorResponse] });
  for (const route of ledgerRoutes(app)) completeOperation(operationOf(doc, route), route);
  return doc;
}

/** Every route of every controller of the application. */
export function ledgerRoutes(app: INestApplication): LedgerRoute[] {
  const scanner = new MetadataScanner();
  const routes: LedgerRoute[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type;
      const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      for (const handlerName of scanner.getAllMethodNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, object>)[handlerName];
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        const path = String(Reflect.getMetadata(PATH_METADATA, handler) ?? '');
        routes.push({
          controller,
          handlerName,
          handler,
          method: RequestMethod[method].toLowerCase(),
          path: `/${[base, path]
            .flatMap((p) => p.split('/'))
            .filter((p) => p !== '')
            .join('/')}`.replace(/:(\w+)/g, '{$1}'),
        });
      }
    }
  }
  return routes;
}

function operationOf(doc: OpenAPIObject, route: LedgerRoute): OperationObject {
  const operation = (doc.paths[route.path] as Record<string, OperationObject> | undefined)?.[route.method];
  if (!operation) throw new Error(`the OpenAPI document lacks ${route.method.toUpperCase()} ${route.path}`);
  return operation;
}

function completeOperation(operation: OperationObject, route: LedgerRoute): void {
  const access = routeAccess(new Reflector(), [route.handler as () => void, route.controller]);
  // An empty requirement overrides the document's bearer requirement: no token needed.
  if (access.public) operation.security = [];
  const refusals = mergeRefusals(derivedRefusals(route, access), declaredRefusals(route.handler));
  for (const [status, codes] of Object.entries(refusals) as [`${RefusalStatus}`, string[]][]) {
    operation.responses[status] = {
      description: `${STATUS_TEXT[Number(status) as RefusalStatus]}: ${codes.map((c) => `\`${c}\``).join(', ')}`,
      content: { 'application/json': { schema: { $ref: getSchemaPath(ErrorResponse) } } },
      'x-error-codes': codes,
    } as OperationObject['responses'][string];
  }
}

const STATUS_TEXT: Record<RefusalStatus, string> = {
  400: 'Bad request',
  401: 'Unauthenticated',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  412: 'Precondition failed',
  413: 'Too large (the body, or the events it would write)',
  415: 'Unsupported media type',
  422: 'A rule of the ledger refuses it',
  429: 'Too many requests',
  503: 'Unavailable',
};

/**
 * The refusals a route answers by what it is, each where the code makes it: the strict query
 * check (every route), path decoding, the auth guard (a token, roles, town-scoped writers), the
 * JSON body parser and the validation pipe (a body and its DTO's checks), and time travel.
 */
function derivedRefusals(route: LedgerRoute, access: ReturnType<typeof routeAccess>): Refusals {
  const query = declaredQueryParams(route.controller, route.handlerName);
  const timeTravel = query === 'any' || query.includes('asOf') || query.includes('knownAt');
  const dto = bodyDto(route);
  const isWrite = route.method !== 'get';
  return mergeRefusals(
    { 400: ['invalid-query'] },
    route.path.includes('{') ? { 400: ['invalid-request'] } : {},
    access.public ? {} : { 401: ['unauthenticated'] },
    access.roles ? { 403: ['forbidden'] } : {},
    isWrite && !access.public ? { 403: ['outside-town-scope'] } : {},
    isWrite ? { 400: ['invalid-json', 'invalid-body'], 413: ['body-too-large'], 415: ['unsupported-media-type'] } : {},
    dto ? { 400: ['unknown-field', 'missing-field', 'invalid-field', ...dtoCodes(dto)] } : {},
    timeTravel ? { 400: ['invalid-date', 'invalid-time'], 429: ['too-many-requests'] } : {},
  );
}

/** The DTO class of the handler's `@Body()`, if it has one. */
function bodyDto(route: LedgerRoute): Type | undefined {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, route.controller, route.handlerName) ?? {}) as Record<
    string,
    { index: number }
  >;
  const body = Object.entries(args).find(([key]) => key.split(':')[0] === String(RouteParamtypes.BODY));
  if (!body) return undefined;
  const types = Reflect.getMetadata('design:paramtypes', route.controller.prototype, route.handlerName) as Type[];
  const dto = types?.[body[1].index];
  return dto && dto !== Object ? dto : undefined;
}

/** The codes the DTO's checks answer with (a check's `context.code`: validation.ts). */
function dtoCodes(dto: Type): string[] {
  return getMetadataStorage()
    .getTargetValidationMetadatas(dto, '', true, false)
    .map((m) => (m.context as { code?: unknown } | undefined)?.code)
    .filter((code): code is string => typeof code === 'string');
}
