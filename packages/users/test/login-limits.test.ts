import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import { usersService } from '../src/index.js';
import { ACCOUNT_ATTEMPTS, IP_ATTEMPTS } from '../src/services/login-throttle.js';
import { login, register, uniqueEmail } from './helpers.js';

describeEachBackend('sign-in rate limits', (backend) => {
  let shop: ShopApp;
  before(async () => {
    shop = await backend.buildApp({ services: [usersService] });
  });

  test(`${ACCOUNT_ATTEMPTS} failures lock the account, from any address, even for the right password`, async () => {
    const { email, password } = await register(shop);
    const times: number[] = [];
    for (let i = 0; i < ACCOUNT_ATTEMPTS; i++) {
      const started = performance.now();
      const res = await login(shop, email, 'wrong password!', `10.20.${i}.1`);
      times.push(performance.now() - started);
      assert.equal(res.statusCode, 401, res.body);
      assert.equal(res.json().code, 'invalid_credentials');
    }
    // Answers slow down before the lock.
    assert.ok(times.at(-1)! > times[0]! + 300, `answer times ${times.map(Math.round).join(', ')} ms`);
    const locked = await login(shop, email, password, '10.20.99.1');
    assert.equal(locked.statusCode, 429, locked.body);
    assert.equal(locked.json().code, 'too_many_attempts');
    assert.equal(locked.headers['content-type'], 'application/problem+json');
    const retryAfter = Number(locked.headers['retry-after']);
    assert.ok(retryAfter > 60 && retryAfter <= 15 * 60, `Retry-After ${retryAfter}`);
    // Another account from the same addresses is not affected.
    const other = await register(shop);
    assert.equal((await login(shop, other.email, other.password, '10.20.0.1')).statusCode, 200);
  });

  test('a locked unknown address is answered exactly like a locked account', async () => {
    const { email } = await register(shop);
    const unknown = uniqueEmail('nobody');
    for (let i = 0; i < ACCOUNT_ATTEMPTS; i++) {
      await login(shop, email, 'wrong password!', `10.21.${i}.1`);
      await login(shop, unknown, 'wrong password!', `10.21.${i}.2`);
    }
    const [known, missing] = await Promise.all([
      login(shop, email, 'wrong password!', '10.21.99.1'),
      login(shop, unknown, 'wrong password!', '10.21.99.2'),
    ]);
    assert.equal(known.statusCode, 429);
    assert.equal(missing.statusCode, 429);
    const { requestId: _a, ...knownBody } = known.json();
    const { requestId: _b, ...missingBody } = missing.json();
    assert.deepEqual(knownBody, missingBody);
  });

  test(`${IP_ATTEMPTS} failures from one address across accounts lock the address, not the accounts`, async () => {
    const ip = '10.30.0.1';
    const victim = await register(shop);
    for (let i = 0; i < IP_ATTEMPTS; i++) {
      const res = await login(shop, uniqueEmail(`spray${i}`), 'Summer2024!!', ip);
      assert.equal(res.statusCode, 401, res.body);
    }
    const blocked = await login(shop, victim.email, victim.password, ip);
    assert.equal(blocked.statusCode, 429, blocked.body);
    assert.equal(blocked.json().code, 'too_many_attempts');
    assert.ok(Number(blocked.headers['retry-after']) > 0);
    assert.equal((await login(shop, victim.email, victim.password, '10.30.0.2')).statusCode, 200);
  });

  test('a successful sign-in clears the account’s failures', async () => {
    const { email, password } = await register(shop);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < ACCOUNT_ATTEMPTS - 1; i++) {
        assert.equal((await login(shop, email, 'wrong password!', `10.40.${round}.${i}`)).statusCode, 401);
      }
      assert.equal((await login(shop, email, password, `10.40.${round}.9`)).statusCode, 200);
    }
  });
});
