import type { ServiceMigration } from '@shopstack/kernel';
import { migration as m0001 } from './0001-notifications.js';

/** The notifications service's migrations, applied in name order. */
export const migrations: Record<string, ServiceMigration> = {
  '0001-notifications': m0001,
};
