import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import {
  buildMailShop,
  contextAs,
  deliver,
  mailDirectory,
  markFulfilment,
  messageRows,
  notificationsApi,
  orderEvent,
  paidEvent,
  paidOrder,
  parseMail,
  sentMessages,
} from './support.js';
import { orderMailConsumer } from '../src/consumers/order-mail.js';
import { notificationsService } from '../src/index.js';

const SERVICE = { kind: 'service', name: 'notifications' } as const;

describeEachBackend('order e-mails', (backend) => {
  let shop: ShopApp;
  let dir: string;
  let removeDir: () => Promise<void>;
  before(async () => {
    ({ dir, remove: removeDir } = await mailDirectory());
    shop = await buildMailShop(backend, { dir, transport: 'file' });
  });
  after(() => removeDir());

  test('a paid order gets one confirmation, written as an .eml file with the order in it', async () => {
    const order = await paidOrder(shop);
    await deliver(shop, paidEvent(shop, order));

    const [sent] = await sentMessages(shop, order.id);
    assert.ok(sent);
    assert.equal(sent.kind, 'order-confirmation');
    assert.equal(sent.recipient, 'ada@example.com');
    assert.equal(sent.attempts, 1);
    assert.ok(sent.sent_at);
    const messageId = `<${sent.id}@${shop.config.store.id}.shopstack>`;
    assert.equal(sent.provider_message_id, messageId);

    const files = (await readdir(dir)).filter((f) => f.includes(`order-${order.number}-order-confirmation`));
    assert.equal(files.length, 1);
    const mail = parseMail(await readFile(path.join(dir, files[0]!), 'utf8'));
    assert.equal(mail.headers.get('message-id'), messageId);
    assert.equal(mail.headers.get('to'), 'ada@example.com');
    assert.equal(mail.headers.get('subject'), `${shop.config.store.name}: order ${order.number} confirmed`);
    assert.equal(mail.headers.get('from'), shop.config.mail.from);
    for (const body of [mail.text, mail.html]) {
      assert.ok(body.includes(shop.config.store.name));
      assert.ok(body.includes(order.number));
      for (const line of order.lines) assert.ok(body.includes(line.name), line.name);
      assert.ok(body.includes('€12.50') && body.includes('€25.00') && body.includes('€3.99'));
      assert.ok(body.includes('€4.90'), 'shipping');
      assert.ok(body.includes(`€${(order.totals.total / 100).toFixed(2)}`), 'total');
      assert.ok(body.includes('Ada Lovelace') && body.includes('10115 Berlin'));
    }
  });

  test('handling the same event twice, or a second event of the same kind, queues one message', async () => {
    const order = await paidOrder(shop);
    const event = paidEvent(shop, order);
    await deliver(shop, event);
    await deliver(shop, event);
    await deliver(shop, { ...event, id: `${event.id}-again` });
    const rows = await messageRows(shop, order.id);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.event_id, event.id);
  });

  test('a message is rendered from the order when its event is handled, or by the sender when it was queued bare', async () => {
    const api = notificationsApi(shop);
    // No sender round in between: the shop's own loop may run, so read the rendering, not the status.
    const prepared = await paidOrder(shop);
    await deliver(shop, paidEvent(shop, prepared));
    const [rendered] = await messageRows(shop, prepared.id);
    assert.equal(rendered!.subject, `${shop.config.store.name}: order ${prepared.number} confirmed`);
    assert.ok(rendered!.text?.includes(`Order ${prepared.number}`));

    const bare = await paidOrder(shop);
    await api.runtime.uow.transaction(contextAs(shop, SERVICE), (tx) =>
      orderMailConsumer.handle(api, tx, paidEvent(shop, bare), api.runtime),
    );
    const [sent] = await sentMessages(shop, bare.id);
    assert.equal(sent!.subject, `${shop.config.store.name}: order ${bare.number} confirmed`);
    assert.ok(sent!.text.includes(`Order ${bare.number}`));
  });

  test('two deliveries of one event racing each other queue one message', async () => {
    const order = await paidOrder(shop);
    const event = paidEvent(shop, order);
    const outcomes = await Promise.allSettled([
      deliver(shop, event),
      deliver(shop, event),
      deliver(shop, event),
    ]);
    assert.deepEqual(
      outcomes.filter((o) => o.status === 'rejected'),
      [],
    );
    assert.equal((await messageRows(shop, order.id)).length, 1);
  });

  test('shipped and delivered orders get their own e-mails; without shipments the shipped one still renders', async () => {
    const order = await paidOrder(shop);
    await markFulfilment(shop, order.id, 'fulfilling');
    await markFulfilment(shop, order.id, 'shipped');
    const base = { id: order.id, number: order.number, email: order.email, total: order.totals.total };
    await deliver(shop, orderEvent(shop, 'OrderShipped', base, { from: 'fulfilling', to: 'shipped' }));
    await markFulfilment(shop, order.id, 'delivered');
    await deliver(shop, orderEvent(shop, 'OrderDelivered', base, { from: 'shipped', to: 'delivered' }));

    const rows = await sentMessages(shop, order.id, 2);
    assert.deepEqual(rows.map((r) => r.kind).sort(), ['order-delivered', 'order-shipped']);
    const shipped = rows.find((r) => r.kind === 'order-shipped')!;
    assert.equal(shipped.subject, `${shop.config.store.name}: order ${order.number} has shipped`);
    assert.ok(shipped.text.includes(`Order ${order.number}`));
    // The order view carries shipments once orders records them; until then no carrier is named.
    const view = await shop.services.clients.get('orders').getOrder(contextAs(shop, SERVICE), order.id);
    if (!('shipments' in view)) assert.doesNotMatch(shipped.text, /tracking/);
  });

  test('an order event without an e-mail address queues nothing', async () => {
    const order = await paidOrder(shop);
    const event = paidEvent(shop, order);
    await deliver(shop, { ...event, data: { ...(event.data as object), email: null } });
    assert.equal((await messageRows(shop, order.id)).length, 0);
  });

  test("a customer's name with markup comes out escaped in the HTML e-mail", async () => {
    const order = await paidOrder(shop, { recipient: '<script>alert(1)</script> Ada' });
    await deliver(shop, paidEvent(shop, order));
    const [row] = await sentMessages(shop, order.id);
    assert.ok(row);
    assert.ok(!row.html.includes('<script>'));
    assert.ok(row.html.includes('&lt;script&gt;alert(1)&lt;/script&gt; Ada'));
    assert.ok(row.text.includes('<script>alert(1)</script> Ada'));
  });

  test('the consumer is named for its service and hears the three order events', () => {
    const consumer = notificationsService.consumers?.[0];
    assert.equal(consumer?.name, 'notifications.order-mail');
    assert.deepEqual([...(consumer?.events ?? [])].sort(), ['OrderDelivered', 'OrderPaid', 'OrderShipped']);
  });

  test('queueing joins the transaction it is handled in: rolled back, nothing stays queued', async () => {
    const order = await paidOrder(shop);
    const api = notificationsApi(shop);
    await assert.rejects(
      api.runtime.uow.transaction(contextAs(shop, SERVICE), async (tx) => {
        await orderMailConsumer.handle(api, tx, paidEvent(shop, order), api.runtime);
        throw new Error('the kernel could not record the event');
      }),
      /could not record/,
    );
    assert.equal((await messageRows(shop, order.id)).length, 0);
  });
});
