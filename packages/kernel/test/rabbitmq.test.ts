import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import amqplib, { type ConsumeMessage } from 'amqplib';
import type { ShopApp } from '../src/app.js';
import type { ConfigOverrides } from '../src/config.js';
import type { RabbitEventBus } from '../src/events/rabbitmq-bus.js';
import type { EventEnvelope } from '../src/outbox.js';
import {
  auditOf,
  auditService,
  eventually,
  tallyContext,
  tallyOf,
  tallyService,
} from './support/event-services.js';
import {
  removeRabbitTopology,
  TcpProxy,
  TEST_AMQP_URL,
  TestBackend,
  uniqueName,
  type BuildTestAppOptions,
} from './support/index.js';

// The bus does not depend on the database backend; PostgreSQL runs these (the relay and consumers race there).
describe('events through RabbitMQ', () => {
  const backend = new TestBackend('postgres');
  const cleanups: Array<() => Promise<void>> = [];
  before(() => backend.open(), { timeout: 60_000 });
  after(async () => {
    await backend.close();
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
  });

  /** A shop on RabbitMQ under a prefix of its own; its exchange and queues are removed after the suite. */
  async function build(
    events: ConfigOverrides['events'] = {},
    options: Partial<BuildTestAppOptions> & { url?: string } = {},
  ): Promise<ShopApp> {
    const prefix = uniqueName('t').toLowerCase();
    const shop = await backend.buildApp({
      services: [tallyService, auditService],
      config: {
        events: {
          bus: 'rabbitmq',
          amqpUrl: options.url ?? TEST_AMQP_URL,
          prefix,
          relayIntervalMs: 20,
          retryDelayMs: 50,
          maxAttempts: 3,
          ...events,
        },
      },
      ...(options.events ? { events: options.events } : {}),
    });
    const bus = shop.events.bus as RabbitEventBus;
    const queues = bus.queueNames();
    cleanups.push(() =>
      removeRabbitTopology({ prefix, storeId: shop.config.store.id, queues: [...queues, `${prefix}.spy`] }),
    );
    return shop;
  }

  const backlog = async (shop: ShopApp) =>
    (await shop.events.relay!.backlog({ service: 'tally', schema: shop.database.schemaFor('tally') })).count;

  test('events reach each consumer once through a durable exchange, with their id, type, version, store, time and trace context', async () => {
    const shop = await build();
    const bus = shop.events.bus as RabbitEventBus;
    // A spy queue on the store's exchange sees the messages as the broker carries them.
    const connection = await amqplib.connect(TEST_AMQP_URL);
    const channel = await connection.createChannel();
    const spy = `${bus.names.exchange.replace(/\.[^.]+\.events$/, '')}.spy`;
    await channel.assertQueue(spy, { durable: false });
    await channel.bindQueue(spy, bus.names.exchange, '#');
    const carried: ConsumeMessage[] = [];
    await channel.consume(spy, (m) => m && carried.push(m), { noAck: true });

    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const ctx = { ...tallyContext(shop), trace: { traceparent } };
    const sent: EventEnvelope[] = [];
    for (let i = 1; i <= 20; i += 1) sent.push(await tallyOf(shop).count(ctx, `r${i % 4}`, i));
    await eventually(async () => (await auditOf(shop).seen()).length === 20, 'the audit saw 20 counts');
    await eventually(async () => carried.length === 20, 'the spy saw 20 messages');
    await connection.close();

    const first = carried.find((m) => m.properties.messageId === sent[0]!.id)!;
    assert.equal(first.properties.type, 'Counted');
    assert.equal(first.properties.deliveryMode, 2, 'persistent');
    assert.equal(first.fields.routingKey, 'Counted');
    assert.equal(first.properties.headers?.traceparent, traceparent);
    assert.equal(first.properties.headers?.['x-store'], shop.config.store.id);
    assert.equal(first.properties.headers?.['x-event-version'], 1);
    assert.equal(first.properties.headers?.['x-occurred-at'], sent[0]!.occurredAt);
    const body = JSON.parse(first.content.toString()) as EventEnvelope;
    assert.deepEqual(body, sent[0]);

    // At least once: the same events published again are dropped by the consumer's record.
    await bus.publish(sent);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const seen = await auditOf(shop).seen();
    assert.equal(seen.length, 20);
    assert.equal(new Set(seen.map((s) => s.event_id)).size, 20);
    const metrics = await shop.metrics.registry.metrics();
    assert.match(metrics, /consumer="audit.counts",outcome="duplicate"[^}]*\} 20/);
  });

  test('while the broker is unreachable events wait in the outbox; once it is back each reaches the consumer exactly once', async (t) => {
    const url = new URL(TEST_AMQP_URL);
    const proxy = new TcpProxy(url.hostname, Number(url.port || 5672));
    await proxy.start();
    t.after(() => proxy.close());
    url.host = `127.0.0.1:${proxy.port}`;
    const shop = await build({}, { url: url.toString() });
    const ctx = tallyContext(shop);
    for (let i = 1; i <= 50; i += 1) await tallyOf(shop).count(ctx, `o${i % 5}`, i);
    await eventually(async () => (await auditOf(shop).seen()).length === 50, 'the first 50 were handled');

    proxy.cut();
    for (let i = 51; i <= 250; i += 1) await tallyOf(shop).count(ctx, `o${i % 5}`, i);
    // Nothing got through, and the process still says it can serve (the bus is a warning).
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal((await auditOf(shop).seen()).length, 50);
    assert.ok((await backlog(shop)) >= 150, `backlog ${await backlog(shop)}`);
    const ready = await shop.app.inject({ method: 'GET', url: '/health/ready' });
    assert.equal(ready.statusCode, 200, ready.body);
    assert.equal(
      (ready.json() as { checks: Record<string, Array<{ status: string }>> }).checks['bus:rabbitmq']![0]!
        .status,
      'warn',
    );
    const metrics = await shop.metrics.registry.metrics();
    assert.match(
      metrics,
      /shopstack_outbox_oldest_unsent_age_seconds\{[^}]*service="tally"[^}]*\} (0\.[1-9]|[1-9])/,
    );

    proxy.restore();
    await eventually(
      async () => (await auditOf(shop).seen()).length >= 250 && (await backlog(shop)) === 0,
      'all 250 handled',
      60_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const seen = await auditOf(shop).seen();
    assert.equal(seen.length, 250, 'no event lost, none handled twice');
    assert.equal(new Set(seen.map((s) => `${s.counter}-${s.seq}`)).size, 250);
  });

  test('a poison message goes to the dead-letter queue after its attempts without holding up the queue; a replay delivers it once', async () => {
    const shop = await build();
    const bus = shop.events.bus as RabbitEventBus;
    const ctx = tallyContext(shop);
    const poison = await tallyOf(shop).count(ctx, 'p', 1, true);
    for (let i = 2; i <= 11; i += 1) await tallyOf(shop).count(ctx, 'q', i);
    await eventually(async () => (await auditOf(shop).seen()).length === 10, 'the later events were handled');
    await eventually(async () => (await bus.deadLetters.list()).length === 1, 'one dead letter', 30_000);
    const [letter] = await bus.deadLetters.list('audit.counts');
    assert.equal(letter!.eventId, poison.id);
    assert.equal(letter!.type, 'Counted');
    assert.equal(letter!.attempts, 3);
    assert.match(letter!.error, /cannot take count p-1 yet/);
    // Listing leaves it where it is.
    assert.equal((await bus.deadLetters.list()).length, 1);

    auditOf(shop).healed = true;
    assert.equal(await bus.deadLetters.replay('audit.counts', poison.id), 1);
    await eventually(
      async () => (await auditOf(shop).seen()).some((s) => s.event_id === poison.id),
      'the replayed event was handled',
    );
    assert.deepEqual(await bus.deadLetters.list(), []);
    assert.equal((await auditOf(shop).seen()).filter((s) => s.event_id === poison.id).length, 1);

    // A second poison, dropped.
    auditOf(shop).healed = false;
    await tallyOf(shop).count(ctx, 'p', 2, true);
    await eventually(async () => (await bus.deadLetters.list()).length === 1, 'another dead letter', 30_000);
    assert.equal(await bus.deadLetters.drop('audit.counts'), 1);
    assert.deepEqual(await bus.deadLetters.list(), []);
  });

  test('a relay dying between the broker confirm and marking sent publishes again, and the consumer drops the repeat', async () => {
    let crashes = 1;
    const shop = await build(
      {},
      {
        events: {
          leaseMs: 300,
          afterPublish: () => {
            if (crashes-- > 0) throw new Error('the relay dies here');
          },
        },
      },
    );
    const ctx = tallyContext(shop);
    for (let i = 1; i <= 5; i += 1) await tallyOf(shop).count(ctx, 'k', i);
    await eventually(async () => (await backlog(shop)) === 0, 'the outbox is empty');
    await eventually(
      async () => /outcome="duplicate"[^}]*\} [1-5]\b/.test(await shop.metrics.registry.metrics()),
      'the repeat reached the consumer',
    );
    assert.equal((await auditOf(shop).seen()).length, 5);
  });
});
