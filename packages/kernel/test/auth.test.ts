import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { ShopApp } from '../src/app.js';
import { authorize, secretsEqual } from '../src/auth.js';
import type { Actor } from '../src/context.js';
import { Forbidden, Unauthorized } from '../src/errors.js';
import { mintServiceToken } from '../src/service-token.js';
import { actAs, describeEachBackend, TEST_ADMIN_TOKEN, TEST_SERVICE_SECRET } from './support/index.js';
import { probePlugin } from './support/probe-plugin.js';

describe('secretsEqual', () => {
  test('equal secrets match and any difference does not', () => {
    assert.equal(secretsEqual(TEST_ADMIN_TOKEN, TEST_ADMIN_TOKEN), true);
    assert.equal(secretsEqual(TEST_ADMIN_TOKEN, `${TEST_ADMIN_TOKEN.slice(0, -1)}X`), false);
    assert.equal(secretsEqual('', ''), true);
  });

  test('secrets of different lengths compare without throwing', () => {
    assert.equal(secretsEqual('short', 'a much longer secret value'), false);
    assert.equal(secretsEqual(TEST_ADMIN_TOKEN, TEST_ADMIN_TOKEN.slice(0, 10)), false);
    assert.equal(secretsEqual('', 'x'), false);
  });
});

describeEachBackend('bearer tokens and access guards', (backend) => {
  let shop: ShopApp;
  before(async () => {
    shop = await backend.buildApp({ services: [], plugins: [probePlugin()] });
  });

  const call = (authorization?: string) =>
    shop.app.inject({
      method: 'GET',
      url: '/probe/staff',
      headers: authorization === undefined ? {} : { authorization },
    });

  test('a request without a token is refused with a 401 problem naming authentication_required', async () => {
    const res = await call();
    assert.equal(res.statusCode, 401);
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
    assert.equal(res.json().type, 'https://shopstack.dev/problems/unauthorized');
    assert.equal(res.json().code, 'authentication_required');
  });

  test('a wrong, truncated, forged or non-bearer token is refused with 401', async () => {
    const good = await actAs({ kind: 'staff', id: 's1', role: 'admin' }, 'platform');
    const [header, payload] = good.split('.');
    const forged = await mintServiceToken(
      { secret: 'another-secret-0123456789abcdefghijkl', storeId: 'demo', caller: 'x', audience: 'platform' },
      { actor: { kind: 'staff', id: 's1', role: 'admin' } },
    );
    for (const authorization of [
      'Bearer not-the-token',
      `Bearer ${good.slice(0, -2)}`,
      `Bearer ${header}.${payload}.`,
      `Bearer ${forged}`,
      `Basic ${good}`,
      good,
      'Bearer ',
    ]) {
      const res = await call(authorization);
      assert.equal(res.statusCode, 401, authorization);
    }
  });

  test('a staff token is admitted and acts as staff, whatever the case of the scheme', async () => {
    const token = await actAs({ kind: 'staff', id: 's1', role: 'staff' }, 'platform');
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const res = await call(`${scheme} ${token}`);
      assert.equal(res.statusCode, 200, scheme);
      assert.deepEqual(res.json(), { actor: 'staff' });
    }
  });

  test('a customer gets 403 on a staff route; a token for another service or store gets 401', async () => {
    const customer = await actAs({ kind: 'customer', id: 'c1' }, 'platform');
    const refused = await call(`Bearer ${customer}`);
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().code, 'forbidden');

    const elsewhere = await actAs({ kind: 'staff', id: 's1', role: 'admin' }, 'catalogue');
    assert.equal((await call(`Bearer ${elsewhere}`)).statusCode, 401);
    const otherStore = await actAs({ kind: 'staff', id: 's1', role: 'admin' }, 'platform', {
      storeId: 'other',
    });
    assert.equal((await call(`Bearer ${otherStore}`)).statusCode, 401);
  });

  test('an expired service token gets 401 token_expired', async () => {
    const expired = await mintServiceToken(
      {
        secret: TEST_SERVICE_SECRET,
        storeId: 'demo',
        caller: 'x',
        audience: 'platform',
        lifetimeSeconds: -10,
      },
      { actor: { kind: 'staff', id: 's1', role: 'admin' } },
    );
    const res = await call(`Bearer ${expired}`);
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().code, 'token_expired');
  });

  test('the bootstrap token is no master key: it does not act as staff', async () => {
    const res = await call(`Bearer ${TEST_ADMIN_TOKEN}`);
    assert.equal(res.statusCode, 403);
  });

  test('without a service secret nobody is admitted by a service token', async () => {
    const locked = await backend.buildApp({
      services: [],
      plugins: [probePlugin()],
      config: { auth: { serviceSecret: undefined } },
    });
    const token = await actAs({ kind: 'staff', id: 's1', role: 'admin' }, 'platform');
    const res = await locked.app.inject({
      method: 'GET',
      url: '/probe/staff',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(res.statusCode, 401);
  });
});

describe('authorize', () => {
  const ctx = (actor: Actor, caller?: string) => ({ actor, ...(caller ? { caller } : {}) });
  test('a rule admits exactly the actors and calling services it names', () => {
    const rule = { staff: ['admin'] as const, services: ['orders'] };
    assert.doesNotThrow(() => authorize(ctx({ kind: 'staff', id: 'a', role: 'admin' }), rule, 'x'));
    assert.throws(() => authorize(ctx({ kind: 'staff', id: 'a', role: 'staff' }), rule, 'x'), Forbidden);
    assert.throws(() => authorize(ctx({ kind: 'customer', id: 'c' }), rule, 'x'), Forbidden);
    assert.throws(() => authorize(ctx({ kind: 'anonymous' }), rule, 'x'), Unauthorized);
    // A service passing a shopper's call on is admitted by its own name, not the shopper's rights.
    assert.doesNotThrow(() => authorize(ctx({ kind: 'customer', id: 'c' }, 'orders'), rule, 'x'));
    assert.throws(() => authorize(ctx({ kind: 'customer', id: 'c' }, 'cart'), rule, 'x'), Forbidden);
    assert.doesNotThrow(() => authorize(ctx({ kind: 'service', name: 'orders' }), rule, 'x'));
    assert.throws(() => authorize(ctx({ kind: 'service', name: 'bootstrap' }), rule, 'x'), Forbidden);
  });
});

describeEachBackend('authentication challenges', (backend) => {
  let shop: ShopApp;
  before(async () => {
    shop = await backend.buildApp({ services: [], plugins: [probePlugin()] });
  });

  test('a 401 without credentials names the bearer scheme and realm (RFC 6750)', async () => {
    const res = await shop.app.inject({ method: 'GET', url: '/probe/staff' });
    assert.equal(res.statusCode, 401);
    assert.equal(res.headers['www-authenticate'], 'Bearer realm="shopstack"');
  });

  test('a 401 for a refused bearer token says the token is invalid; other schemes get the plain challenge', async () => {
    const wrong = await shop.app.inject({
      method: 'GET',
      url: '/probe/staff',
      headers: { authorization: 'Bearer not-the-token' },
    });
    assert.equal(wrong.statusCode, 401);
    assert.equal(wrong.headers['www-authenticate'], 'Bearer realm="shopstack", error="invalid_token"');

    const basic = await shop.app.inject({
      method: 'GET',
      url: '/probe/staff',
      headers: { authorization: 'Basic dXNlcjpwYXNz' },
    });
    assert.equal(basic.statusCode, 401);
    assert.equal(basic.headers['www-authenticate'], 'Bearer realm="shopstack"');
  });

  test('every 401, also one a handler raises, carries the challenge; other errors do not', async () => {
    const raised = await shop.app.inject({ method: 'GET', url: '/probe/errors/unauthorized' });
    assert.equal(raised.statusCode, 401);
    assert.equal(raised.headers['www-authenticate'], 'Bearer realm="shopstack"');

    const forbidden = await shop.app.inject({ method: 'GET', url: '/probe/errors/forbidden' });
    assert.equal(forbidden.statusCode, 403);
    assert.equal(forbidden.headers['www-authenticate'], undefined);
  });
});
