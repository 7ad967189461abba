/**
 * Days and money for the demo generator: a day is a whole number of days since 1970-01-01 (UTC),
 * money is integer fen (bigint) and leaves as a two-decimal string (formatFen).
 */

const DAY_MS = 86_400_000;

export function dayOf(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / DAY_MS;
}
export function isoOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}
export function yearOf(day: number): number {
  return Number(isoOf(day).slice(0, 4));
}

/** Business dates of the demo stay inside 2021-2023. */
export const DEMO_FIRST_DAY = '2021-01-04';
export const DEMO_LAST_DAY = '2023-12-29';
export const FIRST = dayOf(DEMO_FIRST_DAY);
export const LAST = dayOf(DEMO_LAST_DAY);

export const YUAN = 100n;
export const HUNDRED_YUAN = 100_00n;
export const WAN_YUAN = 10_000_00n;
export const BP_WHOLE = 10_000n;

export function floorTo(fen: bigint, unit: bigint): bigint {
  return fen - (fen % unit);
}
export function ceilTo(fen: bigint, unit: bigint): bigint {
  return fen % unit === 0n ? fen : fen + unit - (fen % unit);
}
export function percentOf(fen: bigint, percent: number, unit: bigint): bigint {
  return floorTo((fen * BigInt(percent)) / 100n, unit);
}
export function minFen(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
export function maxFen(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
export function yuan(n: number): bigint {
  return BigInt(n) * YUAN;
}

/** A payment's voucher until the whole district is dated and vouchers are numbered in date order: this, then the voucher's kind. */
export const VOUCHER_PENDING = '\u0000voucher:';

export type DemoRole = 'housing' | 'finance' | 'clerk';

export interface DemoRequest {
  method: 'POST';
  path: string;
  body: Record<string, unknown>;
  role: DemoRole;
  /** The project whose stream the request writes; '' for issuing a fund batch, which writes the batch's only. */
  projectId: string;
  /** A request on a fund batch (issuing it, allocating it, reversing an allocation): the batch. */
  batchId?: string;
  /** Unique in the district and stable for a seed: a re-sent request is recognised, not repeated. */
  idempotencyKey: string;
}

export type DemoDifferenceKind = 'statementOnly' | 'amountMismatch' | 'fileOnly';

/** A difference planted between the ledger and the bank (or the treasury), for the reconciliation to find. */
export interface DemoReconciliationDifference {
  kind: DemoDifferenceKind;
  /** The bank account whose statement holds it; null for the treasury payment file. */
  accountId: string | null;
  /** The statement line's (or the treasury file line's) date, amount and 流水号 (支付凭证号). */
  date: string;
  amount: string;
  serial: string;
  /** For an amount keyed wrong: the ledger's entry and the amount it was booked with. */
  projectId?: string;
  entryId?: string;
  ledgerAmount?: string;
  what: string;
}
