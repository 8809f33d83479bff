import type { ServiceMigration } from '@shopstack/kernel';
import { migration as m0001 } from './0001-catalogue.js';
import { migration as m0002 } from './0002-reservation-expiry.js';
import { migration as m0003 } from './0003-reservation-restock.js';
import { migration as m0004 } from './0004-product-ratings.js';

/** The catalogue's migrations, applied in name order. */
export const migrations: Record<string, ServiceMigration> = {
  '0001-catalogue': m0001,
  '0002-reservation-expiry': m0002,
  '0003-reservation-restock': m0003,
  '0004-product-ratings': m0004,
};
