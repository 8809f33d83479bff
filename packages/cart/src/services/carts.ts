import {
  assertInput,
  Conflict,
  InvalidInput,
  newId,
  NotFound,
  type RequestContext,
  type ServiceRuntime,
} from '@shopstack/kernel';
import { CartRepository, type CartRecord } from '../repositories/carts.js';
import type { DiscountRepository } from '../repositories/discounts.js';
import {
  AddLineInput,
  ApplyDiscountInput,
  ChangeLineInput,
  SelectShippingInput,
  type Cart,
  type CompleteCartInput,
  type CreatedCart,
  type Parcel,
} from '../schemas/cart.js';
import type { CartTables } from '../tables.js';
import { assertActiveOwned, assertReadable, cartNotFound, hashCartToken, newCartToken } from './access.js';
import { completeCart } from './complete.js';
import { MAX_LINE_QUANTITY, type CartPricer, type Variant } from './cart-view.js';
import { discountError, discountNotFound, discountProblem } from './discount-rules.js';
import { mergeGuestCart } from './merge.js';

function outOfStock(variant: Variant, requested: number, available: number): Conflict {
  return new Conflict(`Not enough of ${variant.sku} in stock for ${requested}.`, {
    code: 'out_of_stock',
    sku: variant.sku,
    requested,
    available,
  });
}

/** A variant as the catalogue sells it now, with the exact units it can sell. */
interface SellableVariant {
  productId: string;
  variant: Variant;
  available: number;
}

function lineNotFound(lineId: string): NotFound {
  return new NotFound(`The cart has no line ${lineId}.`, { code: 'line_not_found', lineId });
}

/**
 * Shopping carts: guest carts opened by a token, customer carts by the access token; lines checked
 * against the catalogue as they are added; codes and a shipping method chosen; priced by CartPricer.
 * Whoever does not own a cart is told it does not exist.
 */
export class CartService {
  readonly repo: CartRepository;

  constructor(
    private readonly runtime: ServiceRuntime<CartTables>,
    readonly pricer: CartPricer,
    private readonly discounts: DiscountRepository,
  ) {
    this.repo = new CartRepository(runtime.uow, runtime.schema);
  }

  private get idleMs(): number {
    return this.pricer.idleMs;
  }

  /** The active cart the context owns, with its lines: one it may change (409 cart_completed for a completed one). */
  async load(
    ctx: RequestContext,
    cartId: string,
    cartToken: string | undefined,
    repo = this.repo,
  ): Promise<CartRecord> {
    const record = await repo.find(cartId, this.runtime.uow.active(ctx));
    assertActiveOwned(ctx, record?.cart, cartId, cartToken, this.idleMs);
    return record!;
  }

  /** The active or completed cart the context owns, with its lines: one it may read. */
  private async loadForReading(
    ctx: RequestContext,
    cartId: string,
    cartToken: string | undefined,
  ): Promise<CartRecord> {
    const record = await this.repo.find(cartId);
    assertReadable(ctx, record?.cart, cartId, cartToken, this.idleMs);
    return record!;
  }

  /**
   * Explains a write the database refused after the cart was loaded: the cart changed meanwhile
   * (completed, say) and its answer says how; otherwise the write's own refusal.
   */
  private async refused(
    ctx: RequestContext,
    cartId: string,
    cartToken: string | undefined,
    otherwise: Error,
  ): Promise<never> {
    await this.load(ctx, cartId, cartToken);
    throw otherwise;
  }

  /**
   * Opens a cart: a guest cart with a new token (shown once), or a signed-in customer's one active
   * cart, which is returned as it is when there is one (created: false).
   */
  async create(ctx: RequestContext): Promise<{ cart: CreatedCart; created: boolean }> {
    const currency = ctx.store.currency;
    if (ctx.actor.kind !== 'customer') {
      const token = newCartToken();
      const row = (await this.repo.insertCart({
        id: newId(),
        token_hash: hashCartToken(token),
        customer_id: null,
        currency,
      }))!;
      const cart = await this.pricer.view(ctx, { cart: row, lines: [] });
      return { cart: { ...cart, token }, created: true };
    }
    const customerId = ctx.actor.id;
    await this.repo.expireIdleOf(customerId, new Date(Date.now() - this.idleMs));
    const row = await this.repo.insertCart({
      id: newId(),
      token_hash: null,
      customer_id: customerId,
      currency,
    });
    const id = row?.id ?? (await this.repo.findActiveOf(customerId));
    const record = id ? await this.repo.find(id) : null;
    if (!record) throw new Conflict('The cart changed meanwhile; try again.', { code: 'cart_changed' });
    const cart = await this.pricer.view(ctx, record);
    return { cart: { ...cart, token: null }, created: row !== null };
  }

  /** A cart its owner may read: active, or completed (status 'completed'). */
  async get(ctx: RequestContext, cartId: string, cartToken?: string): Promise<Cart> {
    return this.pricer.view(ctx, await this.loadForReading(ctx, cartId, cartToken));
  }

  async parcel(ctx: RequestContext, cartId: string, cartToken?: string): Promise<Parcel> {
    return this.pricer.parcel(ctx, await this.loadForReading(ctx, cartId, cartToken));
  }

  /** Marks the cart completed as the order it was checked out as (see complete.ts). */
  async complete(
    ctx: RequestContext,
    cartId: string,
    cartToken: string | undefined,
    input: CompleteCartInput,
  ): Promise<Cart> {
    return completeCart(ctx, this, cartId, cartToken, input);
  }

  /**
   * The variant a line input names, as the catalogue sells it now: looked up by id or SKU through
   * the catalogue's client, with its exact available units (what shoppers see may be capped).
   */
  private async variantOf(
    ctx: RequestContext,
    input: Pick<AddLineInput, 'productId' | 'variantId' | 'sku'>,
  ): Promise<SellableVariant> {
    if (input.variantId === undefined && input.sku === undefined) {
      throw new InvalidInput('Name the variant by variantId or sku.', 'variantId', {
        code: 'variant_required',
      });
    }
    const field = input.variantId !== undefined ? 'variantId' : 'sku';
    const notFound = () =>
      new InvalidInput('There is no such variant on sale.', field, { code: 'variant_not_found' });
    const found = await this.runtime.clients
      .get('catalogue')
      .findVariant(ctx, input.variantId !== undefined ? { variantId: input.variantId } : { sku: input.sku! });
    // Unknown, draft and archived alike: nothing says whether an unlisted variant exists.
    if (!found) {
      throw new InvalidInput('That variant is not on sale.', field, { code: 'product_unavailable' });
    }
    const { product } = found;
    const variant = product.variants.find((v) => v.id === found.variantId);
    if (
      !variant ||
      variant.price.currency !== ctx.store.currency ||
      (input.sku !== undefined && variant.sku !== input.sku)
    ) {
      throw notFound();
    }
    if (input.productId !== undefined && input.productId !== product.id && input.productId !== product.slug) {
      throw new InvalidInput(`Variant ${variant.sku} is not a variant of ${input.productId}.`, 'productId', {
        code: 'variant_not_found',
      });
    }
    return { productId: product.id, variant, available: found.available };
  }

  /**
   * Adds units of a variant: a new line, or more of the line holding it. Refused when the line would
   * hold more than the catalogue has available (409 out_of_stock). One read and one write.
   */
  async addLine(
    ctx: RequestContext,
    cartId: string,
    cartToken: string | undefined,
    input: AddLineInput,
  ): Promise<Cart> {
    assertInput(AddLineInput, input);
    const record = await this.load(ctx, cartId, cartToken);
    const { productId, variant, available } = await this.variantOf(ctx, input);
    const existing = record.lines.find((line) => line.variant_id === variant.id);
    const wanted = (existing?.quantity ?? 0) + input.quantity;
    if (wanted > MAX_LINE_QUANTITY) {
      throw new InvalidInput(`A line holds at most ${MAX_LINE_QUANTITY} units.`, 'quantity', {
        code: 'line_quantity_limit',
      });
    }
    if (wanted > available) throw outOfStock(variant, wanted, available);
    const max = Math.min(MAX_LINE_QUANTITY, available);
    const line = {
      id: newId(),
      product_id: productId,
      variant_id: variant.id,
      sku: variant.sku,
      quantity: input.quantity,
    };
    const added = await this.repo.addUnits(cartId, line, max);
    // Refused here only when a concurrent request changed the cart between the read and the write.
    if (!added) return this.refused(ctx, cartId, cartToken, outOfStock(variant, wanted, available));
    const lines = existing
      ? record.lines.map((l) => (l.id === added.id ? { ...l, quantity: added.quantity } : l))
      : [
          ...record.lines,
          { ...line, cart_id: cartId, id: added.id, quantity: added.quantity, created_at: new Date() },
        ];
    return this.pricer.view(ctx, { cart: { ...record.cart, updated_at: added.updated_at }, lines });
  }

  /** Sets a line's quantity; more units are checked against the catalogue, fewer always allowed. */
  async changeLine(
    ctx: RequestContext,
    cartId: string,
    lineId: string,
    cartToken: string | undefined,
    input: ChangeLineInput,
  ): Promise<Cart> {
    assertInput(ChangeLineInput, input);
    const record = await this.load(ctx, cartId, cartToken);
    const line = record.lines.find((l) => l.id === lineId);
    if (!line) throw lineNotFound(lineId);
    if (input.quantity > line.quantity) {
      const { variant, available } = await this.variantOf(ctx, { variantId: line.variant_id });
      if (input.quantity > available) throw outOfStock(variant, input.quantity, available);
    }
    if (!(await this.repo.setQuantity(cartId, lineId, input.quantity))) {
      return this.refused(ctx, cartId, cartToken, lineNotFound(lineId));
    }
    return this.get(ctx, cartId, cartToken);
  }

  async removeLine(
    ctx: RequestContext,
    cartId: string,
    lineId: string,
    cartToken: string | undefined,
  ): Promise<Cart> {
    await this.load(ctx, cartId, cartToken);
    if (!(await this.repo.deleteLine(cartId, lineId))) {
      return this.refused(ctx, cartId, cartToken, lineNotFound(lineId));
    }
    return this.get(ctx, cartId, cartToken);
  }

  /**
   * Applies a code after checking it against the cart now: known and active (404), started and not
   * expired, subtotal at least its minimum (422), uses left overall and for this customer (409).
   * Applying uses nothing up: checkout redeems the use.
   */
  async applyDiscount(
    ctx: RequestContext,
    cartId: string,
    cartToken: string | undefined,
    input: ApplyDiscountInput,
  ): Promise<Cart> {
    assertInput(ApplyDiscountInput, input);
    const record = await this.load(ctx, cartId, cartToken);
    const discount = await this.discounts.findByCode(input.code);
    if (!discount) throw discountNotFound(input.code);
    const parcel = await this.pricer.parcel(ctx, { ...record, cart: { ...record.cart, discount_id: null } });
    const problem = discountProblem(discount, parcel.subtotal, new Date());
    if (problem) throw discountError(problem, input.code);
    const customerId = record.cart.customer_id;
    if (customerId !== null && discount.per_customer_limit !== null) {
      const uses = await this.discounts.countRedemptions(discount.id, customerId);
      if (uses >= discount.per_customer_limit) {
        throw discountError(
          {
            code: 'discount_customer_limit',
            message: `You have used discount code ${discount.code} as often as it allows.`,
          },
          input.code,
        );
      }
    }
    if (!(await this.repo.update(cartId, { discount_id: discount.id }))) {
      return this.refused(ctx, cartId, cartToken, cartNotFound(cartId));
    }
    return this.get(ctx, cartId, cartToken);
  }

  async removeDiscount(ctx: RequestContext, cartId: string, cartToken: string | undefined): Promise<Cart> {
    await this.load(ctx, cartId, cartToken);
    if (!(await this.repo.update(cartId, { discount_id: null }))) {
      return this.refused(ctx, cartId, cartToken, cartNotFound(cartId));
    }
    return this.get(ctx, cartId, cartToken);
  }

  /**
   * Chooses where the cart goes and how: the method must be one the shipping service offers for the
   * cart's parcel to that country (422 otherwise). The country also picks the tax rates.
   */
  async selectShipping(
    ctx: RequestContext,
    cartId: string,
    cartToken: string | undefined,
    input: SelectShippingInput,
  ): Promise<Cart> {
    assertInput(SelectShippingInput, input);
    const record = await this.load(ctx, cartId, cartToken);
    const parcel = await this.pricer.parcel(ctx, record);
    if (parcel.itemCount === 0) {
      throw new InvalidInput('An empty cart has nothing to ship.', 'methodCode', { code: 'cart_empty' });
    }
    const rates = await this.runtime.clients.get('shipping').rates(ctx, {
      country: input.country,
      weightGrams: parcel.weightGrams,
      subtotal: { amount: parcel.discountedSubtotal, currency: parcel.currency },
    });
    if (rates.length === 0) {
      throw new InvalidInput(`The store does not ship to ${input.country}.`, 'country', {
        code: 'shipping_destination_unsupported',
      });
    }
    if (!rates.some((rate) => rate.code === input.methodCode)) {
      throw new InvalidInput(
        `Shipping method ${input.methodCode} is not offered for this cart.`,
        'methodCode',
        {
          code: 'shipping_method_unavailable',
          offered: rates.map((rate) => rate.code),
        },
      );
    }
    const updated = await this.repo.update(cartId, {
      country: input.country,
      shipping_method: input.methodCode,
    });
    if (!updated) return this.refused(ctx, cartId, cartToken, cartNotFound(cartId));
    // The lines as loaded with the cart as updated: no second read.
    return this.pricer.view(ctx, { ...record, cart: updated });
  }

  /** Moves a guest cart's lines into the signed-in customer's cart (see merge.ts). */
  async merge(ctx: RequestContext, guestCartId: string, cartToken: string | undefined): Promise<Cart> {
    const { cartId, notices } = await mergeGuestCart(ctx, this.runtime, this, guestCartId, cartToken);
    return this.pricer.view(ctx, (await this.repo.find(cartId))!, notices);
  }
}
