/**
 * An EventStoreDB position (commit, prepare) packs into one bigint that orders like $all and
 * unpacks to exactly the same pair.
 */
import { describePosition, packPosition, unpackPosition } from '../../src/event-store/eventstoredb/positions';

describe('EventStoreDB positions', () => {
  const max = (1n << 64n) - 1n;
  it.each([
    [0n, 0n],
    [1n, 0n],
    [43033n, 42900n],
    [max, max],
    [max, 0n],
  ])('(%s, %s) round-trips', (commit, prepare) => {
    expect(unpackPosition(packPosition({ commit, prepare }))).toEqual({ commit, prepare });
  });

  it('orders like $all: by commit, then prepare', () => {
    const order = [
      { commit: 10n, prepare: 5n },
      { commit: 10n, prepare: 9n },
      { commit: 11n, prepare: 0n },
      { commit: max, prepare: 1n },
    ];
    const packed = order.map(packPosition);
    expect([...packed].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(packed);
  });

  it('refuses an offset that does not fit 64 bits', () => {
    expect(() => packPosition({ commit: max + 1n, prepare: 0n })).toThrow(RangeError);
    expect(() => packPosition({ commit: 0n, prepare: -1n })).toThrow(RangeError);
  });

  it('describes itself as commit/prepare', () => {
    expect(describePosition(packPosition({ commit: 43033n, prepare: 42900n }))).toBe('43033/42900');
  });
});
