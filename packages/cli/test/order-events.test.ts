import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { cartService } from '@shopstack/cart';
import { catalogueService } from '@shopstack/catalogue';
import { dispatchService } from '@shopstack/dispatch';
import type { ConfigOverrides, RabbitEventBus, ShopApp } from '@shopstack/kernel';
import {
  describeEachBackend,
  removeRabbitTopology,
  TcpProxy,
  TEST_AMQP_URL,
  TestBackend,
  uniqueName,
} from '@shopstack/kernel/testing';
import { notificationsService } from '@shopstack/notifications';
import { ordersService } from '@shopstack/orders';
import { paymentService } from '@shopstack/payment';
import { ratingsService } from '@shopstack/ratings';
import { shippingService } from '@shopstack/shipping';
import { parseMail, startSmtpServer } from '../../notifications/test/support.js';
import {
  cartWith,
  createProduct,
  customerHeaders,
  placeOrder,
  setUpShipping,
  unique,
} from '../../orders/test/support.js';

/**
 * Orders fulfilled through the event bus, as a store runs them: checkout writes OrderPaid to the
 * orders outbox, the relay publishes it, dispatch creates the shipment and moves the order on,
 * the simulated carrier delivers it, and notifications e-mails the customer at each step.
 */

const SERVICES = [
  catalogueService,
  shippingService,
  cartService,
  paymentService,
  ordersService,
  dispatchService,
  notificationsService,
  ratingsService,
];

/** Fast everything: a carrier step every few tens of milliseconds, quick relay and mail. */
function quickConfig(
  mailDir: string,
  events: ConfigOverrides['events'] = {},
  mail: ConfigOverrides['mail'] = {},
) {
  return {
    events: { relayIntervalMs: 20, retryDelayMs: 100, maxAttempts: 8, ...events },
    mail: { dir: mailDir, intervalMs: 50, retryDelayMs: 50, ...mail },
    shipping: { carrierDelaysMs: { labelCreated: 30, inTransit: 30, delivered: 30 }, carrierIntervalMs: 30 },
    orders: { recoveryAgeSeconds: 86_400, recoveryIntervalSeconds: 3600 },
  } satisfies ConfigOverrides;
}

async function orderStatus(shop: ShopApp, id: string, customerId: string) {
  const res = await shop.app.inject({
    method: 'GET',
    url: `/api/orders/${id}`,
    headers: await customerHeaders(customerId),
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as {
    status: string;
    number: string;
    timeline: Array<{ to: string }>;
    shipments?: Array<{ status: string; trackingNumber: string; events: unknown[] }>;
  };
}

async function eventually(check: () => Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function count(shop: ShopApp, service: string, table: string, where = sql`true`): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    select count(*) as n from ${sql.table(`${shop.database.schemaFor(service)}.${table}`)} where ${where}`.execute(
    shop.database.db as Kysely<unknown>,
  );
  return Number(rows[0]!.n);
}

/** Places a paid order for a new customer of one product; returns the order and the customer. */
async function paidOrder(shop: ShopApp, methodId: string, sku: string) {
  const customerId = unique('customer');
  const cart = await cartWith(shop, [{ sku, quantity: 1 }], customerId);
  const order = await placeOrder(shop, cart, { methodId });
  return { order, customerId };
}

describeEachBackend('a paid order through the in-process bus', (backend) => {
  const mailDir = mkdtempSync(path.join(tmpdir(), 'shopstack-mail-'));
  after(() => rmSync(mailDir, { recursive: true, force: true }));

  test('is fulfilled, shipped and delivered by itself, and the customer gets the three e-mails as files', async () => {
    const shop = await backend.buildApp({ services: SERVICES, config: quickConfig(mailDir) });
    const { standard } = await setUpShipping(shop);
    const sku = unique('SKU');
    await createProduct(shop, [{ sku, price: 1999, onHand: 5 }]);
    const { order, customerId } = await paidOrder(shop, standard, sku);

    await eventually(
      async () => (await orderStatus(shop, order.id, customerId)).status === 'delivered',
      'delivered',
    );
    const read = await orderStatus(shop, order.id, customerId);
    assert.deepEqual(
      read.timeline.map((t) => t.to),
      ['pending', 'paid', 'fulfilling', 'shipped', 'delivered'],
    );
    assert.equal(read.shipments?.length, 1);
    assert.equal(read.shipments![0]!.status, 'delivered');

    const files = () => readdirSync(mailDir).filter((f) => f.endsWith('.eml') && f.includes(order.number));
    await eventually(async () => files().length === 3, 'three e-mails written');
    const mails = files().map((f) => parseMail(readFileSync(path.join(mailDir, f), 'utf8')));
    const subjects = mails.map((m) => m.headers.get('subject') ?? '').sort();
    assert.equal(subjects.length, 3);
    for (const mail of mails) {
      assert.match(mail.headers.get('to') ?? '', /ada@example\.com/);
      assert.ok(mail.text.includes(order.number), 'the order number is in the text');
      assert.ok(mail.html.includes(order.number), 'the order number is in the HTML');
    }
    const shipped = mails.find((m) => /shipped/i.test(m.headers.get('subject') ?? ''));
    assert.ok(shipped, `a shipped e-mail among ${subjects.join(' | ')}`);
    assert.ok(
      shipped.text.includes(read.shipments![0]!.trackingNumber),
      'the tracking number is in the shipped e-mail',
    );
    const confirmation = mails.find((m) => /confirm|thank|received/i.test(m.headers.get('subject') ?? ''));
    assert.ok(confirmation, `a confirmation among ${subjects.join(' | ')}`);
    assert.match(confirmation.text, /19[.,]99/);

    // Every consumer took each of its events once.
    assert.equal(await count(shop, 'dispatch', 'fulfilments'), 1);
    assert.equal(await count(shop, 'shipping', 'shipments'), 1);
    assert.equal(await count(shop, 'notifications', 'messages'), 3);
  });
});

describe('orders through RabbitMQ', () => {
  const backend = new TestBackend('postgres');
  const cleanups: Array<() => Promise<void>> = [];
  const mailDir = mkdtempSync(path.join(tmpdir(), 'shopstack-mail-'));
  before(() => backend.open(), { timeout: 60_000 });
  after(async () => {
    await backend.close();
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
    rmSync(mailDir, { recursive: true, force: true });
  });

  async function build(amqpUrl: string, mail: ConfigOverrides['mail'] = {}): Promise<ShopApp> {
    const prefix = uniqueName('e').toLowerCase();
    const shop = await backend.buildApp({
      services: SERVICES,
      config: {
        ...quickConfig(mailDir, { bus: 'rabbitmq', amqpUrl, prefix }, mail),
        database: { poolSize: 30 },
      },
    });
    const queues = (shop.events.bus as RabbitEventBus).queueNames();
    cleanups.push(() => removeRabbitTopology({ prefix, storeId: shop.config.store.id, queues }));
    return shop;
  }

  test('a paid order is delivered and its customer e-mailed over SMTP', async (t) => {
    const smtp = await startSmtpServer();
    t.after(() => smtp.close());
    const shop = await build(TEST_AMQP_URL, { smtpUrl: smtp.url });
    const { standard } = await setUpShipping(shop);
    const sku = unique('SKU');
    await createProduct(shop, [{ sku, price: 2500, onHand: 5 }]);
    const { order, customerId } = await paidOrder(shop, standard, sku);
    await eventually(
      async () => (await orderStatus(shop, order.id, customerId)).status === 'delivered',
      'delivered',
    );
    await eventually(
      async () => smtp.received.filter((m) => m.raw.includes(order.number)).length === 3,
      'three e-mails received',
    );
    const mails = smtp.received.map((m) => parseMail(m.raw));
    assert.ok(mails.every((m) => m.text.includes(order.number)));
    assert.deepEqual(
      smtp.received.map((m) => m.to),
      [['ada@example.com'], ['ada@example.com'], ['ada@example.com']],
    );
  });

  test('with the broker unreachable while 500 orders are placed, checkout goes on; afterwards every event has its effect exactly once', async (t) => {
    const url = new URL(TEST_AMQP_URL);
    const proxy = new TcpProxy(url.hostname, Number(url.port || 5672));
    await proxy.start();
    t.after(() => proxy.close());
    url.host = `127.0.0.1:${proxy.port}`;
    const shop = await build(url.toString());
    const { standard } = await setUpShipping(shop);
    const skus = [unique('SKU'), unique('SKU'), unique('SKU'), unique('SKU')];
    for (const sku of skus) await createProduct(shop, [{ sku, price: 1000, onHand: 1000 }]);

    proxy.cut();
    const ORDERS = 500;
    const placed: Array<{ id: string }> = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < ORDERS) {
          const i = next++;
          const { order } = await paidOrder(shop, standard, skus[i % skus.length]!);
          placed.push(order);
        }
      }),
    );
    assert.equal(placed.length, ORDERS, 'every checkout succeeded with the broker away');
    // Nothing was fulfilled meanwhile: the events wait in the outbox.
    assert.equal(await count(shop, 'dispatch', 'fulfilments'), 0);
    assert.ok((await count(shop, 'orders', 'outbox', sql`published_at is null`)) >= ORDERS * 2);
    const ready = await shop.app.inject({ method: 'GET', url: '/health/ready' });
    assert.equal(ready.statusCode, 200, 'the store still says it can serve');

    proxy.restore();
    await eventually(
      async () => (await count(shop, 'orders', 'orders', sql`status = 'delivered'`)) === ORDERS,
      'every order delivered',
      240_000,
    );
    await eventually(
      async () => (await count(shop, 'notifications', 'messages', sql`status = 'sent'`)) === ORDERS * 3,
      'every e-mail sent',
      120_000,
    );
    // Exactly once: one fulfilment, one shipment, three messages per order; no event handled twice.
    assert.equal(await count(shop, 'dispatch', 'fulfilments'), ORDERS);
    assert.equal(await count(shop, 'dispatch', 'fulfilments', sql`status = 'delivered'`), ORDERS);
    assert.equal(await count(shop, 'shipping', 'shipments'), ORDERS);
    assert.equal(await count(shop, 'notifications', 'messages'), ORDERS * 3);
    const { rows } = await sql<{ consumer: string; n: string; distinct_events: string }>`
      select consumer, count(*) as n, count(distinct event_id) as distinct_events
      from ${sql.table(`${shop.database.schemaFor('dispatch')}.processed_events`)} group by consumer`.execute(
      shop.database.db as Kysely<unknown>,
    );
    for (const row of rows) assert.equal(row.n, row.distinct_events, row.consumer);
    const paidTaken = rows.find((r) => r.consumer === 'dispatch.fulfil-paid-orders');
    assert.equal(Number(paidTaken?.n), ORDERS, 'dispatch took each OrderPaid once');
    const timelines = await sql<{ n: string }>`
      select count(*) as n from ${sql.table(`${shop.database.schemaFor('orders')}.order_transitions`)}
      where to_status in ('fulfilling', 'shipped', 'delivered')`.execute(shop.database.db as Kysely<unknown>);
    assert.equal(Number(timelines.rows[0]!.n), ORDERS * 3, 'each order moved through each step once');
    assert.equal(await count(shop, 'orders', 'outbox', sql`published_at is null`), 0);
  });
});
