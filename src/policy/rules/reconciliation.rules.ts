import { PolicyRule } from '../policy-rule';
import { LEDGER_FIRST_DAY, localSource } from './sources';

export const RECONCILIATION_FAMILIES = {
  matchWindow: 'reconciliation-match-window',
} as const;

/** How far apart a statement line's date and a ledger entry's may be for them to match by amount and counterparty. */
export interface MatchWindowSettings {
  days: number;
}

/**
 * 对账 (domain.md §6): the ledger proposes a match by amount, date and counterparty when the
 * bank's date and the book's are a few days apart (a receipt booked on the day of the 到账通知,
 * credited by the bank the next working day; a payment booked when the voucher is signed, debited
 * when the bank executes it). No document fixes the number of days.
 */
export const RECONCILIATION_RULES: readonly PolicyRule[] = [
  {
    ruleId: 'reconciliation-match-window-3-days',
    family: RECONCILIATION_FAMILIES.matchWindow,
    title: {
      zh: '银行对账自动勾对：金额相同、对方相同、日期相差不超过 3 天',
      en: 'Bank reconciliation: same amount and counterparty, dates at most 3 days apart',
    },
    source: localSource('docs/reconciliation.md, "Matching"'),
    effectiveFrom: LEDGER_FIRST_DAY,
    settings: { days: 3 } satisfies MatchWindowSettings,
    silence:
      'Neither the seed nor the finance rules the ledger holds set a window: 3 days covers a weekend between booking and the bank, and a match the window misses is made by hand with its reason.',
  },
];
