import type { RequestContext, ServiceRuntime } from '@shopstack/kernel';
import type { ProductDetail } from '@shopstack/catalogue';
import type { CartRecord } from '../repositories/carts.js';
import type { DiscountRepository } from '../repositories/discounts.js';
import type { Cart, CartLine, Parcel } from '../schemas/cart.js';
import type { CartLineRow, CartRow, CartTables, DiscountRow } from '../tables.js';
import { expiresAt } from './access.js';
import { discountProblem } from './discount-rules.js';
import { discountAmount, priceCart } from './pricing.js';
import { rateFor, STANDARD_CLASS, type TaxSettingsService } from './tax-settings.js';

export type Variant = ProductDetail['variants'][number];

/** The most units of a variant a line may hold. */
export const MAX_LINE_QUANTITY = 1000;

/**
 * Units a shopper may put in a cart as far as the catalogue tells: the count when it is exact, no
 * limit when it only says "more than shown" or "in stock" (checkout's reservation decides then).
 */
export function orderableUnits(variant: Variant): number {
  const { stock } = variant;
  if (!stock.inStock) return 0;
  if (stock.available !== undefined && stock.moreAvailable === false) return stock.available;
  return Number.POSITIVE_INFINITY;
}

/** A cart line as the catalogue knows it now: the variant, or null when its product is off sale. */
export interface ResolvedLine {
  row: CartLineRow;
  product: ProductDetail | null;
  variant: Variant | null;
}

export interface Notice {
  code: string;
  message: string;
  lineId?: string;
}

interface Goods {
  lines: ResolvedLine[];
  subtotal: number;
  weightGrams: number;
  itemCount: number;
}

/**
 * Turns stored carts into what shoppers and services see. Nothing about money is stored on a cart:
 * prices come from the catalogue at every read, totals are computed by pricing.ts, tax rates and
 * the store's price convention come from the staff-managed settings.
 */
export class CartPricer {
  constructor(
    private readonly runtime: ServiceRuntime<CartTables>,
    private readonly taxes: TaxSettingsService,
    private readonly discounts: DiscountRepository,
    readonly idleMs: number,
  ) {}

  /** Looks each line's product up once in the catalogue (through its client). */
  async resolve(ctx: RequestContext, cart: CartRow, rows: readonly CartLineRow[]): Promise<ResolvedLine[]> {
    const catalogue = this.runtime.clients.get('catalogue');
    const ids = [...new Set(rows.map((row) => row.product_id))];
    const products = new Map(
      await Promise.all(ids.map(async (id) => [id, await catalogue.getProduct(ctx, id)] as const)),
    );
    return rows.map((row) => {
      const product = products.get(row.product_id) ?? null;
      const variant = product?.variants.find((v) => v.id === row.variant_id) ?? null;
      // A price in another currency than the cart's cannot be added up with the rest.
      const usable = variant !== null && variant.price.currency === cart.currency;
      return { row, product: usable ? product : null, variant: usable ? variant : null };
    });
  }

  private goods(lines: ResolvedLine[]): Goods {
    let subtotal = 0;
    let weightGrams = 0;
    let itemCount = 0;
    for (const { row, variant } of lines) {
      if (!variant) continue;
      subtotal += variant.price.amount * row.quantity;
      weightGrams += (variant.weightGrams ?? 0) * row.quantity;
      itemCount += row.quantity;
    }
    return { lines, subtotal, weightGrams, itemCount };
  }

  /** The cart's code, whether it applies to this subtotal now, and what it takes off. */
  private async discountOf(cart: CartRow, subtotal: number) {
    if (cart.discount_id === null) return null;
    const row = await this.discounts.findById(cart.discount_id);
    if (!row) return null;
    const problem = discountProblem(row, subtotal, new Date());
    return { row, problem, amount: problem ? 0 : discountAmount(row, subtotal) };
  }

  /** What shipping needs to price the cart (no shipping or tax in it). */
  async parcel(ctx: RequestContext, record: CartRecord): Promise<Parcel> {
    const goods = this.goods(await this.resolve(ctx, record.cart, record.lines));
    const discount = await this.discountOf(record.cart, goods.subtotal);
    return {
      cartId: record.cart.id,
      currency: record.cart.currency,
      subtotal: goods.subtotal,
      discountedSubtotal: goods.subtotal - (discount?.amount ?? 0),
      weightGrams: goods.weightGrams,
      itemCount: goods.itemCount,
    };
  }

  /** Quotes the cart's chosen shipping method for its parcel; null when none is chosen or it is no longer offered. */
  private async shippingQuote(ctx: RequestContext, cart: CartRow, goods: Goods, discountedSubtotal: number) {
    if (cart.country === null || cart.shipping_method === null || goods.itemCount === 0) return null;
    const rates = await this.runtime.clients.get('shipping').rates(ctx, {
      country: cart.country,
      weightGrams: goods.weightGrams,
      subtotal: { amount: discountedSubtotal, currency: cart.currency },
    });
    return rates.find((rate) => rate.code === cart.shipping_method) ?? null;
  }

  /** The cart as its owner sees it, priced now; `notices` are added to what the read itself finds. */
  async view(ctx: RequestContext, record: CartRecord, notices: Notice[] = []): Promise<Cart> {
    const { cart } = record;
    const [resolved, snapshot] = await Promise.all([
      this.resolve(ctx, cart, record.lines),
      this.taxes.snapshot(ctx),
    ]);
    const goods = this.goods(resolved);
    const discount = await this.discountOf(cart, goods.subtotal);
    if (discount?.problem) notices.push({ code: discount.problem.code, message: discount.problem.message });
    const discountAmountNow = discount?.amount ?? 0;
    const rate = await this.shippingQuote(ctx, cart, goods, goods.subtotal - discountAmountNow);
    if (cart.shipping_method !== null && goods.itemCount > 0 && rate === null) {
      notices.push({
        code: 'shipping_method_unavailable',
        message: `Shipping method ${cart.shipping_method} is not offered for this cart any more; choose another.`,
      });
    }

    const taxCountry = cart.country ?? snapshot.defaultCountry;
    const onSale = resolved.filter((line) => line.variant !== null);
    const classOf = (variant: Variant) => (variant as { taxClass?: string }).taxClass ?? STANDARD_CLASS;
    const shippingRate = rateFor(snapshot, cart.country, STANDARD_CLASS);
    const priced = priceCart({
      pricesIncludeTax: snapshot.pricesIncludeTax,
      lines: onSale.map(({ row, variant }) => ({
        unitPrice: variant!.price.amount,
        quantity: row.quantity,
        rateBasisPoints: rateFor(snapshot, taxCountry, classOf(variant!)),
      })),
      discount: discountAmountNow,
      shipping: rate ? { price: rate.price.amount, rateBasisPoints: shippingRate } : null,
    });

    let next = 0;
    const lines = resolved.map(({ row, product, variant }): CartLine => {
      const base = {
        id: row.id,
        productId: row.product_id,
        variantId: row.variant_id,
        sku: row.sku,
        quantity: row.quantity,
      };
      if (!variant || !product) {
        notices.push({
          code: 'product_unavailable',
          message: `${row.sku} is no longer on sale.`,
          lineId: row.id,
        });
        const zero = { amount: 0, currency: cart.currency };
        return {
          ...base,
          name: row.sku,
          available: false,
          unitPrice: zero,
          taxClass: STANDARD_CLASS,
          taxRateBasisPoints: 0,
          subtotal: 0,
          discount: 0,
          tax: 0,
          total: 0,
          weightGrams: 0,
        };
      }
      if (row.quantity > orderableUnits(variant)) {
        notices.push({ code: 'out_of_stock', message: `Not enough of ${row.sku} in stock.`, lineId: row.id });
      }
      const p = priced.lines[next++]!;
      return {
        ...base,
        name: variant.title ? `${product.name} — ${variant.title}` : product.name,
        available: true,
        unitPrice: { amount: variant.price.amount, currency: variant.price.currency },
        taxClass: classOf(variant),
        taxRateBasisPoints: rateFor(snapshot, taxCountry, classOf(variant)),
        subtotal: p.subtotal,
        discount: p.discount,
        tax: p.tax,
        total: p.total,
        weightGrams: (variant.weightGrams ?? 0) * row.quantity,
      };
    });

    return {
      id: cart.id,
      status: cart.status === 'completed' ? 'completed' : 'active',
      customerId: cart.customer_id,
      lines,
      discount: discount
        ? this.discountView(discount.row, discount.problem === null, discountAmountNow)
        : null,
      shipping: rate
        ? {
            country: cart.country!,
            methodCode: rate.code,
            name: rate.name,
            price: priced.shipping,
            free: rate.free,
            taxRateBasisPoints: shippingRate,
            tax: priced.shippingTax,
          }
        : null,
      totals: {
        currency: cart.currency,
        pricesIncludeTax: snapshot.pricesIncludeTax,
        taxCountry,
        subtotal: priced.subtotal,
        discount: priced.discount,
        shipping: priced.shipping,
        tax: priced.tax,
        total: priced.total,
      },
      itemCount: goods.itemCount,
      weightGrams: goods.weightGrams,
      notices,
      createdAt: cart.created_at.toISOString(),
      updatedAt: cart.updated_at.toISOString(),
      expiresAt: expiresAt(cart, this.idleMs).toISOString(),
    };
  }

  private discountView(row: DiscountRow, applicable: boolean, amount: number): Cart['discount'] {
    return { code: row.code, kind: row.kind, value: row.value, applicable, amount };
  }
}
