import type { Position } from '@eventstore/db-client';

/**
 * EventStoreDB addresses an event in $all by two log offsets, commit and prepare (equal for
 * events appended through gRPC, which commit each event on its own; they differ only inside
 * explicit transactions). The port's position is one bigint, ordered like $all, so the pair is
 * packed as commit·2⁶⁴ + prepare: comparing packed values compares (commit, prepare)
 * lexicographically, and unpacking gives both back exactly, as readAll and subscriptions need.
 * Both offsets are below 2⁶⁴ (unsigned 64-bit on the wire).
 */
const SHIFT = 64n;
const MASK = (1n << SHIFT) - 1n;

export function packPosition(position: Position): bigint {
  if (position.commit < 0n || position.commit > MASK || position.prepare < 0n || position.prepare > MASK) {
    throw new RangeError(`EventStoreDB position out of range: ${position.commit}/${position.prepare}`);
  }
  return (position.commit << SHIFT) | position.prepare;
}

export function unpackPosition(packed: bigint): Position {
  return { commit: packed >> SHIFT, prepare: packed & MASK };
}

/** "commit/prepare", as operators see positions in EventStoreDB's own tools. */
export function describePosition(packed: bigint): string {
  const { commit, prepare } = unpackPosition(packed);
  return `${commit}/${prepare}`;
}
