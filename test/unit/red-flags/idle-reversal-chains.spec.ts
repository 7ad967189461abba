/**
 * RF-14 (idle money) over any chain of reversals of a payment: reversals of it, undos of them,
 * undos of those undos, as the ledger allows them (a reversal takes at most what remains of what it
 * reverses; an undo that takes back, at most what remains of the entry). Long after it all, what
 * RF-14 counts idle is what was received less what was paid, net of every reversal and undo: the
 * figure the funding mix and the project show (attack finding 5).
 */
import fc from 'fast-check';
import { approvedProject, disbursed, received, reversalReversed, reversed } from '../../support/project-fixtures';
import { Step, flagsOf, reportOf } from '../../support/red-flag-history';
import { addDays } from '../../../src/policy/rest-days';
import { Fen, formatFen } from '../../../src/shared/money/money';

const RECEIVED_FEN = 100_000n;

/** A payment, or a reversal in its chain: what it moved, how much of that was reversed since, and which way. */
interface Node {
  id: string;
  amountFen: Fen;
  reversedFen: Fen;
  /** For a reversal: true when it gave money back to the payment (an undo of one that took). */
  restores: boolean;
}

interface Op {
  payment: number;
  target: number;
  percent: number;
}

const op: fc.Arbitrary<Op> = fc.record({
  payment: fc.integer({ min: 0, max: 1 }),
  target: fc.nat(),
  percent: fc.integer({ min: 1, max: 100 }),
});

/** The history the ops write, and what the two payments still pay net of it all. */
function historyOf(paymentFen: readonly Fen[], ops: readonly Op[]): { steps: Step[]; paidFen: Fen } {
  const steps: Step[] = [...approvedProject(), received({ amount: formatFen(RECEIVED_FEN), receivedOn: '2021-12-10' })];
  const chains = paymentFen.map((fen, i): { entry: Node; remainingFen: Fen; reversals: Node[] } => {
    const id = `PAY${i + 1}`;
    steps.push(disbursed({ paymentId: id, amount: formatFen(fen), paidOn: '2021-12-20' }));
    return { entry: { id, amountFen: fen, reversedFen: 0n, restores: false }, remainingFen: fen, reversals: [] };
  });
  let day = '2021-12-20';
  ops.forEach(({ payment, target, percent }, n) => {
    const chain = chains[payment];
    const nodes = [chain.entry, ...chain.reversals];
    const node = nodes[target % nodes.length];
    const isEntry = node === chain.entry;
    const left = isEntry ? chain.remainingFen : node.amountFen - node.reversedFen;
    // A reversal of the entry, or an undo of an undo, takes back; an undo of a reversal that took gives back.
    const restores = !isEntry && !node.restores;
    const most = restores ? left : left < chain.remainingFen ? left : chain.remainingFen;
    const fen = (most * BigInt(percent) + 99n) / 100n;
    if (fen <= 0n) return;
    day = addDays(day, 1);
    const common = {
      reversalId: `V${n + 1}`,
      entryId: chain.entry.id,
      entryKind: 'payment' as const,
      lineId: 'B1-roof',
      amount: formatFen(fen),
      full: fen === left,
      reversedOn: day,
    };
    steps.push(
      isEntry
        ? reversed(common)
        : reversalReversed({ ...common, reversedReversalId: node.id, restores: !node.restores }),
    );
    if (!isEntry) node.reversedFen += fen;
    chain.reversals.push({ id: common.reversalId, amountFen: fen, reversedFen: 0n, restores });
    chain.remainingFen += restores ? fen : -fen;
  });
  return { steps, paidFen: chains.reduce((sum, c) => sum + c.remainingFen, 0n) };
}

describe('RF-14 after any chain of reversals and undos of payments', () => {
  it('counts idle what was received less what was paid, net of every reversal and undo', () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 1n, max: 40_000n }), { minLength: 2, maxLength: 2 }),
        fc.array(op, { maxLength: 12 }),
        (paymentFen, ops) => {
          const { steps, paidFen } = historyOf(paymentFen, ops);
          // Every flow is dated within weeks of the receipt: a year and more later, all unpaid money is idle.
          const idle = flagsOf(reportOf(steps, '2023-06-30'), 'RF-14').map((f) => f.figures.idleAmount);
          expect(idle).toEqual([formatFen(RECEIVED_FEN - paidFen)]);
        },
      ),
      { numRuns: 60 },
    );
  });
});
