import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/config';
import { StoreUnavailableError } from './event-store/event-store.module';
import { startService } from './bootstrap';
import { rootLogger } from './ops/logging';
import { LockError } from './shared/fs/pid-lock';

async function main(): Promise<void> {
  await startService(loadConfig());
}

main().catch((err) => {
  // Before (or without) the application there is no Nest logger: the same JSON lines, from pino.
  const log = rootLogger('info');
  if (err instanceof ConfigError) log.fatal(`configuration error: ${err.message}`);
  else if (err instanceof LockError) log.fatal(err.message);
  else if (err instanceof StoreUnavailableError) log.fatal(`event store unavailable: ${err.message}`);
  else log.fatal({ err }, `start-up failed: ${(err as Error).message}`);
  process.exit(1);
});
