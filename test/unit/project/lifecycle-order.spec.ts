import {
  acceptanceInput,
  accepted,
  acceptedProject,
  approvedProject,
  completed,
  completedInput,
  consultationHeld,
  consultationInput,
  contractInput,
  determinationInput,
  determined,
  filed,
  filingInput,
  handoverInput,
  managementInput,
  publicityInput,
  publicized,
  started,
  startedInput,
  tenderAwarded,
  tenderInput,
} from '../../support/lifecycle-fixtures';
import { given, jointReviewed, recordMilestone, registered } from '../../support/project-fixtures';

const SEED_ORDER = 'milestone-order-seed';
const WORKS_ORDER = 'milestone-order-quality-regulations';

describe('milestone-out-of-order', () => {
  // "项目完工后…进行联合竣工验收。竣工验收合格 15 日内…备案…工程验收通过后…移交…确定管理模式"
  // (seed 三(四)3) and "完成项目可研后，依法进行公开招标" (三(四)1): what the order rule of the
  // milestone's date puts first must be recorded on or before its date, or the milestone is
  // refused naming the rule; nothing is written.
  it('refuses an acceptance before the completion (field acceptedOn, rule milestone-order-seed)', () => {
    given(...approvedProject(), started())
      .when(recordMilestone(acceptanceInput()))
      .thenThrows('milestone-out-of-order', 'acceptedOn', SEED_ORDER);
  });

  it('refuses an acceptance dated before the completion it follows', () => {
    given(...approvedProject(), started(), completed({ completedOn: '2022-10-20' }))
      .when(recordMilestone(acceptanceInput({ acceptedOn: '2022-10-14' })))
      .thenThrows('milestone-out-of-order', 'acceptedOn', SEED_ORDER);
  });

  it('refuses a completion without a start, or dated before it', () => {
    given(...approvedProject())
      .when(recordMilestone(completedInput()))
      .thenThrows('milestone-out-of-order', 'completedOn', SEED_ORDER);
    given(...approvedProject(), started({ startedOn: '2022-10-01' }))
      .when(recordMilestone(completedInput({ completedOn: '2022-09-30' })))
      .thenThrows('milestone-out-of-order', 'completedOn', SEED_ORDER);
  });

  it('refuses a filing, a handover or a management model before an acceptance that passed', () => {
    const failed = [...approvedProject(), started(), completed(), accepted({ result: 'failed' })];
    given(...failed)
      .when(recordMilestone(filingInput()))
      .thenThrows('milestone-out-of-order', 'filedOn', SEED_ORDER);
    given(...failed)
      .when(recordMilestone(handoverInput()))
      .thenThrows('milestone-out-of-order', 'handedOverOn', SEED_ORDER);
    given(...failed)
      .when(recordMilestone(managementInput()))
      .thenThrows('milestone-out-of-order', 'agreedOn', SEED_ORDER);
  });

  it('refuses a tender or a contract before the approval, or dated before it', () => {
    given(registered(), jointReviewed())
      .when(recordMilestone(tenderInput()))
      .thenThrows('milestone-out-of-order', 'awardedOn', SEED_ORDER);
    given(registered(), jointReviewed())
      .when(recordMilestone(contractInput()))
      .thenThrows('milestone-out-of-order', 'signedOn', SEED_ORDER);
    given(...approvedProject())
      .when(recordMilestone(tenderInput({ awardedOn: '2021-11-30' })))
      .thenThrows('milestone-out-of-order', 'awardedOn', SEED_ORDER);
  });

  it('records each in its order, on the same day as what it follows', () => {
    given(...approvedProject(), started(), completed())
      .when(recordMilestone(acceptanceInput({ acceptedOn: '2022-09-30' })))
      .then(accepted({ acceptedOn: '2022-09-30' }));
    given(...acceptedProject())
      .when(recordMilestone(handoverInput()))
      .thenState((s) => expect(s.milestones.get('HAND-1')).toEqual({ kind: 'handover', on: '2022-11-01' }));
  });
});

describe('a milestone is judged by the order rule of its date', () => {
  // Before the seed (2021-11-25) no rule put the tender after the approval; the works' own
  // order held (《建设工程质量管理条例》 第十六条: acceptance after completion).
  it('records a tender without an approval on 2021-11-24, and refuses the same tender on 2021-11-25', () => {
    given(registered())
      .when(recordMilestone(tenderInput({ awardedOn: '2021-11-24' })))
      .then(tenderAwarded({ awardedOn: '2021-11-24' }));
    given(registered())
      .when(recordMilestone(tenderInput({ awardedOn: '2021-11-25' })))
      .thenThrows('milestone-out-of-order', 'awardedOn', SEED_ORDER);
  });

  it('refuses an acceptance before the completion before the seed too, naming the rule then in force', () => {
    given(registered(), started({ startedOn: '2021-03-01' }))
      .when(recordMilestone(acceptanceInput({ acceptedOn: '2021-06-01' })))
      .thenThrows('milestone-out-of-order', 'acceptedOn', WORKS_ORDER);
  });
});

describe('what is recorded for the red flags to find, not refused', () => {
  // The ledger records what happened: works started before their permits, their tender or
  // contract, or even before the approval, are facts for RF-11; a permit determined after the
  // start is the other half of the same finding.
  it('records a start with no approval, permit, tender or contract', () => {
    given(registered()).when(recordMilestone(startedInput())).then(started());
  });

  it('records a construction permit determined after the works started', () => {
    given(...approvedProject(), started())
      .when(recordMilestone(determinationInput('construction_permit', { permitNo: '潼南建施〔2022〕012号' })))
      .then(determined('construction_permit'));
  });

  it('records consultation and publicity in any order, after the approval too', () => {
    given(...approvedProject(), publicized())
      .when(recordMilestone(consultationInput({ heldOn: '2021-12-05' })))
      .then(consultationHeld({ heldOn: '2021-12-05' }));
    given(registered()).when(recordMilestone(publicityInput())).then(publicized());
  });
});

describe('milestone-already-recorded', () => {
  // A project's works start once, finish once, pass acceptance once and are filed once; a
  // failed acceptance is held again.
  it('refuses a second start, completion or filing (409)', () => {
    given(registered(), started())
      .when(recordMilestone(startedInput({ milestoneId: 'START-2', startedOn: '2022-04-01' })))
      .thenThrows('milestone-already-recorded', 'kind');
    given(registered(), started(), completed())
      .when(recordMilestone(completedInput({ milestoneId: 'DONE-2' })))
      .thenThrows('milestone-already-recorded', 'kind');
    given(...acceptedProject(), filed())
      .when(recordMilestone(filingInput({ milestoneId: 'FILE-2', filedOn: '2022-10-21' })))
      .thenThrows('milestone-already-recorded', 'kind');
  });

  it('refuses an acceptance after one that passed, and holds one again after one that failed', () => {
    given(...acceptedProject())
      .when(recordMilestone(acceptanceInput({ milestoneId: 'ACC-2', acceptedOn: '2022-10-20' })))
      .thenThrows('milestone-already-recorded', 'kind');
    given(...approvedProject(), started(), completed(), accepted({ result: 'failed' }))
      .when(recordMilestone(acceptanceInput({ milestoneId: 'ACC-2', acceptedOn: '2022-10-20' })))
      .then(accepted({ milestoneId: 'ACC-2', acceptedOn: '2022-10-20' }));
  });
});

describe('milestone-exists and the dates of a milestone', () => {
  it('refuses a milestone id used before, by any kind (409, field milestoneId)', () => {
    given(registered(), consultationHeld())
      .when(recordMilestone(startedInput({ milestoneId: 'CON-1' })))
      .thenThrows('milestone-exists', 'milestoneId');
  });

  it('refuses a milestone dated after the day it is recorded (date-in-future)', () => {
    given(registered())
      .when(recordMilestone(startedInput({ startedOn: '2024-01-03' }), '2024-01-01'))
      .thenThrows('date-in-future', 'startedOn');
  });

  it('refuses a date that is not a day, and a kind that is not one: 400 naming the field', () => {
    given(registered())
      .when(recordMilestone(startedInput({ startedOn: '2022-02-30' })))
      .thenThrows('invalid-date', 'startedOn');
    given(registered())
      .when(recordMilestone({ ...startedInput(), kind: 'ribbon_cutting' } as never))
      .thenThrows('invalid-field', 'kind');
  });
});
