/**
 * A global position as an SQLite column value that orders like the bigint: an INTEGER while it
 * fits 63 bits (every embedded-store position), otherwise fixed-width hex text (EventStoreDB's
 * 128-bit (commit, prepare) packing). One read model is fed by one store, so a column never mixes
 * the two kinds. Rows keep it to skip an event they already took (idempotent by global position).
 */
export function positionKey(position: bigint): bigint | string {
  return position <= MAX_INTEGER_POSITION ? position : position.toString(16).padStart(32, '0');
}
const MAX_INTEGER_POSITION = (1n << 63n) - 1n;
