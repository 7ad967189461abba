import { Decider, DomainEvent } from '../shared/domain/decider';
import { EventStore } from '../event-store/event-store.port';
import { CommandWriter, Writer } from '../event-store/handle-command';
import { GroupCommitWriter } from '../event-store/sqlite/group-commit-writer';
import { PipelinedWriter } from '../event-store/sqlite/pipelined-writer';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store';

/**
 * The write path for one kind of stream, one per service (it owns the folded-state cache): on the
 * embedded store, group commit pipelined onto the store's write thread (PipelinedWriter; the
 * in-thread GroupCommitWriter keeps the same contract); optimistic appends on EventStoreDB.
 */
export function writerFor<S, C, E extends DomainEvent<string, object>>(store: EventStore, decider: Decider<S, C, E>): Writer<S, C> {
  if (!(store instanceof SqliteEventStore)) return new CommandWriter<S, C, E>(store, decider);
  // An in-memory database is private to its connection: the write thread could not reach it.
  if (store.file === ':memory:' || store.file === '') return new GroupCommitWriter<S, C, E>(store, decider);
  return new PipelinedWriter<S, C, E>(store, decider);
}
