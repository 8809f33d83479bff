import type { RequestContext } from '@shopstack/kernel';
import type { ProductDetail, VariantLookup } from './schemas/product.js';
import type { ReservationLineInput, ReservationResult } from './schemas/stock.js';

/**
 * What other services may ask of the catalogue. The in-process API and the HTTP client both
 * implement it, so a caller never knows (or cares) which topology it runs in.
 */
export interface CatalogueClient {
  /** A published product by id or slug, or null. */
  getProduct(ctx: RequestContext, idOrSlug: string): Promise<ProductDetail | null>;
  /**
   * A published variant by SKU or by id, with its product's page and its exact available units,
   * or null. For the cart, checkout and staff (Forbidden for others).
   */
  findVariant(
    ctx: RequestContext,
    ref: { sku: string } | { variantId: string },
  ): Promise<VariantLookup | null>;
  /**
   * Reserves every line or none, held for `options.holdSeconds` (1 to 86400; the store's
   * catalogue.reservationHoldMinutes otherwise) unless committed or released first; repeating the
   * same lines under an active orderRef returns that reservation. Throws Conflict when stock is
   * short or the orderRef holds other lines, InvalidState when the orderRef's reservation was
   * released (by expiry too) or committed.
   */
  reserveStock(
    ctx: RequestContext,
    orderRef: string,
    lines: ReservationLineInput[],
    options?: { holdSeconds?: number },
  ): Promise<ReservationResult>;
  /** Gives reserved stock back (cancel, expiry, payment failure); idempotent. */
  releaseStock(ctx: RequestContext, orderRef: string): Promise<ReservationResult>;
  /**
   * Turns a reservation into a sale: on hand and reserved both drop; idempotent. A reservation past
   * its hold that the catalogue has not released yet is still committed.
   */
  commitStock(ctx: RequestContext, orderRef: string): Promise<ReservationResult>;
  /** Puts a committed reservation's units back on hand (a cancelled order); idempotent. */
  restockStock(ctx: RequestContext, orderRef: string): Promise<ReservationResult>;
  /** A reservation as it stands; NotFound reservation_not_found. */
  getReservation(ctx: RequestContext, orderRef: string): Promise<ReservationResult>;
}
