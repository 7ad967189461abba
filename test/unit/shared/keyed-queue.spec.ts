/**
 * Rule: tasks sharing a key run one after another in the order queued; tasks with no key in
 * common run at once; a failed task does not stop the ones after it; the queue forgets a key once
 * its last task has settled.
 */
import { KeyedQueue } from '../../../src/shared/concurrency/keyed-queue';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('KeyedQueue', () => {
  it('runs tasks that share a key one after another, in order', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    const first = gate();
    const a = queue.run(['batch:B', 'project:P'], async () => {
      log.push('a start');
      await first.opened;
      log.push('a end');
    });
    const b = queue.run(['project:P'], async () => {
      log.push('b');
    });
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['a start']);
    first.open();
    await Promise.all([a, b]);
    expect(log).toEqual(['a start', 'a end', 'b']);
  });

  it('runs tasks with no key in common at once', async () => {
    const queue = new KeyedQueue();
    const held = gate();
    const log: string[] = [];
    const a = queue.run(['project:P'], async () => {
      await held.opened;
      log.push('a');
    });
    await queue.run(['project:Q'], async () => log.push('b'));
    expect(log).toEqual(['b']);
    held.open();
    await a;
    expect(log).toEqual(['b', 'a']);
  });

  it('goes on after a task that failed, passing the failure to its caller only, and forgets settled keys', async () => {
    const queue = new KeyedQueue();
    const failed = queue.run(['k'], () => Promise.reject(new Error('refused')));
    const next = queue.run(['k'], async () => 'ran');
    await expect(failed).rejects.toThrow('refused');
    await expect(next).resolves.toBe('ran');
    await new Promise((r) => setImmediate(r));
    expect(queue.size).toBe(0);
  });
});
