import { Body, Param, Req, Res } from '@nestjs/common';
import { AuthedRequest } from '../../auth/auth.guard';
import { WRITE_ROLES } from '../../auth/tokens';
import { WriteResponseHeaders } from '../../http/command-context';
import { ProjectWrite, ProjectWrites, ProjectsApi, projectWriteRoute } from '../projects-api';
import { ReceiveFundsDto, receiveFundsCommand } from './receive-funds.dto';

export const RECEIVE_FUNDS = projectWriteRoute(':id/receipts', 'receive');

@ProjectsApi()
export class ReceiveFundsController {
  constructor(private readonly writes: ProjectWrites) {}

  @ProjectWrite(RECEIVE_FUNDS, WRITE_ROLES.money, 'Record money (or an in-kind contribution) received')
  receive(
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: WriteResponseHeaders,
    @Param('id') id: string,
    @Body() dto: ReceiveFundsDto,
  ) {
    return this.writes.write(req, res, RECEIVE_FUNDS, id, dto, (today) => receiveFundsCommand(id, dto, today));
  }
}
