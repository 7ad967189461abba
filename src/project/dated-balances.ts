import { assert } from '../shared/domain/domain-error';
import { KeyedMap } from '../shared/domain/keyed-collections';
import { Fen } from '../shared/money/money';

/**
 * Balances by business date, for the rules that must hold on every date and not only today.
 *
 * A ledger takes entries in the order they are recorded, not the order of their dates: a receipt
 * of March may be recorded after a payment of May. The as-of view (`?asOf=`) shows, for any date,
 * only what was dated on or before it, so a payment must be covered not just by today's balance
 * but on its own date and on every date after it (a later payment may already have used the money
 * it would need then). The question a decision asks is therefore "the lowest balance on any date
 * from D on", and the answer must not cost a walk over every entry of a long stream.
 *
 * Each account (a source's money on a project, an allocation, a pledge, ...) is a sum of dated
 * changes, kept as a 64-ary tree over day numbers, four levels deep (64⁴ days cover the years
 * 0000-9999 that a YYYY-MM-DD date can name). A node holds, per child, the child's total and the
 * lowest running balance within it; only children that ever changed are present. A change
 * rewrites the four nodes on its day's path, and the lowest balance from a date reads the same
 * four: the cost is flat in the length of the stream.
 *
 * The nodes live in one KeyedMap of the decider's state (key `${account}@${level}.${index}`), so
 * they are immutable like the rest of the state and a snapshot stores them as rows, read back
 * one node at a time.
 */
export type DatedBalances = KeyedMap<DatedNode>;

/** Per child slot (0-63, in date order): [the child's total change, the lowest running balance within it]. */
export type DatedNode = Readonly<Record<number, readonly [Fen, Fen]>>;

const SLOT_BITS = 6;
const SLOTS = 1 << SLOT_BITS;
const LEVELS = 4;
const DAY_MS = 86_400_000;
/** Day 0 of the tree: 0000-01-01 (proleptic Gregorian, as `Date` counts). */
const FIRST_DAY = Date.parse('0000-01-01T00:00:00Z') / DAY_MS;
/** The earliest date: a change dated here counts on every date (a budget line's estimate has no date). */
export const EVER = '0000-01-01';

export function emptyDatedBalances(): DatedBalances {
  return KeyedMap.empty();
}

/** `balances` with `fen` added to `account` from `date` on (a negative `fen` takes away). */
export function addOn(balances: DatedBalances, account: string, date: string, fen: Fen): DatedBalances {
  if (fen === 0n) return balances;
  const day = dayOf(date);
  let out = balances;
  let summary: readonly [Fen, Fen] | null = null;
  for (let level = LEVELS - 1; level >= 0; level--) {
    const key = nodeKey(account, level, day);
    const node = out.get(key) ?? {};
    const slot = slotOf(level, day);
    let value: readonly [Fen, Fen];
    if (summary === null) {
      const total = (node[slot]?.[0] ?? 0n) + fen;
      value = [total, total];
    } else value = summary;
    const changed: DatedNode = { ...node, [slot]: value };
    out = out.set(key, changed);
    summary = summarise(changed);
  }
  return out;
}

/** The account's balance after every dated change (today's balance, when nothing is dated later). */
export function finalBalance(balances: DatedBalances, account: string): Fen {
  const root = balances.get(nodeKey(account, 0, 0));
  return root ? summarise(root)[0] : 0n;
}

/**
 * The lowest balance of `account` on `date` or any date after it, and the first date it is
 * reached on (the date a refusal names).
 */
export function lowestFrom(balances: DatedBalances, account: string, date: string): { fen: Fen; on: string } {
  const day = dayOf(date);
  const path: DatedNode[] = [];
  for (let level = 0; level < LEVELS; level++) path.push(balances.get(nodeKey(account, level, day)) ?? {});
  // The balance the day starts from: every change in a slot before the day's path, at every level.
  let running = 0n;
  for (let level = 0; level < LEVELS; level++) {
    const here = slotOf(level, day);
    for (const [slot, [total]] of slots(path[level])) if (slot < here) running += total;
  }
  const leaf = path[LEVELS - 1];
  const here = slotOf(LEVELS - 1, day);
  running += leaf[here]?.[0] ?? 0n;
  let lowest = running;
  let lowestAt: { level: number; index: number; within: Fen } = { level: LEVELS, index: day, within: 0n };
  // Then every slot after the path, leaf level first, so dates rise: a slot's lowest point is
  // reached `within` it, starting from the balance before it.
  for (let level = LEVELS - 1; level >= 0; level--) {
    const after = slotOf(level, day);
    for (const [slot, [total, low]] of slots(path[level])) {
      if (slot <= after) continue;
      if (running + low < lowest) {
        lowest = running + low;
        lowestAt = { level: level + 1, index: (indexOf(level, day) << SLOT_BITS) | slot, within: low };
      }
      running += total;
    }
  }
  return { fen: lowest, on: dateOfDay(firstDayReaching(balances, account, lowestAt)) };
}

/** The first day, inside the subtree `at` (a day, at level LEVELS), whose running balance within it is `at.within`. */
function firstDayReaching(
  balances: DatedBalances,
  account: string,
  at: { level: number; index: number; within: Fen },
): number {
  let { level, index, within } = at;
  while (level < LEVELS) {
    const node = balances.get(`${account}@${level}.${index}`) ?? {};
    let running = 0n;
    let next: number | null = null;
    for (const [slot, [total, low]] of slots(node)) {
      if (running + low === within) {
        next = slot;
        within -= running;
        break;
      }
      running += total;
    }
    assert(next !== null, `the lowest balance of ${account} is reached inside the subtree that holds it`);
    index = (index << SLOT_BITS) | next;
    level += 1;
  }
  return index;
}

/**
 * [total, lowest running balance] of a node's days: leading days with no change stand at 0. (A
 * `for...in` over the slots, not `slots()`: every change summarises four nodes, and the arrays
 * `Object.entries` makes were a third of the cost of folding a receipt.)
 */
function summarise(node: DatedNode): readonly [Fen, Fen] {
  let total = 0n;
  let lowest: Fen | null = null;
  const slots: Readonly<Record<string, readonly [Fen, Fen]>> = node;
  for (const slot in slots) {
    const [t, low] = slots[slot];
    if (lowest === null) lowest = slot === '0' ? low : low < 0n ? low : 0n;
    else if (total + low < lowest) lowest = total + low;
    total += t;
  }
  return [total, lowest ?? 0n];
}

/** The present slots of a node, in date order (integer keys of an object iterate in ascending order). */
function slots(node: DatedNode): [number, readonly [Fen, Fen]][] {
  return Object.entries(node).map(([slot, value]) => [Number(slot), value]);
}

function dayOf(date: string): number {
  const day = Date.parse(`${date}T00:00:00Z`) / DAY_MS - FIRST_DAY;
  assert(Number.isInteger(day) && day >= 0 && day < SLOTS ** LEVELS, `${date} is a date the ledger can hold`);
  return day;
}

function dateOfDay(day: number): string {
  return new Date((day + FIRST_DAY) * DAY_MS).toISOString().slice(0, 10);
}

/** Index of the node at `level` on `day`'s path (level 0 is the root). */
function indexOf(level: number, day: number): number {
  return Math.floor(day / SLOTS ** (LEVELS - level));
}

function slotOf(level: number, day: number): number {
  return Math.floor(day / SLOTS ** (LEVELS - 1 - level)) % SLOTS;
}

function nodeKey(account: string, level: number, day: number): string {
  return `${account}@${level}.${indexOf(level, day)}`;
}
