/**
 * given / when / then for deciders (after Emmett's DeciderSpecification):
 *
 *   given(registered(), approved('8000000.00')).when(disburse({ amount: '150.00' })).thenThrows('disbursement-exceeds-receipts');
 *
 * `given` folds the history with the decider's own `evolve`, exactly as the write path does, so
 * a spec's history is only ever stored events. `then` also folds the new events into the state:
 * evolve must accept whatever decide produced.
 *
 * `then` is a method of a plain object, which makes the result of `when` a "thenable": never
 * `await` it or return it from a test body (write `() => { ... }`, not `() => given(...).when(...)`).
 */
import { Decider, fold } from '../../src/shared/domain/decider';
import type { TypedEvent } from '../../src/shared/domain/event-registry';
import { DomainError } from '../../src/shared/domain/domain-error';

export interface DeciderThen<S, E> {
  /** decide returns exactly these events, in this order. */
  then(...expected: E[]): void;
  /**
   * decide throws a DomainError with this stable code (and, when given, this `field`, and the
   * policy rule it names: `ruleId`). A throw is a refusal: nothing is written.
   */
  thenThrows(code: string, field?: string, ruleId?: string): void;
  /** decide succeeds; `check` sees the events and the state after folding them in. */
  thenState(check: (state: S, events: E[]) => void): void;
}

export function deciderSpec<S, C, E extends TypedEvent>(decider: Decider<S, C, E>) {
  return (...history: E[]) => ({
    when(command: C): DeciderThen<S, E> {
      const run = (): { state: S; events: E[] } => {
        const events = decider.decide(command, fold(decider, history));
        return { state: fold(decider, events, fold(decider, history)), events };
      };
      return {
        then(...expected) {
          expect(run().events).toEqual(expected);
        },
        thenThrows(code, field, ruleId) {
          let thrown: unknown;
          let events: E[] | undefined;
          try {
            events = run().events;
          } catch (e) {
            thrown = e;
          }
          if (events)
            throw new Error(`expected decide to throw '${code}', but it decided ${JSON.stringify(events, bigints)}`);
          if (!(thrown instanceof DomainError)) throw thrown; // a crash, not a refusal: show it as it is
          expect(thrown.code).toBe(code);
          if (field !== undefined) expect(thrown.field).toBe(field);
          if (ruleId !== undefined) expect(thrown.rule?.ruleId).toBe(ruleId);
        },
        thenState(check) {
          const { state, events } = run();
          check(state, events);
        },
      };
    },
  });
}

const bigints = (_key: string, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value);
