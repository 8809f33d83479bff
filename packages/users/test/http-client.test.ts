import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { before, test } from 'node:test';
import { mintServiceToken, type Actor, type RequestContext, type ShopApp } from '@shopstack/kernel';
import { describeEachBackend, TEST_SERVICE_SECRET, settled } from '@shopstack/kernel/testing';
import type { UsersClient } from '../src/client.js';
import { HttpUsersClient } from '../src/http-client.js';
import { usersService } from '../src/index.js';
import { bearer, contextAs, HOME, register, staffMember } from './helpers.js';

describeEachBackend('users HTTP client', (backend) => {
  let shop: ShopApp;
  let http: UsersClient;
  let local: UsersClient;
  before(async () => {
    shop = await backend.buildApp({ services: [usersService] });
    await shop.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = shop.app.server.address() as AddressInfo;
    http = new HttpUsersClient({
      baseUrl: `http://127.0.0.1:${port}/`,
      // What the kernel sends for a calling service: a service token carrying the call's actor.
      credential: (ctx: RequestContext) =>
        mintServiceToken(
          { secret: TEST_SERVICE_SECRET, storeId: ctx.store.id, caller: 'orders', audience: 'users' },
          ctx,
        ),
    });
    local = shop.services.clients.get('users');
  });

  test('getCustomer answers the same in process and over HTTP, for every kind of caller', async () => {
    const a = await register(shop);
    const b = await register(shop);
    await shop.app.inject({
      method: 'POST',
      url: '/api/users/me/addresses',
      headers: bearer(a.accessToken),
      payload: HOME,
    });
    const staff = await staffMember(shop, 'staff');
    const actors: Actor[] = [
      { kind: 'service', name: 'orders' },
      { kind: 'staff', id: staff.id, role: 'staff' },
      { kind: 'customer', id: a.user.id },
      { kind: 'customer', id: b.user.id },
    ];
    for (const actor of actors) {
      const ctx = contextAs(shop, actor, 'orders');
      const ids = [a.user.id, 'no-such-customer', staff.id];
      const inProcess = await Promise.all(ids.map((id) => settled(local.getCustomer(ctx, id))));
      const overHttp = await Promise.all(ids.map((id) => settled(http.getCustomer(ctx, id))));
      assert.deepEqual(overHttp, inProcess, JSON.stringify(actor));
    }
    const seen = await local.getCustomer(
      contextAs(shop, { kind: 'service', name: 'orders' }, 'orders'),
      a.user.id,
    );
    assert.equal(seen?.email, a.email);
    assert.equal(seen?.addresses[0]?.line1, HOME.line1);
    const byB = await http.getCustomer(
      contextAs(shop, { kind: 'customer', id: b.user.id }, 'orders'),
      a.user.id,
    );
    assert.equal(byB, null, "another customer's account is not found");
  });

  test('both clients refuse the bootstrap actor alike', async () => {
    const a = await register(shop);
    const ctx = contextAs(shop, { kind: 'service', name: 'bootstrap' }, 'orders');
    const inProcess = await settled(local.getCustomer(ctx, a.user.id));
    const overHttp = await settled(http.getCustomer(ctx, a.user.id));
    assert.deepEqual(overHttp, inProcess);
    assert.equal((inProcess as { error: string }).error, 'Forbidden');
  });
});
