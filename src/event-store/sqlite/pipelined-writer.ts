import { Decider, DomainEvent } from '../../shared/domain/decider';
import { DomainError } from '../../shared/domain/domain-error';
import {
  CommandContext, Guard, MAX_DECIDE_ATTEMPTS, STREAM_CACHE_LIMIT, WriteResult, Writer, priorAnswer, staleRevision, toNewEvents, writeResultOf,
} from '../handle-command';
import { NewEvent } from '../event-store.port';
import { GENESIS_HASH, chainedMetadata } from '../hashing';
import { GroupCommitWriter, Job as QueuedJob, MAX_GROUP } from './group-commit-writer';
import { SqliteEventStore } from './sqlite-event-store';
import { WorkerAppend, WorkerGroupResult, WriteFault, WriteGroupFailed, WriteWorkerLost } from './write-worker';

/** Groups sent to the write thread and not answered yet: one committing, the next ones decided and waiting. */
export const MAX_IN_FLIGHT = 4;
/**
 * While the write thread is idle, a group goes to it as soon as this many commands wait, without
 * waiting for the event loop to finish the requests it has read: the first ones of a burst are
 * committing while the main thread still parses the rest. While groups are in flight, commands
 * gather until the end of the turn, so a busy write thread gets fewer, larger groups (sending
 * every 8 cost bulk writes a quarter of their throughput).
 */
export const EAGER_GROUP = 8;
/** Counted conflicts after which a command is decided under the write lock instead (see `underLock`). */
export const LOCKED_AFTER = 4;

interface Job<S, C> extends QueuedJob<S, C> {
  /** Decisions made for it so far (a conflict decides again). */
  attempts: number;
  /** Its group was rolled back by another append's failure: it goes on in a group of its own. */
  alone: boolean;
}

/** A stream as this writer's decisions see it: committed events plus its own appends in flight. */
interface Entry<S> {
  revision: bigint; // -1n: no stream
  state: S;
  /** Hash of the event at `revision` (GENESIS_HASH for none). */
  lastHash: string;
  /** Appends decided on this entry and not answered yet. */
  inFlight: number;
}

interface Sent<S, C, E> {
  job: Job<S, C>;
  /** The entry the decision was made on and advanced (speculatively). */
  entry: Entry<S>;
  toAppend: NewEvent[];
  /** The rows for the write thread, with where the decision saw the stream. */
  append: WorkerAppend;
  /**
   * The decision failed with this error (a broken rule, a stale If-Match, a guard). It is
   * reported only once the write thread confirmed, in order, that the stream is where the
   * decision saw it (a check that writes nothing); else the command is decided again.
   */
  refused?: unknown;
  /**
   * Decided on top of appends still in flight. If it then meets a conflict, that is most likely
   * the one the append before it met (another process wrote the stream): it is decided again
   * without counting the attempt, since the append before it counts its own.
   */
  speculative: boolean;
}

/**
 * The write path on the embedded store, pipelined: group commit with the transaction on the
 * store's write thread (write-worker.ts).
 *
 * Commands that arrive together are decided on the main thread and sent as one group, one
 * transaction, one fsync. While a group commits, the next one is decided on top of its (not yet
 * committed) outcome and sent behind it; at most MAX_IN_FLIGHT groups are unanswered. Every
 * append carries the revision and the last hash its decision saw, and the write thread writes it
 * only if the stream is exactly there; so if an earlier append failed (or another process wrote),
 * the later one writes nothing and is decided again on the state read afresh
 * (up to MAX_DECIDE_ATTEMPTS times, then 409 write-conflict).
 *
 * Same contract as GroupCommitWriter: every caller is answered only after its own transaction
 * committed durably (synchronous=FULL); a command that breaks a rule writes nothing and fails
 * alone (its refusal is reported once the write thread confirmed, in order, that the stream is
 * where the decision saw it; else it is decided again); an append that fails half way rolls its
 * group back and the group's other commands are decided again, each in a group of its own;
 * idempotency by command id (looked up inside the transaction, which covers other processes and
 * repeats racing each other, and on this thread when a decision fails, since a repeat of a
 * written command usually breaks a rule by now); If-Match (412); guards; the hash chain
 * (computed here, checked by the write thread against the stream's last hash). Guards and
 * decisions never leave the main thread: only rows cross to the write thread.
 */
export class PipelinedWriter<S, C, E extends DomainEvent<string, object>> implements Writer<S, C> {
  private readonly entries = new Map<string, Entry<S>>();
  private queue: Job<S, C>[] = [];
  private inFlight = 0;
  private scheduled = false;
  /** Command ids decided and not answered yet, with the jobs that carry the same id and wait for that answer. */
  private readonly commandsInFlight = new Map<string, Job<S, C>[]>();
  private fault: WriteFault | undefined;
  private lockedWriter: GroupCommitWriter<S, C, E> | undefined;

  constructor(
    private readonly store: SqliteEventStore,
    private readonly decider: Decider<S, C, E>,
    /** Called after each commit with the number of commands the group answered (metrics, tests). */
    private readonly onCommit?: (size: number) => void,
  ) {}

  execute(streamId: string, command: C, ctx: CommandContext, guard?: Guard<S>): Promise<WriteResult> {
    this.store.writeWorker().poll(); // answers that have arrived are answered first
    return new Promise((resolve, reject) => {
      this.queue.push({ streamId, command, ctx, guard, resolve, reject, attempts: 0, alone: false });
      this.schedule();
    });
  }

  /** Tests only: a fault the write thread injects into every group it is sent, until cleared. */
  injectFault(fault: WriteFault | undefined): void {
    this.fault = fault;
  }

  private schedule(): void {
    if (this.queue.length >= EAGER_GROUP && this.inFlight === 0) {
      this.flush();
      return;
    }
    if (this.scheduled || this.queue.length === 0 || this.inFlight >= MAX_IN_FLIGHT) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    while (this.queue.length > 0 && this.inFlight < MAX_IN_FLIGHT) {
      const sent: Sent<S, C, E>[] = [];
      // With nothing in flight and a crowd waiting, half goes now and half is decided while the
      // first half commits: the main thread's work and the fsync overlap.
      const limit = this.inFlight === 0 && this.queue.length >= 16 ? Math.ceil(this.queue.length / 2) : MAX_GROUP;
      let taken = 0;
      while (this.queue.length > 0 && taken < limit) {
        const job = this.queue[0];
        if (job.alone && sent.length > 0) break;
        this.queue.shift();
        taken += 1;
        const s = this.decide(job);
        if (s) sent.push(s);
        if (job.alone && sent.length > 0) break;
      }
      if (sent.length > 0) this.send(sent);
    }
  }

  /** Idempotency, If-Match, guard, decision and rows; a job that fails here has sent nothing. */
  private decide(job: Job<S, C>): Sent<S, C, E> | null {
    const { streamId, ctx } = job;
    const waiting = this.commandsInFlight.get(ctx.commandId);
    if (waiting) {
      waiting.push(job); // answered once the first one is: see `release`
      return null;
    }
    let entry: Entry<S>;
    try {
      job.attempts += 1;
      entry = this.load(streamId);
    } catch (error) {
      job.reject(error);
      return null;
    }
    const speculative = entry.inFlight > 0;
    let events: E[];
    let toAppend: NewEvent[];
    let append: WorkerAppend;
    try {
      if (ctx.ifMatch !== undefined && ctx.ifMatch !== entry.revision) throw staleRevision(streamId, ctx.ifMatch, entry.revision);
      job.guard?.(entry.state, entry.revision);
      events = this.decider.decide(job.command, entry.state);
      toAppend = toNewEvents(events, ctx);
      append = this.rowsOf(streamId, ctx.commandId, entry, toAppend);
    } catch (refused) {
      // A repeat of a command already written may well break a rule now (its receipt id is
      // taken, its If-Match is stale): its answer is the first one. A repeat that decides fine is
      // sent, and the write thread finds its command id (`duplicate`). So the command-id index is
      // read here only when a decision fails, and on the write thread, in the transaction.
      try {
        const prior = priorAnswer(this.store.readByCommandSync(ctx.commandId), ctx);
        if (prior) {
          job.resolve(prior);
          return null;
        }
      } catch (error) {
        job.reject(error);
        return null;
      }
      this.commandsInFlight.set(ctx.commandId, []);
      entry.inFlight += 1;
      return { job, entry, toAppend: [], append: this.rowsOf(streamId, ctx.commandId, entry, []), refused, speculative };
    }
    // The next decision on this stream (in this group or the next) builds on this one, before it
    // is committed. `evolve` never rejects a stored event; should it throw all the same (a bug),
    // the entry may be half changed: forget it, so the next decision folds the stream afresh.
    try {
      for (const e of events) entry.state = this.decider.evolve(entry.state, e);
    } catch (bug) {
      if (this.entries.get(streamId) === entry) this.entries.delete(streamId);
      job.reject(bug);
      return null;
    }
    entry.revision += BigInt(toAppend.length);
    entry.lastHash = append.lastHash;
    entry.inFlight += 1;
    this.commandsInFlight.set(ctx.commandId, []);
    return { job, entry, toAppend, append, speculative };
  }

  /** The rows of an append on top of `entry`, with the hash chain, as the store's appendInTransaction builds them. */
  private rowsOf(streamId: string, commandId: string, entry: Entry<S>, toAppend: NewEvent[]): WorkerAppend {
    const chained = chainedMetadata(streamId, entry.revision, entry.lastHash, toAppend);
    const rows: WorkerAppend['rows'] = toAppend.map((e, k) => [e.eventId, e.type, JSON.stringify(e.data), JSON.stringify(chained[k])]);
    const lastHash = chained.length > 0 ? String(chained[chained.length - 1].hash) : entry.lastHash;
    return { streamId, expectedRevision: entry.revision, expectedHash: entry.lastHash, commandId, rows, lastHash };
  }

  private send(sent: Sent<S, C, E>[]): void {
    const appends: WorkerAppend[] = new Array(sent.length);
    for (let i = 0; i < sent.length; i++) appends[i] = sent[i].append;
    this.inFlight += 1;
    let request: Promise<WorkerGroupResult>;
    try {
      request = this.store.writeWorker().send(appends, this.fault);
    } catch (error) {
      request = Promise.reject(error); // the store was closed meanwhile
    }
    request.then(
      (result) => this.committed(sent, result),
      (error) => this.failed(sent, error),
    ).catch((bug: Error) => console.error(`pipelined writer: answering a group failed: ${bug.stack ?? bug.message}`));
  }

  private committed(sent: Sent<S, C, E>[], { results, head }: WorkerGroupResult): void {
    this.inFlight -= 1;
    for (const s of sent) s.entry.inFlight -= 1;
    let answered = 0;
    let wrote = false;
    const again: Job<S, C>[] = [];
    for (let i = 0; i < sent.length; i++) {
      const s = sent[i];
      const r = results[i];
      const { job } = s;
      if (r.ok) {
        answered += 1;
        this.release(job.ctx.commandId);
        if (s.refused !== undefined) {
          job.reject(s.refused); // decided on the stream as it is: the refusal stands
        } else {
          wrote = true;
          job.resolve(writeResultOf(job.streamId, r.revision, r.position, s.toAppend));
        }
        continue;
      }
      this.drop(s);
      this.release(job.ctx.commandId);
      if ('duplicate' in r) {
        // Another process wrote this command id first: its answer is the answer.
        answered += 1;
        try {
          const prior = priorAnswer(this.store.readByCommandSync(job.ctx.commandId), job.ctx);
          if (prior) job.resolve(prior);
          else this.retry(job, again);
        } catch (error) {
          job.reject(error);
        }
      } else {
        // The stream was not where the decision saw it: an earlier append failed, or someone else wrote.
        if (s.speculative) job.attempts -= 1;
        this.retry(job, again);
      }
    }
    this.queue.unshift(...again);
    if (wrote) this.store.notifyAppended(head);
    try {
      this.onCommit?.(answered);
    } catch (bug) {
      console.error(`pipelined writer: onCommit failed: ${(bug as Error).message}`);
    }
    this.schedule();
  }

  private failed(sent: Sent<S, C, E>[], error: unknown): void {
    this.inFlight -= 1;
    for (const s of sent) {
      s.entry.inFlight -= 1;
      this.drop(s);
    }
    if (error instanceof WriteWorkerLost) {
      this.readBack(sent, error);
      return;
    }
    const appendFailed = error instanceof WriteGroupFailed && error.phase === 'append';
    // Nothing of the group is durable. If one append failed while writing, the others go on, each
    // alone and decided again; a failed commit or a lost thread fails the whole group.
    const retryAlone = appendFailed && sent.length > 1;
    const again: Job<S, C>[] = [];
    for (const s of sent) {
      this.release(s.job.ctx.commandId);
      if (retryAlone) {
        s.job.alone = true;
        again.push(s.job);
      } else {
        s.job.reject(error);
      }
    }
    this.queue.unshift(...again);
    this.schedule();
  }

  /**
   * The write thread stopped with this group unanswered. The thread is gone, so what it did is
   * final: a command whose events are stored gets that answer, the others are decided again (a
   * new thread takes the next group), until their attempts run out.
   */
  private readBack(sent: Sent<S, C, E>[], error: WriteWorkerLost): void {
    const again: Job<S, C>[] = [];
    for (const s of sent) {
      const { job } = s;
      this.release(job.ctx.commandId);
      try {
        const prior = s.refused === undefined ? priorAnswer(this.store.readByCommandSync(job.ctx.commandId), job.ctx) : null;
        if (prior) job.resolve({ ...prior, replayed: false }); // its own first answer, read back
        else if (job.attempts >= MAX_DECIDE_ATTEMPTS) job.reject(error);
        else again.push(job);
      } catch {
        job.reject(error); // the store is closed: nothing can be read back
      }
    }
    this.queue.unshift(...again);
    this.schedule();
  }

  private retry(job: Job<S, C>, again: Job<S, C>[]): void {
    if (job.attempts >= MAX_DECIDE_ATTEMPTS) {
      job.reject(new DomainError('write-conflict', `stream ${job.streamId} changed under ${MAX_DECIDE_ATTEMPTS} attempts in a row; try again`, 409));
      return;
    }
    if (job.attempts >= LOCKED_AFTER) {
      this.underLock(job);
      return;
    }
    again.push(job);
  }

  /**
   * A command that lost LOCKED_AFTER races in a row (another process keeps writing its stream) is
   * decided under the store's write lock, on the main connection (GroupCommitWriter): holding the
   * lock, it reads the stream's newest events before deciding, so it cannot lose again. The main
   * thread waits for that commit, which only happens under such contention.
   */
  private underLock(job: Job<S, C>): void {
    this.lockedWriter ??= new GroupCommitWriter<S, C, E>(this.store, this.decider);
    // Written behind this writer's back: the stream is folded afresh by the next decision on it.
    this.lockedWriter
      .execute(job.streamId, job.command, job.ctx, job.guard)
      .finally(() => this.entries.delete(job.streamId))
      .then(job.resolve, job.reject);
  }

  /** The decision's entry holds events that were not written: forget it (if nobody replaced it yet). */
  private drop(s: Sent<S, C, E>): void {
    if (this.entries.get(s.job.streamId) === s.entry) this.entries.delete(s.job.streamId);
  }

  /** The command id is answered (or will be decided again): jobs with the same id go back to the queue. */
  private release(commandId: string): void {
    const waiting = this.commandsInFlight.get(commandId);
    if (!waiting) return;
    this.commandsInFlight.delete(commandId);
    // Queued only: every caller (committed, failed, readBack) schedules once it has handled its
    // whole group, so nothing is decided on an entry the group's later answers will drop.
    if (waiting.length > 0) this.queue.push(...waiting);
  }

  /**
   * The stream as decisions see it; folded from what is committed when this writer has no entry.
   * An entry holds speculative state (appends in flight), so after a conflict or a failure it is
   * dropped and the stream is folded again from its first event: cheap for the short streams of a
   * project, and rare in one process (only a failed append or another process's write causes it),
   * but a long stream that another process writes at the same time pays a full fold each time.
   */
  private load(streamId: string): Entry<S> {
    let entry = this.entries.get(streamId);
    if (entry) {
      this.entries.delete(streamId); // re-inserted below: the Map's order is the LRU order
    } else {
      let state = this.decider.initialState();
      const events = this.store.readStreamSync(streamId);
      for (const e of events) state = this.decider.evolve(state, { type: e.type, data: e.data } as unknown as E);
      const last = events[events.length - 1];
      entry = { revision: last ? last.revision : -1n, state, lastHash: last ? last.metadata.hash : GENESIS_HASH, inFlight: 0 };
    }
    this.entries.set(streamId, entry);
    if (this.entries.size > STREAM_CACHE_LIMIT) this.entries.delete(this.entries.keys().next().value as string);
    return entry;
  }
}
