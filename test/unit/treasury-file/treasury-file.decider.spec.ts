/**
 * The treasury stream's rules: a file's lines are imported once each, known by their 支付凭证号
 * (a repeat, from an earlier file or higher in the same one, is skipped and its row listed); a
 * file with nothing new, an empty file, and a line with a bad amount, date or no voucher are
 * refused (the last naming its row), so nothing is written.
 */
import { RecordMatch } from '../../../src/bank-account/bank-account.commands';
import { treasuryFileDecider } from '../../../src/treasury-file/treasury-file.decider';
import {
  TreasuryFileEvent,
  TreasuryFileEventType as T,
  treasuryFileEvents,
} from '../../../src/treasury-file/treasury-file.events';
import { TreasuryFileErrors as E } from '../../../src/treasury-file/treasury-file.errors';
import { ParsedTreasuryLine } from '../../../src/treasury-file/treasury-payment-file';
import { DomainError } from '../../../src/shared/domain/domain-error';
import { deciderSpec } from '../../support/given';

const given = deciderSpec(treasuryFileDecider);

const line = (row: number, over: Partial<ParsedTreasuryLine> = {}): ParsedTreasuryLine => ({
  row,
  voucher: `ZF${row}`,
  docNo: '渝财建〔2022〕88号',
  payee: '重庆某建设工程有限公司',
  amount: '100.00',
  paidOn: '2022-04-15',
  functionCode: '2120303',
  ...over,
});
const importing = (lines: ParsedTreasuryLine[]) => ({
  type: 'ImportTreasuryFile' as const,
  fileHash: 'f'.repeat(64),
  format: 'csv-gb18030' as const,
  lines,
});
const imported = (lines: ParsedTreasuryLine[], firstId: number, duplicateRows: number[] = []): TreasuryFileEvent => ({
  type: T.imported,
  data: {
    fileHash: 'f'.repeat(64),
    format: 'csv-gb18030',
    lines: lines.map((l, i) => ({ lineId: `T${firstId + i}`, ...l })),
    duplicateRows,
  },
});

describe('importing a treasury payment file', () => {
  it('writes one event with every line, ids in import order', () => {
    given()
      .when(importing([line(2), line(3)]))
      .then(imported([line(2), line(3)], 1));
  });

  it('skips a line whose 支付凭证号 was imported before, or appears higher in the file, and lists its row', () => {
    given(imported([line(2)], 1))
      .when(importing([line(2), line(3), line(4, { voucher: 'ZF3', amount: '7.00' })]))
      .then(imported([line(3)], 2, [2, 4]));
  });

  it('refuses a file whose every line was imported before: nothing to write', () => {
    given(imported([line(2), line(3)], 1))
      .when(importing([line(3), line(2)]))
      .thenThrows('treasury-file-already-imported', 'file');
  });

  it('refuses an empty file', () => {
    given().when(importing([])).thenThrows('treasury-file-empty', 'file');
  });

  it('refuses a bad amount naming its row, and writes nothing of the good lines', () => {
    let thrown: unknown;
    try {
      treasuryFileDecider.decide(importing([line(2), line(3, { amount: '0.00' })]), treasuryFileDecider.initialState());
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect(thrown).toMatchObject({ code: 'treasury-file-line-invalid', field: 'file' });
    expect((thrown as DomainError).message).toMatch(/^row 3: 金额 "0\.00"/);
    given()
      .when(importing([line(2, { amount: '1,000.00' })]))
      .thenThrows('treasury-file-line-invalid');
  });

  it('refuses a line without a voucher or with an impossible date', () => {
    given()
      .when(importing([line(2, { voucher: '' })]))
      .thenThrows('treasury-file-line-invalid');
    given()
      .when(importing([line(2, { paidOn: '2022-02-30' })]))
      .thenThrows('invalid-date');
  });

  it('reads back what it writes', () => {
    const e = imported([line(2)], 1);
    expect(treasuryFileEvents.parse({ type: e.type, data: e.data as unknown as Record<string, unknown> })).toEqual(e);
  });
});

describe('the stable error codes of treasury files', () => {
  const published: Array<[error: DomainError, code: string, status: number]> = [
    [E.empty(), 'treasury-file-empty', 422],
    [E.nothingNew(), 'treasury-file-already-imported', 409],
    [E.unreadable('x'), 'treasury-file-unreadable', 422],
    [E.headersNotFound(), 'treasury-file-headers-not-found', 422],
    [E.badLine(7, 'x'), 'treasury-file-line-invalid', 422],
  ];
  it.each(published)('%p is %s (%s)', (error, code, status) => {
    expect({ code: error.code, status: error.status, field: error.field }).toEqual({ code, status, field: 'file' });
  });
});

/**
 * A treasury file's lines take the finance user's decisions as a statement's do (issue 18 points
 * 3 and 5): the same rules (src/bank-account/match-decisions.ts), recorded on the treasury stream.
 */
describe('matching decisions on treasury lines', () => {
  const history = () => [imported([line(2), line(3)], 1)];
  const match = (over: Partial<RecordMatch> = {}): RecordMatch => ({
    type: 'RecordMatch',
    matchId: 'GM1',
    decision: 'manual',
    lineIds: ['T1', 'T2'],
    entries: [{ projectId: 'TN-1', entryId: 'TP1' }],
    reason: '两张支付凭证合并支付一笔',
    decidedOn: '2022-05-01',
    ...over,
  });

  it('records a manual match with its reason as treasury-line-matched.v1, and holds its lines', () => {
    // The event's data is the decision as posted, less the command's type.
    const { type, lineIds, entries, ...rest } = match();
    expect(type).toBe('RecordMatch');
    const decided = { ...rest, lineIds: [...lineIds], entries: [...entries] };
    given(...history())
      .when(match())
      .then({ type: T.lineMatched, data: decided });
    given(...history())
      .when(match())
      .thenState((s) => expect([s.matchedLines.get('T2'), s.matchedEntries.get('TN-1/TP1')]).toEqual(['GM1', 'GM1']));
  });

  it('refuses as a statement does: no reason, an unknown line, a line another match holds, an id twice', () => {
    given(...history())
      .when(match({ decision: 'rejected', reason: undefined }))
      .thenThrows('match-reason-required', 'reason');
    given(...history())
      .when(match({ lineIds: ['T9'] }))
      .thenThrows('statement-line-not-found', 'lineIds');
    const first = treasuryFileDecider.decide(match(), fold(history()));
    given(...history(), ...first)
      .when(match())
      .thenThrows('match-id-exists', 'matchId');
    given(...history(), ...first)
      .when(
        match({
          matchId: 'GM2',
          decision: 'confirmed',
          lineIds: ['T2'],
          entries: [{ projectId: 'TN-1', entryId: 'TP2' }],
        }),
      )
      .thenThrows('statement-line-already-matched', 'lineIds');
  });

  it('parses the event as written', () => {
    const [e] = treasuryFileDecider.decide(match(), fold(history()));
    expect(treasuryFileEvents.parse({ type: e.type, data: e.data as unknown as Record<string, unknown> })).toEqual(e);
  });
});

function fold(events: TreasuryFileEvent[]) {
  return events.reduce(treasuryFileDecider.evolve, treasuryFileDecider.initialState());
}
