import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { before, test } from 'node:test';
import { sql } from 'kysely';
import type { ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import type { CheckoutStep, OrdersApi } from '../src/index.js';
import {
  ADDRESS,
  buildCheckoutShop,
  checkoutOutcome,
  cardToken,
  cartWith,
  createProduct,
  rowsOf,
  setUpShipping,
  storePrefix,
  unique,
} from './support.js';

const STORE_SCRIPT = fileURLToPath(new URL('./crashing-store.ts', import.meta.url));

/** Starts a store process that dies after `step`; resolves with its address and the process. */
async function startDyingStore(databaseUrl: string, schemaPrefix: string, step: CheckoutStep) {
  const child = spawn(process.execPath, ['--import', 'tsx', STORE_SCRIPT], {
    env: { ...process.env, DATABASE_URL: databaseUrl, SCHEMA_PREFIX: schemaPrefix, CRASH_AFTER: step },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const address = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((l) => l.startsWith('http://'));
      if (line) resolve(line.trim());
    });
    child.once('exit', (code, signal) => reject(new Error(`the store exited early (${code ?? signal})`)));
  });
  return { child, address };
}

/*
 * The real thing on PostgreSQL: a store process is killed with SIGKILL in the middle of a checkout,
 * after each of several steps; the same store started again (another app on the same database)
 * recovers it. PGlite's crash behaviour is covered by crash-recovery.test.ts (one process owns it).
 */
describeEachBackend('checkout in a process killed with SIGKILL', (backend) => {
  let restarted: ShopApp;
  let schemaPrefix: string;
  let methodId: string;

  before(async () => {
    if (backend.kind !== 'postgres') return;
    schemaPrefix = storePrefix();
    restarted = await buildCheckoutShop(backend, { schemaPrefix });
    methodId = (await setUpShipping(restarted)).standard;
  });

  for (const [step, finished] of [
    ['stock_reserved', false],
    ['payment_authorized', false],
    ['order_created', true],
    ['payment_captured', true],
  ] as const) {
    test(`killed after ${step}: ${finished ? 'a paid order, one capture, stock committed' : 'nothing held, nothing charged'}`, async (t) => {
      if (backend.kind !== 'postgres') return t.skip('a second process needs PostgreSQL');
      const sku = unique(`KILL-${step}`);
      await createProduct(restarted, [{ sku, price: 1500, onHand: 4 }]);
      const cart = await cartWith(restarted, [{ sku, quantity: 2 }]);
      const token = await cardToken(restarted);
      const { child, address } = await startDyingStore(backend.postgresUrl!, schemaPrefix, step);
      const exited = once(child, 'exit');
      const sent = await fetch(`${address}/api/orders/checkout`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': randomUUID(),
          'x-cart-token': cart.token!,
        },
        body: JSON.stringify({
          cartId: cart.id,
          email: 'kill@example.com',
          shippingAddress: ADDRESS,
          shippingMethodId: methodId,
          paymentToken: token,
        }),
      }).then(
        (res) => `answered ${res.status}`,
        () => 'no answer',
      );
      const [, signal] = (await exited) as [number | null, string | null];
      assert.equal(signal, 'SIGKILL');
      assert.equal(sent, 'no answer');

      const [left] = await rowsOf<{ id: string; status: string }>(
        restarted,
        'orders',
        'checkouts',
        sql`cart_id = ${cart.id}`,
      );
      assert.equal(left!.status, 'running');
      const outcome = await (restarted.apis.get('orders') as OrdersApi).recovery.run({ ageSeconds: 0 });
      assert.deepEqual([outcome.finished, outcome.undone, outcome.pending], finished ? [1, 0, 0] : [0, 1, 0]);
      const { checkoutStatus, orderStatuses, intentStatuses, captures, stock } = await checkoutOutcome(
        restarted,
        left!.id,
        sku,
      );
      if (finished) {
        assert.equal(checkoutStatus, 'completed');
        assert.deepEqual([stock.onHand, stock.reserved], [2, 0]);
        assert.deepEqual(intentStatuses, ['captured']);
        assert.deepEqual(orderStatuses, ['paid']);
        assert.equal(captures, 1);
      } else {
        assert.equal(checkoutStatus, 'failed');
        assert.deepEqual([stock.onHand, stock.reserved], [4, 0]);
        assert.ok(intentStatuses.every((status) => status === 'voided'));
        assert.deepEqual(orderStatuses, []);
      }
    });
  }
});
