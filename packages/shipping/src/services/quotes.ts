import type { Parcel } from '@shopstack/cart';
import {
  assertInput,
  assertStoreCurrency,
  NotFound,
  type RequestContext,
  type ServiceRuntime,
} from '@shopstack/kernel';
import { QuoteRepository, type MethodTierRow, type PricedMethodRow } from '../repositories/quotes.js';
import { ParcelInput, type ShippingQuote, type QuotedMethod } from '../schemas/quote.js';
import type { ShippingTables } from '../tables.js';
import { assertKnownCountry } from './rules.js';

/** Cache namespace of the zones' methods and tiers; every process drops it when staff change any of them. */
const NAMESPACE = 'shipping-tiers';

/** Makes every process read zones, methods and tiers afresh: call after staff changed any of them. */
export function shippingChanged(runtime: ServiceRuntime<ShippingTables>): void {
  runtime.cache.invalidate(NAMESPACE);
}

/** Each method's lightest tier that still takes the weight (tiers by method, lightest first, unbounded last). */
function pricedFor(tiers: readonly MethodTierRow[], weightGrams: number): PricedMethodRow[] {
  const priced: PricedMethodRow[] = [];
  let last: string | undefined;
  for (const { max_weight_grams: max, ...tier } of tiers) {
    if (tier.method_id === last || (max !== null && max < weightGrams)) continue;
    priced.push(tier);
    last = tier.method_id;
  }
  return priced;
}

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
    const rows = pricedFor(await this.tiers(parcel.country), parcel.weightGrams);
    return {
      country: parcel.country,
      weightGrams: parcel.weightGrams,
      subtotal: { amount: parcel.subtotal.amount, currency: parcel.subtotal.currency },
      methods: rows.map((row) => this.rateOf(row, parcel.subtotal.amount)).sort(cheapestFirst),
    };
  }

  /**
   * The tiers of the methods that reach a country, cached: every quote, cart read and checkout
   * needs them, and they change only when staff edit zones, methods or tiers (shippingChanged).
   */
  private async tiers(country: string): Promise<MethodTierRow[]> {
    const currency = this.runtime.store.currency;
    const json = await this.runtime.cache.wrap(NAMESPACE, `${country}|${currency}`, async () =>
      JSON.stringify(await this.repo.methodTiers(country, currency)),
    );
    return JSON.parse(json) as MethodTierRow[];
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
