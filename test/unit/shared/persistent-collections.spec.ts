/**
 * The collections folded state is kept in (style.md rule 12: evolve returns new state): every
 * version answers as a JS Map or Set would for the operations made to reach it, whatever was
 * done to other versions since, and iterates in insertion order.
 */
import { PersistentMap, PersistentSet } from '../../../src/shared/domain/persistent-collections';

describe('PersistentMap', () => {
  it('answers as a Map at every version, in insertion order, across the trie\'s growth', () => {
    // 33,000 crosses each capacity step: 32, 1,024 and 32,768 slots.
    const model = new Map<string, number>();
    let map = PersistentMap.empty<string, number>();
    const versions: [PersistentMap<string, number>, [string, number][]][] = [];
    for (let i = 0; i < 33_000; i++) {
      const key = `k${i % 7 === 6 ? i - 3 : i}`; // every seventh step overwrites an earlier key
      map = map.set(key, i);
      model.set(key, i);
      if ([0, 31, 32, 33, 1_023, 1_024, 1_025, 32_767, 32_768, 32_999].includes(i)) versions.push([map, [...model]]);
    }
    for (const [version, entries] of versions) {
      expect(version.size).toBe(entries.length);
      expect([...version]).toEqual(entries);
      expect([...version.keys()]).toEqual(entries.map(([k]) => k));
      expect([...version.values()]).toEqual(entries.map(([, v]) => v));
      for (const [k, v] of entries) expect(version.get(k)).toBe(v);
    }
    expect(versions[0][0].has('k31')).toBe(false);
    expect(map.get('k3')).toBe(6);
  });

  it('leaves the map it was given unchanged: a new key and a new value show in the new version only', () => {
    const one = PersistentMap.of([['a', 1], ['b', 2]]);
    const two = one.set('c', 3).set('a', 10);
    expect([...one]).toEqual([['a', 1], ['b', 2]]);
    expect(one.has('c')).toBe(false);
    expect([...two]).toEqual([['a', 10], ['b', 2], ['c', 3]]);
  });

  it('keeps branches apart: two versions grown from one see only their own keys', () => {
    const base = PersistentMap.of([['a', 1]]);
    const left = base.set('b', 2);
    const right = base.set('c', 3); // base is no longer the newest version of its keys: it branches
    const leftMore = left.set('d', 4);
    const rightMore = right.set('b', 20);
    expect([...base]).toEqual([['a', 1]]);
    expect([...left]).toEqual([['a', 1], ['b', 2]]);
    expect([...leftMore]).toEqual([['a', 1], ['b', 2], ['d', 4]]);
    expect([...right]).toEqual([['a', 1], ['c', 3]]);
    expect([...rightMore]).toEqual([['a', 1], ['c', 3], ['b', 20]]);
    expect(right.get('b')).toBeUndefined();
    expect(left.get('c')).toBeUndefined();
  });

  it('compares by content', () => {
    expect(PersistentMap.of([['a', 1]]).set('b', 2)).toEqual(PersistentMap.of([['a', 1], ['b', 2]]));
    expect(PersistentMap.of([['a', 1]])).not.toEqual(PersistentMap.of([['a', 2]]));
  });
});

describe('PersistentSet', () => {
  it('answers as a Set at every version, and keeps branches apart', () => {
    const base = PersistentSet.empty<string>().add('x').add('y');
    const more = base.add('z');
    const other = base.add('w');
    expect(base.add('x')).toBe(base);
    expect([...base]).toEqual(['x', 'y']);
    expect([...more]).toEqual(['x', 'y', 'z']);
    expect([...other]).toEqual(['x', 'y', 'w']);
    expect(other.has('z')).toBe(false);
    expect(more.has('w')).toBe(false);
    expect(more.size).toBe(3);
  });
});
