import assert from 'node:assert/strict';
import { createHash, createHmac, generateKeyPairSync } from 'node:crypto';
import { before, test } from 'node:test';
import { SignJWT, type JWTPayload } from 'jose';
import type { ShopApp } from '@shopstack/kernel';
import { describeEachBackend } from '@shopstack/kernel/testing';
import { usersService } from '../src/index.js';
import { audienceOf, issuerOf } from '../src/tokens/claims.js';
import { bearer, register, usersApi, usersDb } from './helpers.js';

describeEachBackend('access and refresh tokens', (backend) => {
  let shop: ShopApp;
  before(async () => {
    shop = await backend.buildApp({ services: [usersService] });
  });

  const me = (token: string) =>
    shop.app.inject({ method: 'GET', url: '/api/users/me', headers: bearer(token) });
  const refresh = (refreshToken: string) =>
    shop.app.inject({ method: 'POST', url: '/api/users/refresh', payload: { refreshToken } });

  test('a refresh token buys a new pair once; the new refresh token buys the next', async () => {
    const first = await register(shop);
    const second = await refresh(first.refreshToken);
    assert.equal(second.statusCode, 200, second.body);
    const pair = second.json();
    assert.notEqual(pair.refreshToken, first.refreshToken);
    assert.notEqual(pair.accessToken, first.accessToken);
    assert.equal((await me(pair.accessToken)).statusCode, 200);
    const third = await refresh(pair.refreshToken);
    assert.equal(third.statusCode, 200, third.body);
  });

  test('presenting a spent refresh token ends the session: the newer tokens stop working too', async () => {
    const first = await register(shop);
    const rotated = (await refresh(first.refreshToken)).json();
    const reused = await refresh(first.refreshToken);
    assert.equal(reused.statusCode, 401);
    assert.equal(reused.json().code, 'refresh_token_reused');
    const newer = await refresh(rotated.refreshToken);
    assert.equal(newer.statusCode, 401);
    assert.equal(newer.json().code, 'refresh_token_reused');
    // The session's access tokens are refused at once in this process.
    assert.equal((await me(rotated.accessToken)).statusCode, 401);
    // Other sessions of the same account go on.
    const other = await shop.app.inject({
      method: 'POST',
      url: '/api/users/login',
      payload: { email: first.email, password: first.password },
    });
    assert.equal(other.statusCode, 200);
    assert.equal((await refresh(other.json().refreshToken)).statusCode, 200);
  });

  test('refresh tokens are stored only as SHA-256 hashes', async () => {
    const { refreshToken } = await register(shop);
    const rows = await usersDb(shop).selectFrom('refresh_tokens').select('token_hash').execute();
    assert.ok(rows.length > 0);
    const hash = createHash('sha256').update(refreshToken).digest('hex');
    assert.ok(rows.some((row) => row.token_hash === hash));
    assert.ok(!rows.some((row) => row.token_hash === refreshToken));
  });

  test('an unknown refresh token is refused, and logging out with it ends nothing', async () => {
    const unknown = await refresh('x'.repeat(43));
    assert.equal(unknown.statusCode, 401);
    assert.equal(unknown.json().code, 'invalid_refresh_token');
    const out = await shop.app.inject({
      method: 'POST',
      url: '/api/users/logout',
      payload: { refreshToken: 'x'.repeat(43) },
    });
    assert.equal(out.statusCode, 204);
    assert.equal(out.body, '');
  });

  test('logging out ends the session: its refresh and access tokens stop working', async () => {
    const { refreshToken, accessToken } = await register(shop);
    const out = await shop.app.inject({
      method: 'POST',
      url: '/api/users/logout',
      payload: { refreshToken },
    });
    assert.equal(out.statusCode, 204);
    const again = await refresh(refreshToken);
    assert.equal(again.statusCode, 401);
    assert.equal(again.json().code, 'refresh_token_reused');
    const access = await me(accessToken);
    assert.equal(access.statusCode, 401);
    assert.equal(access.json().code, 'invalid_token');
  });

  test('the JWK Set publishes public keys only, with kid, alg and use', async () => {
    const res = await shop.app.inject({ method: 'GET', url: '/api/users/.well-known/jwks.json' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['cache-control']), /public/);
    const { keys } = res.json() as { keys: Array<Record<string, string>> };
    assert.equal(keys.length, 1);
    assert.deepEqual(Object.keys(keys[0]!).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x']);
    assert.equal(keys[0]!.alg, 'EdDSA');
    assert.equal(keys[0]!.use, 'sig');
    assert.ok(!('d' in keys[0]!));
  });

  test('access tokens that are expired, forged, for another audience or issuer, unsigned or HS256 are refused', async () => {
    const { user } = await register(shop);
    const storeId = shop.config.store.id;
    const { kid, key } = usersApi(shop).keys.signingKey();
    const now = Math.floor(Date.now() / 1000);
    const claims: JWTPayload = { role: 'customer', kind: 'customer', sid: 's' };
    const sign = (
      options: {
        iss?: string;
        aud?: string;
        iat?: number;
        exp?: number;
        signWith?: typeof key;
        kid?: string;
      } = {},
    ) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: options.kid ?? kid })
        .setSubject(user.id)
        .setIssuer(options.iss ?? issuerOf(storeId))
        .setAudience(options.aud ?? audienceOf(storeId))
        .setIssuedAt(options.iat ?? now)
        .setExpirationTime(options.exp ?? now + 600)
        .sign(options.signWith ?? key);

    // A well-formed token of the right key is accepted: each case below differs in one point.
    assert.equal((await me(await sign())).statusCode, 200);

    const other = generateKeyPairSync('ed25519').privateKey;
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const payload = b64({
      ...claims,
      sub: user.id,
      iss: issuerOf(storeId),
      aud: audienceOf(storeId),
      iat: now,
      exp: now + 600,
    });
    const unsigned = `${b64({ alg: 'none', typ: 'at+jwt', kid })}.${payload}.`;
    // The classic confusion: the public key used as an HMAC secret.
    const jwks = (await shop.app.inject({ method: 'GET', url: '/api/users/.well-known/jwks.json' })).json();
    const hsInput = `${b64({ alg: 'HS256', typ: 'at+jwt', kid })}.${payload}`;
    const hs256 = `${hsInput}.${createHmac('sha256', JSON.stringify(jwks.keys[0])).update(hsInput).digest('base64url')}`;
    const hs256x = `${hsInput}.${createHmac('sha256', Buffer.from(jwks.keys[0].x, 'base64url')).update(hsInput).digest('base64url')}`;

    const cases: Record<string, string> = {
      expired: await sign({ iat: now - 2000, exp: now - 1000 }),
      'forged with another key': await sign({ signWith: other }),
      'unknown key id': await sign({ signWith: other, kid: 'someone-elses-key' }),
      'wrong audience': await sign({ aud: 'shopstack:other-store' }),
      'wrong issuer': await sign({ iss: 'shopstack:demo:evil' }),
      'alg none': unsigned,
      'HS256 with the public JWK': hs256,
      'HS256 with the public key bytes': hs256x,
      'tampered payload': (await sign()).replace(
        /\.[^.]+\./,
        `.${b64({ sub: 'someone-else', role: 'admin' })}.`,
      ),
    };
    for (const [label, token] of Object.entries(cases)) {
      const res = await me(token);
      assert.equal(res.statusCode, 401, `${label}: ${res.body}`);
      assert.equal(res.json().code, label === 'expired' ? 'token_expired' : 'invalid_token', label);
      assert.match(String(res.headers['www-authenticate']), /error="invalid_token"/);
    }
  });

  test('a customer token cannot pass for staff by claiming a staff role', async () => {
    const { user } = await register(shop);
    const storeId = shop.config.store.id;
    const { kid, key } = usersApi(shop).keys.signingKey();
    // Only a token signed by users can say so; one that mixes kinds is refused outright.
    const mixed = await new SignJWT({ role: 'admin', kind: 'customer', sid: 's' })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid })
      .setSubject(user.id)
      .setIssuer(issuerOf(storeId))
      .setAudience(audienceOf(storeId))
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key);
    assert.equal((await me(mixed)).statusCode, 401);
  });
});
