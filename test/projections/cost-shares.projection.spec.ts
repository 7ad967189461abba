/**
 * The cost-sharing read model (issue 15, point 6): per plan and household, the weight, the share
 * and what each residents' channel paid, net of reversals (and of undone reversals), with the
 * household's room as corrected since. Rules checked: it equals what the project decider's own
 * fold holds, account by account, after payments by every channel, reversals, undone reversals
 * and a correction; a lump receipt pays no share; applying events twice changes nothing
 * (idempotent by global position); the funding mix still counts the household's payments as
 * receipts of their source; the sources report's checks (every plan's shares sum to its amount, no
 * household paid beyond its share) hold on it and fail when it is broken.
 */
import Database from 'better-sqlite3';
import { ledgerEvents } from '../../src/events/ledger-events';
import { ProjectState, projectDecider } from '../../src/project/project.decider';
import { ProjectEvent } from '../../src/project/project.events';
import { fold } from '../../src/shared/domain/decider';
import { formatArea } from '../../src/shared/domain/input-rules';
import { parseRecord } from '../../src/shared/events/parsed-record';
import { takes } from '../../src/shared/projection/projection-definition';
import { costSharesProjection } from '../../projections/cost-shares/cost-shares.projection';
import {
  readCostShareAccounts,
  readCostSharePlan,
  readOverpaidAccounts,
  readPlanTotals,
} from '../../projections/cost-shares/cost-shares.query';
import { fundingMixFromEvents } from '../../projections/funding-mix/funding-mix.query';
import { PROJECTIONS } from '../../src/projection-runner/read-models';
import { readSourceLedgerData, sourcesReport } from '../../src/reports/source-reports';
import { PROJECT_ID, receive, reverse } from '../support/project-fixtures';
import { storedAt } from '../support/recorded-events';
import {
  adoptPlan,
  correctHousehold,
  household,
  payShare,
  recordVote,
  registerHouseholds,
  withDecided,
  withElevatorPlan,
} from '../support/resident-fixtures';

/** The elevator plan, then a roof plan over building 5, payments by every channel, corrections and reversals. */
function history(): ProjectEvent[] {
  const building5 = ['101', '201', '301'].map((room, i) =>
    household(room, {
      householdId: `H-5-1-${room}`,
      building: '5',
      unit: '1',
      buildingArea: ['55.30', '72.10', '88.60'][i],
      exclusiveArea: i === 0 ? '45.00' : undefined,
    }),
  );
  return withDecided(
    withElevatorPlan(),
    registerHouseholds(building5),
    recordVote({
      voteId: 'V-FUND',
      matter: 'fund_use',
      scope: { all: true },
      heldOn: '2021-11-01',
      ballots: [...building5, ...['301', '302', '401', '402', '501', '502', '601', '602'].map((r) => household(r))].map(
        (h) => ({ householdId: h.householdId, choice: 'agree' }),
      ),
    }),
    adoptPlan({
      planId: 'PLAN-ROOF-5',
      lineIds: ['B1-roof'],
      amount: '100000.00',
      scope: { building: '5' },
      key: { kind: 'building_area' },
      voteId: undefined,
    }),
    payShare('601', { amount: '20000.00' }),
    payShare('601', { receiptId: 'R-601-G', source: 'provident_fund', amount: '30000.00' }),
    payShare('601', {
      receiptId: 'R-601-M',
      source: 'maintenance_fund',
      amount: '5000.00',
      voteId: 'V-FUND',
    }),
    payShare('602', { amount: '58823.53' }),
    receive({
      receiptId: 'R-LUMP',
      source: 'resident_direct',
      amount: '999.00',
      details: { householdId: 'H-3-2-501' },
    }),
    reverse({ reversalId: 'X-602', entryId: 'R-602', amount: '823.53' }),
    reverse({ reversalId: 'X-LUMP', entryId: 'R-LUMP', amount: '99.00' }),
    { ...reverse({ reversalId: 'X-UNDO', entryId: 'X-602', amount: '23.53' }), reversedOn: '2022-01-05' },
    payShare('101', {
      receiptId: 'R-5-101',
      amount: '25601.85',
      details: { householdId: 'H-5-1-101' },
      planId: 'PLAN-ROOF-5',
    }),
    correctHousehold({ householdId: 'H-3-2-601', buildingArea: '61.50', room: '601A', reason: '门牌更正' }),
  );
}

/** The history as projections take it: stored at positions 1, 2, … and parsed by the ledger's registry. */
const records = (events: ProjectEvent[]) =>
  events.map((e, i) => parseRecord(ledgerEvents, storedAt(BigInt(i + 1), `project-${PROJECT_ID}`, e.type, e.data)));

function projected(events: ProjectEvent[], times = 1): Database.Database {
  const db = new Database(':memory:');
  db.defaultSafeIntegers(true);
  db.exec(costSharesProjection.schema);
  const parsed = records(events);
  for (let t = 0; t < times; t++)
    for (const r of parsed) if (takes(costSharesProjection, r)) costSharesProjection.apply(db, r);
  return db;
}

/** Each account as the decider's fold holds it (with its household's room and areas now). */
function folded(state: ProjectState, planId: string) {
  return [...state.shares.values()]
    .filter((a) => a.planId === planId)
    .map((a) => {
      const h = state.register.get(a.householdId)!;
      return {
        householdId: a.householdId,
        building: h.building,
        unit: h.unit,
        floor: h.floor,
        room: h.room,
        buildingArea: formatArea(h.buildingAreaH),
        exclusiveArea: h.exclusiveAreaH === undefined ? null : formatArea(h.exclusiveAreaH),
        shareFen: a.shareFen,
        paidFen: a.paidFen,
      };
    })
    .sort((a, b) => (a.householdId < b.householdId ? -1 : 1));
}

describe('cost-shares projection', () => {
  it('holds every account as the decider does: share, paid by channel net of reversals, the room as corrected', () => {
    const events = history();
    const state = fold(projectDecider, events);
    const db = projected(events);
    for (const planId of ['PLAN-ELEVATOR', 'PLAN-ROOF-5']) {
      const accounts = readCostShareAccounts(db, PROJECT_ID, planId).map(({ weight: _w, ...rest }) => rest);
      expect(accounts).toEqual(folded(state, planId));
    }
    const elevator = readCostShareAccounts(db, PROJECT_ID, 'PLAN-ELEVATOR');
    expect(elevator.find((a) => a.householdId === 'H-3-2-601')).toMatchObject({
      room: '601A',
      buildingArea: '61.50',
      weight: '60',
      shareFen: 5_882_353n,
      paidFen: { resident_direct: 2_000_000n, provident_fund: 3_000_000n, maintenance_fund: 500_000n },
    });
    // 58,823.53 paid, 823.53 reversed, 23.53 of that given back.
    expect(elevator.find((a) => a.householdId === 'H-3-2-602')?.paidFen.resident_direct).toBe(5_802_353n);
    // The lump receipt of 501 pays no share.
    expect(elevator.find((a) => a.householdId === 'H-3-2-501')?.paidFen.resident_direct).toBe(0n);
  });

  it('keeps the plan as adopted: lines, amount, scope, key, vote', () => {
    const db = projected(history());
    expect(readCostSharePlan(db, PROJECT_ID, 'PLAN-ELEVATOR')).toMatchObject({
      lineIds: ['I1-elevator'],
      amountFen: 40_000_000n,
      scope: { building: '3', unit: '2', householdIds: expect.arrayContaining(['H-3-2-101', 'H-3-2-602']) },
      key: { kind: 'floor_coefficient', basis: 'building_area' },
      voteId: 'V-ELEVATOR',
    });
    expect(readCostSharePlan(db, PROJECT_ID, 'PLAN-NONE')).toBeNull();
    expect(readCostSharePlan(db, 'OTHER', 'PLAN-ELEVATOR')).toBeNull();
  });

  it('the same events applied twice give the same rows', () => {
    const rows = (db: Database.Database) =>
      costSharesProjection.tables.map((t) => db.prepare(`SELECT * FROM ${t}`).all());
    expect(rows(projected(history(), 2))).toEqual(rows(projected(history(), 1)));
  });

  it('sums every plan to its amount, and finds no household paid beyond its share', () => {
    const db = projected(history());
    expect(readPlanTotals(db)).toEqual([
      {
        projectId: PROJECT_ID,
        planId: 'PLAN-ELEVATOR',
        amountFen: 40_000_000n,
        sharesFen: 40_000_000n,
        households: 12,
      },
      { projectId: PROJECT_ID, planId: 'PLAN-ROOF-5', amountFen: 10_000_000n, sharesFen: 10_000_000n, households: 3 },
    ]);
    expect(readOverpaidAccounts(db)).toEqual([]);
  });

  // The sources report's conservation checks (src/reports/source-reports.ts) over these rows.
  it("the sources report's checks hold on them, and fail on a plan whose shares drift or a household paid beyond its share", () => {
    const db = new Database(':memory:');
    db.defaultSafeIntegers(true);
    for (const p of PROJECTIONS) db.exec(p.schema);
    for (const r of records(history())) for (const p of PROJECTIONS) if (takes(p, r)) p.apply(db, r);
    const check = (name: string) => sourcesReport(readSourceLedgerData(db, null)).checks.find((c) => c.name === name);
    expect(check('plan-shares-sum-to-amount')).toEqual({
      name: 'plan-shares-sum-to-amount',
      holds: true,
      figures: { amounts: '500000.00', shares: '500000.00' },
      difference: '0.00',
    });
    expect(check('no-household-paid-beyond-share')).toEqual({
      name: 'no-household-paid-beyond-share',
      holds: true,
      figures: { shares: '500000.00', paid: '138625.38' },
      difference: '0.00',
    });
    db.prepare("UPDATE cost_share_accounts SET share_fen = share_fen - 1 WHERE household_id = 'H-5-1-201'").run();
    db.prepare(
      "UPDATE cost_share_accounts SET paid_provident_fen = paid_provident_fen + 3000000 WHERE household_id = 'H-3-2-601'",
    ).run();
    expect(check('plan-shares-sum-to-amount')).toMatchObject({
      holds: false,
      differences: [{ projectId: PROJECT_ID, planId: 'PLAN-ROOF-5', amount: '100000.00', shares: '99999.99' }],
      difference: '0.01',
    });
    // 601 now holds 85,000.00 against its 58,823.53: named by plan, not by household (no personal data).
    expect(check('no-household-paid-beyond-share')).toMatchObject({
      holds: false,
      differences: [{ projectId: PROJECT_ID, planId: 'PLAN-ELEVATOR', households: '1', beyond: '26176.47' }],
      difference: '26176.47',
    });
  });

  it('leaves the funding mix as it was: a share paid is a receipt of its source', () => {
    const mix = fundingMixFromEvents(PROJECT_ID, records(history()));
    expect(mix.sources.map((s) => [s.source, s.received])).toEqual([
      ['resident_direct', '104525.38'],
      ['maintenance_fund', '5000.00'],
      ['provident_fund', '30000.00'],
    ]);
  });
});
