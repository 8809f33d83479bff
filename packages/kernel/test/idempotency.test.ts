import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, test } from 'node:test';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import type { ShopApp } from '../src/app.js';
import { Conflict } from '../src/errors.js';
import { idempotencyKeyed } from '../src/idempotency.js';
import { problemResponses } from '../src/problem-codes.js';
import { defineService, type ServiceRuntime } from '../src/service.js';
import { actAs, describeEachBackend } from './support/index.js';

/** A booking desk, small enough to show Idempotency-Key: every run of its handler leaves a row. */
interface DeskTables {
  runs: { id: string; label: string };
}

/** A request the test holds inside the handler until it lets it go. */
interface Gate {
  entered: Promise<void>;
  enter(): void;
  release(): void;
  released: Promise<void>;
}

function gate(): Gate {
  let enter!: () => void;
  let release!: () => void;
  const entered = new Promise<void>((resolve) => (enter = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  return { entered, enter, release, released };
}

/** Gates by booking label: the first request that reaches a gate waits there; later ones pass. */
const gates = new Map<string, Gate>();

const BookingBody = Type.Object(
  {
    label: Type.String({ minLength: 1, maxLength: 80 }),
    seats: Type.Integer({ minimum: 1, maximum: 10 }),
    delayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 2000 })),
    outcome: Type.Optional(Type.Union([Type.Literal('taken'), Type.Literal('crash')])),
  },
  { additionalProperties: false },
);
const Booking = Type.Object({
  id: Type.String(),
  account: Type.String(),
  label: Type.String(),
  seats: Type.Integer(),
});

function createDesk(runtime: ServiceRuntime<DeskTables>) {
  const runs = () => runtime.db.withSchema(runtime.schema);
  return {
    runtime,
    async book(account: string, body: { label: string; seats: number; delayMs?: number; outcome?: string }) {
      const id = randomUUID();
      await runs().insertInto('runs').values({ id, label: body.label }).execute();
      const held = gates.get(body.label);
      if (held) {
        gates.delete(body.label);
        held.enter();
        await held.released;
      }
      if (body.delayMs) await new Promise((resolve) => setTimeout(resolve, body.delayMs));
      if (body.outcome === 'taken')
        throw new Conflict(`${body.label} is already booked.`, { code: 'label_taken' });
      if (body.outcome === 'crash') throw new Error('the booking desk fell over');
      return { id, account, label: body.label, seats: body.seats };
    },
    /** How many times the handler ran for a label. */
    async runsOf(label: string): Promise<number> {
      const row = await runs()
        .selectFrom('runs')
        .select(sql<string>`count(*)`.as('n'))
        .where('label', '=', label)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
type DeskApi = ReturnType<typeof createDesk>;

const deskService = defineService<DeskApi, object, DeskTables>({
  name: 'desk',
  description: 'Bookings, for the Idempotency-Key tests',
  migrations: {
    '0001-runs': {
      async up(db, { schema }) {
        await sql`create table ${sql.table(`${schema}.runs`)} (id text primary key, label text not null)`.execute(
          db,
        );
      },
    },
  },
  create: createDesk,
  routes: async (fastify, { runtime, api }) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const schema = (operationId: string) => ({
      operationId,
      params: Type.Object(
        { account: Type.String({ pattern: '^[a-z0-9-]{1,40}$' }) },
        { additionalProperties: false },
      ),
      body: BookingBody,
      response: { 201: Booking, ...problemResponses({ 409: ['label_taken'] }) },
    });
    app.post(
      '/accounts/:account/bookings',
      { ...idempotencyKeyed(runtime), schema: schema('deskBook') },
      async (request, reply) => {
        const booking = await api.book(request.params.account, request.body);
        return reply.code(201).header('location', `/api/desk/bookings/${booking.id}`).send(booking);
      },
    );
    app.post(
      '/accounts/:account/payments',
      { ...idempotencyKeyed(runtime, { required: true }), schema: schema('deskPay') },
      async (request, reply) => reply.code(201).send(await api.book(request.params.account, request.body)),
    );
  },
  inProcessClient: () => ({}),
  httpClient: () => ({}),
});

describeEachBackend('idempotency keys', (backend) => {
  let shop: ShopApp;
  let desk: DeskApi;
  before(async () => {
    shop = await backend.buildApp({ services: [deskService] });
    desk = shop.apis.get('desk') as DeskApi;
  });

  const book = (options: {
    key?: string;
    body: Record<string, unknown>;
    account?: string;
    path?: 'bookings' | 'payments';
    headers?: Record<string, string>;
  }) =>
    shop.app.inject({
      method: 'POST',
      url: `/api/desk/accounts/${options.account ?? 'a1'}/${options.path ?? 'bookings'}`,
      headers: {
        ...(options.key === undefined ? {} : { 'idempotency-key': options.key }),
        ...options.headers,
      },
      payload: options.body,
    });
  const label = () => `booking-${randomUUID()}`;

  test('the same key with the same request answers the first answer again, byte for byte, and acts once', async () => {
    const key = randomUUID();
    const body = { label: label(), seats: 2 };
    const first = await book({ key, body });
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(first.headers['idempotent-replayed'], undefined);
    const again = await book({ key, body: { seats: 2, label: body.label } });
    assert.equal(again.statusCode, 201);
    assert.equal(again.body, first.body);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.equal(again.headers['content-type'], first.headers['content-type']);
    assert.equal(again.headers.location, first.headers.location);
    assert.equal(await desk.runsOf(body.label), 1);
    // Without a key, every request acts.
    const unkeyed = await book({ body });
    assert.equal(unkeyed.statusCode, 201);
    assert.notEqual(unkeyed.json().id, first.json().id);
    assert.equal(await desk.runsOf(body.label), 2);
  });

  test('the same key with another body or other path parameters is refused with 422 and acts no more', async () => {
    const key = randomUUID();
    const body = { label: label(), seats: 2 };
    assert.equal((await book({ key, body })).statusCode, 201);
    const otherBody = await book({ key, body: { ...body, seats: 3 } });
    assert.equal(otherBody.statusCode, 422);
    assert.equal(otherBody.json().code, 'idempotency_key_reused');
    assert.match(otherBody.headers['content-type'] ?? '', /^application\/problem\+json/);
    const otherAccount = await book({ key, body, account: 'a2' });
    assert.equal(otherAccount.statusCode, 422);
    assert.equal(otherAccount.json().code, 'idempotency_key_reused');
    assert.equal(await desk.runsOf(body.label), 1);
  });

  test('a duplicate sent while the first request runs is answered 409; once it has answered, the retry replays it', async () => {
    const key = randomUUID();
    const body = { label: label(), seats: 1 };
    const held = gate();
    gates.set(body.label, held);
    try {
      const first = book({ key, body });
      await held.entered;
      const duplicate = await book({ key, body });
      assert.equal(duplicate.statusCode, 409);
      assert.equal(duplicate.json().code, 'idempotency_in_progress');
      held.release();
      const answered = await first;
      assert.equal(answered.statusCode, 201);
      const retry = await book({ key, body });
      assert.equal(retry.statusCode, 201);
      assert.equal(retry.body, answered.body);
      assert.equal(retry.headers['idempotent-replayed'], 'true');
      assert.equal(await desk.runsOf(body.label), 1);
    } finally {
      held.release();
      gates.delete(body.label);
    }
  });

  test('a domain refusal (409) is kept and replayed; a server failure (500) gives the key back for the retry', async () => {
    const refusedBody = { label: label(), seats: 1, outcome: 'taken' };
    const refusedKey = randomUUID();
    const refused = await book({ key: refusedKey, body: refusedBody });
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.json().code, 'label_taken');
    const replayed = await book({ key: refusedKey, body: refusedBody });
    assert.equal(replayed.statusCode, 409);
    assert.equal(replayed.body, refused.body);
    assert.equal(replayed.headers['idempotent-replayed'], 'true');
    assert.match(replayed.headers['content-type'] ?? '', /^application\/problem\+json/);
    assert.equal(await desk.runsOf(refusedBody.label), 1);

    const crashKey = randomUUID();
    const crashing = { label: label(), seats: 1, outcome: 'crash' };
    const crashed = await book({ key: crashKey, body: crashing });
    assert.equal(crashed.statusCode, 500);
    const again = await book({ key: crashKey, body: crashing });
    assert.equal(again.statusCode, 500);
    assert.equal(again.headers['idempotent-replayed'], undefined);
    assert.equal(await desk.runsOf(crashing.label), 2, 'the retry ran the handler again');
    // The key is free, so the corrected request may even use it.
    const fixed = await book({ key: crashKey, body: { label: crashing.label, seats: 1 } });
    assert.equal(fixed.statusCode, 201);
    assert.equal(await desk.runsOf(crashing.label), 3);
  });

  test('a request its schema refuses does not claim the key: the corrected request with the same key runs', async () => {
    const key = randomUUID();
    const name = label();
    const refused = await book({ key, body: { label: name, seats: 'two' } });
    assert.equal(refused.statusCode, 400);
    assert.equal(refused.json().code, 'validation');
    const tooMany = await book({ key, body: { label: name, seats: 1, price: 0 } });
    assert.equal(tooMany.statusCode, 400);
    const corrected = await book({ key, body: { label: name, seats: 2 } });
    assert.equal(corrected.statusCode, 201, corrected.body);
    assert.equal(corrected.headers['idempotent-replayed'], undefined);
    assert.equal(await desk.runsOf(name), 1);
  });

  test('keys are scoped to the caller: two customers, or two guest carts, with the same key each act', async () => {
    const key = randomUUID();
    const body = { label: label(), seats: 1 };
    const customer = async (id: string) => ({
      authorization: `Bearer ${await actAs({ kind: 'customer', id }, 'desk')}`,
    });
    const ann = await book({ key, body, headers: await customer('c-ann') });
    const bob = await book({ key, body, headers: await customer('c-bob') });
    assert.equal(ann.statusCode, 201);
    assert.equal(bob.statusCode, 201);
    assert.notEqual(ann.json().id, bob.json().id);
    assert.equal(bob.headers['idempotent-replayed'], undefined);
    assert.equal(await desk.runsOf(body.label), 2);
    const annAgain = await book({ key, body, headers: await customer('c-ann') });
    assert.equal(annAgain.body, ann.body, 'each customer still gets their own answer again');

    const guestBody = { label: label(), seats: 1 };
    const cartA = await book({ key, body: guestBody, headers: { 'x-cart-token': `cart-a-${randomUUID()}` } });
    const cartB = await book({ key, body: guestBody, headers: { 'x-cart-token': `cart-b-${randomUUID()}` } });
    assert.equal(cartA.statusCode, 201);
    assert.equal(cartB.statusCode, 201);
    assert.notEqual(cartA.json().id, cartB.json().id);
    assert.equal(await desk.runsOf(guestBody.label), 2);
  });

  test('a route that requires a key refuses a request without one, and a malformed key is a validation error', async () => {
    const body = { label: label(), seats: 1 };
    const missing = await book({ path: 'payments', body });
    assert.equal(missing.statusCode, 400);
    assert.equal(missing.json().code, 'idempotency_key_required');
    for (const key of ['k'.repeat(256), 'two words', '']) {
      const malformed = await book({ path: 'payments', key, body });
      assert.equal(malformed.statusCode, 400, `key ${JSON.stringify(key.slice(0, 20))}`);
      assert.equal(malformed.json().code, 'validation');
      assert.equal(malformed.json().field, 'idempotency-key');
    }
    assert.equal(await desk.runsOf(body.label), 0);
    const longest = await book({ path: 'payments', key: 'k'.repeat(255), body });
    assert.equal(longest.statusCode, 201, longest.body);
    assert.equal(await desk.runsOf(body.label), 1);
  });

  test('the OpenAPI document of a keyed route lists the Idempotency-Key header and its problem codes', async () => {
    interface Operation {
      parameters?: Array<{ in: string; name: string; required?: boolean }>;
      responses: Record<
        string,
        { content?: Record<string, { schema: { properties: { code: { enum?: string[] } } } }> }
      >;
    }
    const doc = (await shop.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const codesOf = (operation: Operation, status: string) =>
      Object.values(operation.responses[status]?.content ?? {})[0]?.schema.properties.code.enum ?? [];
    for (const path of ['bookings', 'payments']) {
      const operation = doc.paths[`/api/desk/accounts/{account}/${path}`].post as Operation;
      const header = operation.parameters?.find((p) => p.in === 'header' && p.name === 'idempotency-key');
      assert.ok(header, `${path} documents the idempotency-key header`);
      assert.ok(codesOf(operation, '409').includes('idempotency_in_progress'), `${path} 409`);
      assert.ok(codesOf(operation, '409').includes('label_taken'), `${path} keeps its own 409 codes`);
      assert.ok(codesOf(operation, '422').includes('idempotency_key_reused'), `${path} 422`);
      assert.ok(codesOf(operation, '400').includes('validation'), `${path} 400`);
    }
  });

  test(
    'fifty parallel requests with one key act once; every answer is the first answer or 409 in progress',
    { skip: backend.kind !== 'postgres' && 'a real race needs PostgreSQL' },
    async () => {
      const key = randomUUID();
      const body = { label: label(), seats: 4, delayMs: 30 };
      const answers = await Promise.all(Array.from({ length: 50 }, () => book({ key, body })));
      assert.equal(await desk.runsOf(body.label), 1);
      const created = answers.filter((a) => a.statusCode === 201);
      const busy = answers.filter((a) => a.statusCode === 409);
      assert.equal(
        created.length + busy.length,
        50,
        answers.map((a) => `${a.statusCode} ${a.body}`).join('\n'),
      );
      assert.ok(created.length >= 1);
      assert.equal(new Set(created.map((a) => a.body)).size, 1, 'every 201 is the same answer');
      for (const answer of busy) assert.equal(answer.json().code, 'idempotency_in_progress');
      const after = await book({ key, body });
      assert.equal(after.statusCode, 201);
      assert.equal(after.body, created[0]!.body);
      assert.equal(await desk.runsOf(body.label), 1);
    },
  );

  test('a claim held past two minutes by a request that never answered is taken over by the next one, which runs', async () => {
    const key = randomUUID();
    const body = { label: label(), seats: 1 };
    const held = gate();
    gates.set(body.label, held);
    const first = book({ key, body });
    try {
      await held.entered;
      const keys = sql.table(`${desk.runtime.schema}.idempotency_keys`);
      const aged =
        await sql`update ${keys} set locked_at = now() - interval '2 minutes 1 second' where key = ${key} and state = 'running'`.execute(
          desk.runtime.db,
        );
      assert.equal(Number(aged.numAffectedRows), 1);
      // Two retries race for the stale claim: one takes it over; the other finds it fresh again.
      const [one, other] = await Promise.all([book({ key, body }), book({ key, body })]);
      const [takeover, loser] =
        one!.headers['idempotent-replayed'] || one!.statusCode === 409 ? [other!, one!] : [one!, other!];
      assert.equal(takeover.statusCode, 201, takeover.body);
      assert.equal(takeover.headers['idempotent-replayed'], undefined);
      if (loser.statusCode === 409) assert.equal(loser.json().code, 'idempotency_in_progress');
      else assert.deepEqual([loser.statusCode, loser.body], [201, takeover.body]);
      assert.equal(await desk.runsOf(body.label), 2);
    } finally {
      held.release();
      gates.delete(body.label);
      await first;
    }
  });

  test('answers kept longer than a day are purged as keyed requests come in', async () => {
    const fresh = await backend.buildApp({ services: [deskService] });
    const { runtime } = fresh.apis.get('desk') as DeskApi;
    const keys = sql.table(`${runtime.schema}.idempotency_keys`);
    await sql`
      insert into ${keys} (scope, key, fingerprint, state, status, headers, body, created_at, locked_at)
      values ('POST /old|anonymous', 'old', 'f', 'done', 201, '{}', '{}', now() - interval '25 hours', now() - interval '25 hours'),
             ('POST /old|anonymous', 'recent', 'f', 'done', 201, '{}', '{}', now() - interval '23 hours', now() - interval '23 hours')`.execute(
      runtime.db,
    );
    const answer = await fresh.app.inject({
      method: 'POST',
      url: '/api/desk/accounts/a1/bookings',
      headers: { 'idempotency-key': randomUUID() },
      payload: { label: label(), seats: 1 },
    });
    assert.equal(answer.statusCode, 201);
    const left = async () =>
      (
        await sql<{
          key: string;
        }>`select key from ${keys} where scope = 'POST /old|anonymous' order by key`.execute(runtime.db)
      ).rows.map((row) => row.key);
    // The purge runs beside the request, not in its way.
    for (let wait = 0; wait < 50 && (await left()).includes('old'); wait++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.deepEqual(await left(), ['recent']);
  });
});
