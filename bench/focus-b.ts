/** Focused (b): one server, alternating rounds of GET /api/health/live and POST receipts. Not part of `npm run bench`. */
import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../src/bootstrap';
import { loadConfig } from '../src/config/config';
import { receiptBody } from './lib/fixtures';
import { TOKENS, approvedProjects, load } from './scenarios/http';
import { tempDir } from './lib/util';

export async function main(argv: string[]): Promise<number> {
  const rounds = Number(argv[0] ?? 4);
  const durationS = Number(argv[1] ?? 3);
  const modes = (argv[2] ?? 'bare,receipts').split(',');
  const { dir, cleanup } = tempDir('focus-b');
  const tokensFile = join(dir, 'tokens.json');
  writeFileSync(tokensFile, JSON.stringify(TOKENS));
  let app: INestApplication | null = null;
  try {
    app = await createApp(loadConfig({ DATA_DIR: join(dir, 'data'), LEDGER_TOKENS_FILE: tokensFile, PORT: '0' }), {
      logger: false,
    });
    await app.listen(0, '127.0.0.1');
    const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    const projects = await approvedProjects(url, 64);
    const bodies = Array.from({ length: 8 }, (_, i) => receiptBody(i));
    const common = {
      url,
      connections: Number(process.env.CONNS ?? 32),
      durationS,
      warmupS: 1,
      token: TOKENS[1].token,
      projects,
      bodies,
    };
    const ratios: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const res: Record<string, number> = {};
      for (const m of modes) {
        const x = await load({ ...common, mode: m === 'receipts' ? 'receipts' : 'bare', barePath: '/api/health/live' });
        if (x.non2xx + x.errors + x.timeouts) throw new Error(`${m}: ${JSON.stringify(x)}`);
        res[m] = x.requestsPerS;
      }
      if (res.bare && res.receipts) ratios.push(res.receipts / res.bare);
      console.log(
        `round ${r}: ${Object.entries(res)
          .map(([k, v]) => `${k} ${v.toFixed(0)}`)
          .join(' ')} ${res.bare && res.receipts ? `ratio ${(res.receipts / res.bare).toFixed(3)}` : ''}`,
      );
    }
    if (ratios.length) {
      ratios.sort();
      console.log(
        `median ratio ${ratios[ratios.length >> 1].toFixed(3)} mean ${(ratios.reduce((a, b) => a + b) / ratios.length).toFixed(3)}`,
      );
    }
    return 0;
  } finally {
    await app?.close();
    cleanup();
  }
}
