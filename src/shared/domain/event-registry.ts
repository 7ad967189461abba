/**
 * The registry of stored event types: the one place a stored event (a type name and JSON data)
 * becomes a typed domain event. The store boundary calls `parse` on every event it reads, so no
 * cast from stored to domain events is needed anywhere else.
 *
 * - Every stored type name is `<kebab-name>.vN`. A published version is frozen (style.md rule 6):
 *   the log keeps what was written, and the registry reads it.
 * - Each current type has a parser (a `Check`, see data-shape.ts) that checks the data's shape and
 *   returns the typed data; an event that does not fit is a `malformed-event` error naming the field.
 * - A superseded type has an upcaster: it checks the old shape and turns it into the next version's
 *   data, which that version's parser checks in turn. Upcasting happens on read only.
 * - A type nobody registered is an `unknown-event-type` error, never skipped: skipping would fold a
 *   stream into a state that history does not describe.
 *
 * How to add a new version of an event, say `funds-received.v1` → `funds-received.v2`:
 * 1. in the aggregate's events file, name the new type in its `...EventType` table
 *    (`received: 'funds-received.v2'`) and change its interface and its `shape<...>()` parser;
 * 2. keep the old shape as `FundsReceivedV1` with its own `shape<FundsReceivedV1>()`, and register
 *    `'funds-received.v1': upcaster(fundsReceivedV1, 'funds-received.v2', (old) => ({ ...old, newField: ... }))`
 *    in the registry's upcasters: what the new field is for an event written before it existed;
 * 3. evolve, projections and reactors see `funds-received.v2` only; the compiler shows every switch
 *    the new shape reaches (each ends in `assertNever`). A v2 → v3 later adds `v2 → v3` the same
 *    way and leaves `v1 → v2` as it is: a chain runs to the current version.
 * A brand-new event type is one more entry in the type table, the union and the parsers record.
 */
import { Check, ShapeError } from './data-shape';

/** An event as the store hands it over; stream and revision only make errors say where. */
export interface StoredEvent {
  readonly type: string;
  readonly data: unknown;
  readonly streamId?: string;
  readonly revision?: bigint | number;
}

/** The shape of a typed domain event (DomainEvent in decider.ts), without its index-signature default. */
export interface TypedEvent {
  readonly type: string;
  readonly data: unknown;
}

export type StoredEventErrorCode = 'unknown-event-type' | 'malformed-event';

/**
 * A stored event the registry cannot read. Not a DomainError: no request caused it and no client
 * can fix it (the HTTP filter answers 500 and logs it); it means the log holds what this version of
 * the code does not know, or that data was written outside the ledger.
 */
export class StoredEventError extends Error {
  constructor(
    readonly code: StoredEventErrorCode,
    /** The stored type name, as written. */
    readonly type: string,
    readonly streamId: string | undefined,
    readonly revision: bigint | number | undefined,
    /** The offending data field (`amount`, `details.utility`), for a malformed event. */
    readonly field: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'StoredEventError';
  }
}

/** One step from a superseded version: its shape, the next version's type name, and the conversion. */
export interface Upcaster {
  readonly to: string;
  /** Checks the old data and returns the next version's data (which is checked in turn). */
  upcast(data: unknown): unknown;
}

export function upcaster<Old>(from: Check<Old>, to: string, convert: (old: Old) => object): Upcaster {
  return { to, upcast: (data) => convert(from(data)) };
}

/** A parser for the current version of each type of the union `E`, keyed by type name. */
export type EventParsers<E extends TypedEvent> = { readonly [T in E['type']]: Check<Extract<E, { type: T }>['data']> };

const TYPE_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*\.v[1-9][0-9]*$/;
/** A chain longer than this is a cycle: no event has been revised this often. */
const UPCAST_HOPS_MAX = 32;

export class EventRegistry<E extends TypedEvent> {
  private readonly parsers: ReadonlyMap<string, Check<unknown>>;
  private readonly upcasters: ReadonlyMap<string, Upcaster>;

  constructor(
    /** What the registry reads, for messages: `project`, `fund-batch`, `ledger`. */
    readonly name: string,
    parsers: EventParsers<E>,
    upcasters: Readonly<Record<string, Upcaster>> = {},
  ) {
    this.parsers = new Map(Object.entries(parsers as Record<string, Check<unknown>>));
    this.upcasters = new Map(Object.entries(upcasters));
    for (const type of [...this.parsers.keys(), ...this.upcasters.keys()]) {
      if (!TYPE_NAME.test(type))
        throw new Error(`event registry ${name}: "${type}" is not a <kebab-name>.vN type name`);
    }
    for (const [type, up] of this.upcasters) {
      if (this.parsers.has(type)) throw new Error(`event registry ${name}: ${type} has both a parser and an upcaster`);
      this.currentOf(type, up);
    }
  }

  /**
   * Several registries read as one (e.g. `$all`, which holds every stream's events). A type name
   * may be registered by one of them only.
   */
  static combine<R extends EventRegistry<TypedEvent>[]>(
    name: string,
    ...registries: R
  ): EventRegistry<EventOf<R[number]>> {
    const parsers: Record<string, Check<unknown>> = {};
    const upcasters: Record<string, Upcaster> = {};
    for (const r of registries) {
      for (const [type, check] of r.parsers) {
        if (type in parsers || type in upcasters)
          throw new Error(`event registry ${name}: ${type} is registered twice`);
        parsers[type] = check;
      }
      for (const [type, up] of r.upcasters) {
        if (type in parsers || type in upcasters)
          throw new Error(`event registry ${name}: ${type} is registered twice`);
        upcasters[type] = up;
      }
    }
    return new EventRegistry<EventOf<R[number]>>(name, parsers as EventParsers<EventOf<R[number]>>, upcasters);
  }

  /** Every type name this registry reads: the current ones, then the superseded ones. */
  get types(): string[] {
    return [...this.parsers.keys(), ...this.upcasters.keys()];
  }

  knows(type: string): boolean {
    return this.parsers.has(type) || this.upcasters.has(type);
  }

  /**
   * The current type a stored type is read as: itself, or the one its upcasters lead to; undefined
   * for a type the registry does not know. Lets a reader pick the events it wants before parsing.
   */
  currentTypeOf(type: string): string | undefined {
    if (this.parsers.has(type)) return type;
    const up = this.upcasters.get(type);
    return up === undefined ? undefined : this.currentOf(type, up);
  }

  /** The typed domain event, upcast to its current version; a StoredEventError if it cannot be read. */
  parse(stored: StoredEvent): E {
    let type = stored.type;
    let data = stored.data;
    for (let hops = 0; hops <= UPCAST_HOPS_MAX; hops++) {
      const check = this.parsers.get(type);
      if (check) return { type, data: this.checked(stored, type, check, data) } as E;
      const up = this.upcasters.get(type);
      if (!up) break;
      data = this.checked(stored, type, up.upcast, data);
      type = up.to;
    }
    throw new StoredEventError(
      'unknown-event-type',
      stored.type,
      stored.streamId,
      stored.revision,
      undefined,
      `${where(stored)} has type ${stored.type}, which the ${this.name} event registry does not know: register it (a new type or an upcaster) before reading this log`,
    );
  }

  /** The current type a superseded one upcasts to; throws at start-up on a broken chain. */
  private currentOf(type: string, up: Upcaster): string {
    let to = up.to;
    for (let hops = 0; hops < UPCAST_HOPS_MAX; hops++) {
      if (this.parsers.has(to)) return to;
      const next = this.upcasters.get(to);
      if (!next) throw new Error(`event registry ${this.name}: ${type} upcasts to ${to}, which is not registered`);
      to = next.to;
    }
    throw new Error(`event registry ${this.name}: the upcasters from ${type} form a cycle`);
  }

  private checked(stored: StoredEvent, type: string, check: Check<unknown>, data: unknown): unknown {
    try {
      return check(data);
    } catch (err) {
      if (!(err instanceof ShapeError)) throw err;
      const as = type === stored.type ? '' : ` (upcast to ${type})`;
      return this.malformed(stored, err, as);
    }
  }

  private malformed(stored: StoredEvent, err: ShapeError, as: string): never {
    throw new StoredEventError(
      'malformed-event',
      stored.type,
      stored.streamId,
      stored.revision,
      err.path || undefined,
      `${where(stored)} (${stored.type})${as} does not fit its shape: ${err.at('data')}`,
    );
  }
}

/** The event union a registry reads. */
export type EventOf<R> = R extends EventRegistry<infer E> ? E : never;

function where(stored: StoredEvent): string {
  if (stored.streamId === undefined) return 'a stored event';
  return stored.revision === undefined
    ? `an event of ${stored.streamId}`
    : `event ${stored.revision} of ${stored.streamId}`;
}
