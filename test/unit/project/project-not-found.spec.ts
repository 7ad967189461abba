import { ProjectCommand } from '../../../src/project/project.commands';
import { projectDecider } from '../../../src/project/project.decider';
import { DomainError } from '../../../src/shared/domain/domain-error';
import {
  addBudgetLine,
  approve,
  disburse,
  given,
  pledge,
  receive,
  recordAllocation,
  register,
  registered,
  releaseAllocation,
  reverse,
} from '../../support/project-fixtures';

describe('project-not-found', () => {
  // "an unknown project is 404" (product.md): nothing is approved, budgeted, pledged, received,
  // paid, reversed, allocated or released on a project that was never registered; money never
  // arrives first. The decider refuses it itself, whatever door the command came through: no
  // check before it (a guard in the write path) is needed.
  const commands: Array<[string, ProjectCommand]> = [
    ['an approval', approve()],
    ['a budget line', addBudgetLine()],
    ['a pledge', pledge()],
    ['a receipt', receive()],
    ['a disbursement', disburse()],
    ['a reversal', reverse()],
    ["a fund-batch allocation's record", recordAllocation()],
    ["a fund-batch allocation's release", releaseAllocation()],
  ];

  it.each(commands)('refuses %s before registration (404)', (_what, command) => {
    given().when(command).thenThrows('project-not-found');
  });

  it.each(commands)('names the project the command names when it refuses %s', (_what, command) => {
    const refusal = refusalOf({ ...command, projectId: 'TN-NOWHERE' });
    expect(refusal).toBeInstanceOf(DomainError);
    expect({ code: refusal.code, status: refusal.status, message: refusal.message }).toEqual({
      code: 'project-not-found',
      status: 404,
      message: 'project TN-NOWHERE is not registered',
    });
  });

  it('refuses before judging the input: an unregistered project is 404 even with a bad body', () => {
    given()
      .when(receive({ amount: '-1.00', receivedOn: '2021-02-30' }))
      .thenThrows('project-not-found');
  });

  it('takes a registration on an empty stream, and money once the project is registered', () => {
    given().when(register()).then(registered());
    given(registered())
      .when(receive())
      .thenState((state) => expect(state.entries.has('R1')).toBe(true));
  });
});

/** What the decider throws for `command` on a stream with no events. */
function refusalOf(command: ProjectCommand): DomainError {
  try {
    projectDecider.decide(command, projectDecider.initialState());
  } catch (err) {
    return err as DomainError;
  }
  throw new Error(`expected ${command.type} on an unregistered project to be refused`);
}
