/**
 * Figures kept between live reads (issue 19 point 9): the overview's totals at 10,000 projects
 * must answer in milliseconds, and most reads find the read models as the last read left them. A
 * value is kept under a key naming everything it depends on (a projection's checkpoint or a row's
 * version, the reference date, the parameters), so a kept value is never stale: a write or a new
 * day makes a new key, and the oldest keys are dropped.
 */
export class KeptFigures<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly capacity = 16) {}

  get(key: string, compute: () => V): V {
    const kept = this.entries.get(key);
    if (kept !== undefined) {
      // Most recently used last: the first key is the one to drop.
      this.entries.delete(key);
      this.entries.set(key, kept);
      return kept;
    }
    const value = compute();
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return value;
  }
}
