/**
 * A project as the finance bureau's e2e specs start from, set up over HTTP by the housing
 * bureau: registered (an estate built in 1995, 300 households, in 桂林街道), one budget line B1
 * (roof, 2,000,000.00), jointly reviewed when `jointReviewedOn` is given, and approved at that
 * investment. The money (batches, allocations, receipts, payments) is each spec's own.
 */
import { jointReviewInput } from './lifecycle-fixtures';

export interface HttpProject {
  /** The 下达文号 of the approval. */
  docNo: string;
  approvedOn: string;
  jointReviewedOn?: string;
  name?: string;
  community?: string;
}

/** `post` sends one write as the housing bureau and expects it to succeed. */
export async function approvedProjectOverHttp(
  post: (path: string, body: unknown) => Promise<unknown>,
  projectId: string,
  project: HttpProject,
): Promise<void> {
  await post('/api/projects', {
    projectId,
    name: project.name ?? '桂林街道片区老旧小区改造',
    community: project.community ?? '桂林小区',
    town: '桂林街道',
    builtYear: 1995,
    buildingArea: 20000,
    households: 300,
  });
  const at = `/api/projects/${projectId}`;
  await post(`${at}/budget-lines`, { lineId: 'B1', category: 'basic', item: 'roof', estimatedCost: '2000000.00' });
  if (project.jointReviewedOn !== undefined)
    await post(`${at}/milestones`, jointReviewInput({ reviewedOn: project.jointReviewedOn }));
  await post(`${at}/approval`, {
    approvedInvestment: '2000000.00',
    docNo: project.docNo,
    approvedOn: project.approvedOn,
    involvesIndependentInfrastructure: false,
  });
}
