import { Body, Param, Req, Res } from '@nestjs/common';
import { AuthedRequest } from '../../auth/auth.guard';
import { WRITE_ROLES } from '../../auth/tokens';
import { Refuses } from '../../http/openapi-responses';
import { WriteResponseHeaders } from '../../http/command-context';
import { ProjectWrite, ProjectWrites, ProjectsApi, projectWriteRoute } from '../projects-api';
import { AdoptCostSharePlanDto, adoptCostSharePlanCommand } from './adopt-cost-share-plan.dto';

export const ADOPT_COST_SHARE_PLAN = projectWriteRoute(':id/cost-shares', 'adoptCostSharePlan');

@ProjectsApi()
export class AdoptCostSharePlanController {
  constructor(private readonly writes: ProjectWrites) {}

  @Refuses({
    400: ['invalid-scope', 'invalid-weight', 'amount-too-large'],
    404: ['project-not-found'],
    409: ['plan-exists'],
    422: [
      'budget-line-not-found',
      'exempt-outside-scope',
      'share-exceeds-net-cost',
      'vote-required',
      'vote-not-passed',
      'vote-matter-mismatch',
      'vote-scope-mismatch',
      'exclusive-area-missing',
      'floor-coefficient-missing',
      'custom-weight-missing',
      'custom-weight-unknown-household',
      'weights-all-zero',
    ],
  })
  @ProjectWrite(
    ADOPT_COST_SHARE_PLAN,
    WRITE_ROLES.plans,
    "Adopt a cost-sharing plan: the residents' part of budget lines split over households to the fen",
  )
  adopt(
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: WriteResponseHeaders,
    @Param('id') id: string,
    @Body() dto: AdoptCostSharePlanDto,
  ) {
    return this.writes.write(req, res, ADOPT_COST_SHARE_PLAN, id, dto, () => adoptCostSharePlanCommand(id, dto));
  }
}
