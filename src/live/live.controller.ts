import { Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Public, TOKENS, bearerTokenOf } from '../auth/auth.guard';
import { TokenRegistry } from '../auth/token-registry';
import { Actor } from '../auth/tokens';
import { TownScopedWrite } from '../auth/town-scope';
import { CallerSlots, callerOf } from '../http/caller-slots';
import { Refuses } from '../http/openapi-responses';
import { QueryParam, QueryParamDoc } from '../http/query-param.decorator';
import { DomainError } from '../shared/domain/domain-error';
import { LiveFeed } from './live-feed';
import { parseLastEventId } from './live-message';
import { LiveTickets } from './live-tickets';
import { LiveChangeDto, LiveTicketDto } from './live-views.dto';

/** Live streams one caller may have open at once (a few browser tabs); one more is 429. */
export const LIVE_STREAMS_PER_CALLER = 4;

const TICKET: QueryParamDoc = {
  name: 'ticket',
  description:
    'for a browser (EventSource sends no Authorization header): a ticket from POST /api/live/ticket, used once',
  schema: { type: 'string' },
};
const LAST_EVENT_ID: QueryParamDoc = {
  name: 'lastEventId',
  description:
    'the last position seen, where the Last-Event-ID header cannot be sent (a new EventSource with a ticket); the header wins',
  schema: { type: 'string', example: '42' },
};

@ApiTags('live')
@Controller('api/live')
export class LiveController {
  private readonly slots = new CallerSlots(LIVE_STREAMS_PER_CALLER, (n) => `${n} live streams open`, 'one has closed');

  /** The open streams and whose they are: a stream whose actor's token is revoked is closed. */
  private readonly open = new Map<ServerResponse, Actor>();

  constructor(
    private readonly feed: LiveFeed,
    private readonly tickets: LiveTickets,
    @Inject(TOKENS) private readonly tokens: TokenRegistry,
  ) {
    // A user revoked (or whose role or towns changed) in the tokens file reads no more: their
    // streams end with the reload, as their next request is 401.
    tokens.onReload(() => {
      for (const [res, actor] of this.open) if (!tokens.inForce(actor)) res.end();
    });
  }

  // A ticket writes nothing: a street office's clerk, whose token is scoped to towns, may ask
  // too (the guard refuses such tokens every other write that is not one project's).
  @Post('ticket')
  @TownScopedWrite()
  @HttpCode(201)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'A one-use ticket, valid 30 s, to open GET /api/live from a browser (?ticket=)' })
  @ApiCreatedResponse({ type: LiveTicketDto })
  ticket(@Req() req: { actor: Actor }) {
    return this.tickets.issue(req.actor);
  }

  // Public to the guard only because a browser comes with a ticket and no header: the handler
  // asks for the one or the other before anything is sent.
  @Get()
  @Public()
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'Server-sent events: one message per event appended to the log (id: its position; data: its kind, category/type, and the id of a project or batch), no event data; any signed-in role, by token or ticket',
  })
  @ApiExtraModels(LiveChangeDto)
  @ApiOkResponse({
    description: "text/event-stream, until the client or the service goes; each message's data: is a LiveChange",
    content: { 'text/event-stream': { schema: { $ref: getSchemaPath(LiveChangeDto) } } },
  })
  @Refuses({ 400: ['invalid-last-event-id'], 401: ['unauthenticated'], 429: ['too-many-requests'] })
  async stream(
    @Req() req: IncomingMessage & { actor?: Actor },
    @Res() res: ServerResponse,
    @QueryParam(TICKET) ticket?: string,
    @QueryParam(LAST_EVENT_ID) lastEventId?: string,
  ): Promise<void> {
    req.actor = this.actorOf(req, ticket);
    const header = req.headers['last-event-id'];
    const after =
      typeof header === 'string'
        ? parseLastEventId(header, 'Last-Event-ID')
        : parseLastEventId(lastEventId, 'lastEventId');
    const release = this.slots.take(callerOf(req), res);
    this.open.set(res, req.actor);
    res.once('close', () => this.open.delete(res));
    await this.feed.open(res, after, release);
  }

  private actorOf(req: IncomingMessage, ticket: string | undefined): Actor {
    const token = bearerTokenOf(req.headers['authorization']);
    if (token !== null) {
      const actor = this.tokens.actorOf(token);
      if (!actor) throw new DomainError('unauthenticated', 'the bearer token is not known to this ledger', 401);
      return actor;
    }
    if (ticket !== undefined) {
      const actor = this.tickets.redeem(ticket);
      // A ticket outlives no revocation: its actor must still hold a token in force.
      if (!actor || !this.tokens.inForce(actor))
        throw new DomainError(
          'unauthenticated',
          'the ticket is not known, was used, or is older than 30 s: ask POST /api/live/ticket for another',
          401,
        );
      return actor;
    }
    throw new DomainError(
      'unauthenticated',
      'send Authorization: Bearer <token>, or ?ticket= from POST /api/live/ticket (a browser)',
      401,
    );
  }
}
