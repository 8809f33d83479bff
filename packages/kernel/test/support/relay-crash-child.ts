// A store process whose relay is killed (SIGKILL, no clean-up) right after the broker confirmed a
// batch and before the batch is marked sent. Configuration overrides come in SHOPSTACK_CHILD_CONFIG.
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { serviceContext } from '../../src/context.js';
import { openDatabase } from '../../src/database.js';
import { createLogger } from '../../src/logger.js';
import { migrateAll } from '../../src/server.js';
import { auditService, tallyOf, tallyService } from './event-services.js';

const config = loadConfig({ env: {}, overrides: JSON.parse(process.env.SHOPSTACK_CHILD_CONFIG ?? '{}') });
const database = await openDatabase(config);
const services = [tallyService, auditService];
await migrateAll(database, services);
const shop = await buildApp({
  config,
  database,
  services,
  logger: createLogger(config),
  events: {
    leaseMs: 500,
    afterPublish: () => {
      process.kill(process.pid, 'SIGKILL');
    },
  },
});
// The relay waits until all five are written, so its first batch holds the five.
await shop.events.relay?.stop();
const ctx = serviceContext(config.store, shop.logger, 'test');
for (let seq = 1; seq <= 5; seq += 1) await tallyOf(shop).count(ctx, 'killed', seq);
process.stdout.write('written\n');
// The relay's next pass publishes the five and is killed.
shop.events.relay?.start();
await new Promise(() => undefined);
