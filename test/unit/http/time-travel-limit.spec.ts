/**
 * Issue 14, defect 4: a caller may have at most TIME_TRAVEL_PER_CALLER time-travel reads in flight;
 * one more is 429 `too-many-requests` with Retry-After; other callers and plain reads are not limited.
 */
import { CallHandler, ExecutionContext } from '@nestjs/common';
import { Subject, lastValueFrom, of } from 'rxjs';
import { TIME_TRAVEL_PER_CALLER, TimeTravelLimit } from '../../../src/http/time-travel-limit.interceptor';
import { DomainError } from '../../../src/shared/domain/domain-error';

function request(actorId: string, query: Record<string, string>) {
  const headers: Record<string, string> = {};
  return {
    req: { query, actor: { actorId }, res: { setHeader: (k: string, v: string) => (headers[k] = v) } },
    headers,
  };
}

function contextOf(req: object): ExecutionContext {
  return { switchToHttp: () => ({ getRequest: () => req }) } as unknown as ExecutionContext;
}

describe('TimeTravelLimit', () => {
  it('refuses a caller one time-travel read beyond the limit, and lets it in again once one answered', async () => {
    const limit = new TimeTravelLimit();
    const pending = Array.from({ length: TIME_TRAVEL_PER_CALLER }, () => new Subject<string>());
    const running = pending.map((s) => {
      const { req } = request('u-viewer', { asOf: '2022-06-30' });
      return lastValueFrom(limit.intercept(contextOf(req), { handle: () => s } as CallHandler));
    });
    const { req, headers } = request('u-viewer', { knownAt: '2022-06-30' });
    let refused: unknown;
    try {
      limit.intercept(contextOf(req), { handle: () => of('late') });
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ code: 'too-many-requests', status: 429 });
    expect(headers['Retry-After']).toBe('1');

    // Another caller, and a read without bounds, are not held up.
    const other = request('u-auditor', { asOf: '2022-06-30' });
    await expect(lastValueFrom(limit.intercept(contextOf(other.req), { handle: () => of('ok') }))).resolves.toBe('ok');
    const plain = request('u-viewer', {});
    await expect(lastValueFrom(limit.intercept(contextOf(plain.req), { handle: () => of('ok') }))).resolves.toBe('ok');

    pending[0].next('first');
    pending[0].complete();
    await expect(running[0]).resolves.toBe('first');
    const again = request('u-viewer', { asOf: '2022-06-30' });
    await expect(lastValueFrom(limit.intercept(contextOf(again.req), { handle: () => of('in') }))).resolves.toBe('in');
    for (const s of pending.slice(1)) {
      s.next('done');
      s.complete();
    }
    await Promise.all(running);
  });
});
