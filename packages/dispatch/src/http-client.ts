import { ServiceClient, type HttpClientOptions, type RequestContext } from '@shopstack/kernel';
import type { DispatchClient } from './client.js';
import type { Fulfilment, FulfilmentList, FulfilmentsQuery } from './schemas/fulfilments.js';

const PREFIX = '/api/dispatch';

/** Dispatch over HTTP, for processes that do not host it; same interface and errors as in process. */
export class HttpDispatchClient implements DispatchClient {
  private readonly client: ServiceClient;

  constructor(options: HttpClientOptions) {
    this.client = new ServiceClient({ service: 'dispatch', ...options });
  }

  getFulfilment(ctx: RequestContext, orderId: string): Promise<Fulfilment> {
    return this.client.call<Fulfilment>(ctx, {
      method: 'GET',
      path: `${PREFIX}/fulfilments/${encodeURIComponent(orderId)}`,
    });
  }

  listFulfilments(ctx: RequestContext, query: Partial<FulfilmentsQuery> = {}): Promise<FulfilmentList> {
    const params = new URLSearchParams();
    if (query.status !== undefined) params.set('status', query.status);
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    const search = params.toString();
    return this.client.call<FulfilmentList>(ctx, {
      method: 'GET',
      path: `${PREFIX}/fulfilments${search ? `?${search}` : ''}`,
    });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
