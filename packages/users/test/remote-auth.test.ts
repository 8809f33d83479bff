import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { before, test } from 'node:test';
import { buildApp, createLogger, migrateAll, serviceContext, type ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import { catalogueService } from '@shopstack/catalogue';
import { usersService } from '../src/index.js';
import { bearer, HOME, register, staffMember } from './helpers.js';

/**
 * Two processes of one store: users in the first, the catalogue in the second, which reaches users
 * over HTTP and verifies access tokens with the keys users publishes.
 */
describeEachBackend('access tokens in a process that reaches users over HTTP', (backend) => {
  let users: ShopApp;
  let catalogue: ShopApp;
  before(async () => {
    users = await backend.buildApp({ services: [usersService] });
    await users.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = users.app.server.address() as AddressInfo;
    const config = backend.config({ serviceUrls: { users: `http://127.0.0.1:${port}` } });
    const database = await backend.database(config);
    await migrateAll(database, [catalogueService]);
    catalogue = await buildApp({
      config,
      database,
      services: [catalogueService],
      known: [usersService],
      logger: createLogger(config),
    });
  });

  const createProduct = (token: string, sku: string) =>
    catalogue.app.inject({
      method: 'POST',
      url: '/api/catalogue/admin/products',
      headers: bearer(token),
      payload: {
        name: `Remote ${sku}`,
        variants: [{ sku, price: { amount: 900, currency: catalogue.config.store.currency } }],
      },
    });

  test('a staff access token from users is accepted by the other process; a customer token is refused there', async () => {
    const staff = await staffMember(users, 'admin');
    const created = await createProduct(staff.accessToken, `REMOTE-${Date.now()}`);
    assert.equal(created.statusCode, 201, created.body);
    const customer = await register(users);
    const refused = await createProduct(customer.accessToken, `REMOTE-C-${Date.now()}`);
    assert.equal(refused.statusCode, 403, refused.body);
  });

  test('forged and expired-looking tokens are refused by the other process with 401', async () => {
    const staff = await staffMember(users, 'admin');
    const [header, payload] = staff.accessToken.split('.');
    const tampered = `${header}.${payload}.${'A'.repeat(86)}`;
    const res = await createProduct(tampered, `REMOTE-F-${Date.now()}`);
    assert.equal(res.statusCode, 401, res.body);
    assert.equal(res.json().code, 'invalid_token');
  });

  test("the other process's users client reads customers over HTTP", async () => {
    const customer = await register(users);
    await users.app.inject({
      method: 'POST',
      url: '/api/users/me/addresses',
      headers: bearer(customer.accessToken),
      payload: HOME,
    });
    const ctx = serviceContext(catalogue.config.store, catalogue.logger, 'orders');
    const found = await catalogue.services.clients.get('users').getCustomer(ctx, customer.user.id);
    assert.equal(found?.email, customer.email);
    assert.equal(found?.addresses.length, 1);
  });
});
