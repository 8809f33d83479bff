import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { buildApp, createLogger, migrateAll, type ShopApp } from '@shopstack/kernel';

import { describeEachBackend } from '@shopstack/kernel/testing';
import { paymentService } from '../src/index.js';
import type { CardToken } from '../src/schemas/token.js';
import {
  buildPaymentShop,
  CARDS,
  codeOf,
  ordersHeaders,
  paymentRequest,
  unique,
  WEBHOOK_SECRET,
} from './support.js';

const nextYear = new Date().getUTCFullYear() + 1;
const card = (number: string, extra: object = {}) => ({
  number,
  expMonth: 6,
  expYear: nextYear,
  cvc: '314',
  ...extra,
});

describeEachBackend('card tokens', (backend) => {
  let shop: ShopApp;
  before(async () => {
    shop = await buildPaymentShop(backend);
  });

  test('each test card and brand tokenizes to its brand and last four digits, for anyone', async () => {
    const expected: Array<[string, string]> = [
      [CARDS.succeeds, 'visa'],
      [CARDS.declined, 'visa'],
      [CARDS.insufficientFunds, 'visa'],
      [CARDS.captureFails, 'visa'],
      [CARDS.mastercard, 'mastercard'],
      [CARDS.mastercard2, 'mastercard'],
      [CARDS.amex, 'amex'],
      [CARDS.other, 'unknown'],
    ];
    for (const [number, brand] of expected) {
      const res = await paymentRequest(shop, 'POST', '/tokens', {}, card(number));
      assert.equal(res.statusCode, 201, res.body);
      const token = res.json() as CardToken;
      assert.match(token.token, /^tok_[A-Za-z0-9]{24}$/);
      assert.deepEqual(
        { brand: token.brand, last4: token.last4, expMonth: token.expMonth, expYear: token.expYear },
        { brand, last4: number.slice(-4), expMonth: 6, expYear: nextYear },
      );
      assert.ok(!res.body.includes(number));
    }
  });

  test('a number grouped with spaces or dashes is read as its digits', async () => {
    for (const number of ['4242 4242 4242 4242', '4242-4242-4242-4242', '3782 822463 10005']) {
      const res = await paymentRequest(shop, 'POST', '/tokens', {}, card(number));
      assert.equal(res.statusCode, 201, res.body);
      assert.equal((res.json() as CardToken).last4, number.slice(-4));
    }
  });

  test('a number failing the Luhn check is refused as invalid_card_number without repeating it', async () => {
    for (const number of ['4242424242424241', '1234567890123', '4242 4242 4242 4243']) {
      const res = await paymentRequest(shop, 'POST', '/tokens', {}, card(number));
      assert.equal(res.statusCode, 422, res.body);
      assert.equal(codeOf(res), 'invalid_card_number');
      assert.equal((res.json() as { field: string }).field, 'number');
      assert.ok(!res.body.includes(number.replace(/\D/g, '').slice(0, 12)), res.body);
    }
  });

  test('a card past its expiry month is refused as card_expired; the current month still passes', async () => {
    const now = new Date();
    const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
    const expired = await paymentRequest(
      shop,
      'POST',
      '/tokens',
      {},
      card(CARDS.succeeds, { expMonth: lastMonth.getUTCMonth() + 1, expYear: lastMonth.getUTCFullYear() }),
    );
    assert.equal(expired.statusCode, 422, expired.body);
    assert.equal(codeOf(expired), 'card_expired');
    const current = await paymentRequest(
      shop,
      'POST',
      '/tokens',
      {},
      card(CARDS.succeeds, { expMonth: now.getUTCMonth() + 1, expYear: now.getUTCFullYear() }),
    );
    assert.equal(current.statusCode, 201, current.body);
  });

  test('malformed card details are refused with a 400 that never echoes the number', async () => {
    const number = '4242424242424242';
    for (const body of [
      card(`${number}x`),
      card(`${number}4242424242`),
      card(number, { cvc: '12' }),
      card(number, { cvc: '12345' }),
      card(number, { expMonth: 13 }),
      card(number, { cvc: 314 }),
      card(number, { brand: 'visa' }),
      { number, expMonth: 6, expYear: nextYear },
    ]) {
      const res = await paymentRequest(shop, 'POST', '/tokens', {}, body);
      assert.equal(res.statusCode, 400, res.body);
      assert.ok(!res.body.includes(number), res.body);
    }
  });
});

describeEachBackend('card numbers are kept nowhere', (backend) => {
  let shop: ShopApp;
  const lines: string[] = [];
  before(async () => {
    // Built by hand to capture every log line, at the most verbose level.
    const config = backend.config({ log: { level: 'trace' }, payment: { webhookSecret: WEBHOOK_SECRET } });
    const database = await backend.database(config);
    await migrateAll(database, [paymentService]);
    const logger = createLogger(config, { write: (line: string) => void lines.push(line) });
    shop = await buildApp({ config, database, services: [paymentService], logger });
  });
  after(() => shop.app.close());

  test('after tokenizing, paying, refusing and refunding, no table and no log line holds a full number', async () => {
    const numbers = [CARDS.succeeds, CARDS.declined, CARDS.mastercard, '4242424242424241'];
    for (const number of numbers) {
      const tokenized = await paymentRequest(
        shop,
        'POST',
        '/tokens',
        { 'idempotency-key': unique('key') },
        card(number),
      );
      if (tokenized.statusCode !== 201) continue;
      const { token } = tokenized.json() as CardToken;
      const auth = await paymentRequest(
        shop,
        'POST',
        '/intents',
        { ...ordersHeaders, 'idempotency-key': unique('key') },
        { token, amount: 1200, currency: 'EUR', reference: unique('no-numbers') },
      );
      if (auth.statusCode !== 201) continue;
      const { id } = auth.json() as { id: string };
      await paymentRequest(shop, 'POST', `/intents/${id}/capture`, ordersHeaders, {});
      await paymentRequest(shop, 'POST', `/intents/${id}/refunds`, ordersHeaders, { amount: 200 });
    }
    // Malformed requests too: a refusal must not carry the number into a log line either.
    await paymentRequest(shop, 'POST', '/tokens', {}, card(`${CARDS.succeeds}x`));
    await paymentRequest(shop, 'POST', '/tokens', {}, { ...card(CARDS.succeeds), extra: true });

    const schema = shop.database.schemaFor('payment');
    const { rows: tables } = await sql<{ name: string }>`
      select table_name as name from information_schema.tables where table_schema = ${schema}`.execute(
      shop.database.db,
    );
    assert.ok(tables.length >= 7, `only ${tables.length} tables`);
    let dump = '';
    for (const { name } of tables) {
      const { rows } = await sql`select * from ${sql.table(`${schema}.${name}`)}`.execute(shop.database.db);
      dump += JSON.stringify(rows);
    }
    assert.ok(dump.includes('tok_'), 'the dump holds the tokens');
    // Nor a fast digest of card details: the keys of tokenizing keep a slow, salted fingerprint.
    const { rows: keys } = await sql<{ scope: string; fingerprint: string }>`
      select scope, fingerprint from ${sql.table(`${schema}.idempotency_keys`)}`.execute(shop.database.db);
    const tokenKeys = keys.filter((key) => key.scope.includes('/tokens'));
    assert.ok(tokenKeys.length > 0, 'tokenizing kept its keys');
    // What a fast digest of each request would be (the kernel's canonical JSON: keys sorted).
    const fastDigests = numbers.flatMap((number) => {
      const body = JSON.stringify(card(number), Object.keys(card(number)).sort());
      return [`{"body":${body},"params":null}`, `{"body":${body},"params":{}}`].map((text) =>
        createHash('sha256').update(text).digest('hex'),
      );
    });
    assert.ok(tokenKeys.every((key) => !fastDigests.includes(key.fingerprint)));
    assert.ok(dump.includes('"operation":"refund"'), 'payments went as far as a refund');
    const log = lines.join('\n');
    assert.ok(log.length > 0, 'something was logged');
    for (const number of numbers) {
      assert.ok(!dump.includes(number), `${number} is stored`);
      assert.ok(!log.includes(number), `${number} is logged`);
    }
  });
});

test('should card details ever reach a log line, the logger censors the number and the CVC', () => {
  const lines: string[] = [];
  const logger = createLogger(
    { log: { level: 'info' }, store: { id: 'demo', name: 'Demo', currency: 'EUR' } },
    { write: (line: string) => void lines.push(line) },
  );
  logger.info({ body: { number: CARDS.succeeds, cvc: '737' }, req: { body: { number: CARDS.amex } } }, 'x');
  logger.info({ card: { cvc: '737' }, cvc: '737' }, 'y');
  const text = lines.join('\n');
  for (const secret of [CARDS.succeeds, CARDS.amex, '737']) assert.ok(!text.includes(secret), text);
});
