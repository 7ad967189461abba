/**
 * Refusals several project write routes share, for their OpenAPI answers (each route's `Refuses`):
 * the funding-source sub-fields and the earmark of restricted money (project.decider.ts).
 */
export const SOURCE_DETAIL_REFUSALS = ['sub-field-required', 'sub-field-not-allowed', 'invalid-sub-field'] as const;
export const EARMARK_REFUSALS = [
  'line-required',
  'budget-line-not-found',
  'source-line-mismatch',
  'central-double-support',
  'pipeline-payer-not-named',
] as const;
