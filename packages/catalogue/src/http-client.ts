import { NotFound, ServiceClient, type HttpClientOptions, type RequestContext } from '@shopstack/kernel';
import type { CatalogueClient } from './client.js';
import type { ProductDetail, VariantLookup } from './schemas/product.js';
import type { ReservationLineInput, ReservationResult } from './schemas/stock.js';

const PREFIX = '/api/catalogue';

/**
 * The catalogue over HTTP, for processes that do not host it. Same interface and same errors as
 * the in-process client (NotFound, Conflict, InvalidState, ...), through the kernel's ServiceClient;
 * a catalogue that cannot answer raises UpstreamUnavailable.
 */
export class HttpCatalogueClient implements CatalogueClient {
  private readonly client: ServiceClient;

  constructor(options: HttpClientOptions) {
    this.client = new ServiceClient({ service: 'catalogue', ...options });
  }

  async getProduct(ctx: RequestContext, idOrSlug: string): Promise<ProductDetail | null> {
    try {
      return await this.client.call<ProductDetail>(ctx, {
        method: 'GET',
        path: `${PREFIX}/products/${encodeURIComponent(idOrSlug)}`,
      });
    } catch (err) {
      if (err instanceof NotFound) return null;
      throw err;
    }
  }

  async findVariant(
    ctx: RequestContext,
    ref: { sku: string } | { variantId: string },
  ): Promise<VariantLookup | null> {
    const query =
      'sku' in ref ? `sku=${encodeURIComponent(ref.sku)}` : `variantId=${encodeURIComponent(ref.variantId)}`;
    try {
      return await this.client.call<VariantLookup>(ctx, {
        method: 'GET',
        path: `${PREFIX}/variants/lookup?${query}`,
      });
    } catch (err) {
      if (err instanceof NotFound) return null;
      throw err;
    }
  }

  /** A reservation is keyed by its order reference: sending it again returns it, so it is retried. */
  async reserveStock(
    ctx: RequestContext,
    orderRef: string,
    lines: ReservationLineInput[],
    options?: { holdSeconds?: number },
  ): Promise<ReservationResult> {
    return this.client.call<ReservationResult>(ctx, {
      method: 'POST',
      path: `${PREFIX}/reservations`,
      body: {
        orderRef,
        lines,
        ...(options?.holdSeconds === undefined ? {} : { holdSeconds: options.holdSeconds }),
      },
      idempotent: true,
    });
  }

  async releaseStock(ctx: RequestContext, orderRef: string): Promise<ReservationResult> {
    return this.client.call<ReservationResult>(ctx, {
      method: 'POST',
      path: `${PREFIX}/reservations/${encodeURIComponent(orderRef)}/release`,
    });
  }

  async commitStock(ctx: RequestContext, orderRef: string): Promise<ReservationResult> {
    return this.client.call<ReservationResult>(ctx, {
      method: 'POST',
      path: `${PREFIX}/reservations/${encodeURIComponent(orderRef)}/commit`,
    });
  }

  async restockStock(ctx: RequestContext, orderRef: string): Promise<ReservationResult> {
    return this.client.call<ReservationResult>(ctx, {
      method: 'POST',
      path: `${PREFIX}/reservations/${encodeURIComponent(orderRef)}/restock`,
    });
  }

  async getReservation(ctx: RequestContext, orderRef: string): Promise<ReservationResult> {
    return this.client.call<ReservationResult>(ctx, {
      method: 'GET',
      path: `${PREFIX}/reservations/${encodeURIComponent(orderRef)}`,
    });
  }
}
