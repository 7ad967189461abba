/**
 * The smallest decider the write path can run, for the race and cluster tests of the stores: a
 * `tally-<id>` stream counts amounts, and every command is accepted with one event. What these
 * tests check is the write path and the store (idempotency, conflicts, retries), not a rule.
 */
import { Decider, DomainEvent } from '../../../src/shared/domain/decider';
import { shape, string } from '../../../src/shared/domain/data-shape';
import { EventRegistry } from '../../../src/shared/domain/event-registry';

export type AmountCounted = DomainEvent<'amount-counted.v1', { amount: string }>;
export interface CountAmount {
  amount: string;
}

export const tallyDecider: Decider<{ count: number }, CountAmount, AmountCounted> = {
  initialState: () => ({ count: 0 }),
  decide: (command) => [{ type: 'amount-counted.v1', data: { amount: command.amount } }],
  evolve: (state) => ({ count: state.count + 1 }),
  events: new EventRegistry<AmountCounted>('tally', { 'amount-counted.v1': shape({ amount: string }) }),
  stateVersion: 1,
};
