import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.guard';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { ReadModels } from '../projection-runner/read-models';
import { FUNDING_SOURCES } from '../project/funding-sources';
import { CATEGORY_ITEMS } from '../project/renovation-content';

const LIVE = { status: 'alive' } as const;

@ApiTags('meta')
@Controller('api')
export class MetaController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModels: ReadModels,
  ) {}

  @Get('health')
  @Public()
  @ApiOperation({ summary: "The store's state and each projection's checkpoint (no token needed)" })
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
    return {
      status: error ? 'degraded' : 'ok',
      store: { kind: this.store.kind, headPosition: head.toString() },
      projections: this.readModels.checkpoints().map((c) => ({ ...c, lag: (head - BigInt(c.position)).toString() })),
      ...(error ? { projectionError: error.message } : {}),
    };
  }

  @Get('health/live')
  @Public()
  @ApiOperation({
    summary: 'Liveness: the process answers HTTP (a constant; readiness, with the store, is /api/health)',
  })
  live() {
    return LIVE;
  }

  @Get('funding-sources')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The 14 funding-source codes: Chinese and English labels, tier, sub-fields, rule' })
  fundingSources() {
    return FUNDING_SOURCES;
  }

  @Get('renovation-items')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Budget-line categories and their item codes' })
  renovationItems() {
    return CATEGORY_ITEMS;
  }
}
