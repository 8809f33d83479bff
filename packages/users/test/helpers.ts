import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { serviceContext, type Actor, type RequestContext, type ShopApp } from '@shopstack/kernel';
import { TEST_ADMIN_TOKEN } from '@shopstack/kernel/testing';
import type { UsersApi } from '../src/api.js';
import type { TokenPair } from '../src/schemas/account.js';
import type { Account } from '../src/schemas/account.js';
import type { UsersTables } from '../src/tables.js';

/** Helpers for tests that go through the users API as a shop's front end and back office do. */

export const PASSWORD = 'correct horse battery staple';

/** A valid address for the address book. */
export const HOME = {
  label: 'Home',
  recipient: 'Ada Lovelace',
  line1: '12 St James Square',
  city: 'London',
  postalCode: 'SW1Y 4JH',
  country: 'GB',
};

/** An e-mail address no other test of the run uses. */
export function uniqueEmail(prefix = 'shopper'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}@example.com`;
}

export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}

export function usersApi(shop: ShopApp): UsersApi {
  return shop.apis.get('users') as UsersApi;
}

/** The users tables of a test app, for checks the API does not expose. */
export function usersDb(shop: ShopApp): Kysely<UsersTables> {
  return (shop.database.db as Kysely<UsersTables>).withSchema(shop.database.schemaFor('users'));
}

/** A context acting as the given actor, as an in-process caller would. */
export function contextAs(shop: ShopApp, actor: Actor, caller?: string): RequestContext {
  return { ...serviceContext(shop.config.store, shop.logger, 'test'), actor, ...(caller ? { caller } : {}) };
}

export interface Registered extends TokenPair {
  user: Account;
  email: string;
  password: string;
}

/** Registers a customer through POST /register. */
export async function register(
  shop: ShopApp,
  options: { email?: string; password?: string; name?: string } = {},
): Promise<Registered> {
  const email = options.email ?? uniqueEmail();
  const password = options.password ?? PASSWORD;
  const res = await shop.app.inject({
    method: 'POST',
    url: '/api/users/register',
    payload: { email, password, name: options.name ?? 'Ada Lovelace' },
  });
  assert.equal(res.statusCode, 201, res.body);
  return { ...(res.json() as Omit<Registered, 'email' | 'password'>), email, password };
}

/** Signs in through POST /login and returns the raw response. */
export function login(shop: ShopApp, email: string, password: string, remoteAddress = '127.0.0.1') {
  return shop.app.inject({
    method: 'POST',
    url: '/api/users/login',
    payload: { email, password },
    remoteAddress,
  });
}

/** Creates a staff account with the bootstrap token and signs it in. */
export async function staffMember(
  shop: ShopApp,
  role: 'staff' | 'admin' = 'admin',
): Promise<{ id: string; email: string; password: string; accessToken: string }> {
  const email = uniqueEmail(role);
  const created = await shop.app.inject({
    method: 'POST',
    url: '/api/users/staff',
    headers: bearer(TEST_ADMIN_TOKEN),
    payload: { email, name: `Test ${role}`, role },
  });
  assert.equal(created.statusCode, 201, created.body);
  const { user, generatedPassword } = created.json() as { user: Account; generatedPassword: string };
  const signedIn = await login(shop, email, generatedPassword, `10.9.${Math.floor(Math.random() * 250)}.1`);
  assert.equal(signedIn.statusCode, 200, signedIn.body);
  return {
    id: user.id,
    email,
    password: generatedPassword,
    accessToken: (signedIn.json() as TokenPair).accessToken,
  };
}
