import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import type { RabbitEventBus } from '../src/events/rabbitmq-bus.js';
import { auditOf, auditService, eventually, tallyService } from './support/event-services.js';
import { removeRabbitTopology, TEST_AMQP_URL, TestBackend, uniqueName } from './support/index.js';

describe('a relay process killed between the broker confirm and marking sent', () => {
  const backend = new TestBackend('postgres');
  const cleanups: Array<() => Promise<void>> = [];
  before(() => backend.open(), { timeout: 60_000 });
  after(async () => {
    await backend.close();
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
  });

  test('leaves its batch unsent; another relay sends it again and the consumer applies each event once', async () => {
    const prefix = uniqueName('k').toLowerCase();
    const schemaPrefix = `${uniqueName('k').slice(0, 24)}_`;
    const events = {
      bus: 'rabbitmq',
      amqpUrl: TEST_AMQP_URL,
      prefix,
      maxAttempts: 3,
      retryDelayMs: 50,
    } as const;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(import.meta.dirname, 'support', 'relay-crash-child.ts')],
      {
        env: {
          ...process.env,
          SHOPSTACK_CHILD_CONFIG: JSON.stringify({
            env: 'test',
            log: { level: 'silent' },
            database: { url: backend.postgresUrl, schemaPrefix, poolSize: 5 },
            events: { ...events, relayIntervalMs: 50 },
          }),
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    assert.equal(signal, 'SIGKILL', `the child ended with code ${code} instead of being killed`);

    const shop = await backend.buildApp({
      services: [tallyService, auditService],
      config: { database: { schemaPrefix }, events: { ...events, relayIntervalMs: 20 } },
    });
    const queues = (shop.events.bus as RabbitEventBus).queueNames();
    cleanups.push(() => removeRabbitTopology({ prefix, storeId: shop.config.store.id, queues }));
    const db = shop.database.db as Kysely<unknown>;
    const outbox = sql.table(`${shop.database.schemaFor('tally')}.outbox`);
    // The killed relay's batch was confirmed by the broker but never marked sent.
    const { rows } = await sql<{ n: string }>`select count(*) as n from ${outbox}`.execute(db);
    assert.equal(Number(rows[0]!.n), 5);

    await eventually(async () => {
      const { rows: unsent } = await sql<{ n: string }>`
        select count(*) as n from ${outbox} where published_at is null`.execute(db);
      return Number(unsent[0]!.n) === 0 && (await auditOf(shop).seen()).length === 5;
    }, 'the five were sent again and handled');
    await eventually(
      async () => /outcome="duplicate"[^}]*\} [1-9]/.test(await shop.metrics.registry.metrics()),
      'the repeat reached the consumer and was dropped',
    );
    const seen = await auditOf(shop).seen();
    assert.deepEqual(
      seen.map((s) => s.seq).sort((a, b) => a - b),
      [1, 2, 3, 4, 5],
    );
  });
});
