/**
 * How the pages write figures: money as the API gives it (a decimal string, never a JS number, so
 * not a fen is lost) with thousands separators and two decimals; dates as YYYY-MM-DD.
 */
export function yuan(amount: string | null | undefined): string {
  if (amount === null || amount === undefined || amount === '') return '—';
  const negative = amount.startsWith('-');
  const [whole, fraction = ''] = (negative ? amount.slice(1) : amount).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}.${(fraction + '00').slice(0, 2)}`;
}

/** A percent as the API gives it ("12.34", or null where the divisor is zero). */
export function percent(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  return `${value}%`;
}

/** A whole count with thousands separators. */
export function count(value: number | string | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** An area in m² as the API gives it (a decimal string): thousands separators, two decimals, as money. */
export const area = yuan;

/**
 * A vote's figure over its whole as the ledger writes it ("3079.42/3366.57" m², "8/12" heads),
 * each side with thousands separators: 3,079.42/3,366.57.
 */
export function fraction(display: string): string {
  return display
    .split('/')
    .map((side) => (side.includes('.') ? yuan(side) : count(side)))
    .join('/');
}

/** YYYY-MM-DD of a date or an ISO timestamp (the ledger's business dates already are). */
export function day(value: string | null | undefined): string {
  if (!value) return '—';
  return value.slice(0, 10);
}

/** An ISO timestamp as YYYY-MM-DD HH:MM:SS (UTC, as recorded). */
export function moment(value: string | null | undefined): string {
  if (!value) return '—';
  return value.replace('T', ' ').slice(0, 19);
}

/** Today in the reader's calendar, as YYYY-MM-DD. */
export function today(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
