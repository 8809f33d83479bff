import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import { usersService } from '../src/index.js';
import { MAX_ADDRESSES } from '../src/services/address-book.js';
import { HOME, bearer, register, staffMember } from './helpers.js';

describeEachBackend('address book', (backend) => {
  let shop: ShopApp;
  before(async () => {
    shop = await backend.buildApp({ services: [usersService] });
  });

  const call = (token: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    shop.app.inject({
      method,
      url: `/api/users/me/addresses${url}`,
      headers: bearer(token),
      ...(payload ? { payload } : {}),
    });

  test('a customer adds, reads, changes and removes addresses; the first is the default', async () => {
    const { accessToken } = await register(shop);
    const first = await call(accessToken, 'POST', '', HOME);
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(first.json().isDefault, true);
    const second = await call(accessToken, 'POST', '', {
      ...HOME,
      label: 'Work',
      line1: '1 Work Street',
      isDefault: true,
    });
    assert.equal(second.json().isDefault, true);
    const list = (await call(accessToken, 'GET', '')).json().items as Array<{
      id: string;
      isDefault: boolean;
    }>;
    assert.deepEqual(
      list.map((a) => [a.id, a.isDefault]),
      [
        [second.json().id, true],
        [first.json().id, false],
      ],
    );
    const changed = await call(accessToken, 'PATCH', `/${first.json().id}`, {
      city: 'Bath',
      isDefault: true,
      line2: null,
    });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.equal(changed.json().city, 'Bath');
    assert.equal((await call(accessToken, 'GET', `/${second.json().id}`)).json().isDefault, false);
    assert.equal((await call(accessToken, 'DELETE', `/${first.json().id}`)).statusCode, 204);
    const gone = await call(accessToken, 'GET', `/${first.json().id}`);
    assert.equal(gone.statusCode, 404);
    assert.equal(gone.json().code, 'address_not_found');
  });

  test("customer A gets 404 for B's addresses, whatever the method, and B's address is unchanged", async () => {
    const a = await register(shop);
    const b = await register(shop);
    const address = (await call(b.accessToken, 'POST', '', HOME)).json();
    for (const [method, payload] of [['GET'], ['PATCH', { city: 'Stolen' }], ['DELETE']] as const) {
      const res = await call(a.accessToken, method, `/${address.id}`, payload);
      assert.equal(res.statusCode, 404, `${method}: ${res.body}`);
      assert.equal(res.json().code, 'address_not_found');
    }
    assert.deepEqual((await call(a.accessToken, 'GET', '')).json().items, []);
    assert.deepEqual((await call(b.accessToken, 'GET', `/${address.id}`)).json(), address);
  });

  test(`an address book holds at most ${MAX_ADDRESSES} addresses`, async () => {
    const { accessToken } = await register(shop);
    const results = await Promise.all(
      Array.from({ length: MAX_ADDRESSES + 3 }, (_, i) =>
        call(accessToken, 'POST', '', { ...HOME, line1: `${i} Road` }),
      ),
    );
    assert.equal(results.filter((r) => r.statusCode === 201).length, MAX_ADDRESSES);
    for (const res of results.filter((r) => r.statusCode !== 201)) {
      assert.equal(res.statusCode, 409);
      assert.equal(res.json().code, 'address_book_full');
    }
    const items = (await call(accessToken, 'GET', '')).json().items as Array<{ isDefault: boolean }>;
    assert.equal(items.filter((a) => a.isDefault).length, 1);
  });

  test('staff have no address book (403) and anonymous callers must sign in (401)', async () => {
    const staff = await staffMember(shop, 'staff');
    const refused = await call(staff.accessToken, 'GET', '');
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().code, 'forbidden');
    const anonymous = await shop.app.inject({
      method: 'POST',
      url: '/api/users/me/addresses',
      payload: HOME,
    });
    assert.equal(anonymous.statusCode, 401);
  });
});
