/**
 * A finance user's matching decisions (confirmed, rejected, manual), as a bank account's stream
 * and the treasury's stream both record them: the same rules, the same event data, the same
 * state, so the treasury's payment file "imports and matches like a bank statement" (issue 18
 * point 5). The reconciliation (reconciliation.ts) replays the decisions recorded.
 */
import { KeyedMap } from '../shared/domain/keyed-collections';
import { checkDate, checkId, checkText } from '../shared/domain/input-rules';
import { RecordMatch } from './bank-account.commands';
import { BankAccountErrors as E } from './bank-account.errors';
import { MATCH_DECISIONS, MatchDecisionData } from './bank-account.events';

/** The decisions recorded on a stream, and which lines and entries a confirmed or manual one holds. */
export interface MatchBook<R extends MatchDecisionData = MatchDecisionData> {
  matches: KeyedMap<Readonly<R>>;
  /** lineId → the confirmed or manual match that holds it. */
  matchedLines: KeyedMap<string>;
  /** `${projectId}/${entryId}` → the confirmed or manual match that holds it. */
  matchedEntries: KeyedMap<string>;
}

export function emptyMatchBook<R extends MatchDecisionData>(): MatchBook<R> {
  return { matches: KeyedMap.empty(), matchedLines: KeyedMap.empty(), matchedEntries: KeyedMap.empty() };
}

/**
 * A decision checked against the book: a new id, a known decision and date, at least one line
 * (`hasLine`: imported on this stream) and one entry, a reason unless confirmed, and no line or
 * entry that a confirmed or manual match holds already (a rejection may name them). Whether the
 * entries exist is another stream's, checked by the caller.
 */
export function decideMatch(c: RecordMatch, book: MatchBook, hasLine: (lineId: string) => boolean): MatchDecisionData {
  checkId('matchId', c.matchId);
  if (book.matches.has(c.matchId)) throw E.matchExists(c.matchId);
  if (!(MATCH_DECISIONS as readonly string[]).includes(c.decision)) throw E.invalidDecision(String(c.decision));
  checkDate('decidedOn', c.decidedOn);
  if (c.lineIds.length === 0) throw E.linesRequired();
  if (c.entries.length === 0) throw E.entriesRequired();
  if (c.decision !== 'confirmed' && c.reason === undefined) throw E.reasonRequired(c.decision);
  if (c.reason !== undefined) checkText('reason', c.reason);
  for (const lineId of c.lineIds) {
    if (!hasLine(lineId)) throw E.lineNotFound(lineId);
    const holder = book.matchedLines.get(lineId);
    if (c.decision !== 'rejected' && holder !== undefined) throw E.lineAlreadyMatched(lineId, holder);
  }
  for (const { projectId, entryId } of c.entries) {
    checkId('entries.projectId', projectId);
    checkId('entries.entryId', entryId);
    const holder = book.matchedEntries.get(`${projectId}/${entryId}`);
    if (c.decision !== 'rejected' && holder !== undefined) throw E.entryAlreadyMatched(entryId, holder);
  }
  return {
    matchId: c.matchId,
    decision: c.decision,
    lineIds: [...c.lineIds],
    entries: c.entries.map(({ projectId, entryId }) => ({ projectId, entryId })),
    ...(c.reason !== undefined ? { reason: c.reason } : {}),
    decidedOn: c.decidedOn,
  };
}

/** The book with a recorded decision (evolve's part: decideMatch guaranteed it fits). */
export function bookMatch<R extends MatchDecisionData>(book: MatchBook<R>, d: R): MatchBook<R> {
  let { matchedLines, matchedEntries } = book;
  if (d.decision !== 'rejected') {
    for (const lineId of d.lineIds) matchedLines = matchedLines.set(lineId, d.matchId);
    for (const r of d.entries) matchedEntries = matchedEntries.set(`${r.projectId}/${r.entryId}`, d.matchId);
  }
  return { matches: book.matches.set(d.matchId, d), matchedLines, matchedEntries };
}
