import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.guard';
import { ChainWatch } from '../audit/chain-watch';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { brokenStreamsOf } from '../event-store/integrity';
import { ReadModels } from '../projection-runner/read-models';
import { FUNDING_SOURCES } from '../project/funding-sources';
import { CATEGORY_ITEMS } from '../project/renovation-content';
import { FundingSourceSpecDto, HealthDto, LiveDto, RenovationItemsDto } from './meta-views.dto';

const LIVE = { status: 'alive' } as const;

@ApiTags('meta')
@Controller('api')
export class MetaController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModels: ReadModels,
    private readonly watch: ChainWatch,
  ) {}

  @Get('health')
  @Public()
  @ApiOperation({ summary: "The store's state and each projection's checkpoint (no token needed)" })
  @ApiOkResponse({ type: HealthDto, description: '`ok`, or `degraded` with what is wrong' })
  @ApiServiceUnavailableResponse({ type: HealthDto, description: '`store-unavailable`: the store does not answer' })
  async health(@Res({ passthrough: true }) res: { status(code: number): unknown }) {
    let head: bigint;
    try {
      head = await this.store.headPosition();
    } catch (err) {
      res.status(503);
      return {
        status: 'store-unavailable',
        store: { kind: this.store.kind, error: (err as Error).message },
        projections: this.readModels.checkpoints(),
      };
    }
    const error = this.readModels.error();
    // Streams whose stored events do not verify: nothing is decided on them (integrity.ts).
    const broken = brokenStreamsOf(this.store).all();
    return {
      status: error || broken.length > 0 ? 'degraded' : 'ok',
      store: { kind: this.store.kind, headPosition: head.toString() },
      projections: this.readModels.checkpoints().map((c) => ({ ...c, lag: (head - BigInt(c.position)).toString() })),
      ...(error ? { projectionError: error.message } : {}),
      integrity: { verifier: this.watch.status(), brokenStreams: broken },
    };
  }

  @Get('health/live')
  @Public()
  @ApiOperation({
    summary: 'Liveness: the process answers HTTP (a constant; readiness, with the store, is /api/health)',
  })
  @ApiOkResponse({ type: LiveDto })
  live() {
    return LIVE;
  }

  @Get('funding-sources')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The 14 funding-source codes: Chinese and English labels, tier, sub-fields, rule' })
  @ApiOkResponse({ type: [FundingSourceSpecDto] })
  fundingSources() {
    return FUNDING_SOURCES;
  }

  @Get('renovation-items')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Budget-line categories and their item codes' })
  @ApiOkResponse({ type: RenovationItemsDto })
  renovationItems() {
    return CATEGORY_ITEMS;
  }
}
