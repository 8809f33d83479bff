import { text } from 'node:stream/consumers';
import {
  buildApp,
  InvalidInput,
  loadConfig,
  migrateAll,
  openDatabase,
  serviceContext,
} from '@shopstack/kernel';
import { usersService, type UsersApi } from '@shopstack/users';
import { describeDatabaseTarget } from './database-target.js';

export interface AdminCreateOptions {
  email: string;
  name?: string;
  role: 'admin' | 'staff';
  passwordStdin?: boolean;
}

/** The password to give the account: SHOPSTACK_ADMIN_PASSWORD, the first line of stdin, or none (generated). */
async function chosenPassword(options: AdminCreateOptions): Promise<string | undefined> {
  if (options.passwordStdin) {
    const line = (await text(process.stdin)).split(/\r?\n/)[0] ?? '';
    if (line === '')
      throw new InvalidInput('--password-stdin: standard input holds no password.', 'password');
    return line;
  }
  const fromEnv = process.env.SHOPSTACK_ADMIN_PASSWORD;
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
}

/**
 * `shopstack admin create`: creates a staff account (an admin unless --role staff) in the store's
 * users schema, migrating it first, as the bootstrap actor. A generated password is printed once.
 */
export async function adminCreateCommand(options: AdminCreateOptions): Promise<void> {
  const config = loadConfig();
  const password = await chosenPassword(options);
  console.log(`Data: ${describeDatabaseTarget(config)}`);
  const database = await openDatabase(config, { purpose: 'shopstack admin create' });
  try {
    await migrateAll(database, [usersService]);
    const shop = await buildApp({ config, database, services: [usersService] });
    try {
      const api = shop.apis.get('users') as UsersApi;
      const ctx = {
        ...serviceContext(config.store, shop.logger, 'cli'),
        actor: { kind: 'service', name: 'bootstrap' } as const,
      };
      const name = options.name ?? options.email.trim().split('@')[0]!;
      const { user, generatedPassword } = await api.accounts.createStaff(ctx, {
        email: options.email,
        name,
        role: options.role,
        ...(password !== undefined ? { password } : {}),
      });
      console.log(`Created ${user.role} ${user.email} (id ${user.id}) in store "${config.store.id}".`);
      if (generatedPassword)
        console.log(`Password: ${generatedPassword} (shown once; store it safely and change it)`);
    } finally {
      await shop.app.close();
    }
  } finally {
    await database.close();
  }
}
