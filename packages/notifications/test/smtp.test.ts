import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ShopApp } from '@shopstack/kernel';
import { describeEachBackend, type TestBackend } from '@shopstack/kernel/testing';
import {
  buildMailShop,
  deliver,
  eventually,
  mailDirectory,
  messageRows,
  paidEvent,
  paidOrder,
  parseMail,
  sentMessages,
  startSmtpServer,
  type TestSmtpServer,
} from './support.js';

async function counterValue(shop: ShopApp, name: string): Promise<number> {
  const metric = shop.metrics.registry.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  return values.reduce((sum, v) => sum + v.value, 0);
}

const removeDirs: Array<() => Promise<void>> = [];
after(async () => {
  for (const remove of removeDirs) await remove();
});

/** A shop sending through the given SMTP server, with up to `maxAttempts` attempts 20 ms apart (doubling). */
async function smtpShop(backend: TestBackend, server: TestSmtpServer, maxAttempts = 4): Promise<ShopApp> {
  const { dir, remove } = await mailDirectory();
  removeDirs.push(remove);
  return buildMailShop(backend, { dir, smtpUrl: server.url, maxAttempts });
}

describeEachBackend('e-mail through SMTP', (backend) => {
  const servers: TestSmtpServer[] = [];
  after(async () => {
    for (const server of servers) await server.close();
  });
  async function server(refuse?: (n: number) => boolean): Promise<TestSmtpServer> {
    const started = await startSmtpServer(refuse);
    servers.push(started);
    return started;
  }

  let accepting: TestSmtpServer;
  let shop: ShopApp;
  before(async () => {
    accepting = await server();
    shop = await smtpShop(backend, accepting);
  });

  test('the confirmation of a real paid order arrives at the SMTP server with its content', async () => {
    const order = await paidOrder(shop);
    await deliver(shop, paidEvent(shop, order));
    const [row] = await sentMessages(shop, order.id);
    assert.ok(row);
    const messageId = `<${row.id}@${shop.config.store.id}.shopstack>`;
    const arrived = accepting.received.filter((m) => m.raw.includes(messageId));
    assert.equal(arrived.length, 1);
    const [mail] = arrived;
    assert.deepEqual(mail!.to, ['ada@example.com']);
    assert.equal(mail!.from, 'shop@example.com');
    const parsed = parseMail(mail!.raw);
    assert.equal(parsed.headers.get('message-id'), messageId);
    assert.equal(parsed.headers.get('subject'), `${shop.config.store.name}: order ${order.number} confirmed`);
    assert.equal(parsed.headers.get('to'), 'ada@example.com');
    assert.equal(parsed.text, row.text);
    assert.equal(parsed.html, row.html);
    assert.ok(parsed.text.includes(`Order ${order.number}`));
    assert.ok(parsed.text.includes('2 x ') && parsed.text.includes('€12.50'));
    assert.ok(parsed.html.includes(`€${(order.totals.total / 100).toFixed(2)}`));
    assert.equal(row.provider_message_id, messageId);
    assert.ok((await counterValue(shop, 'notifications_mail_sent_total')) >= 1);
  });

  test('a server that refuses the first attempts gets the message once, on a later attempt', async () => {
    const flaky = await server((n) => n <= 2);
    const flakyShop = await smtpShop(backend, flaky, 5);
    const order = await paidOrder(flakyShop);
    await deliver(flakyShop, paidEvent(flakyShop, order));
    const [row] = await sentMessages(flakyShop, order.id);
    assert.ok(row);
    assert.equal(row.attempts, 3);
    assert.equal(flaky.refused, 2);
    assert.equal(flaky.received.length, 1);
    assert.ok(flaky.received[0]!.raw.includes(`<${row.id}@`));
    assert.equal(await counterValue(flakyShop, 'notifications_mail_attempts_failed_total'), 2);
    assert.equal(await counterValue(flakyShop, 'notifications_mail_failed_total'), 0);
  });

  test('a server that always refuses leaves the message failed after maxAttempts; staff retry sends it once it accepts', async () => {
    let refusing = true;
    const closed = await server(() => refusing);
    const failingShop = await smtpShop(backend, closed, 3);
    const order = await paidOrder(failingShop);
    await deliver(failingShop, paidEvent(failingShop, order));
    const failed = await eventually(async () => {
      const [row] = await messageRows(failingShop, order.id);
      return row?.status === 'failed' ? row : null;
    }, 'the message to fail');
    assert.equal(failed.attempts, 3);
    assert.match(failed.last_error ?? '', /Mailbox busy/);
    assert.equal(failed.sent_at, null);
    assert.equal(closed.refused, 3);
    assert.equal(closed.received.length, 0);
    assert.equal(await counterValue(failingShop, 'notifications_mail_failed_total'), 1);
    // Nothing more is tried.
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(closed.refused, 3);

    refusing = false;
    const retried = await failingShop.services.clients
      .get('notifications')
      .retryMessage(
        { ...shopContext(failingShop), actor: { kind: 'staff', id: 'staff-1', role: 'staff' } },
        failed.id,
      );
    assert.equal(retried.status, 'pending');
    assert.equal(retried.attempts, 0);
    const [sent] = await sentMessages(failingShop, order.id);
    assert.equal(sent!.attempts, 1);
    assert.equal(closed.received.length, 1);
  });
});

function shopContext(shop: ShopApp) {
  return { store: shop.config.store, requestId: 'test', log: shop.logger };
}
