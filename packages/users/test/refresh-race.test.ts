import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import { usersService } from '../src/index.js';
import { bearer, register, usersDb } from './helpers.js';

describeEachBackend('concurrent refreshes', (backend) => {
  let shop: ShopApp;
  before(async () => {
    shop = await backend.buildApp({ services: [usersService] });
  });

  test('20 parallel refreshes of one token: exactly one succeeds, and the session is then ended', async () => {
    const { refreshToken, user } = await register(shop);
    // Real connections in parallel (the pool has 20), not requests queued one after another.
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        shop.app.inject({ method: 'POST', url: '/api/users/refresh', payload: { refreshToken } }),
      ),
    );
    const statuses = results.map((res) => res.statusCode);
    assert.equal(statuses.filter((status) => status === 200).length, 1, statuses.join(','));
    for (const res of results.filter((r) => r.statusCode !== 200)) {
      assert.equal(res.statusCode, 401, res.body);
      assert.equal(res.json().code, 'refresh_token_reused');
    }
    const winner = results.find((res) => res.statusCode === 200)!.json();
    const next = await shop.app.inject({
      method: 'POST',
      url: '/api/users/refresh',
      payload: { refreshToken: winner.refreshToken },
    });
    assert.equal(next.statusCode, 401, 'the winner’s new refresh token was revoked with its session');
    const me = await shop.app.inject({
      method: 'GET',
      url: '/api/users/me',
      headers: bearer(winner.accessToken),
    });
    assert.equal(me.statusCode, 401);

    const sessions = await usersDb(shop)
      .selectFrom('sessions')
      .select(['id', 'revoked_reason'])
      .where('user_id', '=', user.id)
      .execute();
    assert.deepEqual(
      sessions.map((s) => s.revoked_reason),
      ['reuse'],
    );
    const live = await usersDb(shop)
      .selectFrom('refresh_tokens')
      .select('id')
      .where('session_id', '=', sessions[0]!.id)
      .where('status', '=', 'active')
      .execute();
    assert.deepEqual(live, [], 'no token of the session can be spent');
  });
});
