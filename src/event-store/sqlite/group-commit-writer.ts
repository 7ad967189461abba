import { Decider, DomainEvent } from '../../shared/domain/decider';
import {
  CachedStream, CommandContext, Guard, StreamStateCache, WriteResult, Writer, priorAnswer, staleRevision, toNewEvents, writeResultOf,
} from '../handle-command';
import { NewEvent, WrongExpectedRevisionError } from '../event-store.port';
import { SqliteEventStore, SqliteWriteTx } from './sqlite-event-store';

/** Most commands decided and committed together in one transaction. */
export const MAX_GROUP = 256;

/** A command waiting for its group, with the caller's promise (both embedded-store writers queue these). */
export interface Job<S, C> {
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
 * and appended in one IMMEDIATE transaction, so one fsync makes the whole group durable. A rule a
 * command breaks is found before it writes anything, so it fails alone and its neighbours go on.
 * Every caller is answered only after the commit returned.
 *
 * Inside the transaction this process holds SQLite's write lock and reads each stream's newest
 * events before deciding, so a decision always sees every earlier write, from this group or from
 * another process: there are no conflicts to retry. Same contract as CommandWriter: idempotency
 * by command id, If-Match (412), guards, coded errors.
 */
export class GroupCommitWriter<S, C, E extends DomainEvent<string, object>> implements Writer<S, C> {
  private readonly cache: StreamStateCache<S, E>;
  private queue: Job<S, C>[] = [];
  /** The store transaction this writer last committed; see `decide`. */
  private lastSequence = -1;
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
    const outcomes = this.commit(group);
    const stale = !Array.isArray(outcomes) && outcomes.error instanceof WrongExpectedRevisionError;
    if (!Array.isArray(outcomes) && outcomes.appendFailed && (group.length > 1 || stale)) {
      // An append failed (it should not: ids are fresh and revisions read under the lock), so
      // the whole group was rolled back and its folds dropped. Each command goes on alone, decided
      // again on states read afresh.
      for (const job of group) this.settle([job], this.commit([job]));
      return;
    }
    this.settle(group, outcomes);
  }

  private settle(group: Job<S, C>[], outcomes: Outcome[] | Failed): void {
    if (!Array.isArray(outcomes)) {
      for (const job of group) job.reject(outcomes.error);
      return;
    }
    this.onCommit?.(group.length);
    group.forEach((job, i) => {
      const outcome = outcomes[i];
      if ('ok' in outcome) job.resolve(outcome.ok);
      else job.reject(outcome.error);
    });
  }

  /**
   * Decides and appends a group in one transaction. A command whose decision fails (a broken
   * rule, a stale If-Match, a reused key) has written nothing: it fails alone. There are no
   * savepoints on this path (they cost as much as the appends): should an append itself fail,
   * the whole transaction is rolled back and the failure returned with `appendFailed`.
   */
  private commit(group: Job<S, C>[]): Outcome[] | Failed {
    const outcomes: Outcome[] = [];
    const touched = new Set<string>();
    try {
      let sequence = -1;
      this.store.writeBatch((tx) => {
        // Cached folds are current when nobody else wrote since this writer's last commit: no
        // other connection (data_version) and no other transaction on this one (sequence).
        const current = !tx.othersWrote && tx.sequence === this.lastSequence + 1;
        sequence = tx.sequence;
        for (const job of group) {
          let decided: Decided<E>;
          try {
            const d = this.decide(tx, job, current);
            if ('replayed' in d) {
              outcomes.push({ ok: d.replayed });
              continue;
            }
            decided = d;
          } catch (error) {
            outcomes.push({ error });
            continue;
          }
          outcomes.push({ ok: this.append(tx, job, decided, touched) });
        }
      });
      this.lastSequence = sequence;
      return outcomes;
    } catch (error) {
      // Nothing of the group is durable (the commit or an append failed): nobody is told it
      // succeeded, and the states folded from it are dropped.
      for (const streamId of touched) this.cache.invalidate(streamId);
      if (error instanceof AppendFailed) return { error: error.cause, appendFailed: true };
      return { error, appendFailed: false };
    }
  }

  /** Everything before writing: idempotency, If-Match, guard, decision. Throws write nothing. */
  private decide(tx: SqliteWriteTx, job: Job<S, C>, cacheCurrent: boolean): Decided<E> | { replayed: WriteResult } {
    const { streamId, ctx } = job;
    const prior = priorAnswer(tx.readByCommand(ctx.commandId), ctx);
    if (prior) return { replayed: prior };
    const entry = this.cache.take(streamId);
    if (!cacheCurrent || entry.revision < 0n) this.cache.catchUp(entry, tx.readStream(streamId, entry.revision + 1n));
    if (ctx.ifMatch !== undefined && ctx.ifMatch !== entry.revision) throw staleRevision(streamId, ctx.ifMatch, entry.revision);
    job.guard?.(entry.state, entry.revision);
    const events = this.decider.decide(job.command, entry.state);
    return { entry, events, toAppend: toNewEvents(events, ctx) };
  }

  private append(tx: SqliteWriteTx, job: Job<S, C>, d: Decided<E>, touched: Set<string>): WriteResult {
    const { streamId } = job;
    let result;
    try {
      touched.add(streamId);
      // `decide` read this command id in this transaction and found nothing: no id to look up again.
      result = tx.append(streamId, d.toAppend, d.entry.revision < 0n ? 'no_stream' : d.entry.revision, { commandRead: true });
    } catch (error) {
      throw new AppendFailed(error);
    }
    this.cache.advance(streamId, d.entry, result.revision - BigInt(d.events.length) + 1n, d.events);
    return writeResultOf(streamId, result.revision, result.position, d.toAppend);
  }
}

type Outcome = { ok: WriteResult } | { error: unknown };
/** The whole group's transaction did not commit. */
interface Failed {
  error: unknown;
  appendFailed: boolean;
}

interface Decided<E> {
  entry: CachedStream<unknown> & { state: any };
  events: E[];
  toAppend: NewEvent[];
}

/** An append failed inside the group's transaction, which may now hold part of it. */
class AppendFailed extends Error {
  constructor(override readonly cause: unknown) {
    super(`append failed: ${String((cause as Error)?.message ?? cause)}`);
  }
}
