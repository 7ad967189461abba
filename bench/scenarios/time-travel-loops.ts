/**
 * The time-travel readers of bench (g), in a child process (bench/child.js) like the other load
 * generators, so their client work never runs on the event loop they measure. Four loops of GET
 * /api/projects?asOf= (each caller's token in turn) from `startAt` until `stopAt` (epoch ms).
 */
export interface LoopArgs {
  url: string;
  path: string;
  tokens: string[];
  loops: number;
  startAt: number;
  stopAt: number;
}

export interface LoopCounts {
  answered: number;
  refused: number;
  failed: number;
  /** Why requests failed (a status, or a connection error's cause), counted by reason. */
  reasons: Record<string, number>;
  /** Epoch ms the first request was sent: the parent checks the loops covered its window. */
  firstSentAt: number;
}

export async function timeTravelLoops(args: LoopArgs): Promise<LoopCounts> {
  const counts: LoopCounts = { answered: 0, refused: 0, failed: 0, reasons: {}, firstSentAt: 0 };
  const fail = (reason: string) => {
    counts.failed += 1;
    counts.reasons[reason] = (counts.reasons[reason] ?? 0) + 1;
  };
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, args.startAt - Date.now())));
  counts.firstSentAt = Date.now();
  await Promise.all(
    Array.from({ length: args.loops }, async (_, k) => {
      const token = args.tokens[k % args.tokens.length];
      while (Date.now() < args.stopAt) {
        let res: Response;
        try {
          res = await fetch(`${args.url}${args.path}`, { headers: { authorization: `Bearer ${token}` } });
          await res.arrayBuffer();
        } catch (err) {
          // fetch says only "fetch failed": the connection's error is its cause.
          const cause = (err as { cause?: { code?: string; message?: string } }).cause;
          fail(cause?.code ?? cause?.message ?? (err as Error).message);
          continue;
        }
        if (res.status === 200) counts.answered += 1;
        else if (res.status === 429) counts.refused += 1;
        else fail(`HTTP ${res.status}`);
      }
    }),
  );
  return counts;
}
