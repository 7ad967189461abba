/**
 * The sums the API does not give (a line's payments, the cash and in-kind parts of the funding
 * mix), added in fen as BigInt: money never becomes a JS number.
 */

/** "1234.5" → 123450n: the API's money (and its percents) have at most two decimals. */
export function fenOf(amount: string): bigint {
  const negative = amount.startsWith('-');
  const [whole, fraction = ''] = (negative ? amount.slice(1) : amount).split('.');
  const fen = BigInt(whole || '0') * 100n + BigInt((fraction + '00').slice(0, 2));
  return negative ? -fen : fen;
}

/** 123450n → "1234.50", the API's form, for format.ts to show. */
export function decimalOfFen(fen: bigint): string {
  const negative = fen < 0n;
  const abs = negative ? -fen : fen;
  return `${negative ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/** The sum of decimal strings with two decimals, as one. */
export function sumOf(values: string[]): string {
  return decimalOfFen(values.reduce((total, v) => total + fenOf(v), 0n));
}
