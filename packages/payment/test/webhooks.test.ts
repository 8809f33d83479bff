import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { sql } from 'kysely';
import { ConfigError, loadConfig, type ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import { paymentService } from '../src/index.js';
import type { PaymentIntent, WebhookReceipt } from '../src/schemas/intent.js';
import {
  authorized,
  buildPaymentShop,
  captured,
  codeOf,
  eventsOf,
  ordersHeaders,
  paymentRequest,
  signed,
  table,
} from './support.js';

let counter = 0;
const eventId = () => `evt${process.pid}x${++counter}x${Date.now()}`.replace(/[^A-Za-z0-9]/g, '');

describeEachBackend('payment webhooks', (backend) => {
  let shop: ShopApp;
  before(async () => {
    shop = await buildPaymentShop(backend);
  });

  async function chargeOf(intentId: string): Promise<string> {
    const { rows } = await sql<{ provider_ref: string }>`
      select provider_ref from ${table(shop, 'payment_intents')} where id = ${intentId}`.execute(
      shop.database.db,
    );
    return rows[0]!.provider_ref;
  }

  const deliver = (body: string, headers: Record<string, string>) =>
    shop.app.inject({ method: 'POST', url: '/api/payment/webhooks/test', headers, payload: body });

  const read = async (id: string) =>
    (await paymentRequest(shop, 'GET', `/intents/${id}`, ordersHeaders)).json() as PaymentIntent;

  test('a signed charge.refunded event refunds the intent once; its redelivery is a 200 that changes nothing', async () => {
    const intent = await captured(shop, { amount: 4000 });
    const body = JSON.stringify({
      id: `evt_${eventId()}`,
      type: 'charge.refunded',
      created: Math.floor(Date.now() / 1000),
      data: { charge: await chargeOf(intent.id), amountCaptured: 4000, amountRefunded: 1500 },
    });
    const first = await deliver(body, signed(body));
    assert.equal(first.statusCode, 200, first.body);
    assert.equal((first.json() as WebhookReceipt).duplicate, false);
    const after = await read(intent.id);
    assert.equal(after.status, 'partially_refunded');
    assert.equal(after.amountRefunded, 1500);
    assert.equal(after.refunds.length, 1);

    const again = await deliver(body, signed(body));
    assert.equal(again.statusCode, 200, again.body);
    assert.equal((again.json() as WebhookReceipt).duplicate, true);
    assert.deepEqual(await read(intent.id), after);
    assert.deepEqual(await eventsOf(shop, intent.id), [
      'PaymentAuthorized',
      'PaymentCaptured',
      'PaymentRefunded',
    ]);
  });

  test('events apply as snapshots: late, repeated or out-of-order ones never move amounts back', async () => {
    const intent = await authorized(shop, { amount: 3000 });
    const charge = await chargeOf(intent.id);
    const event = (data: object) => {
      const body = JSON.stringify({
        id: `evt_${eventId()}`,
        type: 'charge.updated',
        created: 1,
        data: { charge, ...data },
      });
      return deliver(body, signed(body));
    };
    assert.equal((await event({ amountCaptured: 3000, amountRefunded: 3000 })).statusCode, 200);
    assert.deepEqual(
      [(await read(intent.id)).status, (await read(intent.id)).amountRefunded],
      ['refunded', 3000],
    );
    assert.equal((await event({ amountCaptured: 3000 })).statusCode, 200);
    assert.equal((await event({ amountCaptured: 3000, amountRefunded: 1000 })).statusCode, 200);
    const final = await read(intent.id);
    assert.deepEqual([final.status, final.amountCaptured, final.amountRefunded], ['refunded', 3000, 3000]);
  });

  test('a voiding event voids an authorized intent; an event about an unknown charge is received and ignored', async () => {
    const intent = await authorized(shop);
    const body = JSON.stringify({
      id: `evt_${eventId()}`,
      type: 'charge.voided',
      created: 1,
      data: { charge: await chargeOf(intent.id), voided: true },
    });
    assert.equal((await deliver(body, signed(body))).statusCode, 200);
    assert.equal((await read(intent.id)).status, 'voided');
    const unknown = JSON.stringify({
      id: `evt_${eventId()}`,
      type: 'charge.refunded',
      created: 1,
      data: { charge: 'ch_unknown' },
    });
    const res = await deliver(unknown, signed(unknown));
    assert.equal(res.statusCode, 200, res.body);
  });

  test('a missing, wrong, foreign or stale signature is refused with 400 invalid_webhook_signature and changes nothing', async () => {
    const intent = await captured(shop, { amount: 2000 });
    const body = JSON.stringify({
      id: `evt_${eventId()}`,
      type: 'charge.refunded',
      created: 1,
      data: { charge: await chargeOf(intent.id), amountCaptured: 2000, amountRefunded: 2000 },
    });
    const good = signed(body);
    const cases: Array<[string, Record<string, string>]> = [
      ['missing', { 'content-type': 'application/json' }],
      ['wrong secret', signed(body, 0, 'another-secret-0123456789')],
      ['stale (6 minutes)', signed(body, 360)],
      ['from the future', signed(body, -360)],
      ['garbled', { ...good, 'shopstack-signature': 'nonsense' }],
      ['signature of another body', signed(body.replace('2000}', '1999}'))],
      [
        'tampered hex',
        // One hex digit changed (to another digit, whatever it was).
        {
          ...good,
          'shopstack-signature': good['shopstack-signature']!.replace(
            /v1=(.)/,
            (_, d) => `v1=${d === '0' ? '1' : '0'}`,
          ),
        },
      ],
    ];
    for (const [label, headers] of cases) {
      const res = await deliver(body, headers);
      assert.equal(res.statusCode, 400, `${label}: ${res.body}`);
      assert.equal(codeOf(res), 'invalid_webhook_signature', label);
    }
    // Spaces added to the body as sent break its signature, though the JSON means the same.
    const spaced = body.replace(':', ': ');
    assert.equal((await deliver(spaced, good)).statusCode, 400);
    assert.equal((await read(intent.id)).amountRefunded, 0);
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from ${table(shop, 'payment_webhook_events')}
      where event_id = ${(JSON.parse(body) as { id: string }).id}`.execute(shop.database.db);
    assert.equal(rows[0]!.n, 0);
    // The same delivery signed as it should be is then accepted.
    assert.equal((await deliver(body, signed(body))).statusCode, 200);
    assert.equal((await read(intent.id)).status, 'refunded');
  });

  test('without a webhook secret configured every webhook is refused', async () => {
    const bare = await backend.buildApp({ services: [paymentService] });
    const body = JSON.stringify({
      id: `evt_${eventId()}`,
      type: 'charge.refunded',
      created: 1,
      data: { charge: 'ch_x' },
    });
    const res = await bare.app.inject({
      method: 'POST',
      url: '/api/payment/webhooks/test',
      headers: signed(body),
      payload: body,
    });
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(codeOf(res), 'invalid_webhook_signature');
  });

  test('an unknown provider is a 400 and a body that is not JSON is refused before anything is read', async () => {
    const body = JSON.stringify({ id: `evt_${eventId()}`, type: 'x', created: 1, data: { charge: 'ch_x' } });
    const other = await shop.app.inject({
      method: 'POST',
      url: '/api/payment/webhooks/stripe',
      headers: signed(body),
      payload: body,
    });
    assert.equal(other.statusCode, 400, other.body);
    const junk = await deliver('{"id":', signed('{"id":'));
    assert.equal(junk.statusCode, 400, junk.body);
  });
});

test('the webhook secret comes from SHOPSTACK_PAYMENT_WEBHOOK_SECRET and must be 16 characters or more', () => {
  const secret = 'whsec-0123456789abcdef';
  assert.equal(
    loadConfig({ env: { SHOPSTACK_PAYMENT_WEBHOOK_SECRET: secret } }).payment.webhookSecret,
    secret,
  );
  assert.equal(loadConfig({ env: {} }).payment.webhookSecret, undefined);
  assert.throws(
    () => loadConfig({ env: { SHOPSTACK_PAYMENT_WEBHOOK_SECRET: 'short' } }),
    (err: unknown) => err instanceof ConfigError && err.key === 'payment.webhookSecret',
  );
});
