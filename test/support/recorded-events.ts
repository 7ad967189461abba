/** Events as a store hands them back (below the write path: no hash chain), for the specs that feed projections by hand. */
import { RecordedEvent } from '../../src/event-store/event-store.port';

/** `data` of `type` stored at `position` (revision one less) of `streamId`, with plausible metadata. */
export function storedAt(
  position: bigint,
  streamId: string,
  type: string,
  data: object,
  recordedAt = '2022-01-01T00:00:00.000Z',
): RecordedEvent {
  return {
    streamId,
    revision: position - 1n,
    position,
    eventId: `e${position}`,
    type,
    data: { ...data },
    metadata: {
      eventId: `e${position}`,
      commandId: `c${position}`,
      requestHash: 'h',
      actor: { id: 'u', role: 'admin', org: 'o' },
      correlationId: 'c',
      causationId: 'c',
      recordedAt,
      prevHash: '',
      hash: '',
    },
  };
}
