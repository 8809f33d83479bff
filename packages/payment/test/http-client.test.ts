import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import {
  mintServiceToken,
  serviceContext,
  type Actor,
  type RequestContext,
  type ShopApp,
} from '@shopstack/kernel';
import { describeEachBackend, settled, TEST_SERVICE_SECRET } from '@shopstack/kernel/testing';
import type { PaymentClient } from '../src/client.js';
import { HttpPaymentClient } from '../src/http-client.js';
import { buildPaymentShop, CARDS, table, tokenize, unique } from './support.js';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/g;

describeEachBackend('payment HTTP client', (backend) => {
  let shop: ShopApp;
  let http: HttpPaymentClient;
  let local: PaymentClient;
  before(async () => {
    shop = await buildPaymentShop(backend);
    await shop.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = shop.app.server.address() as AddressInfo;
    // What the kernel sends for the orders service: a service token carrying the call's actor.
    http = new HttpPaymentClient({
      baseUrl: `http://127.0.0.1:${port}/`,
      credential: (ctx) =>
        mintServiceToken(
          { secret: TEST_SERVICE_SECRET, storeId: ctx.store.id, caller: 'orders', audience: 'payment' },
          ctx,
        ),
      timeoutMs: 5000,
    });
    local = shop.services.clients.get('payment');
  });
  after(() => http.close());

  const as = (actor: Actor, caller?: string): RequestContext => ({
    ...serviceContext(shop.config.store, shop.logger, 'orders'),
    actor,
    ...(caller === undefined ? {} : { caller }),
  });
  const orders = () => as({ kind: 'service', name: 'orders' });

  /** Runs the same scenario through both clients, each on tokens of its own, with the varying parts masked. */
  async function both(
    scenario: (client: PaymentClient, names: Record<string, string>) => Promise<unknown[]>,
  ) {
    const results: string[] = [];
    for (const client of [local, http]) {
      const names = {
        good: (await tokenize(shop)).token,
        good2: (await tokenize(shop)).token,
        declined: (await tokenize(shop, CARDS.declined)).token,
        captureFails: (await tokenize(shop, CARDS.captureFails)).token,
        reference: unique('hc-checkout'),
        other: unique('hc-other'),
      };
      let text = JSON.stringify(await scenario(client, names));
      for (const [name, value] of Object.entries(names)) text = text.replaceAll(value, `<${name}>`);
      results.push(text.replace(UUID, '<uuid>').replace(TIME, '<time>'));
    }
    return results.map((text) => JSON.parse(text) as unknown[]);
  }

  const errorOf = (o: unknown) => (o as { error?: string }).error;
  const codeOf = (o: unknown) => (o as { details?: { code?: string } }).details?.code;
  const statusOf = (o: unknown) => (o as { ok?: { status?: string } | null }).ok?.status;

  test('authorizing, repeating and refusing give the same answers and errors over HTTP as in process', async () => {
    const [inProcess, overHttp] = await both(async (client, n) => {
      const input = {
        token: n.good,
        amount: 2500,
        currency: 'EUR',
        reference: n.reference,
        customerId: 'c-1',
      };
      const declined = { token: n.declined, amount: 2500, currency: 'EUR', reference: n.other };
      return [
        await settled(client.authorize(orders(), input)),
        await settled(client.authorize(orders(), input)),
        await settled(client.authorize(orders(), { ...input, amount: 2600 })),
        await settled(client.authorize(orders(), { ...input, token: n.good2 })),
        await settled(client.authorize(orders(), declined)),
        await settled(client.authorize(orders(), declined)),
        await settled(
          client.authorize(orders(), {
            ...input,
            token: 'tok_000000000000000000000000',
            reference: `${n.other}-x`,
          }),
        ),
        await settled(client.authorize(orders(), { ...input, amount: 0, reference: `${n.other}-y` })),
        await settled(client.authorize(as({ kind: 'customer', id: 'c-1' }, 'orders'), { ...input })),
        await settled(client.findIntentByReference(orders(), n.reference)),
        await settled(client.findIntentByReference(orders(), `${n.reference}-none`)),
      ];
    });
    assert.deepEqual(overHttp, inProcess);
    assert.deepEqual(
      inProcess.map((o) => errorOf(o) ?? statusOf(o) ?? null),
      [
        'authorized',
        'authorized',
        'Conflict',
        'Conflict',
        'PaymentRequired',
        'PaymentRequired',
        'NotFound',
        'InvalidInput',
        'authorized',
        'authorized',
        null,
      ],
    );
    assert.deepEqual(
      [2, 3, 4, 5, 6].map((i) => codeOf(inProcess[i])),
      [
        'payment_reference_reused',
        'payment_reference_reused',
        'card_declined',
        'card_declined',
        'payment_token_not_found',
      ],
    );
  });

  test('capturing, refunding, voiding and reading give the same results and errors over HTTP as in process', async () => {
    const [inProcess, overHttp] = await both(async (client, n) => {
      const intent = await client.authorize(orders(), {
        token: n.good,
        amount: 3000,
        currency: 'EUR',
        reference: n.reference,
        customerId: 'c-2',
      });
      const failing = await client.authorize(orders(), {
        token: n.captureFails,
        amount: 1000,
        currency: 'EUR',
        reference: n.other,
      });
      return [
        await settled(client.capture(orders(), intent.id, { amount: 2800 })),
        await settled(client.capture(orders(), intent.id)),
        await settled(
          client.refund(orders(), intent.id, { amount: 800, reference: 'return-1', reason: 'too big' }),
        ),
        await settled(client.refund(orders(), intent.id, { amount: 800, reference: 'return-1' })),
        await settled(client.refund(orders(), intent.id, { amount: 5000 })),
        await settled(client.refund(orders(), intent.id, { amount: 900, reference: 'return-1' })),
        await settled(client.voidIntent(orders(), intent.id)),
        await settled(client.refund(orders(), intent.id, {})),
        await settled(client.capture(orders(), failing.id)),
        await settled(client.refund(orders(), failing.id, {})),
        await settled(client.voidIntent(orders(), failing.id)),
        await settled(client.voidIntent(orders(), failing.id)),
        await settled(client.capture(orders(), failing.id)),
        await settled(client.getIntent(as({ kind: 'customer', id: 'c-2' }, 'orders'), intent.id)),
        await settled(client.getIntent(orders(), 'no-such-intent')),
        await settled(client.capture(orders(), 'no-such-intent')),
      ];
    });
    assert.deepEqual(overHttp, inProcess);
    assert.deepEqual(
      inProcess.map((o) => errorOf(o) ?? statusOf(o)),
      [
        'captured',
        'captured',
        'partially_refunded',
        'partially_refunded',
        'Conflict',
        'Conflict',
        'InvalidState',
        'refunded',
        'PaymentRequired',
        'InvalidState',
        'voided',
        'voided',
        'InvalidState',
        'refunded',
        'NotFound',
        'NotFound',
      ],
    );
    assert.deepEqual(
      [4, 5, 6, 8].map((i) => codeOf(inProcess[i])),
      ['refund_exceeds_captured', 'refund_reference_reused', 'invalid_payment_state', 'capture_failed'],
    );
  });

  test('every POST of the HTTP client carries an Idempotency-Key named after its operation', async () => {
    const { rows } = await sql<{ key: string }>`select key from ${table(shop, 'idempotency_keys')}`.execute(
      shop.database.db,
    );
    const operations = new Set(rows.map((row) => row.key.split(':')[0]));
    assert.deepEqual([...operations].sort(), ['authorize', 'capture', 'refund', 'void']);
    for (const { key } of rows) assert.match(key, /:[0-9a-f-]{36}$/);
  });
});
