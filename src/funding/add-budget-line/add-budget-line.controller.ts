import { Body, Param, Req, Res } from '@nestjs/common';
import { AuthedRequest } from '../../auth/auth.guard';
import { WRITE_ROLES } from '../../auth/tokens';
import { Refuses } from '../../http/openapi-responses';
import { WriteResponseHeaders } from '../../http/command-context';
import { ProjectWrite, ProjectWrites, ProjectsApi, projectWriteRoute } from '../projects-api';
import { AddBudgetLineDto, addBudgetLineCommand } from './add-budget-line.dto';

export const ADD_BUDGET_LINE = projectWriteRoute(':id/budget-lines', 'addBudgetLine');

@ProjectsApi()
export class AddBudgetLineController {
  constructor(private readonly writes: ProjectWrites) {}

  @Refuses({
    400: ['invalid-category', 'invalid-budget-item', 'invalid-utility', 'amount-too-large'],
    404: ['project-not-found'],
    409: ['budget-line-exists'],
  })
  @ProjectWrite(ADD_BUDGET_LINE, WRITE_ROLES.projectAdmin, 'Add a budget (cost) line')
  addBudgetLine(
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: WriteResponseHeaders,
    @Param('id') id: string,
    @Body() dto: AddBudgetLineDto,
  ) {
    return this.writes.write(req, res, ADD_BUDGET_LINE, id, dto, () => addBudgetLineCommand(id, dto));
  }
}
