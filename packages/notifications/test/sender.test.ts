import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import type { MailAdapter, OutgoingMail } from '../src/mail/adapter.js';
import { MailSender, MAX_RETRY_DELAY_MS, retryDelay } from '../src/services/mail-sender.js';
import {
  buildMailShop,
  deliver,
  mailDirectory,
  messageRows,
  notificationsApi,
  paidEvent,
  paidOrder,
} from './support.js';

/** An adapter that keeps what it was given, taking a little while each time like a real server. */
function recordingAdapter(sent: OutgoingMail[]): MailAdapter {
  return {
    kind: 'smtp',
    async send(mail) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      sent.push(mail);
      return { messageId: mail.messageId };
    },
    async close() {},
  };
}

test('the wait before a retry doubles from retryDelayMs and is capped', () => {
  assert.deepEqual(
    [1, 2, 3, 4].map((attempts) => retryDelay(1000, attempts)),
    [1000, 2000, 4000, 8000],
  );
  assert.equal(retryDelay(1000, 40), MAX_RETRY_DELAY_MS);
});

describeEachBackend('the mail sender', (backend) => {
  let shop: ShopApp;
  let remove: () => Promise<void>;
  before(async () => {
    const dir = await mailDirectory();
    remove = dir.remove;
    // The shop's own loop waits a minute between rounds: the senders of the test do the work.
    shop = await buildMailShop(backend, { dir: dir.dir, transport: 'file', intervalMs: 60_000 });
  });
  after(() => remove());

  test('senders racing over the same queue send each message exactly once', async () => {
    const orderIds: string[] = [];
    for (let i = 0; i < 6; i++) {
      const order = await paidOrder(shop);
      orderIds.push(order.id);
      await deliver(shop, paidEvent(shop, order));
    }
    const api = notificationsApi(shop);
    const sent: OutgoingMail[] = [];
    const senders = [0, 1, 2, 3].map(
      () => new MailSender(api.runtime, api.orderMail, recordingAdapter(sent)),
    );
    await Promise.all(senders.flatMap((sender) => [sender.sendDue(), sender.sendDue()]));

    const rows = (await Promise.all(orderIds.map((id) => messageRows(shop, id)))).flat();
    assert.equal(rows.length, 6);
    assert.ok(rows.every((r) => r.status === 'sent' && r.attempts === 1));
    const expected = rows.map((r) => `<${r.id}@${shop.config.store.id}.shopstack>`).sort();
    assert.deepEqual(sent.map((m) => m.messageId).sort(), expected, 'each message went out once');
    // Nothing is due any more.
    assert.equal(await senders[0]!.sendDue(), 0);
  });

  test('a message whose order cannot be read is retried, not lost, and keeps the reason', async () => {
    const order = await paidOrder(shop);
    const event = paidEvent(shop, order);
    await deliver(shop, { ...event, data: { ...(event.data as object), orderId: 'no-such-order' } });
    const api = notificationsApi(shop);
    const sender = new MailSender(api.runtime, api.orderMail, recordingAdapter([]));
    assert.equal(await sender.sendDue(), 0);
    const [row] = await messageRows(shop, 'no-such-order');
    assert.equal(row!.status, 'pending');
    assert.equal(row!.attempts, 1);
    assert.equal(row!.subject, null);
    assert.match(row!.last_error ?? '', /order/i);
    assert.ok(row!.next_attempt_at.getTime() > Date.now() - 1000);
  });

  test('a sender stopped half-way through a round gives the messages it has not sent back to the queue', async () => {
    const orderIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const order = await paidOrder(shop);
      orderIds.push(order.id);
      await deliver(shop, paidEvent(shop, order));
    }
    const api = notificationsApi(shop);
    const sent: OutgoingMail[] = [];
    const adapter = recordingAdapter(sent);
    const sender = new MailSender(api.runtime, api.orderMail, {
      ...adapter,
      async send(mail) {
        // The process closes while the first message is on its way.
        stopping = sender.stop();
        return adapter.send(mail);
      },
    });
    let stopping: Promise<void> | undefined;
    sender.start();
    await sender.sendDue();
    await stopping;
    assert.equal(sent.length, 1);
    const rows = (await Promise.all(orderIds.map((id) => messageRows(shop, id)))).flat();
    assert.deepEqual(rows.map((r) => r.status).sort(), ['pending', 'pending', 'sent']);
    assert.ok(rows.every((r) => r.locked_until === null));
    // Another sender takes them at once.
    const next = new MailSender(api.runtime, api.orderMail, recordingAdapter(sent));
    assert.equal(await next.sendDue(), 2);
  });
});
