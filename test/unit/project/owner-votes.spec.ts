/**
 * Owners' votes (domain.md §1; 民法典 第二百七十八条 from 2021-01-01, 物权法 第七十六条 before):
 * quorum ⅔ of area AND ⅔ of owners; 改建 (an elevator), raising the fund and operating common
 * parts need ≥ ¾ of participating area and owners; using the fund and other matters more than ½
 * of both. "以上" includes the bound. One owner counts once, however many units.
 */
import fc from 'fast-check';
import {
  Ballot,
  BallotChoice,
  VOTE_MATTERS,
  VOTE_RULES,
  VoteMatter,
  Voter,
  tallyVote,
  voteRuleOn,
  votingArea,
} from '../../../src/project/owner-votes';
import { parseAmount } from '../../../src/shared/money/money';

const m2 = (value: string): bigint => parseAmount(value, 'area');

/** Units u01 ... with one owner each (o01 ...) and the areas given. */
function stairwell(areas: string[]): Voter[] {
  return areas.map((area, i) => {
    const n = String(i + 1).padStart(2, '0');
    return { householdId: `u${n}`, ownerKey: `o${n}`, area: m2(area) };
  });
}
const ballots = (scope: Voter[], choices: (BallotChoice | null)[]): Ballot[] =>
  choices.flatMap((choice, i) => (choice ? [{ householdId: scope[i].householdId, choice }] : []));
const repeat = <T>(n: number, value: T): T[] => Array.from({ length: n }, () => value);

describe('domain.md §1: a stairwell of 12 units / 720 m² votes on an elevator (改建)', () => {
  it('10 units (600 m²) take part and 8 with 480 m² agree: the elevator passes', () => {
    const scope = stairwell(repeat(12, '60.00'));
    const tally = tallyVote(
      'alteration',
      '2023-05-20',
      scope,
      ballots(scope, [...repeat(8, 'agree' as const), 'disagree', 'disagree', null, null]),
    );
    expect(tally.scope).toEqual({ units: 12, owners: 12, area: m2('720.00') });
    expect(tally.participating).toEqual({ units: 10, owners: 10, area: m2('600.00') });
    expect(tally.agreeing).toEqual({ units: 8, owners: 8, area: m2('480.00') });
    expect(tally.quorum).toMatchObject({
      met: true,
      area: { display: '600.00/720.00', percent: '83.33' },
      owners: { num: 10n, den: 12n, display: '10/12', percent: '83.33' },
    });
    expect(tally.approval).toMatchObject({
      base: 'participants',
      met: true,
      area: { display: '480.00/600.00', percent: '80.00' },
      owners: { display: '8/10', percent: '80.00' },
      required: { area: { text: '≥ 3/4' }, owners: { text: '≥ 3/4' } },
    });
    expect(tally.passed).toBe(true);
    expect(tally.rule.ruleId).toBe('civil-code-278');
    expect(tally.rule.citation).toBe('《中华人民共和国民法典》第二百七十八条');
  });

  it('8 units with 440 m² agree: it fails on area (440/600 < ¾) though it passes on heads (8/10)', () => {
    // 8 agreeing units of 55 m², 2 dissenting of 80 m² (600 m² take part), 2 of 60 m² stay away.
    const scope = stairwell([...repeat(8, '55.00'), '80.00', '80.00', '60.00', '60.00']);
    const tally = tallyVote(
      'alteration',
      '2023-05-20',
      scope,
      ballots(scope, [...repeat(8, 'agree' as const), 'disagree', 'disagree', null, null]),
    );
    expect(tally.scope.area).toBe(m2('720.00'));
    expect(tally.quorum.met).toBe(true);
    expect(tally.approval.area).toMatchObject({ display: '440.00/600.00', percent: '73.33' });
    expect(tally.approval.owners).toMatchObject({ display: '8/10', percent: '80.00' });
    expect(tally.approval.met).toBe(false);
    expect(tally.passed).toBe(false);
  });
});

describe('the bounds: "以上" includes the bound, "过半数" must pass it', () => {
  const scope = stairwell(repeat(12, '60.00'));
  /** A fund_use vote of the units with these areas, choices in unit order. */
  const fundUse = (areas: string[], choices: (BallotChoice | null)[]) => {
    const units = stairwell(areas);
    return tallyVote('fund_use', '2022-03-01', units, ballots(units, choices));
  };
  const agreeThenDisagree = (agree: number, disagree: number): BallotChoice[] => [
    ...repeat(agree, 'agree' as const),
    ...repeat(disagree, 'disagree' as const),
  ];

  it('a quorum of exactly ⅔ (8 of 12, 480 of 720 m²) and exactly ¾ agreeing (6 of 8) pass an alteration', () => {
    const tally = tallyVote(
      'alteration',
      '2022-03-01',
      scope,
      ballots(scope, [...repeat(6, 'agree' as const), 'disagree', 'abstain', ...repeat(4, null)]),
    );
    expect(tally.quorum).toMatchObject({ met: true, owners: { display: '8/12' }, area: { percent: '66.67' } });
    expect(tally.approval).toMatchObject({ met: true, owners: { display: '6/8' }, area: { percent: '75.00' } });
    expect(tally.passed).toBe(true);
  });

  it('one head short of the quorum (7 of 12) fails, however many agree', () => {
    const tally = fundUse(repeat(12, '60.00'), repeat(7, 'agree' as const));
    expect(tally.quorum.met).toBe(false);
    expect(tally.approval.met).toBe(true);
    expect(tally.passed).toBe(false);
  });

  it('fund_use at exactly one half of the participants (5 of 10, 300 of 600 m²) fails', () => {
    const tally = fundUse(repeat(12, '60.00'), agreeThenDisagree(5, 5));
    expect(tally.approval).toMatchObject({ met: false, owners: { display: '5/10' }, area: { percent: '50.00' } });
    expect(tally.approval.required.area.text).toBe('> 1/2');
    expect(tally.passed).toBe(false);
  });

  it('fund_use just above one half on both (6 of 10 owners, 300.01 of 600.00 m²) passes', () => {
    // Six agree with 50.00 m² each but one with 50.01; four dissent with 75.00 m² but one with 74.99.
    const areas = [...repeat(5, '50.00'), '50.01', '74.99', ...repeat(3, '75.00'), '60.00', '60.00'];
    const tally = fundUse(areas, agreeThenDisagree(6, 4));
    expect(tally.approval).toMatchObject({
      met: true,
      owners: { display: '6/10' },
      area: { display: '300.01/600.00', percent: '50.00' }, // the percent rounds; the fraction decides
    });
    expect(tally.passed).toBe(true);
  });

  it('fund_use above one half on heads but exactly one half on area fails (both are needed)', () => {
    const tally = fundUse([...repeat(6, '50.00'), ...repeat(4, '75.00'), '60.00', '60.00'], agreeThenDisagree(6, 4));
    expect(tally.approval).toMatchObject({
      met: false,
      owners: { display: '6/10' },
      area: { display: '300.00/600.00' },
    });
    expect(tally.passed).toBe(false);
  });

  it('an abstention takes part (quorum) and does not agree', () => {
    const tally = fundUse(repeat(12, '60.00'), [...repeat(5, 'agree' as const), ...repeat(5, 'abstain' as const)]);
    expect(tally.participating.units).toBe(10);
    expect(tally.quorum.met).toBe(true);
    expect(tally.approval.met).toBe(false);
  });
});

describe('the rule in force on heldOn (物权法 第七十六条 until 2020-12-31, 民法典 第二百七十八条 from 2021-01-01)', () => {
  const scope = stairwell(repeat(12, '60.00'));
  // 10 take part, 7 agree: 7/10 of participants, 7/12 of all.
  const seven = ballots(scope, [...repeat(7, 'agree' as const), ...repeat(3, 'disagree' as const)]);

  it('chooses the rule by the day the vote was held', () => {
    expect(voteRuleOn('2020-12-31').ruleId).toBe('property-law-76');
    expect(voteRuleOn('2021-01-01').ruleId).toBe('civil-code-278');
    expect(voteRuleOn('2007-10-01').ruleId).toBe('property-law-76');
    expect(() => voteRuleOn('2007-09-30')).toThrow(
      expect.objectContaining({ code: 'vote-rule-not-in-force', status: 422, field: 'heldOn' }),
    );
  });

  it('using the fund: 7 of 12 passes in 2021 (> ½ of participants) and fails in 2020 (< ⅔ of all)', () => {
    const cc = tallyVote('fund_use', '2021-01-01', scope, seven);
    const pl = tallyVote('fund_use', '2020-12-31', scope, seven);
    expect([cc.passed, cc.approval.owners.display]).toEqual([true, '7/10']);
    expect([pl.passed, pl.approval.owners.display, pl.approval.base]).toEqual([false, '7/12', 'scope']);
    expect(pl.quorum).toMatchObject({ required: null, met: true });
    expect(pl.rule.citation).toBe('《中华人民共和国物权法》第七十六条');
  });

  it('operating common parts: 7 of 12 fails in 2021 (< ¾ of participants) and passes in 2020 (> ½ of all)', () => {
    expect(tallyVote('common_parts', '2021-06-01', scope, seven).passed).toBe(false);
    expect(tallyVote('common_parts', '2020-06-01', scope, seven).passed).toBe(true);
  });

  it('an alteration under 物权法 needs ⅔ of all owners: 8 of 12 passes, 7 of 12 fails', () => {
    const eight = ballots(scope, [...repeat(8, 'agree' as const), ...repeat(4, 'disagree' as const)]);
    expect(tallyVote('alteration', '2019-04-01', scope, eight).passed).toBe(true);
    expect(tallyVote('alteration', '2019-04-01', scope, seven).passed).toBe(false);
  });

  it('keeps one table, oldest first, each rule quoting its law', () => {
    expect(VOTE_RULES.map((r) => r.effectiveFrom)).toEqual(['2007-10-01', '2021-01-01']);
    for (const rule of VOTE_RULES) expect(Object.keys(rule.approval).sort()).toEqual([...VOTE_MATTERS].sort());
    expect(VOTE_RULES[1].quote).toContain('三分之二以上');
  });
});

describe('one owner counts once, however many units', () => {
  // Owner A holds 101, 102 and 201; B, C and D one unit each: 6 units, 4 owners, 360 m².
  const scope: Voter[] = [
    { householdId: '101', ownerKey: 'A', area: m2('60.00') },
    { householdId: '102', ownerKey: 'A', area: m2('60.00') },
    { householdId: '201', ownerKey: 'A', area: m2('60.00') },
    { householdId: '202', ownerKey: 'B', area: m2('60.00') },
    { householdId: '301', ownerKey: 'C', area: m2('60.00') },
    { householdId: '302', ownerKey: 'D', area: m2('60.00') },
  ];

  it('counts A once among the owners and with all three units of area', () => {
    const tally = tallyVote('alteration', '2023-01-10', scope, [
      { householdId: '101', choice: 'agree' },
      { householdId: '102', choice: 'agree' },
      { householdId: '201', choice: 'agree' },
      { householdId: '202', choice: 'agree' },
      { householdId: '301', choice: 'disagree' },
    ]);
    expect(tally.scope).toEqual({ units: 6, owners: 4, area: m2('360.00') });
    expect(tally.participating).toEqual({ units: 5, owners: 3, area: m2('300.00') });
    expect(tally.agreeing).toEqual({ units: 4, owners: 2, area: m2('240.00') });
    // 2 of 3 owners agree (< ¾) although 4 of 5 units do: the heads are owners, not units.
    expect(tally.approval.owners.display).toBe('2/3');
    expect(tally.passed).toBe(false);
  });

  it('counts the area of the units A cast a ballot for', () => {
    const tally = tallyVote('fund_use', '2023-01-10', scope, [
      { householdId: '101', choice: 'agree' },
      { householdId: '202', choice: 'agree' },
      { householdId: '301', choice: 'agree' },
    ]);
    expect(tally.participating).toEqual({ units: 3, owners: 3, area: m2('180.00') });
  });

  it('owner-ballots-disagree: one owner cannot vote both ways', () => {
    expect(() =>
      tallyVote('fund_use', '2023-01-10', scope, [
        { householdId: '101', choice: 'agree' },
        { householdId: '202', choice: 'agree' },
        { householdId: '201', choice: 'disagree' },
      ]),
    ).toThrow(expect.objectContaining({ code: 'owner-ballots-disagree', status: 422, field: 'ballots[2].choice' }));
  });
});

describe('refusals, each with its code', () => {
  const scope = stairwell(repeat(3, '60.00'));
  const refuses = (run: () => unknown, code: string, status: number, field?: string) =>
    expect(run).toThrow(expect.objectContaining({ code, status, ...(field ? { field } : {}) }));

  it('vote-scope-empty', () => {
    refuses(() => tallyVote('fund_use', '2023-01-10', [], []), 'vote-scope-empty', 422, 'scope');
  });

  it.each([
    ['ballot-outside-scope', 422, 'u99', 'a household outside the scope'],
    ['ballot-duplicate', 400, 'u01', 'a household that already voted'],
  ] as const)('%s: the second ballot names %s (%s)', (code, status, second, _why) => {
    const cast: Ballot[] = [
      { householdId: 'u01', choice: 'agree' },
      { householdId: second, choice: 'agree' },
    ];
    refuses(() => tallyVote('fund_use', '2023-01-10', scope, cast), code, status, 'ballots[1].householdId');
  });

  it('invalid-field for a matter or choice of no known kind, invalid-date for heldOn', () => {
    refuses(() => tallyVote('fund_misuse' as VoteMatter, '2023-01-10', scope, []), 'invalid-field', 400, 'matter');
    refuses(
      () => tallyVote('fund_use', '2023-01-10', scope, [{ householdId: 'u01', choice: 'maybe' as BallotChoice }]),
      'invalid-field',
      400,
      'ballots[0].choice',
    );
    refuses(() => tallyVote('fund_use', '2023-02-30', scope, []), 'invalid-date', 400, 'heldOn');
  });

  it('votingArea: the exclusive area where registered, else the building area', () => {
    expect(votingArea({ buildingArea: 7000n, exclusiveArea: 5800n })).toBe(5800n);
    expect(votingArea({ buildingArea: 7000n })).toBe(7000n);
  });
});

describe('for any vote (fast-check, seeded)', () => {
  /** Up to 40 units among up to 12 owners; each owner casts one choice (or stays away) for some of their units. */
  const voteArb = fc
    .record({
      units: fc.array(
        fc.record({ owner: fc.integer({ min: 0, max: 11 }), area: fc.integer({ min: 1, max: 20_000 }) }),
        {
          minLength: 1,
          maxLength: 40,
        },
      ),
      choices: fc.array(fc.constantFrom<BallotChoice | null>('agree', 'disagree', 'abstain', null), {
        minLength: 12,
        maxLength: 12,
      }),
      skips: fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
      matter: fc.constantFrom(...VOTE_MATTERS),
      heldOn: fc.constantFrom('2015-06-01', '2020-12-31', '2021-01-01', '2024-09-30'),
    })
    .map(({ units, choices, skips, matter, heldOn }) => {
      const scope: Voter[] = units.map((u, i) => ({
        householdId: `h${i}`,
        ownerKey: `o${u.owner}`,
        area: BigInt(u.area),
      }));
      const cast = (cs: (BallotChoice | null)[]): Ballot[] =>
        units.flatMap((u, i) => {
          const choice = cs[u.owner];
          return choice && !skips[i] ? [{ householdId: `h${i}`, choice }] : [];
        });
      return { scope, choices, cast, matter, heldOn };
    });

  it('passing is monotone: turning an owner from disagree to agree never makes a passing vote fail', () => {
    fc.assert(
      fc.property(voteArb, fc.integer({ min: 0, max: 11 }), ({ scope, choices, cast, matter, heldOn }, owner) => {
        fc.pre(choices[owner] === 'disagree');
        const before = tallyVote(matter, heldOn, scope, cast(choices));
        const turned = choices.map((c, i) => (i === owner ? 'agree' : c));
        const after = tallyVote(matter, heldOn, scope, cast(turned));
        if (before.passed) expect(after.passed).toBe(true);
        expect(after.agreeing.area >= before.agreeing.area).toBe(true);
        expect(after.participating).toEqual(before.participating);
      }),
      { seed: 278, numRuns: 1000 },
    );
  });

  it('agreeing ⊆ participating ⊆ scope, and the verdict is the fractions against the bounds', () => {
    fc.assert(
      fc.property(voteArb, ({ scope, choices, cast, matter, heldOn }) => {
        const t = tallyVote(matter, heldOn, scope, cast(choices));
        for (const k of ['units', 'owners', 'area'] as const) {
          expect(t.agreeing[k] <= t.participating[k]).toBe(true);
          expect(t.participating[k] <= t.scope[k]).toBe(true);
        }
        // Recomputed with plain cross-multiplication, independently of the module's helpers.
        const meets = (num: bigint, den: bigint, b: { num: bigint; den: bigint; inclusive: boolean }) =>
          den > 0n && (b.inclusive ? num * b.den >= b.num * den : num * b.den > b.num * den);
        const q = t.quorum.required;
        const quorum =
          q === null ||
          (meets(t.quorum.area.num, t.quorum.area.den, q.area) &&
            meets(t.quorum.owners.num, t.quorum.owners.den, q.owners));
        const r = t.approval.required;
        const approval =
          meets(t.approval.area.num, t.approval.area.den, r.area) &&
          meets(t.approval.owners.num, t.approval.owners.den, r.owners);
        expect(t.passed).toBe(quorum && approval);
        expect(t.rule.ruleId).toBe(heldOn < '2021-01-01' ? 'property-law-76' : 'civil-code-278');
      }),
      { seed: 76, numRuns: 1000 },
    );
  });
});
