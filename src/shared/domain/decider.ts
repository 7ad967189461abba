import type { EventRegistry, StoredEvent, TypedEvent } from './event-registry';
/**
 * A decider (after Jérémie Chassaing, as in Emmett): `decide` turns a command and the current state
 * into new events or throws a coded DomainError; `evolve` folds one stored event into the state
 * and never rejects. `decide` is pure: time, ids and the actor arrive inside the command.
 *
 * `evolve` returns a new state and leaves the one it was given as it was, so a cached state can be
 * handed to a decide, kept as a snapshot or folded further by two callers without either seeing the
 * other's events. States keep their growing collections in keyed-collections.ts, which share
 * structure between versions (a long stream still folds in linear time) and can stand on a
 * snapshot. `evolve` asserts what history guarantees and ends its switch in `assertNever`; the
 * events it gets were parsed by `events`, the stream's registry, where they leave the store (the
 * write path's fold), so an unknown type or a malformed event never reaches it.
 */
export interface Decider<State, Command, Event extends TypedEvent> {
  initialState(): State;
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  /** Reads the stream's stored events. */
  events: EventRegistry<Event>;
  /** The state's version: bump it when the state's shape or `evolve` changes, so snapshots of the old one are made again. */
  stateVersion: number;
}

/**
 * Every field of `T` present, optional ones too (as `undefined` when absent): the type of a state
 * copy written out field by field, which then cannot forget a field added to `T` later.
 */
export type Complete<T> = { [K in keyof Required<T>]: T[K] };

export interface DomainEvent<T extends string = string, D = Record<string, unknown>> {
  type: T;
  data: D;
}

export function fold<S, C, E extends TypedEvent>(
  decider: Decider<S, C, E>,
  events: Iterable<E>,
  state: S = decider.initialState(),
): S {
  let s = state;
  for (const e of events) s = decider.evolve(s, e);
  return s;
}

/** A stream's stored events, each parsed by the decider's registry (`decider.events`), folded. */
export function foldStored<S, C, E extends TypedEvent>(
  decider: Decider<S, C, E>,
  stored: Iterable<StoredEvent>,
  state: S = decider.initialState(),
): S {
  let s = state;
  for (const e of stored) s = decider.evolve(s, decider.events.parse(e));
  return s;
}
