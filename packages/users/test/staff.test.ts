import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { ShopApp } from '@shopstack/kernel';
import { describeEachBackend, TEST_ADMIN_TOKEN } from '@shopstack/kernel/testing';
import { usersService } from '../src/index.js';
import { bearer, login, register, staffMember, uniqueEmail } from './helpers.js';

describeEachBackend('staff accounts', (backend) => {
  let shop: ShopApp;
  before(async () => {
    shop = await backend.buildApp({ services: [usersService] });
  });

  const createStaff = (headers: Record<string, string>, payload: object) =>
    shop.app.inject({ method: 'POST', url: '/api/users/staff', headers, payload });

  test('the bootstrap token creates the first admin, whose sign-in gives a staff actor with role admin', async () => {
    const email = uniqueEmail('first-admin');
    const created = await createStaff(bearer(TEST_ADMIN_TOKEN), {
      email,
      name: 'First Admin',
      role: 'admin',
    });
    assert.equal(created.statusCode, 201, created.body);
    const { user, generatedPassword } = created.json();
    assert.equal(user.role, 'admin');
    assert.ok(generatedPassword.length >= 20);
    const signedIn = await login(shop, email, generatedPassword);
    assert.equal(signedIn.statusCode, 200);
    const authentication = await shop.services.authenticate(signedIn.json().accessToken, 'catalogue');
    assert.deepEqual(authentication, { actor: { kind: 'staff', id: user.id, role: 'admin' } });
  });

  test('an admin creates staff with a chosen password; staff sign-in gives role staff', async () => {
    const admin = await staffMember(shop, 'admin');
    const email = uniqueEmail('clerk');
    const created = await createStaff(bearer(admin.accessToken), {
      email,
      name: 'Clerk',
      password: 'a clerk password',
    });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.json().user.role, 'staff');
    assert.equal(created.json().generatedPassword, undefined);
    const signedIn = await login(shop, email, 'a clerk password');
    const { actor } = await shop.services.authenticate(signedIn.json().accessToken, 'users');
    assert.deepEqual(actor, { kind: 'staff', id: created.json().user.id, role: 'staff' });
  });

  test('customers get 403 and staff without the admin role 403 on staff creation; nobody is created', async () => {
    const customer = await register(shop);
    const clerk = await staffMember(shop, 'staff');
    for (const token of [customer.accessToken, clerk.accessToken]) {
      const email = uniqueEmail('refused');
      const res = await createStaff(bearer(token), { email, name: 'X', role: 'admin' });
      assert.equal(res.statusCode, 403, res.body);
      assert.equal(res.json().code, 'forbidden');
      assert.equal((await login(shop, email, 'whatever password')).statusCode, 401);
    }
    const anonymous = await createStaff({}, { email: uniqueEmail('anon'), name: 'X' });
    assert.equal(anonymous.statusCode, 401);
  });

  test('the bootstrap token does nothing but create staff', async () => {
    const { user } = await register(shop);
    for (const url of ['/api/users/me', `/api/users/customers/${user.id}`, '/api/users/me/addresses']) {
      const res = await shop.app.inject({ method: 'GET', url, headers: bearer(TEST_ADMIN_TOKEN) });
      assert.equal(res.statusCode, 403, `${url}: ${res.body}`);
    }
  });

  test('staff see any customer with their addresses; a customer sees only themself', async () => {
    const admin = await staffMember(shop, 'staff');
    const a = await register(shop);
    const b = await register(shop);
    const get = (token: string, id: string) =>
      shop.app.inject({ method: 'GET', url: `/api/users/customers/${id}`, headers: bearer(token) });
    const seen = await get(admin.accessToken, a.user.id);
    assert.equal(seen.statusCode, 200, seen.body);
    assert.deepEqual(seen.json(), { ...a.user, addresses: [] });
    assert.equal((await get(a.accessToken, a.user.id)).statusCode, 200);
    const other = await get(a.accessToken, b.user.id);
    assert.equal(other.statusCode, 404);
    assert.equal(other.json().code, 'customer_not_found');
    assert.equal((await get(admin.accessToken, admin.id)).statusCode, 404, 'a staff account is no customer');
    const anonymous = await shop.app.inject({ method: 'GET', url: `/api/users/customers/${a.user.id}` });
    assert.equal(anonymous.statusCode, 401);
  });

  test('the demo seed creates one admin on a new store, reports its password once, and then leaves the store alone', async () => {
    const fresh = await backend.buildApp({ services: [usersService] });
    const messages: string[] = [];
    const options = { products: 0, ifEmpty: true, report: (m: string) => messages.push(m) };
    await fresh.services.seed(options);
    await fresh.services.seed(options);
    assert.equal(messages.length, 1);
    const match = /^Staff admin: (admin@demo\.example) \/ (\S+) \(shown once; change it\)$/.exec(
      messages[0]!,
    );
    assert.ok(match, messages[0]);
    const signedIn = await login(fresh, match[1]!, match[2]!);
    assert.equal(signedIn.statusCode, 200, signedIn.body);
  });
});
