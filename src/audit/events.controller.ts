import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PersonalData } from '../auth/personal-data';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { PersonalDataView } from '../events/personal-fields';
import { eventView } from '../funding/project-views';
import { Refuses } from '../http/openapi-responses';
import { QueryParam, QueryParamDoc } from '../http/query-param.decorator';
import { DomainError } from '../shared/domain/domain-error';
import { EventsPageDto } from './audit-views.dto';

export const EVENTS_PAGE_DEFAULT = 100;
export const EVENTS_PAGE_MAX = 1000;
/** A position is at most 128 bits (EventStoreDB's commit and prepare positions): 39 decimal digits. */
const POSITION = /^(0|[1-9]\d{0,38})$/;
/**
 * The largest position each store can be asked about: SQLite binds a signed 64-bit integer (a
 * larger one threw inside the driver, a 500); EventStoreDB packs two unsigned 64-bit offsets.
 */
const POSITION_MAX: Record<EventStore['kind'], bigint> = {
  sqlite: (1n << 63n) - 1n,
  eventstoredb: (1n << 128n) - 1n,
};

const FROM_POSITION: QueryParamDoc = {
  name: 'fromPosition',
  description:
    'the global position after which the page starts (exclusive; 0 for the start): a decimal string, at most 2^63−1 on the embedded store',
  schema: { type: 'string', pattern: POSITION.source, default: '0' },
};
const LIMIT: QueryParamDoc = {
  name: 'limit',
  description: `at most this many events (1-${EVENTS_PAGE_MAX}, default ${EVENTS_PAGE_DEFAULT})`,
  schema: { type: 'integer', minimum: 1, maximum: EVENTS_PAGE_MAX, default: EVENTS_PAGE_DEFAULT },
};

/** The whole log for auditors: every event in global order, paged by position, with its metadata. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/events')
export class EventsController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get()
  @ApiOperation({
    summary:
      'Every event in global order, after fromPosition (exclusive, default 0), at most limit (1-1000, default 100); ' +
      'nextPosition is the fromPosition of the next page (the same when there is nothing newer); ' +
      'personal data masked unless the role may see it',
  })
  @ApiOkResponse({ type: EventsPageDto })
  // A page holding an event that cannot be read names it (integrity.ts, the HTTP filter).
  @Refuses({ 409: ['chain-broken'] })
  async list(
    @PersonalData() view: PersonalDataView,
    @QueryParam(FROM_POSITION) fromPosition = '0',
    @QueryParam(LIMIT) limit = String(EVENTS_PAGE_DEFAULT),
  ) {
    const max = POSITION_MAX[this.store.kind];
    if (!POSITION.test(fromPosition) || BigInt(fromPosition) > max)
      throw new DomainError(
        'invalid-query',
        `fromPosition must be a whole number from 0 to ${max} (a global position, 0 for the start)`,
        400,
        'fromPosition',
      );
    const n = Number(limit);
    if (!/^\d{1,4}$/.test(limit) || n < 1 || n > EVENTS_PAGE_MAX)
      throw new DomainError('invalid-query', `limit must be a whole number 1-${EVENTS_PAGE_MAX}`, 400, 'limit');
    const events = await this.store.readAll({ after: BigInt(fromPosition), limit: n });
    const page = events.slice(0, n); // an adapter caps a page; it never returns more than asked, but hold it to that
    return {
      events: page.map((e) => eventView(e, view)),
      nextPosition: page.length > 0 ? page[page.length - 1].position.toString() : fromPosition,
    };
  }
}
