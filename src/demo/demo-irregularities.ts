/**
 * What the demo district does wrong on purpose, for the red flags (issue 17, point 5; domain.md §6)
 * to find, and nothing else: every other project keeps the rules those flags check (money after
 * the approval, payments after the payee's contract, the pipeline units paying their lines, votes
 * for the maintenance fund, filings on time, permits before the works).
 *
 * DEMO_IRREGULARITIES lists them for the district `npm run demo` loads (DEMO_SEED), with the ids
 * of what to look at; `generateDemoDistrict(seed).irregularities` says the same for any seed (a
 * spec holds the two together).
 */
import type { DemoFundBatch } from './demo-fund-batches';
import type { DemoRequest } from './demo-units';

export const DEMO_IRREGULARITY_CODES = ['RF-01', 'RF-07', 'RF-08', 'RF-11', 'RF-14', 'RF-17'] as const;
export type DemoIrregularityCode = (typeof DEMO_IRREGULARITY_CODES)[number];

export interface DemoIrregularity {
  /** The red flag of domain.md §6 it should raise. */
  code: DemoIrregularityCode;
  /** The project it is on; null for a fund batch's. */
  projectId: string | null;
  /** What exactly: the receipt, milestone, budget line or fund batch. */
  receiptId?: string;
  milestoneId?: string;
  lineId?: string;
  batchId?: string;
  what: string;
}

/** Which project (and line) each planted irregularity went to, as the generator chose them. */
export interface Plants {
  /** RF-08: the acceptance report filed after its deadline. */
  lateFiling: string;
  /** RF-11: works started before the construction permit was determined. */
  startBeforePermit: string;
  /** RF-01: money received before the approval. */
  moneyBeforeApproval: string;
  /** RF-07: the maintenance fund used on the emergency exception, without a vote. */
  emergencyFund: { projectId: string; lineId: string };
  /** RF-17: a pipeline line its utility pays nothing of (the district pays it all). */
  pipelineUnpaid: { projectId: string; lineId: string };
}

/** The irregularities as the generated requests hold them (ids resolved), in a fixed order. */
export function irregularitiesOf(
  requests: readonly DemoRequest[],
  plants: Plants,
  batches: readonly DemoFundBatch[],
): DemoIrregularity[] {
  const of = (projectId: string, path: string) =>
    requests.filter((r) => r.projectId === projectId && r.path.endsWith(`/${path}`));
  const approvedOn = of(plants.moneyBeforeApproval, 'approval')[0]?.body.approvedOn as string;
  const early = of(plants.moneyBeforeApproval, 'receipts').filter((r) => (r.body.receivedOn as string) < approvedOn);
  const emergency = of(plants.emergencyFund.projectId, 'receipts').filter((r) => r.body.emergency === true);
  return [
    ...early.map((r) => ({
      code: 'RF-01' as const,
      projectId: plants.moneyBeforeApproval,
      receiptId: r.body.receiptId as string,
      what: `${r.body.source as string} received on ${r.body.receivedOn as string}, before the approval of ${approvedOn}`,
    })),
    ...emergency.map((r) => ({
      code: 'RF-07' as const,
      projectId: plants.emergencyFund.projectId,
      receiptId: r.body.receiptId as string,
      lineId: plants.emergencyFund.lineId,
      what: `maintenance fund used on the emergency exception, without an owners' vote (${r.body.emergencyReason as string})`,
    })),
    {
      code: 'RF-08',
      projectId: plants.lateFiling,
      milestoneId: 'FILE-1',
      what: 'the joint acceptance report filed after its 15-day deadline',
    },
    {
      code: 'RF-11',
      projectId: plants.startBeforePermit,
      milestoneId: 'START-1',
      what: 'works started before the construction permit was determined (DET-construction_permit)',
    },
    ...batches
      .filter((b) => b.idle)
      .map((b) => ({
        code: 'RF-14' as const,
        projectId: null,
        batchId: b.batchId,
        what: `${b.idleAmount} received on the batch's allocations a year or more before the demo's last day and still unpaid`,
      })),
    {
      code: 'RF-17',
      projectId: plants.pipelineUnpaid.projectId,
      lineId: plants.pipelineUnpaid.lineId,
      what: 'a pipeline line its utility neither pledged nor paid anything of: the district budget paid it all',
    },
  ];
}

/** The irregularities of the district `npm run demo` loads (DEMO_SEED). */
export const DEMO_IRREGULARITIES: readonly DemoIrregularity[] = [
  {
    code: 'RF-01',
    projectId: 'TN2022-003',
    receiptId: 'R-001',
    what: 'district_matching received on 2022-03-31, before the approval of 2022-04-12',
  },
  {
    code: 'RF-07',
    projectId: 'TN2021-013',
    receiptId: 'R-004',
    lineId: 'B1-roof',
    what: "maintenance fund used on the emergency exception, without an owners' vote (屋面严重渗漏、危及住户安全，业主委员会申请应急维修)",
  },
  {
    code: 'RF-08',
    projectId: 'TN2021-005',
    milestoneId: 'FILE-1',
    what: 'the joint acceptance report filed after its 15-day deadline',
  },
  {
    code: 'RF-11',
    projectId: 'TN2022-002',
    milestoneId: 'START-1',
    what: 'works started before the construction permit was determined (DET-construction_permit)',
  },
  {
    code: 'RF-14',
    projectId: null,
    batchId: 'ZXZQ2021-11',
    what: "260168.00 received on the batch's allocations a year or more before the demo's last day and still unpaid",
  },
  {
    code: 'RF-17',
    projectId: 'TN2021-009',
    lineId: 'P2-gas',
    what: 'a pipeline line its utility neither pledged nor paid anything of: the district budget paid it all',
  },
];
