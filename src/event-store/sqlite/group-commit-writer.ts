import { Decider, DomainEvent } from '../../shared/domain/decider';
import {
  CommandContext, Guard, StreamStateCache, WriteResult, Writer, priorAnswer, staleRevision, toNewEvents, writeResultOf,
} from '../handle-command';
import { SqliteEventStore, SqliteWriteTx } from './sqlite-event-store';

/** Most commands decided and committed together in one transaction. */
export const MAX_GROUP = 256;

interface Job<S, C> {
  streamId: string;
  command: C;
  ctx: CommandContext;
  guard?: Guard<S>;
  resolve: (result: WriteResult) => void;
  reject: (error: unknown) => void;
}

/**
 * The write path on the embedded store, with group commit. Commands that arrive together (in
 * the same turn of the event loop, or while the previous group was being written) are decided
 * and appended in one IMMEDIATE transaction, so one fsync makes the whole group durable. Each
 * command runs under its own savepoint: a rule it breaks fails it alone and rolls back only its
 * writes; its neighbours go on. Every caller is answered only after the commit returned.
 *
 * Inside the transaction this process holds SQLite's write lock and reads each stream's newest
 * events before deciding, so a decision always sees every earlier write, from this group or from
 * another process: there are no conflicts to retry. Same contract as CommandWriter: idempotency
 * by command id, If-Match (412), guards, coded errors.
 */
export class GroupCommitWriter<S, C, E extends DomainEvent<string, object>> implements Writer<S, C> {
  private readonly cache: StreamStateCache<S, E>;
  private queue: Job<S, C>[] = [];
  private scheduled = false;

  constructor(
    private readonly store: SqliteEventStore,
    private readonly decider: Decider<S, C, E>,
    /** Called with the group's size after each commit (metrics, tests). */
    private readonly onCommit?: (size: number) => void,
  ) {
    this.cache = new StreamStateCache(decider as Decider<S, unknown, E>);
  }

  execute(streamId: string, command: C, ctx: CommandContext, guard?: Guard<S>): Promise<WriteResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ streamId, command, ctx, guard, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const group = this.queue.splice(0, MAX_GROUP);
    if (this.queue.length > 0) this.schedule();
    if (group.length === 0) return;
    const outcomes: ({ ok: WriteResult } | { error: unknown })[] = [];
    const touched = new Set<string>();
    try {
      this.store.writeBatch((tx) => {
        for (const job of group) {
          try {
            outcomes.push({ ok: tx.attempt(() => this.decideAndAppend(tx, job, touched)) });
          } catch (error) {
            outcomes.push({ error });
          }
        }
      });
    } catch (error) {
      // The commit itself failed (disk full, I/O error, crash simulation): nothing of the group is
      // durable, so nobody is told it succeeded, and the states folded from it are dropped.
      for (const streamId of touched) this.cache.invalidate(streamId);
      for (const job of group) job.reject(error);
      return;
    }
    this.onCommit?.(group.length);
    group.forEach((job, i) => {
      const outcome = outcomes[i];
      if ('ok' in outcome) job.resolve(outcome.ok);
      else job.reject(outcome.error);
    });
  }

  private decideAndAppend(tx: SqliteWriteTx, job: Job<S, C>, touched: Set<string>): WriteResult {
    const { streamId, ctx } = job;
    const prior = priorAnswer(tx.readByCommand(ctx.commandId), ctx);
    if (prior) return prior;
    const entry = this.cache.take(streamId);
    this.cache.catchUp(entry, tx.readStream(streamId, entry.revision + 1n));
    if (ctx.ifMatch !== undefined && ctx.ifMatch !== entry.revision) throw staleRevision(streamId, ctx.ifMatch, entry.revision);
    job.guard?.(entry.state, entry.revision);
    const decided = this.decider.decide(job.command, entry.state);
    const toAppend = toNewEvents(decided, ctx);
    const result = tx.append(streamId, toAppend, entry.revision < 0n ? 'no_stream' : entry.revision);
    touched.add(streamId);
    this.cache.advance(streamId, entry, result.revision - BigInt(decided.length) + 1n, decided);
    return writeResultOf(streamId, result.revision, result.position, toAppend);
  }
}
