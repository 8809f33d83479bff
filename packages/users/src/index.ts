import { defineService } from '@shopstack/kernel';
import { createUsersApi, inProcessUsersClient, type UsersApi } from './api.js';
import type { UsersClient } from './client.js';
import { HttpUsersClient } from './http-client.js';
import { migrations } from './migrations/index.js';
import { usersRoutes } from './routes/index.js';
import { seedFirstAdmin } from './seed.js';
import type { UsersTables } from './tables.js';
import { localAuthenticator, remoteAuthenticator } from './tokens/authenticators.js';

export type { UsersApi } from './api.js';
export type { UsersClient } from './client.js';
export type { Account, TokenPair } from './schemas/account.js';
export type { Address, Customer } from './schemas/profile.js';
export { HttpUsersClient } from './http-client.js';
export { ACCESS_TOKEN_LIFETIME_SECONDS, audienceOf, issuerOf } from './tokens/claims.js';

declare module '@shopstack/kernel' {
  interface ServiceClients {
    users: UsersClient;
  }
}

/** Customer and staff accounts, sign-in with access and refresh tokens, profiles and address books. */
export const usersService = defineService<UsersApi, UsersClient, UsersTables>({
  name: 'users',
  description: 'Customer and staff accounts, sign-in (access and refresh tokens), profiles and address books',
  migrations,
  create: createUsersApi,
  routes: usersRoutes,
  // Access tokens are signed from the first request on: the keys are loaded (or created) first.
  start: async (api) => {
    await api.keys.start();
    await api.revocations.start();
  },
  stop: (api) => api.revocations.stop(),
  seed: seedFirstAdmin,
  authenticator: (api, runtime) => localAuthenticator(api.keys, api.revocations, runtime.store.id),
  remoteAuthenticator,
  inProcessClient: inProcessUsersClient,
  httpClient: (options) => new HttpUsersClient(options),
});
