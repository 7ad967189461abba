/**
 * A decider (after Jérémie Chassaing, as in Emmett): `decide` turns a command and the current state
 * into new events or throws a coded DomainError; `evolve` folds one stored event into the state
 * and never rejects. `decide` is pure: time, ids and the actor arrive inside the command.
 *
 * `evolve` may update the state object it is given and return it: a state belongs to the one fold
 * that built it (see `fold`), which lets a long stream fold in linear time.
 */
export interface Decider<State, Command, Event> {
  initialState(): State;
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
}

export interface DomainEvent<T extends string = string, D = Record<string, unknown>> {
  type: T;
  data: D;
}

export function fold<S, C, E>(decider: Decider<S, C, E>, events: Iterable<E>, state: S = decider.initialState()): S {
  let s = state;
  for (const e of events) s = decider.evolve(s, e);
  return s;
}
