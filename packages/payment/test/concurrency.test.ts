import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { sql } from 'kysely';
import { serviceContext, type RequestContext, type ShopApp } from '@shopstack/kernel';
import { describeEachBackend, settled } from '@shopstack/kernel/testing';
import type { PaymentClient } from '../src/client.js';
import type { PaymentIntent } from '../src/schemas/intent.js';
import {
  attemptsOf,
  authorized,
  buildPaymentShop,
  captured,
  ordersHeaders,
  paymentRequest,
  table,
  tokenize,
  unique,
} from './support.js';

/*
 * Races for real: on PostgreSQL the calls below run on up to 20 connections at once, so the
 * reference claim, the token lock and the intent's row lock are what keeps money right. (PGlite runs
 * one transaction at a time; the same suite passes there too.)
 */
describeEachBackend('payments under concurrency', (backend) => {
  let shop: ShopApp;
  let client: PaymentClient;
  let orders: RequestContext;
  before(async () => {
    shop = await buildPaymentShop(backend);
    client = shop.services.clients.get('payment');
    orders = serviceContext(shop.config.store, shop.logger, 'orders');
  });

  const outcomes = (results: unknown[]) => {
    const counts: Record<string, number> = {};
    for (const result of results as Array<{ ok?: PaymentIntent; details?: { code?: string } }>) {
      const key = result.ok ? 'ok' : (result.details?.code ?? 'error');
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  };

  test('50 parallel authorizations of one reference make one intent and one authorization', async () => {
    const { token } = await tokenize(shop);
    const input = { token, amount: 7300, currency: 'EUR', reference: unique('race-auth') };
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        i % 2 === 0
          ? settled(client.authorize(orders, input))
          : paymentRequest(shop, 'POST', '/intents', ordersHeaders, input).then((res) =>
              res.statusCode < 300
                ? { ok: res.json() }
                : { details: { code: (res.json() as { code: string }).code } },
            ),
      ),
    );
    assert.deepEqual(outcomes(results), { ok: 50 });
    const ids = new Set(results.map((result) => (result as { ok: PaymentIntent }).ok.id));
    assert.equal(ids.size, 1);
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from ${table(shop, 'payment_intents')} where reference = ${input.reference}`.execute(
      shop.database.db,
    );
    assert.equal(rows[0]!.n, 1);
    assert.deepEqual(await attemptsOf(shop, [...ids][0]!), ['authorize succeeded']);
  });

  test('one token raced under 20 references authorizes exactly one of them', async () => {
    const { token } = await tokenize(shop);
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        settled(
          client.authorize(orders, { token, amount: 100, currency: 'EUR', reference: unique('race-token') }),
        ),
      ),
    );
    assert.deepEqual(outcomes(results), { ok: 1, payment_token_used: 19 });
  });

  test('one reference raced with two tokens keeps the first and refuses the other as reused', async () => {
    const reference = unique('race-two-tokens');
    const tokens = [(await tokenize(shop)).token, (await tokenize(shop)).token];
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        settled(client.authorize(orders, { token: tokens[i % 2]!, amount: 100, currency: 'EUR', reference })),
      ),
    );
    const counts = outcomes(results);
    assert.deepEqual(counts, { ok: 5, payment_reference_reused: 5 });
  });

  test('20 parallel captures of one intent capture it once', async () => {
    const intent = await authorized(shop, { amount: 4200 });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? settled(client.capture(orders, intent.id))
          : paymentRequest(shop, 'POST', `/intents/${intent.id}/capture`, ordersHeaders, {}).then((res) => ({
              ok: res.json() as PaymentIntent,
              status: res.statusCode,
            })),
      ),
    );
    for (const result of results as Array<{ ok: PaymentIntent }>) {
      assert.equal(result.ok.status, 'captured');
      assert.equal(result.ok.amountCaptured, 4200);
    }
    assert.deepEqual(await attemptsOf(shop, intent.id), ['authorize succeeded', 'capture succeeded']);
  });

  test('20 parallel partial refunds worth more than the capture never refund more than was captured', async () => {
    const intent = await captured(shop, { amount: 1000 });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? settled(client.refund(orders, intent.id, { amount: 150 }))
          : paymentRequest(shop, 'POST', `/intents/${intent.id}/refunds`, ordersHeaders, {
              amount: 150,
            }).then((res) =>
              res.statusCode < 300
                ? { ok: res.json() }
                : { details: { code: (res.json() as { code: string }).code } },
            ),
      ),
    );
    // 6 x 150 = 900 fit in 1000; the seventh would not.
    assert.deepEqual(outcomes(results), { ok: 6, refund_exceeds_captured: 14 });
    const final = await client.getIntent(orders, intent.id);
    assert.equal(final.amountRefunded, 900);
    assert.equal(final.refunds.length, 6);
    assert.equal(final.status, 'partially_refunded');
    const refunds = (await attemptsOf(shop, intent.id)).filter((line) => line.startsWith('refund'));
    assert.equal(refunds.length, 6);

    const rest = await Promise.all(
      Array.from({ length: 10 }, () => settled(client.refund(orders, intent.id, {}))),
    );
    assert.deepEqual(outcomes(rest), { ok: 1, refund_exceeds_captured: 9 });
    assert.equal((await client.getIntent(orders, intent.id)).amountRefunded, 1000);
  });
});
