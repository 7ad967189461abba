/**
 * Immutable maps and sets for folded state: `evolve` returns a new state and leaves the one it was
 * given as it was (style.md rule 12), and a stream of 100,000 events must still fold in linear time.
 * Copying a JS Map per event would make that fold quadratic; these share structure instead:
 *
 * - Values sit in a 32-way trie of slots (a persistent vector, as Clojure's): `set` copies the
 *   path to one leaf (four arrays of at most 32 at 100,000 entries) and shares the rest; the
 *   newest 32 slots sit apart in a tail, so that adding one copies at most 32 references.
 * - Keys map to slots in a JS Map shared by every version that descends from another by additions.
 *   A key's slot never changes and slots are handed out in insertion order, so a version of `size`
 *   entries sees exactly the keys whose slot is below `size`: additions made by a later version are
 *   invisible to it. Only the newest version adds to the shared Map; adding to an older one (a
 *   branch, which a fold never does) first copies its own keys, so no version ever sees another's.
 *
 * Iteration is in insertion order, as a JS Map's (the project view lists entries in that order).
 * There is no `delete`: folded state only grows (a reversal is a new entry, never a removal).
 * Internals are ES private fields so that structural equality (jest's toEqual) sees the entries only.
 */
const BITS = 5;
const WIDTH = 1 << BITS;
const MASK = WIDTH - 1;

type Trie = readonly unknown[];
const EMPTY: Trie = [];

/** The leaf holding `slot`: the root's levels are `shift / BITS` nodes deep, leaves below them. */
function leafOf(root: Trie, shift: number, slot: number): Trie {
  let node = root;
  for (let level = shift; level > 0; level -= BITS) node = node[(slot >>> level) & MASK] as Trie;
  return node;
}

/** A copy of the path to `slot` with `value` there (level 0 is a leaf). */
function setInTrie(node: Trie, level: number, slot: number, value: unknown): Trie {
  const copy = node.slice();
  const i = (slot >>> level) & MASK;
  copy[i] = level === 0 ? value : setInTrie(copy[i] as Trie, level - BITS, slot, value);
  return copy;
}

/** A copy of the path with a full leaf added at `base`: leaves are added in order, so arrays stay dense. */
function withLeaf(node: Trie | undefined, level: number, base: number, leaf: Trie): Trie {
  const copy = node ? node.slice() : [];
  const i = (base >>> level) & MASK;
  copy[i] = level === BITS ? leaf : withLeaf(copy[i] as Trie | undefined, level - BITS, base, leaf);
  return copy;
}

/** The index to add a key to: the shared one when `size` is its newest version, else a copy of the first `size` keys. */
function indexToExtend<K>(index: Map<K, number>, size: number): Map<K, number> {
  if (index.size === size) return index;
  const own = new Map<K, number>();
  for (const [key, slot] of index) {
    if (slot >= size) break; // iteration order is slot order
    own.set(key, slot);
  }
  return own;
}

/**
 * A persistent vector of slots as in Clojure: a trie of full leaves of 32 plus a `tail` leaf of the
 * newest slots, so that adding a value copies the tail only (and, one time in 32, the path to a
 * new leaf), and changing a recent value copies the tail only.
 */
export class PersistentMap<K, V> implements Iterable<[K, V]> {
  readonly #index: Map<K, number>;
  readonly #size: number;
  /** Levels of the trie above its leaves, times BITS: 5 holds 1,024 slots, 10 holds 32,768, ... */
  readonly #shift: number;
  readonly #root: Trie;
  readonly #tail: Trie;

  private constructor(index: Map<K, number>, size: number, shift: number, root: Trie, tail: Trie) {
    this.#index = index;
    this.#size = size;
    this.#shift = shift;
    this.#root = root;
    this.#tail = tail;
  }

  static empty<K, V>(): PersistentMap<K, V> {
    return new PersistentMap<K, V>(new Map(), 0, BITS, EMPTY, EMPTY);
  }

  static of<K, V>(entries: Iterable<readonly [K, V]>): PersistentMap<K, V> {
    let map = PersistentMap.empty<K, V>();
    for (const [key, value] of entries) map = map.set(key, value);
    return map;
  }

  get size(): number {
    return this.#size;
  }

  has(key: K): boolean {
    return this.#slotOf(key) !== undefined;
  }

  get(key: K): V | undefined {
    const slot = this.#slotOf(key);
    if (slot === undefined) return undefined;
    const tailOffset = this.#size - this.#tail.length;
    return (slot >= tailOffset ? this.#tail[slot - tailOffset] : leafOf(this.#root, this.#shift, slot)[slot & MASK]) as V;
  }

  /** A map with `key` set to `value`; this one is unchanged. A new key goes last in iteration order. */
  set(key: K, value: V): PersistentMap<K, V> {
    const slot = this.#slotOf(key);
    return slot === undefined ? this.#added(key, value) : this.#changed(slot, value);
  }

  *values(): IterableIterator<V> {
    const tailOffset = this.#size - this.#tail.length;
    for (let base = 0; base < tailOffset; base += WIDTH) yield* leafOf(this.#root, this.#shift, base) as readonly V[];
    yield* this.#tail as readonly V[];
  }

  *keys(): IterableIterator<K> {
    let n = 0;
    for (const key of this.#index.keys()) {
      if (n++ === this.#size) return;
      yield key;
    }
  }

  *entries(): IterableIterator<[K, V]> {
    const values = this.values();
    for (const key of this.keys()) yield [key, values.next().value as V];
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }

  forEach(callback: (value: V, key: K) => void): void {
    for (const [key, value] of this.entries()) callback(value, key);
  }

  #slotOf(key: K): number | undefined {
    const slot = this.#index.get(key);
    return slot !== undefined && slot < this.#size ? slot : undefined;
  }

  #changed(slot: number, value: V): PersistentMap<K, V> {
    const tailOffset = this.#size - this.#tail.length;
    if (slot >= tailOffset) {
      const tail = this.#tail.slice();
      tail[slot - tailOffset] = value;
      return new PersistentMap(this.#index, this.#size, this.#shift, this.#root, tail);
    }
    return new PersistentMap(this.#index, this.#size, this.#shift, setInTrie(this.#root, this.#shift, slot, value), this.#tail);
  }

  #added(key: K, value: V): PersistentMap<K, V> {
    const index = indexToExtend(this.#index, this.#size);
    index.set(key, this.#size);
    if (this.#tail.length < WIDTH) return new PersistentMap(index, this.#size + 1, this.#shift, this.#root, [...this.#tail, value]);
    // The tail is full: it becomes a leaf of the trie (one level more when the trie is full).
    const base = this.#size - WIDTH;
    let root = this.#root;
    let shift = this.#shift;
    if (base === 1 << (shift + BITS)) {
      root = [root];
      shift += BITS;
    }
    return new PersistentMap(index, this.#size + 1, shift, withLeaf(root, shift, base, this.#tail), [value]);
  }
}

export class PersistentSet<T> implements Iterable<T> {
  readonly #index: Map<T, number>;
  readonly #size: number;

  private constructor(index: Map<T, number>, size: number) {
    this.#index = index;
    this.#size = size;
  }

  static empty<T>(): PersistentSet<T> {
    return new PersistentSet<T>(new Map(), 0);
  }

  get size(): number {
    return this.#size;
  }

  has(value: T): boolean {
    const slot = this.#index.get(value);
    return slot !== undefined && slot < this.#size;
  }

  /** A set with `value` in it; this one is unchanged. */
  add(value: T): PersistentSet<T> {
    if (this.has(value)) return this;
    const index = indexToExtend(this.#index, this.#size);
    index.set(value, this.#size);
    return new PersistentSet(index, this.#size + 1);
  }

  *values(): IterableIterator<T> {
    let n = 0;
    for (const value of this.#index.keys()) {
      if (n++ === this.#size) return;
      yield value;
    }
  }

  [Symbol.iterator](): IterableIterator<T> {
    return this.values();
  }
}
