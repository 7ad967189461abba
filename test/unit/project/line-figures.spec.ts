/**
 * Rule: a decision never walks every entry of a project (a long stream's entries stand on its
 * snapshot, read one key at a time), so the figures it needs per line are kept as entries change.
 * They must always equal what walking the entries gives: per source and line, the entries not
 * fully reversed; per source and utility, received less paid, net of reversals.
 */
import { ProjectState, projectDecider } from '../../../src/project/project.decider';
import { Fen } from '../../../src/shared/money/money';
import { demoCommandOf } from '../../support/demo-commands';
import { demoDistrict } from '../../support/demo-store';

function walked(s: ProjectState): { support: Map<string, number>; net: Map<string, Fen> } {
  const support = new Map<string, number>();
  const net = new Map<string, Fen>();
  for (const e of s.entries.values()) {
    if (e.lineId === undefined) continue;
    const key = `${e.source}|${e.lineId}`;
    if (e.amountFen > e.reversedFen) support.set(key, (support.get(key) ?? 0) + 1);
    const utility = s.lines.get(e.lineId)?.utility;
    if (utility === undefined || e.kind === 'pledge') continue;
    const u = `${e.source}|${utility}`;
    net.set(u, (net.get(u) ?? 0n) + (e.kind === 'receipt' ? 1n : -1n) * (e.amountFen - e.reversedFen));
  }
  return { support, net };
}

describe('the line figures a decision reads', () => {
  it('equal what walking the entries gives, after every command of the demo district', () => {
    const states = new Map<string, ProjectState>();
    const mismatches: string[] = [];
    let utilityFigures = 0;
    for (const r of demoDistrict.requests) {
      const before = states.get(r.projectId) ?? projectDecider.initialState();
      let s = before;
      for (const e of projectDecider.decide(demoCommandOf(r, '2024-01-01'), before)) s = projectDecider.evolve(s, e);
      states.set(r.projectId, s);
      const { support, net } = walked(s);
      const kept = [...s.lineSupport].filter(([, n]) => n !== 0);
      if (kept.length !== support.size || kept.some(([key, n]) => support.get(key) !== n))
        mismatches.push(`${r.idempotencyKey}: line support`);
      const keptNet = [...s.utilityNetFen].filter(([, fen]) => fen !== 0n);
      const walkedNet = [...net].filter(([, fen]) => fen !== 0n);
      if (keptNet.length !== walkedNet.length || keptNet.some(([key, fen]) => net.get(key) !== fen))
        mismatches.push(`${r.idempotencyKey}: utility net`);
      utilityFigures += walkedNet.length;
    }
    expect(mismatches).toEqual([]);
    expect(utilityFigures).toBeGreaterThan(0); // the demo has pipeline money on utilities' lines
  });
});
