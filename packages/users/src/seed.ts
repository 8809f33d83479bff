import { Conflict, type RequestContext, type SeedOptions, type ServiceRuntime } from '@shopstack/kernel';
import type { UsersApi } from './api.js';
import type { UsersTables } from './tables.js';

/**
 * The users part of a new store: its first admin, so the back office can be entered at once. The
 * password is random and reported once; a store that has any staff account is left alone.
 */
export async function seedFirstAdmin(
  api: UsersApi,
  ctx: RequestContext,
  options: SeedOptions,
  runtime: ServiceRuntime<UsersTables>,
): Promise<void> {
  if (await api.accounts.hasStaff(ctx)) return;
  const email = `admin@${runtime.store.id}.example`;
  // The seed runs as the users service itself; staff accounts are created as the bootstrap actor.
  const bootstrap: RequestContext = { ...ctx, actor: { kind: 'service', name: 'bootstrap' } };
  let generatedPassword: string | undefined;
  try {
    ({ generatedPassword } = await api.accounts.createStaff(bootstrap, {
      email,
      name: 'Store admin',
      role: 'admin',
    }));
  } catch (err) {
    // Another process starting on the same new store created it first, and reported it.
    if (err instanceof Conflict) return;
    throw err;
  }
  options.report(`Staff admin: ${email} / ${generatedPassword} (shown once; change it)`);
}
