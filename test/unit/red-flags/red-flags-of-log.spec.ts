/**
 * `renovation-ledger red-flags` computes from the log alone (redFlagsOfLog: the log's pages
 * replayed through the red-flag projection in memory): the same list as the report over the read
 * model, treasury direct payments included.
 */
import { RecordedEvent } from '../../../src/event-store/event-store.port';
import { LedgerEvent } from '../../../src/events/ledger-events';
import { FundBatchEventType, fundBatchStreamId } from '../../../src/fund-batch/fund-batch.events';
import { projectStreamId } from '../../../src/project/project.events';
import { redFlagsOfLog } from '../../../src/cli/red-flags.command';
import {
  BATCH_ID,
  allocationRecorded,
  approved,
  budgeted,
  disbursed,
  received,
  treasuryPaid,
} from '../../support/project-fixtures';
import { allocated, issued } from '../fund-batch/fund-batch-fixtures';
import { RECORDED_AT, reportOf } from '../../support/red-flag-history';
import { storedAt } from '../../support/recorded-events';

const BATCH_TYPES: readonly string[] = Object.values(FundBatchEventType);

/** The history as the store hands it back, one page, positions 1, 2, … */
function pagesOf(history: readonly LedgerEvent[]): AsyncIterable<readonly RecordedEvent[]> {
  const revisions = new Map<string, bigint>();
  const page = history.map((event, i) => {
    const data = event.data as { batchId?: string; projectId?: string };
    const streamId = BATCH_TYPES.includes(event.type)
      ? fundBatchStreamId(data.batchId!)
      : projectStreamId(data.projectId!);
    const revision = revisions.get(streamId) ?? 0n;
    revisions.set(streamId, revision + 1n);
    return { ...storedAt(BigInt(i + 1), streamId, event.type, event.data, RECORDED_AT), revision };
  });
  return (async function* () {
    yield page;
  })();
}

describe('red flags from the log alone', () => {
  it('lists what the report lists, treasury direct payments counted as the projection counts them', async () => {
    const history: LedgerEvent[] = [
      ...budgeted(),
      issued({ source: 'district_matching', issuedOn: '2021-06-01', batchId: BATCH_ID, amount: '1000.00' }),
      allocated({ batchId: BATCH_ID, source: 'district_matching', amount: '1000.00', allocatedOn: '2021-06-10' }),
      allocationRecorded({ amount: '1000.00' }),
      treasuryPaid({ amount: '1200.00', paidOn: '2021-11-20' }),
      approved(),
      received({ receiptId: 'R-OLD', amount: '100.00', receivedOn: '2021-12-10' }),
      disbursed({ amount: '150.00', paidOn: '2021-12-20' }),
      received({ receiptId: 'R-2', amount: '200.00', receivedOn: '2022-01-05', fiscalYear: 2022 }),
    ];
    const referenceDate = '2023-06-30';
    const fromLog = await redFlagsOfLog(pagesOf(history), { asOf: null, knownAt: null }, {}, referenceDate);
    const fromReport = reportOf(history, referenceDate);
    expect(fromLog.flags.map((f) => f.code)).toEqual(['RF-01', 'RF-02', 'RF-02', 'RF-14']);
    expect(fromLog.flags).toEqual(fromReport.flags);
    expect(fromLog.totals).toEqual(fromReport.totals);
  });
});
