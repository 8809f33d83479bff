import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import type { ShopApp } from '../src/app.js';
import type { EventBus } from '../src/events/bus.js';
import { OutboxRelay } from '../src/events/relay.js';
import { createMetrics } from '../src/metrics.js';
import type { EventEnvelope } from '../src/outbox.js';
import {
  auditOf,
  auditService,
  eventually,
  tallyContext,
  tallyOf,
  tallyService,
} from './support/event-services.js';
import { describeEachBackend } from './support/index.js';

const QUICK = { relayIntervalMs: 20, retryDelayMs: 20, maxAttempts: 3 };

async function countOf(shop: ShopApp, table: string, schemaOf = 'audit'): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    select count(*) as n from ${sql.table(`${shop.database.schemaFor(schemaOf)}.${table}`)}`.execute(
    shop.database.db as Kysely<unknown>,
  );
  return Number(rows[0]!.n);
}

async function backlog(shop: ShopApp): Promise<number> {
  return (await shop.events.relay!.backlog({ service: 'tally', schema: shop.database.schemaFor('tally') }))
    .count;
}

describeEachBackend('events through the in-process bus', (backend) => {
  const build = (events: Record<string, unknown> = {}) =>
    backend.buildApp({ services: [tallyService, auditService], config: { events: { ...QUICK, ...events } } });

  test('every event reaches its consumer once, and delivering it again changes nothing', async () => {
    const shop = await build();
    const ctx = tallyContext(shop);
    const sent: EventEnvelope[] = [];
    for (let i = 1; i <= 30; i += 1) sent.push(await tallyOf(shop).count(ctx, `c${i % 3}`, i));
    await eventually(async () => (await auditOf(shop).seen()).length === 30, 'the audit saw 30 counts');
    await eventually(async () => (await backlog(shop)) === 0, 'the outbox is empty');
    // The bus delivers at least once: the same events once more are dropped by the consumer's record.
    await shop.events.bus.publish(sent);
    const seen = await auditOf(shop).seen();
    assert.equal(seen.length, 30);
    assert.deepEqual(new Set(seen.map((s) => s.event_id)), new Set(sent.map((e) => e.id)));
    assert.equal(await countOf(shop, 'processed_events'), 30);
    // One counter's events were handled in the order they were written.
    for (const counter of ['c0', 'c1', 'c2']) {
      const seqs = seen.filter((s) => s.counter === counter).map((s) => s.seq);
      assert.deepEqual(
        seqs,
        [...seqs].sort((a, b) => a - b),
        `${counter} in order`,
      );
    }
    const metrics = await shop.metrics.registry.metrics();
    assert.match(metrics, /shopstack_outbox_backlog_events\{[^}]*service="tally"[^}]*\} 0/);
    assert.match(
      metrics,
      /shopstack_events_consumed_total\{[^}]*consumer="audit.counts",outcome="duplicate"[^}]*\} 30/,
    );
  });

  test('a poison event is dead-lettered after its attempts while later events go on, and a replay delivers it once', async () => {
    const shop = await build();
    const ctx = tallyContext(shop);
    const poison = await tallyOf(shop).count(ctx, 'p', 1, true);
    for (let i = 2; i <= 6; i += 1) await tallyOf(shop).count(ctx, 'q', i);
    await eventually(async () => (await auditOf(shop).seen()).length === 5, 'the later events were handled');
    await eventually(async () => (await shop.events.bus.deadLetters.list()).length === 1, 'one dead letter');
    const [letter] = await shop.events.bus.deadLetters.list('audit.counts');
    assert.equal(letter!.eventId, poison.id);
    assert.equal(letter!.attempts, QUICK.maxAttempts);
    assert.match(letter!.error, /cannot take count p-1 yet/);
    assert.equal(auditOf(shop).runs, 5 + QUICK.maxAttempts);
    // Nothing of the failed attempts stayed.
    assert.ok(!(await auditOf(shop).seen()).some((s) => s.event_id === poison.id));

    auditOf(shop).healed = true;
    assert.equal(await shop.events.bus.deadLetters.replay('audit.counts', poison.id), 1);
    await eventually(
      async () => (await auditOf(shop).seen()).some((s) => s.event_id === poison.id),
      'the replayed event was handled',
    );
    await eventually(async () => (await countOf(shop, 'failed_events')) === 0, 'no failed deliveries left');
    assert.equal((await auditOf(shop).seen()).filter((s) => s.event_id === poison.id).length, 1);
    assert.deepEqual(await shop.events.bus.deadLetters.list(), []);
  });

  test('dropping a dead letter forgets it; an unknown consumer is refused', async () => {
    const shop = await build({ maxAttempts: 1 });
    await tallyOf(shop).count(tallyContext(shop), 'd', 1, true);
    await eventually(async () => (await shop.events.bus.deadLetters.list()).length === 1, 'one dead letter');
    assert.equal(await shop.events.bus.deadLetters.drop('audit.counts'), 1);
    assert.deepEqual(await shop.events.bus.deadLetters.list(), []);
    await assert.rejects(shop.events.bus.deadLetters.list('nobody.here'), /no consumer nobody.here/);
  });

  test('a relay that dies between publishing and marking sent leaves the events unsent; they go out again and the consumer drops the repeat', async () => {
    let crashes = 1;
    const shop = await backend.buildApp({
      services: [tallyService, auditService],
      config: { events: QUICK },
      events: {
        leaseMs: 300,
        afterPublish: () => {
          if (crashes-- > 0) throw new Error('the relay dies here');
        },
      },
    });
    const ctx = tallyContext(shop);
    for (let i = 1; i <= 5; i += 1) await tallyOf(shop).count(ctx, 'k', i);
    await eventually(async () => (await backlog(shop)) === 0, 'the outbox is empty');
    // The first batch was delivered twice (before the crash, then after the lease ran out); handled once.
    assert.equal((await auditOf(shop).seen()).length, 5);
    const metrics = await shop.metrics.registry.metrics();
    assert.match(metrics, /consumer="audit.counts",outcome="duplicate"[^}]*\} [1-5]\b/);
  });
});

/** A bus that only writes down what it was given, in the order it was given (to watch relays race). */
class RecordingBus implements EventBus {
  readonly kind = 'memory' as const;
  readonly published: EventEnvelope[] = [];
  readonly deadLetters = {
    list: async () => [],
    replay: async () => 0,
    drop: async () => 0,
  };
  async publish(events: readonly EventEnvelope[]): Promise<void> {
    // A little time in flight, so that relays overlap.
    await new Promise((resolve) => setTimeout(resolve, 2));
    this.published.push(...events);
  }
  subscribe(): void {}
  async start(): Promise<void> {}
  async ping(): Promise<void> {}
  async close(): Promise<void> {}
}

describeEachBackend('several relays on one outbox', (backend) => {
  test('publish every event once, and each aggregate in the order it was written', async (t) => {
    if (backend.kind !== 'postgres')
      return t.skip('PGlite serves one connection: relays cannot overlap there');
    const shop = await backend.buildApp({
      services: [tallyService],
      config: { events: { relay: false } },
    });
    const ctx = tallyContext(shop);
    // 400 events over 8 aggregates, written interleaved.
    for (let seq = 1; seq <= 50; seq += 1) {
      await Promise.all(Array.from({ length: 8 }, (_, c) => tallyOf(shop).count(ctx, `a${c}`, seq)));
    }
    const bus = new RecordingBus();
    const relays = Array.from(
      { length: 4 },
      () =>
        new OutboxRelay({
          db: shop.database.db as Kysely<unknown>,
          bus,
          outboxes: [{ service: 'tally', schema: shop.database.schemaFor('tally') }],
          logger: shop.logger,
          metrics: createMetrics({}),
          batchSize: 7,
          intervalMs: 5,
        }),
    );
    t.after(() => Promise.all(relays.map((relay) => relay.stop())));
    relays.forEach((relay) => relay.start());
    const outbox = { service: 'tally', schema: shop.database.schemaFor('tally') };
    await eventually(
      async () => bus.published.length >= 400 && (await relays[0]!.backlog(outbox)).count === 0,
      'all published',
    );
    await Promise.all(relays.map((relay) => relay.stop()));
    assert.equal(bus.published.length, 400);
    assert.equal(new Set(bus.published.map((e) => e.id)).size, 400);
    for (let c = 0; c < 8; c += 1) {
      const seqs = bus.published
        .filter((e) => e.aggregate === `a${c}`)
        .map((e) => (e.data as { seq: number }).seq);
      assert.deepEqual(
        seqs,
        Array.from({ length: 50 }, (_, i) => i + 1),
        `aggregate a${c} in order`,
      );
    }
  });
});
