import type { RequestContext } from '@shopstack/kernel';
import type { Customer } from './schemas/profile.js';

/**
 * What other services may ask of users. The in-process API and the HTTP client both implement it,
 * so a caller never knows (or cares) which topology it runs in.
 */
export interface UsersClient {
  /**
   * A customer with their address book, or null when there is none (or it is not the caller's to
   * see: a customer sees only themself). Staff and services see any customer.
   */
  getCustomer(ctx: RequestContext, id: string): Promise<Customer | null>;
}
