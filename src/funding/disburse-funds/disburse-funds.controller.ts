import { Body, Param, Req, Res } from '@nestjs/common';
import { AuthedRequest } from '../../auth/auth.guard';
import { WRITE_ROLES } from '../../auth/tokens';
import { Refuses } from '../../http/openapi-responses';
import { CLOSED_YEAR_REFUSALS } from '../project-refusals';
import { WriteResponseHeaders } from '../../http/command-context';
import { ProjectWrite, ProjectWrites, ProjectsApi, projectWriteRoute } from '../projects-api';
import { DisburseFundsDto, disburseFundsCommand } from './disburse-funds.dto';

export const DISBURSE_FUNDS = projectWriteRoute(':id/disbursements', 'disburse');

@ProjectsApi()
export class DisburseFundsController {
  constructor(private readonly writes: ProjectWrites) {}

  @Refuses(CLOSED_YEAR_REFUSALS)
  @Refuses({
    400: ['amount-too-large'],
    404: ['project-not-found'],
    409: ['project-not-approved', 'reapproval-required', 'entry-id-exists', 'reference-exists'],
    422: [
      // A payment always names its line: never line-required.
      'budget-line-not-found',
      'source-line-mismatch',
      'central-double-support',
      'pipeline-payer-not-named',
      'disbursement-exceeds-receipts',
      'allocation-not-found',
      'allocation-source-mismatch',
      'disbursement-exceeds-allocation',
      'date-before-approval',
      'insufficient-funds-at-date',
      'date-in-future',
      'fiscal-year-mismatch',
      'disbursement-exceeds-budget-line',
      // a re-approval pending on a date no reapproval rule judges (before 2019-07-01)
      'no-policy-in-force',
    ],
  })
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
