import Database from 'better-sqlite3';
import { Logger } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import {
  AppendResult,
  DuplicateEventIdError,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  RecordedEvent,
  Subscription,
  WrongExpectedRevisionError,
  checkExpected,
  eventIdsOf,
  refuseOversize,
} from '../event-store.port';
import { GENESIS_HASH, chainedMetadata } from '../hashing';
import { StoredPlace, UnreadableEventError, throwingPart, unreadable } from '../integrity';
import { assert } from '../../shared/domain/domain-error';
import { wakeableSleep } from '../../shared/time/timeout';
import { WalCheckpointer, offMainThread } from '../../shared/sqlite/wal-checkpointer';

/** Largest page `readAll` returns, whatever the caller asks. */
export const MAX_PAGE = 10_000;
/** How often a subscription looks for events appended by another process. */
const POLL_INTERVAL_MS = 250;
/** First and longest wait before a page a subscriber failed on is offered again. */
const SUBSCRIBER_RETRY_MS = 500;
const SUBSCRIBER_RETRY_MAX_MS = 30_000;

/** The embedded store's tables (also used by bench/ to build raw baselines of the same shape). */
export const SQLITE_EVENT_SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position    INTEGER PRIMARY KEY,          -- global, 1-based, gap-free: assigned as max+1 under the write lock
  stream_id   TEXT    NOT NULL,
  revision    INTEGER NOT NULL,             -- 0-based within the stream
  event_id    TEXT    NOT NULL,         -- unique per command: see appendInTransaction
  command_id  TEXT    NOT NULL,
  type        TEXT    NOT NULL,
  data        TEXT    NOT NULL,
  metadata    TEXT    NOT NULL,
  UNIQUE (stream_id, revision)
);
CREATE INDEX IF NOT EXISTS events_by_command ON events (command_id);
CREATE TABLE IF NOT EXISTS streams (
  stream_id   TEXT    PRIMARY KEY,
  revision    INTEGER NOT NULL,
  last_hash   TEXT    NOT NULL
);
`;

/** What a group-commit batch can do inside its one transaction (see `writeBatch`). */
export interface SqliteWriteTx {
  /**
   * `commandRead`: the caller read the events of these events' command id in this transaction and
   * found none, so none of their (derived) ids can be stored yet: the store does not look again.
   */
  append(
    streamId: string,
    events: NewEvent[],
    expected: ExpectedRevision,
    options?: { commandRead?: boolean },
  ): AppendResult;
  readStream(streamId: string, fromRevision?: bigint, maxCount?: number): RecordedEvent[];
  readByCommand(commandId: string): RecordedEvent[];
  /**
   * This connection's transactions, numbered; and whether another connection (another process)
   * committed since this connection's previous one. A writer whose last commit was the one just
   * before, with nobody else writing, knows its folded states are current.
   */
  readonly sequence: number;
  readonly othersWrote: boolean;
  /**
   * How many of this connection's transactions so far (this one included) found another
   * connection's commit before them: a writer that sees it move since its own last transaction
   * knows any stream it holds may be behind, even if another writer of this process saw it first.
   */
  readonly othersSeen: number;
}

/** The columns a read fetches, in this order. */
const EVENT_COLUMNS = 'position, stream_id, revision, event_id, type, data, metadata';
type EventRow = [
  position: bigint,
  streamId: string,
  revision: bigint,
  eventId: string,
  type: string,
  data: string,
  metadata: string,
];

/**
 * The embedded store: one SQLite file in WAL mode with synchronous=FULL, so an acknowledged append
 * survives a power cut. Appends run in BEGIN IMMEDIATE transactions, which serialise writers across
 * processes too (other processes wait on the lock up to `busyTimeoutMs`), so positions stay gap-free.
 */
export class SqliteEventStore implements EventStore {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly appended = new EventEmitter();
  private closed = false;
  private writeSequence = 0;
  private dataVersion: bigint | null = null;
  /** Transactions of this connection that found another connection's commit before them (SqliteWriteTx.othersSeen). */
  private othersSeen = 0;
  private readonly stmts;
  readonly busyTimeoutMs: number;
  private checkpointer: WalCheckpointer | null = null;

  constructor(
    readonly file: string,
    /** checkpointOffThread: the WAL checkpointed by a worker, not in the commits (the service's store). */
    /**
     * readonly: opened for reading only, the file must exist and is never written or checkpointed
     * (a read-only copy: SQLite reads a WAL-mode file so if its -shm is there or can be made).
     */
    options: { busyTimeoutMs?: number; checkpointOffThread?: boolean; readonly?: boolean } = {},
  ) {
    this.busyTimeoutMs = options.busyTimeoutMs ?? 10_000;
    this.db = options.readonly
      ? new Database(file, { timeout: this.busyTimeoutMs, readonly: true, fileMustExist: true })
      : new Database(file, { timeout: this.busyTimeoutMs });
    if (!options.readonly) {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
    }
    if (options.checkpointOffThread && !options.readonly && file !== ':memory:')
      this.checkpointer = offMainThread(this.db, file, (err) => {
        this.checkpointer = null;
        new Logger('sqlite-event-store').warn(
          `the checkpoint worker failed, checkpointing on commit again: ${err.message}`,
        );
      });
    this.db.defaultSafeIntegers(true);
    if (!options.readonly) this.db.exec(SQLITE_EVENT_SCHEMA);
    this.appended.setMaxListeners(0);
    this.stmts = {
      stream: this.db.prepare('SELECT revision, last_hash FROM streams WHERE stream_id = ?'),
      head: this.db.prepare('SELECT coalesce(max(position), 0) AS head FROM events'),
      insert: this.db.prepare(
        'INSERT INTO events (position, stream_id, revision, event_id, command_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      upsertStream: this.db.prepare(
        'INSERT INTO streams (stream_id, revision, last_hash) VALUES (?, ?, ?) ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision, last_hash = excluded.last_hash',
      ),
      readStream: this.db
        .prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?`)
        .raw(true),
      readAll: this.db
        .prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`)
        .raw(true),
      byCommand: this.db
        .prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE command_id = ? ORDER BY position`)
        .raw(true),
      subscriptionPage: this.db
        .prepare('SELECT position, type, data FROM events WHERE position > ? ORDER BY position LIMIT ?')
        .raw(true),
      restAt: this.db
        .prepare('SELECT stream_id, revision, event_id, metadata FROM events WHERE position = ?')
        .raw(true),
      eventIdsOfCommand: this.db.prepare('SELECT event_id FROM events WHERE command_id = ?').pluck(true),
      // Prepared once: db.pragma() prepares its statement on every call, and this runs per group.
      dataVersion: this.db.prepare('PRAGMA data_version').pluck(true),
    };
  }

  async append(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    return this.writeBatch((tx) => tx.append(streamId, events, expected));
  }

  /**
   * Runs `work` in one IMMEDIATE transaction: one commit, one fsync, however many appends it
   * makes (group commit). Nothing is visible to readers, nor acknowledged, before the commit;
   * if `work` throws, nothing at all is written.
   */
  writeBatch<T>(work: (tx: SqliteWriteTx) => T): T {
    assert(!this.closed, 'store is open');
    // Under the write lock nobody else appends: the head is read once, then counted on.
    let head: bigint | null = null;
    const tx: Omit<SqliteWriteTx, 'sequence' | 'othersWrote' | 'othersSeen'> = {
      append: (streamId, events, expected, options) => {
        const result = this.appendInTransaction(streamId, events, expected, head, options?.commandRead === true);
        head = result.position;
        return result;
      },
      readStream: (streamId, fromRevision = 0n, maxCount = -1) =>
        this.toRecordedAll(this.stmts.readStream.all(streamId, fromRevision, maxCount) as EventRow[]),
      readByCommand: (commandId) => this.toRecordedAll(this.stmts.byCommand.all(commandId) as EventRow[]),
    };
    const result = this.db
      .transaction(() => {
        // data_version moves only for other connections' commits (SQLite documents it so).
        const version = this.stmts.dataVersion.get() as bigint;
        const othersWrote = version !== this.dataVersion;
        this.dataVersion = version;
        if (othersWrote) this.othersSeen += 1;
        return work({ ...tx, sequence: ++this.writeSequence, othersWrote, othersSeen: this.othersSeen });
      })
      .immediate();
    if (head !== null) this.appended.emit('appended', head);
    return result;
  }

  private appendInTransaction(
    streamId: string,
    events: NewEvent[],
    expected: ExpectedRevision,
    head: bigint | null,
    commandRead = false,
  ): AppendResult {
    assert(events.length > 0, 'an append carries at least one event');
    const current = this.stmts.stream.get(streamId) as { revision: bigint; last_hash: string } | undefined;
    checkExpected(streamId, expected, current?.revision);
    let revision = current ? current.revision : -1n;
    let prevHash = current ? current.last_hash : GENESIS_HASH;
    let position = head ?? (this.stmts.head.get() as { head: bigint }).head;
    this.refuseDuplicateIds(events, commandRead);
    const chained = chainedMetadata(streamId, revision, prevHash, events);
    const texts = events.map((e, k) => [JSON.stringify(e.data), JSON.stringify(chained[k])] as const);
    // EventStoreDB's limit, here too: a ledger holds nothing another store cannot copy.
    refuseOversize(streamId, events, texts);
    for (let k = 0; k < events.length; k++) {
      const e = events[k];
      revision += 1n;
      position += 1n;
      this.stmts.insert.run(
        position,
        streamId,
        revision,
        e.eventId,
        e.metadata.commandId,
        e.type,
        texts[k][0],
        texts[k][1],
      );
    }
    prevHash = String(chained[chained.length - 1].hash);
    this.stmts.upsertStream.run(streamId, revision, prevHash);
    return { streamId, revision, position, hash: prevHash };
  }

  async readStream(streamId: string, fromRevision = 0n, maxCount = -1): Promise<RecordedEvent[]> {
    return this.toRecordedAll(this.stmts.readStream.all(streamId, fromRevision, maxCount) as EventRow[]);
  }

  async readAll({ after, limit }: ReadAllOptions): Promise<RecordedEvent[]> {
    const page = Math.max(1, Math.min(limit, MAX_PAGE));
    return this.toRecordedAll(this.stmts.readAll.all(after, page) as EventRow[]);
  }

  async readByCommand(commandId: string): Promise<RecordedEvent[]> {
    return this.toRecordedAll(this.stmts.byCommand.all(commandId) as EventRow[]);
  }

  async headPosition(): Promise<bigint> {
    return (this.stmts.head.get() as { head: bigint }).head;
  }

  subscribeToAll(
    after: bigint,
    onEvents: (events: RecordedEvent[]) => Promise<void> | void,
    onError?: (error: Error) => void,
  ): Subscription {
    let checkpoint = after;
    let stopped = false;
    let failures = 0;
    const { sleep, wake } = wakeableSleep();
    const onAppended = () => wake();
    this.appended.on('appended', onAppended);
    const loop = (async () => {
      while (!stopped && !this.closed) {
        try {
          const page = this.readSubscriptionPage(checkpoint, 1000);
          if (page.length === 0) {
            await sleep(POLL_INTERVAL_MS); // woken by an in-process append; polls for another process's
            continue;
          }
          await onEvents(page);
          checkpoint = page[page.length - 1].position;
          failures = 0;
        } catch (err) {
          // The page could not be read, or the subscriber did not take it: report it and offer the
          // same page again later, backing off, rather than skip it or bring the process down.
          failures += 1;
          onError?.(err as Error);
          await sleep(Math.min(SUBSCRIBER_RETRY_MAX_MS, SUBSCRIBER_RETRY_MS * 2 ** Math.min(failures - 1, 10)));
        }
      }
    })();
    return {
      close: async () => {
        stopped = true;
        wake();
        this.appended.off('appended', onAppended);
        await loop.catch(() => undefined);
      },
    };
  }

  /**
   * Event ids derive from their command's id, so an id can only repeat under the same command id:
   * the store looks them up there (the command-id index serves idempotency anyway) instead of
   * keeping a unique index over random ids, which cost a quarter of every group commit.
   */
  private refuseDuplicateIds(events: NewEvent[], commandRead: boolean): void {
    const ids = eventIdsOf(events);
    if (commandRead && events.every((e) => e.metadata.commandId === events[0].metadata.commandId)) return;
    for (const commandId of new Set(events.map((e) => e.metadata.commandId))) {
      for (const stored of this.stmts.eventIdsOfCommand.all(commandId) as string[]) {
        if (ids.has(stored)) throw new DuplicateEventIdError(stored);
      }
    }
  }

  /**
   * A page for a subscriber, read with only position, type and data: the projection runner
   * replays the whole log through here, and projections look at nothing else (metadata is the
   * larger half of a row; the other columns cost a tenth of a replay). The rest of an event is
   * loaded on first access, while the store is open (a subscription never outlives it). Every
   * other read returns complete values.
   */
  private readSubscriptionPage(after: bigint, limit: number): RecordedEvent[] {
    const rows = this.stmts.subscriptionPage.all(after, limit) as [bigint, string, string][];
    const out = new Array<RecordedEvent>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const [position, type, data] = rows[i];
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(data);
      } catch (err) {
        const event = new PagedEvent(this, position, type, {});
        throwingPart(event, 'data', this.unreadable(event, 'data', err));
        out[i] = event;
        continue;
      }
      out[i] = new PagedEvent(this, position, type, parsed);
    }
    return out;
  }

  /** The columns a subscription event was read without (see PagedEvent). */
  restOf(position: bigint): PagedRest {
    const [streamId, revision, eventId, metadata] = this.stmts.restAt.get(position) as [string, bigint, string, string];
    const rest = { streamId, revision, eventId } as PagedRest;
    try {
      rest.metadata = JSON.parse(metadata);
    } catch (err) {
      throwingPart(rest, 'metadata', this.unreadable({ ...rest, position }, 'metadata', err));
    }
    return rest;
  }

  /** A stored event's data or metadata that is not JSON: its stream marked broken, the error its readers get (integrity.ts). */
  private unreadable(place: StoredPlace, part: 'data' | 'metadata', err: unknown): UnreadableEventError {
    return unreadable(this, place, `its ${part} is not JSON (${(err as Error).message})`);
  }

  /**
   * Rows as RecordedEvents. Metadata is parsed on first use: projections replaying the log never
   * look at it, and it is the larger half of a row. Each event keeps its own text, so it stays a
   * complete value after the store is closed.
   */
  private toRecordedAll(rows: EventRow[]): RecordedEvent[] {
    const out = new Array<RecordedEvent>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const [position, streamId, revision, eventId, type, data, metadataText] = rows[i];
      let parsed: Record<string, unknown> | undefined;
      let unreadableData: unknown;
      try {
        parsed = JSON.parse(data);
      } catch (err) {
        unreadableData = err;
      }
      const event = { streamId, revision, position, eventId, type, data: parsed } as RecordedEvent;
      let metadata: RecordedEvent['metadata'] | undefined;
      Object.defineProperty(event, 'metadata', {
        enumerable: true,
        get: () => (metadata ??= this.parsedMetadata(event, metadataText)),
      });
      if (unreadableData !== undefined) throwingPart(event, 'data', this.unreadable(event, 'data', unreadableData));
      out[i] = event;
    }
    return out;
  }

  private parsedMetadata(place: StoredPlace, text: string): RecordedEvent['metadata'] {
    try {
      return JSON.parse(text);
    } catch (err) {
      throw this.unreadable(place, 'metadata', err);
    }
  }

  /** Reads one PRAGMA of this connection (e.g. 'synchronous', 'journal_mode'); it never sets one. */
  pragma(name: string): string | number | null {
    assert(/^[a-z_]+$/.test(name), 'a pragma name is a bare identifier');
    const value = this.db.pragma(name, { simple: true }) as string | number | bigint | null | undefined;
    return typeof value === 'bigint' ? Number(value) : (value ?? null);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.appended.emit('appended', 0n);
    await this.checkpointer?.stop();
    this.db.close();
  }
}

/** What a subscription page leaves out of an event. */
type PagedRest = Pick<RecordedEvent, 'streamId' | 'revision' | 'eventId' | 'metadata'>;

/**
 * A subscription event: position, type and data read with the page; the other fields are loaded
 * together on first access to any of them (getters on the class, so every event shares one shape)
 * and then kept: one query per event, so meant for the odd look, not for every event of a replay.
 * Only the projection runner subscribes, and no projection reads them. Being getters, they are
 * not own properties: a copy (`{ ...e }`) or JSON.stringify leaves them out unless read first.
 */
class PagedEvent implements RecordedEvent {
  readonly #store: SqliteEventStore;
  #rest: PagedRest | undefined;

  constructor(
    store: SqliteEventStore,
    readonly position: bigint,
    readonly type: string,
    readonly data: Record<string, unknown>,
  ) {
    this.#store = store;
  }

  get streamId(): string {
    return this.rest().streamId;
  }

  get revision(): bigint {
    return this.rest().revision;
  }

  get eventId(): string {
    return this.rest().eventId;
  }

  get metadata(): RecordedEvent['metadata'] {
    return this.rest().metadata;
  }

  private rest(): PagedRest {
    return (this.#rest ??= this.#store.restOf(this.position));
  }
}
