import type Database from 'better-sqlite3';
import { join } from 'node:path';
import type { LedgerConfig } from '../config/config';
import type { LedgerRecord } from '../events/ledger-events';
import { ProjectionDefinition } from '../shared/projection/projection-definition';
import { costSharesProjection } from '../../projections/cost-shares/cost-shares.projection';
import { fundingMixProjection } from '../../projections/funding-mix/funding-mix.projection';
import { projectListProjection } from '../../projections/project-list/project-list.projection';
import { redFlagsReadModel } from '../red-flags/stored-time-flags';
import { sourceLedgerProjection } from '../../projections/source-ledger/source-ledger.projection';
import { targetsProjection } from '../../projections/targets/targets.projection';

/** Every read model the service keeps; the runner feeds them all from $all. */
export const PROJECTIONS: readonly ProjectionDefinition<LedgerRecord>[] = [
  fundingMixProjection,
  projectListProjection,
  sourceLedgerProjection,
  costSharesProjection,
  redFlagsReadModel,
  targetsProjection,
];

/** About how long a step of settling work due takes (see ReadModels.settle): one scope at least. */
export const SETTLE_STEP_MS = 5;

/** One read-model file per service instance, beside (not inside) the event log. */
export function readModelFile(config: LedgerConfig): string {
  return join(config.dataDir, 'read-model.sqlite');
}

/**
 * What readers need of the read models. An abstract class only because Nest injects by class:
 * ProjectionRunner is its one implementation.
 */
export abstract class ReadModels {
  /**
   * Runs `read` in one read transaction, so everything it reads is one snapshot, and says which
   * log position that snapshot has processed through (every projection).
   */
  abstract read<R>(read: (db: Database.Database) => R): { result: R; position: bigint };
  /** Each projection's checkpoint as the API shows it: the position as a decimal string, like every position outside. */
  abstract checkpoints(): { name: string; version: number; position: string }[];
  /** Resolves true once every projection has processed `position` (read-your-writes), false after `timeoutMs` or on close. */
  abstract waitFor(position: bigint, timeoutMs: number): Promise<boolean>;
  /**
   * Does work the projections marked due (ProjectionDefinition.settle), until `budgetMs` has
   * passed, in one transaction; says whether any is still due. A reader of such rows calls it in
   * steps, a turn of the event loop between them, before its read settles the rest.
   */
  abstract settle(budgetMs: number): boolean;
  /** Why the last page failed, until a page succeeds again (the health endpoint reports it). */
  abstract error(): Error | null;
}
