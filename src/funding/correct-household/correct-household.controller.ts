import { Body, Param, Req, Res } from '@nestjs/common';
import { AuthedRequest } from '../../auth/auth.guard';
import { WRITE_ROLES } from '../../auth/tokens';
import { Refuses } from '../../http/openapi-responses';
import { WriteResponseHeaders } from '../../http/command-context';
import { ProjectWrite, ProjectWrites, ProjectsApi, projectWriteRoute } from '../projects-api';
import { CorrectHouseholdDto, correctHouseholdCommand } from './correct-household.dto';

export const CORRECT_HOUSEHOLD = projectWriteRoute(':id/households/:householdId/corrections', 'correctHousehold');

@ProjectsApi()
export class CorrectHouseholdController {
  constructor(private readonly writes: ProjectWrites) {}

  @Refuses({
    404: ['project-not-found', 'household-not-found'],
    409: ['household-room-exists'],
    422: ['nothing-to-correct'],
  })
  @ProjectWrite(
    CORRECT_HOUSEHOLD,
    WRITE_ROLES.register,
    "Correct a household's facts (an area, a floor), with a reason",
  )
  correct(
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: WriteResponseHeaders,
    @Param('id') id: string,
    @Param('householdId') householdId: string,
    @Body() dto: CorrectHouseholdDto,
  ) {
    return this.writes.write(
      req,
      res,
      CORRECT_HOUSEHOLD,
      id,
      dto,
      () => correctHouseholdCommand(id, householdId, dto),
      { householdId },
    );
  }
}
