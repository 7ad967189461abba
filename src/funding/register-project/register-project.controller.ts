import { Body, Req, Res } from '@nestjs/common';
import { AuthedRequest } from '../../auth/auth.guard';
import { WRITE_ROLES } from '../../auth/tokens';
import { Refuses } from '../../http/openapi-responses';
import { WriteResponseHeaders } from '../../http/command-context';
import { ProjectWrite, ProjectWrites, ProjectsApi, projectWriteRoute } from '../projects-api';
import { RegisterProjectDto, registerProjectCommand } from './register-project.dto';

export const REGISTER_PROJECT = projectWriteRoute('', 'register');

@ProjectsApi()
export class RegisterProjectController {
  constructor(private readonly writes: ProjectWrites) {}

  @Refuses({ 409: ['project-exists'] })
  @ProjectWrite(REGISTER_PROJECT, WRITE_ROLES.projectAdmin, 'Register a project')
  register(
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: WriteResponseHeaders,
    @Body() dto: RegisterProjectDto,
  ) {
    return this.writes.write(req, res, REGISTER_PROJECT, dto.projectId, dto, () => registerProjectCommand(dto));
  }
}
