import { ServiceClient, type HttpClientOptions, type RequestContext } from '@shopstack/kernel';
import type { OrdersClient } from './client.js';
import type { FulfilmentInput, Order } from './schemas/order.js';

const PREFIX = '/api/orders';

/** Orders over HTTP, for processes that do not host the service; same interface and errors as in process. */
export class HttpOrdersClient implements OrdersClient {
  private readonly client: ServiceClient;

  constructor(options: HttpClientOptions) {
    this.client = new ServiceClient({ service: 'orders', ...options });
  }

  getOrder(ctx: RequestContext, orderId: string): Promise<Order> {
    return this.client.call<Order>(ctx, {
      method: 'GET',
      path: `${PREFIX}/admin/orders/${encodeURIComponent(orderId)}`,
    });
  }

  /** A fulfilment step is a move between two named statuses: sending it again is refused, never done twice. */
  markFulfilment(ctx: RequestContext, orderId: string, input: FulfilmentInput): Promise<Order> {
    return this.client.call<Order>(ctx, {
      method: 'POST',
      path: `${PREFIX}/admin/orders/${encodeURIComponent(orderId)}/fulfilment`,
      body: input,
    });
  }

  async customerBought(ctx: RequestContext, customerId: string, productId: string): Promise<boolean> {
    const query = new URLSearchParams({ customerId, productId });
    const answer = await this.client.call<{ bought: boolean }>(ctx, {
      method: 'GET',
      path: `${PREFIX}/admin/purchases?${query.toString()}`,
    });
    return answer.bought;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
