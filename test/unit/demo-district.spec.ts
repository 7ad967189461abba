/**
 * The demo district (src/demo/demo-district.ts): a deterministic Tongnan-like district that
 * `npm run demo` loads through the HTTP API. Rules checked here: the same seed gives the same
 * requests; every one of the 14 funding-source codes is used; at least 30 projects; every amount
 * is a valid two-decimal amount string; and the whole district is accepted by the project decider,
 * request by request, so loading it over HTTP cannot be refused by a business rule.
 */
import { generateDemoDistrict, DemoDistrict, DemoRequest, routeOf } from '../../src/demo/demo-district';
import { projectCommandOf } from '../../src/funding/project-command-of';
import { SeededRandom } from '../../src/demo/seeded-random';
import { SOURCE_CODES, SUB_FIELD_NAMES } from '../../src/project/funding-sources';
import { ProjectCommand } from '../../src/project/project.commands';
import { ProjectState, projectDecider } from '../../src/project/project.decider';
import { ProjectEvent } from '../../src/project/project.events';
import { fold } from '../../src/shared/domain/decider';

const AMOUNT = /^(0|[1-9][0-9]{0,14})\.[0-9]{2}$/;
const AMOUNT_FIELDS = ['amount', 'estimatedCost', 'approvedInvestment'];
const TONGNAN_TOWNS = [
  '梓潼街道', '桂林街道', '大佛街道', '凉风垭街道', '上和镇', '龙形镇', '古溪镇', '宝龙镇', '玉溪镇', '米心镇', '群力镇', '双江镇',
  '花岩镇', '柏梓镇', '崇龛镇', '塘坝镇', '新胜镇', '太安镇', '小渡镇', '卧佛镇', '五桂镇', '田家镇', '别口镇', '寿桥镇',
];

let district: DemoDistrict;
beforeAll(() => {
  district = generateDemoDistrict();
});

const route = routeOf;
const bodies = (kind: string) => district.requests.filter((r) => route(r) === kind).map((r) => r.body);

describe('determinism', () => {
  // Rule: the generator is pure: a seeded PRNG, no Math.random, no clock.
  it('gives equal districts for the same seed', () => {
    expect(generateDemoDistrict()).toEqual(district);
    expect(JSON.stringify(generateDemoDistrict(7))).toBe(JSON.stringify(generateDemoDistrict(7)));
  });

  it('gives another district for another seed', () => {
    expect(JSON.stringify(generateDemoDistrict(7))).not.toBe(JSON.stringify(district));
  });

  it('does not call Math.random', () => {
    const spy = jest.spyOn(Math, 'random');
    try {
      generateDemoDistrict(11);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  it('draws integers only, the same sequence for the same seed', () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const drawsA = Array.from({ length: 50 }, () => a.bigint(0n, 10_000_000_000_00n));
    expect(Array.from({ length: 50 }, () => b.bigint(0n, 10_000_000_000_00n))).toEqual(drawsA);
    expect(drawsA.every((x) => x >= 0n && x <= 10_000_000_000_00n)).toBe(true);
  });
});

describe('shape of the district', () => {
  it('has at least 30 projects in Tongnan towns and streets, with unique TN ids', () => {
    expect(district.projects.length).toBeGreaterThanOrEqual(30);
    const ids = district.projects.map((p) => p.projectId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of district.projects) {
      expect(p.projectId).toMatch(/^TN20(21|22)-\d{3}$/);
      expect(TONGNAN_TOWNS).toContain(p.town);
      expect(p.builtYear).toBeGreaterThanOrEqual(1985);
      expect(p.builtYear).toBeLessThanOrEqual(2004);
    }
    expect(new Set(district.projects.map((p) => p.town))).toEqual(new Set(TONGNAN_TOWNS));
  });

  it('uses every one of the 14 funding-source codes', () => {
    const used = new Set(district.requests.map((r) => r.body.source).filter((s): s is string => typeof s === 'string'));
    expect([...used].sort()).toEqual([...SOURCE_CODES].sort());
    const received = new Set(district.projects.flatMap((p) => p.sourcesReceived));
    expect([...received].sort()).toEqual([...SOURCE_CODES].sort());
  });

  it('writes every amount as a positive string with exactly two decimals', () => {
    let seen = 0;
    for (const r of district.requests) {
      for (const field of AMOUNT_FIELDS) {
        if (!(field in r.body)) continue;
        seen++;
        const value = r.body[field];
        expect(typeof value).toBe('string');
        expect(value).toMatch(AMOUNT);
        expect(value).not.toBe('0.00');
      }
    }
    expect(seen).toBeGreaterThan(district.requests.length / 2);
  });

  it('approves most projects on plan review and two or three on the merged FSR path', () => {
    const paths = district.projects.map((p) => p.approvalPath);
    const merged = paths.filter((p) => p === 'merged_fsr').length;
    expect(merged).toBeGreaterThanOrEqual(2);
    expect(merged).toBeLessThanOrEqual(3);
    expect(paths.filter((p) => p === 'plan_review').length).toBeGreaterThan(district.projects.length / 2);
    for (const p of district.projects.filter((x) => x.approvedInvestment !== null)) {
      const fen = BigInt(p.approvedInvestment!.replace('.', ''));
      expect(p.approvalPath).toBe(fen >= 10_000_000_00n ? 'merged_fsr' : 'plan_review');
    }
    expect(paths.filter((p) => p === null).length).toBeGreaterThanOrEqual(2);
    expect(district.projects.filter((p) => p.sourcesReceived.length === 0).length).toBeGreaterThanOrEqual(3);
  });

  it('dates everything in 2021-2023 with the fiscal year of its date', () => {
    for (const r of district.requests) {
      const date = (r.body.pledgedOn ?? r.body.receivedOn ?? r.body.paidOn ?? r.body.reversedOn ?? r.body.approvedOn) as string | undefined;
      if (route(r) === 'register' || route(r) === 'budget-lines') continue;
      expect(date).toMatch(/^202[123]-\d{2}-\d{2}$/);
      if ('fiscalYear' in r.body) expect(r.body.fiscalYear).toBe(Number(date!.slice(0, 4)));
    }
  });

  it('has full and partial reversals with reasons in Chinese, and receipts drawn on pledges', () => {
    const reversals = bodies('reversals');
    expect(reversals.length).toBeGreaterThanOrEqual(4);
    expect(reversals.some((b) => b.amount === undefined)).toBe(true);
    expect(reversals.some((b) => b.amount !== undefined)).toBe(true);
    for (const b of reversals) expect(b.reason).toMatch(/[\u4e00-\u9fff]/);
    expect(bodies('receipts').some((b) => typeof b.pledgeId === 'string')).toBe(true);
    expect(bodies('receipts').some((b) => b.pledgeId === undefined)).toBe(true);
  });

  it('leaves no stand-in id or voucher behind, and numbers vouchers uniquely', () => {
    expect(JSON.stringify(district.requests)).not.toContain('\\u0000');
    const vouchers = bodies('disbursements').map((b) => b.voucher as string);
    expect(new Set(vouchers).size).toBe(vouchers.length);
    for (const v of vouchers) expect(v).toMatch(/^(国库集中支付凭证|专户转账凭证) 202[123]-\d{4}$/);
  });

  it('gives housing the project writes and finance or the clerk the money', () => {
    for (const r of district.requests) {
      const kind = route(r);
      if (kind === 'register' || kind === 'approval' || kind === 'budget-lines') expect(r.role).toBe('housing');
      else expect(['finance', 'clerk']).toContain(r.role);
      expect(r.method).toBe('POST');
    }
    const keys = district.requests.map((r) => r.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
    for (const k of keys) expect(k).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
  });

  it('provident-fund money names its household and sits on an elevator or own-home line', () => {
    const lineItem = new Map(district.requests.filter((r) => route(r) === 'budget-lines').map((r) => [`${r.projectId}/${r.body.lineId}`, r.body.item]));
    const provident = district.requests.filter((r) => r.body.source === 'provident_fund' && route(r) !== 'disbursements');
    expect(provident.length).toBeGreaterThan(0);
    for (const r of provident) {
      expect(typeof r.body.householdId).toBe('string');
      expect(['elevator', 'own_home']).toContain(lineItem.get(`${r.projectId}/${r.body.lineId}`));
    }
  });
});

describe('the project decider accepts the whole district', () => {
  // Rule: every request is one the ledger takes (earmarks, central double support, approval
  // before payment, payments within receipts per source, reversals within what remains), so the
  // HTTP load in `npm run demo` never meets a 409 or 422.
  it('decides every request without an error', () => {
    expectAccepted(district);
  });

  it.each([1, 2021, 71])('does so for other seeds too (seed %d)', (seed) => {
    expectAccepted(generateDemoDistrict(seed));
  });
});

/** Folds every request of the district through the decider, as the write path does, stream by stream. */
function expectAccepted(district: DemoDistrict): void {
  const streams = new Map<string, { state: ProjectState }>();
  for (const [i, r] of district.requests.entries()) {
    const stream = streams.get(r.projectId) ?? { state: projectDecider.initialState() };
    streams.set(r.projectId, stream);
    let events: ProjectEvent[];
    try {
      events = projectDecider.decide(commandOf(r), stream.state);
    } catch (err) {
      throw new Error(`request #${i} ${r.path} ${JSON.stringify(r.body)} was refused: ${(err as Error).message}`);
    }
    stream.state = fold(projectDecider, events, stream.state);
  }
  expect(streams.size).toBe(district.projects.length);
  for (const [, { state }] of streams) {
    for (const [, pos] of state.sources) {
      expect(pos.receivedFen - pos.disbursedFen).toBeGreaterThanOrEqual(0n);
      expect(pos.pledgedFen).toBeGreaterThanOrEqual(0n);
    }
  }
}

/** The command the controller builds from a request body (src/funding/project-command-of.ts). */
function commandOf(r: DemoRequest): ProjectCommand {
  return projectCommandOf(routeOf(r), r.body as Record<string, unknown>, '2024-01-01');
}
