import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import {
  newId,
  serviceContext,
  type ConfigOverrides,
  type EventEnvelope,
  type RequestContext,
  type ShopApp,
} from '@shopstack/kernel';
import { staffHeadersFor, type TestBackend } from '@shopstack/kernel/testing';
import type { CheckoutResult } from '@shopstack/orders';
import {
  ADDRESS,
  cardToken,
  cartWith,
  checkout,
  createProduct,
  ordersStaff,
  placeOrder,
  setUpShipping,
  shopServices,
  unique,
} from '../../orders/test/support.js';
import type { NotificationsApi } from '../src/api.js';
import { notificationsService } from '../src/index.js';
import { orderMailConsumer } from '../src/consumers/order-mail.js';
import type { MessageRow } from '../src/tables.js';

export { unique };

/** Helpers for notifications tests: a whole shop that takes orders, events delivered by hand, an SMTP server. */

export const staffHeaders = await staffHeadersFor('notifications');

/** A directory of its own for a test's .eml files, removed after the test. */
export async function mailDirectory(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'shopstack-mail-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * A shop that takes orders and mails its customers. The event relay is off: tests deliver events
 * to the consumer themselves, as the bus would. The sender runs every 20 ms, retrying after 20 ms.
 */
export async function buildMailShop(
  backend: TestBackend,
  mail: ConfigOverrides['mail'] & { dir: string },
  config: ConfigOverrides = {},
): Promise<ShopApp> {
  return backend.buildApp({
    services: [...shopServices(), notificationsService],
    config: {
      ...config,
      orders: { recoveryAgeSeconds: 86_400, recoveryIntervalSeconds: 3600 },
      events: { relay: false },
      mail: { maxAttempts: 4, retryDelayMs: 20, intervalMs: 20, ...mail },
    },
  });
}

/**
 * A shop whose SMTP server is not there, so every message fails on its only attempt. The sender's
 * loop waits a minute between rounds: the tests run rounds themselves, so nothing moves under them.
 */
export async function buildFailingShop(backend: TestBackend): Promise<{
  shop: ShopApp;
  remove: () => Promise<void>;
}> {
  const { dir, remove } = await mailDirectory();
  const shop = await buildMailShop(backend, {
    dir,
    smtpUrl: 'smtp://127.0.0.1:1',
    maxAttempts: 1,
    intervalMs: 60_000,
  });
  return { shop, remove };
}

export function notificationsApi(shop: ShopApp): NotificationsApi {
  return shop.apis.get('notifications') as NotificationsApi;
}

/** The context the kernel hands a consumer of this service. */
export function consumerContext(shop: ShopApp): RequestContext {
  return serviceContext(shop.config.store, shop.logger, 'notifications');
}

/** A context with the given actor, as an in-process caller passes it. */
export function contextAs(shop: ShopApp, actor: RequestContext['actor']): RequestContext {
  return { ...serviceContext(shop.config.store, shop.logger, 'test'), actor };
}

/**
 * Delivers an event to the order-mail consumer as the bus does: its prepare step outside any
 * transaction, then handle in a transaction of the service. `prepare: false` hands the event to
 * handle alone (a message queued without its rendering).
 */
export async function deliver(
  shop: ShopApp,
  event: EventEnvelope,
  options: { prepare?: boolean } = {},
): Promise<void> {
  const api = notificationsApi(shop);
  const { runtime } = api;
  const ctx = consumerContext(shop);
  const mail =
    options.prepare === false ? undefined : await orderMailConsumer.prepare?.(api, ctx, event, runtime);
  await runtime.uow.transaction(ctx, (tx) => orderMailConsumer.handle(api, tx, event, runtime, mail));
}

/** The envelope of an order event (OrderPaid, OrderShipped, OrderDelivered), as orders writes it. */
export function orderEvent(
  shop: ShopApp,
  type: string,
  order: { id: string; number: string; email: string | null; total: number; currency?: string },
  move: { from: string; to: string },
): EventEnvelope {
  const currency = order.currency ?? 'EUR';
  return {
    id: newId(),
    type,
    version: 1,
    store: shop.config.store.id,
    source: 'orders',
    occurredAt: new Date().toISOString(),
    requestId: 'test',
    aggregate: order.id,
    data: {
      orderId: order.id,
      number: order.number,
      ...move,
      customerId: null,
      email: order.email,
      total: { amount: order.total, currency },
      refunded: { amount: 0, currency },
    },
  };
}

const shipping = new WeakMap<ShopApp, Promise<{ standard: string; express: string }>>();

/** The shop's shipping methods, set up on first use (a country belongs to one zone only). */
function shippingOf(shop: ShopApp): Promise<{ standard: string; express: string }> {
  let methods = shipping.get(shop);
  if (!methods) {
    methods = setUpShipping(shop);
    shipping.set(shop, methods);
  }
  return methods;
}

/**
 * A paid order placed through checkout: 2 x 12.50 of one product and 1 x 3.99 of another, shipped
 * standard (4.90) to `recipient` (Ada Lovelace) in Berlin.
 */
export async function paidOrder(
  shop: ShopApp,
  options: { recipient?: string } = {},
): Promise<CheckoutResult> {
  const methods = await shippingOf(shop);
  const first = unique('MUG');
  const second = unique('TEA');
  await createProduct(shop, [{ sku: first, price: 1250, onHand: 10 }]);
  await createProduct(shop, [{ sku: second, price: 399, onHand: 10 }]);
  const cart = await cartWith(shop, [
    { sku: first, quantity: 2 },
    { sku: second, quantity: 1 },
  ]);
  if (!options.recipient) return placeOrder(shop, cart, { methodId: methods.standard });
  const res = await checkout(shop, cart, {
    methodId: methods.standard,
    token: await cardToken(shop),
    body: { shippingAddress: { ...ADDRESS, recipient: options.recipient } },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as CheckoutResult;
}

/** The OrderPaid event of a placed order. */
export function paidEvent(shop: ShopApp, order: CheckoutResult): EventEnvelope {
  return orderEvent(
    shop,
    'OrderPaid',
    {
      id: order.id,
      number: order.number,
      email: order.email,
      total: order.totals.total,
      currency: order.currency,
    },
    { from: 'pending', to: 'paid' },
  );
}

/** Moves an order along its fulfilment as staff do. */
export async function markFulfilment(shop: ShopApp, orderId: string, status: string): Promise<void> {
  const res = await shop.app.inject({
    method: 'POST',
    url: `/api/orders/admin/orders/${orderId}/fulfilment`,
    headers: ordersStaff,
    payload: { status },
  });
  assert.equal(res.statusCode, 200, res.body);
}

/** The messages table behind the API. */
export async function messageRows(shop: ShopApp, orderId?: string): Promise<MessageRow[]> {
  const { rows } = await sql<MessageRow>`select * from ${sql.table(
    `${shop.database.schemaFor('notifications')}.messages`,
  )} where ${orderId === undefined ? sql`true` : sql`order_id = ${orderId}`} order by id`.execute(
    shop.database.db,
  );
  return rows;
}

/** The messages of an order once all `count` of them were sent (the sender renders a message before sending it). */
export async function sentMessages(
  shop: ShopApp,
  orderId: string,
  count = 1,
): Promise<Array<MessageRow & Sent>> {
  return eventually(async () => {
    const rows = await messageRows(shop, orderId);
    return rows.length === count && rows.every((r) => r.status === 'sent')
      ? (rows as Array<MessageRow & Sent>)
      : null;
  }, `${count} sent message(s) of order ${orderId}`);
}

/** What a sent message has. */
interface Sent {
  subject: string;
  text: string;
  html: string;
  sent_at: Date;
  provider_message_id: string;
}

/** Waits until `check` holds (polling), failing after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A message an SMTP server received. */
export interface ReceivedMail {
  from: string | undefined;
  to: string[];
  raw: string;
}

/** A real SMTP server on 127.0.0.1 (random port) that keeps what it receives. */
export interface TestSmtpServer {
  url: string;
  received: ReceivedMail[];
  /** RCPT TO commands refused so far. */
  refused: number;
  close(): Promise<void>;
}

/**
 * Starts an SMTP server without TLS or required auth; `refuse(n)` says whether the n-th RCPT TO
 * (counting from 1) is refused with a temporary failure.
 */
export async function startSmtpServer(refuse: (n: number) => boolean = () => false): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  let rcpts = 0;
  const state = { refused: 0 };
  const options: SMTPServerOptions = {
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      rcpts += 1;
      if (refuse(rcpts)) {
        state.refused += 1;
        const err = Object.assign(new Error('Mailbox busy, try later'), { responseCode: 451 });
        callback(err);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const from = session.envelope.mailFrom;
        received.push({
          from: from ? from.address : undefined,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  };
  const server = new SMTPServer(options);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    get refused() {
      return state.refused;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The decoded text of a quoted-printable MIME part (what nodemailer writes for long lines). */
export function decodeQuotedPrintable(body: string): string {
  const bytes = body
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** The headers and the text and HTML parts (line ends as \\n) of a raw multipart/alternative message, by simple parsing. */
export function parseMail(raw: string): { headers: Map<string, string>; text: string; html: string } {
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  const boundary = /boundary="?([^";]+)"?/.exec(headers.get('content-type') ?? '')?.[1];
  assert.ok(boundary, `no multipart boundary in ${headers.get('content-type')}`);
  const body = rest.join('\n\n');
  const parts = body.split(`--${boundary}`).slice(1, -1);
  const part = (type: string) => {
    const found = parts.find((p) => new RegExp(`content-type: ${type}`, 'i').test(p));
    assert.ok(found, `no ${type} part`);
    const [partHead = '', ...partBody] = found.replace(/^\r?\n/, '').split(/\r?\n\r?\n/);
    const content = partBody.join('\n\n').replace(/\r?\n$/, '');
    let decoded = content;
    if (/quoted-printable/i.test(partHead)) decoded = decodeQuotedPrintable(content);
    else if (/base64/i.test(partHead)) decoded = Buffer.from(content, 'base64').toString('utf8');
    return decoded.replace(/\r\n/g, '\n');
  };
  return { headers, text: part('text/plain'), html: part('text/html') };
}
