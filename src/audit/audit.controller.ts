import { Controller, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthedRequest, Roles } from '../auth/auth.guard';
import { Role } from '../auth/tokens';
import { CLOCK } from '../config/clock.provider';
import { LEDGER_CONFIG, LedgerConfig } from '../config/config';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { HttpRequestLike, commandContextFor } from '../http/command-context';
import { CommandWrite, Refuses, WRITE_RESPONSE_HEADERS } from '../http/openapi-responses';
import { QueryParam, QueryParamDoc } from '../http/query-param.decorator';
import { DomainError } from '../shared/domain/domain-error';
import { Clock } from '../shared/time/clock';
import { sealEvents } from '../events/ledger-events';
import { SEAL_EVENT_TYPE, Seal, SealKeyView, createSeal, sealKeyOf, sealKeyView, sealStreamId } from './seal';
import { VerifyReport, verifyChain } from './verify-chain';
import { SealDto, SealKeyDto, VerifyReportDto } from './audit-views.dto';

/** Who may verify and seal: auditors, and administrators. */
export const AUDIT_ROLES: Role[] = ['auditor', 'admin'];

const STREAM_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;
const SEAL_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

const STREAM: QueryParamDoc = {
  name: 'stream',
  description: 'verify this stream only, e.g. project-TN2021-017',
  schema: { type: 'string', pattern: STREAM_ID.source },
};

interface Response {
  setHeader(name: string, value: string): unknown;
}

/** What the HTTP API does for auditors, as plain functions (the controller only wires them). */
export async function verifyOverHttp(store: EventStore, stream: unknown): Promise<VerifyReport> {
  if (stream === undefined) return verifyChain(store);
  if (typeof stream !== 'string' || !STREAM_ID.test(stream)) {
    throw new DomainError('invalid-query', 'stream must be one stream id, e.g. project-TN2021-017', 400, 'stream');
  }
  return verifyChain(store, { streamId: stream });
}

/** POST /api/audit/seals: no body; idempotent by the caller's Idempotency-Key (or a new one), which it answers. */
export async function sealOverHttp(
  store: EventStore,
  config: LedgerConfig,
  clock: Clock,
  req: HttpRequestLike & { body?: unknown },
): Promise<{ seal: Seal; idempotencyKey: string; replayed: boolean }> {
  const body = req.body ?? {};
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new DomainError('invalid-body', 'the request body must be empty or {}', 400);
  const field = Object.keys(body)[0];
  if (field !== undefined) throw new DomainError('unknown-field', `a seal takes no fields (got ${field})`, 400, field);
  const key = sealKeyOf(config);
  const context = await commandContextFor(store, req, 'POST /api/audit/seals', {}, {}, clock);
  const result = await createSeal(store, key, context);
  return { seal: result.seal, idempotencyKey: context.idempotencyKey, replayed: result.replayed };
}

/** GET /api/audit/seals/:sealId: the stored seal, as it was handed out. */
export async function storedSealOverHttp(store: EventStore, sealId: string): Promise<Seal> {
  if (!SEAL_ID.test(sealId))
    throw new DomainError('invalid-id', 'a seal id has letters, digits and . _ : -', 400, 'sealId');
  const [stored] = await store.readStream(sealStreamId(sealId), 0n, 1);
  if (!stored || stored.type !== SEAL_EVENT_TYPE)
    throw new DomainError('seal-not-found', `no seal ${sealId} in this ledger`, 404);
  return sealEvents.parse(stored).data;
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/audit')
export class AuditController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('verify')
  @Roles(...AUDIT_ROLES)
  @ApiOperation({
    summary:
      'Verify the hash chain of every stream (or one): 200 with {ok, eventsChecked, streamsChecked, headPosition, firstProblem?}; ok is false when something does not hold, and firstProblem names the event',
  })
  @ApiOkResponse({ type: VerifyReportDto, description: 'checked: `ok` says whether everything held' })
  verify(@QueryParam(STREAM) stream?: unknown): Promise<VerifyReport> {
    return verifyOverHttp(this.store, stream);
  }

  @Post('seals')
  @HttpCode(201)
  @Roles(...AUDIT_ROLES)
  @ApiOperation({
    summary:
      'Seal the ledger: verify it, then sign a digest over every stream head (Ed25519, LEDGER_SEAL_KEY_FILE) and store it as a ledger-sealed.v1 event; 201 with the seal JSON to keep. 409 chain-broken when the chain does not verify; 503 seal-key-missing without a key',
  })
  @ApiCreatedResponse({
    type: SealDto,
    // No ETag: a seal is its own new stream, never written again.
    headers: {
      'Idempotency-Key': WRITE_RESPONSE_HEADERS['Idempotency-Key'],
      'Idempotent-Replayed': WRITE_RESPONSE_HEADERS['Idempotent-Replayed'],
    },
    description: 'the seal JSON to keep (the same seal again for a repeated Idempotency-Key)',
  })
  @CommandWrite({ ifMatch: false })
  @Refuses({ 400: ['unknown-field'], 409: ['seal-exists'], 503: ['seal-key-missing', 'seal-key-unreadable'] })
  async seal(@Req() req: AuthedRequest & { body?: unknown }, @Res({ passthrough: true }) res: Response): Promise<Seal> {
    const { seal, idempotencyKey, replayed } = await sealOverHttp(this.store, this.config, this.clock, req);
    res.setHeader('Idempotency-Key', idempotencyKey);
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return seal;
  }

  @Get('seal-key')
  @ApiOperation({
    summary:
      "The key that signs this ledger's seals: its fingerprint (SHA-256 of the SPKI public key, what every seal carries as keyFingerprint), its public half, and how often the service seals by itself (LEDGER_SEAL_SCHEDULE); configured: false without a key. Any role may read it: the fingerprint is no secret",
  })
  @ApiOkResponse({ type: SealKeyDto })
  @Refuses({ 503: ['seal-key-unreadable'] })
  sealKey(): SealKeyView {
    return sealKeyView(this.config);
  }

  @Get('seals/:sealId')
  @Roles(...AUDIT_ROLES)
  @ApiOperation({ summary: 'A stored seal, as the JSON file an auditor keeps (404 seal-not-found)' })
  @ApiOkResponse({ type: SealDto })
  @Refuses({ 400: ['invalid-id'], 404: ['seal-not-found'] })
  storedSeal(@Param('sealId') sealId: string): Promise<Seal> {
    return storedSealOverHttp(this.store, sealId);
  }
}
