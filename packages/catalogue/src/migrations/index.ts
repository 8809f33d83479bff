import type { ServiceMigration } from '@shopstack/kernel';
import { migration as m0001 } from './0001-catalogue.js';
import { migration as m0002 } from './0002-reservation-expiry.js';

/** The catalogue's migrations, applied in name order. */
export const migrations: Record<string, ServiceMigration> = {
  '0001-catalogue': m0001,
  '0002-reservation-expiry': m0002,
};
