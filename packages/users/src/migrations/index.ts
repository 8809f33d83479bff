import type { ServiceMigration } from '@shopstack/kernel';
import { migration as m0001 } from './0001-users.js';
import { migration as m0002 } from './0002-customer-list.js';

/** The users service's migrations, applied in name order. */
export const migrations: Record<string, ServiceMigration> = {
  '0001-users': m0001,
  '0002-customer-list': m0002,
};
