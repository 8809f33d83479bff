import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import { catalogueService } from '@shopstack/catalogue';
import { usersService } from '../src/index.js';
import { bearer, register, staffMember } from './helpers.js';

describeEachBackend('users access tokens at the catalogue', (backend) => {
  let shop: ShopApp;
  before(async () => {
    shop = await backend.buildApp({ services: [catalogueService, usersService] });
  });

  const createProduct = (token: string, sku: string) =>
    shop.app.inject({
      method: 'POST',
      url: '/api/catalogue/admin/products',
      headers: bearer(token),
      payload: {
        name: `Token Tee ${sku}`,
        status: 'published',
        variants: [{ sku, price: { amount: 1500, currency: shop.config.store.currency }, onHand: 3 }],
      },
    });

  test('a staff member signed in at users creates a product in the catalogue with the access token', async () => {
    const staff = await staffMember(shop, 'staff');
    const res = await createProduct(staff.accessToken, `TOKEN-${Date.now()}`);
    assert.equal(res.statusCode, 201, res.body);
    const product = await shop.app.inject({
      method: 'GET',
      url: `/api/catalogue/products/${res.json().slug}`,
    });
    assert.equal(product.statusCode, 200);
  });

  test('a customer access token gets 403 at the catalogue staff routes', async () => {
    const customer = await register(shop);
    const res = await createProduct(customer.accessToken, `REFUSED-${Date.now()}`);
    assert.equal(res.statusCode, 403, res.body);
    assert.equal(res.json().code, 'forbidden');
  });
});
