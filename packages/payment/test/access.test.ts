import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import type { IntentPage, PaymentIntent } from '../src/schemas/intent.js';
import {
  authorized,
  buildPaymentShop,
  captured,
  codeOf,
  customerHeaders,
  ordersHeaders,
  paymentRequest,
  paymentStaff,
  tokenize,
  unique,
} from './support.js';

describeEachBackend('who may see and move payments', (backend) => {
  let shop: ShopApp;
  before(async () => {
    shop = await buildPaymentShop(backend);
  });

  test('a customer reads their own intent; another customer and anonymous callers get 404, as for no intent', async () => {
    const ann = unique('ann');
    const intent = await authorized(shop, { customerId: ann });
    const own = await paymentRequest(shop, 'GET', `/intents/${intent.id}`, await customerHeaders(ann));
    assert.equal(own.statusCode, 200, own.body);
    assert.equal((own.json() as PaymentIntent).id, intent.id);
    for (const headers of [await customerHeaders(unique('bob')), {}]) {
      const res = await paymentRequest(shop, 'GET', `/intents/${intent.id}`, headers);
      assert.equal(res.statusCode, 404, res.body);
      assert.equal(codeOf(res), 'payment_intent_not_found');
    }
    for (const headers of [paymentStaff, ordersHeaders]) {
      assert.equal((await paymentRequest(shop, 'GET', `/intents/${intent.id}`, headers)).statusCode, 200);
    }
    const guestIntent = await authorized(shop);
    const res = await paymentRequest(shop, 'GET', `/intents/${guestIntent.id}`, await customerHeaders(ann));
    assert.equal(res.statusCode, 404);
  });

  test('customers are refused moving money (403) and anonymous callers asked to sign in (401)', async () => {
    const intent = await captured(shop, { customerId: 'c-owner' });
    const { token } = await tokenize(shop);
    const customer = await customerHeaders('c-owner');
    for (const [method, url, payload] of [
      ['POST', '/intents', { token, amount: 100, currency: 'EUR', reference: unique('nope') }],
      ['POST', `/intents/${intent.id}/capture`, {}],
      ['POST', `/intents/${intent.id}/void`, undefined],
      ['POST', `/intents/${intent.id}/refunds`, {}],
    ] as const) {
      const forbidden = await paymentRequest(shop, method, url, customer, payload);
      assert.equal(forbidden.statusCode, 403, `${method} ${url}: ${forbidden.body}`);
      const anonymous = await paymentRequest(shop, method, url, {}, payload);
      assert.equal(anonymous.statusCode, 401, `${method} ${url}: ${anonymous.body}`);
    }
    const read = await paymentRequest(shop, 'GET', `/intents/${intent.id}`, paymentStaff);
    assert.equal((read.json() as PaymentIntent).amountRefunded, 0);
  });

  test('a customer lists their own intents only; staff list all, by reference or status; anonymous 401', async () => {
    const cat = unique('cat');
    const mine = [await authorized(shop, { customerId: cat }), await captured(shop, { customerId: cat })];
    const theirs = await authorized(shop, { customerId: unique('dan') });
    const list = await paymentRequest(shop, 'GET', '/intents?pageSize=100', await customerHeaders(cat));
    assert.equal(list.statusCode, 200, list.body);
    const page = list.json() as IntentPage;
    assert.deepEqual(
      page.items.map((i) => i.id),
      [mine[1]!.id, mine[0]!.id],
    );
    assert.equal(page.total, 2);

    for (const headers of [paymentStaff, ordersHeaders]) {
      const byReference = await paymentRequest(
        shop,
        'GET',
        `/intents?reference=${theirs.reference}`,
        headers,
      );
      assert.deepEqual(
        (byReference.json() as IntentPage).items.map((i) => i.id),
        [theirs.id],
      );
    }
    const capturedOnes = (
      (
        await paymentRequest(shop, 'GET', '/intents?status=captured&pageSize=100', paymentStaff)
      ).json() as IntentPage
    ).items;
    assert.ok(capturedOnes.length >= 1);
    assert.ok(capturedOnes.every((i) => i.status === 'captured'));
    assert.ok(capturedOnes.some((i) => i.id === mine[1]!.id));

    const paged = (
      await paymentRequest(shop, 'GET', '/intents?page=2&pageSize=1', paymentStaff)
    ).json() as IntentPage;
    assert.equal(paged.items.length, 1);
    assert.equal(paged.page, 2);
    assert.ok(paged.total >= 3);

    assert.equal((await paymentRequest(shop, 'GET', '/intents', {})).statusCode, 401);
  });

  test('intents never show the token, the provider reference or more of the card than brand and last four', async () => {
    const intent = await captured(shop);
    const body = JSON.stringify(intent);
    assert.ok(!body.includes('tok_'));
    assert.ok(!body.includes('ch_'));
    assert.deepEqual(Object.keys(intent.card!), ['brand', 'last4']);
  });
});
