import { Body, Param, Req, Res } from '@nestjs/common';
import { AuthedRequest } from '../../auth/auth.guard';
import { WRITE_ROLES } from '../../auth/tokens';
import { Refuses } from '../../http/openapi-responses';
import { CLOSED_YEAR_REFUSALS, EARMARK_REFUSALS, SOURCE_DETAIL_REFUSALS } from '../project-refusals';
import { WriteResponseHeaders } from '../../http/command-context';
import { ProjectWrite, ProjectWrites, ProjectsApi, projectWriteRoute } from '../projects-api';
import { ReceiveFundsDto, receiveFundsCommand } from './receive-funds.dto';

export const RECEIVE_FUNDS = projectWriteRoute(':id/receipts', 'receive');

@ProjectsApi()
export class ReceiveFundsController {
  constructor(private readonly writes: ProjectWrites) {}

  @Refuses(CLOSED_YEAR_REFUSALS)
  @Refuses({
    400: [...SOURCE_DETAIL_REFUSALS, 'amount-too-large'],
    404: ['project-not-found'],
    409: ['entry-id-exists', 'reference-exists'],
    422: [
      ...EARMARK_REFUSALS,
      // a maintenance-fund receipt on a project with a register, dated before 物权法 (2007-10-01)
      'no-policy-in-force',
      'pledge-not-found',
      'pledge-source-mismatch',
      'pledge-line-mismatch',
      'receipt-exceeds-pledge',
      'allocation-not-found',
      'allocation-source-mismatch',
      'allocation-program-mismatch',
      'receipt-exceeds-allocation',
      'date-before-entry',
      'date-before-allocation',
      'insufficient-funds-at-date',
      'date-in-future',
      'fiscal-year-mismatch',
      'plan-required',
      'household-required',
      'household-not-in-plan',
      'plan-line-mismatch',
      'payment-exceeds-share',
      'provident-exceeds-share',
      'date-before-vote',
      'vote-not-passed',
      'vote-matter-mismatch',
      'vote-scope-mismatch',
      'provident-needs-plan',
      'funding-exceeds-net-cost',
    ],
  })
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
