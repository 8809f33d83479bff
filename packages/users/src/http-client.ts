import { NotFound, ServiceClient, type HttpClientOptions, type RequestContext } from '@shopstack/kernel';
import type { UsersClient } from './client.js';
import type { Customer } from './schemas/profile.js';

const PREFIX = '/api/users';

/**
 * The users service over HTTP, for processes that do not host it: same interface and same errors
 * as the in-process client, through the kernel's ServiceClient.
 */
export class HttpUsersClient implements UsersClient {
  private readonly client: ServiceClient;

  constructor(options: HttpClientOptions) {
    this.client = new ServiceClient({ service: 'users', ...options });
  }

  async getCustomer(ctx: RequestContext, id: string): Promise<Customer | null> {
    try {
      return await this.client.call<Customer>(ctx, {
        method: 'GET',
        path: `${PREFIX}/customers/${encodeURIComponent(id)}`,
      });
    } catch (err) {
      if (err instanceof NotFound) return null;
      throw err;
    }
  }

  /** Closes the connections this client keeps open. */
  async close(): Promise<void> {
    await this.client.close();
  }
}
