import { NotFound, type ServiceRuntime } from '@shopstack/kernel';
import type { UsersClient } from './client.js';
import { AddressRepository } from './repositories/addresses.js';
import { SessionRepository } from './repositories/sessions.js';
import { SigningKeyRepository } from './repositories/signing-keys.js';
import { UserRepository } from './repositories/users.js';
import { Accounts } from './services/accounts.js';
import { AddressBook } from './services/address-book.js';
import { LoginThrottle } from './services/login-throttle.js';
import { Profiles } from './services/profiles.js';
import { Sessions } from './services/sessions.js';
import type { UsersTables } from './tables.js';
import { KeyRing } from './tokens/key-ring.js';
import { Revocations } from './tokens/revocations.js';

/** The users service's domain API in one process. */
export interface UsersApi {
  accounts: Accounts;
  profiles: Profiles;
  addressBook: AddressBook;
  /** The signing keys of access tokens, loaded (or created) by start(). */
  keys: KeyRing;
  revocations: Revocations;
}

export function createUsersApi(runtime: ServiceRuntime<UsersTables>): UsersApi {
  const { uow, schema } = runtime;
  const users = new UserRepository(uow, schema);
  const addresses = new AddressRepository(uow, schema);
  const sessionRows = new SessionRepository(uow, schema);
  const keys = new KeyRing(new SigningKeyRepository(runtime.db, schema));
  // One channel per schema: stores (and test schemas) sharing a database hear only their own.
  const revocations = new Revocations(runtime.database, `${schema}_revoked`, runtime.logger);
  const sessions = new Sessions(runtime, sessionRows, keys, revocations);
  const throttle = new LoginThrottle(runtime.database.pool, schema);
  return {
    accounts: new Accounts(runtime, users, sessions, throttle),
    profiles: new Profiles(runtime, users, addresses, sessionRows, revocations),
    addressBook: new AddressBook(runtime, users, addresses),
    keys,
    revocations,
  };
}

export function inProcessUsersClient(api: UsersApi): UsersClient {
  return {
    getCustomer: async (ctx, id) => {
      try {
        return await api.profiles.getCustomer(ctx, id);
      } catch (err) {
        if (err instanceof NotFound) return null;
        throw err;
      }
    },
  };
}
