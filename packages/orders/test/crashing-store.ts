/**
 * A store process for the kill tests: it serves the shop on a free port (printed on stdout) and
 * kills itself with SIGKILL right after the checkout step named by CRASH_AFTER is recorded.
 */
import { buildApp, createLogger, loadConfig, openDatabase } from '@shopstack/kernel';
import { TEST_ADMIN_TOKEN, TEST_SERVICE_SECRET } from '@shopstack/kernel/testing';
import { shopServices } from './support.js';

const crashAfter = process.env.CRASH_AFTER;
const config = loadConfig({
  env: {},
  overrides: {
    env: 'test',
    log: { level: 'silent' },
    auth: { adminToken: TEST_ADMIN_TOKEN, serviceSecret: TEST_SERVICE_SECRET },
    database: { url: process.env.DATABASE_URL!, schemaPrefix: process.env.SCHEMA_PREFIX!, poolSize: 5 },
    orders: { recoveryAgeSeconds: 86_400, recoveryIntervalSeconds: 3600 },
  },
});
const database = await openDatabase(config);
const services = shopServices({
  afterStep: (step) => {
    if (step === crashAfter) process.kill(process.pid, 'SIGKILL');
  },
});
const shop = await buildApp({ config, database, services, logger: createLogger(config) });
const address = await shop.app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${address}\n`);
