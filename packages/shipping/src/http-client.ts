import { ServiceClient, type HttpClientOptions, type RequestContext } from '@shopstack/kernel';
import type { ShippingClient, ShippingRate } from './client.js';
import type { ParcelInput, ShippingQuote } from './schemas/quote.js';
import type { CreateShipmentInput, Shipment, ShipmentList } from './schemas/shipments.js';

const PREFIX = '/api/shipping';

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
      path: `${PREFIX}/quote`,
      body: parcel,
      idempotent: true,
    });
    return quote.methods;
  }

  /** Creating an order's shipment again answers the first one, so it is retried like a GET. */
  createShipment(ctx: RequestContext, input: CreateShipmentInput): Promise<Shipment> {
    return this.client.call<Shipment>(ctx, {
      method: 'POST',
      path: `${PREFIX}/shipments`,
      body: input,
      idempotent: true,
    });
  }

  /** Cancelling a cancelled shipment answers it as it is, so the call is retried like a GET. */
  cancelShipment(ctx: RequestContext, orderId: string): Promise<Shipment> {
    return this.client.call<Shipment>(ctx, {
      method: 'POST',
      path: `${PREFIX}/orders/${encodeURIComponent(orderId)}/shipments/cancel`,
      idempotent: true,
    });
  }

  async shipmentsForOrder(ctx: RequestContext, orderId: string): Promise<Shipment[]> {
    const list = await this.client.call<ShipmentList>(ctx, {
      method: 'GET',
      path: `${PREFIX}/orders/${encodeURIComponent(orderId)}/shipments`,
    });
    return list.items;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
