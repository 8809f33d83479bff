import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { sql } from 'kysely';
import { PaymentRequired, serviceContext, type RequestContext, type ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import type { PaymentClient } from '../src/client.js';
import type { PaymentIntent } from '../src/schemas/intent.js';
import {
  attemptsOf,
  authorized,
  buildPaymentShop,
  captured,
  CARDS,
  codeOf,
  eventsOf,
  ordersHeaders,
  paymentRequest,
  paymentStaff,
  table,
  tokenize,
  unique,
} from './support.js';

describeEachBackend('payments', (backend) => {
  let shop: ShopApp;
  let client: PaymentClient;
  let orders: RequestContext;
  before(async () => {
    shop = await buildPaymentShop(backend);
    client = shop.services.clients.get('payment');
    orders = serviceContext(shop.config.store, shop.logger, 'orders');
  });

  const post = (url: string, payload?: unknown, headers: Record<string, string> = ordersHeaders) =>
    paymentRequest(shop, 'POST', url, headers, payload);

  test('an authorization is captured in full, then refunded in part and in full, each recorded once', async () => {
    const intent = await authorized(shop, { amount: 5000, customerId: 'c-full' });
    assert.equal(intent.status, 'authorized');
    assert.deepEqual(
      { amount: intent.amount, captured: intent.amountCaptured, refunded: intent.amountRefunded },
      { amount: 5000, captured: 0, refunded: 0 },
    );
    assert.deepEqual(intent.card, { brand: 'visa', last4: '4242' });
    assert.equal(intent.customerId, 'c-full');

    const capture = await post(`/intents/${intent.id}/capture`, {}, paymentStaff);
    assert.equal(capture.statusCode, 200, capture.body);
    assert.equal((capture.json() as PaymentIntent).status, 'captured');
    assert.equal((capture.json() as PaymentIntent).amountCaptured, 5000);

    const part = await post(`/intents/${intent.id}/refunds`, { amount: 1500, reason: 'damaged box' });
    assert.equal(part.statusCode, 201, part.body);
    const afterPart = part.json() as PaymentIntent;
    assert.equal(afterPart.status, 'partially_refunded');
    assert.equal(afterPart.amountRefunded, 1500);
    assert.deepEqual(
      afterPart.refunds.map((r) => [r.amount, r.reason, r.reference]),
      [[1500, 'damaged box', null]],
    );

    const rest = await post(`/intents/${intent.id}/refunds`, {});
    assert.equal(rest.statusCode, 201, rest.body);
    const refunded = rest.json() as PaymentIntent;
    assert.equal(refunded.status, 'refunded');
    assert.equal(refunded.amountRefunded, 5000);
    assert.deepEqual(
      refunded.refunds.map((r) => r.amount),
      [1500, 3500],
    );

    const more = await post(`/intents/${intent.id}/refunds`, { amount: 1 });
    assert.equal(more.statusCode, 409, more.body);
    assert.equal(codeOf(more), 'refund_exceeds_captured');

    assert.deepEqual(await attemptsOf(shop, intent.id), [
      'authorize succeeded',
      'capture succeeded',
      'refund succeeded',
      'refund succeeded',
    ]);
    assert.deepEqual(await eventsOf(shop, intent.id), [
      'PaymentAuthorized',
      'PaymentCaptured',
      'PaymentRefunded',
      'PaymentRefunded',
    ]);
  });

  test('a partial capture releases the rest; capturing again answers the captured intent and calls nobody', async () => {
    const intent = await authorized(shop, { amount: 8000 });
    const over = await post(`/intents/${intent.id}/capture`, { amount: 8001 });
    assert.equal(over.statusCode, 422, over.body);
    assert.equal(codeOf(over), 'capture_exceeds_authorized');
    const part = await post(`/intents/${intent.id}/capture`, { amount: 6000 });
    assert.equal(part.statusCode, 200, part.body);
    assert.deepEqual(
      [(part.json() as PaymentIntent).status, (part.json() as PaymentIntent).amountCaptured],
      ['captured', 6000],
    );
    const again = await post(`/intents/${intent.id}/capture`, {});
    assert.equal(again.statusCode, 200);
    assert.equal((again.json() as PaymentIntent).amountCaptured, 6000);
    const refund = await post(`/intents/${intent.id}/refunds`, { amount: 6001 });
    assert.equal(codeOf(refund), 'refund_exceeds_captured');
    assert.deepEqual(await attemptsOf(shop, intent.id), ['authorize succeeded', 'capture succeeded']);
  });

  test('a voided authorization stays voided: voiding again answers it, capturing or refunding it is refused', async () => {
    const intent = await authorized(shop);
    const voided = await post(`/intents/${intent.id}/void`);
    assert.equal(voided.statusCode, 200, voided.body);
    assert.equal((voided.json() as PaymentIntent).status, 'voided');
    assert.equal((await post(`/intents/${intent.id}/void`)).statusCode, 200);
    for (const [url, body] of [
      [`/intents/${intent.id}/capture`, {}],
      [`/intents/${intent.id}/refunds`, {}],
    ] as const) {
      const res = await post(url, body);
      assert.equal(res.statusCode, 409, res.body);
      assert.equal(codeOf(res), 'invalid_payment_state');
    }
    const capturedOne = await captured(shop);
    const refused = await post(`/intents/${capturedOne.id}/void`);
    assert.equal(refused.statusCode, 409);
    assert.equal(codeOf(refused), 'invalid_payment_state');
    assert.deepEqual(await attemptsOf(shop, intent.id), ['authorize succeeded', 'void succeeded']);
    assert.deepEqual(await eventsOf(shop, intent.id), ['PaymentAuthorized', 'PaymentVoided']);
  });

  test('declined and underfunded cards answer 402; the reference keeps its failure and the token stays unused', async () => {
    for (const [number, code] of [
      [CARDS.declined, 'card_declined'],
      [CARDS.insufficientFunds, 'insufficient_funds'],
    ] as const) {
      const { token } = await tokenize(shop, number);
      const body = { token, amount: 2500, currency: 'EUR', reference: unique('declined') };
      const first = await post('/intents', body);
      assert.equal(first.statusCode, 402, first.body);
      assert.equal(codeOf(first), code);
      const again = await post('/intents', body);
      assert.equal(again.statusCode, 402);
      assert.equal(codeOf(again), code);

      const intent = await client.findIntentByReference(orders, body.reference);
      assert.equal(intent?.status, 'failed');
      assert.equal(intent?.failureCode, code);
      assert.deepEqual(await attemptsOf(shop, intent!.id), ['authorize failed']);
      assert.deepEqual(await eventsOf(shop, intent!.id), ['PaymentFailed']);
      const { rows } = await sql<{ used_at: Date | null }>`
        select used_at from ${table(shop, 'payment_tokens')} where id = ${token}`.execute(shop.database.db);
      assert.equal(rows[0]!.used_at, null);
      // The failed intent cannot be captured; voiding it answers it as it is.
      assert.equal(codeOf(await post(`/intents/${intent!.id}/capture`, {})), 'invalid_payment_state');
      assert.equal((await post(`/intents/${intent!.id}/void`)).statusCode, 200);
    }
  });

  test('the capture-failing card authorizes, its capture answers 402 capture_failed, and it can still be voided', async () => {
    const intent = await authorized(shop, { number: CARDS.captureFails, amount: 4100 });
    const capture = await post(`/intents/${intent.id}/capture`, {});
    assert.equal(capture.statusCode, 402, capture.body);
    assert.equal(codeOf(capture), 'capture_failed');
    const read = await paymentRequest(shop, 'GET', `/intents/${intent.id}`, paymentStaff);
    assert.equal((read.json() as PaymentIntent).status, 'authorized');
    assert.equal((read.json() as PaymentIntent).failureCode, 'capture_failed');
    const voided = await post(`/intents/${intent.id}/void`);
    assert.equal(voided.statusCode, 200, voided.body);
    assert.equal((voided.json() as PaymentIntent).status, 'voided');
    assert.deepEqual(await attemptsOf(shop, intent.id), [
      'authorize succeeded',
      'capture failed',
      'void succeeded',
    ]);
  });

  test('a reference authorized again returns its intent (200) without a second authorization; other terms are refused', async () => {
    const { token } = await tokenize(shop);
    const body = { token, amount: 3000, currency: 'EUR', reference: unique('repeat') };
    const first = await post('/intents', body);
    assert.equal(first.statusCode, 201, first.body);
    const again = await post('/intents', body);
    assert.equal(again.statusCode, 200, again.body);
    assert.equal((again.json() as PaymentIntent).id, (first.json() as PaymentIntent).id);
    const other = await tokenize(shop);
    for (const changed of [{ amount: 3001 }, { currency: 'USD' }, { token: other.token }]) {
      const res = await post('/intents', { ...body, ...changed });
      assert.equal(res.statusCode, 409, res.body);
      assert.equal(codeOf(res), 'payment_reference_reused');
    }
    assert.deepEqual(await attemptsOf(shop, (first.json() as PaymentIntent).id), ['authorize succeeded']);
  });

  test('a token authorizes one payment: used, expired or unknown tokens are refused and nothing is recorded', async () => {
    const intent = await authorized(shop);
    const { rows } = await sql<{ token_id: string }>`
      select token_id from ${table(shop, 'payment_intents')} where id = ${intent.id}`.execute(
      shop.database.db,
    );
    const used = rows[0]!.token_id;
    const reuse = await post('/intents', {
      token: used,
      amount: 100,
      currency: 'EUR',
      reference: unique('x'),
    });
    assert.equal(reuse.statusCode, 422, reuse.body);
    assert.equal(codeOf(reuse), 'payment_token_used');

    const { token: old } = await tokenize(shop);
    await sql`update ${table(shop, 'payment_tokens')} set expires_at = now() - interval '1 second'
      where id = ${old}`.execute(shop.database.db);
    const expired = await post('/intents', {
      token: old,
      amount: 100,
      currency: 'EUR',
      reference: unique('x'),
    });
    assert.equal(expired.statusCode, 422, expired.body);
    assert.equal(codeOf(expired), 'payment_token_expired');

    const reference = unique('x');
    const unknown = await post('/intents', {
      token: 'tok_000000000000000000000000',
      amount: 100,
      currency: 'EUR',
      reference,
    });
    assert.equal(unknown.statusCode, 404, unknown.body);
    assert.equal(codeOf(unknown), 'payment_token_not_found');
    assert.equal(await client.findIntentByReference(orders, reference), null);
  });

  test('a refund with a reference is made once: repeating it refunds nothing more, another amount is refused', async () => {
    const intent = await captured(shop, { amount: 2000 });
    const body = { amount: 500, reference: unique('return') };
    const first = await post(`/intents/${intent.id}/refunds`, body);
    assert.equal(first.statusCode, 201, first.body);
    const again = await post(`/intents/${intent.id}/refunds`, body);
    assert.equal(again.statusCode, 200, again.body);
    assert.equal((again.json() as PaymentIntent).amountRefunded, 500);
    const withoutAmount = await post(`/intents/${intent.id}/refunds`, { reference: body.reference });
    assert.equal((withoutAmount.json() as PaymentIntent).amountRefunded, 500);
    const other = await post(`/intents/${intent.id}/refunds`, { ...body, amount: 600 });
    assert.equal(other.statusCode, 409);
    assert.equal(codeOf(other), 'refund_reference_reused');
    assert.deepEqual(await attemptsOf(shop, intent.id), [
      'authorize succeeded',
      'capture succeeded',
      'refund succeeded',
    ]);
  });

  test('a refund before any capture is refused; a missing intent is 404', async () => {
    const intent = await authorized(shop);
    const early = await post(`/intents/${intent.id}/refunds`, {});
    assert.equal(early.statusCode, 409);
    assert.equal(codeOf(early), 'invalid_payment_state');
    for (const url of ['/intents/no-such-intent/capture', '/intents/no-such-intent/refunds']) {
      const res = await post(url, {});
      assert.equal(res.statusCode, 404, res.body);
      assert.equal(codeOf(res), 'payment_intent_not_found');
    }
    assert.equal(codeOf(await post('/intents/no-such-intent/void')), 'payment_intent_not_found');
  });

  test('in process, the client authorizes, captures, refunds and voids with the same rules', async () => {
    const { token } = await tokenize(shop);
    const reference = unique('in-process');
    const intent = await client.authorize(orders, {
      token,
      amount: 990,
      currency: 'EUR',
      reference,
      customerId: 'c-local',
      email: 'ann@example.com',
    });
    assert.equal(intent.status, 'authorized');
    assert.equal(
      (await client.authorize(orders, { token, amount: 990, currency: 'EUR', reference })).id,
      intent.id,
    );
    assert.equal((await client.capture(orders, intent.id, { amount: 900 })).amountCaptured, 900);
    const refunded = await client.refund(orders, intent.id, { amount: 100, reference: 'r-1' });
    assert.equal(refunded.status, 'partially_refunded');
    assert.equal((await client.refund(orders, intent.id, { reference: 'r-1' })).amountRefunded, 100);
    assert.equal((await client.refund(orders, intent.id, {})).status, 'refunded');
    assert.deepEqual(
      await client.findIntentByReference(orders, reference),
      await client.getIntent(orders, intent.id),
    );

    const declined = await tokenize(shop, CARDS.declined);
    await assert.rejects(
      client.authorize(orders, {
        token: declined.token,
        amount: 100,
        currency: 'EUR',
        reference: unique('d'),
      }),
      (err: unknown) => err instanceof PaymentRequired && err.details.code === 'card_declined',
    );
    const other = await client.authorize(orders, {
      token: (await tokenize(shop)).token,
      amount: 100,
      currency: 'EUR',
      reference: unique('v'),
    });
    assert.equal((await client.voidIntent(orders, other.id)).status, 'voided');
  });
});
