import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import { usersService } from '../src/index.js';
import { bearer, login, PASSWORD, register, uniqueEmail, usersDb } from './helpers.js';

describeEachBackend('accounts: register, sign in, profile', (backend) => {
  let shop: ShopApp;
  before(async () => {
    shop = await backend.buildApp({ services: [usersService] });
  });

  test('a customer registers, signs in and reads their account with the access token', async () => {
    const email = uniqueEmail();
    const registered = await register(shop, { email, name: 'Grace Hopper' });
    assert.equal(registered.user.email, email);
    assert.equal(registered.user.role, 'customer');
    assert.equal(registered.tokenType, 'Bearer');
    assert.equal(registered.expiresIn, 900);

    const signedIn = await login(shop, email, PASSWORD);
    assert.equal(signedIn.statusCode, 200, signedIn.body);
    const tokens = signedIn.json();
    assert.deepEqual(Object.keys(tokens).sort(), ['accessToken', 'expiresIn', 'refreshToken', 'tokenType']);

    const me = await shop.app.inject({
      method: 'GET',
      url: '/api/users/me',
      headers: bearer(tokens.accessToken),
    });
    assert.equal(me.statusCode, 200, me.body);
    assert.deepEqual(me.json(), registered.user);
    assert.equal(me.headers['cache-control'], 'no-store');
  });

  test('the e-mail address is trimmed and lower-cased, at sign-up and at sign-in', async () => {
    const email = uniqueEmail('MiXeD');
    const registered = await register(shop, { email: `  ${email.toUpperCase()} ` });
    assert.equal(registered.user.email, email.toLowerCase());
    const signedIn = await login(shop, ` ${email.toUpperCase()}`, PASSWORD);
    assert.equal(signedIn.statusCode, 200, signedIn.body);
    const again = await shop.app.inject({
      method: 'POST',
      url: '/api/users/register',
      payload: { email: email.toLowerCase(), password: PASSWORD, name: 'Twin' },
    });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'email_taken');
  });

  test('a body naming role, id or status is refused and creates no account', async () => {
    for (const extra of [{ role: 'admin' }, { id: 'chosen-id' }, { status: 'active' }]) {
      const email = uniqueEmail('sneaky');
      const res = await shop.app.inject({
        method: 'POST',
        url: '/api/users/register',
        payload: { email, password: PASSWORD, name: 'Mallory', ...extra },
      });
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json().code, 'validation');
      const rows = await usersDb(shop).selectFrom('users').select('id').where('email', '=', email).execute();
      assert.deepEqual(rows, []);
    }
  });

  test('passwords shorter than 10, longer than 256, or equal to the e-mail address are refused', async () => {
    const email = uniqueEmail('policy');
    const attempt = (password: string) =>
      shop.app.inject({
        method: 'POST',
        url: '/api/users/register',
        payload: { email, password, name: 'P' },
      });
    const short = await attempt('123456789');
    assert.equal(short.statusCode, 400);
    assert.equal(short.json().field, 'password');
    assert.equal((await attempt('x'.repeat(257))).statusCode, 400);
    const same = await attempt(email.toUpperCase());
    assert.equal(same.statusCode, 422, same.body);
    assert.equal(same.json().code, 'weak_password');
    assert.equal((await attempt('x'.repeat(256))).statusCode, 201);
  });

  test('passwords are stored as argon2id hashes with the OWASP parameters', async () => {
    const { user } = await register(shop);
    const row = await usersDb(shop)
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    assert.match(row.password_hash!, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.ok(!row.password_hash!.includes(PASSWORD));
  });

  test('an unknown e-mail address and a wrong password get the same answer', async () => {
    const { email } = await register(shop);
    const wrong = await login(shop, email, 'not the password at all', '10.1.0.1');
    const unknown = await login(shop, uniqueEmail('nobody'), 'not the password at all', '10.1.0.2');
    for (const res of [wrong, unknown]) {
      assert.equal(res.statusCode, 401);
      assert.equal(res.headers['www-authenticate'], 'Bearer realm="shopstack"');
    }
    const { requestId: _a, ...wrongBody } = wrong.json();
    const { requestId: _b, ...unknownBody } = unknown.json();
    assert.deepEqual(wrongBody, unknownBody);
    assert.equal(wrongBody.code, 'invalid_credentials');
  });

  test('registration announces CustomerRegistered in the outbox, without personal data', async () => {
    const { user } = await register(shop);
    const events = await usersDb(shop)
      .selectFrom('outbox' as never)
      .selectAll()
      .execute();
    const mine = (events as Array<{ type: string; data: { customerId: string } }>).filter(
      (e) => e.data.customerId === user.id,
    );
    assert.equal(mine.length, 1);
    assert.equal(mine[0]!.type, 'CustomerRegistered');
    assert.ok(!JSON.stringify(mine[0]!.data).includes(user.email));
  });

  test('anonymous callers get 401 on their account, and a token that is no token 401 too', async () => {
    const anonymous = await shop.app.inject({ method: 'GET', url: '/api/users/me' });
    assert.equal(anonymous.statusCode, 401);
    assert.equal(anonymous.json().code, 'authentication_required');
    const junk = await shop.app.inject({
      method: 'GET',
      url: '/api/users/me',
      headers: bearer('not-a-token'),
    });
    assert.equal(junk.statusCode, 401);
    assert.equal(junk.json().code, 'invalid_token');
  });

  test('a customer changes their name and phone, but not their e-mail address or role', async () => {
    const { accessToken, user } = await register(shop);
    const patch = (payload: object) =>
      shop.app.inject({ method: 'PATCH', url: '/api/users/me', headers: bearer(accessToken), payload });
    const changed = await patch({ name: 'Ada King', phone: '+44 20 7946 0000' });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.equal(changed.json().name, 'Ada King');
    assert.equal(changed.json().phone, '+44 20 7946 0000');
    for (const body of [{ role: 'admin' }, { email: 'other@example.com' }, {}]) {
      assert.equal((await patch(body)).statusCode, 400);
    }
    const me = await shop.app.inject({ method: 'GET', url: '/api/users/me', headers: bearer(accessToken) });
    assert.equal(me.json().role, 'customer');
    assert.equal(me.json().email, user.email);
  });

  test('changing the password ends every session and needs the current one', async () => {
    const { accessToken, refreshToken, email } = await register(shop);
    const change = (currentPassword: string, newPassword: string) =>
      shop.app.inject({
        method: 'POST',
        url: '/api/users/me/password',
        headers: bearer(accessToken),
        payload: { currentPassword, newPassword },
        remoteAddress: '10.1.1.1',
      });
    const wrong = await change('not my password', 'a brand new secret');
    assert.equal(wrong.statusCode, 422);
    assert.equal(wrong.json().code, 'wrong_password');
    const changed = await change(PASSWORD, 'a brand new secret');
    assert.equal(changed.statusCode, 200, changed.body);
    const oldRefresh = await shop.app.inject({
      method: 'POST',
      url: '/api/users/refresh',
      payload: { refreshToken },
    });
    assert.equal(oldRefresh.statusCode, 401);
    const oldAccess = await shop.app.inject({
      method: 'GET',
      url: '/api/users/me',
      headers: bearer(accessToken),
    });
    assert.equal(oldAccess.statusCode, 401);
    const fresh = await shop.app.inject({
      method: 'GET',
      url: '/api/users/me',
      headers: bearer(changed.json().accessToken),
    });
    assert.equal(fresh.statusCode, 200);
    assert.equal((await login(shop, email, PASSWORD, '10.1.1.2')).statusCode, 401);
    assert.equal((await login(shop, email, 'a brand new secret', '10.1.1.3')).statusCode, 200);
  });
});
