/**
 * Runs tasks one after another per key, within this process: a task starts once every task queued
 * before it under any of its keys has settled (fulfilled or not). A task waits only on tasks queued
 * before it, so two tasks never wait on each other, whatever order their keys are given in.
 */
export class KeyedQueue {
  /** Per key, the settling of the last task queued under it. */
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(keys: readonly string[], task: () => Promise<T>): Promise<T> {
    const before = keys.map((key) => this.tails.get(key)).filter((t): t is Promise<void> => t !== undefined);
    const result = Promise.all(before).then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    for (const key of keys) this.tails.set(key, tail);
    void tail.then(() => {
      for (const key of keys) if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with a task queued or running (for tests: the map empties once all have settled). */
  get size(): number {
    return this.tails.size;
  }
}
