import type { ServiceMigration } from '@shopstack/kernel';
import { migration as m0001 } from './0001-dispatch.js';

/** The dispatch service's migrations, applied in name order. */
export const migrations: Record<string, ServiceMigration> = {
  '0001-dispatch': m0001,
};
