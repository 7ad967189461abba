/**
 * Rule: a decision never walks every entry of a project (a long stream's entries stand on its
 * snapshot, read one key at a time), so the figures it needs per line are kept as entries change.
 * They must always equal what walking the entries gives: per source and line, the entries not
 * fully reversed; per source, received less paid, net of reversals, kept apart per utility for
 * pipeline money and per line for municipal money.
 */
import { ProjectState, availableFor, projectDecider } from '../../../src/project/project.decider';
import { Fen } from '../../../src/shared/money/money';
import { demoCommandOf } from '../../support/demo-commands';
import { demoDistrict } from '../../support/demo-store';

/** Where a payment from `source` on `lineId` finds its money, walked independently of the decider. */
function bucketOf(s: ProjectState, source: string, lineId: string | undefined): string {
  if (lineId !== undefined && source === 'pipeline_unit') return `${source}|${s.lines.get(lineId)?.utility}`;
  if (lineId !== undefined && source === 'municipal_subsidy') return `${source}|line ${lineId}`;
  return source;
}

function walked(s: ProjectState): { support: Map<string, number>; net: Map<string, Fen> } {
  const support = new Map<string, number>();
  const net = new Map<string, Fen>();
  for (const e of s.entries.values()) {
    if (e.lineId !== undefined && e.amountFen > e.reversedFen) {
      const key = `${e.source}|${e.lineId}`;
      support.set(key, (support.get(key) ?? 0) + 1);
    }
    if (e.kind === 'pledge') continue;
    const bucket = bucketOf(s, e.source, e.lineId);
    net.set(bucket, (net.get(bucket) ?? 0n) + (e.kind === 'receipt' ? 1n : -1n) * (e.amountFen - e.reversedFen));
  }
  return { support, net };
}

describe('the line figures a decision reads', () => {
  it('equal what walking the entries gives, after every command of the demo district', () => {
    const states = new Map<string, ProjectState>();
    const mismatches: string[] = [];
    const bucketsSeen = new Set<string>();
    for (const r of demoDistrict.requests) {
      const before = states.get(r.projectId) ?? projectDecider.initialState();
      let s = before;
      for (const e of projectDecider.decide(demoCommandOf(r, '2024-01-01'), before)) s = projectDecider.evolve(s, e);
      states.set(r.projectId, s);
      const { support, net } = walked(s);
      const kept = [...s.lineSupport].filter(([, n]) => n !== 0);
      if (kept.length !== support.size || kept.some(([key, n]) => support.get(key) !== n))
        mismatches.push(`${r.idempotencyKey}: line support`);
      const sources = new Set([...s.entries.values()].map((e) => e.source));
      for (const source of sources) {
        for (const lineId of [undefined, ...s.lines.keys()]) {
          const bucket = bucketOf(s, source, lineId);
          if ((net.get(bucket) ?? 0n) !== availableFor(s, source, lineId))
            mismatches.push(`${r.idempotencyKey}: ${bucket} available`);
          if (bucket !== source && net.has(bucket)) bucketsSeen.add(bucket.split('|')[0]);
        }
      }
    }
    expect(mismatches).toEqual([]);
    // the demo has pipeline money on utilities' lines and municipal money on lines
    expect([...bucketsSeen].sort()).toEqual(['municipal_subsidy', 'pipeline_unit']);
  });
});
