import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import type { ShopApp } from '../src/app.js';
import { accessGuard, authorize, type AccessRule } from '../src/auth.js';
import { ConfigError } from '../src/config.js';
import { restoreContext, serializeContext, serviceContext, type RequestContext } from '../src/context.js';
import { createLogger } from '../src/logger.js';
import type { ServiceMigration } from '../src/migrations.js';
import { problemResponses } from '../src/problem-codes.js';
import { defineService, type HttpClientOptions, type ServiceRuntime } from '../src/service.js';
import { ServiceClient } from '../src/service-client.js';
import { actAs, describeEachBackend, staffHeadersFor, TestBackend } from './support/index.js';

/** A ledger service, small enough to show the contract: a table, a rule, a client, events. */
interface LedgerTables {
  entries: { id: string; amount: number };
}

interface LedgerClient {
  /** Who the ledger sees acting: the actor and the service that passed the call on. */
  whoAmI(ctx: RequestContext): Promise<{ actor: string; caller: string | null }>;
  /** Records an entry; only staff and the `billing` service may. */
  record(ctx: RequestContext, id: string, amount: number): Promise<{ id: string }>;
  /** Counts the entries; staff and the `reports` service only. */
  audit(ctx: RequestContext): Promise<{ entries: number }>;
}

declare module '@shopstack/kernel' {
  interface ServiceClients {
    ledger: LedgerClient;
    billing: { ping(ctx: RequestContext): Promise<string> };
  }
}

const RECORDS: AccessRule = { staff: true, services: ['billing'] };

const migrations: Record<string, ServiceMigration> = {
  '0001-entries': {
    async up(db, { schema }) {
      await sql`create table ${sql.table(`${schema}.entries`)} (id text primary key, amount integer not null)`.execute(
        db,
      );
    },
  },
};

function createLedger(runtime: ServiceRuntime<LedgerTables>) {
  const db = (ctx: RequestContext) => runtime.uow.db(ctx).withSchema(runtime.schema);
  return {
    runtime,
    async whoAmI(ctx: RequestContext) {
      return { actor: ctx.actor.kind, caller: ctx.caller ?? null };
    },
    async record(ctx: RequestContext, id: string, amount: number) {
      authorize(ctx, RECORDS, 'record entries');
      return runtime.uow.transaction(ctx, async (ctx) => {
        await db(ctx).insertInto('entries').values({ id, amount }).execute();
        await runtime.outbox.emit(ctx, { type: 'EntryRecorded', data: { id, amount } });
        if (amount < 0) throw new Error('negative entries roll back with their event');
        return { id };
      });
    },
    async audit(ctx: RequestContext) {
      authorize(ctx, { staff: true, services: ['reports'] }, 'audit the ledger');
      return { entries: await this.count(ctx) };
    },
    count: async (ctx: RequestContext) =>
      Number(
        (
          await db(ctx)
            .selectFrom('entries')
            .select(sql<number>`count(*)`.as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
  };
}
type LedgerApi = ReturnType<typeof createLedger>;

class HttpLedgerClient implements LedgerClient {
  private readonly client: ServiceClient;
  constructor(options: HttpClientOptions) {
    this.client = new ServiceClient({ service: 'ledger', ...options });
  }
  whoAmI(ctx: RequestContext) {
    return this.client.call<{ actor: string; caller: string | null }>(ctx, {
      method: 'GET',
      path: '/api/ledger/me',
    });
  }
  record(ctx: RequestContext, id: string, amount: number) {
    return this.client.call<{ id: string }>(ctx, {
      method: 'PUT',
      path: `/api/ledger/entries/${id}`,
      body: { amount },
    });
  }
  audit(ctx: RequestContext) {
    return this.client.call<{ entries: number }>(ctx, { method: 'GET', path: '/api/ledger/audit' });
  }
  close() {
    return this.client.close();
  }
}

const ledgerService = defineService<LedgerApi, LedgerClient, LedgerTables>({
  name: 'ledger',
  description: 'Entries, for the kernel contract tests',
  migrations,
  create: createLedger,
  routes: async (fastify, { api }) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    app.get('/me', { schema: { operationId: 'ledgerWhoAmI' } }, async (request) => api.whoAmI(request.ctx));
    app.get('/audit', { schema: { operationId: 'ledgerAudit' } }, async (request) => api.audit(request.ctx));
    app.put(
      '/entries/:id',
      {
        onRequest: accessGuard({ staff: true, customer: true, services: ['billing'] }, 'record entries'),
        schema: {
          operationId: 'ledgerRecord',
          params: Type.Object({ id: Type.String({ maxLength: 40 }) }, { additionalProperties: false }),
          body: Type.Object({ amount: Type.Integer() }, { additionalProperties: false }),
          response: {
            200: Type.Object({ id: Type.String() }),
            ...problemResponses({ 409: ['entry_taken'] }),
          },
        },
      },
      async (request) => api.record(request.ctx, request.params.id, request.body.amount),
    );
  },
  inProcessClient: (api) => ({
    whoAmI: (ctx) => api.whoAmI(ctx),
    record: (ctx, id, amount) => api.record(ctx, id, amount),
    audit: (ctx) => api.audit(ctx),
  }),
  httpClient: (options) => new HttpLedgerClient(options),
});

/** A service that depends on the ledger and calls it on behalf of whoever calls billing. */
const billingService = defineService<
  { runtime: ServiceRuntime },
  { ping(ctx: RequestContext): Promise<string> }
>({
  name: 'billing',
  description: 'Calls the ledger',
  dependsOn: ['ledger'],
  migrations: {},
  create: (runtime) => ({ runtime }),
  routes: async () => {},
  inProcessClient: () => ({ ping: async () => 'pong' }),
  httpClient: () => ({ ping: async () => 'pong' }),
});

const ledgerOf = (shop: ShopApp) => shop.apis.get('ledger') as LedgerApi;
const billingRuntime = (shop: ShopApp) => (shop.apis.get('billing') as { runtime: ServiceRuntime }).runtime;
const shopper = (shop: ShopApp, actor: RequestContext['actor']): RequestContext => ({
  ...serviceContext(shop.config.store, shop.logger, 'test'),
  actor,
});

describeEachBackend('service contract', (backend) => {
  test('a service whose dependency is neither mounted nor given a URL does not start, and the error names it', async () => {
    await assert.rejects(backend.buildApp({ services: [billingService] }), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.key, 'serviceUrls.ledger');
      assert.match(err.message, /service billing depends on ledger/);
      assert.match(err.message, /SHOPSTACK_LEDGER_URL/);
      return true;
    });
  });

  test('a URL for a service nobody defined is a configuration error', async () => {
    await assert.rejects(
      backend.buildApp({
        services: [ledgerService],
        config: { serviceUrls: { nosuch: 'http://127.0.0.1:1' } },
      }),
      /serviceUrls\.nosuch: no service is called nosuch/,
    );
  });

  test('mounted together, a dependency is called in process, and the callee sees the calling service', async () => {
    const shop = await backend.buildApp({ services: [ledgerService, billingService] });
    const ledger = billingRuntime(shop).clients.get('ledger');
    const ctx = shopper(shop, { kind: 'customer', id: 'c1' });
    assert.deepEqual(await ledger.whoAmI(ctx), { actor: 'customer', caller: 'billing' });
    // The rule admits billing for the shopper: a service credential is scoped by the callee's rule.
    assert.deepEqual(await ledger.record(ctx, 'e-in-process', 5), { id: 'e-in-process' });
    // Asking for more than the calling service may is the deployment's fault: 503, not the shopper's 403.
    await assert.rejects(ledger.audit(ctx), { name: 'UpstreamUnavailable' });
    // A client the service did not declare is refused outright.
    assert.throws(() => ledgerOf(shop).runtime.clients.get('billing'), /without declaring it in dependsOn/);
  });

  test('a unit of work commits a change with its outbox event, and rolls both back together', async () => {
    // No relay: the events stay in the outbox to be read here.
    const shop = await backend.buildApp({ services: [ledgerService], config: { events: { relay: false } } });
    const api = ledgerOf(shop);
    const staff = shopper(shop, { kind: 'staff', id: 's1', role: 'staff' });
    await api.record(staff, 'e-1', 10);
    await assert.rejects(api.record(staff, 'e-2', -1), /roll back/);
    assert.equal(await api.count(staff), 1);
    const events = await api.runtime.outbox.pending();
    assert.deepEqual(
      events.map((e) => [e.type, e.data, e.source, e.store, e.version]),
      [['EntryRecorded', { id: 'e-1', amount: 10 }, 'ledger', shop.config.store.id, 1]],
    );
    assert.match(events[0]!.id, /^[0-9a-f-]{36}$/);
    assert.ok(!Number.isNaN(Date.parse(events[0]!.occurredAt)));
    // Emitting outside the transaction of a change is a programming error.
    await assert.rejects(
      api.runtime.outbox.emit(staff, { type: 'Stray', data: {} }),
      /needs the transaction/,
    );
  });

  test('a nested unit of work joins the open transaction instead of opening another', async () => {
    const shop = await backend.buildApp({ services: [ledgerService] });
    const api = ledgerOf(shop);
    const staff = shopper(shop, { kind: 'staff', id: 's1', role: 'admin' });
    await assert.rejects(
      api.runtime.uow.transaction(staff, async (ctx) => {
        await api.record(ctx, 'nested-1', 1);
        throw new Error('the outer work fails');
      }),
      /outer work fails/,
    );
    assert.equal(await api.count(staff), 0, 'the inner write went with the outer rollback');
  });

  test('the same rule answers in process and over HTTP: anonymous 401, customer 403, staff admitted', async () => {
    const shop = await backend.buildApp({ services: [ledgerService] });
    const api = ledgerOf(shop);
    const anonymous = shopper(shop, { kind: 'anonymous' });
    const customer = shopper(shop, { kind: 'customer', id: 'c1' });
    await assert.rejects(api.record(anonymous, 'x1', 1), { name: 'Unauthorized' });
    await assert.rejects(api.record(customer, 'x2', 1), { name: 'Forbidden' });
    const put = (id: string, headers: Record<string, string> = {}) =>
      shop.app.inject({ method: 'PUT', url: `/api/ledger/entries/${id}`, headers, payload: { amount: 1 } });
    assert.equal((await put('x3')).statusCode, 401);
    // The edge guard lets customers through; the service layer, where the rule lives, refuses them.
    // A test token is a service (`test`) passing the customer's call on; the rule admits services
    // by name, so the refusal is that service's, in process as over HTTP.
    const customer7 = { authorization: `Bearer ${await actAs({ kind: 'customer', id: 'c1' }, 'ledger')}` };
    const refused = await put('x4', customer7);
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().code, 'service_not_permitted');
    await assert.rejects(api.record({ ...customer, caller: 'test' }, 'x6', 1), (err: unknown) => {
      assert.equal((err as { details: { code: string } }).details.code, 'service_not_permitted');
      return true;
    });
    assert.equal((await put('x5', await staffHeadersFor('ledger'))).statusCode, 200);
  });
});

describe('service contract across two processes (PostgreSQL)', () => {
  const backend = new TestBackend('postgres');
  let ledgerShop: ShopApp;
  let billingShop: ShopApp;
  before(async () => {
    await backend.open();
    ledgerShop = await backend.buildApp({ services: [ledgerService] });
    await ledgerShop.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = ledgerShop.app.server.address() as AddressInfo;
    billingShop = await backend.buildApp({
      services: [billingService],
      known: [ledgerService],
      config: { serviceUrls: { ledger: `http://127.0.0.1:${port}` } },
    });
  });
  after(() => backend.close());

  test('given a URL, a dependency is called over HTTP with a service token that carries the actor', async () => {
    const ledger = billingRuntime(billingShop).clients.get('ledger');
    assert.ok(ledger instanceof HttpLedgerClient);
    const ctx = shopper(billingShop, { kind: 'customer', id: 'c7' });
    assert.deepEqual(await ledger.whoAmI(ctx), { actor: 'customer', caller: 'billing' });
    assert.deepEqual(await ledger.record(ctx, 'e-over-http', 3), { id: 'e-over-http' });
    // Beyond the billing service's scope: unavailable, as in process.
    await assert.rejects(ledger.audit(ctx), (err: unknown) => {
      assert.equal((err as Error).name, 'UpstreamUnavailable');
      assert.equal((err as { upstreamStatus?: number }).upstreamStatus, 403);
      return true;
    });
  });

  test('a call past the context deadline is not sent, and answers upstream unavailable', async () => {
    const ledger = billingRuntime(billingShop).clients.get('ledger');
    const late = { ...shopper(billingShop, { kind: 'anonymous' }), deadline: Date.now() - 1 };
    await assert.rejects(ledger.whoAmI(late), { name: 'UpstreamUnavailable' });
  });
});

describe('request context', () => {
  test('a context survives serialization: store, actor, caller, request id, deadline and trace', () => {
    const log = createLogger({ log: { level: 'silent' }, store: { id: 's', name: 'S', currency: 'EUR' } });
    const ctx: RequestContext = {
      store: { id: 's', name: 'S', currency: 'EUR' },
      actor: { kind: 'staff', id: 'st-1', role: 'admin' },
      caller: 'orders',
      requestId: 'req-1',
      deadline: 1_900_000_000_000,
      trace: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
      log,
    };
    const wire = JSON.parse(JSON.stringify(serializeContext(ctx)));
    const restored = restoreContext(wire, log);
    const { log: _a, ...expected } = ctx;
    const { log: _b, ...actual } = restored;
    assert.deepEqual(actual, expected);
  });
});
