import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import { usersService } from '../src/index.js';
import type { CustomerList } from '../src/schemas/profile.js';
import { bearer, register, staffMember, uniqueEmail } from './helpers.js';

describeEachBackend('the staff customer list', (backend) => {
  let shop: ShopApp;
  let staffToken: string;
  before(async () => {
    shop = await backend.buildApp({ services: [usersService] });
    staffToken = (await staffMember(shop, 'staff')).accessToken;
  });

  const list = (query: string, token = staffToken) =>
    shop.app.inject({
      method: 'GET',
      url: `/api/users/customers${query}`,
      headers: token ? bearer(token) : {},
    });

  test('customers come newest first, page by page, without staff or deleted accounts', async () => {
    const fresh = await backend.buildApp({ services: [usersService] });
    const admin = await staffMember(fresh, 'admin');
    const made = [];
    for (let i = 0; i < 5; i += 1) made.push(await register(fresh, { name: `Pager ${i}` }));
    const gone = await register(fresh);
    const deleted = await fresh.app.inject({
      method: 'DELETE',
      url: '/api/users/me',
      headers: bearer(gone.accessToken),
    });
    assert.equal(deleted.statusCode, 204);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/users/customers?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await fresh.app.inject({ method: 'GET', url, headers: bearer(admin.accessToken) });
      assert.equal(res.statusCode, 200, res.body);
      const page = res.json() as CustomerList;
      assert.ok(page.items.length <= 2);
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    assert.deepEqual(seen, made.map((c) => c.user.id).reverse());
    assert.equal(pages, 3);
  });

  test('q finds customers by part of the name or e-mail address, in any letter case', async () => {
    const tag = uniqueEmail('x').slice(2, 12);
    const byName = await register(shop, { name: `Grace ${tag} Hopper` });
    const byEmail = await register(shop, { email: `someone-${tag}@example.com` });
    await register(shop, { name: 'Unrelated Person' });

    const res = await list(`?q=${tag.toUpperCase()}`);
    assert.equal(res.statusCode, 200, res.body);
    const page = res.json() as CustomerList;
    assert.deepEqual(
      page.items.map((c) => c.id),
      [byEmail.user.id, byName.user.id],
    );
    assert.deepEqual(page.items[1], byName.user);
    assert.equal(page.nextCursor, null);
    // LIKE's wildcards match themselves only.
    const wildcard = (await list('?q=%25')).json() as CustomerList;
    assert.deepEqual(wildcard.items, []);
  });

  test('customers get 403, the anonymous 401; a forged cursor and a bad limit are 400', async () => {
    const customer = await register(shop);
    assert.equal((await list('', customer.accessToken)).statusCode, 403);
    assert.equal((await list('', '')).statusCode, 401);
    for (const cursor of [
      'bm90LWEtY3Vyc29y',
      Buffer.from('2023-02-30T00:00:00.000000|abc').toString('base64url'),
      Buffer.from('0000-01-01T00:00:00.000000|abc').toString('base64url'),
      Buffer.from("2024-01-01T00:00:00.000000|a'b").toString('base64url'),
    ]) {
      const res = await list(`?cursor=${cursor}`);
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json().code, 'invalid_cursor');
    }
    for (const query of ['?limit=0', '?limit=101', '?q=', '?role=staff']) {
      assert.equal((await list(query)).statusCode, 400, query);
    }
  });
});
