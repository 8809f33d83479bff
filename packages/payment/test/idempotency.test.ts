import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import type { PaymentIntent } from '../src/schemas/intent.js';
import {
  attemptsOf,
  buildPaymentShop,
  captured,
  codeOf,
  ordersHeaders,
  paymentRequest,
  paymentStaff,
  tokenize,
  unique,
} from './support.js';

describeEachBackend('Idempotency-Key on payment routes', (backend) => {
  let shop: ShopApp;
  before(async () => {
    shop = await buildPaymentShop(backend);
  });

  const keyed = (key: string, headers: Record<string, string> = ordersHeaders) => ({
    ...headers,
    'idempotency-key': key,
  });

  test('an authorization sent again with its key answers the same status and body, and authorizes once', async () => {
    const { token } = await tokenize(shop);
    const body = { token, amount: 2750, currency: 'EUR', reference: unique('keyed') };
    const key = unique('key');
    const first = await paymentRequest(shop, 'POST', '/intents', keyed(key), body);
    assert.equal(first.statusCode, 201, first.body);
    const again = await paymentRequest(shop, 'POST', '/intents', keyed(key), body);
    assert.equal(again.statusCode, 201);
    assert.equal(again.body, first.body);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.deepEqual(await attemptsOf(shop, (first.json() as PaymentIntent).id), ['authorize succeeded']);

    const other = await paymentRequest(shop, 'POST', '/intents', keyed(key), { ...body, amount: 2751 });
    assert.equal(other.statusCode, 422, other.body);
    assert.equal(codeOf(other), 'idempotency_key_reused');
    // Keys belong to their caller: staff using the same key start afresh (and find the reference taken).
    const staff = await paymentRequest(shop, 'POST', '/intents', keyed(key, paymentStaff), body);
    assert.equal(staff.statusCode, 200, staff.body);
  });

  test('tokenizing sent again with its key answers the same token; other card details with it are refused', async () => {
    const card = {
      number: '4242 4242 4242 4242',
      expMonth: 12,
      expYear: new Date().getUTCFullYear() + 2,
      cvc: '123',
    };
    const key = unique('token-key');
    const first = await paymentRequest(shop, 'POST', '/tokens', { 'idempotency-key': key }, card);
    assert.equal(first.statusCode, 201, first.body);
    const again = await paymentRequest(shop, 'POST', '/tokens', { 'idempotency-key': key }, card);
    assert.equal(again.body, first.body);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    const other = await paymentRequest(
      shop,
      'POST',
      '/tokens',
      { 'idempotency-key': key },
      { ...card, cvc: '124' },
    );
    assert.equal(other.statusCode, 422, other.body);
    assert.equal(codeOf(other), 'idempotency_key_reused');
  });

  test('a declined authorization sent again with its key answers the same 402', async () => {
    const { token } = await tokenize(shop, '4000000000000002');
    const body = { token, amount: 100, currency: 'EUR', reference: unique('keyed-decline') };
    const key = unique('key');
    const first = await paymentRequest(shop, 'POST', '/intents', keyed(key), body);
    assert.equal(first.statusCode, 402, first.body);
    const again = await paymentRequest(shop, 'POST', '/intents', keyed(key), body);
    assert.equal(again.statusCode, 402);
    assert.equal(codeOf(again), 'card_declined');
  });

  test('a refund without a reference, sent twice with one key, refunds once; a new key refunds again', async () => {
    const intent = await captured(shop, { amount: 3000 });
    const key = unique('key');
    const url = `/intents/${intent.id}/refunds`;
    const first = await paymentRequest(shop, 'POST', url, keyed(key), { amount: 1000 });
    assert.equal(first.statusCode, 201, first.body);
    const again = await paymentRequest(shop, 'POST', url, keyed(key), { amount: 1000 });
    assert.equal(again.statusCode, 201);
    assert.equal(again.body, first.body);
    assert.equal((again.json() as PaymentIntent).amountRefunded, 1000);

    const reused = await paymentRequest(shop, 'POST', url, keyed(key), { amount: 999 });
    assert.equal(reused.statusCode, 422);
    assert.equal(codeOf(reused), 'idempotency_key_reused');

    const second = await paymentRequest(shop, 'POST', url, keyed(unique('key')), { amount: 1000 });
    assert.equal(second.statusCode, 201);
    assert.equal((second.json() as PaymentIntent).amountRefunded, 2000);
    const refunds = (await attemptsOf(shop, intent.id)).filter((line) => line.startsWith('refund'));
    assert.equal(refunds.length, 2);
  });

  test('a key used for one intent is refused for another, which is left as it is', async () => {
    const key = unique('key');
    const a = await captured(shop);
    const b = await captured(shop);
    const first = await paymentRequest(shop, 'POST', `/intents/${a.id}/refunds`, keyed(key), {});
    assert.equal(first.statusCode, 201, first.body);
    const other = await paymentRequest(shop, 'POST', `/intents/${b.id}/refunds`, keyed(key), {});
    assert.equal(other.statusCode, 422, other.body);
    assert.equal(codeOf(other), 'idempotency_key_reused');
    const read = await paymentRequest(shop, 'GET', `/intents/${b.id}`, ordersHeaders);
    assert.equal((read.json() as PaymentIntent).amountRefunded, 0);
  });
});
