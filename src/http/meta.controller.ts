import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { AuthedRequest, Public } from '../auth/auth.guard';
import { ChainWatch } from '../audit/chain-watch';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { brokenStreamsOf } from '../event-store/integrity';
import { ReadModels } from '../projection-runner/read-models';
import { FUNDING_SOURCES } from '../project/funding-sources';
import { CATEGORY_ITEMS, CATEGORIES } from '../project/renovation-content';
import { APPROVAL_PATH_LABELS, CATEGORY_LABELS, ITEM_LABELS, MILESTONE_LABELS, labelled } from '../policy/labels';
import { POLICY_FAMILIES, policyViews } from '../policy/policy-view';
import {
  FundingSourceSpecDto,
  HealthDto,
  LiveDto,
  PolicyViewDto,
  RenovationItemsDto,
  SessionDto,
} from './meta-views.dto';
import { QueryParam, QueryParamDoc } from './query-param.decorator';

const LIVE = { status: 'alive' } as const;

const POLICY_AS_OF: QueryParamDoc = {
  name: 'asOf',
  description: 'YYYY-MM-DD: only the rules in force that day (one version of each family)',
  schema: { type: 'string', format: 'date', example: '2021-11-25' },
};
const POLICY_FAMILY: QueryParamDoc = {
  name: 'family',
  description: 'only the versions of this rule',
  schema: { type: 'string', enum: [...POLICY_FAMILIES] },
};

/** The renovation items with their labels: the same answer every time, built once. */
const RENOVATION_ITEMS = {
  ...CATEGORY_ITEMS,
  categories: CATEGORIES.map((category) => ({
    code: category,
    ...CATEGORY_LABELS[category],
    items: labelled(ITEM_LABELS, CATEGORY_ITEMS[category]),
  })),
  approvalPaths: labelled(APPROVAL_PATH_LABELS),
  milestones: labelled(MILESTONE_LABELS),
};

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

  @Get('session')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Who the bearer token is: actor, role, organisation and towns (the web pages sign in with it)',
  })
  @ApiOkResponse({ type: SessionDto })
  session(@Req() req: AuthedRequest): SessionDto {
    const { actorId, role, org, towns } = req.actor!;
    return { actorId, role, org, ...(towns ? { towns: [...towns] } : {}) };
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
  @ApiOperation({
    summary:
      'Budget-line categories and their item codes; every category, item, approval path and milestone with its Chinese and English label',
  })
  @ApiOkResponse({ type: RenovationItemsDto })
  renovationItems() {
    return RENOVATION_ITEMS;
  }

  @Get('policies')
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'The dated policy rules the ledger enforces: id, family, title, source (document, clause, quoted words), effective dates, settings; ?asOf= those in force that day, ?family= one rule',
  })
  @ApiOkResponse({ type: [PolicyViewDto] })
  policies(@QueryParam(POLICY_AS_OF) asOf?: string, @QueryParam(POLICY_FAMILY) family?: string) {
    return policyViews({ asOf, family });
  }
}
