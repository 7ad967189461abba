import { OrderedMap } from 'immutable';
import { assert } from './domain-error';

/**
 * The maps and sets of folded state. `evolve` returns a new state and leaves the given one as it
 * was, so `set` and `add` return a new collection that shares structure with the old one (an
 * immutable-js ordered map: a long stream still folds in linear time, and entries keep the order
 * they were first set in).
 *
 * A collection may also stand on a stored snapshot (src/event-store/snapshots.ts): `base` then
 * answers for the keys the snapshot holds, one lookup at a time, so a stream of 100,000 entries
 * is decided on without loading them. Only what was set since the snapshot is kept in memory:
 * `changedSince()`, which is what the next snapshot writes.
 */
export interface SnapshotBase<V> {
  /** The stored value of `key`, or undefined. */
  get(key: string): V | undefined;
  /** Every stored key and value, in the order they were first stored. */
  all(): [string, V][];
}

export class KeyedMap<V> implements Iterable<[string, V]> {
  private constructor(
    private readonly base: SnapshotBase<V> | null,
    /** What was set since the snapshot `base` stands for (or since the empty map). */
    private readonly own: OrderedMap<string, V>,
    readonly size: number,
  ) {}

  static empty<V>(): KeyedMap<V> {
    return new KeyedMap<V>(null, OrderedMap(), 0);
  }

  /** A map standing on a snapshot of `size` entries. */
  static onSnapshot<V>(base: SnapshotBase<V>, size: number): KeyedMap<V> {
    return new KeyedMap<V>(base, OrderedMap(), size);
  }

  get(key: string): V | undefined {
    const own = this.own.get(key);
    return own !== undefined || this.base === null ? own : this.base.get(key);
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  set(key: string, value: V): KeyedMap<V> {
    assert(value !== undefined, 'a keyed value is defined');
    return new KeyedMap(this.base, this.own.set(key, value), this.has(key) ? this.size : this.size + 1);
  }

  /** The entries set since the snapshot this map stands on: what a new snapshot must store. */
  changedSince(): [string, V][] {
    return [...this.own.entries()];
  }

  /** The same entries, standing on a snapshot that now holds them all. */
  storedIn(base: SnapshotBase<V>): KeyedMap<V> {
    return new KeyedMap(base, OrderedMap(), this.size);
  }

  /** In the order keys were first set; a map on a snapshot reads the snapshot's entries first (all of them). */
  *[Symbol.iterator](): Iterator<[string, V]> {
    if (this.base) {
      for (const [key, value] of this.base.all()) if (!this.own.has(key)) yield [key, value];
    }
    yield* this.own.entries();
  }

  entries(): IterableIterator<[string, V]> {
    return this[Symbol.iterator]() as IterableIterator<[string, V]>;
  }

  *keys(): IterableIterator<string> {
    for (const [k] of this) yield k;
  }

  *values(): IterableIterator<V> {
    for (const [, v] of this) yield v;
  }
}

/** A set of keys: a KeyedMap of `true`. */
export class KeyedSet {
  private constructor(readonly map: KeyedMap<true>) {}

  static empty(): KeyedSet {
    return new KeyedSet(KeyedMap.empty());
  }

  static of(map: KeyedMap<true>): KeyedSet {
    return new KeyedSet(map);
  }

  get size(): number {
    return this.map.size;
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  add(key: string): KeyedSet {
    return new KeyedSet(this.map.set(key, true));
  }

  [Symbol.iterator](): Iterator<string> {
    return this.map.keys();
  }
}
