import { ProjectCommand } from '../../../src/project/project.commands';
import {
  addBudgetLine, approve, disburse, given, pledge, receive, reverse,
} from '../../support/project-fixtures';

describe('project-not-found', () => {
  // "an unknown project is 404" (product.md): nothing is approved, budgeted, pledged, received,
  // paid or reversed on a project that was never registered; money never arrives first.
  const commands: Array<[string, ProjectCommand]> = [
    ['an approval', approve()],
    ['a budget line', addBudgetLine()],
    ['a pledge', pledge()],
    ['a receipt', receive()],
    ['a disbursement', disburse()],
    ['a reversal', reverse()],
  ];

  it.each(commands)('refuses %s before registration (404)', (_what, command) => {
    given().when(command).thenThrows('project-not-found');
  });
});
