/**
 * A small seeded pseudo-random generator (mulberry32) for the demo district. Everything it hands
 * out is an integer: draws for money come back as bigint fen, so no floating point ever touches an
 * amount, and the same seed always yields the same district.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    if (!Number.isInteger(seed)) throw new Error(`seed must be an integer (got ${seed})`);
    this.state = seed >>> 0;
  }

  /** The next 32-bit unsigned integer. */
  uint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** An integer in [lo, hi], both included (ranges up to 2^32). */
  int(lo: number, hi: number): number {
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi < lo) throw new Error(`bad range [${lo}, ${hi}]`);
    return lo + (this.uint32() % (hi - lo + 1));
  }

  /** A bigint in [lo, hi], both included: two draws make 64 bits, enough for any amount in fen. */
  bigint(lo: bigint, hi: bigint): bigint {
    if (hi < lo) throw new Error(`bad range [${lo}, ${hi}]`);
    const wide = (BigInt(this.uint32()) << 32n) | BigInt(this.uint32());
    return lo + (wide % (hi - lo + 1n));
  }

  /** True with the given probability in whole percent. */
  chance(percent: number): boolean {
    return this.int(0, 99) < percent;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(0, items.length - 1)];
  }

  /** `count` distinct items, in their original order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const indexes = items.map((_, i) => i);
    for (let i = indexes.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [indexes[i], indexes[j]] = [indexes[j], indexes[i]];
    }
    return indexes
      .slice(0, Math.min(count, items.length))
      .sort((a, b) => a - b)
      .map((i) => items[i]);
  }
}
