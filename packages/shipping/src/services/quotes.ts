import type { Parcel } from '@shopstack/cart';
import {
  assertInput,
  assertStoreCurrency,
  NotFound,
  type RequestContext,
  type ServiceRuntime,
} from '@shopstack/kernel';
import { QuoteRepository, type PricedMethodRow } from '../repositories/quotes.js';
import { ParcelInput, type ShippingQuote, type QuotedMethod } from '../schemas/quote.js';
import type { ShippingTables } from '../tables.js';
import { assertKnownCountry } from './rules.js';

/** Where a quote's cart comes from: the caller's own, a guest's by its token. */
export interface CartQuoteRequest {
  cartId: string;
  country: string;
  cartToken?: string;
}

/**
 * Prices parcels for destinations: anyone may ask (shipping prices are public), so there is no
 * access rule here; a cart's quote is as private as the cart, which the cart service decides.
 */
export class QuoteService {
  private readonly repo: QuoteRepository;

  constructor(private readonly runtime: ServiceRuntime<ShippingTables>) {
    this.repo = new QuoteRepository(runtime.db, runtime.schema);
  }

  /** The methods that reach the parcel's country and take its weight, priced, cheapest first. */
  async quote(ctx: RequestContext, parcel: ParcelInput): Promise<ShippingQuote> {
    assertInput(ParcelInput, parcel);
    assertKnownCountry(parcel.country, 'country');
    assertStoreCurrency(parcel.subtotal, this.runtime.store.currency, 'subtotal');
    const rows = await this.repo.pricedMethods(
      parcel.country,
      parcel.weightGrams,
      this.runtime.store.currency,
    );
    return {
      country: parcel.country,
      weightGrams: parcel.weightGrams,
      subtotal: { amount: parcel.subtotal.amount, currency: parcel.subtotal.currency },
      methods: rows.map((row) => this.rateOf(row, parcel.subtotal.amount)).sort(cheapestFirst),
    };
  }

  /** The methods available for a shopper's cart at a destination, priced. */
  async quoteCart(ctx: RequestContext, request: CartQuoteRequest): Promise<ShippingQuote> {
    assertKnownCountry(request.country, 'country');
    let parcel: Parcel;
    try {
      parcel = await this.runtime.clients.get('cart').parcelOf(ctx, request.cartId, request.cartToken);
    } catch (err) {
      // This route answers with codes of its own, whatever the cart calls its refusals; only the
      // cart's owner learns that it expired, so passing that on tells nobody else anything.
      if (err instanceof NotFound) {
        if (err.details.code === 'cart_expired') {
          throw new NotFound(`Cart ${request.cartId} expired.`, {
            code: 'cart_expired',
            cartId: request.cartId,
          });
        }
        throw new NotFound(`No cart ${request.cartId} of yours.`, { code: 'cart_not_found' });
      }
      throw err;
    }
    // Free shipping is earned by what the shopper pays for the goods, discounts taken off.
    const quote = await this.quote(ctx, {
      country: request.country,
      weightGrams: parcel.weightGrams,
      subtotal: { amount: parcel.discountedSubtotal, currency: parcel.currency },
    });
    return { cartId: parcel.cartId, ...quote };
  }

  private rateOf(row: PricedMethodRow, subtotal: number): QuotedMethod {
    const free = row.free_threshold !== null && subtotal >= row.free_threshold;
    const rate: QuotedMethod = {
      methodId: row.method_id,
      code: row.code,
      name: row.name,
      price: { amount: free ? 0 : row.price, currency: this.runtime.store.currency },
      free,
    };
    if (row.min_days !== null && row.max_days !== null) {
      rate.estimatedDays = { minDays: row.min_days, maxDays: row.max_days };
    }
    return rate;
  }
}

function cheapestFirst(a: QuotedMethod, b: QuotedMethod): number {
  return (
    a.price.amount - b.price.amount || a.code.localeCompare(b.code) || a.methodId.localeCompare(b.methodId)
  );
}
