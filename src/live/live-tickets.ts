import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Actor } from '../auth/tokens';
import { DomainError } from '../shared/domain/domain-error';

/** How long a ticket may wait to be used: a page asks for one right before it opens the stream. */
export const LIVE_TICKET_TTL_MS = 30_000;
/** Tickets not yet used that the service keeps at most (each ~100 bytes): past it, asking is 429. */
const MAX_TICKETS = 10_000;

/**
 * Tickets for browsers, whose EventSource cannot send an Authorization header: POST
 * /api/live/ticket (with the token) answers one, and GET /api/live?ticket= takes it once, within
 * LIVE_TICKET_TTL_MS. The token itself never goes in a URL, where access logs and browser
 * history keep it; a ticket in a URL that leaks is spent or stale by the time anyone reads it,
 * and opens only the live stream, which holds no personal data. Chosen over a cookie, which
 * would also need CSRF defences and a sign-in flow the API does not have.
 */
@Injectable()
export class LiveTickets {
  private readonly tickets = new Map<string, { actor: Actor; expires: number }>();

  issue(actor: Actor): { ticket: string; expiresInSeconds: number } {
    this.sweep();
    if (this.tickets.size >= MAX_TICKETS)
      throw new DomainError('too-many-requests', 'too many live tickets are waiting to be used; retry shortly', 429);
    const ticket = randomBytes(24).toString('base64url');
    this.tickets.set(ticket, { actor, expires: Date.now() + LIVE_TICKET_TTL_MS });
    return { ticket, expiresInSeconds: LIVE_TICKET_TTL_MS / 1000 };
  }

  /** The actor the ticket was issued to, once; undefined for a ticket unknown, used or stale. */
  redeem(ticket: string): Actor | undefined {
    const held = this.tickets.get(ticket);
    if (!held) return undefined;
    this.tickets.delete(ticket);
    return held.expires > Date.now() ? held.actor : undefined;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [ticket, held] of this.tickets) if (held.expires <= now) this.tickets.delete(ticket);
  }
}
