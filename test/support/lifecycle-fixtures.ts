/**
 * Builders for the project's milestones: what a client sends (`...Input`) and the event it
 * becomes, with defaults that agree, so `when(recordMilestone(startedInput())).then(started())`
 * holds as written. The defaults make one project's life under the seed:
 *
 *   consultation 2021-11-26, publicity 2021-11-26..12-03, joint review 2021-11-30 (jointReviewed),
 *   approval 2021-12-01 (approved), tender 2022-01-10, contract 2022-01-20, determinations
 *   2022-02-01, start 2022-03-01, completion 2022-09-30, joint acceptance Friday 2022-10-14,
 *   filing 2022-10-20 (deadline: 10-29 is a Saturday, so Monday 2022-10-31), handover 2022-11-01,
 *   management model 2022-11-15.
 */
import { DeterminationInput, MilestoneInput } from '../../src/project/project.commands';
import {
  AcceptanceReportFiled,
  AssetsHandedOver,
  ConstructionCompleted,
  ConstructionStarted,
  ContentPublicized,
  ContractSigned,
  DeterminationKind,
  JointAcceptanceHeld,
  MILESTONE_EVENT_TYPES,
  ManagementModelAgreed,
  PermitDetermined,
  ProjectEventType as T,
  ResidentConsultationHeld,
  TenderAwarded,
} from '../../src/project/project.events';
import { EventOf, PROJECT_ID, approved, jointReviewed, registered } from './project-fixtures';

type Input<K extends MilestoneInput['kind']> = Extract<MilestoneInput, { kind: K }>;
const DOCS = ['潼南住建发〔2022〕1号'];

/** The event's data for an input: the input without its kind, with the project. */
function dataOf<I extends { kind: string }>(input: I): Omit<I, 'kind'> & { projectId: string } {
  const { kind: _kind, ...rest } = input;
  return { projectId: PROJECT_ID, ...rest };
}

// ---------------------------------------------------------------------------------------------
// inputs

export function consultationInput(o: Partial<Input<'consultation'>> = {}): Input<'consultation'> {
  return {
    kind: 'consultation',
    milestoneId: 'CON-1',
    docRefs: ['入户走访记录 2021-11'],
    heldOn: '2021-11-26',
    method: 'door_to_door',
    householdsReached: 110,
    householdsSupporting: 96,
    ...o,
  };
}

export function publicityInput(o: Partial<Input<'publicity'>> = {}): Input<'publicity'> {
  return {
    kind: 'publicity',
    milestoneId: 'PUB-1',
    docRefs: ['公示照片 2021-11-26'],
    subject: '桂花巷小区改造内容',
    startDate: '2021-11-26',
    endDate: '2021-12-03',
    channels: ['小区公示栏', '社区微信群'],
    objections: { received: 1, summary: '一户对停车位布置提出意见，已调整' },
    ...o,
  };
}

export function jointReviewInput(o: Partial<Input<'joint_review'>> = {}): Input<'joint_review'> {
  const { projectId: _p, ruleId: _r, ...data } = jointReviewed().data;
  return { kind: 'joint_review', ...data, ...o };
}

export function determinationInput(kind: DeterminationKind, o: Partial<DeterminationInput> = {}): MilestoneInput {
  return { kind, milestoneId: `DET-${kind}`, docRefs: DOCS, determinedOn: '2022-02-01', ...o } as MilestoneInput;
}

export function tenderInput(o: Partial<Input<'tender'>> = {}): Input<'tender'> {
  return {
    kind: 'tender',
    milestoneId: 'TEN-1',
    docRefs: ['中标通知书 TN-ZB-2022-03'],
    awardedOn: '2022-01-10',
    method: 'open_tender',
    winner: '重庆潼南建工集团有限公司',
    amount: '7200000.00',
    ...o,
  };
}

/** A valid 统一社会信用代码 (check character P). */
export const CREDIT_CODE = '91500152MA5UTN001P';

export function contractInput(o: Partial<Input<'contract'>> = {}): Input<'contract'> {
  return {
    kind: 'contract',
    milestoneId: 'CTR-1',
    docRefs: ['HT-2022-001'],
    signedOn: '2022-01-20',
    contractId: 'HT-2022-001',
    payee: { name: '重庆潼南建工集团有限公司', creditCode: CREDIT_CODE },
    amount: '7200000.00',
    paymentTerms: { progressPaymentCapPercent: '80.00', retentionPercent: '3.00' },
    ...o,
  };
}

export const startedInput = (o: Partial<Input<'construction_started'>> = {}): Input<'construction_started'> => ({
  kind: 'construction_started',
  milestoneId: 'START-1',
  docRefs: ['开工报告 2022-03-01'],
  startedOn: '2022-03-01',
  ...o,
});

export const completedInput = (o: Partial<Input<'construction_completed'>> = {}): Input<'construction_completed'> => ({
  kind: 'construction_completed',
  milestoneId: 'DONE-1',
  docRefs: ['竣工报告 2022-09-30'],
  completedOn: '2022-09-30',
  ...o,
});

export const ACCEPTANCE_PARTICIPANTS = [
  'construction_unit',
  'town_office',
  'contractor',
  'community',
  'resident_representative',
];

export function acceptanceInput(o: Partial<Input<'joint_acceptance'>> = {}): Input<'joint_acceptance'> {
  return {
    kind: 'joint_acceptance',
    milestoneId: 'ACC-1',
    docRefs: ['竣工验收报告 2022-10-14'],
    acceptedOn: '2022-10-14',
    lead: 'housing_commission',
    participants: [...ACCEPTANCE_PARTICIPANTS],
    result: 'passed',
    ...o,
  };
}

export const filingInput = (o: Partial<Input<'acceptance_report_filed'>> = {}): Input<'acceptance_report_filed'> => ({
  kind: 'acceptance_report_filed',
  milestoneId: 'FILE-1',
  docRefs: ['竣工验收备案表 2022-10'],
  filedOn: '2022-10-20',
  ...o,
});

export function handoverInput(o: Partial<Input<'handover'>> = {}): Input<'handover'> {
  return {
    kind: 'handover',
    milestoneId: 'HAND-1',
    docRefs: ['移交清单 2022-11-01'],
    handedOverOn: '2022-11-01',
    parts: [
      { part: 'municipal_public', receivingParty: '国网重庆潼南供电公司', scope: '小区配电设施' },
      { part: 'owner_common', receivingParty: '桂花巷小区业主委员会' },
    ],
    ...o,
  };
}

export function managementInput(o: Partial<Input<'management_model'>> = {}): Input<'management_model'> {
  return {
    kind: 'management_model',
    milestoneId: 'MGMT-1',
    docRefs: ['物业服务合同 2022-11'],
    agreedOn: '2022-11-15',
    model: 'property_company',
    unit: '重庆潼南宜居物业服务有限公司',
    scope: '公共区域保洁、绿化养护、设施设备管护',
    standard: '三级',
    fee: { amount: '0.60', basis: 'per_m2_month' },
    ...o,
  };
}

// ---------------------------------------------------------------------------------------------
// events (what the inputs above become)

export function consultationHeld(o: Partial<ResidentConsultationHeld> = {}): EventOf<typeof T.consultationHeld> {
  return { type: T.consultationHeld, data: { ...dataOf(consultationInput()), ...o } };
}

export function publicized(o: Partial<ContentPublicized> = {}): EventOf<typeof T.contentPublicized> {
  return {
    type: T.contentPublicized,
    data: { ...dataOf(publicityInput()), ruleId: 'publicity-minimum-seed', ...o },
  };
}

/** A determination: a permit number by default (`{permitNo: undefined, exemption, facts, ruleId}` for an exemption). */
export function determined(kind: DeterminationKind, o: Partial<PermitDetermined> = {}) {
  return {
    type: MILESTONE_EVENT_TYPES[kind],
    data: {
      projectId: PROJECT_ID,
      milestoneId: `DET-${kind}`,
      docRefs: DOCS,
      determinedOn: '2022-02-01',
      facts: {},
      permitNo: '潼南建施〔2022〕012号',
      ruleId: null,
      ...o,
    },
  } as EventOf<typeof T.constructionPermitDetermined>;
}

export function tenderAwarded(o: Partial<TenderAwarded> = {}): EventOf<typeof T.tenderAwarded> {
  return { type: T.tenderAwarded, data: { ...dataOf(tenderInput()), ...o } };
}

export function contractSigned(o: Partial<ContractSigned> = {}): EventOf<typeof T.contractSigned> {
  return { type: T.contractSigned, data: { ...dataOf(contractInput()), ...o } };
}

export function started(o: Partial<ConstructionStarted> = {}): EventOf<typeof T.constructionStarted> {
  return { type: T.constructionStarted, data: { ...dataOf(startedInput()), ...o } };
}

export function completed(o: Partial<ConstructionCompleted> = {}): EventOf<typeof T.constructionCompleted> {
  return { type: T.constructionCompleted, data: { ...dataOf(completedInput()), ...o } };
}

export function accepted(o: Partial<JointAcceptanceHeld> = {}): EventOf<typeof T.jointAcceptanceHeld> {
  return { type: T.jointAcceptanceHeld, data: { ...dataOf(acceptanceInput()), ruleId: 'joint-acceptance-seed', ...o } };
}

export function filed(o: Partial<AcceptanceReportFiled> = {}): EventOf<typeof T.acceptanceReportFiled> {
  return {
    type: T.acceptanceReportFiled,
    data: {
      ...dataOf(filingInput()),
      acceptanceId: 'ACC-1',
      acceptedOn: '2022-10-14',
      deadline: '2022-10-31',
      late: false,
      ruleId: 'acceptance-filing-seed',
      ...o,
    },
  };
}

export function handedOver(o: Partial<AssetsHandedOver> = {}): EventOf<typeof T.assetsHandedOver> {
  return { type: T.assetsHandedOver, data: { ...dataOf(handoverInput()), ...o } };
}

export function managementAgreed(o: Partial<ManagementModelAgreed> = {}): EventOf<typeof T.managementModelAgreed> {
  return { type: T.managementModelAgreed, data: { ...dataOf(managementInput()), ...o } };
}

/** A project reviewed and approved under the seed (2021-12-01). */
export const approvedProject = () => [registered(), jointReviewed(), approved()];
/** ...and its works started, completed and accepted. */
export const acceptedProject = () => [...approvedProject(), started(), completed(), accepted()];
