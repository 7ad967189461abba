import { Body, Param, Req, Res } from '@nestjs/common';
import { AuthedRequest } from '../../auth/auth.guard';
import { WRITE_ROLES } from '../../auth/tokens';
import { Refuses } from '../../http/openapi-responses';
import { CLOSED_YEAR_REFUSALS, EARMARK_REFUSALS, SOURCE_DETAIL_REFUSALS } from '../project-refusals';
import { WriteResponseHeaders } from '../../http/command-context';
import { ProjectWrite, ProjectWrites, ProjectsApi, projectWriteRoute } from '../projects-api';
import { PledgeFundingDto, pledgeFundingCommand } from './pledge-funding.dto';

export const PLEDGE_FUNDING = projectWriteRoute(':id/pledges', 'pledge');

@ProjectsApi()
export class PledgeFundingController {
  constructor(private readonly writes: ProjectWrites) {}

  @Refuses(CLOSED_YEAR_REFUSALS)
  @Refuses({
    400: [...SOURCE_DETAIL_REFUSALS, 'amount-too-large'],
    404: ['project-not-found'],
    409: ['entry-id-exists'],
    422: [...EARMARK_REFUSALS, 'funding-exceeds-net-cost', 'date-in-future'],
  })
  @ProjectWrite(PLEDGE_FUNDING, WRITE_ROLES.money, 'Record a pledge (commitment) from a funding source')
  pledge(
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: WriteResponseHeaders,
    @Param('id') id: string,
    @Body() dto: PledgeFundingDto,
  ) {
    return this.writes.write(req, res, PLEDGE_FUNDING, id, dto, (today) => pledgeFundingCommand(id, dto, today));
  }
}
