/**
 * Figures kept between live reads (issue 19 point 9): the overview's totals at 10,000 projects
 * must answer in milliseconds, and most reads find the read models as the last read left them. A
 * value is kept under a key naming everything it depends on (a projection's checkpoint or a row's
 * version, the reference date, the parameters), so a kept value is never stale: a write or a new
 * day makes a new key, and the least recently used keys are dropped.
 */
import { LRUCache } from 'lru-cache';

export class KeptFigures<V extends object> {
  private readonly entries: LRUCache<string, V>;

  constructor(capacity = 16) {
    this.entries = new LRUCache({ max: capacity });
  }

  get(key: string, compute: () => V): V {
    const kept = this.entries.get(key);
    if (kept !== undefined) return kept;
    const value = compute();
    this.entries.set(key, value);
    return value;
  }
}
