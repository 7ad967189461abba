import { Body, Param, Req, Res } from '@nestjs/common';
import { AuthedRequest } from '../../auth/auth.guard';
import { WRITE_ROLES } from '../../auth/tokens';
import { WriteResponseHeaders } from '../../http/command-context';
import { ProjectWrite, ProjectWrites, ProjectsApi, projectWriteRoute } from '../projects-api';
import { DisburseFundsDto, disburseFundsCommand } from './disburse-funds.dto';

export const DISBURSE_FUNDS = projectWriteRoute(':id/disbursements', 'disburse');

@ProjectsApi()
export class DisburseFundsController {
  constructor(private readonly writes: ProjectWrites) {}

  @ProjectWrite(DISBURSE_FUNDS, WRITE_ROLES.money, 'Record a payment from a source against a budget line')
  disburse(
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: WriteResponseHeaders,
    @Param('id') id: string,
    @Body() dto: DisburseFundsDto,
  ) {
    return this.writes.write(req, res, DISBURSE_FUNDS, id, dto, (today) => disburseFundsCommand(id, dto, today));
  }
}
