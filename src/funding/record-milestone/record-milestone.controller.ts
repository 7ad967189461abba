import { Body, Param, Req, Res } from '@nestjs/common';
import { ApiBody, ApiExtraModels, getSchemaPath } from '@nestjs/swagger';
import { AuthedRequest } from '../../auth/auth.guard';
import { WRITE_ROLES } from '../../auth/tokens';
import { Refuses } from '../../http/openapi-responses';
import { WriteResponseHeaders } from '../../http/command-context';
import { ProjectWrite, ProjectWrites, ProjectsApi, projectWriteRoute } from '../projects-api';
import { MILESTONE_DTOS, milestoneBody, recordMilestoneCommand } from './record-milestone.dto';

export const RECORD_MILESTONE = projectWriteRoute(':id/milestones', 'recordMilestone');

const DTOS = [...new Set(Object.values(MILESTONE_DTOS))];

@ProjectsApi()
export class RecordMilestoneController {
  constructor(private readonly writes: ProjectWrites) {}

  @Refuses({
    // The body is judged by its kind's DTO in the route, not by the pipe: its codes are listed here.
    400: [
      'unknown-field',
      'missing-field',
      'invalid-field',
      'invalid-id',
      'invalid-date',
      'invalid-amount',
      'amount-too-large',
      'invalid-area',
      'invalid-credit-code',
    ],
    404: ['project-not-found'],
    409: ['milestone-exists', 'milestone-already-recorded', 'contract-exists'],
    422: [
      'milestone-out-of-order',
      'publicity-too-short',
      'joint-review-incomplete',
      'acceptance-participants-missing',
      'exemption-not-allowed',
      'date-in-future',
      'no-policy-in-force',
    ],
  })
  @ProjectWrite(
    RECORD_MILESTONE,
    WRITE_ROLES.milestones,
    "Record a milestone of the project's life ({kind, milestoneId, docRefs, <its date>, ...}): consultation, publicity, joint review, the four permit determinations, tender, contract, start, completion, joint acceptance, the acceptance report's filing, handover, management model; judged by the rules in force on its date (GET /api/policies)",
  )
  @ApiExtraModels(...DTOS)
  @ApiBody({
    schema: {
      oneOf: DTOS.map((dto) => ({ $ref: getSchemaPath(dto) })),
      discriminator: {
        propertyName: 'kind',
        mapping: Object.fromEntries(Object.entries(MILESTONE_DTOS).map(([kind, dto]) => [kind, getSchemaPath(dto)])),
      },
    },
  })
  async record(
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: WriteResponseHeaders,
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
  ) {
    const milestone = await milestoneBody(body);
    return this.writes.write(req, res, RECORD_MILESTONE, id, body, (today) =>
      recordMilestoneCommand(id, milestone, today),
    );
  }
}
