/**
 * Idle money (RF-14) of the batch list by project (GET /api/reports/idle-money): the projects
 * behind the overview's 到位未支出 and 分配未到位, each with its idle amount, and the batches behind
 * 下达未分配, aged at the same reference date by the same functions (batchDetails), so each list
 * sums to the batch list's total of that kind.
 */
import { Fen, fenOfStored, formatFen, sumFen } from '../shared/money/money';
import { BatchDetail } from './fund-batch-reports';

export interface ProjectIdleView {
  projectId: string;
  projectName: string | null;
  /** idleReceived + idleNotReceived */
  idleAmount: string;
  /** Received on its allocations and unpaid `idleDays` or more. */
  idleReceived: string;
  /** Allocated to it and not received `idleDays` or more. */
  idleNotReceived: string;
  /** The batches whose allocations to it hold idle money, by id. */
  batchIds: string[];
}

export interface BatchUnallocatedView {
  batchId: string;
  docNo: string;
  /** Issued `idleDays` or more ago and still not allocated. */
  idleUnallocated: string;
}

export interface IdleByProject {
  /** Only projects with idle money, by project id. */
  projects: ProjectIdleView[];
  /** Only batches with idle unallocated money, by batch id. */
  batches: BatchUnallocatedView[];
  /** The batch list's idle totals: each the sum of its list above. */
  totals: { idleAmount: string; idleReceived: string; idleNotReceived: string; idleUnallocated: string };
}

export function idleByProject(details: readonly BatchDetail[]): IdleByProject {
  const projects = new Map<string, { name: string | null; received: Fen; notReceived: Fen; batchIds: Set<string> }>();
  for (const b of details)
    for (const a of b.allocations) {
      const received = fenOfStored(a.idleReceived);
      const notReceived = fenOfStored(a.idleNotReceived);
      if (received === 0n && notReceived === 0n) continue;
      const p = projects.get(a.projectId) ?? {
        name: a.projectName,
        received: 0n,
        notReceived: 0n,
        batchIds: new Set(),
      };
      p.received += received;
      p.notReceived += notReceived;
      p.batchIds.add(b.batchId);
      projects.set(a.projectId, p);
    }
  const held = [...projects].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const listed = held.map(([projectId, p]) => ({
    projectId,
    projectName: p.name,
    idleAmount: formatFen(p.received + p.notReceived),
    idleReceived: formatFen(p.received),
    idleNotReceived: formatFen(p.notReceived),
    batchIds: [...p.batchIds].sort(),
  }));
  const batches = details
    .filter((b) => fenOfStored(b.idleUnallocated) !== 0n)
    .map((b) => ({ batchId: b.batchId, docNo: b.docNo, idleUnallocated: b.idleUnallocated }));
  const received = sumFen(held.map(([, p]) => p.received));
  const notReceived = sumFen(held.map(([, p]) => p.notReceived));
  const unallocated = sumFen(batches.map((b) => fenOfStored(b.idleUnallocated)));
  return {
    projects: listed,
    batches,
    totals: {
      idleAmount: formatFen(received + notReceived + unallocated),
      idleReceived: formatFen(received),
      idleNotReceived: formatFen(notReceived),
      idleUnallocated: formatFen(unallocated),
    },
  };
}
