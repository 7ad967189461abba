/**
 * The write routes as the request fuzz suite (test/e2e/request-fuzz.e2e.spec.ts) works on them:
 * each with valid requests to start from (the demo district's), one-field changes to a request,
 * and chains, where a request names what the ones before it made (a project, then its budget
 * line, then a pledge earmarked to that line; a batch, its allocation, then its reversal). All of
 * it is read from the routes and their requests, never from a list of routes or fields here.
 */
import fc from 'fast-check';
import { DemoRequest, generateDemoDistrict } from '../../../src/demo/demo-district';
import { Members, addDays, addFen, fieldKind } from './bad-input.arbitraries';
import { BodySchema, FieldSchema } from './routes';

export interface FuzzRoute {
  method: string;
  /** As `/api/projects/:id/receipts`. */
  path: string;
  params: string[];
  query: readonly string[];
  body?: BodySchema;
  /** Valid requests of this route, from the demo district (loaded before the runs). */
  templates: Template[];
  /** A counterexample names the route, not all its templates. */
  [fc.toStringMethod]: () => string;
}

export interface Template {
  /** The path as sent, parameters filled in. */
  path: string;
  members: Members;
}

/**
 * A change to one field of a body. `field` is a member's name, or the path to a member of an
 * object or of an array's first item inside it (`scope.building`, `households.0.floor`).
 */
export type Change = { kind: 'omit'; field: string } | { kind: 'set' | 'add'; field: string; value: unknown };

export function applyChanges(members: Members, changes: Change[]): Members {
  let out = [...members];
  for (const change of changes) {
    const [name, ...inside] = change.field.split('.');
    if (change.kind === 'add') out.push([change.field, change.value]);
    else if (inside.length > 0)
      out = out.map(([k, v]): [string, unknown] => [k, k === name ? changedInside(v, inside, change) : v]);
    else if (change.kind === 'omit') out = out.filter(([k]) => k !== name);
    else if (out.some(([k]) => k === name))
      out = out.map(([k, v]): [string, unknown] => [k, k === name ? change.value : v]);
    else out.push([name, change.value]);
  }
  return out;
}

/** A copy of a member's (plain JSON) value with the change made at `path` inside it, where there is such a place. */
function changedInside(value: unknown, path: string[], change: Change): unknown {
  if (value === null || typeof value !== 'object') return value;
  const copy = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
  const parent = path.slice(0, -1).reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], copy);
  if (parent === null || typeof parent !== 'object') return value;
  const key = path[path.length - 1];
  if (change.kind === 'omit') delete (parent as Record<string, unknown>)[key];
  else (parent as Record<string, unknown>)[key] = change.value;
  return copy;
}

/**
 * The fields a route's body takes (its schema's, and a level inside its objects and its arrays'
 * items) and those its templates hold.
 */
export function fieldsOf(route: FuzzRoute): string[] {
  const inside = Object.entries(route.body?.properties ?? {}).flatMap(([name, schema]) => {
    if (schema.properties) return Object.keys(schema.properties).map((k) => `${name}.${k}`);
    if (schema.items?.properties) return Object.keys(schema.items.properties).map((k) => `${name}.0.${k}`);
    if (schema.items) return [`${name}.0`];
    return [];
  });
  return [
    ...new Set([
      ...Object.keys(route.body?.properties ?? {}),
      ...route.templates.flatMap((t) => t.members.map(([k]) => k)),
      ...inside,
    ]),
  ];
}

/** The schema of a field (as `fieldsOf` names it) of a route's body. */
export function schemaOf(route: FuzzRoute, field: string): FieldSchema | undefined {
  return field
    .split('.')
    .reduce<FieldSchema | undefined>(
      (schema, k) => (/^\d+$/.test(k) ? schema?.items : schema?.properties?.[k]),
      route.body,
    );
}

/**
 * A body built from the examples the OpenAPI document gives, for a route no demo request writes
 * to: each required member's example (an enum's first value, an object's or an array item's own
 * required members where it gives none).
 */
export function exampleBody(schema: BodySchema): Members {
  return (schema.required ?? []).map((name): [string, unknown] => [name, exampleOf(schema.properties[name])]);
}

function exampleOf(schema: FieldSchema | undefined): unknown {
  if (schema === undefined) return null;
  if (schema.example !== undefined) return schema.example;
  if (schema.enum) return schema.enum[0];
  if (schema.properties)
    return Object.fromEntries((schema.required ?? []).map((k) => [k, exampleOf(schema.properties![k])]));
  if (schema.type === 'array') return [exampleOf(schema.items)];
  if (schema.type === 'integer' || schema.type === 'number') return schema.minimum ?? 1;
  if (schema.type === 'boolean') return true;
  if (schema.format === 'date') return '2021-12-01';
  return 'x';
}

/** `path` (a route's, filled in) with its `param`-th parameter (modulo their number) written as `segment`. */
export function replaceParam(route: FuzzRoute, path: string, param: number, segment: string): string {
  const at = route.path.split('/').indexOf(`:${route.params[param % route.params.length]}`);
  const parts = path.split('/');
  parts[at] = segment;
  return parts.join('/');
}

/** The route a request's path is one of. */
export function routeOf<R extends { method: string; path: string }>(
  routes: R[],
  method: string,
  path: string,
): R | undefined {
  return routes.find(
    (r) => r.method === method && new RegExp(`^${r.path.replace(/:\w+/g, '[^/]+')}$`).test(path.split('?')[0]),
  );
}

/**
 * The demo's requests that cover every write route it has: every fund batch it issues, and the
 * requests of as few projects (in the demo's order) as hold every route between them.
 */
export function demoCoveringEveryRoute(writes: { method: string; path: string }[]): DemoRequest[] {
  const district = generateDemoDistrict();
  const covered = new Set<string>();
  const chosen = new Set<string>();
  const routesOf = new Map<string, Set<string>>();
  for (const r of district.requests) {
    const route = routeOf(writes, r.method, r.path);
    if (!route) throw new Error(`a demo request on no registered route: ${r.method} ${r.path}`);
    routesOf.set(r.projectId, (routesOf.get(r.projectId) ?? new Set()).add(route.path));
  }
  for (const [projectId, paths] of routesOf) {
    if (projectId === '' || [...paths].some((p) => !covered.has(p))) {
      chosen.add(projectId);
      paths.forEach((p) => covered.add(p));
    }
  }
  return district.requests.filter((r) => chosen.has(r.projectId));
}

// ---------------------------------------------------------------------------------------------
// chains: what a request made, for the next to name

/** What a chain's accepted requests made and named. */
export interface Made {
  /** Ids by field name (`allocationId`) and by the collection they are members of (`/api/fund-batches`). */
  ids: Map<string, string>;
  /** The id the last accepted request created, and the path of what it belongs to (an `entryId` names it). */
  last?: { id: string; parent: string };
  days: string[];
  amounts: string[];
  /** The codes and numbers named last, by field (source, fiscalYear). */
  values: Map<string, unknown>;
}

export function nothingMade(): Made {
  return { ids: new Map(), days: [], amounts: [], values: new Map() };
}

/** The field a route's write creates (its demo requests name it first: receiptId, allocationId, ...). */
export function createdField(route: FuzzRoute): string | undefined {
  const first = route.templates[0]?.members[0]?.[0];
  return first?.endsWith('Id') ? first : undefined;
}

/** The collection (`/api/fund-batches`) whose member a route's path parameter names. */
function collectionOf(route: FuzzRoute, param: string): string {
  return route.path.slice(0, route.path.indexOf(`/:${param}`));
}

/** What a route's writes belong to: `/api/projects/:id` for a receipt. */
function parentOf(route: FuzzRoute): string {
  const last = route.params[route.params.length - 1];
  return last === undefined ? '' : route.path.slice(0, route.path.indexOf(`:${last}`) + last.length + 1);
}

/** A day or an amount moved to either side of where it was. */
export interface Edge {
  field: string;
  step: -1 | 1;
}

/** The chains the write routes make: which request names what another made, and how. */
export class Chains {
  /** The collection each top-level write adds to, by the field that names the new member (projectId: /api/projects). */
  private readonly collectionByField: Map<string, string>;
  private readonly createdFields: Set<string | undefined>;

  constructor(writes: FuzzRoute[]) {
    this.collectionByField = new Map(
      writes.filter((r) => r.params.length === 0 && createdField(r)).map((r) => [createdField(r)!, r.path]),
    );
    this.createdFields = new Set(writes.map(createdField));
  }

  /** How many of a route's ids `made` can give: in its path, and in its fields. */
  links(route: FuzzRoute, made: Made): number {
    const own = createdField(route);
    const inPath = route.params.filter((p) => made.ids.has(collectionOf(route, p))).length;
    const inFields = fieldsOf(route).filter(
      (f) => f !== own && f.endsWith('Id') && (made.ids.has(f) || this.namesLastMade(route, f, made)),
    ).length;
    return inPath + inFields;
  }

  /** The request naming what earlier requests made: its path's parameters, and each id field that can. */
  linked(route: FuzzRoute, base: Template, made: Made): Template {
    let path = base.path;
    route.params.forEach((p, i) => {
      const value = made.ids.get(collectionOf(route, p));
      if (value !== undefined) path = replaceParam(route, path, i, encodeURIComponent(value));
    });
    const own = createdField(route);
    const members = base.members.map(([k, v]): [string, unknown] => {
      if (k === own || !k.endsWith('Id')) return [k, v];
      return [k, made.ids.get(k) ?? (this.namesLastMade(route, k, made) ? made.last!.id : v)];
    });
    return { path, members };
  }

  /** What an accepted request made or named: its ids, its path's collection members, what it created, its days and amounts. */
  remember(route: FuzzRoute, path: string, members: Members, made: Made): void {
    for (const [k, v] of members) {
      const kind = fieldKind(k, schemaOf(route, k));
      if (kind === 'number' || kind === 'code') made.values.set(k, v);
      if (typeof v !== 'string') continue;
      if (k.endsWith('Id')) made.ids.set(k, v);
      if (this.collectionByField.has(k)) made.ids.set(this.collectionByField.get(k)!, v);
      if (kind === 'day') made.days.push(v);
      if (kind === 'money') made.amounts.push(v);
    }
    const parts = path.split('/');
    for (const p of route.params)
      made.ids.set(collectionOf(route, p), decodeURIComponent(parts[route.path.split('/').indexOf(`:${p}`)]));
    const created = members.find(([k]) => k === createdField(route))?.[1];
    if (typeof created === 'string') made.last = { id: created, parent: parentOf(route) };
  }

  /** Whether a consumer's request names what a maker's creates: its id in a field, or in the path. */
  consumes(consumer: FuzzRoute, maker: FuzzRoute): boolean {
    const probe = nothingMade();
    this.remember(maker, maker.templates[0].path, maker.templates[0].members, probe);
    const createdName = createdField(maker)!;
    return (
      (createdField(consumer) !== createdName && fieldsOf(consumer).includes(createdName)) ||
      consumer.params.some((p) => collectionOf(consumer, p) === maker.path) ||
      fieldsOf(consumer).some((f) => f.endsWith('Id') && this.namesLastMade(consumer, f, probe))
    );
  }

  /**
   * A consumer's request fitted to what the maker made, at the edge of what it allows: every day
   * the maker's last, every amount the maker's, and a code or number the maker also named (its
   * source, its fiscal year) the same.
   */
  fitted(consumer: FuzzRoute, base: Template, made: Made): Template {
    const lastDay = [...made.days].sort().pop();
    const [amount] = made.amounts;
    const members = base.members.map(([k, v]): [string, unknown] => {
      const kind = fieldKind(k, schemaOf(consumer, k));
      if (kind === 'day' && lastDay !== undefined) return [k, lastDay];
      if (kind === 'money' && amount !== undefined) return [k, amount];
      if ((kind === 'number' || kind === 'code') && made.values.has(k)) return [k, made.values.get(k)];
      return [k, v];
    });
    return { path: base.path, members };
  }

  /** The edges of a consumer's request: each of its days and amounts, either side. */
  edges(consumer: FuzzRoute): Edge[] {
    return consumer.templates[0].members
      .map(([field]) => field)
      .filter((f) => ['day', 'money'].includes(fieldKind(f, schemaOf(consumer, f))))
      .flatMap((field): Edge[] => [
        { field, step: -1 },
        { field, step: 1 },
      ]);
  }

  /**
   * Whether a required id field names something no write creates by that name (`entryId`): it
   * names what was made last, of the same parent (a receipt of the same project).
   */
  private namesLastMade(route: FuzzRoute, field: string, made: Made): boolean {
    return (
      !this.createdFields.has(field) &&
      route.body?.required?.includes(field) === true &&
      made.last !== undefined &&
      made.last.parent === parentOf(route)
    );
  }
}

/** The change an edge makes to a request: its day a day earlier or later, its amount a fen less or more. */
export function atEdge(route: FuzzRoute, members: Members, edge: Edge): Change {
  const now = members.find(([k]) => k === edge.field)?.[1];
  if (typeof now !== 'string') return { kind: 'omit', field: edge.field };
  const day = fieldKind(edge.field, schemaOf(route, edge.field)) === 'day';
  return { kind: 'set', field: edge.field, value: day ? addDays(now, edge.step) : addFen(now, BigInt(edge.step)) };
}
