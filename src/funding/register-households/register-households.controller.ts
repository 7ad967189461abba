import { Body, Param, Req, Res } from '@nestjs/common';
import { AuthedRequest } from '../../auth/auth.guard';
import { WRITE_ROLES } from '../../auth/tokens';
import { Refuses } from '../../http/openapi-responses';
import { WriteResponseHeaders } from '../../http/command-context';
import { ProjectWrite, ProjectWrites, ProjectsApi, projectWriteRoute } from '../projects-api';
import { RegisterHouseholdsDto, registerHouseholdsCommand } from './register-households.dto';

export const REGISTER_HOUSEHOLDS = projectWriteRoute(':id/households', 'registerHouseholds');

@ProjectsApi()
export class RegisterHouseholdsController {
  constructor(private readonly writes: ProjectWrites) {}

  @Refuses({ 404: ['project-not-found'], 409: ['household-exists', 'household-room-exists'] })
  @ProjectWrite(
    REGISTER_HOUSEHOLDS,
    WRITE_ROLES.register,
    'Enter households in the register (up to 5,000 in one request, all or nothing)',
  )
  register(
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: WriteResponseHeaders,
    @Param('id') id: string,
    @Body() dto: RegisterHouseholdsDto,
  ) {
    return this.writes.write(req, res, REGISTER_HOUSEHOLDS, id, dto, () => registerHouseholdsCommand(id, dto));
  }
}
