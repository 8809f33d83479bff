import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import type { ShopApp } from '@shopstack/kernel';
import { actAs, describeEachBackend, staffHeadersFor } from '@shopstack/kernel/testing';
import type { CheckoutResult } from '@shopstack/orders';
import type { Message, MessageList } from '../src/schemas/messages.js';
import {
  buildFailingShop,
  deliver,
  notificationsApi,
  paidEvent,
  paidOrder,
  staffHeaders,
} from './support.js';

const MISSING = '01900000-0000-7000-8000-000000000000';

describeEachBackend('staff routes of customer e-mail', (backend) => {
  let shop: ShopApp;
  let remove: () => Promise<void>;
  const orders: CheckoutResult[] = [];
  before(async () => {
    ({ shop, remove } = await buildFailingShop(backend));
    for (let i = 0; i < 3; i++) {
      const order = await paidOrder(shop);
      orders.push(order);
      await deliver(shop, paidEvent(shop, order));
    }
    await notificationsApi(shop).sender.sendDue();
  });
  after(() => remove());

  const get = (url: string, headers: Record<string, string> = staffHeaders) =>
    shop.app.inject({ method: 'GET', url: `/api/notifications${url}`, headers });

  test('staff list messages newest first, filtered by status and order, a page at a time', async () => {
    const all = await get('/admin/messages?status=failed');
    assert.equal(all.statusCode, 200, all.body);
    const list = all.json() as MessageList;
    assert.deepEqual(
      list.items.map((m) => m.orderId),
      orders.map((o) => o.id).reverse(),
    );
    assert.ok(list.items.every((m) => m.status === 'failed' && m.attempts === 1 && m.lastError));
    assert.equal(list.nextCursor, null);

    const [first] = orders;
    const one = (await get(`/admin/messages?orderId=${first!.id}`)).json() as MessageList;
    assert.equal(one.items.length, 1);
    assert.equal(one.items[0]!.orderNumber, first!.number);
    assert.equal(one.items[0]!.kind, 'order-confirmation');
    assert.equal(one.items[0]!.to, 'ada@example.com');
    assert.match(one.items[0]!.messageId, /^<[0-9a-f-]+@.+\.shopstack>$/);
    assert.equal('html' in one.items[0]!, false);

    assert.deepEqual(((await get('/admin/messages?status=sent')).json() as MessageList).items, []);

    const page1 = (await get('/admin/messages?limit=2')).json() as MessageList;
    assert.equal(page1.items.length, 2);
    assert.ok(page1.nextCursor);
    const page2 = (await get(`/admin/messages?limit=2&cursor=${page1.nextCursor}`)).json() as MessageList;
    assert.deepEqual(
      [...page1.items, ...page2.items].map((m) => m.id),
      list.items.map((m) => m.id),
    );
    assert.equal(page2.nextCursor, null);
  });

  test('staff read one message with its text and HTML; an unknown id is 404 message_not_found', async () => {
    const [item] = ((await get(`/admin/messages?orderId=${orders[1]!.id}`)).json() as MessageList).items;
    const res = await get(`/admin/messages/${item!.id}`);
    assert.equal(res.statusCode, 200, res.body);
    const message = res.json() as Message;
    assert.equal(message.id, item!.id);
    assert.ok(message.text?.includes(`Order ${orders[1]!.number}`));
    assert.ok(message.html?.startsWith('<!doctype html>'));
    assert.equal(message.subject, `${shop.config.store.name}: order ${orders[1]!.number} confirmed`);

    const missing = await get(`/admin/messages/${MISSING}`);
    assert.equal(missing.statusCode, 404);
    assert.equal((missing.json() as { code: string }).code, 'message_not_found');
  });

  test('retrying a failed message queues it again with fresh attempts; a message that has not failed is 409', async () => {
    const [item] = ((await get(`/admin/messages?orderId=${orders[2]!.id}`)).json() as MessageList).items;
    const retry = () =>
      shop.app.inject({
        method: 'POST',
        url: `/api/notifications/admin/messages/${item!.id}/retry`,
        headers: staffHeaders,
      });
    const res = await retry();
    assert.equal(res.statusCode, 200, res.body);
    const message = res.json() as Message;
    assert.equal(message.status, 'pending');
    assert.equal(message.attempts, 0);
    assert.ok(message.nextAttemptAt);
    assert.equal(message.lastError, item!.lastError);

    const again = await retry();
    assert.equal(again.statusCode, 409, again.body);
    assert.equal((again.json() as { code: string }).code, 'message_not_failed');

    // The server is still not there: the next round fails it again.
    await notificationsApi(shop).sender.sendDue();
    assert.equal(((await get(`/admin/messages/${item!.id}`)).json() as Message).status, 'failed');

    const missing = await shop.app.inject({
      method: 'POST',
      url: `/api/notifications/admin/messages/${MISSING}/retry`,
      headers: staffHeaders,
    });
    assert.equal(missing.statusCode, 404);
  });

  test('only staff reach the routes: 401 without a token, 403 for a customer or another service', async () => {
    const [item] = ((await get('/admin/messages')).json() as MessageList).items;
    const customer = {
      authorization: `Bearer ${await actAs({ kind: 'customer', id: 'c1' }, 'notifications')}`,
    };
    const service = {
      authorization: `Bearer ${await actAs({ kind: 'service', name: 'ratings' }, 'notifications')}`,
    };
    const requests = [
      { method: 'GET' as const, url: '/api/notifications/admin/messages' },
      { method: 'GET' as const, url: `/api/notifications/admin/messages/${item!.id}` },
      { method: 'POST' as const, url: `/api/notifications/admin/messages/${item!.id}/retry` },
    ];
    for (const request of requests) {
      const anonymous = await shop.app.inject(request);
      assert.equal(anonymous.statusCode, 401, `${request.url}: ${anonymous.body}`);
      assert.equal((await shop.app.inject({ ...request, headers: customer })).statusCode, 403);
      assert.equal((await shop.app.inject({ ...request, headers: service })).statusCode, 403);
    }
    const staff = await staffHeadersFor('notifications', 'staff');
    assert.equal((await get('/admin/messages', staff)).statusCode, 200);
    // Nothing was retried by the refused calls.
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(
      `${shop.database.schemaFor('notifications')}.messages`,
    )} where status = 'pending'`.execute(shop.database.db);
    assert.equal(rows[0]!.n, 0);
  });
});
