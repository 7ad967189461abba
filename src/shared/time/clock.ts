/** Time comes into the domain through a Clock so that deciders stay pure and tests fix it. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };
