import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/config';
import { StoreUnavailableError } from './event-store/event-store.module';
import { createApp } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen(config.port);
  console.log(
    `renovation-ledger listening on ${await app.getUrl()} (store: ${config.eventStore}, data: ${config.dataDir})`,
  );
}

main().catch((err) => {
  if (err instanceof ConfigError) console.error(`configuration error: ${err.message}`);
  else if (err instanceof StoreUnavailableError) console.error(`event store unavailable: ${err.message}`);
  else console.error(err);
  process.exit(1);
});
