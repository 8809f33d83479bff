import { ServiceClient, type HttpClientOptions, type RequestContext } from '@shopstack/kernel';
import type { RatingsClient } from './client.js';
import type { ProductRating } from './schemas/rating.js';

/**
 * Ratings over HTTP, for processes that do not host the service: same interface and same errors
 * as the in-process client, through the kernel's ServiceClient; a ratings service that cannot
 * answer raises UpstreamUnavailable.
 */
export class HttpRatingsClient implements RatingsClient {
  private readonly client: ServiceClient;

  constructor(options: HttpClientOptions) {
    this.client = new ServiceClient({ service: 'ratings', ...options });
  }

  async productRating(ctx: RequestContext, productId: string): Promise<ProductRating> {
    return this.client.call<ProductRating>(ctx, {
      method: 'GET',
      path: `/api/ratings/products/${encodeURIComponent(productId)}`,
    });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
