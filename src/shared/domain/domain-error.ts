/** The dated policy rule a refusal applies (see src/policy): its id and where it comes from. */
export interface RuleReference {
  ruleId: string;
  citation: string;
}

/**
 * A broken rule. `code` is stable (clients and tests match on it); `status` is the HTTP status
 * the one error filter maps it to; `field` names the offending input when there is one; `rule`
 * names the policy rule (src/policy) when the refusal applies one; `personal` lists the values in
 * the message that are personal data (household ids: src/events/personal-fields.ts), which the
 * filter masks for a caller who may not see them.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: 400 | 401 | 403 | 404 | 409 | 412 | 413 | 422 | 429 | 503 = 422,
    readonly field?: string,
    readonly rule?: RuleReference,
    readonly personal?: readonly string[],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Asserts an invariant the code relies on (TIGER_STYLE): a failure is a bug, not bad input. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`invariant violated: ${message}`);
}

/**
 * Ends a switch over a union (event types, command types): `default: return assertNever(event)`.
 * The compiler refuses the call while a member is unhandled; at run time it means a value outside
 * the union got past the parser that should have refused it, which is a bug.
 */
export function assertNever(value: never, what = 'value'): never {
  const type = (value as { type?: unknown } | null)?.type;
  throw new Error(`invariant violated: unhandled ${what}${typeof type === 'string' ? ` of type ${type}` : ''}`);
}
