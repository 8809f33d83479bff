import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import {
  Forbidden,
  InvalidInput,
  InvalidState,
  mintServiceToken,
  NotFound,
  type RequestContext,
  type ShopApp,
} from '@shopstack/kernel';
import { describeEachBackend, settled, TEST_SERVICE_SECRET } from '@shopstack/kernel/testing';
import type { NotificationsClient } from '../src/client.js';
import { HttpNotificationsClient } from '../src/http-client.js';
import type { MessageList } from '../src/schemas/messages.js';
import { buildFailingShop, contextAs, deliver, notificationsApi, paidEvent, paidOrder } from './support.js';

const MISSING = '01900000-0000-7000-8000-000000000000';

/** What the kernel sends for a calling service: a service token carrying the call's actor. */
const serviceCredential = (ctx: RequestContext) =>
  mintServiceToken(
    { secret: TEST_SERVICE_SECRET, storeId: ctx.store.id, caller: 'test', audience: 'notifications' },
    ctx,
  );

describeEachBackend('notifications HTTP client', (backend) => {
  let shop: ShopApp;
  let remove: () => Promise<void>;
  let http: HttpNotificationsClient;
  let local: NotificationsClient;
  let failedId: string;
  let sentId: string;
  before(async () => {
    ({ shop, remove } = await buildFailingShop(backend));
    for (let i = 0; i < 3; i++) {
      const order = await paidOrder(shop);
      await deliver(shop, paidEvent(shop, order));
    }
    await notificationsApi(shop).sender.sendDue();
    const ids = (
      await sql<{ id: string }>`select id from ${sql.table(
        `${shop.database.schemaFor('notifications')}.messages`,
      )} order by id`.execute(shop.database.db)
    ).rows.map((r) => r.id);
    [failedId, sentId] = ids as [string, string];
    // One message as if it went out, for a retry that is refused.
    await sql`update ${sql.table(`${shop.database.schemaFor('notifications')}.messages`)}
      set status = 'sent', sent_at = now() where id = ${sentId}`.execute(shop.database.db);
    await shop.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = shop.app.server.address() as AddressInfo;
    http = new HttpNotificationsClient({
      baseUrl: `http://127.0.0.1:${port}/`,
      credential: serviceCredential,
      timeoutMs: 5000,
    });
    local = shop.services.clients.get('notifications');
  });
  after(async () => {
    await http.close();
    await remove();
  });

  test('listing, reading and refusals are the same over HTTP as in process', async () => {
    const staff = contextAs(shop, { kind: 'staff', id: 's1', role: 'staff' });
    const customer = contextAs(shop, { kind: 'customer', id: 'c1' });
    const calls: Array<(client: NotificationsClient) => Promise<unknown>> = [
      (c) => c.listMessages(staff),
      (c) => c.listMessages(staff, { status: 'failed' }),
      (c) => c.listMessages(staff, { status: 'sent', limit: 5 }),
      (c) => c.listMessages(staff, { limit: 1 }),
      (c) => c.listMessages(staff, { orderId: 'nothing-here' }),
      (c) => c.listMessages(staff, { limit: 0 }),
      (c) => c.listMessages(staff, { status: 'lost' as never }),
      (c) => c.listMessages(customer),
      (c) => c.getMessage(staff, failedId),
      (c) => c.getMessage(staff, MISSING),
      (c) => c.getMessage(customer, failedId),
      (c) => c.retryMessage(staff, sentId),
      (c) => c.retryMessage(staff, MISSING),
      (c) => c.retryMessage(customer, failedId),
    ];
    const results: unknown[][] = [];
    for (const client of [local, http]) {
      const row: unknown[] = [];
      for (const call of calls) row.push(await settled(call(client)));
      results.push(row);
    }
    const [inProcess, overHttp] = results as [unknown[], unknown[]];
    assert.deepEqual(overHttp, inProcess);

    const ok = <T>(o: unknown) => (o as { ok: T }).ok;
    assert.equal(ok<MessageList>(inProcess[0]).items.length, 3);
    assert.equal(ok<MessageList>(inProcess[1]).items.length, 2);
    assert.deepEqual(
      ok<MessageList>(inProcess[2]).items.map((m) => m.id),
      [sentId],
    );
    assert.ok(ok<MessageList>(inProcess[3]).nextCursor);
    assert.deepEqual(ok<MessageList>(inProcess[4]).items, []);
    const error = (o: unknown) => (o as { error: string }).error;
    assert.equal(error(inProcess[5]), InvalidInput.name);
    assert.equal(error(inProcess[6]), InvalidInput.name);
    assert.equal(error(inProcess[7]), Forbidden.name);
    assert.equal(ok<{ id: string }>(inProcess[8]).id, failedId);
    assert.equal(error(inProcess[9]), NotFound.name);
    assert.equal(error(inProcess[10]), Forbidden.name);
    assert.deepEqual(inProcess[11], {
      error: InvalidState.name,
      field: undefined,
      details: { code: 'message_not_failed', messageStatus: 'sent' },
    });
    assert.equal(error(inProcess[12]), NotFound.name);
    assert.equal(error(inProcess[13]), Forbidden.name);
  });

  test('a staff retry goes through over HTTP as in process', async () => {
    const staff = contextAs(shop, { kind: 'staff', id: 's1', role: 'admin' });
    const retried = await http.retryMessage(staff, failedId);
    assert.equal(retried.status, 'pending');
    assert.equal(retried.attempts, 0);
    assert.deepEqual(await local.getMessage(staff, failedId), retried);
  });
});
