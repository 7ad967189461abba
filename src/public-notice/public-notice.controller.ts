import { Controller, Get, Param, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.guard';
import { Refuses } from '../http/openapi-responses';
import { PublicNoticeDto } from './public-notice.dto';
import { PublicNotice, PublicNoticeQueries } from './public-notice.queries';
import { PublicReadLimit, PublicRequest } from './public-read-limit';

/**
 * The public notice's read API (公示): no token, like the health routes. Its page is
 * /gongshi/:projectId (public-notice-pages.middleware.ts), rendered from the same answer.
 */
@ApiTags('public')
@Controller('api/public')
export class PublicNoticeController {
  constructor(
    private readonly queries: PublicNoticeQueries,
    private readonly limit: PublicReadLimit,
  ) {}

  @Get('projects/:projectId/notice')
  @Public()
  @ApiOperation({
    summary:
      "A project's public notice (公示; no token needed): renovation content and approved investment, funding by source, each cost-sharing plan by room, vote results, contractor and construction period, and the ledger's latest seal. Nothing personal: no household id, owner key, resident payer or account",
  })
  @ApiOkResponse({ type: PublicNoticeDto })
  @Refuses({ 404: ['project-not-found'], 409: ['chain-broken'], 429: ['too-many-requests'] })
  notice(@Param('projectId') projectId: string, @Req() req: PublicRequest): Promise<PublicNotice> {
    return this.limit.run(req, () => this.queries.notice(projectId));
  }
}
