import type { ServiceMigration } from '@shopstack/kernel';
import { migration as m0001 } from './0001-cart.js';
import { migration as m0002 } from './0002-cart-completion.js';

/** The cart's migrations, applied in name order. */
export const migrations: Record<string, ServiceMigration> = {
  '0001-cart': m0001,
  '0002-cart-completion': m0002,
};
