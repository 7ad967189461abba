import { Decider, DomainEvent } from '../shared/domain/decider';
import { EventStore } from '../event-store/event-store.port';
import { CommandWriter, Writer } from '../event-store/handle-command';
import { GroupCommitWriter } from '../event-store/sqlite/group-commit-writer';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store';

/**
 * The write path for one kind of stream, one per service (it owns the folded-state cache): group
 * commit on the embedded store, optimistic appends on EventStoreDB.
 */
export function writerFor<S, C, E extends DomainEvent<string, object>>(store: EventStore, decider: Decider<S, C, E>): Writer<S, C> {
  return store instanceof SqliteEventStore ? new GroupCommitWriter<S, C, E>(store, decider) : new CommandWriter<S, C, E>(store, decider);
}
