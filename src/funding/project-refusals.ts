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
/** Every money entry's, of a project or a fund batch: dated in a closed fiscal year (docs/api.md, "Closing a year"). */
export const CLOSED_YEAR_REFUSALS = { 409: ['year-closed'] } as const;
