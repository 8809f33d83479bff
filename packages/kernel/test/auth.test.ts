import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { ShopApp } from '../src/app.js';
import { secretsEqual } from '../src/auth.js';
import { describeEachBackend, TEST_ADMIN_TOKEN } from './support/index.js';
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

describeEachBackend('staff guard', (backend) => {
  let shop: ShopApp;
  before(async () => {
    shop = await backend.buildApp({ services: [], plugins: [probePlugin({ staffToken: TEST_ADMIN_TOKEN })] });
  });

  const call = (authorization?: string) =>
    shop.app.inject({
      method: 'GET',
      url: '/probe/staff',
      headers: authorization === undefined ? {} : { authorization },
    });

  test('a request without a token is refused with a 401 problem', async () => {
    const res = await call();
    assert.equal(res.statusCode, 401);
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
    assert.equal(res.json().type, 'https://shopstack.dev/problems/unauthorized');
    assert.match(res.json().detail, /staff token/);
  });

  test('a wrong, truncated or non-bearer token is refused with 401', async () => {
    for (const authorization of [
      'Bearer not-the-token',
      `Bearer ${TEST_ADMIN_TOKEN.slice(0, -1)}`,
      `Basic ${TEST_ADMIN_TOKEN}`,
      TEST_ADMIN_TOKEN,
      'Bearer ',
    ]) {
      const res = await call(authorization);
      assert.equal(res.statusCode, 401, authorization);
      assert.ok(!res.body.includes(TEST_ADMIN_TOKEN), 'the expected token is never echoed');
    }
  });

  test('the right bearer token is admitted and acts as staff, whatever the case of the scheme', async () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const res = await call(`${scheme} ${TEST_ADMIN_TOKEN}`);
      assert.equal(res.statusCode, 200, scheme);
      assert.deepEqual(res.json(), { actor: 'staff' });
    }
  });

  test('when no staff token is configured nobody is admitted', async () => {
    const locked = await backend.buildApp({
      services: [],
      plugins: [probePlugin({ staffToken: undefined })],
    });
    for (const authorization of ['Bearer ', 'Bearer undefined', `Bearer ${TEST_ADMIN_TOKEN}`]) {
      const res = await locked.app.inject({ method: 'GET', url: '/probe/staff', headers: { authorization } });
      assert.equal(res.statusCode, 401, authorization);
    }
  });
});

describeEachBackend('authentication challenges', (backend) => {
  let shop: ShopApp;
  before(async () => {
    shop = await backend.buildApp({ services: [], plugins: [probePlugin({ staffToken: TEST_ADMIN_TOKEN })] });
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
