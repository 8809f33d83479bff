import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { ShopApp } from '@shopstack/kernel';
import { actAs, staffHeadersFor, type TestBackend } from '@shopstack/kernel/testing';
import { paymentService, signTestGatewayWebhook } from '../src/index.js';
import type { PaymentIntent } from '../src/schemas/intent.js';
import type { CardToken } from '../src/schemas/token.js';

/** Helpers shared by the payment's tests: cards, tokens and intents through HTTP, rows through SQL. */

export const WEBHOOK_SECRET = 'test-webhook-secret-0123456789abcdef';
export const paymentStaff = await staffHeadersFor('payment');
/** The orders service acting on its own behalf, as checkout does. */
export const ordersHeaders = {
  authorization: `Bearer ${await actAs({ kind: 'service', name: 'orders' }, 'payment', { caller: 'orders' })}`,
};

/** The test cards, and other valid numbers of each brand. */
export const CARDS = {
  succeeds: '4242424242424242',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
  captureFails: '4000000000000341',
  mastercard: '5555555555554444',
  mastercard2: '2223003122003222',
  amex: '378282246310005',
  other: '6011111111111117',
} as const;

/** Bearer headers of a customer at the payment service. */
export async function customerHeaders(id: string): Promise<{ authorization: string }> {
  return { authorization: `Bearer ${await actAs({ kind: 'customer', id }, 'payment')}` };
}

let counter = 0;
/** A name no other test of the run uses (references are unique per store). */
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`;
}

/** The payment service alone, with a webhook secret. */
export function buildPaymentShop(backend: TestBackend): Promise<ShopApp> {
  return backend.buildApp({
    services: [paymentService],
    config: { payment: { webhookSecret: WEBHOOK_SECRET } },
  });
}

/** One request to the payment API. */
export function paymentRequest(
  shop: ShopApp,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  headers: Record<string, string> = {},
  payload?: unknown,
) {
  return shop.app.inject({
    method,
    url: `/api/payment${url}`,
    headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

/** Tokenizes a card (a year ahead of now) and returns the token. */
export async function tokenize(shop: ShopApp, number: string = CARDS.succeeds): Promise<CardToken> {
  const res = await paymentRequest(
    shop,
    'POST',
    '/tokens',
    {},
    {
      number,
      expMonth: 12,
      expYear: new Date().getUTCFullYear() + 1,
      cvc: '123',
    },
  );
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as CardToken;
}

/** Tokenizes a card and authorizes an amount on it as the orders service; returns the intent. */
export async function authorized(
  shop: ShopApp,
  options: { number?: string; amount?: number; customerId?: string | null; reference?: string } = {},
): Promise<PaymentIntent> {
  const { token } = await tokenize(shop, options.number);
  const res = await paymentRequest(shop, 'POST', '/intents', ordersHeaders, {
    token,
    amount: options.amount ?? 5000,
    currency: 'EUR',
    reference: options.reference ?? unique('checkout'),
    ...(options.customerId === undefined ? {} : { customerId: options.customerId }),
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as PaymentIntent;
}

/** An authorized intent captured in full. */
export async function captured(
  shop: ShopApp,
  options: Parameters<typeof authorized>[1] = {},
): Promise<PaymentIntent> {
  const intent = await authorized(shop, options);
  const res = await paymentRequest(shop, 'POST', `/intents/${intent.id}/capture`, ordersHeaders, {});
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as PaymentIntent;
}

/** The name of the payment schema of a shop, for SQL. */
export function table(shop: ShopApp, name: string) {
  return sql.table(`${shop.database.schemaFor('payment')}.${name}`);
}

/** The provider calls recorded for an intent, as "operation outcome" lines in order. */
export async function attemptsOf(shop: ShopApp, intentId: string): Promise<string[]> {
  const { rows } = await sql<{ operation: string; outcome: string }>`
    select operation, outcome from ${table(shop, 'payment_attempts')} where intent_id = ${intentId} order by id`.execute(
    shop.database.db,
  );
  return rows.map((row) => `${row.operation} ${row.outcome}`);
}

/** The types of the events the payment service wrote to its outbox about an intent, in order. */
export async function eventsOf(shop: ShopApp, intentId: string): Promise<string[]> {
  const { rows } = await sql<{ type: string }>`
    select type from ${table(shop, 'outbox')} where data->>'id' = ${intentId} order by id`.execute(
    shop.database.db,
  );
  return rows.map((row) => row.type);
}

/** A webhook signature header for a body, signed now (or `ageSeconds` ago) with the test secret. */
export function signed(body: string, ageSeconds = 0, secret = WEBHOOK_SECRET): Record<string, string> {
  const t = Math.floor(Date.now() / 1000) - ageSeconds;
  return {
    'content-type': 'application/json',
    'shopstack-signature': signTestGatewayWebhook(secret, body, t),
  };
}

export const codeOf = (res: { json(): unknown }) => (res.json() as { code: string }).code;
