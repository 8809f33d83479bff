import { ServiceClient, type HttpClientOptions, type RequestContext } from '@shopstack/kernel';
import type { ShippingClient, ShippingRate } from './client.js';
import type { ParcelInput, ShippingQuote } from './schemas/quote.js';

/**
 * Shipping over HTTP, for processes that do not host it: same interface and same errors as the
 * in-process client (InvalidInput, ...), through the kernel's ServiceClient; a shipping service
 * that cannot answer raises UpstreamUnavailable.
 */
export class HttpShippingClient implements ShippingClient {
  private readonly client: ServiceClient;

  constructor(options: HttpClientOptions) {
    this.client = new ServiceClient({ service: 'shipping', ...options });
  }

  /** A quote only reads, so it is retried like a GET. */
  async rates(ctx: RequestContext, parcel: ParcelInput): Promise<ShippingRate[]> {
    const quote = await this.client.call<ShippingQuote>(ctx, {
      method: 'POST',
      path: '/api/shipping/quote',
      body: parcel,
      idempotent: true,
    });
    return quote.methods;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
