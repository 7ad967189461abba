import { Body, Param, Req, Res } from '@nestjs/common';
import { AuthedRequest } from '../../auth/auth.guard';
import { WRITE_ROLES } from '../../auth/tokens';
import { Refuses } from '../../http/openapi-responses';
import { CLOSED_YEAR_REFUSALS, EARMARK_REFUSALS } from '../project-refusals';
import { WriteResponseHeaders } from '../../http/command-context';
import { ProjectWrite, ProjectWrites, ProjectsApi, projectWriteRoute } from '../projects-api';
import { MakeTreasuryPaymentDto, makeTreasuryPaymentCommand } from './make-treasury-payment.dto';

export const MAKE_TREASURY_PAYMENT = projectWriteRoute(':id/treasury-payments', 'makeTreasuryPayment');

@ProjectsApi()
export class MakeTreasuryPaymentController {
  constructor(private readonly writes: ProjectWrites) {}

  @Refuses(CLOSED_YEAR_REFUSALS)
  @Refuses({
    // the allocation's programme must be one its source takes (a municipal allocation names one)
    400: ['amount-too-large', 'sub-field-required', 'invalid-sub-field'],
    404: ['project-not-found'],
    409: ['project-not-approved', 'reapproval-required', 'entry-id-exists'],
    422: [
      // The line is always named, and the source is the allocation's: pipeline money never comes in a batch.
      ...EARMARK_REFUSALS.filter((code) => code !== 'pipeline-payer-not-named' && code !== 'line-required'),
      'allocation-not-found',
      'receipt-exceeds-allocation',
      'date-before-allocation',
      'date-before-approval',
      'insufficient-funds-at-date',
      'funding-exceeds-net-cost',
      'date-in-future',
      'fiscal-year-mismatch',
      'disbursement-exceeds-budget-line',
      'no-policy-in-force',
    ],
  })
  @ProjectWrite(
    MAKE_TREASURY_PAYMENT,
    WRITE_ROLES.money,
    'Record a treasury direct payment (国库集中支付·直接支付): an allocation received and paid to the payee at once',
  )
  makeTreasuryPayment(
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: WriteResponseHeaders,
    @Param('id') id: string,
    @Body() dto: MakeTreasuryPaymentDto,
  ) {
    return this.writes.write(req, res, MAKE_TREASURY_PAYMENT, id, dto, (today) =>
      makeTreasuryPaymentCommand(id, dto, today),
    );
  }
}
