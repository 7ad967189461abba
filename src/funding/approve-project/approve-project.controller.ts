import { Body, Param, Req, Res } from '@nestjs/common';
import { AuthedRequest } from '../../auth/auth.guard';
import { WRITE_ROLES } from '../../auth/tokens';
import { Refuses } from '../../http/openapi-responses';
import { WriteResponseHeaders } from '../../http/command-context';
import { ProjectWrite, ProjectWrites, ProjectsApi, projectWriteRoute } from '../projects-api';
import { ApproveProjectDto, approveProjectCommand } from './approve-project.dto';

export const APPROVE_PROJECT = projectWriteRoute(':id/approval', 'approve');

@ProjectsApi()
export class ApproveProjectController {
  constructor(private readonly writes: ProjectWrites) {}

  @Refuses({
    400: ['amount-too-large'],
    404: ['project-not-found'],
    422: [
      'approved-investment-below-budget',
      'approval-path-not-allowed',
      'joint-review-required',
      'no-policy-in-force',
    ],
  })
  @ProjectWrite(
    APPROVE_PROJECT,
    WRITE_ROLES.projectAdmin,
    'Approve (or re-approve) a project by the approval-path rule in force on approvedOn (GET /api/policies): from 2021-11-25 plan_review below 10,000,000.00 on a passed joint review, merged_fsr from it, standard with independent infrastructure; before, standard',
  )
  approve(
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: WriteResponseHeaders,
    @Param('id') id: string,
    @Body() dto: ApproveProjectDto,
  ) {
    return this.writes.write(req, res, APPROVE_PROJECT, id, dto, () => approveProjectCommand(id, dto));
  }
}
