import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import { usersService } from '../src/index.js';
import { HOME, bearer, login, register, staffMember, usersDb } from './helpers.js';

describeEachBackend('privacy: data export and account deletion', (backend) => {
  let shop: ShopApp;
  before(async () => {
    shop = await backend.buildApp({ services: [usersService] });
  });

  test('the export holds the profile, addresses and sessions, and no hash or token', async () => {
    const { accessToken, refreshToken, user } = await register(shop);
    await shop.app.inject({
      method: 'POST',
      url: '/api/users/me/addresses',
      headers: bearer(accessToken),
      payload: HOME,
    });
    const res = await shop.app.inject({
      method: 'GET',
      url: '/api/users/me/export',
      headers: { ...bearer(accessToken), 'user-agent': 'ExportTest/1.0' },
    });
    assert.equal(res.statusCode, 200, res.body);
    const data = res.json();
    assert.deepEqual(data.account, user);
    assert.equal(data.addresses.length, 1);
    assert.equal(data.addresses[0].line1, HOME.line1);
    assert.equal(data.sessions.length, 1);
    assert.equal(data.sessions[0].revokedAt, null);
    assert.doesNotMatch(res.body, /argon2|password|token_hash/i);
    assert.ok(!res.body.includes(refreshToken));
    assert.equal(res.headers['cache-control'], 'no-store');
  });

  test('deleting the account erases personal data, ends sessions, announces CustomerDeleted, and stops its credentials', async () => {
    const { accessToken, refreshToken, user, email, password } = await register(shop, {
      name: 'To Be Forgotten',
    });
    await shop.app.inject({
      method: 'PATCH',
      url: '/api/users/me',
      headers: bearer(accessToken),
      payload: { phone: '+33 1 23 45 67 89' },
    });
    await shop.app.inject({
      method: 'POST',
      url: '/api/users/me/addresses',
      headers: bearer(accessToken),
      payload: HOME,
    });

    const deleted = await shop.app.inject({
      method: 'DELETE',
      url: '/api/users/me',
      headers: bearer(accessToken),
    });
    assert.equal(deleted.statusCode, 204, deleted.body);

    const row = await usersDb(shop)
      .selectFrom('users')
      .selectAll()
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'deleted');
    assert.notEqual(row.email, email);
    assert.match(row.email, /@deleted\.invalid$/);
    assert.equal(row.name, '');
    assert.equal(row.phone, null);
    assert.equal(row.password_hash, null);
    const addresses = await usersDb(shop)
      .selectFrom('addresses')
      .select('id')
      .where('user_id', '=', user.id)
      .execute();
    assert.deepEqual(addresses, []);
    const sessions = await usersDb(shop)
      .selectFrom('sessions')
      .selectAll()
      .where('user_id', '=', user.id)
      .execute();
    assert.ok(sessions.every((s) => s.revoked_reason === 'account_deleted' && s.user_agent === null));

    const events = (await usersDb(shop)
      .selectFrom('outbox' as never)
      .selectAll()
      .execute()) as Array<{
      type: string;
      data: { customerId: string };
    }>;
    assert.deepEqual(
      events.filter((e) => e.data.customerId === user.id).map((e) => e.type),
      ['CustomerRegistered', 'CustomerDeleted'],
    );

    assert.equal(
      (await shop.app.inject({ method: 'GET', url: '/api/users/me', headers: bearer(accessToken) }))
        .statusCode,
      401,
    );
    const refreshed = await shop.app.inject({
      method: 'POST',
      url: '/api/users/refresh',
      payload: { refreshToken },
    });
    assert.equal(refreshed.statusCode, 401);
    const signIn = await login(shop, email, password, '10.50.0.1');
    assert.equal(signIn.statusCode, 401);
    assert.equal(signIn.json().code, 'invalid_credentials');
    // The address is free again: the same person may come back as a new customer.
    const back = await register(shop, { email });
    assert.notEqual(back.user.id, user.id);
  });

  test('staff cannot delete their account themselves (403)', async () => {
    const staff = await staffMember(shop, 'admin');
    const res = await shop.app.inject({
      method: 'DELETE',
      url: '/api/users/me',
      headers: bearer(staff.accessToken),
    });
    assert.equal(res.statusCode, 403);
    assert.equal(
      (await shop.app.inject({ method: 'GET', url: '/api/users/me', headers: bearer(staff.accessToken) }))
        .statusCode,
      200,
    );
  });
});
