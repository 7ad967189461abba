import { Body, Param, Req, Res } from '@nestjs/common';
import { AuthedRequest } from '../../auth/auth.guard';
import { WRITE_ROLES } from '../../auth/tokens';
import { Refuses } from '../../http/openapi-responses';
import { WriteResponseHeaders } from '../../http/command-context';
import { ProjectWrite, ProjectWrites, ProjectsApi, projectWriteRoute } from '../projects-api';
import { RecordOwnerVoteDto, recordOwnerVoteCommand } from './record-owner-vote.dto';

export const RECORD_OWNER_VOTE = projectWriteRoute(':id/votes', 'recordVote');

@ProjectsApi()
export class RecordOwnerVoteController {
  constructor(private readonly writes: ProjectWrites) {}

  @Refuses({
    400: ['invalid-scope', 'ballot-duplicate'],
    404: ['project-not-found'],
    409: ['vote-exists'],
    422: [
      'vote-scope-empty',
      'vote-rule-not-in-force',
      'ballot-outside-scope',
      'owner-ballots-disagree',
      'date-in-future',
    ],
  })
  @ProjectWrite(
    RECORD_OWNER_VOTE,
    WRITE_ROLES.register,
    "Record an owners' vote (民法典 第二百七十八条): the ledger counts it by area and by owners and says whether it passed",
  )
  record(
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: WriteResponseHeaders,
    @Param('id') id: string,
    @Body() dto: RecordOwnerVoteDto,
  ) {
    return this.writes.write(req, res, RECORD_OWNER_VOTE, id, dto, (today) => recordOwnerVoteCommand(id, dto, today));
  }
}
