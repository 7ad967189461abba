import { Body, Param, Req, Res } from '@nestjs/common';
import { AuthedRequest } from '../../auth/auth.guard';
import { WRITE_ROLES } from '../../auth/tokens';
import { Refuses } from '../../http/openapi-responses';
import { CLOSED_YEAR_REFUSALS } from '../project-refusals';
import { WriteResponseHeaders } from '../../http/command-context';
import { ProjectWrite, ProjectWrites, ProjectsApi, projectWriteRoute } from '../projects-api';
import { ReverseEntryDto, reverseEntryCommand } from './reverse-entry.dto';

export const REVERSE_ENTRY = projectWriteRoute(':id/reversals', 'reverse');

@ProjectsApi()
export class ReverseEntryController {
  constructor(private readonly writes: ProjectWrites) {}

  @Refuses(CLOSED_YEAR_REFUSALS)
  @Refuses({
    400: ['amount-too-large'],
    404: ['project-not-found'],
    // undoing the reversal of a payment pays it again: not while a re-approval is pending
    409: ['entry-id-exists', 'reapproval-required'],
    422: [
      'no-policy-in-force',
      'entry-not-found',
      'nothing-to-reverse',
      'reversal-exceeds-entry',
      'reversal-exceeds-available',
      'date-before-entry',
      'insufficient-funds-at-date',
      'funding-exceeds-net-cost',
    ],
  })
  @ProjectWrite(
    REVERSE_ENTRY,
    WRITE_ROLES.money,
    'Reverse a pledge, receipt or payment, fully or partly, with a reason',
  )
  reverse(
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: WriteResponseHeaders,
    @Param('id') id: string,
    @Body() dto: ReverseEntryDto,
  ) {
    return this.writes.write(req, res, REVERSE_ENTRY, id, dto, (today) => reverseEntryCommand(id, dto, today));
  }
}
