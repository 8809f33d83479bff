import type { ServiceMigration } from '@shopstack/kernel';
import { migration as m0001 } from './0001-shipping.js';
import { migration as m0002 } from './0002-shipments.js';

/** The shipping service's migrations, applied in name order. */
export const migrations: Record<string, ServiceMigration> = {
  '0001-shipping': m0001,
  '0002-shipments': m0002,
};
