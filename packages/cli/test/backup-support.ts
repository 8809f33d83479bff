import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { TestContext } from 'node:test';
import {
  buildApp,
  openDatabase,
  restoreEmbeddedDatabase,
  startEmbeddedDatabase,
  type Actor,
  type Config,
  type ShopApp,
} from '@shopstack/kernel';
import type { InjectOptions } from 'fastify';
import { actAs, pgliteTemplate, TEST_POSTGRES_URL, TEST_SERVICE_SECRET } from '@shopstack/kernel/testing';
import {
  PlatformLayout,
  StoreRegistry,
  databaseUrl,
  dropDatabase,
  storeDatabaseName,
  type StoreDatabase,
  type StoreRecord,
} from '@shopstack/platform';
import pg from 'pg';
import { seedStoreDatabase } from '../src/seed.js';
import { knownServices, resolveServices } from '../src/services.js';
import { storeCommandConfig } from '../src/stores.js';
import { tempDir } from './cli-process.js';

/** Helpers of the backup drills: a platform store with a catalogue and orders, and its tables' fingerprints. */

export type DrillKind = 'embedded' | 'postgres';

export interface DrillStore {
  dir: string;
  layout: PlatformLayout;
  registry: StoreRegistry;
  id: string;
  /** The store's configuration, as its processes load it (for its current record). */
  config(): Config;
  record(): StoreRecord;
  uploads: string;
}

/** Every database on the server whose name starts with the store's (its own and its restores). */
export async function databasesOf(id: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      'select datname as name from pg_database where starts_with(datname, $1) order by 1',
      [storeDatabaseName(id)],
    );
    return rows.map((r) => r.name);
  } finally {
    await client.end();
  }
}

/**
 * A store on a platform directory of the test's own, migrated and seeded with a small catalogue.
 * Its processes accept the test service secret (so the test can act as staff and customers) and
 * log nothing. Everything is removed after the test, its PostgreSQL databases included.
 */
export async function drillStore(t: TestContext, kind: DrillKind, products = 30): Promise<DrillStore> {
  const dir = tempDir('backup-drill');
  const layout = new PlatformLayout(dir);
  const registry = new StoreRegistry(layout);
  const id = `drill-${kind.slice(0, 2)}-${randomBytes(4).toString('hex')}`;
  t.after(async () => {
    if (kind === 'postgres')
      for (const name of await databasesOf(id)) await dropDatabase(TEST_POSTGRES_URL, name);
    rmSync(dir, { recursive: true, force: true });
  });
  await registry.create({
    id,
    name: 'Drill Shop',
    domains: [],
    currency: 'EUR',
    ...(kind === 'postgres' ? { postgresServer: TEST_POSTGRES_URL } : {}),
  });
  registry.update(id, (record) => ({
    ...record,
    settings: {
      auth: { serviceSecret: TEST_SERVICE_SECRET },
      log: { level: 'silent' },
      // Nothing moves by itself between a fingerprint and the backup: no recovery runs, the carrier is slow.
      orders: { recoveryAgeSeconds: 86_400, recoveryIntervalSeconds: 3600 },
    },
  }));
  const store: DrillStore = {
    dir,
    layout,
    registry,
    id,
    record: () => registry.get(id),
    config: () => storeCommandConfig(registry, registry.get(id)),
    uploads: path.join(layout.storeDir(id), 'uploads'),
  };
  // A copy of a fresh data directory is quicker than the initdb a new embedded database runs.
  if (kind === 'embedded')
    await restoreEmbeddedDatabase(await pgliteTemplate(), path.join(layout.storeDir(id), 'database'));
  await seedStoreDatabase(store.config(), { products });
  return store;
}

/**
 * Runs `work` on the store's app (every service, in this process), then closes the app, stopping
 * its background jobs, and resolves with the fingerprint of the store's tables at that moment.
 */
export async function withShop(
  store: DrillStore,
  work: (shop: ShopApp) => Promise<void>,
): Promise<Record<string, string>> {
  const config = store.config();
  const database = await openDatabase(config, { purpose: 'backup drill' });
  try {
    const shop = await buildApp({
      config,
      database,
      services: resolveServices(config.services),
      known: knownServices,
    });
    try {
      await work(shop);
    } finally {
      await shop.app.close();
    }
    const client = await database.pool.connect();
    try {
      return await fingerprint(client);
    } finally {
      client.release();
    }
  } finally {
    await database.close();
  }
}

/**
 * The row count and an MD5 of the rows (as text, in order) of every table of every schema but the
 * system's: equal fingerprints mean equal contents.
 */
export async function fingerprint(client: pg.ClientBase): Promise<Record<string, string>> {
  const { rows: tables } = await client.query<{ schema: string; name: string }>(
    `select table_schema as schema, table_name as name from information_schema.tables
     where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')
     order by 1, 2`,
  );
  const out: Record<string, string> = {};
  for (const { schema, name } of tables) {
    const table = `${client.escapeIdentifier(schema)}.${client.escapeIdentifier(name)}`;
    const { rows } = await client.query<{ n: number; hash: string }>(
      `select count(*)::int as n, md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as hash from ${table} t`,
    );
    out[`${schema}.${name}`] = `${rows[0]!.n}:${rows[0]!.hash}`;
  }
  return out;
}

/** The fingerprint of a store database as a record names it (an embedded one is opened, then closed). */
export async function fingerprintOf(
  store: DrillStore,
  database: StoreDatabase,
): Promise<Record<string, string>> {
  if (database.kind === 'postgres') {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      return await fingerprint(client);
    } finally {
      await client.end();
    }
  }
  const embedded = await startEmbeddedDatabase({
    dataDir: path.join(store.layout.storeDir(store.id), database.dir),
    purpose: 'backup drill',
  });
  const client = new pg.Client({ ...embedded.connection });
  try {
    await client.connect();
    return await fingerprint(client);
  } finally {
    await client.end().catch(() => {});
    await embedded.close();
  }
}

/** The URL of a PostgreSQL database of the test server. */
export function testDatabaseUrl(name: string): string {
  return databaseUrl(TEST_POSTGRES_URL, name);
}

// --- the shop, through HTTP -------------------------------------------------------------------

async function bearer(store: DrillStore, audience: string, actor: Actor) {
  return { authorization: `Bearer ${await actAs(actor, audience, { storeId: store.id })}` };
}

const staff = (store: DrillStore, audience: string) =>
  bearer(store, audience, { kind: 'staff', id: 'drill-admin', role: 'admin' });

async function call(shop: ShopApp, request: InjectOptions, expected: number) {
  const res = await shop.app.inject(request);
  assert.equal(res.statusCode, expected, `${request.method} ${String(request.url)}: ${res.body}`);
  return res.json() as Record<string, unknown>;
}

/** A published product of one variant with stock; resolves with its SKU. */
export async function createProduct(store: DrillStore, shop: ShopApp, price: number): Promise<string> {
  const sku = `DRILL-${randomBytes(3).toString('hex').toUpperCase()}`;
  await call(
    shop,
    {
      method: 'POST',
      url: '/api/catalogue/admin/products',
      headers: await staff(store, 'catalogue'),
      payload: {
        name: `Drill product ${sku}`,
        status: 'published',
        variants: [{ sku, price: { amount: price, currency: 'EUR' }, onHand: 50, weightGrams: 300 }],
      },
    },
    201,
  );
  return sku;
}

/** The seeded domestic zone's standard shipping method. */
export async function standardShipping(store: DrillStore, shop: ShopApp): Promise<string> {
  const { zones } = (await call(
    shop,
    { method: 'GET', url: '/api/shipping/admin/zones', headers: await staff(store, 'shipping') },
    200,
  )) as { zones: Array<{ countries: string[]; methods: Array<{ id: string; code: string }> }> };
  const method = zones.find((z) => z.countries.includes('DE'))?.methods.find((m) => m.code === 'standard');
  assert.ok(method, 'the seeded store ships to Germany');
  return method.id;
}

/** A customer's cart of `quantity` of a SKU, paid with the test gateway's good card: a placed order. */
export async function placeOrder(
  store: DrillStore,
  shop: ShopApp,
  sku: string,
  quantity: number,
  methodId: string,
) {
  const customer = { kind: 'customer' as const, id: `customer-${randomUUID()}` };
  const cartHeaders = await bearer(store, 'cart', customer);
  const cart = (await call(shop, { method: 'POST', url: '/api/cart', headers: cartHeaders }, 201)) as {
    id: string;
  };
  await call(
    shop,
    { method: 'POST', url: `/api/cart/${cart.id}/lines`, headers: cartHeaders, payload: { sku, quantity } },
    200,
  );
  const { token } = (await call(
    shop,
    {
      method: 'POST',
      url: '/api/payment/tokens',
      payload: {
        number: '4242 4242 4242 4242',
        expMonth: 12,
        expYear: new Date().getUTCFullYear() + 2,
        cvc: '123',
      },
    },
    201,
  )) as { token: string };
  return call(
    shop,
    {
      method: 'POST',
      url: '/api/orders/checkout',
      headers: { ...(await bearer(store, 'orders', customer)), 'idempotency-key': randomUUID() },
      payload: {
        cartId: cart.id,
        email: 'drill@example.com',
        shippingAddress: {
          recipient: 'Ada Lovelace',
          line1: 'Hauptstr. 1',
          city: 'Berlin',
          postalCode: '10115',
          country: 'DE',
        },
        shippingMethodId: methodId,
        paymentToken: token,
      },
    },
    201,
  );
}

/** A guest's cart left open with a line in it. */
export async function openGuestCart(shop: ShopApp, sku: string): Promise<void> {
  const cart = (await call(shop, { method: 'POST', url: '/api/cart' }, 201)) as { id: string; token: string };
  await call(
    shop,
    {
      method: 'POST',
      url: `/api/cart/${cart.id}/lines`,
      headers: { 'x-cart-token': cart.token },
      payload: { sku, quantity: 2 },
    },
    200,
  );
}

/** Every file under a directory (hidden ones too) with its SHA-256. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  const walk = (current: string) => {
    for (const name of readdirSync(current).sort()) {
      const full = path.join(current, name);
      const relative = path.relative(dir, full);
      if (statSync(full).isDirectory()) {
        out[`${relative}/`] = 'dir';
        walk(full);
      } else out[relative] = createHash('sha256').update(readFileSync(full)).digest('hex');
    }
  };
  walk(dir);
  return out;
}
