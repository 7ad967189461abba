import { Body, Param, Req, Res } from '@nestjs/common';
import { AuthedRequest } from '../../auth/auth.guard';
import { WRITE_ROLES } from '../../auth/tokens';
import { WriteResponseHeaders } from '../../http/command-context';
import { ProjectWrite, ProjectWrites, ProjectsApi, projectWriteRoute } from '../projects-api';
import { AdoptCostSharePlanDto, adoptCostSharePlanCommand } from './adopt-cost-share-plan.dto';

export const ADOPT_COST_SHARE_PLAN = projectWriteRoute(':id/cost-shares', 'adoptCostSharePlan');

@ProjectsApi()
export class AdoptCostSharePlanController {
  constructor(private readonly writes: ProjectWrites) {}

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
